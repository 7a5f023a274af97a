package org.kernels4j.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.privacy.PrivateDistanceSum.Norm;

/**
 * Exact values of the documented sensitivities, grids, noise scales and noise standard deviations,
 * computed here from the class notes' formulas (not from the code's expressions), the scale each noise
 * draw is actually asked for (through the package-private {@link NoiseSource} seam), the noise-free
 * answers against a brute-force reading of the class notes, and the argument-range boundaries.
 */
class PrivacyFormulasTest {

    /** Records every draw's (t, s) and returns no noise. */
    private static final class Recording implements NoiseSource {
        final List<long[]> calls = new ArrayList<>();

        @Override
        public long discreteLaplace(long t, long s) {
            calls.add(new long[] {t, s});
            return 0;
        }
    }

    /** The largest power of two ≤ v, from the bits of v (independent of Math.getExponent/scalb). */
    private static double powerOfTwoAtMost(double v) {
        double p = 1;
        while (p > v) {
            p /= 2;
        }
        while (p * 2 <= v) {
            p *= 2;
        }
        return p;
    }

    /**
     * Kernel sum with s = k(x, x) = 3 (a scaled rbf), m = 32, n = 200, ε = 0.7:
     * Δ = 2√2·√(s/m)·m/n (times 1 + 2^-40), γ = largest power of two ≤ Δ/(2m·2^10),
     * Δ′ = (nΔ + 2mγ)/n + 2mγ, laplace scale Δ′/ε, noise sd of a mean √(2s)·Δ′/ε; every one of the 2m
     * draws is asked for the scale Δ′/(εγ) grid steps, rounded up by less than 2^-29.
     */
    @Test
    void kernelSumSensitivityGridAndNoiseScaleAreTheDocumentedValues() {
        Kernel k = KernelSpec.parse("3 * rbf(gamma=0.5)");
        Matrix x = TestData.gaussian(200, 2, 1.0, 21);
        int m = 32;
        double s = 3;
        double eps = 0.7;
        Recording noise = new Recording();
        PrivateKernelSum p = PrivateKernelSum.release(k, x, 2 * m, eps, 9, noise);
        double delta = 2 * Math.sqrt(2) * Math.sqrt(s / m) * m * (1 + 0x1p-40) / 200;
        double gamma = powerOfTwoAtMost(delta / (2 * m) / 1024);
        double adjusted = (200 * delta + 2 * m * gamma) / 200 + 2 * m * gamma;
        assertEquals(gamma, p.granularity(), 0.0);
        // 1e-14 relative: the code rounds Δ′ up by two ulps; a 1 % error in any term is far larger
        assertEquals(adjusted, p.sensitivity(), 1e-14 * adjusted);
        assertTrue(p.sensitivity() >= adjusted, "rounded up, never down");
        assertEquals(adjusted / eps, p.noiseScale(), 1e-14 * adjusted / eps);
        assertEquals(Math.sqrt(2 * s) * adjusted / eps, p.noiseStandardDeviation(), 1e-14 * adjusted / eps * 3);
        assertEquals(2 * m, noise.calls.size(), "one draw per released coordinate");
        for (long[] ts : noise.calls) {
            double tau = (double) ts[0] / ts[1];
            double wanted = p.sensitivity() / (eps * gamma);
            assertTrue(tau >= wanted && tau <= wanted * (1 + 0x1p-29), "scale " + tau + " for " + wanted);
        }
        assertEquals(eps, p.epsilon());
        assertEquals(200, p.size());
        assertEquals(2, p.features());
        assertEquals(PrivateKernelSum.MECHANISM, p.mechanism());
        assertEquals(eps, p.report().number("epsilon"));
        assertEquals(2 * m, p.report().number("noisy_values"), 0.0);
        assertEquals(200, p.report().number("n"), 0.0);
        assertEquals(p.sensitivity(), p.report().number("sensitivity_l1"), 0.0);
        assertEquals(p.noiseScale(), p.report().number("laplace_scale"), 0.0);
        assertEquals(gamma, p.report().number("granularity"), 0.0);
        // noise-free: the released mean is the snapped feature mean, within γ per coordinate of the plain mean
        double[] mean = p.noisyMean();
        Matrix w = p.frequencies();
        for (int j = 0; j < m; j++) {
            double c = 0;
            double sn = 0;
            for (int i = 0; i < 200; i++) {
                double t = w.get(j, 0) * x.get(i, 0) + w.get(j, 1) * x.get(i, 1);
                c += Math.sqrt(s / m) * Math.cos(t) / 200;
                sn += Math.sqrt(s / m) * Math.sin(t) / 200;
            }
            // snapping each row moves the sum by at most γ/2 per row, the mean by γ/2; rounding S/n by γ/2 more
            assertEquals(c, mean[j], gamma * (1 + 1e-9), "cos coordinate " + j);
            assertEquals(sn, mean[m + j], gamma * (1 + 1e-9), "sin coordinate " + j);
        }
        // more queries than one 4096-row chunk: each answer as if asked alone
        Matrix many = TestData.gaussian(4100, 2, 1.0, 31);
        double[] all = p.means(many);
        for (int i : new int[] {0, 4095, 4096, 4099}) {
            assertEquals(p.means(many.rowRange(i, i + 1))[0], all[i], 1e-15, "query " + i);
        }
        // answers: mean(y) = φ(y)ᵀμ̃ (computed here), sum = n·mean
        Matrix q = TestData.gaussian(3, 2, 1.0, 22);
        double[] means = p.means(q);
        double[] sums = p.sums(q);
        for (int i = 0; i < 3; i++) {
            double v = 0;
            for (int j = 0; j < m; j++) {
                double t = w.get(j, 0) * q.get(i, 0) + w.get(j, 1) * q.get(i, 1);
                v += Math.sqrt(s / m) * (Math.cos(t) * mean[j] + Math.sin(t) * mean[m + j]);
            }
            assertEquals(v, means[i], 1e-13);
            assertEquals(200 * v, sums[i], 200e-13);
            assertEquals(means[i], p.predict(q).get(i, 0), 0.0);
        }
    }

    /**
     * Replaces the old "no training row" check, which compared bit patterns and so would pass a release
     * with no noise at all. The noise is measured instead: with D = 256 coordinates, the released values
     * minus the noise-free ones (the same release with Z = 0 through the seam) are γ·Z with Z a discrete
     * Laplace of scale b = Δ′/ε (in value units). For Laplace(b), |Z| is Exp(1/b): mean b, sd b, so the mean
     * of 256 absolute deviations lies in [0.5b, 1.5b] except with probability below 1e-12 (Gamma(256)
     * tails: 8 standard deviations); and P(|Z| &lt; b/100) = 1 − e^(−0.01) &lt; 1 %, so at most 16 of 256
     * coordinates fall that close (binomial mean 2.6, 16 is 8 sd above). The same check must fail on a
     * noise-free release and on one with a tenth of the noise.
     */
    @Test
    void releasedValuesCarryTheDeclaredNoise() {
        Matrix x = TestData.gaussian(50, 2, 1.0, 4);
        Kernel k = KernelSpec.parse("laplacian(gamma=1)");
        PrivateKernelSum truth = PrivateKernelSum.release(k, x, 256, 1.0, 1, TestNoise.none());
        PrivateKernelSum p = PrivateKernelSum.release(k, x, 256, 1.0, 1, TestNoise.seeded(2));
        assertNoised(p, truth);
        PrivateKernelSum quiet = PrivateKernelSum.release(k, x, 256, 1.0, 1, TestNoise.none());
        assertThrows(AssertionError.class, () -> assertNoised(quiet, truth), "a release without noise is caught");
        NoiseSource base = TestNoise.seeded(3);
        PrivateKernelSum weak = PrivateKernelSum.release(k, x, 256, 1.0, 1, (t, s) -> base.discreteLaplace(t, 10 * s));
        assertThrows(AssertionError.class, () -> assertNoised(weak, truth), "a tenth of the noise is caught");
        // and no released or public value is a training value
        java.util.Set<Long> training = new java.util.HashSet<>();
        for (double v : x.data()) {
            training.add(Double.doubleToLongBits(v));
        }
        for (double v : p.noisyMean()) {
            assertTrue(!training.contains(Double.doubleToLongBits(v)));
        }
        for (double v : p.frequencies().data()) {
            assertTrue(!training.contains(Double.doubleToLongBits(v)));
        }
        // a rebuilt structure answers the same
        PrivateKernelSum back = PrivateKernelSum.of("laplacian(gamma=1)", p.frequencies(), p.noisyMean(), 50, 1.0,
                p.sensitivity(), p.granularity(), p.mechanism());
        Matrix q = TestData.gaussian(3, 2, 1.0, 5);
        assertEquals(0.0, Matrix.column(back.sums(q)).maxAbsDifference(Matrix.column(p.sums(q))), 1e-12);
        assertEquals(p.noiseStandardDeviation(), back.noiseStandardDeviation(), 0.0);
    }

    private static void assertNoised(PrivateKernelSum p, PrivateKernelSum noiseFree) {
        double b = p.noiseScale();
        double[] r = p.noisyMean();
        double[] a = noiseFree.noisyMean();
        double meanAbs = 0;
        int close = 0;
        for (int j = 0; j < r.length; j++) {
            double dev = Math.abs(r[j] - a[j]);
            meanAbs += dev / r.length;
            close += dev < b / 100 ? 1 : 0;
        }
        assertTrue(meanAbs >= 0.5 * b && meanAbs <= 1.5 * b, "mean |noise| " + meanAbs + " for scale " + b);
        assertTrue(close <= 16, close + " of " + r.length + " values within b/100 of the noise-free ones");
    }

    /**
     * Distance sum, ℓ1, d = 3, L = 5, range [−1.3, 2.1] (R = 3.4, not on the grid), ε = 0.8: Δ_c = 2d(L + 1) = 36,
     * γ_c = 2^-10, b_c = 36/(ε/2) = 90; γ_s = largest power of two ≤ R/2^10 = 2^-9, R̂ = round(R/γ_s)·γ_s = 1741/512,
     * Δ′_s = 36·R̂, b_s = Δ′_s/(ε/2); 2·3·(2^6 − 1) noisy values; noise sd of an answer
     * √(Σ_j (L + 1)(8u_j²b_c² + 8b_s²) + 2b_s²) with u_j = q_j − lo.
     */
    @Test
    void distanceSumSensitivitiesGridsAndScalesAreTheDocumentedValues() {
        Matrix x = TestData.gaussian(80, 3, 1.0, 23);
        double eps = 0.8;
        Recording noise = new Recording();
        PrivateDistanceSum p = PrivateDistanceSum.release(Norm.L1, x, -1.3, 2.1, 5, 0, eps, 0, noise);
        double rHat = 1741.0 / 512;
        assertEquals(0x1p-10, p.countGranularity(), 0.0);
        assertEquals(0x1p-9, p.sumGranularity(), 0.0);
        assertEquals(36, p.countSensitivity(), 1e-13);
        assertEquals(36 * rHat, p.sumSensitivity(), 1e-13 * 36 * rHat);
        assertEquals(90, p.countNoiseScale(), 1e-13);
        assertEquals(36 * rHat / 0.4, p.sumNoiseScale(), 1e-13 * 36 * rHat / 0.4);
        assertEquals(2L * 3 * 63, p.noisyValues());
        assertEquals(3 * 2 * 64, noise.calls.size(), "a draw per node and tree (node 0 included, then cleared)");
        int countDraws = 0;
        int sumDraws = 0;
        for (long[] ts : noise.calls) {
            double tau = (double) ts[0] / ts[1];
            double countSteps = 90 / 0x1p-10;
            double sumSteps = 36 * rHat / 0.4 / 0x1p-9;
            if (tau >= countSteps && tau <= countSteps * (1 + 0x1p-29)) {
                countDraws++;
            } else if (tau >= sumSteps && tau <= sumSteps * (1 + 0x1p-29)) {
                sumDraws++;
            }
        }
        assertEquals(192, countDraws);
        assertEquals(192, sumDraws);
        double[] q = {0.4, -2.0, 3.0}; // inside, below and above the range
        double var = 0;
        for (double v : q) {
            double u = v + 1.3;
            var += 6 * (8 * u * u * 90 * 90 + 8 * p.sumNoiseScale() * p.sumNoiseScale())
                    + 2 * p.sumNoiseScale() * p.sumNoiseScale();
        }
        assertEquals(Math.sqrt(var), p.noiseStandardDeviation(q), 1e-12 * Math.sqrt(var));
        assertEquals(36, p.report().number("count_sensitivity_l1"), 1e-13);
        assertEquals(p.sumSensitivity(), p.report().number("sum_sensitivity_l1"), 0.0);
        assertEquals(378, p.report().number("noisy_values"), 0.0);
        assertEquals(5, p.report().number("levels"), 0.0);
        assertEquals(80, p.report().number("n"), 0.0);
        assertEquals(-1.3, p.range()[0]);
        assertEquals(2.1, p.range()[1]);
        assertEquals(5, p.levels());
        assertEquals(80, p.size());
        assertEquals(eps, p.epsilon());
        assertEquals(Norm.L1, p.norm());
        assertEquals(3, p.features());
        assertEquals(null, p.projection());
        assertEquals(PrivateDistanceSum.MECHANISM, p.mechanism());
    }

    /**
     * Noise-free ℓ1 answers against a brute-force reading of the class notes: each coordinate clipped into
     * [lo, hi], snapped to γ_s; a point counts as below the query when its cell (of 2^L) is at most the
     * query's, then contributes u − x̂, else x̂ − u (u = q − lo unclipped). Equal to rounding (1e-9 relative).
     */
    @Test
    void noiseFreeDistanceSumsFollowTheTreeReading() {
        Matrix x = TestData.gaussian(120, 2, 1.2, 24);
        double lo = -2.5;
        double hi = 1.7; // some points are clipped at both ends
        int levels = 4;
        PrivateDistanceSum p = PrivateDistanceSum.release(Norm.L1, x, lo, hi, levels, 0, 1.0, 0, TestNoise.none());
        double range = hi - lo;
        double gs = p.sumGranularity();
        int cells = 1 << levels;
        Matrix q = Matrix.of(new double[][] {{0.1, -0.3}, {-3, 2}, {1.69, -2.49}, {lo + range / 4, lo + range / 2}});
        double[] got = p.sums(q);
        for (int i = 0; i < q.rows(); i++) {
            double expected = 0;
            for (int j = 0; j < 2; j++) {
                double u = q.get(i, j) - lo;
                int qc = Math.min(cells - 1, (int) Math.floor(Math.min(range, Math.max(0, u)) / range * cells));
                for (int r = 0; r < 120; r++) {
                    double v = Math.min(range, Math.max(0, x.get(r, j) - lo));
                    double snapped = Math.min(Math.rint(range / gs) * gs, Math.rint(v / gs) * gs);
                    int c = Math.min(cells - 1, (int) Math.floor(v / range * cells));
                    expected += c <= qc ? u - snapped : snapped - u;
                }
            }
            assertEquals(expected, got[i], 1e-9 * Math.abs(expected), "query " + i);
        }
    }

    /** ℓ2: the noise sd is √(π/2)/k times the ℓ1 sd over the projected query. */
    @Test
    void l2NoiseStandardDeviationUsesTheProjection() {
        Matrix x = TestData.gaussian(30, 2, 1.0, 25);
        PrivateDistanceSum p = PrivateDistanceSum.release(Norm.L2, x, -6, 6, 3, 4, 2.0, 5, TestNoise.none());
        Matrix g = p.projection();
        assertEquals(4, g.rows());
        double[] q = {0.5, -1};
        double var = 0;
        double bc = 2.0 * 4 * 4 / 1.0;
        double bs = p.sumNoiseScale();
        assertEquals(bc, p.countNoiseScale(), 1e-12);
        assertEquals(2.0 * 4 * 4 * 12 / 1.0, bs, 1e-12); // R = 12 is on the grid: R̂ = R
        for (int j = 0; j < 4; j++) {
            double u = g.get(j, 0) * q[0] + g.get(j, 1) * q[1] + 6;
            var += 4 * (8 * u * u * bc * bc + 8 * bs * bs) + 2 * bs * bs;
        }
        double expected = Math.sqrt(Math.PI / 2) / 4 * Math.sqrt(var);
        assertEquals(expected, p.noiseStandardDeviation(q), 1e-12 * expected);
        assertEquals(2, p.features());
        assertEquals(Norm.L2, p.norm());
    }

    @Test
    void gridBoundaries() {
        // powers of two are their own largest power of two; just below drops to the next one down
        assertEquals(8.0, GridLaplace.powerOfTwoAtMost(8.0));
        assertEquals(4.0, GridLaplace.powerOfTwoAtMost(Math.nextDown(8.0)));
        assertEquals(Double.MIN_NORMAL, GridLaplace.powerOfTwoAtMost(Double.MIN_NORMAL));
        assertThrows(Kernels4jException.class, () -> GridLaplace.powerOfTwoAtMost(Math.nextDown(Double.MIN_NORMAL)));
        assertThrows(Kernels4jException.class, () -> GridLaplace.powerOfTwoAtMost(Double.POSITIVE_INFINITY));
        assertThrows(Kernels4jException.class, () -> GridLaplace.powerOfTwoAtMost(Double.NaN));
        assertEquals(0x1p1023, GridLaplace.powerOfTwoAtMost(Double.MAX_VALUE));
        assertEquals(0x1p-10, GridLaplace.granularity(3, 3)); // 1/1024 exactly
        assertEquals(0x1p-11, GridLaplace.granularity(Math.nextDown(3.0), 3));
        // scale: exact when τ is a power of two, rounded up otherwise: by < 2^-29 relative for τ ≥ 1
        // (t/s with at least 53 significant bits), by at most 2^-30 absolute below 1 (p = 30; the class notes'
        // "relative excess below 2^-29" holds only from τ = 1/2 on, which every real release meets: τ ≥ 2^10)
        for (double[] c : new double[][] {{4, 1, 0.5}, {3, 1, 1}, {1, 3, 1}, {5, 0.25, 0.125}, {1e6, 1e-3, 1}, {7, 1e-9, 1}}) {
            long[] ts = GridLaplace.scale(c[0], c[1], c[2]);
            double tau = c[0] / (c[1] * c[2]);
            double got = (double) ts[0] / ts[1];
            double slack = tau >= 1 ? tau * 0x1p-29 : 0x1p-30 * (1 + 1e-12);
            assertTrue(got >= tau && got - tau <= slack, got + " for " + tau);
            assertTrue(Long.bitCount(ts[1]) == 1 && ts[1] <= 1L << 30, "s a power of two <= 2^30");
            assertEquals(got * c[2], GridLaplace.noiseScale(c[0], c[1], c[2]), 0.0);
        }
        assertEquals(8.0, (double) GridLaplace.scale(4, 1, 0.5)[0] / GridLaplace.scale(4, 1, 0.5)[1], 0.0);
        assertEquals(1L << 30, GridLaplace.scale(1, 1, 1)[1]); // τ = 1: p = min(30, 54 − 1)
        assertEquals(1L << 54, GridLaplace.scale(0x1p54, 1, 1)[0]); // a 55-bit t is still legal (the sampler's 2^55)
        assertEquals(1L, GridLaplace.scale(0x1p54, 1, 1)[1]);
        long[] tiny = GridLaplace.scale(1, 1e300, 0x1p-10); // τ far below one step: t = 1
        assertEquals(1, tiny[0]);
        assertThrows(Kernels4jException.class, () -> GridLaplace.scale(1, 1e-300, 0x1p-30)); // over 2^55
        assertThrows(Kernels4jException.class, () -> GridLaplace.scale(1, Double.MIN_VALUE, 1)); // ε·γ subnormal
        assertEquals(1L << 30, GridLaplace.scale(Double.MIN_NORMAL, 1, Double.MIN_NORMAL)[0]); // ε·γ = MIN_NORMAL: legal, τ = 1
        // units: round half even of v/γ, refused from 2^62 on
        assertEquals(3, GridLaplace.units(0.75, 0.25));
        assertEquals(2, GridLaplace.units(0.625, 0.25)); // 2.5 → 2 (rint)
        assertEquals(-3, GridLaplace.units(-0.7, 0.25));
        assertThrows(Kernels4jException.class, () -> GridLaplace.units(0x1p62, 1));
        assertThrows(Kernels4jException.class, () -> GridLaplace.units(-0x1p62, 1));
        assertEquals((long) Math.nextDown(0x1p62), GridLaplace.units(Math.nextDown(0x1p62), 1));
        // roundDiv: halves up, floor-based for negatives
        assertEquals(3, GridLaplace.roundDiv(5, 2));
        assertEquals(-2, GridLaplace.roundDiv(-5, 2));
        assertEquals(2, GridLaplace.roundDiv(7, 3));
        assertEquals(3, GridLaplace.roundDiv(8, 3));
        assertEquals(-3, GridLaplace.roundDiv(-8, 3));
        assertEquals(4, GridLaplace.roundDiv(4, 1));
        // release: the exact integer range of the doubles is refused from 2^53 on
        NoiseSource plusOne = (t, s) -> 1;
        double[] ok = GridLaplace.release(new long[] {(1L << 53) - 2, -((1L << 53) - 2)}, 0.5, 1, 1, plusOne);
        assertEquals(0.5 * ((1L << 53) - 1), ok[0], 0.0);
        assertEquals(-0.5 * ((1L << 53) - 3), ok[1], 0.0);
        assertThrows(Kernels4jException.class, () -> GridLaplace.release(new long[] {(1L << 53) - 1}, 1, 1, 1, plusOne));
        NoiseSource minusOne = (t, s) -> -1;
        assertThrows(Kernels4jException.class, () -> GridLaplace.release(new long[] {-((1L << 53) - 1)}, 1, 1, 1, minusOne));
    }

    @Test
    void builderAndReleaseArgumentRanges() {
        Matrix x = TestData.gaussian(10, 2, 1.0, 26);
        // distance sum: levels 1..20, projections >= 1 for l2 only, lo < hi finite, ε > 0 finite
        PrivateDistanceSum.builder(Norm.L1).range(-1, 1).levels(1).build();
        PrivateDistanceSum.builder(Norm.L1).range(-1, 1).levels(20).build();
        PrivateDistanceSum.builder(Norm.L1).range(-1, 1).projections(0).build();
        PrivateDistanceSum.builder(Norm.L2).range(-1, 1).projections(1).build();
        PrivateDistanceSum.builder(Norm.L1).range(-1, 1).epsilon(Double.MIN_VALUE).build();
        for (java.util.function.UnaryOperator<PrivateDistanceSum.Builder> bad : List.<java.util.function.UnaryOperator<
                PrivateDistanceSum.Builder>>of(b -> b.levels(0), b -> b.levels(21), b -> b.range(1, 1),
                b -> b.range(1, 0), b -> b.range(Double.NEGATIVE_INFINITY, 0), b -> b.range(0, Double.POSITIVE_INFINITY),
                b -> b.range(Double.NaN, 1), b -> b.epsilon(0), b -> b.epsilon(Double.POSITIVE_INFINITY),
                b -> b.epsilon(Double.NaN))) {
            assertThrows(Kernels4jException.class, () -> bad.apply(PrivateDistanceSum.builder(Norm.L1).range(-1, 1)).build());
        }
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.builder(Norm.L1).build(), "no range given");
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.builder(Norm.L2).range(-1, 1).projections(0).build());
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.builder(null));
        // the built estimator releases with its options (noise seam: none)
        PrivateDistanceSum built = PrivateDistanceSum.builder(Norm.L2).range(-5, 5).levels(3).projections(2).epsilon(4)
                .projectionSeed(8).noise(TestNoise::none).build().fit(x);
        PrivateDistanceSum direct = PrivateDistanceSum.release(Norm.L2, x, -5, 5, 3, 2, 4, 8, TestNoise.none());
        assertEquals(0.0, built.trees()[1].maxAbsDifference(direct.trees()[1]));
        assertEquals(0.0, built.projection().maxAbsDifference(direct.projection()));
        assertEquals(4.0, built.epsilon());
        assertEquals(3, built.levels());
        // release itself checks the same ranges
        PrivateDistanceSum.release(Norm.L1, x, -1, 1, 1, 0, 1, 0, TestNoise.none());
        for (int lv : new int[] {0, 21}) {
            assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.release(Norm.L1, x, -1, 1, lv, 0, 1, 0,
                    TestNoise.none()));
        }
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.release(Norm.L1, x, 1, 1, 3, 0, 1, 0, TestNoise.none()));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.release(Norm.L1, x, -1, 1, 3, 0, 0, 0, TestNoise.none()));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.release(Norm.L1, x, -1, 1, 3, 0,
                Double.POSITIVE_INFINITY, 0, TestNoise.none()));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.release(Norm.L1, new Matrix(0, 2), -1, 1, 3, 0, 1, 0,
                TestNoise.none()));
        PrivateDistanceSum.release(Norm.L2, x, -1, 1, 2, 1, 1, 0, TestNoise.none());
        // the first check refuses, with its own message (not a later arithmetic failure)
        var msg = assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.release(Norm.L1, x, 1, 1, 3, 0, 1, 0,
                TestNoise.none()));
        assertTrue(msg.getMessage().contains("lo < hi"), msg.getMessage());
        msg = assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.release(Norm.L1, x, -1, 1, 3, 0, 0, 0,
                TestNoise.none()));
        assertTrue(msg.getMessage().contains("epsilon must be a positive finite number"), msg.getMessage());
        msg = assertThrows(Kernels4jException.class, () -> PrivateKernelSum.release(KernelSpec.parse("rbf(gamma=1)"), x, 4,
                0, 0, TestNoise.none()));
        assertTrue(msg.getMessage().contains("epsilon must be a positive finite number"), msg.getMessage());
        // the deepest legal tree, L = 20, is released and rebuilt (one coordinate: 2^21 nodes)
        PrivateDistanceSum deep = PrivateDistanceSum.release(Norm.L1, x.rowRange(0, 3).selectColumns(new int[] {0}), -4, 4,
                20, 0, 1, 0, TestNoise.none());
        assertEquals(20, deep.levels());
        PrivateDistanceSum.of(Norm.L1, null, -4, 4, 20, deep.trees()[0], deep.trees()[1], 3, 1, 1, 1);
        PrivateDistanceSum shallow = PrivateDistanceSum.release(Norm.L1, x, -4, 4, 1, 0, 1, 0, TestNoise.none());
        PrivateDistanceSum.of(Norm.L1, null, -4, 4, 1, shallow.trees()[0], shallow.trees()[1], 10, 1, 1, 1);
        // kernel sum: D even and >= 2, ε > 0 finite
        Kernel k = KernelSpec.parse("rbf(gamma=1)");
        PrivateKernelSum.builder(k).features(2).build();
        for (int f : new int[] {0, 1, 3, -2}) {
            assertThrows(Kernels4jException.class, () -> PrivateKernelSum.builder(k).features(f).build(), "D = " + f);
            assertThrows(Kernels4jException.class, () -> PrivateKernelSum.builder(k).features(f).buildClassifier());
            assertThrows(Kernels4jException.class, () -> PrivateKernelSum.release(k, x, f, 1, 0, TestNoise.none()));
        }
        for (double e : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(Kernels4jException.class, () -> PrivateKernelSum.builder(k).epsilon(e).build(), "eps " + e);
            assertThrows(Kernels4jException.class, () -> PrivateKernelSum.release(k, x, 4, e, 0, TestNoise.none()));
        }
        assertThrows(Kernels4jException.class, () -> PrivateKernelSum.builder(null));
        assertThrows(Kernels4jException.class, () -> PrivateKernelSum.release(k, new Matrix(0, 2), 4, 1, 0, TestNoise.none()));
        PrivateKernelSum two = PrivateKernelSum.release(k, x, 2, 1, 0, TestNoise.none());
        assertEquals(2, two.noisyMean().length);
        PrivateKernelSum viaBuilder = PrivateKernelSum.builder(k).features(6).epsilon(3).frequencySeed(4)
                .noise(TestNoise::none).build().fit(x);
        PrivateKernelSum same = PrivateKernelSum.release(k, x, 6, 3, 4, TestNoise.none());
        assertEquals(0.0, viaBuilder.frequencies().maxAbsDifference(same.frequencies()));
        assertEquals(0.0, Matrix.column(viaBuilder.noisyMean()).maxAbsDifference(Matrix.column(same.noisyMean())));
        assertEquals(3.0, viaBuilder.epsilon());
    }

    @Test
    void storedPartsAreValidated() {
        Matrix x = TestData.gaussian(20, 2, 1.0, 27);
        PrivateDistanceSum p = PrivateDistanceSum.release(Norm.L1, x, -3, 3, 2, 0, 1, 0, TestNoise.none());
        Matrix c = p.trees()[0];
        Matrix s = p.trees()[1];
        PrivateDistanceSum back = PrivateDistanceSum.of(Norm.L1, null, -3, 3, 2, c, s, 20, 1, p.countNoiseScale(),
                p.sumNoiseScale(), p.countGranularity(), p.sumGranularity(), p.mechanism());
        Matrix q = TestData.gaussian(3, 2, 1.0, 28);
        assertEquals(0.0, Matrix.column(back.sums(q)).maxAbsDifference(Matrix.column(p.sums(q))));
        PrivateDistanceSum legacy = PrivateDistanceSum.of(Norm.L1, null, -3, 3, 2, c, s, 20, 1, 1, 1);
        assertEquals(PrivateDistanceSum.LEGACY_MECHANISM, legacy.mechanism());
        assertEquals(0.0, legacy.countGranularity());
        PrivateDistanceSum.of(Norm.L1, null, -3, 3, 2, c, s, 1, 1, 1, 1, 0, 0, "m"); // n = 1, zero grids: legal
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.of(Norm.L1, null, -3, 3, 3, c, s, 20, 1, 1, 1));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.of(Norm.L1, null, -3, 3, 2, c, s.rowRange(0, 1),
                20, 1, 1, 1));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.of(Norm.L1, null, 3, 3, 2, c, s, 20, 1, 1, 1));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.of(Norm.L1, null, -3, 3, 2, c, s, 0, 1, 1, 1));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.of(Norm.L1, null, -3, 3, 2, c, s, 20, 0, 1, 1));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.of(Norm.L1, null, -3, 3, 2, c, s, 20, 1, 1, 1,
                -1, 0, "m"));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.of(Norm.L1, null, -3, 3, 2, c, s, 20, 1, 1, 1,
                0, Double.NaN, "m"));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.of(Norm.L2, null, -3, 3, 2, c, s, 20, 1, 1, 1));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.of(Norm.L1, new Matrix(2, 2), -3, 3, 2, c, s, 20,
                1, 1, 1));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.of(Norm.L2, new Matrix(3, 2), -3, 3, 2, c, s, 20,
                1, 1, 1), "one projection row per tree");
        assertThrows(Kernels4jException.class, () -> back.sums(new Matrix(1, 3)));
        // kernel sum
        Kernel k = KernelSpec.parse("rbf(gamma=1)");
        PrivateKernelSum ks = PrivateKernelSum.release(k, x, 4, 1, 0, TestNoise.none());
        PrivateKernelSum.of("rbf(gamma=1)", ks.frequencies(), ks.noisyMean(), 1, 1, 1, 0, "m");
        assertEquals(PrivateKernelSum.LEGACY_MECHANISM,
                PrivateKernelSum.of("rbf(gamma=1)", ks.frequencies(), ks.noisyMean(), 1, 1, 1).mechanism());
        assertThrows(Kernels4jException.class, () -> PrivateKernelSum.of("rbf(gamma=1)", ks.frequencies(), new double[3],
                20, 1, 1));
        assertThrows(Kernels4jException.class, () -> PrivateKernelSum.of("rbf(gamma=1)", ks.frequencies(), ks.noisyMean(),
                0, 1, 1));
        assertThrows(Kernels4jException.class, () -> PrivateKernelSum.of("rbf(gamma=1)", ks.frequencies(), ks.noisyMean(),
                20, 0, 1));
        assertThrows(Kernels4jException.class, () -> PrivateKernelSum.of("rbf(gamma=1)", ks.frequencies(), ks.noisyMean(),
                20, 1, 0));
        assertThrows(Kernels4jException.class, () -> PrivateKernelSum.of("rbf(gamma=1)", ks.frequencies(), ks.noisyMean(),
                20, 1, 1, -1e-300, "m"));
        assertThrows(Kernels4jException.class, () -> ks.means(new Matrix(1, 3)));
        assertThrows(Kernels4jException.class, () -> ks.means(Matrix.of(new double[][] {{0, Double.NaN}})));
    }

    @Test
    void classifierChecksItsClassesAndReportsParallelComposition() {
        Kernel k = KernelSpec.parse("rbf(gamma=1)");
        Matrix x = TestData.gaussian(30, 2, 1.0, 29);
        PrivateKernelSum a = PrivateKernelSum.release(k, x, 4, 1, 0, TestNoise.none());
        PrivateKernelSum b = PrivateKernelSum.release(k, x, 4, 2, 0, TestNoise.none());
        PrivateSimilarityClassifier c = new PrivateSimilarityClassifier(new double[] {0, 1}, List.of(a, b));
        assertEquals(2.0, c.epsilon());
        assertEquals(2.0, c.report().number("epsilon"));
        assertEquals(2, c.report().number("classes"), 0.0);
        assertEquals(2, c.features());
        assertThrows(Kernels4jException.class, () -> new PrivateSimilarityClassifier(new double[] {1, 1}, List.of(a, b)));
        assertThrows(Kernels4jException.class, () -> new PrivateSimilarityClassifier(new double[] {1, 0}, List.of(a, b)));
        assertThrows(Kernels4jException.class, () -> new PrivateSimilarityClassifier(new double[] {0}, List.of(a)));
        assertThrows(Kernels4jException.class, () -> new PrivateSimilarityClassifier(new double[] {0, 1}, List.of(a)));
        PrivateKernelSum three = PrivateKernelSum.release(k, TestData.gaussian(5, 3, 1.0, 1), 4, 1, 0, TestNoise.none());
        assertThrows(Kernels4jException.class, () -> new PrivateSimilarityClassifier(new double[] {0, 1}, List.of(a, three)));
        assertThrows(Kernels4jException.class, () -> c.probabilities(x));
        assertTrue(!c.hasProbabilities());
        // the prediction is the class of the larger released mean; three classes, labels in any order
        Matrix q = TestData.gaussian(20, 2, 1.0, 30);
        double[] labels = new double[30];
        for (int i = 0; i < 30; i++) {
            labels[i] = new double[] {7, -1, 3}[i % 3];
        }
        PrivateSimilarityClassifier three3 = PrivateSimilarityClassifier.release(k, x, labels, 8, 1, 2, TestNoise.none());
        assertEquals(-1.0, three3.classes()[0]);
        assertEquals(7.0, three3.classes()[2]);
        double[] pred = three3.predict(q).data();
        for (int i = 0; i < 20; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int cl = 0; cl < 3; cl++) {
                double score = three3.structures().get(cl).means(q.rowRange(i, i + 1))[0];
                if (score > bestScore) {
                    bestScore = score;
                    best = cl;
                }
            }
            assertEquals(three3.classes()[best], pred[i], "query " + i);
        }
        assertThrows(Kernels4jException.class, () -> PrivateSimilarityClassifier.release(k, x, new double[29], 4, 1, 0,
                TestNoise.none()));
        assertThrows(Kernels4jException.class, () -> PrivateSimilarityClassifier.release(k, x, new double[30], 4, 1, 0,
                TestNoise.none()), "one class only");
    }
}
