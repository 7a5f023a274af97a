package org.kernels4j.density;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.density.KernelDensity.Profile;
import org.kernels4j.linalg.Matrix;

class KernelDensityTest {

    /** Unnormalized k(r) straight from the profile definitions (the reference of every density test). */
    static double k(Profile p, double r) {
        switch (p) {
            case GAUSSIAN:
                return Math.exp(-r * r / 2);
            case TOPHAT:
                return r < 1 ? 1 : 0;
            case EPANECHNIKOV:
                return r < 1 ? 1 - r * r : 0;
            case EXPONENTIAL:
                return Math.exp(-r);
            case LINEAR:
                return r < 1 ? 1 - r : 0;
            default:
                return r < 1 ? Math.cos(Math.PI * r / 2) : 0;
        }
    }

    /** c₃ = ∫_ℝ³ k(‖u‖) du, worked by hand: 4π∫k(r)r²dr. */
    private static double c3(Profile p) {
        switch (p) {
            case GAUSSIAN:
                return Math.pow(2 * Math.PI, 1.5);
            case TOPHAT:
                return 4 * Math.PI / 3;
            case EPANECHNIKOV:
                return 8 * Math.PI / 15;
            case EXPONENTIAL:
                return 8 * Math.PI;
            case LINEAR:
                return Math.PI / 3;
            default:
                return 8 - 64 / (Math.PI * Math.PI); // 4π(2/π − 16/π³)
        }
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void normalizersMatchHandWorkedIntegralsAndDensitiesIntegrateToOne(Profile p) {
        assertEquals(Math.log(c3(p)), p.logNormalizer(3), 1e-13);
        // d = 1 and 2: ∫ f over a fine grid is 1 (a single point, bandwidth 0.7)
        Matrix one = Matrix.of(new double[][] {{0.3}});
        KernelDensity f1 = KernelDensity.fit(p, one, null, KernelDensity.scalar(0.7, 1));
        int steps = 40000;
        double lo = -15;
        double h = 30.0 / steps;
        Matrix grid = new Matrix(steps + 1, 1);
        for (int i = 0; i <= steps; i++) {
            grid.set(i, 0, lo + i * h);
        }
        double total = 0;
        double[] ld = f1.logDensity(grid);
        for (double v : ld) {
            total += Math.exp(v) * h;
        }
        assertEquals(1.0, total, 2e-3, "1-D integral");
        Matrix two = Matrix.of(new double[][] {{0.1, -0.2}});
        KernelDensity f2 = KernelDensity.fit(p, two, null, KernelDensity.scalar(0.5, 2));
        int s2 = 400;
        double h2 = 12.0 / s2;
        Matrix g2 = new Matrix((s2 + 1) * (s2 + 1), 2);
        for (int i = 0; i <= s2; i++) {
            for (int j = 0; j <= s2; j++) {
                g2.set(i * (s2 + 1) + j, 0, -6 + i * h2);
                g2.set(i * (s2 + 1) + j, 1, -6 + j * h2);
            }
        }
        double t2 = 0;
        for (double v : f2.logDensity(g2)) {
            t2 += Math.exp(v) * h2 * h2;
        }
        assertEquals(1.0, t2, 1e-2, "2-D integral");
    }

    /** Tiled log-sum-exp against the defining double loop, with weights and a full bandwidth matrix. */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void exactDensityMatchesTheDoubleLoop(Profile p) {
        Matrix x = TestData.gaussian(600, 3, 1.0, 1); // three tiles of training points
        Matrix q = TestData.gaussian(70, 3, 1.2, 2);
        double[] w = new double[600];
        for (int i = 0; i < 600; i++) {
            w[i] = (i % 5 == 0) ? 0 : 0.5 + (i % 7);
        }
        Matrix hm = Matrix.of(new double[][] {{1.5, 0.3, 0}, {0.3, 0.8, -0.2}, {0, -0.2, 1.1}});
        KernelDensity f = KernelDensity.fit(p, x, w, hm);
        double[] got = f.logDensity(q);
        // reference: L by hand-rolled Cholesky, direct sum
        double[][] l = new double[3][3];
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b <= a; b++) {
                double s = hm.get(a, b);
                for (int c = 0; c < b; c++) {
                    s -= l[a][c] * l[b][c];
                }
                l[a][b] = a == b ? Math.sqrt(s) : s / l[b][b];
            }
        }
        double det = Math.pow(l[0][0] * l[1][1] * l[2][2], 2);
        double wsum = 0;
        for (double v : w) {
            wsum += v;
        }
        for (int j = 0; j < 70; j++) {
            double s = 0;
            for (int i = 0; i < 600; i++) {
                double[] diff = new double[3];
                for (int a = 0; a < 3; a++) {
                    diff[a] = q.get(j, a) - x.get(i, a);
                }
                double[] u = new double[3]; // forward substitution L·u = diff
                for (int a = 0; a < 3; a++) {
                    double v = diff[a];
                    for (int c = 0; c < a; c++) {
                        v -= l[a][c] * u[c];
                    }
                    u[a] = v / l[a][a];
                }
                double r = Math.sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
                s += w[i] * k(p, r);
            }
            double expected = Math.log(s / (wsum * Math.sqrt(det) * c3(p)));
            if (Double.isInfinite(expected)) {
                assertEquals(expected, got[j]);
            } else {
                // 1e-12: 600 terms summed in another order (a 1 % error in any factor is 1e-2)
                assertEquals(expected, got[j], 1e-12 * Math.max(1, Math.abs(expected)), p + " query " + j);
            }
        }
    }

    /** The tree mode's answers are within rtol of the exact ones, and it says how close it got. */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void approximateModeMeetsItsRelativeTolerance(Profile p) {
        for (int d : new int[] {2, 5}) {
            Matrix x = TestData.gaussian(3000, d, 1.0, 30 + d);
            Matrix q = TestData.gaussian(200, d, 1.3, 40 + d);
            KernelDensity f = KernelDensity.fit(p, x, null, KernelDensity.scalar(0.4, d));
            double[] exact = f.logDensity(q);
            for (double rtol : new double[] {1e-2, 1e-5}) {
                KernelDensity.Approximate a = f.logDensity(q, rtol);
                assertEquals("tree", a.method());
                assertTrue(a.achieved() <= rtol, "achieved " + a.achieved());
                for (int j = 0; j < 200; j++) {
                    if (exact[j] == Double.NEGATIVE_INFINITY) {
                        assertEquals(Double.NEGATIVE_INFINITY, a.logDensity()[j], p + " query " + j);
                    } else {
                        double rel = Math.abs(Math.expm1(a.logDensity()[j] - exact[j]));
                        assertTrue(rel <= rtol * (1 + 1e-9) + 1e-12, p + " d=" + d + " rtol=" + rtol + ": " + rel);
                    }
                }
            }
        }
        // high dimension: the exact path, exactly
        Matrix x = TestData.gaussian(500, 20, 1.0, 50);
        KernelDensity f = KernelDensity.fit(p, x, null, KernelDensity.scalar(2, 20));
        KernelDensity.Approximate a = f.logDensity(x.rowRange(0, 10), 1e-3);
        assertEquals("exact", a.method());
        assertEquals(0.0, a.achieved());
    }

    @Test
    void farQueriesDoNotUnderflow() {
        Matrix x = Matrix.of(new double[][] {{0, 0}});
        KernelDensity f = KernelDensity.fit(Profile.GAUSSIAN, x, null, KernelDensity.scalar(0.5, 2));
        double[] ld = f.logDensity(Matrix.of(new double[][] {{100, 0}}));
        // log f = −log(2π h²) − r²/(2h²), with r²/(2h²) = 20000: e^(−20000) underflows, its log does not
        assertEquals(-Math.log(2 * Math.PI * 0.25) - 20000, ld[0], 1e-9);
        KernelDensity top = KernelDensity.fit(Profile.TOPHAT, x, null, KernelDensity.scalar(0.5, 2));
        assertEquals(Double.NEGATIVE_INFINITY, top.logDensity(Matrix.of(new double[][] {{1, 0}}))[0]);
        // the tree mode falls back to the exact path where its linear-space sums underflow
        assertEquals(ld[0], f.logDensity(Matrix.of(new double[][] {{100, 0}}), 1e-3).logDensity()[0], 1e-9);
    }

    /** Leave-one-out log-likelihood of a bandwidth grid against explicit refits without each point. */
    @ParameterizedTest
    @EnumSource(value = Profile.class, names = {"GAUSSIAN", "COSINE"})
    void leaveOneOutMatchesExplicitRefits(Profile p) {
        Matrix x = TestData.gaussian(300, 2, 1.0, 3);
        double[] w = new double[300];
        for (int i = 0; i < 300; i++) {
            w[i] = 1 + (i % 3);
        }
        double[] hs = {0.3, 2.0};
        double[] loo = KernelDensity.leaveOneOut(p, x, w, hs);
        for (int b = 0; b < hs.length; b++) {
            double expected = 0;
            for (int i = 0; i < 300; i++) {
                int[] rest = new int[299];
                double[] wr = new double[299];
                for (int j = 0, k = 0; j < 300; j++) {
                    if (j != i) {
                        rest[k] = j;
                        wr[k++] = w[j];
                    }
                }
                KernelDensity f = KernelDensity.fit(p, x.selectRows(rest), wr, KernelDensity.scalar(hs[b], 2));
                expected += w[i] * f.logDensity(x.rowRange(i, i + 1))[0];
            }
            if (Double.isInfinite(expected)) {
                assertEquals(expected, loo[b]);
            } else {
                assertEquals(expected, loo[b], 1e-9 * Math.abs(expected), p + " h=" + hs[b]);
            }
        }
    }

    /** Samples follow the density: P(X ≤ t) from 20000 draws within 4 standard errors of ∫f. */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void samplesFollowTheDensity(Profile p) {
        Matrix x = Matrix.of(new double[][] {{-1}, {0.5}, {2}});
        double[] w = {1, 2, 1};
        KernelDensity f = KernelDensity.fit(p, x, w, KernelDensity.scalar(0.6, 1));
        int count = 20000;
        Matrix s = f.sample(count, 7);
        int steps = 20000;
        double lo = -8;
        double h = 16.0 / steps;
        Matrix grid = new Matrix(steps, 1);
        for (int i = 0; i < steps; i++) {
            grid.set(i, 0, lo + (i + 0.5) * h);
        }
        double[] ld = f.logDensity(grid);
        for (double t : new double[] {-1.5, -0.5, 0.3, 1.0, 2.2}) {
            double cdf = 0;
            for (int i = 0; i < steps && grid.get(i, 0) < t; i++) {
                cdf += Math.exp(ld[i]) * h;
            }
            int below = 0;
            for (int i = 0; i < count; i++) {
                below += s.get(i, 0) <= t ? 1 : 0;
            }
            double se = Math.sqrt(cdf * (1 - cdf) / count);
            assertEquals(cdf, below / (double) count, 4 * se + 2e-3, p + " at " + t);
        }
        // 3-D draws: the sample covariance is cov(points) + H·E[u₁²], E[u₁²] = 1 for the Gaussian
        Matrix x3 = TestData.gaussian(5, 3, 1.0, 9);
        if (p == Profile.GAUSSIAN) {
            KernelDensity g = KernelDensity.fit(p, x3, null, KernelDensity.scalar(0.8, 3));
            Matrix d = g.sample(40000, 3);
            double[] mean = x3.columnMeans();
            double var = 0;
            double m0 = 0;
            for (int i = 0; i < 5; i++) {
                var += Math.pow(x3.get(i, 0) - mean[0], 2) / 5;
            }
            double sv = 0;
            for (int i = 0; i < 40000; i++) {
                m0 += d.get(i, 0) / 40000;
            }
            for (int i = 0; i < 40000; i++) {
                sv += Math.pow(d.get(i, 0) - m0, 2) / 40000;
            }
            double expected = var + 0.64;
            assertEquals(expected, sv, 4 * expected * Math.sqrt(2.0 / 40000) * 2);
        }
    }

    /**
     * Gaussian data N(0, I_d), Gaussian kernel: the measured log-term variance against the derived
     * 3d/(2h⁴) (‖x − y‖² for independent x, y has mean 2d and variance 8d, but for a fixed typical x
     * its spread over y is Σ_k (2 + 4x_k²) ≈ 6d), and the regimes on either side of the thresholds.
     */
    @Test
    void regimeDiagnosisFollowsTheLogTermVariance() {
        int d = 32;
        Matrix x = TestData.gaussian(2000, d, 1.0, 8);
        double alpha = Math.log(2000) / d;
        for (double h : new double[] {0.5, 1.0, 3.0}) {
            KernelDensity.Regime r = KernelDensity.fit(Profile.GAUSSIAN, x, null, KernelDensity.scalar(h, d)).regime();
            double predicted = 3.0 * d / (2 * Math.pow(h, 4));
            assertEquals(predicted, r.logTermVariance(), 0.12 * predicted, "h = " + h);
            assertEquals(alpha, r.alpha(), 1e-12);
        }
        double hG = Math.pow(3 / (4 * alpha), 0.25);
        double hClt = Math.pow(3 / alpha, 0.25);
        KernelDensity.Regime narrow = KernelDensity.fit(Profile.GAUSSIAN, x, null, KernelDensity.scalar(0.7 * hG, d)).regime();
        assertEquals(KernelDensity.RegimeKind.EXTREME_VALUE, narrow.kind());
        assertTrue(narrow.participation() < 5, "a few points carry it: " + narrow.participation());
        KernelDensity.Regime wide = KernelDensity.fit(Profile.GAUSSIAN, x, null, KernelDensity.scalar(1.4 * hClt, d)).regime();
        assertEquals(KernelDensity.RegimeKind.CENTRAL_LIMIT, wide.kind());
        assertTrue(wide.participation() > 100, "many points carry it: " + wide.participation());
        assertTrue(narrow.dominatedByFewPoints());
        assertTrue(!wide.dominatedByFewPoints());
    }

    /**
     * In one dimension the log-term variance exceeds 2·ln n at ordinary bandwidths (and is infinite for
     * compact kernels) although about a hundred points carry each estimate: no "few points" verdict
     * there; a bandwidth far below the point spacing does get it.
     */
    @Test
    void fewPointsVerdictFollowsTheParticipationRatio() {
        Matrix x = TestData.gaussian(300, 1, 1.0, 21);
        KernelDensity scott = KernelDensity.fit(Profile.GAUSSIAN, x, null, KernelDensity.scott(x, null));
        KernelDensity.Regime r = scott.regime();
        assertTrue(!r.dominatedByFewPoints() && r.participation() > 30, "Scott in 1-D: " + r);
        KernelDensity.Regime tophat = KernelDensity.fit(Profile.TOPHAT, x, null, KernelDensity.scalar(0.5, 1)).regime();
        assertEquals(Double.POSITIVE_INFINITY, tophat.logTermVariance());
        assertTrue(!tophat.dominatedByFewPoints(), "tophat of width 0.5: " + tophat);
        KernelDensity.Regime tiny = KernelDensity.fit(Profile.GAUSSIAN, x, null, KernelDensity.scalar(1e-4, 1)).regime();
        assertTrue(tiny.dominatedByFewPoints(), "h far below the spacing: " + tiny);
    }

    @Test
    void ruleOfThumbBandwidthsAndErrors() {
        Matrix x = TestData.gaussian(200, 1, 2.0, 4);
        double mean = 0;
        for (double v : x.data()) {
            mean += v / 200;
        }
        double var = 0;
        for (double v : x.data()) {
            var += (v - mean) * (v - mean) / 199;
        }
        assertEquals(Math.pow(200, -0.4) * var, KernelDensity.scott(x, null).get(0, 0), 1e-12);
        assertEquals(Math.pow(200 * 3 / 4.0, -0.4) * var, KernelDensity.silverman(x, null).get(0, 0), 1e-12);
        double[] twice = new double[200];
        java.util.Arrays.fill(twice, 2.0); // equal weights: the same as none
        assertEquals(KernelDensity.scott(x, null).get(0, 0), KernelDensity.scott(x, twice).get(0, 0), 1e-12);
        assertThrows(Kernels4jException.class, () -> KernelDensity.scalar(0, 1));
        assertThrows(Kernels4jException.class, () -> KernelDensity.fit(Profile.GAUSSIAN, x, new double[200],
                KernelDensity.scalar(1, 1)));
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> Profile.parse("gausian"));
        assertTrue(e.getMessage().contains("unknown density kernel 'gausian'"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelDensity.fit(Profile.GAUSSIAN, x, null,
                KernelDensity.scalar(1, 1)).logDensity(new Matrix(3, 2)));
        assertTrue(e.getMessage().contains("queries have 2 features but the density has 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelDensity.fit(Profile.GAUSSIAN, x, null,
                Matrix.of(new double[][] {{-1}})));
        assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
        // leave-one-out on one row scores it by no other point: refused, not a -Infinity for every bandwidth
        e = assertThrows(Kernels4jException.class, () -> KernelDensity.leaveOneOut(Profile.GAUSSIAN,
                Matrix.of(new double[][] {{1, 2}}), null, new double[] {0.5, 1}));
        assertTrue(e.getMessage().contains("at least 2 rows"), e.getMessage());
    }
}
