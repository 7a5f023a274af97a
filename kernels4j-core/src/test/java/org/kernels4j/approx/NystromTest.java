package org.kernels4j.approx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;

class NystromTest {

    @Test
    void withAllRowsAsLandmarksNystromReproducesTheKernel() {
        Matrix x = TestData.gaussian(40, 3, 1, 1);
        for (String spec : new String[] {"rbf(gamma=0.3)", "ntk(depth=3, activation=relu, w_var=2, b_var=0.1)"}) {
            Nystrom map = Nystrom.of(KernelSpec.parse(spec), x);
            FeatureMaps.Error e = FeatureMaps.approximationError(map, x);
            assertTrue(e.frobenius() < 1e-8 && e.spectral() < 1e-8, spec + ": " + e);
        }
        Nystrom small = Nystrom.fit(KernelSpec.parse("rbf(gamma=0.3)"), x, 10, Landmarks.Sampler.UNIFORM, 1e-3, 2);
        FeatureMaps.Error e = FeatureMaps.approximationError(small, x);
        assertTrue(e.frobenius() > 1e-4 && e.frobenius() < 1, "10 landmarks approximate: " + e);
        // on the landmarks themselves the approximation is exact
        FeatureMaps.Error onLandmarks = FeatureMaps.approximationError(small, small.landmarks());
        assertTrue(onLandmarks.frobenius() < 1e-8, onLandmarks.toString());
    }

    @Test
    void leverageScoresFromAFullPilotAreExact() {
        Matrix x = TestData.gaussian(30, 2, 1, 3);
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        double lambda = 0.1;
        double[] approx = Landmarks.approximateLeverageScores(k, x, lambda, 30, 4);
        Matrix kk = GramEngine.gram(k, x);
        Matrix reg = kk.copy();
        for (int i = 0; i < 30; i++) {
            reg.set(i, i, reg.get(i, i) + lambda);
        }
        try (Cholesky c = Cholesky.factor(reg, "test")) {
            Matrix hat = kk.times(c.solve(Matrix.identity(30))); // K(K + λI)⁻¹
            double total = 0;
            for (int i = 0; i < 30; i++) {
                assertEquals(hat.get(i, i), approx[i], 1e-10, "score " + i);
                total += approx[i];
            }
            assertEquals(FeatureMaps.effectiveDimension(k, x, lambda), total, 1e-9, "scores sum to d_eff");
        }
        double[] pilot = Landmarks.approximateLeverageScores(k, x, lambda, 10, 4);
        for (int i = 0; i < 30; i++) {
            assertTrue(pilot[i] >= approx[i] - 1e-12, "a pilot over-estimates the score");
        }
    }

    /**
     * Recursive sampling gives constant-factor approximations of the ridge leverage scores (Musco &amp;
     * Musco, Theorem 7): checked against the exact formula on data with a rare far-away cluster,
     * whose few points have high scores that a small uniform pilot misses.
     */
    @Test
    void recursiveLeverageScoresApproximateTheExactOnes() {
        Matrix x = TestData.gaussian(600, 2, 1, 21);
        for (int i = 0; i < 6; i++) {
            x.set(i, 0, x.get(i, 0) * 0.1 + 30); // a rare, far cluster
        }
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        double lambda = 0.5;
        double[] exact = Landmarks.approximateLeverageScores(k, x, lambda, 600, 1); // full pilot = exact
        double dEff = FeatureMaps.effectiveDimension(k, x, lambda);
        assertTrue(dEff > 20 && dEff < 40, "d_eff " + dEff);
        double[] rec = Landmarks.recursiveLeverageScores(k, x, lambda, 120, 2); // about 4·d_eff
        double[] ratio = new double[600];
        for (int i = 0; i < 600; i++) {
            ratio[i] = rec[i] / exact[i];
            assertTrue(ratio[i] > 0.3 && ratio[i] < 5, // seeds 1-10 give ranges within [0.41, 3.33]
                     "row " + i + ": " + rec[i] + " vs exact " + exact[i]);
        }
        java.util.Arrays.sort(ratio);
        assertTrue(ratio[300] > 0.8 && ratio[300] < 2, "median ratio " + ratio[300]);
        int[] picked = Landmarks.leverage(k, x, 30, lambda, 3);
        int rare = 0;
        for (int i : picked) {
            rare += i < 6 ? 1 : 0;
        }
        assertTrue(rare >= 1, "leverage sampling finds the rare cluster");
    }

    /** k-DPP marginals P(i ∈ S) against enumeration of all pairs, P(S) ∝ det(L_S). */
    @Test
    void kDppInclusionProbabilitiesMatchEnumeration() {
        Matrix x = TestData.gaussian(6, 2, 1, 5);
        Matrix l = GramEngine.gram(KernelSpec.parse("rbf(gamma=0.8)"), x);
        double[] exact = new double[6];
        double z = 0;
        for (int a = 0; a < 6; a++) {
            for (int b = a + 1; b < 6; b++) {
                double det = l.get(a, a) * l.get(b, b) - l.get(a, b) * l.get(b, a);
                exact[a] += det;
                exact[b] += det;
                z += det;
            }
        }
        int draws = 20000;
        double[] count = new double[6];
        Random r = new Random(6);
        for (int s = 0; s < draws; s++) {
            int[] pick = Landmarks.kDppOfMatrix(l, 2, r);
            assertTrue(pick[0] != pick[1]);
            count[pick[0]]++;
            count[pick[1]]++;
        }
        for (int i = 0; i < 6; i++) {
            double p = exact[i] / z;
            assertEquals(p, count[i] / draws, 4 * Math.sqrt(p * (1 - p) / draws), "item " + i);
        }
    }

    @Test
    void samplersReturnDistinctSortedRowsAndKmeansCoversClusters() {
        Matrix x = TestData.gaussian(300, 2, 0.05, 7);
        for (int i = 0; i < 300; i++) {
            x.set(i, 0, x.get(i, 0) + 10 * (i % 3)); // three far-apart clusters
        }
        Kernel k = KernelSpec.parse("rbf(gamma=1)");
        for (Landmarks.Sampler s : Landmarks.Sampler.values()) {
            int[] idx = Landmarks.select(s, k, x, 12, 1e-2, 8);
            assertEquals(12, idx.length, s.toString());
            Set<Integer> seen = new HashSet<>();
            for (int j = 0; j < idx.length; j++) {
                assertTrue(idx[j] >= 0 && idx[j] < 300 && seen.add(idx[j]), s + " index " + idx[j]);
                assertTrue(j == 0 || idx[j] > idx[j - 1], s + " sorted");
            }
        }
        int[] three = Landmarks.kMeansPlusPlus(k, x, 3, 9);
        Set<Integer> clusters = new HashSet<>();
        for (int i : three) {
            clusters.add(i % 3);
        }
        assertEquals(3, clusters.size(), "k-means++ picks one centre per far-apart cluster");
        assertEquals(Landmarks.Sampler.KMEANS_PP, Landmarks.Sampler.parse("kmeans++"));
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> Landmarks.Sampler.parse("random"));
        assertTrue(e.getMessage().contains("uniform, kmeans++, leverage, dpp, logdet, kt, inchol"), e.getMessage());
        assertEquals(Landmarks.Sampler.THINNING, Landmarks.Sampler.parse("kt"));
        assertEquals(Landmarks.Sampler.THINNING, Landmarks.Sampler.parse("kernel-thinning"));
        assertThrows(Kernels4jException.class, () -> Landmarks.select(Landmarks.Sampler.UNIFORM, k, x, 301, 1, 1));
    }

    @Test
    void crossNormalTimesMatchesExplicitProducts() {
        Matrix x = TestData.gaussian(700, 3, 1, 10); // several row bands and column tiles
        Matrix c = TestData.gaussian(300, 3, 1, 11);
        Matrix v = TestData.gaussian(300, 2, 1, 12);
        Matrix y = TestData.gaussian(700, 2, 1, 13);
        Kernel k = KernelSpec.parse("matern(nu=1.5, length=0.7)");
        Matrix knm = GramEngine.cross(k, x, c);
        Matrix expected = knm.transpose().times(knm.times(v));
        Matrix got = GramEngine.crossNormalTimes(k, x, c, v, null, org.kernels4j.ProgressListener.NONE);
        assertTrue(got.maxAbsDifference(expected) < 1e-9 * 700, "K'Kv " + got.maxAbsDifference(expected));
        Matrix ky = GramEngine.crossNormalTimes(k, x, c, null, y, org.kernels4j.ProgressListener.NONE);
        assertTrue(ky.maxAbsDifference(knm.transpose().times(y)) < 1e-10 * 700, "K'y");
    }

    @Test
    void thinnedLandmarksAreCloserToTheDataInMmdThanUniformOnes() {
        // KT's guarantee: MMD(landmarks, data) = O(√log n / m) against O(1/√m) for uniform rows; over 6 seeds the
        // mean MMD of 32 thinned landmarks from 1,000 Gaussian rows is below half the uniform one's.
        Matrix x = TestData.gaussian(1000, 2, 1, 31);
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        double kt = 0;
        double uniform = 0;
        for (long seed = 0; seed < 6; seed++) {
            int[] a = Landmarks.select(Landmarks.Sampler.THINNING, k, x, 32, 0, seed);
            int[] b = Landmarks.select(Landmarks.Sampler.UNIFORM, k, x, 32, 0, seed);
            assertEquals(32, java.util.Arrays.stream(a).distinct().count());
            kt += org.kernels4j.thinning.Mmd.of(k, x, new org.kernels4j.thinning.Coreset(a, null, Double.NaN, "kt"));
            uniform += org.kernels4j.thinning.Mmd.of(k, x, new org.kernels4j.thinning.Coreset(b, null, Double.NaN, "u"));
        }
        assertTrue(kt < 0.5 * uniform, "mean MMD: kt " + kt / 6 + ", uniform " + uniform / 6);
        // a non-Gaussian kernel thins with the target split kernel
        int[] laplace = Landmarks.select(Landmarks.Sampler.THINNING, KernelSpec.parse("laplacian(gamma=1)"), x, 100, 0, 1);
        assertEquals(100, java.util.Arrays.stream(laplace).distinct().count());
    }
}
