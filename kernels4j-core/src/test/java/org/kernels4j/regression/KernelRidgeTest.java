package org.kernels4j.regression;

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

    static Matrix bruteForcePredict(Matrix x, Matrix y, Matrix xt, double lambda) {
        return bruteForcePredict(x, y, xt, lambda, false);
    }

    /**
     * Brute force: K by scalar formula, then Gaussian elimination on the normal equations. Without an
     * intercept (K + λI)α = y; with one the bordered system [[K + λI, 1], [1ᵀ, 0]]·[α; b] = [y; 0]
     * (stationarity in α and in b of Σ(y − b − Kα)² + λαᵀKα). Predictions K*·α + b by loops.
     */
    static Matrix bruteForcePredict(Matrix x, Matrix y, Matrix xt, double lambda, boolean intercept) {
        int n = x.rows();
        int size = intercept ? n + 1 : n;
        Matrix k = new Matrix(size, size);
        Matrix rhs = new Matrix(size, y.cols());
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k.set(i, j, i == j ? KERNEL.selfValue(x.row(i)) : KERNEL.value(x.row(i), x.row(j)));
            }
            k.set(i, i, k.get(i, i) + lambda);
            if (intercept) {
                k.set(i, n, 1);
                k.set(n, i, 1);
            }
            for (int o = 0; o < y.cols(); o++) {
                rhs.set(i, o, y.get(i, o));
            }
        }
        Matrix solution = TestData.gaussSolve(k, rhs);
        Matrix pred = new Matrix(xt.rows(), y.cols());
        for (int i = 0; i < xt.rows(); i++) {
            for (int o = 0; o < y.cols(); o++) {
                double f = intercept ? solution.get(n, o) : 0;
                for (int j = 0; j < n; j++) {
                    f += KERNEL.value(xt.row(i), x.row(j)) * solution.get(j, o);
                }
                pred.set(i, o, f);
            }
        }
        return pred;
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
    void interceptMatchesBorderedNormalEquations() {
        Matrix x = TestData.gaussian(90, 3, 1, 7);
        Matrix y = targets(x, 8);
        for (int i = 0; i < y.data().length; i++) {
            y.data()[i] += 5; // a large mean the intercept must absorb
        }
        Matrix xt = TestData.gaussian(30, 3, 1, 9);
        KernelRidgeModel m = KernelRidge.builder(KERNEL).lambda(0.3).fitIntercept(true).build().fit(x, y);
        assertTrue(m.predict(xt).maxAbsDifference(bruteForcePredict(x, y, xt, 0.3, true)) < 1e-9);
        // the eigen path fits the same model at the chosen λ
        KernelRidgeModel viaPath = KernelRidge.builder(KERNEL).selectLambda(new double[] {0.3},
                RegularizationPath.Criterion.GCV).fitIntercept(true).build().fit(x, y);
        assertTrue(viaPath.predict(xt).maxAbsDifference(m.predict(xt)) < 1e-9);
        for (int o = 0; o < 2; o++) {
            assertEquals(m.intercept()[o], viaPath.intercept()[o], 1e-9);
            double sumAlpha = 0;
            for (int i = 0; i < x.rows(); i++) {
                sumAlpha += m.dualCoefficients().get(i, o);
            }
            assertEquals(0.0, sumAlpha, 1e-9, "1ᵀα = 0 at the optimum");
        }
    }

    @Test
    void looAndGcvMatchExplicitRefits() {
        checkPathAgainstRefits(false);
    }

    @Test
    void looAndGcvWithInterceptMatchExplicitRefits() {
        checkPathAgainstRefits(true);
    }

    private static void checkPathAgainstRefits(boolean intercept) {
        Matrix x = TestData.gaussian(40, 3, 1, 4);
        Matrix y = targets(x, 5);
        for (int i = 0; i < y.rows(); i++) {
            y.set(i, 0, y.get(i, 0) + 3);
        }
        double[] grid = {1e-3, 1e-2, 0.1, 1};
        KernelRidgeModel m = KernelRidge.builder(KERNEL).selectLambda(grid, RegularizationPath.Criterion.LOO)
                .fitIntercept(intercept).build().fit(x, y);
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
                        grid[l], intercept);
                for (int o = 0; o < 2; o++) {
                    double e = y.get(i, o) - pred.get(0, o);
                    press += e * e;
                }
            }
            assertEquals(press / (2 * n), path.looMse()[l], 1e-8 * press / n);
            // GCV from the explicit hat matrix H = K (K + λI)^-1
            Matrix fit = bruteForcePredict(x, y, x, grid[l], intercept);
            double rss = 0;
            for (int t = 0; t < fit.data().length; t++) {
                double r = y.data()[t] - fit.data()[t];
                rss += r * r;
            }
            double trace = 0;
            for (int i = 0; i < n; i++) {
                Matrix unit = new Matrix(n, 1);
                unit.set(i, 0, 1);
                trace += 1 - bruteForcePredict(x, unit, x.selectRows(new int[] {i}), grid[l], intercept).get(0, 0);
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
        assertTrue(m.predict(xt).maxAbsDifference(bruteForcePredict(x, y, xt, grid[best], intercept)) < 1e-8);
    }

    @Test
    void gcvStaysFiniteAndExactWhereTheFitNearlyInterpolates() {
        gcvNearInterpolation(false);
    }

    @Test
    void gcvWithInterceptStaysFiniteAndExactWhereTheFitNearlyInterpolates() {
        gcvNearInterpolation(true);
    }

    /**
     * A smooth noiseless target and tiny λ: n − df far below one (QA finding 5 printed GCV = Infinity there).
     * Brute force without cancellation: the bordered system of {@link #bruteForcePredict} gives
     * y − ŷ = λα, and tr(I − H) = λ·Σ_i α_i(e_i), α(e_i) the solution for the unit target e_i.
     */
    private static void gcvNearInterpolation(boolean intercept) {
        int n = 30;
        Matrix x = TestData.gaussian(n, 2, 1.5, 91);
        Matrix y = new Matrix(n, 1);
        for (int i = 0; i < n; i++) {
            y.set(i, 0, Math.sin(x.get(i, 0)) + Math.cos(x.get(i, 1)) + 2);
        }
        Kernel kernel = KernelSpec.parse("rbf(gamma=2)");
        double[] grid = {1e-6, 1e-5, 1e-4, 1e-2};
        RegularizationPath path = KernelRidge.builder(kernel).selectLambda(grid, RegularizationPath.Criterion.GCV)
                .fitIntercept(intercept).build().fit(x, y).path();
        int size = intercept ? n + 1 : n;
        Matrix bordered = new Matrix(size, size);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                bordered.set(i, j, kernel.value(x.row(i), x.row(j)));
            }
            if (intercept) {
                bordered.set(i, n, 1);
                bordered.set(n, i, 1);
            }
        }
        int nearlyInterpolating = 0;
        for (int l = 0; l < grid.length; l++) {
            Matrix a = bordered.copy();
            Matrix rhs = new Matrix(size, n + 1); // column 0: y, column 1 + i: e_i
            for (int i = 0; i < n; i++) {
                a.set(i, i, a.get(i, i) + grid[l]);
                rhs.set(i, 0, y.get(i, 0));
                rhs.set(i, 1 + i, 1);
            }
            Matrix solution = TestData.gaussSolve(a, rhs);
            double rss = 0;
            double free = 0;
            for (int i = 0; i < n; i++) {
                double r = grid[l] * solution.get(i, 0);
                rss += r * r;
                free += grid[l] * solution.get(i, 1 + i);
            }
            if (free < 1e-3) {
                nearlyInterpolating++;
            }
            double gcv = (rss / n) / Math.pow(free / n, 2);
            assertTrue(Double.isFinite(path.gcv()[l]), "lambda " + grid[l] + ": gcv " + path.gcv()[l]);
            assertEquals(gcv, path.gcv()[l], 1e-8 * gcv, "lambda " + grid[l] + ", n - df = " + free);
            assertEquals(n - free, path.degreesOfFreedom()[l], 1e-9);
        }
        assertTrue(nearlyInterpolating >= 1, "some lambda leaves n - df below 1e-3: " + nearlyInterpolating);
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
