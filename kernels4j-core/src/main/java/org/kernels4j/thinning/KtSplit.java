package org.kernels4j.thinning;

import java.util.SplittableRandom;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * KT-SPLIT (Dwivedi &amp; Mackey, "Kernel thinning", arXiv 2105.05842, Alg. 1a; the adaptive threshold of
 * goodpoints' {@code kt.split}): m rounds of randomised halving, each coreset split into two children
 * whose kernel mean embeddings are balanced.
 *
 * <p>A coreset c = (c_0, c_1, …) is halved pair by pair: for pair p, x₂ = c_{2p}, x₁ = c_{2p+1},
 * f = k(·, x₁) − k(·, x₂), b² = ‖f‖² = k₁₁ + k₂₂ − 2k₁₂ and
 * <pre>
 *   α = Σ_{l&lt;2p} f(c_l) − 2·Σ_{q&lt;p} f(left_q)            (= ⟨f, Σ right − Σ left⟩)
 *   a = max(√(σ²·b²·L_j), b²),  L_j = 2·log(2nm/δ) − 2j·log 2   (level j = 0..m−1)
 *   σ² ← b² the first time, then σ² += 2b²·max(0, ½ + (b²/(2a) − 1)·σ²/a)
 *   with probability ½(1 − α/a): x₂ → left, x₁ → right; otherwise the reverse.
 * </pre>
 * The decisions are unchanged when k is multiplied by a constant. goodpoints processes the levels
 * interleaved as the points stream in; here each coreset is halved completely, level by level, with its
 * own random stream (seeded from the seed, level and coreset number). The pairs and thresholds of a
 * coreset depend only on that coreset's points and order, so the output has the same distribution.
 * goodpoints subtracts 2(j−1) from L at level j where the notes' formula subtracts 2j·log 2; that only
 * shifts the threshold's constant.
 *
 * <p>Cost: the sums over earlier points need the lower triangle of the coreset's own Gram matrix, which
 * is computed in row bands through {@link GramEngine} (one GEMM per tile): s²/2…s² kernel values per
 * coreset of size s, so about n² over all m levels; memory O(band·s), at most 64 MiB.
 */
final class KtSplit {
    private static final long BAND_VALUES = 1L << 23;

    private KtSplit() {
    }

    /** Seed of coreset {@code index} at level {@code level}. */
    static long streamSeed(long seed, int level, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + (level + 1) * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * 2^m coresets of size ⌊|input|/2^m⌋ (rows of x). A trailing point that cannot be paired at some
     * level is dropped there, as in goodpoints.
     */
    static int[][] split(Kernel kernel, Matrix x, int[] input, int m, double delta, long seed) {
        int n = input.length;
        double base = m == 0 ? 0 : 2 * Math.log(2.0 * n * m / delta);
        int[][] level = {input};
        for (int j = 0; j < m; j++) {
            double logMultiplier = Math.max(0, base - 2 * j * Math.log(2));
            int[][] next = new int[level.length * 2][];
            for (int c = 0; c < level.length; c++) {
                SplittableRandom rng = new SplittableRandom(streamSeed(seed, j, c));
                int[][] halves = halve(kernel, x, level[c], logMultiplier, rng);
                next[2 * c] = halves[0];
                next[2 * c + 1] = halves[1];
            }
            level = next;
        }
        return level;
    }

    /** One KT-SPLIT round on coreset c (rows of x): {left, right}, each ⌊|c|/2⌋ points. */
    static int[][] halve(Kernel kernel, Matrix x, int[] c, double logMultiplier, SplittableRandom rng) {
        int pairs = c.length / 2;
        int[] left = new int[pairs];
        int[] right = new int[pairs];
        int[] leftPos = new int[pairs]; // position in c of each left point
        if (pairs == 0) {
            return new int[][] {left, right};
        }
        int used = 2 * pairs;
        double sigma2 = 0;
        // rows per band: even, enough that a band of K has at most BAND_VALUES entries
        int bandRows = (int) Math.min(used, Math.max(2, (BAND_VALUES / used) & ~1L));
        Matrix all = used <= SmallGram.DIRECT ? null : x.selectRows(java.util.Arrays.copyOf(c, used));
        Matrix g = null;
        int gRows = 0;
        int gCols = 0;
        int gStart = 0;
        boolean full = (long) used * used <= BAND_VALUES;
        if (used <= SmallGram.DIRECT) {
            g = Matrix.wrap(used, used, SmallGram.gram(kernel, x, c, used));
            gRows = used;
            gCols = used;
        } else if (full) {
            g = GramEngine.gram(kernel, all);
            gRows = used;
            gCols = used;
        }
        for (int p0 = 0; p0 < pairs; p0 += bandRows / 2) {
            int p1 = Math.min(pairs, p0 + bandRows / 2);
            if (!full) {
                gStart = 2 * p0;
                gRows = 2 * (p1 - p0);
                gCols = 2 * p1;
                g = GramEngine.cross(kernel, all.rowRange(gStart, gStart + gRows), all.rowRange(0, gCols));
            }
            double[] gd = g.data();
            for (int p = p0; p < p1; p++) {
                int u2 = 2 * p;
                int u1 = 2 * p + 1;
                int r2 = (u2 - gStart) * gCols;
                int r1 = (u1 - gStart) * gCols;
                double k11 = gd[r1 + u1];
                double k22 = gd[r2 + u2];
                double k12 = gd[r1 + u2];
                double b2 = k11 + k22 - 2 * k12;
                double thresh = Math.max(Math.sqrt(sigma2 * b2 * logMultiplier), b2);
                if (sigma2 == 0) {
                    sigma2 = b2;
                } else if (thresh != 0) {
                    double update = 0.5 + (b2 / (2 * thresh) - 1) * sigma2 / thresh;
                    if (update > 0) {
                        sigma2 += 2 * b2 * update;
                    }
                }
                if (thresh == 0) {
                    thresh = 1; // b² = 0: the two points are the same function, either choice is as good
                }
                double alpha = 0;
                for (int l = 0; l < u2; l++) {
                    alpha += gd[r1 + l] - gd[r2 + l];
                }
                for (int q = 0; q < p; q++) {
                    int l = leftPos[q];
                    alpha -= 2 * (gd[r1 + l] - gd[r2 + l]);
                }
                double probSecondLeft = 0.5 * (1 - alpha / thresh);
                if (rng.nextDouble() <= probSecondLeft) {
                    left[p] = c[u2];
                    right[p] = c[u1];
                    leftPos[p] = u2;
                } else {
                    left[p] = c[u1];
                    right[p] = c[u2];
                    leftPos[p] = u1;
                }
            }
        }
        return new int[][] {left, right};
    }
}
