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

/**
 * The formulas of {@link KernelDensity} against independent references: normalizers against published
 * unit-ball volumes and hand-worked radial integrals for d = 1..6, Scott's and Silverman's rules against
 * the weighted covariance computed here, leave-one-out against explicit refits for every profile, the
 * exact path at the training points themselves against the defining double loop, and the sampler's
 * radial law against closed-form moments E‖u‖².
 */
class KernelDensityFormulasTest {

    /** Unnormalized k(r) from the profile definitions. */
    private static double k(Profile p, double r) {
        return KernelDensityTest.k(p, r);
    }

    /** Volumes of the unit d-ball, d = 1..6 (published: 2, π, 4π/3, π²/2, 8π²/15, π³/6). */
    private static final double[] BALL = {0, 2, Math.PI, 4 * Math.PI / 3, Math.PI * Math.PI / 2,
        8 * Math.PI * Math.PI / 15, Math.PI * Math.PI * Math.PI / 6};

    /** ∫₀¹ cos(πr/2)·r^(d−1) dr by composite Simpson with 20000 intervals (error ~1e-17 · f⁗). */
    private static double cosineRadial(int d) {
        int n = 20000;
        double h = 1.0 / n;
        double s = 0;
        for (int i = 0; i <= n; i++) {
            double r = i * h;
            double f = Math.cos(Math.PI * r / 2) * Math.pow(r, d - 1);
            s += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }
        return s * h / 3;
    }

    /**
     * c_d = ∫ k(‖u‖) du = d·V_d·∫₀^∞ k(r) r^(d−1) dr with the radial integrals worked by hand:
     * Gaussian (2π)^(d/2) (product of d one-dimensional integrals), tophat V_d, Epanechnikov
     * d·V_d·(1/d − 1/(d + 2)), exponential d·V_d·(d − 1)!, linear d·V_d·(1/d − 1/(d + 1)).
     */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void normalizersMatchClosedFormsInEveryDimension(Profile p) {
        double factorial = 1;
        for (int d = 1; d <= 6; d++) {
            factorial *= d == 1 ? 1 : d - 1; // (d − 1)!
            double surface = d * BALL[d];
            double expected = switch (p) {
                case GAUSSIAN -> Math.pow(2 * Math.PI, d / 2.0);
                case TOPHAT -> BALL[d];
                case EPANECHNIKOV -> surface * (1.0 / d - 1.0 / (d + 2));
                case EXPONENTIAL -> surface * factorial;
                case LINEAR -> surface * (1.0 / d - 1.0 / (d + 1));
                default -> surface * cosineRadial(d);
            };
            // 1e-13: the closed forms and the code's log-gamma recurrence agree to a few ulps; a 1 % error is 1e-2
            assertEquals(Math.log(expected), p.logNormalizer(d), 1e-13, p + " d=" + d);
        }
    }

    @Test
    void logGammaOfHalfIntegersMatchesPublishedValues() {
        // Γ(1/2) = √π, Γ(1) = 1, Γ(3/2) = √π/2, Γ(2) = 1, Γ(5/2) = 3√π/4, Γ(3) = 2, Γ(7/2) = 15√π/8, Γ(5) = 24
        double sp = Math.sqrt(Math.PI);
        double[] gamma = {sp, 1, sp / 2, 1, 3 * sp / 4, 2, 15 * sp / 8};
        for (int k = 1; k <= 7; k++) {
            assertEquals(Math.log(gamma[k - 1]), KernelDensity.logGammaHalf(k), 1e-14, "k=" + k);
        }
        assertEquals(Math.log(24), KernelDensity.logGammaHalf(10), 1e-14);
    }

    /** The weighted covariance with SciPy's correction, computed here from its definition. */
    private static double[][] covariance(Matrix x, double[] w) {
        int n = x.rows();
        int d = x.cols();
        double total = 0;
        for (double v : w) {
            total += v;
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                mean[a] += w[i] * x.get(i, a) / total;
            }
        }
        double sq = 0;
        for (double v : w) {
            sq += (v / total) * (v / total);
        }
        double[][] c = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += w[i] * (x.get(i, a) - mean[a]) * (x.get(i, b) - mean[b]);
                }
                c[a][b] = s / total / (1 - sq);
            }
        }
        return c;
    }

    /**
     * Scott: H = n_eff^(−2/(d+4))·Σ̂, Silverman: H = (n_eff(d + 2)/4)^(−2/(d+4))·Σ̂, n_eff = (Σw)²/Σw²,
     * for correlated 3-D data with unequal weights. Tolerance 1e-12 relative: both sides sum the same
     * products in a different order; a 1 % change of any factor is 10 orders larger.
     */
    @Test
    void scottAndSilvermanFollowTheirFormulasWithWeightsInThreeDimensions() {
        Matrix x = TestData.gaussian(150, 3, 1.0, 12);
        for (int i = 0; i < 150; i++) {
            x.set(i, 1, 0.6 * x.get(i, 0) + 0.5 * x.get(i, 1) + 2); // correlated, shifted
            x.set(i, 2, 3 * x.get(i, 2));
        }
        double[] w = new double[150];
        for (int i = 0; i < 150; i++) {
            w[i] = 0.5 + (i % 4);
        }
        double sw = 0;
        double sw2 = 0;
        for (double v : w) {
            sw += v;
            sw2 += v * v;
        }
        double nEff = sw * sw / sw2;
        double[][] cov = covariance(x, w);
        double scott = Math.pow(nEff, -2.0 / 7);
        double silverman = Math.pow(nEff * 5 / 4, -2.0 / 7);
        Matrix hs = KernelDensity.scott(x, w);
        Matrix hv = KernelDensity.silverman(x, w);
        double[] ones = new double[150];
        java.util.Arrays.fill(ones, 1);
        double[][] plain = covariance(x, ones);
        Matrix hs0 = KernelDensity.scott(x, null);
        Matrix hv0 = KernelDensity.silverman(x, null);
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double tol = 1e-12 * Math.sqrt(cov[a][a] * cov[b][b]);
                assertEquals(scott * cov[a][b], hs.get(a, b), tol, "scott " + a + "," + b);
                assertEquals(silverman * cov[a][b], hv.get(a, b), tol, "silverman " + a + "," + b);
                assertEquals(Math.pow(150, -2.0 / 7) * plain[a][b], hs0.get(a, b), tol, "scott unweighted");
                assertEquals(Math.pow(150 * 5 / 4.0, -2.0 / 7) * plain[a][b], hv0.get(a, b), tol, "silverman unweighted");
            }
        }
        // the builder's rules give the same H (unweighted), the default being Scott's
        Matrix def = KernelDensity.builder(Profile.GAUSSIAN).build().fit(x).bandwidth();
        Matrix sil = KernelDensity.builder(Profile.GAUSSIAN).bandwidth(KernelDensity.BandwidthRule.SILVERMAN).build()
                .fit(x).bandwidth();
        assertTrue(def.maxAbsDifference(hs0) <= 1e-12, "default rule is Scott's");
        assertTrue(sil.maxAbsDifference(hv0) <= 1e-12, "Silverman's rule");
        assertThrows(Kernels4jException.class, () -> KernelDensity.scott(x.rowRange(0, 1), null));
        KernelDensity.scott(x.rowRange(0, 2), null); // two points are enough
    }

    @Test
    void builderBandwidthsAndValidation() {
        Matrix x = TestData.gaussian(40, 2, 1.0, 13);
        Matrix h = KernelDensity.builder(Profile.EPANECHNIKOV).bandwidth(0.7).build().fit(x).bandwidth();
        assertTrue(h.maxAbsDifference(Matrix.of(new double[][] {{0.49, 0}, {0, 0.49}})) <= 1e-15, "H = h²I");
        Matrix full = Matrix.of(new double[][] {{2, 0.5}, {0.5, 1}});
        KernelDensity f = KernelDensity.builder(Profile.TOPHAT).bandwidth(full).build().fit(x);
        assertTrue(f.bandwidth().maxAbsDifference(full) <= 1e-15, "H as given");
        assertEquals(Profile.TOPHAT, f.profile());
        // a later rule replaces an earlier fixed bandwidth
        Matrix ruled = KernelDensity.builder(Profile.GAUSSIAN).bandwidth(0.7)
                .bandwidth(KernelDensity.BandwidthRule.SCOTT).build().fit(x).bandwidth();
        assertTrue(ruled.maxAbsDifference(KernelDensity.scott(x, null)) <= 1e-12);
        Matrix scalarAfterMatrix = KernelDensity.builder(Profile.GAUSSIAN).bandwidth(full).bandwidth(0.5).build()
                .fit(x).bandwidth();
        assertEquals(0.25, scalarAfterMatrix.get(1, 1), 1e-15);
        assertEquals(0.0, scalarAfterMatrix.get(0, 1));
        assertThrows(Kernels4jException.class, () -> KernelDensity.builder(null));
        assertThrows(Kernels4jException.class, () -> KernelDensity.builder(Profile.GAUSSIAN).bandwidth(0.0).build());
        assertThrows(Kernels4jException.class, () -> KernelDensity.builder(Profile.GAUSSIAN).bandwidth(-1.0).build());
        assertThrows(Kernels4jException.class,
                () -> KernelDensity.builder(Profile.GAUSSIAN).bandwidth(Double.POSITIVE_INFINITY).build());
        KernelDensity.scalar(Double.MIN_VALUE, 1); // the smallest positive h is legal
    }

    @Test
    void inputValidation() {
        Matrix x = TestData.gaussian(5, 2, 1.0, 14);
        Matrix h = KernelDensity.scalar(1, 2);
        assertThrows(Kernels4jException.class, () -> KernelDensity.fit(Profile.GAUSSIAN, new Matrix(0, 2), null, h));
        assertThrows(Kernels4jException.class, () -> KernelDensity.fit(Profile.GAUSSIAN, new Matrix(3, 0), null,
                new Matrix(0, 0)));
        assertThrows(Kernels4jException.class, () -> KernelDensity.fit(Profile.GAUSSIAN, x, new double[4], h));
        for (double bad : new double[] {-1e-300, Double.NaN, Double.POSITIVE_INFINITY}) {
            double[] w = {1, 1, bad, 1, 1};
            assertThrows(Kernels4jException.class, () -> KernelDensity.fit(Profile.GAUSSIAN, x, w, h), "weight " + bad);
        }
        KernelDensity.fit(Profile.GAUSSIAN, x, new double[] {0, 0, 0, 0, 1e-300}, h); // one tiny positive weight
        assertThrows(Kernels4jException.class, () -> KernelDensity.fit(Profile.GAUSSIAN, x, null, KernelDensity.scalar(1, 3)));
        assertThrows(Kernels4jException.class, () -> KernelDensity.fit(Profile.GAUSSIAN, x, null, new Matrix(2, 3)));
        Matrix nan = Matrix.of(new double[][] {{1, Double.NaN}, {0, 1}});
        assertThrows(Kernels4jException.class, () -> KernelDensity.fit(Profile.GAUSSIAN, x, null, nan));
        KernelDensity f = KernelDensity.fit(Profile.GAUSSIAN, x, null, h);
        assertThrows(Kernels4jException.class, () -> f.logDensity(Matrix.of(new double[][] {{0, Double.NaN}})));
        assertThrows(Kernels4jException.class, () -> f.logDensity(new Matrix(1, 2), -1e-300));
        assertThrows(Kernels4jException.class, () -> f.logDensity(new Matrix(1, 2), Double.POSITIVE_INFINITY));
        assertThrows(Kernels4jException.class, () -> f.logDensity(new Matrix(1, 2), Double.NaN));
        assertThrows(Kernels4jException.class, () -> f.sample(-1, 1));
        assertEquals(0, f.sample(0, 1).rows());
        assertThrows(Kernels4jException.class, () -> KernelDensity.leaveOneOut(Profile.GAUSSIAN, x, null, new double[] {1, 0}));
        // rtol = 0 asks for the exact path
        KernelDensity.Approximate a = f.logDensity(x, 0.0);
        assertEquals("exact", a.method());
        assertEquals(0.0, a.achieved());
        double[] exact = f.logDensity(x);
        for (int j = 0; j < 5; j++) {
            assertEquals(exact[j], a.logDensity()[j], 0.0);
        }
        // accessors are copies
        f.weights()[0] = 99;
        f.points().set(0, 0, 99);
        assertEquals(1.0, f.weights()[0]);
        assertEquals(x.get(0, 0), f.points().get(0, 0));
        assertEquals(2, f.features());
        assertEquals("KernelDensity(gaussian, n=5, d=2)", f.toString());
        assertEquals("gaussian", f.report().text("profile"));
        assertEquals(5, f.report().number("points"), 0.0);
    }

    /** The two profiles that are library kernels: k(x, y) = profile(‖x − y‖/h). */
    @Test
    void profilesAsKernels() {
        double[] a = {0.3, -1.2};
        double[] b = {1.1, 0.4};
        double r = Math.hypot(0.8, 1.6);
        double h = 0.7;
        assertEquals(Math.exp(-r * r / (2 * h * h)), Profile.GAUSSIAN.kernel(h).orElseThrow().value(a, b), 1e-15);
        assertEquals(Math.exp(-r / h), Profile.EXPONENTIAL.kernel(h).orElseThrow().value(a, b), 1e-15);
        for (Profile p : new Profile[] {Profile.TOPHAT, Profile.EPANECHNIKOV, Profile.LINEAR, Profile.COSINE}) {
            assertTrue(p.kernel(h).isEmpty(), p.name());
        }
        assertEquals(Profile.COSINE, Profile.parse(" Cosine "));
    }

    /**
     * At the training points themselves (the case where ‖x‖² + ‖z‖² − 2x·z cancels completely) the exact
     * path equals the defining double loop to 1e-12 relative for every profile, with a full H. Before
     * near distances were recomputed, the exponential profile was ~1e-9 off here.
     */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void exactDensityAtTheTrainingPointsMatchesTheDoubleLoop(Profile p) {
        Matrix x = TestData.gaussian(300, 2, 1.0, 15);
        for (int i = 0; i < 300; i++) {
            x.set(i, 0, x.get(i, 0) + 5); // away from the origin: larger norms, more cancellation
        }
        double[][] l = {{0.5, 0}, {0.2, 0.4}}; // H = LLᵀ
        Matrix hm = Matrix.of(new double[][] {{0.25, 0.1}, {0.1, 0.2}});
        KernelDensity f = KernelDensity.fit(p, x, null, hm);
        double[] got = f.logDensity(x);
        double det = Math.pow(l[0][0] * l[1][1], 2);
        double c2 = switch (p) { // 2π∫k(r)r dr
            case GAUSSIAN -> 2 * Math.PI;
            case TOPHAT -> Math.PI;
            case EPANECHNIKOV -> Math.PI / 2;
            case EXPONENTIAL -> 2 * Math.PI;
            case LINEAR -> Math.PI / 3;
            default -> 2 * Math.PI * cosineRadial(2);
        };
        for (int j = 0; j < 300; j++) {
            double s = 0;
            for (int i = 0; i < 300; i++) {
                double d0 = x.get(j, 0) - x.get(i, 0);
                double d1 = x.get(j, 1) - x.get(i, 1);
                double u0 = d0 / l[0][0];
                double u1 = (d1 - l[1][0] * u0) / l[1][1];
                s += k(p, Math.sqrt(u0 * u0 + u1 * u1));
            }
            double expected = Math.log(s / (300 * Math.sqrt(det) * c2));
            // 1e-12: 300 terms summed in another order, a few ulps each; the old cancellation error was 1e-9
            assertEquals(expected, got[j], 1e-12 * Math.max(1, Math.abs(expected)), p + " point " + j);
        }
    }

    /** Leave-one-out for every profile (the existing test covers two), with a zero-weight point. */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void leaveOneOutMatchesExplicitRefitsForEveryProfile(Profile p) {
        int n = 60;
        Matrix x = TestData.gaussian(n, 2, 1.0, 16);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = i == 7 ? 0 : 0.5 + (i % 3);
        }
        double[] hs = {0.8, 1.7};
        double[] loo = KernelDensity.leaveOneOut(p, x, w, hs);
        for (int b = 0; b < hs.length; b++) {
            double expected = 0;
            for (int i = 0; i < n; i++) {
                if (w[i] == 0) {
                    continue; // contributes w_i·log f = 0
                }
                double s = 0;
                double rest = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        double r = Math.hypot(x.get(i, 0) - x.get(j, 0), x.get(i, 1) - x.get(j, 1)) / hs[b];
                        s += w[j] * k(p, r);
                        rest += w[j];
                    }
                }
                double c2 = Math.exp(p.logNormalizer(2)); // checked against closed forms above
                expected += w[i] * Math.log(s / (rest * hs[b] * hs[b] * c2));
            }
            if (Double.isInfinite(expected)) {
                assertEquals(expected, loo[b], p + " h=" + hs[b]);
            } else {
                // 1e-11 relative: sums of 60 terms in another order
                assertEquals(expected, loo[b], 1e-11 * Math.abs(expected), p + " h=" + hs[b]);
            }
        }
        // a compact kernel far narrower than the spacing leaves points without neighbours: −∞
        if (p != Profile.GAUSSIAN && p != Profile.EXPONENTIAL) {
            assertEquals(Double.NEGATIVE_INFINITY, KernelDensity.leaveOneOut(p, x, w, new double[] {1e-6})[0]);
        }
        // one point with weight: the others are left with no weight and no density
        Matrix two = Matrix.of(new double[][] {{0, 0}, {0.1, 0}});
        assertEquals(Double.NEGATIVE_INFINITY, KernelDensity.leaveOneOut(p, two, new double[] {1, 0}, new double[] {1})[0]);
    }

    /** E‖u‖² of the standardized draw for the normalized profile in d dimensions, from its radial law ∝ k(r)r^(d−1). */
    private static double secondMoment(Profile p, int d) {
        switch (p) {
            case GAUSSIAN:
                return d;
            case TOPHAT:
                return d / (d + 2.0);
            case EPANECHNIKOV:
                return d / (d + 4.0);
            case EXPONENTIAL:
                return d * (d + 1.0); // r ~ Gamma(d, 1)
            case LINEAR:
                return d * (d + 1.0) / ((d + 2.0) * (d + 3.0));
            default:
                return cosineRadial(d + 2) / cosineRadial(d);
        }
    }

    /**
     * Draws around one point at the origin with H = h²I in 2 and 3 dimensions: the mean of ‖s‖²/h² is the
     * closed-form E‖u‖² within 5 standard errors (estimated from the draws); the mean of each coordinate is 0
     * within 5 standard errors (the direction is uniform). Zero-weight points are never drawn around.
     */
    @ParameterizedTest
    @EnumSource(Profile.class)
    void samplerFollowsTheRadialLawInHigherDimensions(Profile p) {
        for (int d : new int[] {2, 3}) {
            double h = 0.5;
            Matrix centre = new Matrix(2, d);
            centre.set(1, 0, 1e6); // weight 0: must never be the centre of a draw
            KernelDensity f = KernelDensity.fit(p, centre, new double[] {1, 0}, KernelDensity.scalar(h, d));
            int count = 20000;
            Matrix s = f.sample(count, 40 + d);
            double m1 = 0;
            double m2 = 0;
            double[] coord = new double[d];
            for (int i = 0; i < count; i++) {
                double r2 = 0;
                for (int a = 0; a < d; a++) {
                    double v = s.get(i, a) / h;
                    r2 += v * v;
                    coord[a] += v / count;
                }
                m1 += r2 / count;
                m2 += r2 * r2 / count;
            }
            double se = Math.sqrt((m2 - m1 * m1) / count);
            assertEquals(secondMoment(p, d), m1, 5 * se, p + " d=" + d);
            double coordSe = Math.sqrt(secondMoment(p, d) / d / count);
            for (int a = 0; a < d; a++) {
                assertEquals(0.0, coord[a], 5 * coordSe, p + " d=" + d + " coordinate " + a);
            }
        }
    }

    /** The sampler picks centre i with probability w_i/W (four centres far apart, 5σ binomial bounds). */
    @Test
    void samplerPicksCentresByWeight() {
        Matrix c = Matrix.of(new double[][] {{0}, {100}, {200}, {300}});
        double[] w = {1, 0, 3, 4};
        KernelDensity f = KernelDensity.fit(Profile.TOPHAT, c, w, KernelDensity.scalar(1, 1));
        int count = 16000;
        Matrix s = f.sample(count, 5);
        int[] hits = new int[4];
        for (int i = 0; i < count; i++) {
            int nearest = (int) Math.round(s.get(i, 0) / 100);
            assertTrue(Math.abs(s.get(i, 0) - 100 * nearest) < 1, "within the tophat's support");
            hits[nearest]++;
        }
        assertEquals(0, hits[1]);
        for (int i : new int[] {0, 2, 3}) {
            double pr = w[i] / 8;
            assertEquals(pr * count, hits[i], 5 * Math.sqrt(count * pr * (1 - pr)), "centre " + i);
        }
    }

    /** The tree mode outside a compact kernel's reach of every point answers −∞, exactly. */
    @Test
    void treeModeOutsideEverySupportIsMinusInfinity() {
        Matrix x = TestData.gaussian(200, 2, 1.0, 17);
        for (Profile p : new Profile[] {Profile.TOPHAT, Profile.EPANECHNIKOV, Profile.LINEAR, Profile.COSINE}) {
            KernelDensity f = KernelDensity.fit(p, x, null, KernelDensity.scalar(0.3, 2));
            KernelDensity.Approximate a = f.logDensity(Matrix.of(new double[][] {{50, 50}, {0, 0}}), 1e-6);
            assertEquals("tree", a.method());
            assertEquals(Double.NEGATIVE_INFINITY, a.logDensity()[0], p.name());
            assertEquals(f.logDensity(Matrix.of(new double[][] {{0, 0}}))[0], a.logDensity()[1], 1e-6, p.name());
        }
    }

    /**
     * regime() on four 1-D points (one of weight 0, which is a sample point but never a term) with h = 1.25,
     * against its documented definition worked here: σ² the variance over the other points i (w_i &gt; 0) of
     * log k(|x − x_i|/h), averaged over the sample points; the participation (Σ w_i k_i)²/Σ (w_i k_i)², its
     * median the middle of the sorted values; α = ln n/d; the kind by the thresholds (ln n)/2 and 2 ln n.
     */
    @Test
    void regimeOfAFewPointsMatchesItsDefinition() {
        double[] xs = {0, 1, 3, 2};
        double[] w = {1, 2, 0.5, 0};
        double h = 1.25;
        Matrix x = new Matrix(4, 1);
        for (int i = 0; i < 4; i++) {
            x.set(i, 0, xs[i]);
        }
        KernelDensity.Regime r = KernelDensity.fit(Profile.GAUSSIAN, x, w, KernelDensity.scalar(h, 1)).regime();
        double meanVar = 0;
        double[] part = new double[4];
        for (int q = 0; q < 4; q++) {
            double m = 0;
            double sq = 0;
            int c = 0;
            double s1 = 0;
            double s2 = 0;
            for (int i = 0; i < 4; i++) {
                if (i == q || w[i] == 0) {
                    continue;
                }
                double u = (xs[q] - xs[i]) / h;
                double lk = -u * u / 2;
                m += lk;
                sq += lk * lk;
                c++;
                s1 += w[i] * Math.exp(lk);
                s2 += Math.pow(w[i] * Math.exp(lk), 2);
            }
            m /= c;
            meanVar += (sq / c - m * m) / 4;
            part[q] = s1 * s1 / s2;
        }
        java.util.Arrays.sort(part);
        assertEquals(meanVar, r.logTermVariance(), 1e-12 * meanVar);
        assertEquals(part[2], r.participation(), 1e-12 * part[2]);
        assertEquals(Math.log(4), r.alpha(), 1e-15);
        double ln = Math.log(4);
        KernelDensity.RegimeKind kind = meanVar < ln / 2 ? KernelDensity.RegimeKind.CENTRAL_LIMIT
                : meanVar < 2 * ln ? KernelDensity.RegimeKind.HEAVY_TAILED : KernelDensity.RegimeKind.EXTREME_VALUE;
        assertEquals(kind, r.kind());
        assertTrue(r.dominatedByFewPoints());
        // a compact kernel that leaves a term at zero: σ² = +∞
        KernelDensity.Regime top = KernelDensity.fit(Profile.TOPHAT, x, w, KernelDensity.scalar(1.5, 1)).regime();
        assertEquals(Double.POSITIVE_INFINITY, top.logTermVariance());
        assertEquals(KernelDensity.RegimeKind.EXTREME_VALUE, top.kind());
        // wide compact support: every term is 1 (tophat), σ² = 0, participation (Σw)²/Σw² without the point itself
        KernelDensity.Regime flat = KernelDensity.fit(Profile.TOPHAT, x, w, KernelDensity.scalar(10, 1)).regime();
        assertEquals(0.0, flat.logTermVariance(), 1e-15);
        assertEquals(KernelDensity.RegimeKind.CENTRAL_LIMIT, flat.kind());
        // participations: without point 0 (2, 0.5): 2.5²/4.25; without 1: 1.5²/1.25; without 2: 9/5; point 3: 3.5²/5.25
        double[] flatPart = {6.25 / 4.25, 2.25 / 1.25, 9.0 / 5, 12.25 / 5.25};
        java.util.Arrays.sort(flatPart);
        assertEquals(flatPart[2], flat.participation(), 1e-12);
    }
}
