package org.kernels4j.density;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.TestData;
import org.kernels4j.density.KernelDensity.Profile;
import org.kernels4j.linalg.Matrix;

/**
 * Edge cases of {@link KernelDensity} that the formula tests do not reach, each against an independent
 * reference: leave-one-out with near-duplicate points and with kernels that underflow (double loops in
 * logs), the tree mode's documented bounds (the root's interval midpoint, widest-interval-first
 * refinement, splits on the widest side, leaves of at most 32 points, exact answers where the bounds
 * underflow), the compact kernels' support boundary r = h, the regime's thresholds and sample points,
 * and Scott's rule on data far from the origin.
 */
class KernelDensityEdgeCasesTest {

    private static double k(Profile p, double r) {
        return KernelDensityTest.k(p, r);
    }

    /** log Σ_i w_i·k(|q − x_i|/h) in 1-D, by log-sum-exp over log k written here (no underflow). */
    private static double logKernelSum1d(Profile p, double[] xs, double[] w, double q, double h) {
        double[] v = new double[xs.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < xs.length; i++) {
            double r = Math.abs(q - xs[i]) / h;
            double lk = p == Profile.GAUSSIAN ? -r * r / 2 : p == Profile.EXPONENTIAL ? -r : Math.log(k(p, r));
            v[i] = lk + Math.log(w[i]);
            max = Math.max(max, v[i]);
        }
        double s = 0;
        for (double vi : v) {
            s += Math.exp(vi - max);
        }
        return max + Math.log(s);
    }

    /** ∫ k(|u|) du in 1-D from the definitions: 2∫₀^∞ k(r) dr. */
    private static double c1(Profile p) {
        return p == Profile.GAUSSIAN ? Math.sqrt(2 * Math.PI) : p == Profile.EXPONENTIAL ? 2 : p == Profile.TOPHAT ? 2 : 0;
    }

    private static Matrix column(double[] xs) {
        Matrix m = new Matrix(xs.length, 1);
        for (int i = 0; i < xs.length; i++) {
            m.set(i, 0, xs[i]);
        }
        return m;
    }

    /** Nodes of a tree with median splits and leaves of at most 32 points (the class notes' rule). */
    private static int nodes(int n) {
        return n <= 32 ? 1 : 1 + nodes(n / 2) + nodes(n - n / 2);
    }

    /**
     * Leave-one-out for the two √ profiles where every point has a near duplicate (1e-6 apart) and the data
     * spread is large (sd 10): the left-out point's density then rests on its twin at r ≈ 1e-6, where
     * r² from ‖x‖² + ‖z‖² − 2x·z would be off by ~ε·N (N ~ 400) and r by ~2e-8. Against the double loop with
     * r from the coordinate differences (Math.hypot), 1e-12 relative: 40 terms of a few ulps each, while
     * the distance error would move the total by ~1e-8 relative.
     */
    @Test
    void leaveOneOutIsExactForNearDuplicatePoints() {
        int half = 20;
        Matrix base = TestData.gaussian(half, 2, 10.0, 31);
        Matrix x = new Matrix(2 * half, 2);
        for (int i = 0; i < half; i++) {
            for (int a = 0; a < 2; a++) {
                x.set(i, a, base.get(i, a));
                x.set(half + i, a, base.get(i, a) + (a == 0 ? 1e-6 : -0.7e-6) * (1 + i / 10.0));
            }
        }
        int n = 2 * half;
        for (Profile p : new Profile[] {Profile.EXPONENTIAL, Profile.LINEAR}) {
            double h = 0.5;
            double got = KernelDensity.leaveOneOut(p, x, null, new double[] {h})[0];
            double c2 = p == Profile.EXPONENTIAL ? 2 * Math.PI : Math.PI / 3; // 2π∫k(r)r dr
            double expected = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        s += k(p, Math.hypot(x.get(i, 0) - x.get(j, 0), x.get(i, 1) - x.get(j, 1)) / h);
                    }
                }
                expected += Math.log(s / ((n - 1) * h * h * c2));
            }
            assertEquals(expected, got, 1e-12 * Math.abs(expected), p.name());
        }
    }

    /**
     * Leave-one-out where every kernel value underflows (log k ≈ −1250 for the Gaussian, −1000 for the
     * exponential): the log-sum-exp must start from −∞, not from 0. Against the 1-D double loop in logs; 1e-12
     * relative (a few ulps of values ~1e3).
     */
    @Test
    void leaveOneOutSurvivesUnderflowingKernels() {
        double[] xs = {0, 1, 2.5};
        double[] w = {1, 2, 0.5};
        for (Profile p : new Profile[] {Profile.GAUSSIAN, Profile.EXPONENTIAL}) {
            double h = p == Profile.GAUSSIAN ? 0.02 : 0.001;
            double got = KernelDensity.leaveOneOut(p, column(xs), w, new double[] {h})[0];
            double expected = 0;
            for (int i = 0; i < 3; i++) {
                double[] ox = new double[2];
                double[] ow = new double[2];
                for (int j = 0, c = 0; j < 3; j++) {
                    if (j != i) {
                        ox[c] = xs[j];
                        ow[c++] = w[j];
                    }
                }
                expected += w[i] * (logKernelSum1d(p, ox, ow, xs[i], h) - Math.log((ow[0] + ow[1]) * h * c1(p)));
            }
            assertTrue(expected < -1000, "kernels underflow here");
            assertEquals(expected, got, 1e-12 * Math.abs(expected), p.name());
        }
    }

    /**
     * Tree mode with queries in the gap between two clusters 2000 apart, where every kernel value
     * underflows the tree's linear sums: these must be answered exactly (two such queries and a normal
     * one in one batch), against the log-sum-exp double loop; 1e-12 relative for the gap queries, rtol for
     * the normal one.
     */
    @Test
    void treeModeAnswersUnderflowingQueriesExactly() {
        int n = 80;
        double[] xs = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (i < n / 2 ? -1000 : 1000) + 0.05 * (i % 40);
            w[i] = 1;
        }
        double[] qs = {0, 3, -1000.3, -5};
        for (Profile p : new Profile[] {Profile.GAUSSIAN, Profile.EXPONENTIAL}) {
            KernelDensity f = KernelDensity.fit(p, column(xs), null, KernelDensity.scalar(1, 1));
            KernelDensity.Approximate a = f.logDensity(column(qs), 1e-3);
            assertEquals("tree", a.method());
            for (int j = 0; j < qs.length; j++) {
                double expected = logKernelSum1d(p, xs, w, qs[j], 1) - Math.log(n * c1(p));
                double tol = j == 2 ? 2e-3 : 1e-12 * Math.abs(expected); // log(1 ± rtol) for the answer from the tree
                assertEquals(expected, a.logDensity()[j], tol, p + " query " + qs[j]);
            }
        }
    }

    /**
     * The tree's expansion count: queries outside a compact kernel's reach of every point are decided by
     * the root alone (one node per query, also averaged over several queries); a query in the gap
     * between two clusters, inside the root box but out of reach of both children, expands the root only
     * and is exactly −∞; ordinary queries expand between 1 and all nodes of the tree.
     */
    @Test
    void treeModeCountsItsExpansions() {
        double[] xs = new double[200];
        for (int i = 0; i < 200; i++) {
            xs[i] = (i < 100 ? 0 : 10) + 0.01 * (i % 100);
        }
        KernelDensity f = KernelDensity.fit(Profile.TOPHAT, column(xs), null, KernelDensity.scalar(1, 1));
        KernelDensity.Approximate out = f.logDensity(column(new double[] {50, -50, 60, 70}), 1e-3);
        assertEquals(1.0, out.nodeVisits(), "outside every support: the root decides");
        for (double v : out.logDensity()) {
            assertEquals(Double.NEGATIVE_INFINITY, v);
        }
        KernelDensity.Approximate gap = f.logDensity(column(new double[] {5.5}), 1e-3);
        assertEquals(Double.NEGATIVE_INFINITY, gap.logDensity()[0]);
        assertEquals(1.0, gap.nodeVisits(), "the root is expanded, both children are out of reach");
        KernelDensity.Approximate in = f.logDensity(column(new double[] {0.3, 0.9, 10.2, 10.6, 0.5}), 1e-3);
        assertTrue(in.nodeVisits() >= 1 && in.nodeVisits() <= nodes(200), "visits " + in.nodeVisits());
        double[] ones = new double[200];
        java.util.Arrays.fill(ones, 1);
        double[] exact = {0.3, 0.9, 10.2, 10.6, 0.5};
        for (int j = 0; j < exact.length; j++) {
            double expected = logKernelSum1d(Profile.TOPHAT, xs, ones, exact[j], 1) - Math.log(200 * 2.0);
            assertEquals(expected, in.logDensity()[j], 2e-3, "query " + exact[j]); // log(1 ± rtol)
        }
    }

    /**
     * The documented tree bound without refinement: 20 points in [−3.01, −3], query 0, Gaussian, h = 1. The
     * root box is at distance [3, 3.01], so the sum lies in [W·k(3.01), W·k(3)]; its relative half-width
     * (k(3)/k(3.01) − 1)/2 ≈ 0.0153 is within rtol = 0.02, so no node is expanded and the answer is the
     * midpoint W·(k(3) + k(3.01))/2, its achieved bound that half-width (values by hand here, 1e-12).
     */
    @Test
    void treeModeWithoutRefinementReturnsTheRootIntervalMidpoint() {
        int n = 20;
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = -3.01 + 0.01 * i / (n - 1);
        }
        xs[n - 1] = -3;
        KernelDensity f = KernelDensity.fit(Profile.GAUSSIAN, column(xs), null, KernelDensity.scalar(1, 1));
        KernelDensity.Approximate a = f.logDensity(column(new double[] {0}), 0.02);
        double lo = n * Math.exp(-3.01 * 3.01 / 2);
        double hi = n * Math.exp(-9.0 / 2);
        assertEquals(0.0, a.nodeVisits());
        assertEquals((hi - lo) / (2 * lo), a.achieved(), 1e-12);
        assertEquals(Math.log((lo + hi) / 2 / (n * Math.sqrt(2 * Math.PI))), a.logDensity()[0], 1e-12);
    }

    /**
     * Widest interval first: 32 points packed in [0, 0.01] (leaf A, interval width ~0.0016) and 32 spread over
     * [1, 3] (leaf B, width ~19), Gaussian h = 1, query 0, rtol = 0.01. After the root, B's width exceeds
     * 2·rtol·L ≈ 0.65 and A's alone does not, so refining B first stops after 2 expansions (root, B); A first
     * would need 3. The answer is within its achieved bound of the double loop.
     */
    @Test
    void treeModeRefinesTheWidestIntervalFirst() {
        double[] xs = new double[64];
        double[] w = new double[64];
        for (int i = 0; i < 32; i++) {
            xs[i] = 0.01 * i / 31;
            xs[32 + i] = 1 + 2.0 * i / 31;
        }
        java.util.Arrays.fill(w, 1);
        double la = 32 * Math.exp(-0.01 * 0.01 / 2);
        double ha = 32;
        double lb = 32 * Math.exp(-4.5);
        double hb = 32 * Math.exp(-0.5);
        assertTrue(hb - lb > 2 * 0.01 * (la + lb) && ha - la < 2 * 0.01 * la, "the set-up separates the two orders");
        KernelDensity f = KernelDensity.fit(Profile.GAUSSIAN, column(xs), null, KernelDensity.scalar(1, 1));
        KernelDensity.Approximate a = f.logDensity(column(new double[] {0}), 0.01);
        assertEquals(2.0, a.nodeVisits());
        double expected = logKernelSum1d(Profile.GAUSSIAN, xs, w, 0, 1) - Math.log(64 * Math.sqrt(2 * Math.PI));
        assertEquals(expected, a.logDensity()[0], a.achieved() + 1e-12);
        assertTrue(a.achieved() > 0 && a.achieved() <= 0.01);
    }

    /**
     * Splits on the widest box side, at the median of the sorted coordinate: two clusters of 32 points in
     * 3-D, 10 apart along axis 1, each spread 0.31 along axis 2 (around −20, so sums and differences of box
     * ends do not order the sides as widths do), interleaved in the input order. Splitting axis 1 gives
     * the two clusters as leaves; a query at distance 1 from one of them is then within rtol = 0.01 after
     * expanding the root alone (relative width e^(0.155²/2) − 1 ≈ 0.012 ≤ 2·rtol). Any other split mixes the
     * clusters and needs both leaves expanded too.
     */
    @Test
    void treeSplitsTheWidestSideAtTheMedian() {
        Matrix x = new Matrix(64, 3);
        for (int i = 0; i < 64; i++) {
            x.set(i, 1, i % 2 == 0 ? -10 : 0);
            x.set(i, 2, -20 + 0.01 * (i / 2));
        }
        KernelDensity f = KernelDensity.fit(Profile.GAUSSIAN, x, null, KernelDensity.scalar(1, 3));
        KernelDensity.Approximate a = f.logDensity(Matrix.of(new double[][] {{0, -11, -20 + 0.155}}), 0.01);
        assertEquals(1.0, a.nodeVisits());
        double s = 0;
        for (int i = 0; i < 64; i++) {
            double d1 = -11 - x.get(i, 1);
            double d2 = -20 + 0.155 - x.get(i, 2);
            s += Math.exp(-(d1 * d1 + d2 * d2) / 2);
        }
        double expected = Math.log(s / (64 * Math.pow(2 * Math.PI, 1.5)));
        assertEquals(expected, a.logDensity()[0], a.achieved() + 1e-12);
    }

    /**
     * Leaves hold at most 32 points and no fewer need splitting: 32 points form one leaf (one expansion
     * for a tight rtol), 33 points a root with two leaves (three expansions: each leaf's interval is
     * wider than 2·1e-9·L, so both are summed).
     */
    @Test
    void treeLeavesHoldUpToThirtyTwoPoints() {
        for (int n : new int[] {32, 33}) {
            double[] xs = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = 0.1 * i;
            }
            KernelDensity f = KernelDensity.fit(Profile.GAUSSIAN, column(xs), null, KernelDensity.scalar(1, 1));
            KernelDensity.Approximate a = f.logDensity(column(new double[] {0.05}), 1e-9);
            assertEquals(n == 32 ? 1.0 : 3.0, a.nodeVisits(), "n = " + n);
        }
    }

    /**
     * The compact profiles are zero for r ≥ 1 (class notes): a query exactly h away from the only point
     * (r² = 1 exactly in binary) has density 0 on the exact path and in tree mode; just inside it is positive.
     */
    @Test
    void compactKernelsVanishAtTheSupportBoundary() {
        Matrix one = Matrix.of(new double[][] {{0}});
        for (Profile p : new Profile[] {Profile.TOPHAT, Profile.EPANECHNIKOV, Profile.LINEAR, Profile.COSINE}) {
            KernelDensity f = KernelDensity.fit(p, one, null, KernelDensity.scalar(0.5, 1));
            double[] ld = f.logDensity(Matrix.of(new double[][] {{0.5}, {-0.5}, {0.25}}));
            assertEquals(Double.NEGATIVE_INFINITY, ld[0], p.name());
            assertEquals(Double.NEGATIVE_INFINITY, ld[1], p.name());
            double c = Math.exp(p.logNormalizer(1)); // checked against closed forms in KernelDensityFormulasTest
            assertEquals(Math.log(k(p, 0.5) / (0.5 * c)), ld[2], 1e-12, p.name());
            assertEquals(Double.NEGATIVE_INFINITY, f.logDensity(Matrix.of(new double[][] {{0.5}}), 1e-3).logDensity()[0]);
        }
    }

    /** σ² of the log-terms at sample row q (others with w &gt; 0) and the participation (Σw k)²/Σ(w k)², Gaussian 1-D. */
    private static double[] regimeTerms(double[] xs, double h, int q) {
        double m = 0;
        double sq = 0;
        double s1 = 0;
        double s2 = 0;
        int c = 0;
        for (int i = 0; i < xs.length; i++) {
            if (i == q) {
                continue;
            }
            double u = (xs[q] - xs[i]) / h;
            double lk = -u * u / 2;
            m += lk;
            sq += lk * lk;
            c++;
            s1 += Math.exp(lk);
            s2 += Math.exp(2 * lk);
        }
        m /= c;
        return new double[] {sq / c - m * m, s1 * s1 / s2};
    }

    /**
     * The regime thresholds (ln n)/2 and 2 ln n: five points 0..4, Gaussian, with h chosen so that σ² (which
     * scales as h⁻⁴, computed here from the definition) is ln(n)/4, ln n and 4 ln n: central limit, heavy
     * tailed, extreme value.
     */
    @Test
    void regimeKindFollowsBothThresholds() {
        double[] xs = {0, 1, 2, 3, 4};
        double ln = Math.log(5);
        double var1 = 0;
        for (int q = 0; q < 5; q++) {
            var1 += regimeTerms(xs, 1, q)[0] / 5;
        }
        double[] targets = {ln / 4, ln, 4 * ln};
        KernelDensity.RegimeKind[] kinds = {KernelDensity.RegimeKind.CENTRAL_LIMIT, KernelDensity.RegimeKind.HEAVY_TAILED,
            KernelDensity.RegimeKind.EXTREME_VALUE};
        for (int t = 0; t < 3; t++) {
            double h = Math.pow(var1 / targets[t], 0.25);
            KernelDensity.Regime r = KernelDensity.fit(Profile.GAUSSIAN, column(xs), null, KernelDensity.scalar(h, 1)).regime();
            assertEquals(targets[t], r.logTermVariance(), 1e-12 * targets[t]);
            assertEquals(kinds[t], r.kind(), "σ² = " + targets[t]);
        }
    }

    /**
     * With n = 450 the regime samples every second training point (200 of them, rows 0, 2, …, 398), each
     * left out of its own sum; data spaced unevenly (x_i = 0.002·i²), so another choice of sample points
     * gives another σ² and participation. Against the definition worked here; 1e-10 relative (sums of 450
     * terms).
     */
    @Test
    void regimeSamplesEvenlySpacedTrainingPoints() {
        int n = 450;
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = 0.002 * i * i;
        }
        double h = 3;
        KernelDensity.Regime r = KernelDensity.fit(Profile.GAUSSIAN, column(xs), null, KernelDensity.scalar(h, 1)).regime();
        double var = 0;
        double[] part = new double[200];
        for (int s = 0; s < 200; s++) {
            double[] t = regimeTerms(xs, h, 2 * s);
            var += t[0] / 200;
            part[s] = t[1];
        }
        java.util.Arrays.sort(part);
        assertEquals(var, r.logTermVariance(), 1e-10 * var);
        assertEquals(part[100], r.participation(), 1e-10 * part[100]);
    }

    /**
     * The "few points" rule is strict, as documented ("below FEW_POINTS"): exactly ten effective points is not few,
     * the next double below ten is. The ratio computed by the fit goes through exp/log and never lands on 10.0
     * exactly, so the boundary is checked on the record itself.
     */
    @Test
    void tenEffectivePointsAreNotFew() {
        KernelDensity.RegimeKind kind = KernelDensity.RegimeKind.CENTRAL_LIMIT;
        assertTrue(!new KernelDensity.Regime(1, 1, 10.0, kind).dominatedByFewPoints());
        assertTrue(new KernelDensity.Regime(1, 1, Math.nextDown(10.0), kind).dominatedByFewPoints());
    }

    /**
     * Isolated points under a compact kernel: no point carries any estimate, so every participation ratio
     * (and their median) is 0, the estimate counts as dominated by few points, and σ² is +∞.
     */
    @Test
    void regimeOfIsolatedPointsHasZeroParticipation() {
        KernelDensity.Regime r = KernelDensity.fit(Profile.TOPHAT, column(new double[] {0, 10, 20}), null,
                KernelDensity.scalar(1, 1)).regime();
        assertEquals(0.0, r.participation());
        assertTrue(r.dominatedByFewPoints());
        assertEquals(Double.POSITIVE_INFINITY, r.logTermVariance());
    }

    /**
     * Scott's rule on data 2^20 away from the origin: the points are z + 2^20 with z on a 2^-20 grid (both
     * exact in binary), so the covariance is that of z, computed here by two passes without the shift.
     * 1e-12 relative: the code's own error is ~ε; a formula that lost the centring (x + x̄ for x − x̄) would be
     * off by ~2·2^20·(rounding of Σ(x − x̄) ≈ 1e-10) ≈ 1e-4.
     */
    @Test
    void scottsRuleIsAccurateFarFromTheOrigin() {
        int n = 50;
        Matrix g = TestData.gaussian(n, 2, 1.0, 33);
        double scale = 1 << 20;
        double[][] z = new double[n][2];
        Matrix x = new Matrix(n, 2);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            z[i][0] = Math.rint(g.get(i, 0) * scale) / scale;
            z[i][1] = Math.rint((0.6 * g.get(i, 0) + 0.8 * g.get(i, 1)) * scale) / scale;
            x.set(i, 0, z[i][0] + scale);
            x.set(i, 1, z[i][1] + scale);
            w[i] = 1 + (i % 4) * 0.25;
        }
        double total = 0;
        double sq = 0;
        for (double v : w) {
            total += v;
            sq += v * v;
        }
        double[] mean = new double[2];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 2; a++) {
                mean[a] += w[i] / total * z[i][a];
            }
        }
        double neff = total * total / sq;
        double norm = 1 - sq / (total * total);
        double factor2 = Math.pow(neff, -2.0 / 6);
        Matrix hm = KernelDensity.scott(x, w);
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double c = 0;
                for (int i = 0; i < n; i++) {
                    c += w[i] / total * (z[i][a] - mean[a]) * (z[i][b] - mean[b]);
                }
                double expected = factor2 * c / norm;
                assertEquals(expected, hm.get(a, b), 1e-12 * Math.abs(expected), "H[" + a + "][" + b + "]");
            }
        }
    }
}
