package org.kernels4j.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelState;

/** The exact sampler, the grid, the secure source and the recorded accounting. */
class DiscreteLaplaceTest {
    /**
     * Chi-square of 200,000 draws against the exact pmf (1 − q)/(1 + q)·q^|z|, q = e^(−s/t), over the cells
     * with expected count ≥ 5 plus the two pooled tails; the threshold is the chi-square 0.999 quantile
     * for those degrees of freedom (Wilson–Hilferty), so a correct sampler fails with probability 10^-3
     * per scale (seeded: deterministic).
     */
    @Test
    void samplerMatchesTheExactPmf() {
        long[][] params = {{3, 1}, {7, 8}, {5L * (1 << 20) + 3, 1 << 20}, {1, 1 << 30}};
        for (long[] ts : params) {
            NoiseSource noise = TestNoise.seeded(ts[0] * 31 + ts[1]);
            int draws = 200_000;
            Map<Long, Integer> counts = new HashMap<>();
            for (int i = 0; i < draws; i++) {
                counts.merge(noise.discreteLaplace(ts[0], ts[1]), 1, Integer::sum);
            }
            double scale = (double) ts[0] / ts[1];
            long k = 0;
            while (draws * DiscreteLaplace.pmf(k + 1, scale) >= 5) {
                k++;
            }
            double chi = 0;
            int cells = 0;
            double inside = 0;
            int observedInside = 0;
            for (long z = -k; z <= k; z++) {
                double e = draws * DiscreteLaplace.pmf(z, scale);
                int o = counts.getOrDefault(z, 0);
                chi += (o - e) * (o - e) / e;
                inside += DiscreteLaplace.pmf(z, scale);
                observedInside += o;
                cells++;
            }
            {
                int tails = draws - observedInside;
                double e = draws * (1 - inside);
                if (e >= 5) {
                    chi += (tails - e) * (tails - e) / e;
                    cells++;
                } else {
                    assertTrue(tails <= 5 + 5 * Math.sqrt(e + 1), "tail of scale " + scale);
                }
            }
            int df = Math.max(1, cells - 1);
            double z = 3.090; // the standard normal 0.999 quantile
            double threshold = df * Math.pow(1 - 2.0 / (9 * df) + z * Math.sqrt(2.0 / (9 * df)), 3);
            assertTrue(chi <= threshold, "scale " + scale + ": chi-square " + chi + " over " + df + " df > " + threshold);
        }
    }

    @Test
    void varianceIsTheContinuousLaplacesUpToTheGrid() {
        double scale = 50;
        NoiseSource noise = TestNoise.seeded(77);
        int draws = 200_000;
        double sq = 0;
        double sum = 0;
        for (int i = 0; i < draws; i++) {
            long z = noise.discreteLaplace(50, 1);
            sq += (double) z * z;
            sum += z;
        }
        double exact = DiscreteLaplace.variance(scale);
        assertEquals(2 * scale * scale, exact, 1.0 / 6 + 1e-6, "2q/(1 − q)² = 2τ² − 1/6 + O(1/τ²)");
        // the sample variance has relative sd √(5/N) (kurtosis 6)
        assertEquals(exact, sq / draws, 5 * exact * Math.sqrt(5.0 / draws));
        assertEquals(0, sum / draws, 5 * Math.sqrt(exact / draws));
    }

    @Test
    void scaleIsRoundedUpExactlyAndBounded() {
        long[] ts = GridLaplace.scale(3, 1, 0.25); // τ = 12
        assertEquals(12.0, (double) ts[0] / ts[1], 0.0);
        ts = GridLaplace.scale(0.1, 3, 0x1p-10); // τ = 102.4/3, not dyadic: rounded up by < 2^-29
        double tau = 0.1 / 3 / 0x1p-10;
        assertTrue((double) ts[0] / ts[1] >= tau && (double) ts[0] / ts[1] <= tau * (1 + 0x1p-29));
        ts = GridLaplace.scale(1, 1e15, 1); // no noise to speak of: τ′ = 2^-30 at least
        assertEquals(1, ts[0]);
        assertThrows(Kernels4jException.class, () -> GridLaplace.scale(1, 1e-20, 0x1p-10));
        assertEquals(0.25, GridLaplace.powerOfTwoAtMost(0.3), 0.0);
        assertEquals(3, GridLaplace.roundDiv(5, 2));
        assertEquals(-2, GridLaplace.roundDiv(-5, 2));
        assertEquals(2, GridLaplace.roundDiv(7, 4));
    }

    @Test
    void releasedValuesLieOnTheDeclaredGridAndNoiseDiffersAcrossReleases() {
        Matrix x = TestData.gaussian(100, 3, 1.0, 9);
        var est = PrivateKernelSum.builder(KernelSpec.parse("rbf(gamma=0.5)")).features(64).epsilon(1).build();
        PrivateKernelSum a = est.fit(x);
        PrivateKernelSum b = est.fit(x); // same options, same public frequencies: only the noise differs
        assertEquals(0.0, a.frequencies().maxAbsDifference(b.frequencies()));
        assertFalse(Arrays.equals(a.noisyMean(), b.noisyMean()), "fresh secure noise for every release");
        for (double v : a.noisyMean()) {
            assertEquals(Math.rint(v / a.granularity()), v / a.granularity(), 0.0, "on the grid: " + v);
        }
        assertEquals(a.granularity(), GridLaplace.powerOfTwoAtMost(a.granularity()), 0.0, "a power of two");
        var dist = PrivateDistanceSum.builder(PrivateDistanceSum.Norm.L1).range(-3, 3).levels(5).epsilon(1).build();
        PrivateDistanceSum d1 = dist.fit(x);
        PrivateDistanceSum d2 = dist.fit(x);
        assertFalse(Arrays.equals(d1.trees()[1].data(), d2.trees()[1].data()));
        for (double v : d1.trees()[0].data()) {
            assertEquals(Math.rint(v / d1.countGranularity()), v / d1.countGranularity(), 0.0);
        }
        for (double v : d1.trees()[1].data()) {
            assertEquals(Math.rint(v / d1.sumGranularity()), v / d1.sumGranularity(), 0.0);
        }
        assertTrue(List.of("DRBG", "NativePRNG", "SHA1PRNG").contains(SecureBits.algorithm()), SecureBits.algorithm());
    }

    /** Nothing in the privacy package is seeded from the clock or a constant; the only seeded generator is the public projection's. */
    @Test
    void noNoiseIsSeededFromTimeOrAConstant() throws IOException {
        Path dir = Path.of("src/main/java/org/kernels4j/privacy");
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String src = Files.readString(f);
                assertFalse(src.contains("nanoTime") || src.contains("currentTimeMillis") || src.contains("setSeed"),
                        f + " reads the clock or sets a seed");
                assertFalse(src.contains("noiseSeed"), f + " has a noise seed");
                long seeded = src.lines().filter(l -> l.contains("new Random(") || l.contains("new SplittableRandom(")
                        || l.contains("RandomGenerator.of(")).count();
                if (f.getFileName().toString().equals("PrivateDistanceSum.java")) {
                    assertEquals(1, seeded, "only the public projection is seeded");
                    assertTrue(src.contains("Random r = new Random(seed);"));
                } else {
                    assertEquals(0, seeded, f + " creates a seeded generator");
                }
            }
        }
    }

    @Test
    void filesRecordTheAccountingAndOldFilesStillLoad() {
        Matrix x = TestData.gaussian(60, 2, 1.0, 4);
        PrivateKernelSum p = PrivateKernelSum.release(KernelSpec.parse("rbf(gamma=1)"), x, 16, 0.5, 2, TestNoise.seeded(1));
        ModelState s = new PrivateKernelSumCodec().encode(p);
        for (String f : List.of("epsilon", "mechanism", "sensitivity_l1", "granularity", "laplace_scale", "neighbours",
                "noisy_values", "queries", "n")) {
            assertTrue(s.has("privacy." + f), f);
            assertTrue(p.report().has(f), f);
        }
        assertEquals(16, p.report().number("noisy_values"));
        PrivateKernelSum back = new PrivateKernelSumCodec().decode(s);
        assertEquals(p.granularity(), back.granularity(), 0.0);
        assertEquals(PrivateKernelSum.MECHANISM, back.mechanism());
        // a file from before: no granularity, the old mechanism text
        Map<String, Object> old = new HashMap<>(s.fields());
        old.remove("privacy.granularity");
        old.remove("privacy.noisy_values");
        old.remove("privacy.queries");
        old.put("privacy.mechanism", PrivateKernelSum.LEGACY_MECHANISM);
        PrivateKernelSum legacy = new PrivateKernelSumCodec().decode(ModelState.of(s.kind(), old, s.arrays()));
        assertEquals(0.0, legacy.granularity(), 0.0);
        assertEquals(PrivateKernelSum.LEGACY_MECHANISM, legacy.report().text("mechanism"));
        PrivateDistanceSum d = PrivateDistanceSum.release(PrivateDistanceSum.Norm.L1, x, -3, 3, 4, 0, 1, 0,
                TestNoise.seeded(2));
        ModelState ds = new PrivateDistanceSumCodec().encode(d);
        for (String f : List.of("count_sensitivity_l1", "sum_sensitivity_l1", "count_granularity", "sum_granularity",
                "noisy_values", "queries")) {
            assertTrue(ds.has("privacy." + f), f);
        }
        Map<String, Object> oldD = new HashMap<>(ds.fields());
        oldD.keySet().removeIf(k -> k.contains("granularity") || k.contains("sensitivity") || k.contains("noisy")
                || k.contains("queries"));
        PrivateDistanceSum legacyD = new PrivateDistanceSumCodec().decode(ModelState.of(ds.kind(), oldD, ds.arrays()));
        assertEquals(0.0, legacyD.countGranularity(), 0.0);
        assertEquals(0.0, Matrix.column(legacyD.sums(x)).maxAbsDifference(Matrix.column(d.sums(x))), 1e-9);
    }
}
