package org.kernels4j.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

class PrivateKernelSumTest {
    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.5)");

    @Test
    void noiseScaleIsTheSensitivityOverEpsilonAndMatchesTheEmpiricalSpread() {
        Matrix x = TestData.gaussian(200, 3, 1.0, 1);
        int features = 64;
        double eps = 0.5;
        PrivateKernelSum a = PrivateKernelSum.release(RBF, x, features, eps, 11, TestNoise.seeded(1));
        double s = 1.0;
        double sensitivity = 2 * Math.sqrt(2 * s * 32) / 200; // Δ₁ = 2√(2sm)/n, m = D/2
        // the grid: the largest power of two ≤ Δ/(2m·2^10); Δ′ = Δ + 2mγ(1 + 1/n) (rounding), rounded up
        double gamma = a.granularity();
        assertEquals(Math.scalb(1.0, Math.getExponent(sensitivity / 64 / 1024)), gamma, 0.0);
        assertEquals(sensitivity + 64 * gamma * (1 + 1.0 / 200), a.sensitivity(), 1e-12 * sensitivity);
        assertTrue(a.sensitivity() >= sensitivity && a.sensitivity() <= sensitivity * (1 + 0x1p-9));
        assertEquals(a.sensitivity() / eps, a.noiseScale(), 1e-15);
        // Laplace(b) has variance 2b²: the released coordinates spread around the noise-free mean accordingly
        PrivateKernelSum exact = PrivateKernelSum.release(RBF, x, features, 1e12, 11, TestNoise.seeded(1)); // noise ≈ 0
        int draws = 2000;
        double sq = 0;
        for (int t = 0; t < draws; t++) {
            double[] noisy = PrivateKernelSum.release(RBF, x, features, eps, 11, TestNoise.seeded(100 + t)).noisyMean();
            for (int j = 0; j < features; j++) {
                double e = noisy[j] - exact.noisyMean()[j];
                sq += e * e;
            }
        }
        double variance = sq / (draws * features);
        double b = a.noiseScale();
        // the discrete Laplace's variance is the continuous 2b² within the grid's effect (γ²/6 ≪ b² here)
        double discrete = gamma * gamma * DiscreteLaplace.variance(b / gamma);
        assertEquals(2 * b * b, discrete, gamma * gamma / 6 + 1e-9 * b * b);
        // the sample variance of Laplace draws has relative sd √(5/N) (kurtosis 6) with N = 128000
        assertEquals(discrete, variance, 4 * 2 * b * b * Math.sqrt(5.0 / (draws * features)));
    }

    @Test
    void answersAreUnbiasedAndTheirNoiseFallsAsOneOverEpsilon() {
        Matrix x = TestData.gaussian(300, 2, 1.0, 2);
        Matrix q = TestData.gaussian(5, 2, 1.0, 3);
        int features = 128;
        double[] noiseFree = PrivateKernelSum.release(RBF, x, features, 1e12, 5, TestNoise.seeded(0)).sums(q);
        double previous = Double.NaN;
        for (double eps : new double[] {0.1, 1, 10}) {
            int draws = 400;
            double[] mean = new double[5];
            double sq = 0;
            PrivateKernelSum any = null;
            for (int t = 0; t < draws; t++) {
                any = PrivateKernelSum.release(RBF, x, features, eps, 5, TestNoise.seeded(1000 + t));
                double[] s = any.sums(q);
                for (int i = 0; i < 5; i++) {
                    mean[i] += s[i] / draws;
                    sq += (s[i] - noiseFree[i]) * (s[i] - noiseFree[i]);
                }
            }
            double sd = Math.sqrt(sq / (5 * draws));
            double predicted = 300 * any.noiseStandardDeviation(); // sums scale the mean's noise by n
            // 4s√m/(nε)·n with s = 1, m = 64, times Δ′/Δ ≤ 1 + 2^-9 (the grid's rounding)
            assertEquals(4 * Math.sqrt(64) / eps, predicted, 0x1p-9 * predicted);
            assertEquals(predicted, sd, 0.1 * predicted, "noise sd at eps " + eps);
            for (int i = 0; i < 5; i++) {
                assertEquals(noiseFree[i], mean[i], 4 * predicted / Math.sqrt(draws), "unbiased over the noise");
            }
            if (!Double.isNaN(previous)) {
                assertEquals(10.0, previous / sd, 1.5, "error falls as 1/eps");
            }
            previous = sd;
        }
        // over fresh frequencies, the noise-free answers are unbiased for the exact kernel sum
        Matrix k = GramEngine.cross(RBF, q, x);
        int draws = 300;
        double[] avg = new double[5];
        double[] sq2 = new double[5];
        for (int t = 0; t < draws; t++) {
            double[] s = PrivateKernelSum.release(RBF, x, 16, 1e12, 50 + t, TestNoise.seeded(0)).sums(q);
            for (int i = 0; i < 5; i++) {
                avg[i] += s[i] / draws;
                sq2[i] += s[i] * s[i] / draws;
            }
        }
        for (int i = 0; i < 5; i++) {
            double exact = 0;
            for (int j = 0; j < 300; j++) {
                exact += k.get(i, j);
            }
            double se = Math.sqrt((sq2[i] - avg[i] * avg[i]) / draws);
            assertEquals(exact, avg[i], 5 * se + 1e-9, "query " + i);
        }
    }

    // the former theReleaseHoldsNoTrainingRow compared bit patterns only (a release without noise passed it):
    // replaced by PrivacyFormulasTest.releasedValuesCarryTheDeclaredNoise, which measures the noise

    @Test
    void privateClassifierSeparatesClustersAtModerateEpsilon() {
        Matrix x = TestData.gaussian(600, 2, 0.5, 6);
        Matrix q = TestData.gaussian(200, 2, 0.5, 7);
        double[] labels = new double[600];
        double[] truth = new double[200];
        for (int i = 0; i < 600; i++) {
            labels[i] = i % 2;
            x.set(i, 0, x.get(i, 0) + (i % 2 == 0 ? -1.5 : 1.5));
        }
        for (int i = 0; i < 200; i++) {
            truth[i] = i % 2;
            q.set(i, 0, q.get(i, 0) + (i % 2 == 0 ? -1.5 : 1.5));
        }
        PrivateSimilarityClassifier c = PrivateSimilarityClassifier.release(RBF, x, labels, 64, 1.0, 3, TestNoise.seeded(3));
        double[] pred = c.predict(q).data();
        int right = 0;
        for (int i = 0; i < 200; i++) {
            right += pred[i] == truth[i] ? 1 : 0;
        }
        assertTrue(right >= 190, right + " of 200");
        assertThrows(Kernels4jException.class, () -> PrivateKernelSum.release(RBF, x, 63, 1.0, 1, TestNoise.seeded(1)));
        assertThrows(Kernels4jException.class, () -> PrivateKernelSum.release(RBF, x, 64, 0, 1, TestNoise.seeded(1)));
    }

    /**
     * Grid sums of parts add up to the whole's exactly (integers), and the release from them is the release
     * of the whole data with the same noise draws: what a distributed release (kernels4j-spark) relies on.
     */
    @Test
    void gridSumsOfPartsGiveTheReleaseOfTheWhole() {
        Matrix x = TestData.gaussian(250, 2, 1.0, 9);
        int features = 32;
        long[] whole = PrivateKernelSum.gridSums(RBF, x, features, 4, 250);
        long[] parts = new long[features];
        int[] cuts = {0, 1, 1, 120, 250}; // one row, an empty part, two large parts
        for (int p = 0; p + 1 < cuts.length; p++) {
            long[] s = PrivateKernelSum.gridSums(RBF, x.rowRange(cuts[p], cuts[p + 1]), features, 4, 250);
            for (int j = 0; j < features; j++) {
                parts[j] += s[j];
            }
        }
        assertTrue(java.util.Arrays.equals(whole, parts));
        PrivateKernelSum direct = PrivateKernelSum.release(RBF, x, features, 0.7, 4, TestNoise.seeded(3));
        PrivateKernelSum fromSums = PrivateKernelSum.releaseFromGridSums(RBF, 2, parts, 250, features, 0.7, 4,
                TestNoise.seeded(3));
        assertTrue(java.util.Arrays.equals(direct.noisyMean(), fromSums.noisyMean()));
        assertEquals(direct.sensitivity(), fromSums.sensitivity(), 0.0);
        assertEquals(direct.granularity(), fromSums.granularity(), 0.0);
        // a sum is Σ_x round(φ_j(x)/γ): within n/2 grid steps of Σ_x φ_j(x)/γ, computed here by brute force
        double gamma = direct.granularity();
        Matrix w = org.kernels4j.approx.RandomFourierFeatures.of(RBF, features, 2,
                org.kernels4j.approx.RandomFourierFeatures.Sampling.IID, 4).frequencies();
        int m = w.rows();
        for (int j = 0; j < m; j++) {
            double cos = 0;
            for (int i = 0; i < 250; i++) {
                cos += Math.sqrt(1.0 / m) * Math.cos(w.get(j, 0) * x.get(i, 0) + w.get(j, 1) * x.get(i, 1));
            }
            assertEquals(cos / gamma, whole[j], 125.0 + 1e-6 * Math.abs(cos / gamma), "cos feature " + j);
        }
        assertThrows(Kernels4jException.class, () -> PrivateKernelSum.gridSums(RBF, x, features, 4, 0));
        assertThrows(Kernels4jException.class, () -> PrivateKernelSum.releaseFromGridSums(RBF, 2, new long[6], 250,
                features, 0.7, 4));
    }

    /**
     * The row-count limits of the distributed release: one row (n = 1) is legal on both halves and gives the same
     * release as the in-memory route with the same noise draws; gridSums takes n up to 2^31 − 1 and refuses 2^31;
     * the public releaseFromGridSums (secure noise) has the public parameters of the seeded one.
     */
    @Test
    void oneRowAndTheLargestRowCountAreAcceptedAtTheRowCountLimits() {
        Matrix one = TestData.gaussian(1, 2, 1.0, 10);
        int features = 16;
        long[] sums = PrivateKernelSum.gridSums(RBF, one, features, 5, 1);
        PrivateKernelSum fromSums = PrivateKernelSum.releaseFromGridSums(RBF, 2, sums, 1, features, 0.7, 5,
                TestNoise.seeded(8));
        PrivateKernelSum direct = PrivateKernelSum.release(RBF, one, features, 0.7, 5, TestNoise.seeded(8));
        assertTrue(java.util.Arrays.equals(direct.noisyMean(), fromSums.noisyMean()));
        assertEquals(1, fromSums.size());
        PrivateKernelSum secure = PrivateKernelSum.releaseFromGridSums(RBF, 2, sums, 1, features, 0.7, 5);
        assertEquals(direct.sensitivity(), secure.sensitivity(), 0.0);
        assertEquals(direct.granularity(), secure.granularity(), 0.0);
        assertEquals(1, secure.size());
        assertEquals(features, PrivateKernelSum.gridSums(RBF, one, features, 5, Integer.MAX_VALUE).length);
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> PrivateKernelSum.gridSums(RBF, one, features, 5, Integer.MAX_VALUE + 1L));
        assertTrue(e.getMessage().contains("between 1 and 2^31 - 1 rows, got 2147483648"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> PrivateKernelSum.releaseFromGridSums(RBF, 2, sums, 0, features,
                0.7, 5));
    }
}
