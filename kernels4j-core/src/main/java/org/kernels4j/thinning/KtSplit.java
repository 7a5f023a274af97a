package org.kernels4j.thinning;

import java.util.SplittableRandom;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.GramInputs;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.ElementOps;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

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
 * <p>Cost: α needs the coreset's own Gram matrix below the diagonal. It is computed in bands of pair rows as
 * GEMM tiles (prepared inputs, tiles in parallel), each tile folded at once to the pair differences D_pq (see
 * {@link #halve(Kernel, Matrix, int[], double, SplittableRandom, long, TargetPass)}); the sequential part is
 * one dot product of length p per pair. s²/2 kernel values per coreset of size s, so about n² over all m
 * levels; memory O(band), at most 64 MiB. {@link TargetPass} lets the first level also give KT-SWAP's row
 * means from the same tiles.
 */
final class KtSplit {
    static final long BAND_VALUES = 1L << 23;

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
        return split(kernel, x, input, m, delta, seed, null);
    }

    /** {@link #split(Kernel, Matrix, int[], int, double, long)} with its first halving done as {@code firstLevel}. */
    static int[][] split(Kernel kernel, Matrix x, int[] input, int m, double delta, long seed, TargetPass firstLevel) {
        int n = input.length;
        double base = m == 0 ? 0 : 2 * Math.log(2.0 * n * m / delta);
        int[][] level = {input};
        for (int j = 0; j < m; j++) {
            double logMultiplier = Math.max(0, base - 2 * j * Math.log(2));
            int[][] next = new int[level.length * 2][];
            for (int c = 0; c < level.length; c++) {
                SplittableRandom rng = new SplittableRandom(streamSeed(seed, j, c));
                int[][] halves = halve(kernel, x, level[c], logMultiplier, rng, BAND_VALUES, j == 0 ? firstLevel : null);
                next[2 * c] = halves[0];
                next[2 * c + 1] = halves[1];
            }
            level = next;
        }
        return level;
    }

    /** One KT-SPLIT round on coreset c (rows of x): {left, right}, each ⌊|c|/2⌋ points. */
    static int[][] halve(Kernel kernel, Matrix x, int[] c, double logMultiplier, SplittableRandom rng) {
        return halve(kernel, x, c, logMultiplier, rng, BAND_VALUES, null);
    }

    /**
     * A halving that evaluates the <em>target</em> kernel and derives the split kernel's values from it
     * ({@link SplitKernel#fromTarget}), adding on the way each point's target-kernel row sum over the coreset:
     * {@code rowSums[i] = Σ_j k(c_i, c_j)} (i, j positions in c, which must have even length). KT-SWAP needs
     * those row sums anyway, so this saves a separate pass over the n²/2 target values.
     */
    record TargetPass(Kernel target, SplitKernel.TargetToSplit toSplit, double[] rowSums) {
    }

    /**
     * {@link #halve(Kernel, Matrix, int[], double, SplittableRandom)} with bands of at most {@code bandValues}
     * pair differences (tests use small bands to cross band boundaries).
     *
     * <p>Why pair differences: with x₂ = c_{2q}, x₁ = c_{2q+1} the pair q's contribution to α_p is
     * ±D_pq, D_pq = k(x₁ₚ, x₁_q) − k(x₁ₚ, x₂_q) − k(x₂ₚ, x₁_q) + k(x₂ₚ, x₂_q) (+ when x₂_q went left), and
     * D_pp = b²ₚ. So the parallel part (GEMM tiles of K, each folded to its 2×2 pair blocks while in cache)
     * does all the kernel work, and the sequential part is one length-p dot product per pair with the
     * ±1 decisions so far: p multiply-adds instead of 3p scattered reads.
     */
    static int[][] halve(Kernel kernel, Matrix x, int[] c, double logMultiplier, SplittableRandom rng, long bandValues,
            TargetPass pass) {
        int pairs = c.length / 2;
        int[] left = new int[pairs];
        int[] right = new int[pairs];
        if (pass != null && (c.length % 2 != 0 || pass.rowSums().length != c.length)) {
            throw new IllegalArgumentException("a target pass needs an even coreset and one row sum per point");
        }
        if (pairs == 0) {
            return new int[][] {left, right};
        }
        int used = 2 * pairs;
        double[] sign = new double[pairs]; // +1: x₂ of that pair went left, −1: x₁ did
        double sigma2 = 0;
        boolean small = used <= SmallGram.DIRECT;
        int tilePairs = Math.max(1, GramEngine.tileSize() / 2);
        // tiled bands start at multiples of the tile, so no tile straddles the diagonal (the row sums need that)
        int bandPairs = (int) Math.min(pairs, small ? pairs : Math.max(tilePairs, bandValues / pairs / tilePairs * tilePairs));
        ElementOps ops = ElementOps.get();
        try (PairDifferences diffs = small ? new SmallPairDifferences(kernel, x, c, used, pass)
                : new TiledPairDifferences(kernel, x.selectRows(java.util.Arrays.copyOf(c, used)), pass)) {
            double[] band = new double[(int) Math.min((long) bandPairs * pairs, (long) pairs * pairs)];
            for (int p0 = 0; p0 < pairs; p0 += bandPairs) {
                int p1 = Math.min(pairs, p0 + bandPairs);
                diffs.fill(p0, p1, band); // rows p0..p1−1, columns 0..p1−1, stride p1
                for (int p = p0; p < p1; p++) {
                    int row = (p - p0) * p1;
                    double b2 = Math.max(0, band[row + p]);
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
                    double alpha = ops.dot(band, row, sign, 0, p);
                    double probSecondLeft = 0.5 * (1 - alpha / thresh);
                    if (rng.nextDouble() <= probSecondLeft) {
                        left[p] = c[2 * p];
                        right[p] = c[2 * p + 1];
                        sign[p] = 1;
                    } else {
                        left[p] = c[2 * p + 1];
                        right[p] = c[2 * p];
                        sign[p] = -1;
                    }
                }
            }
        }
        return new int[][] {left, right};
    }

    /** The pair-difference matrix D of a coreset, band by band. */
    private interface PairDifferences extends AutoCloseable {
        /** out[(p − p0)·p1 + q] = D_pq for p in [p0, p1) and q in [0, p] (entries with q &gt; p may be written too). */
        void fill(int p0, int p1, double[] out);

        @Override
        void close();
    }

    /** Small coresets: the whole Gram matrix in plain Java ({@link SmallGram}), folded at once. */
    private static final class SmallPairDifferences implements PairDifferences {
        private final double[] g;
        private final int used;

        SmallPairDifferences(Kernel kernel, Matrix x, int[] c, int used, TargetPass pass) {
            this.used = used;
            if (pass == null) {
                this.g = SmallGram.gram(kernel, x, c, used);
                return;
            }
            this.g = SmallGram.gram(pass.target(), x, c, used);
            for (int i = 0; i < used; i++) {
                double s = 0;
                for (int j = 0; j < used; j++) {
                    s += g[i * used + j];
                }
                pass.rowSums()[i] += s;
            }
            pass.toSplit().apply(g, g.length);
        }

        @Override
        public void fill(int p0, int p1, double[] out) {
            for (int p = p0; p < p1; p++) {
                int r2 = 2 * p * used;
                int r1 = r2 + used;
                int o = (p - p0) * p1;
                for (int q = 0; q <= p; q++) {
                    out[o + q] = g[r1 + 2 * q + 1] - g[r2 + 2 * q + 1] - g[r1 + 2 * q] + g[r2 + 2 * q];
                }
            }
        }

        @Override
        public void close() {
        }
    }

    /**
     * Large coresets: the coreset's rows are prepared once ({@link GramInputs}: an off-heap copy and norms); each
     * band is computed as GEMM tiles of K on or below the diagonal, in parallel, each tile folded into its pair
     * differences while it is in cache. Memory: the band (at most {@code BAND_VALUES} doubles) and one tile per
     * thread.
     */
    private static final class TiledPairDifferences implements PairDifferences {
        private final Kernel kernel;
        private final GramInputs inputs;
        private final int tilePairs = Math.max(1, GramEngine.tileSize() / 2);
        private final java.util.List<GramBlock> blocks = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        private final ThreadLocal<GramBlock> block = new ThreadLocal<>();
        private final ThreadLocal<double[]> buffer = new ThreadLocal<>();

        private final TargetPass pass;

        TiledPairDifferences(Kernel kernel, Matrix points, TargetPass pass) {
            this.kernel = pass == null ? kernel : pass.target();
            this.pass = pass;
            this.inputs = new GramInputs(points.requireFinite("input data"), points.columnMeans());
        }

        @Override
        public void fill(int p0, int p1, double[] out) {
            int rowTiles = (p1 - p0 + tilePairs - 1) / tilePairs;
            // tile (r, q): pair rows [p0 + r·T, …), pair columns [q·T, …) up to the row tile's end
            int[] tileRow = new int[rowTiles * ((p1 + tilePairs - 1) / tilePairs)];
            int[] tileCol = new int[tileRow.length];
            int count = 0;
            for (int r = 0; r < rowTiles; r++) {
                int rEnd = Math.min(p1, p0 + (r + 1) * tilePairs);
                for (int q = 0; q * tilePairs < rEnd; q++) {
                    tileRow[count] = r;
                    tileCol[count] = q;
                    count++;
                }
            }
            int tiles = count;
            int span = 2 * tilePairs;
            double[][] rowPart = pass == null ? null : new double[tiles][];
            double[][] colPart = pass == null ? null : new double[tiles][];
            Parallelism.forEachBlock(tiles, t -> {
                GramBlock b = block.get();
                if (b == null) {
                    b = new GramBlock(inputs, inputs, true, span * span);
                    blocks.add(b);
                    block.set(b);
                    buffer.set(new double[span * span]);
                }
                double[] buf = buffer.get();
                int r0 = p0 + tileRow[t] * tilePairs;
                int r1 = Math.min(p1, r0 + tilePairs);
                int q0 = tileCol[t] * tilePairs;
                int q1 = Math.min(r1, q0 + tilePairs);
                int w = 2 * (q1 - q0);
                b.moveTo(2 * r0, 2 * (r1 - r0), 2 * q0, w);
                kernel.computeBlock(b, buf);
                if (pass != null) {
                    sums(t, buf, 2 * (r1 - r0), w, q1 <= r0, rowPart, colPart);
                    pass.toSplit().apply(buf, 2 * (r1 - r0) * w);
                }
                for (int a = 0; a < r1 - r0; a++) {
                    int i2 = 2 * a * w;
                    int i1 = i2 + w;
                    int o = (r0 + a - p0) * p1 + q0;
                    for (int j = 0; j < q1 - q0; j++) {
                        out[o + j] = buf[i1 + 2 * j + 1] - buf[i2 + 2 * j + 1] - buf[i1 + 2 * j] + buf[i2 + 2 * j];
                    }
                }
            });
            if (pass != null) { // added in tile order: the sums do not depend on the threads
                double[] rowSums = pass.rowSums();
                for (int t = 0; t < tiles; t++) {
                    int r0 = 2 * (p0 + tileRow[t] * tilePairs);
                    for (int i = 0; i < rowPart[t].length; i++) {
                        rowSums[r0 + i] += rowPart[t][i];
                    }
                    if (colPart[t] != null) {
                        int c0 = 2 * tileCol[t] * tilePairs;
                        for (int j = 0; j < colPart[t].length; j++) {
                            rowSums[c0 + j] += colPart[t][j];
                        }
                    }
                }
            }
        }

        private static final ThreadLocal<double[]> ONES = ThreadLocal.withInitial(() -> {
            double[] a = new double[GramEngine.tileSize()];
            java.util.Arrays.fill(a, 1.0);
            return a;
        });

        /** Tile t's row sums, and its column sums when it lies below the diagonal (they are the mirror tile's rows). */
        private static void sums(int t, double[] buf, int h, int w, boolean offDiagonal, double[][] rowPart,
                double[][] colPart) {
            double[] rows = new double[h];
            double[] cols = offDiagonal ? new double[w] : null;
            double[] ones = ONES.get();
            ElementOps ops = ElementOps.get();
            for (int i = 0; i < h; i++) {
                int off = i * w;
                rows[i] = ops.dot(buf, off, ones, 0, w); // a vector reduction: a plain loop is bound by add latency
                if (cols != null) {
                    for (int j = 0; j < w; j++) {
                        cols[j] += buf[off + j];
                    }
                }
            }
            rowPart[t] = rows;
            colPart[t] = cols;
        }

        @Override
        public void close() {
            for (GramBlock b : blocks) {
                b.release();
            }
            inputs.close();
        }
    }
}
