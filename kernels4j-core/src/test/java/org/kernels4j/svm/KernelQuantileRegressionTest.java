package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * Kernel quantile regression: the pinball objective against linear quantile regression solved as an LP by
 * brute-force vertex enumeration, strong duality, the quantile property and the non-crossing rearrangement.
 */
class KernelQuantileRegressionTest {

    private static double pinball(double tau, double r) {
        return r >= 0 ? tau * r : (tau - 1) * r;
    }

    /**
     * The LP min_{w,b} Σ ρ_τ(y_i − w·x_i − b) by enumerating its vertices: an optimal solution of this LP
     * interpolates d + 1 of the points (Koenker &amp; Bassett 1978), so trying every (d+1)-subset finds the optimum.
     * Returns {objective, ‖w‖²}.
     */
    private static double[] bruteForceLp(Matrix x, double[] y, double tau) {
        int n = x.rows();
        double best = Double.POSITIVE_INFINITY;
        double bestNorm = 0;
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                for (int c = b + 1; c < n; c++) {
                    int[] s = {a, b, c};
                    Matrix m = new Matrix(3, 3);
                    Matrix r = new Matrix(3, 1);
                    for (int i = 0; i < 3; i++) {
                        m.set(i, 0, x.get(s[i], 0));
                        m.set(i, 1, x.get(s[i], 1));
                        m.set(i, 2, 1);
                        r.set(i, 0, y[s[i]]);
                    }
                    double det = m.get(0, 0) * (m.get(1, 1) * m.get(2, 2) - m.get(1, 2) * m.get(2, 1))
                            - m.get(0, 1) * (m.get(1, 0) * m.get(2, 2) - m.get(1, 2) * m.get(2, 0))
                            + m.get(0, 2) * (m.get(1, 0) * m.get(2, 1) - m.get(1, 1) * m.get(2, 0));
                    if (Math.abs(det) < 1e-9) {
                        continue;
                    }
                    double[] w = TestData.gaussSolve(m, r).column(0);
                    double obj = 0;
                    for (int i = 0; i < n; i++) {
                        obj += pinball(tau, y[i] - w[0] * x.get(i, 0) - w[1] * x.get(i, 1) - w[2]);
                    }
                    if (obj < best) {
                        best = obj;
                        bestNorm = w[0] * w[0] + w[1] * w[1];
                    }
                }
            }
        }
        return new double[] {best, bestNorm};
    }

    @Test
    void linearKernelWithLargeCReachesTheLinearQuantileRegressionLp() {
        Matrix x = TestData.gaussian(16, 2, 1, 5);
        Random r = new Random(6);
        double[] y = new double[16];
        for (int i = 0; i < y.length; i++) {
            y[i] = 1.5 * x.get(i, 0) - 0.7 * x.get(i, 1) + 2 + r.nextGaussian();
        }
        double c = 1e3;
        for (double tau : new double[] {0.2, 0.5, 0.75}) {
            double[] lp = bruteForceLp(x, y, tau);
            KernelQuantileRegressionModel m = KernelQuantileRegression.builder(KernelSpec.parse("linear()"))
                    .quantiles(tau).c(c).tolerance(1e-7).build().fit(x, Matrix.column(y));
            Matrix f = m.predict(x);
            double obj = 0;
            for (int i = 0; i < y.length; i++) {
                obj += pinball(tau, y[i] - f.get(i, 0));
            }
            // C·obj + ½‖w‖² ≤ C·lp + ½‖w_lp‖², so obj lies in [lp, lp + ‖w_lp‖²/(2C)] up to the solver's tolerance
            assertTrue(obj >= lp[0] - 1e-6, tau + ": " + obj + " below the LP optimum " + lp[0]);
            assertTrue(obj <= lp[0] + lp[1] / (2 * c) + 1e-5, tau + ": " + obj + " vs LP " + lp[0]);
        }
    }

    @Test
    void dualOptimumHasNoDualityGapAndMeetsItsConstraints() {
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        Matrix x = TestData.gaussian(40, 2, 1, 7);
        Random r = new Random(8);
        double[] y = new double[40];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.sin(x.get(i, 0)) + 0.5 * r.nextGaussian();
        }
        double c = 2;
        double tau = 0.3;
        KernelQuantileRegressionModel m = KernelQuantileRegression.builder(k).quantiles(tau).c(c).tolerance(1e-9)
                .build().fit(x, Matrix.column(y));
        // the model keeps only non-zero rows: map them back through the support inputs
        Matrix sx = m.supportInputs();
        Matrix a = m.coefficients();
        double sum = 0;
        double norm = 0;
        double dual = 0;
        for (int i = 0; i < sx.rows(); i++) {
            double ai = a.get(i, 0);
            assertTrue(ai >= c * (tau - 1) - 1e-12 && ai <= c * tau + 1e-12, "box constraint: " + ai);
            sum += ai;
            for (int j = 0; j < sx.rows(); j++) {
                norm += ai * a.get(j, 0) * k.value(sx.row(i), sx.row(j));
            }
            int row = rowOf(x, sx.row(i));
            dual += ai * y[row];
        }
        assertEquals(0, sum, 1e-9, "Σα = 0");
        dual -= 0.5 * norm;
        Matrix f = m.predict(x);
        double primal = 0.5 * norm;
        for (int i = 0; i < y.length; i++) {
            primal += c * pinball(tau, y[i] - f.get(i, 0));
        }
        assertEquals(primal, dual, 1e-6 * Math.abs(primal), "strong duality");
    }

    private static int rowOf(Matrix x, double[] row) {
        for (int i = 0; i < x.rows(); i++) {
            if (Arrays.equals(x.row(i), row)) {
                return i;
            }
        }
        throw new AssertionError("row not found");
    }

    @Test
    void fractionBelowEachQuantileIsTauWithinItsStandardError() {
        int n = 400;
        Matrix x = TestData.gaussian(n, 1, 1, 9);
        Random r = new Random(10);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(x.get(i, 0)) + (0.3 + 0.3 * Math.abs(x.get(i, 0))) * r.nextGaussian();
        }
        double[] taus = {0.1, 0.5, 0.9};
        KernelQuantileRegressionModel m = KernelQuantileRegression.builder(KernelSpec.parse("rbf(gamma=1)"))
                .quantiles(0.9, 0.1, 0.5).c(5).build().fit(x, Matrix.column(y));
        assertArrayEquals(taus, m.quantiles(), "levels are kept ascending");
        // fresh data from the same distribution: fraction below q_τ ≈ τ within 4 standard errors plus the
        // estimation error of the curve (allowed as 0.04)
        Matrix xt = TestData.gaussian(2000, 1, 1, 11);
        Random rt = new Random(12);
        Matrix q = m.predict(xt);
        for (int j = 0; j < taus.length; j++) {
            int below = 0;
            for (int i = 0; i < xt.rows(); i++) {
                double yt = Math.sin(xt.get(i, 0)) + (0.3 + 0.3 * Math.abs(xt.get(i, 0))) * rt.nextGaussian();
                below += yt < q.get(i, j) ? 1 : 0;
            }
            double frac = below / 2000.0;
            double se = Math.sqrt(taus[j] * (1 - taus[j]) / 2000);
            assertEquals(taus[j], frac, 4 * se + 0.04, "tau " + taus[j]);
        }
        // on the training data the KKT conditions bound it exactly: #(r < 0) ≤ nτ ≤ #(r ≤ 0), up to the tolerance
        Matrix qt = m.rawPredictions(x);
        for (int j = 0; j < taus.length; j++) {
            int strictlyBelow = 0;
            int atOrBelow = 0;
            for (int i = 0; i < n; i++) {
                strictlyBelow += y[i] < qt.get(i, j) - 1e-3 ? 1 : 0;
                atOrBelow += y[i] <= qt.get(i, j) + 1e-3 ? 1 : 0;
            }
            assertTrue(strictlyBelow <= n * taus[j] + 1 && atOrBelow >= n * taus[j] - 1,
                    taus[j] + ": " + strictlyBelow + " / " + atOrBelow);
        }
    }

    @Test
    void predictionsAreTheRearrangedCurvesAndNeverCross() {
        Matrix x = TestData.gaussian(25, 1, 1, 13);
        Random r = new Random(14);
        double[] y = new double[25];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextGaussian();
        }
        // close levels, little data and a wide query range: the raw curves cross somewhere
        KernelQuantileRegressionModel m = KernelQuantileRegression.builder(KernelSpec.parse("rbf(gamma=3)"))
                .quantiles(0.45, 0.5, 0.55).c(10).build().fit(x, Matrix.column(y));
        Matrix grid = new Matrix(400, 1);
        for (int i = 0; i < 400; i++) {
            grid.set(i, 0, -3 + 6 * i / 399.0);
        }
        Matrix raw = m.rawPredictions(grid);
        Matrix q = m.predict(grid);
        int crossings = 0;
        for (int i = 0; i < grid.rows(); i++) {
            double[] row = raw.row(i);
            for (int j = 1; j < row.length; j++) {
                crossings += row[j] < row[j - 1] ? 1 : 0;
            }
            double[] sorted = row.clone();
            Arrays.sort(sorted);
            assertArrayEquals(sorted, q.row(i), 0.0);
            for (int j = 1; j < 3; j++) {
                assertTrue(q.get(i, j) >= q.get(i, j - 1));
            }
        }
        assertTrue(crossings > 0, "the example must exercise the rearrangement");
    }

    @Test
    void badInputHasClearMessages() {
        Kernel k = KernelSpec.parse("rbf()");
        for (double tau : new double[] {0, 1, -0.2, 1.5, Double.NaN}) {
            var e = assertThrows(Kernels4jException.class,
                    () -> KernelQuantileRegression.builder(k).quantiles(0.5, tau).build());
            assertTrue(e.getMessage().contains("strictly between 0 and 1"), e.getMessage());
        }
        var e = assertThrows(Kernels4jException.class, () -> KernelQuantileRegression.builder(k).quantiles(0.3, 0.3).build());
        assertTrue(e.getMessage().contains("given twice"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelQuantileRegression.builder(k).c(0).build());
        assertTrue(e.getMessage().contains("C must be a positive"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelQuantileRegression.builder(k).build()
                .fit(new Matrix(4, 1), new Matrix(4, 2)));
        assertTrue(e.getMessage().contains("one target column, got 2"), e.getMessage());
    }

    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.5)");

    private static Matrix[] noisyLine(int n, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, 1);
        Matrix y = new Matrix(n, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, 4 * r.nextDouble());
            y.set(i, 0, x.get(i, 0) + r.nextGaussian());
        }
        return new Matrix[] {x, y};
    }

    @Test
    void reportCountsTheCoefficientsStrictlyInsideTheirBox() {
        Matrix[] d = noisyLine(40, 3);
        double c = 0.5;
        KernelQuantileRegressionModel m = KernelQuantileRegression.builder(RBF).quantiles(0.2, 0.7).c(c).progress(null)
                .build().fit(d[0], d[1]);
        double[] taus = {0.2, 0.7};
        Matrix coef = m.coefficients();
        for (int q = 0; q < 2; q++) {
            int free = 40 - coef.rows(); // dropped rows have α = 0, inside (C(τ − 1), Cτ)
            int atBound = 0;
            for (int i = 0; i < coef.rows(); i++) {
                double a = coef.get(i, q);
                free += a > c * (taus[q] - 1) && a < c * taus[q] ? 1 : 0;
                atBound += a == c * taus[q] || a == c * (taus[q] - 1) ? 1 : 0;
            }
            assertTrue(atBound > 0, "some coefficient at a bound");
            assertEquals(free, m.report().parts("levels").get(q).number("free_coefficients"), 0, "tau " + taus[q]);
        }
        assertEquals(c, m.c(), 0);
        assertEquals(RBF, m.kernel());
        assertEquals(1, m.features());
        assertEquals(2, m.intercepts().length);
        KernelQuantileRegressionModel back = new KernelQuantileRegressionCodec()
                .decode(new KernelQuantileRegressionCodec().encode(m));
        assertEquals(0.0, back.predict(d[0]).maxAbsDifference(m.predict(d[0])), 0);
    }

    @Test
    void modelDropsZeroRowsAndChecksItsLevelsAndInputs() {
        Matrix x = Matrix.of(new double[][] {{0}, {1}, {2}});
        Matrix coef = Matrix.of(new double[][] {{1}, {0}, {-2}});
        KernelQuantileRegressionModel m = new KernelQuantileRegressionModel(RBF, x, coef, new double[] {0.5},
                new double[] {0.5}, 1, org.kernels4j.model.FitReport.EMPTY);
        assertEquals(2, m.supportInputs().rows());
        assertEquals(2, m.coefficients().rows());
        Matrix z = Matrix.of(new double[][] {{0.5}, {1.7}});
        Matrix f = m.predict(z);
        for (int i = 0; i < 2; i++) {
            double want = 0.5 + RBF.value(z.row(i), x.row(0)) - 2 * RBF.value(z.row(i), x.row(2));
            assertEquals(want, f.get(i, 0), 1e-12);
        }
        Kernels4jException wrong = assertThrows(Kernels4jException.class, () -> m.predict(new Matrix(2, 2)));
        assertTrue(wrong.getMessage().contains("the model was trained on 1 features but the data has 2"),
                wrong.getMessage());
        Matrix nan = Matrix.of(new double[][] {{Double.NaN}});
        assertThrows(Kernels4jException.class, () -> m.rawPredictions(nan));
        assertTrue(m.report() == org.kernels4j.model.FitReport.EMPTY);
        Matrix two = new Matrix(3, 2);
        for (double[] taus : new double[][] {{0, 0.5}, {0.5, 1}, {0.5, 0.5}, {0.6, 0.4}}) {
            Kernels4jException e = assertThrows(Kernels4jException.class, () -> new KernelQuantileRegressionModel(RBF, x,
                    two, new double[2], taus, 1, org.kernels4j.model.FitReport.EMPTY));
            assertTrue(e.getMessage().contains("levels must be ascending in (0, 1)"), e.getMessage());
        }
    }

    @Test
    void builderAndFitArguments() {
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> KernelQuantileRegression.builder(RBF).tolerance(0).build());
        assertTrue(e.getMessage().contains("tolerance must be positive, got 0.0"), e.getMessage());
        Matrix[] d = noisyLine(5, 1);
        assertThrows(Kernels4jException.class,
                () -> KernelQuantileRegression.builder(RBF).build().fit(d[0], new Matrix(6, 1)));
        KernelQuantileRegression k = KernelQuantileRegression.builder(RBF).quantiles(0.9, 0.1).build();
        assertArrayEquals(new double[] {0.1, 0.9}, k.quantiles(), 0);
        assertEquals("KernelQuantileRegression(kernel=rbf(gamma=0.5), C=1.0, quantiles=[0.1, 0.9])", k.toString());
    }
}
