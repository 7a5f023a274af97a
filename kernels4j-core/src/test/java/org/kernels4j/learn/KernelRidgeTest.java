package org.kernels4j.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

class KernelRidgeTest {
    private static final Kernel KERNEL = KernelSpec.parse("rbf(gamma=0.4) + 0.1*linear()");

    /** y = sin(x0) + x1² plus a second output, with noise. */
    static Matrix targets(Matrix x, long seed) {
        java.util.Random r = new java.util.Random(seed);
        Matrix y = new Matrix(x.rows(), 2);
        for (int i = 0; i < x.rows(); i++) {
            y.set(i, 0, Math.sin(x.get(i, 0)) + x.get(i, 1) * x.get(i, 1) + 0.1 * r.nextGaussian());
            y.set(i, 1, x.get(i, 2) - x.get(i, 0) + 0.1 * r.nextGaussian());
        }
        return y;
    }

    /** Brute force: K by scalar formula, (K + λI)α = y by Gaussian elimination, f = K*·α by loops. */
    static Matrix bruteForcePredict(Matrix x, Matrix y, Matrix xt, double lambda) {
        int n = x.rows();
        Matrix k = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k.set(i, j, i == j ? KERNEL.selfValue(x.row(i)) : KERNEL.value(x.row(i), x.row(j)));
            }
            k.set(i, i, k.get(i, i) + lambda);
        }
        Matrix alpha = TestData.gaussSolve(k, y);
        Matrix kt = new Matrix(xt.rows(), n);
        for (int i = 0; i < xt.rows(); i++) {
            for (int j = 0; j < n; j++) {
                kt.set(i, j, KERNEL.value(xt.row(i), x.row(j)));
            }
        }
        return TestData.naiveProduct(kt, alpha);
    }

    @Test
    void matchesBruteForceNormalEquations() {
        Matrix x = TestData.gaussian(120, 3, 1, 1);
        Matrix y = targets(x, 2);
        Matrix xt = TestData.gaussian(40, 3, 1, 3);
        KernelRidgeModel m = KernelRidge.builder(KERNEL).lambda(0.05).build().fit(x, y);
        Matrix expected = bruteForcePredict(x, y, xt, 0.05);
        assertTrue(m.predict(xt).maxAbsDifference(expected) < 1e-9);
        assertEquals(2, m.outputs());
    }

    @Test
    void looAndGcvMatchExplicitRefits() {
        Matrix x = TestData.gaussian(40, 3, 1, 4);
        Matrix y = targets(x, 5);
        double[] grid = {1e-3, 1e-2, 0.1, 1};
        KernelRidgeModel m = KernelRidge.builder(KERNEL).selectLambda(grid, RegularizationPath.Criterion.LOO).build()
                .fit(x, y);
        RegularizationPath path = m.path();
        int n = x.rows();
        for (int l = 0; l < grid.length; l++) {
            // LOO: refit n times without row i
            double press = 0;
            for (int i = 0; i < n; i++) {
                int[] keep = new int[n - 1];
                for (int j = 0, t = 0; j < n; j++) {
                    if (j != i) {
                        keep[t++] = j;
                    }
                }
                Matrix pred = bruteForcePredict(x.selectRows(keep), y.selectRows(keep), x.selectRows(new int[] {i}),
                        grid[l]);
                for (int o = 0; o < 2; o++) {
                    double e = y.get(i, o) - pred.get(0, o);
                    press += e * e;
                }
            }
            assertEquals(press / (2 * n), path.looMse()[l], 1e-8 * press / n);
            // GCV from the explicit hat matrix H = K (K + λI)^-1
            Matrix fit = bruteForcePredict(x, y, x, grid[l]);
            double rss = 0;
            for (int t = 0; t < fit.data().length; t++) {
                double r = y.data()[t] - fit.data()[t];
                rss += r * r;
            }
            double trace = 0;
            for (int i = 0; i < n; i++) {
                Matrix unit = new Matrix(n, 1);
                unit.set(i, 0, 1);
                trace += 1 - bruteForcePredict(x, unit, x.selectRows(new int[] {i}), grid[l]).get(0, 0);
            }
            double gcv = (rss / (2 * n)) / Math.pow(trace / n, 2);
            assertEquals(gcv, path.gcv()[l], 1e-8 * gcv);
        }
        int best = 0;
        for (int l = 1; l < grid.length; l++) {
            if (path.looMse()[l] < path.looMse()[best]) {
                best = l;
            }
        }
        assertEquals(grid[best], m.lambda());
        Matrix xt = TestData.gaussian(10, 3, 1, 6);
        assertTrue(m.predict(xt).maxAbsDifference(bruteForcePredict(x, y, xt, grid[best])) < 1e-8);
    }

    @Test
    void badInputsGiveClearErrors() {
        KernelRidge krr = KernelRidge.builder(KERNEL).lambda(1).build();
        var e = assertThrows(Kernels4jException.class, () -> krr.fit(new Matrix(5, 3), new Matrix(4, 1)));
        assertTrue(e.getMessage().contains("5 rows but the targets have 4"));
        e = assertThrows(Kernels4jException.class, () -> KernelRidge.builder(KERNEL).lambda(-1).build());
        assertTrue(e.getMessage().contains("lambda must be a positive"));
        KernelRidgeModel m = krr.fit(TestData.gaussian(10, 3, 1, 1), TestData.gaussian(10, 1, 1, 2));
        e = assertThrows(Kernels4jException.class, () -> m.predict(new Matrix(2, 4)));
        assertTrue(e.getMessage().contains("trained on 3 features but the data has 4"));
    }
}
