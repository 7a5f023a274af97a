package org.kernels4j.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.thinning.Coreset;
import org.junit.jupiter.api.Test;

/** Kernel ridge regression with sample weights: duplicated rows, the primal weighted ridge, coresets. */
class WeightedKernelRidgeTest {
    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.7)");

    private static Matrix gaussian(int n, int d, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, d);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = r.nextGaussian();
        }
        return x;
    }

    private static Matrix target(Matrix x, long seed) {
        Random r = new Random(seed);
        Matrix y = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            y.set(i, 0, Math.sin(2 * x.get(i, 0)) + 0.3 * x.get(i, 1) + 0.1 * r.nextGaussian() + 3);
        }
        return y;
    }

    @Test
    void integerWeightsEqualRepeatedRows() {
        Matrix x = gaussian(30, 2, 1);
        Matrix y = target(x, 2);
        double[] w = new double[30];
        int total = 0;
        for (int i = 0; i < 30; i++) {
            w[i] = 1 + i % 3;
            total += (int) w[i];
        }
        Matrix xr = new Matrix(total, 2);
        Matrix yr = new Matrix(total, 1);
        for (int i = 0, r = 0; i < 30; i++) {
            for (int c = 0; c < w[i]; c++, r++) {
                xr.set(r, 0, x.get(i, 0));
                xr.set(r, 1, x.get(i, 1));
                yr.set(r, 0, y.get(i, 0));
            }
        }
        Matrix test = gaussian(12, 2, 3);
        for (boolean intercept : new boolean[] {false, true}) {
            KernelRidge krr = KernelRidge.builder(RBF).lambda(0.05).fitIntercept(intercept).build();
            // the repeated design's Gram matrix is singular, so λ carries it; tolerance for its conditioning
            assertArrayEquals(krr.fit(xr, yr).predict(test).data(), krr.fit(x, y, w).predict(test).data(), 1e-9,
                    "intercept " + intercept);
        }
    }

    @Test
    void linearKernelMatchesThePrimalWeightedRidge() {
        // f(x) = xᵀβ + b minimising Σ w_i (y_i − xᵢᵀβ − b)² + λ‖β‖², by its normal equations solved here
        Matrix x = gaussian(25, 3, 5);
        Matrix y = target(x, 6);
        double[] w = new double[25];
        Random r = new Random(7);
        for (int i = 0; i < 25; i++) {
            w[i] = 0.2 + 3 * r.nextDouble();
        }
        double lambda = 0.8;
        double[][] a = new double[4][5];
        for (int i = 0; i < 25; i++) {
            double[] z = {x.get(i, 0), x.get(i, 1), x.get(i, 2), 1};
            for (int p = 0; p < 4; p++) {
                for (int q = 0; q < 4; q++) {
                    a[p][q] += w[i] * z[p] * z[q];
                }
                a[p][4] += w[i] * z[p] * y.get(i, 0);
            }
        }
        for (int p = 0; p < 3; p++) {
            a[p][p] += lambda;
        }
        for (int c = 0; c < 4; c++) {
            for (int rr = 0; rr < 4; rr++) {
                if (rr != c) {
                    double f = a[rr][c] / a[c][c];
                    for (int k = c; k < 5; k++) {
                        a[rr][k] -= f * a[c][k];
                    }
                }
            }
        }
        double[] beta = new double[4];
        for (int p = 0; p < 4; p++) {
            beta[p] = a[p][4] / a[p][p];
        }
        Matrix test = gaussian(7, 3, 8);
        double[] expected = new double[7];
        for (int i = 0; i < 7; i++) {
            expected[i] = beta[3];
            for (int p = 0; p < 3; p++) {
                expected[i] += beta[p] * test.get(i, p);
            }
        }
        KernelRidgeModel m = KernelRidge.builder(KernelSpec.parse("linear()")).lambda(lambda).fitIntercept(true).build()
                .fit(x, y, w);
        assertArrayEquals(expected, m.predict(test).data(), 1e-9);
        assertArrayEquals(new double[] {beta[3]}, m.intercept(), 1e-9);
    }

    @Test
    void unitWeightsAndUniformCoresetsAreThePlainFit() {
        Matrix x = gaussian(40, 2, 9);
        Matrix y = target(x, 10);
        Matrix test = gaussian(5, 2, 11);
        KernelRidge krr = KernelRidge.builder(RBF).lambda(0.1).fitIntercept(true).build();
        double[] ones = new double[40];
        java.util.Arrays.fill(ones, 1);
        assertArrayEquals(krr.fit(x, y).predict(test).data(), krr.fit(x, y, ones).predict(test).data(), 1e-12);
        int[] rows = {3, 7, 8, 20, 33};
        Coreset uniform = new Coreset(rows, null, Double.NaN, "test");
        assertArrayEquals(krr.fit(x.selectRows(rows), y.selectRows(rows)).predict(test).data(),
                krr.fit(uniform, x, y).predict(test).data(), 1e-12);
        // weights w_r on s rows act as s·w_r; a zero weight drops its row
        Coreset weighted = new Coreset(new int[] {3, 7, 8, 20}, new double[] {0.5, 0.25, 0.25, 0}, Double.NaN, "test");
        assertArrayEquals(krr.fit(x.selectRows(new int[] {3, 7, 8}), y.selectRows(new int[] {3, 7, 8}),
                new double[] {2, 1, 1}).predict(test).data(), krr.fit(weighted, x, y).predict(test).data(), 1e-12);
    }

    @Test
    void badWeightsAreRefused() {
        Matrix x = gaussian(6, 2, 1);
        Matrix y = target(x, 2);
        KernelRidge krr = KernelRidge.builder(RBF).lambda(0.1).build();
        assertTrue(assertThrows(Kernels4jException.class, () -> krr.fit(x, y, new double[5])).getMessage()
                .contains("got 5 sample weights for 6 rows"));
        assertTrue(assertThrows(Kernels4jException.class, () -> krr.fit(x, y, new double[] {1, 1, 0, 1, 1, 1}))
                .getMessage().contains("sample weight 3 is 0.0"));
        assertThrows(Kernels4jException.class, () -> krr.fit(x, y, new double[] {1, 1, Double.NaN, 1, 1, 1}));
        KernelRidge grid = KernelRidge.builder(RBF).selectLambda(new double[] {0.1, 1},
                RegularizationPath.Criterion.GCV).build();
        assertTrue(assertThrows(Kernels4jException.class, () -> grid.fit(x, y, new double[6])).getMessage()
                .contains("fixed lambda only"));
        Coreset outside = new Coreset(new int[] {2, 9}, null, Double.NaN, "test");
        assertTrue(assertThrows(Kernels4jException.class, () -> krr.fit(outside, x, y)).getMessage()
                .contains("coreset row 9 is outside the 6 rows"));
    }
}
