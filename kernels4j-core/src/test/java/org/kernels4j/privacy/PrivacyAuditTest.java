package org.kernels4j.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * Audits that can fail: each releases N times on two neighbouring data sets (one row replaced), takes a
 * 1-D statistic of every release, and lower-bounds the privacy loss with Clopper–Pearson intervals
 * ({@link Audit}, joint level α = 10^-4). The statistic is Y = min_j ±(r_j − a_j)/b_j over the released
 * values r_j the replaced row moves (a_j: the noise-free grid value on the first data set, b_j: the
 * declared noise scale, the sign pointing away from the second data set's value): for every event
 * {Y ≥ t}, t ≥ 0, the ratio of the two probabilities is exactly exp(Σ_j |a_j − a′_j|/b_j) =: e^(ε_stat)
 * for (discrete) Laplace noise, the largest privacy loss these values can show. The data pairs are chosen
 * so that ε_stat ≈ ε for the kernel sum and the classifier; the distance sum's declared sensitivities
 * are loose (the root count never moves under replace-one), so there ε_stat = ε/2 and the audit checks the
 * declared noise against ε_stat ≤ ε. Each audit must pass on the mechanism and fail on the same mechanism
 * with its noise scale halved and ε reported unchanged (the package-private seam
 * {@link TestNoise#halved}). Seeded, hence deterministic.
 */
class PrivacyAuditTest {
    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.5)");
    private static final int N = 30000;
    private static final double ALPHA = 1e-4;
    private static final double EPS = 1;
    private static final long FREQUENCY_SEED = 3;

    /** Samples Y over N releases with one noise stream. */
    private static double[] statistic(Function<NoiseSource, double[]> release, NoiseSource noise, double[] centre,
            double[] opposite, double[] scales) {
        double[] y = new double[N];
        for (int i = 0; i < N; i++) {
            double[] r = release.apply(noise);
            double min = Double.POSITIVE_INFINITY;
            for (int j = 0; j < centre.length; j++) {
                double sign = centre[j] >= opposite[j] ? 1 : -1; // unmoved values: the side above the centre
                min = Math.min(min, sign * (r[j] - centre[j]) / scales[j]);
            }
            y[i] = min;
        }
        return y;
    }

    private static double epsilonStat(double[] a, double[] b, double[] scales) {
        double e = 0;
        for (int j = 0; j < a.length; j++) {
            e += Math.abs(a[j] - b[j]) / scales[j];
        }
        return e;
    }

    /** {correct, broken} audit results for a release function on datasets A and B (moved values only). */
    private static Audit.Result[] audit(String name, Function<NoiseSource, double[]> onA,
            Function<NoiseSource, double[]> onB, double[] scales, double claimed) {
        double[] a = onA.apply(TestNoise.none());
        double[] b = onB.apply(TestNoise.none());
        double epsStat = epsilonStat(a, b, scales);
        assertTrue(epsStat <= claimed + 1e-12, name + ": the moved values' loss " + epsStat + " <= " + claimed);
        assertTrue(epsStat >= 0.99 * claimed, name + ": the data pair is tight: " + epsStat);
        Audit.Result ok = Audit.run(statistic(onA, TestNoise.seeded(11), a, b, scales),
                statistic(onB, TestNoise.seeded(12), a, b, scales), ALPHA);
        Audit.Result broken = Audit.run(statistic(onA, TestNoise.halved(13), a, b, scales),
                statistic(onB, TestNoise.halved(14), a, b, scales), ALPHA);
        System.out.printf("audit %s: claimed epsilon %.4f; correct: lower bound %.4f (estimate %.4f, %s); "
                + "noise halved: lower bound %.4f (estimate %.4f, %s)%n", name, claimed, ok.epsilonLowerBound(),
                ok.pointEstimate(), ok.event(), broken.epsilonLowerBound(), broken.pointEstimate(), broken.event());
        assertTrue(ok.epsilonLowerBound() <= claimed, name + ": the audit passes: " + ok);
        assertTrue(broken.epsilonLowerBound() > claimed, name + ": the audit catches halved noise: " + broken);
        return new Audit.Result[] {ok, broken};
    }

    /** One private row at ωx = θ and three others (d = 1, m = 1: φ = (cos, sin)). */
    private static Matrix rows(double theta, double omega, double... others) {
        double[][] r = new double[1 + others.length][1];
        r[0][0] = theta / omega;
        for (int i = 0; i < others.length; i++) {
            r[i + 1][0] = others[i];
        }
        return Matrix.of(r);
    }

    private static double omega() {
        double w = PrivateKernelSum.release(RBF, Matrix.of(new double[][] {{0}}), 2, EPS, FREQUENCY_SEED,
                TestNoise.none()).frequencies().get(0, 0);
        assertTrue(Math.abs(w) > 0.05, "a usable frequency: " + w);
        return w;
    }

    @Test
    void kernelSumAuditPassesAndCatchesHalvedNoise() {
        double w = omega();
        // (cos, sin) goes from (√½, √½) to (−√½, −√½): both coordinates move, L1 = 2√2·c = the full Δ
        Matrix xa = rows(Math.PI / 4, w, 0.3, -0.2, 0.7);
        Matrix xb = rows(5 * Math.PI / 4, w, 0.3, -0.2, 0.7);
        PrivateKernelSum probe = PrivateKernelSum.release(RBF, xa, 2, EPS, FREQUENCY_SEED, TestNoise.none());
        double b = probe.noiseScale();
        audit("private kernel sum", n -> PrivateKernelSum.release(RBF, xa, 2, EPS, FREQUENCY_SEED, n).noisyMean(),
                n -> PrivateKernelSum.release(RBF, xb, 2, EPS, FREQUENCY_SEED, n).noisyMean(), new double[] {b, b}, EPS);
    }

    @Test
    void classifierAuditHoldsAtTheTotalEpsilonByParallelComposition() {
        double w = omega();
        Matrix xa = rows(Math.PI / 4, w, 0.3, -0.2, 0.7, 0.1, 0.5, -0.4, 0.9);
        Matrix xb = rows(5 * Math.PI / 4, w, 0.3, -0.2, 0.7, 0.1, 0.5, -0.4, 0.9);
        double[] labels = {0, 0, 0, 0, 1, 1, 1, 1};
        // the replaced row stays in class 0; the statistic spans both classes' released values
        Function<Matrix, Function<NoiseSource, double[]>> release = x -> n -> {
            PrivateSimilarityClassifier c = PrivateSimilarityClassifier.release(RBF, x, labels, 2, EPS, FREQUENCY_SEED, n);
            double[] c0 = c.structures().get(0).noisyMean();
            double[] c1 = c.structures().get(1).noisyMean();
            return new double[] {c0[0], c0[1], c1[0], c1[1]};
        };
        PrivateSimilarityClassifier probe = PrivateSimilarityClassifier.release(RBF, xa, labels, 2, EPS, FREQUENCY_SEED,
                TestNoise.none());
        assertEquals(EPS, probe.report().number("epsilon"), 0.0, "epsilon once, not once per class");
        double b = probe.structures().get(0).noiseScale();
        // class 1 does not move: its two values carry no loss, but must not add any either
        double[] a = release.apply(xa).apply(TestNoise.none());
        double[] a2 = release.apply(xb).apply(TestNoise.none());
        assertEquals(a[2], a2[2], 0.0);
        assertEquals(a[3], a2[3], 0.0);
        audit("private similarity classifier (2 classes)", release.apply(xa), release.apply(xb),
                new double[] {b, b, b, b}, EPS);
    }

    @Test
    void classesAreReleasedIndependently() {
        double w = omega();
        Matrix xa = rows(Math.PI / 4, w, 0.3, -0.2, 0.7, 0.1, 0.5, -0.4, 0.9);
        Matrix xb = rows(5 * Math.PI / 4, w, 0.3, -0.2, 0.7, 0.1, 0.5, -0.4, 0.9);
        double[] labels = {0, 0, 0, 0, 1, 1, 1, 1};
        PrivateSimilarityClassifier ca = PrivateSimilarityClassifier.release(RBF, xa, labels, 8, EPS, 1, TestNoise.seeded(5));
        PrivateSimilarityClassifier cb = PrivateSimilarityClassifier.release(RBF, xb, labels, 8, EPS, 1, TestNoise.seeded(5));
        // same noise stream: the untouched class's release is identical, the touched one's is not
        assertArrayEquals(ca.structures().get(1).noisyMean(), cb.structures().get(1).noisyMean(), 0.0);
        assertTrue(!java.util.Arrays.equals(ca.structures().get(0).noisyMean(), cb.structures().get(0).noisyMean()));
        assertEquals(PrivateSimilarityClassifier.COMPOSITION, ca.report().text("composition"));
    }

    @Test
    void distanceSumAuditPassesAndCatchesHalvedNoise() {
        double eps = 2;
        Matrix xa = Matrix.of(new double[][] {{0.0}, {0.1}, {0.6}, {0.3}});
        Matrix xb = Matrix.of(new double[][] {{1.0}, {0.1}, {0.6}, {0.3}});
        // the moved values: counts of nodes 2 (down) and 3 (up), sums of the root and node 3 (up)
        Function<Matrix, Function<NoiseSource, double[]>> release = x -> n -> {
            Matrix[] t = PrivateDistanceSum.release(PrivateDistanceSum.Norm.L1, x, 0, 1, 1, 0, eps, 0, n).trees();
            return new double[] {t[0].get(0, 2), t[0].get(0, 3), t[1].get(0, 1), t[1].get(0, 3)};
        };
        PrivateDistanceSum probe = PrivateDistanceSum.release(PrivateDistanceSum.Norm.L1, xa, 0, 1, 1, 0, eps, 0,
                TestNoise.none());
        double bc = probe.countNoiseScale();
        double bs = probe.sumNoiseScale();
        audit("private distance sum (moved nodes; claimed: their share of epsilon)", release.apply(xa),
                release.apply(xb), new double[] {bc, bc, bs, bs}, eps / 2);
    }
}
