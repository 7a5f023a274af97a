package org.kernels4j.gram;

import java.util.concurrent.atomic.AtomicLong;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.linalg.ElementOps;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeMatrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.GramInputs;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.StationaryKernel;

/**
 * Computes Gram matrices and matrix-free kernel products tile by tile.
 *
 * <p>Each tile costs one GEMM (2·t²·d flops at BLAS speed) and one element-wise pass over t²
 * values while they are still in cache. Tiles run in parallel on {@link Parallelism}'s workers
 * with single-threaded BLAS. For K(X, X) only tiles on or above the diagonal are computed and
 * mirrored, so the result is exactly symmetric and costs half the work.
 *
 * <p>Memory: the output (which the caller may provide, so an n×m matrix is never allocated twice),
 * one off-heap copy of the inputs (n·d), and two t×t buffers per thread. The tile size t defaults
 * to 256 and can be set with the system property {@code kernels4j.tile}.
 */
public final class GramEngine {
    static final int TILE = Math.max(16, Integer.getInteger("kernels4j.tile", 256));

    private GramEngine() {
    }

    /** The tile size t: bands and tiles hold at most t rows or columns (property {@code kernels4j.tile}, default 256). */
    public static int tileSize() {
        return TILE;
    }

    /** K(X, X), n×n, symmetric. */
    public static Matrix gram(Kernel kernel, Matrix x) {
        Matrix out = new Matrix(x.rows(), x.rows());
        gram(kernel, x, out, ProgressListener.NONE);
        return out;
    }

    /**
     * Writes K(X, X) into {@code out} (n×n).
     *
     * @param progress told how many tiles are done
     */
    public static void gram(Kernel kernel, Matrix x, Matrix out, ProgressListener progress) {
        int n = x.rows();
        requireShape(out.rows(), out.cols(), n, n, "Gram output");
        double[] o = out.data();
        symmetricTiles(kernel, x, progress, new TileSink() {
            @Override
            public void put(int r0, int c0, int h, int w, double[] tile) {
                for (int i = 0; i < h; i++) {
                    System.arraycopy(tile, i * w, o, (r0 + i) * n + c0, w);
                }
            }

            @Override
            public void putTransposed(int r0, int c0, int h, int w, double[] tile, double[] scratch) {
                Matrix.transpose(tile, 0, w, h, w, o, c0 * n + r0, n); // straight into the output: no second copy
            }
        });
    }

    /**
     * Writes K(X, X) into the off-heap matrix {@code out} (n×n), ready to be factored in place by
     * {@link org.kernels4j.linalg.Cholesky#factorInPlace} with no copy.
     */
    public static void gram(Kernel kernel, Matrix x, NativeMatrix out, ProgressListener progress) {
        int n = x.rows();
        requireShape(out.rows(), out.cols(), n, n, "Gram output");
        symmetricTiles(kernel, x, progress, new TileSink() {
            @Override
            public void put(int r0, int c0, int h, int w, double[] tile) {
                out.putBlock(r0, c0, h, w, tile);
            }

            @Override
            public void putTransposed(int r0, int c0, int h, int w, double[] tile, double[] scratch) {
                Matrix.transpose(tile, 0, w, h, w, scratch, 0, h);
                out.putBlock(c0, r0, w, h, scratch);
            }
        });
    }

    /** Receives finished tiles of a symmetric matrix. */
    private interface TileSink {
        /** Rows [r0, r0+h) × columns [c0, c0+w) from {@code tile}, row-major with stride w. */
        void put(int r0, int c0, int h, int w, double[] tile);

        /**
         * The transpose of the same tile, at rows [c0, c0+w) × columns [r0, r0+h); {@code scratch} holds h·w
         * doubles the sink may use.
         */
        void putTransposed(int r0, int c0, int h, int w, double[] tile, double[] scratch);
    }

    /** Rows of a diagonal tile's upper triangle transposed at once into its lower triangle (see {@link #mirrorUpper}). */
    private static final int MIRROR_BAND = 32;

    /**
     * Copies the strict upper triangle of the square tile {@code a} (size×size, row-major) over its lower triangle, so
     * a diagonal tile is exactly symmetric. Band by band: the lower part of rows [i0, i1) left of the band's diagonal
     * block is the transpose of the upper rows [0, i0) of columns [i0, i1); the small diagonal block is copied last.
     */
    static void mirrorUpper(double[] a, int size) {
        for (int i0 = 0; i0 < size; i0 += MIRROR_BAND) {
            int i1 = Math.min(size, i0 + MIRROR_BAND);
            Matrix.transpose(a, i0, size, i0, i1 - i0, a, i0 * size, size);
            for (int i = i0 + 1; i < i1; i++) {
                for (int j = i0; j < i; j++) {
                    a[i * size + j] = a[j * size + i];
                }
            }
        }
    }

    private static void symmetricTiles(Kernel kernel, Matrix x, ProgressListener progress, TileSink sink) {
        int n = x.rows();
        x.requireFinite("input data");
        int[][] upper = upperTilePairs(n);
        int[] ti = upper[0];
        int[] tj = upper[1];
        int pairs = ti.length;
        int cap = tileCapacity(n, n);
        try (GramInputs in = new GramInputs(x, x.columnMeans())) {
            runTiles(pairs, progress, cap, () -> new GramBlock(in, in, true, cap), (block, buf, scratch, p) -> {
                int r0 = ti[p] * TILE;
                int c0 = tj[p] * TILE;
                int rows = Math.min(TILE, n - r0);
                int cols = Math.min(TILE, n - c0);
                block.moveTo(r0, rows, c0, cols);
                kernel.computeBlock(block, buf);
                if (r0 == c0) {
                    // a diagonal tile: its upper triangle copied over its lower one, so K is exactly symmetric
                    mirrorUpper(buf, rows);
                    sink.put(r0, c0, rows, cols, buf);
                } else {
                    // the tile and its mirror image are written while the tile is still in cache
                    sink.put(r0, c0, rows, cols, buf);
                    sink.putTransposed(r0, c0, rows, cols, buf, scratch);
                }
            });
        }
    }

    /**
     * The derivatives ∂K(X, X)/∂log θ_p for every hyperparameter p of the kernel
     * ({@link Kernel#hyperparameters()} order), each n×n and symmetric. Memory p·n²; for learning,
     * {@link #gradientContractions} gives the needed sums without storing any of them.
     */
    public static Matrix[] gramGradients(Kernel kernel, Matrix x) {
        int n = x.rows();
        int count = kernel.hyperparameters().size();
        Matrix[] out = new Matrix[count];
        for (int p = 0; p < count; p++) {
            out[p] = new Matrix(n, n);
        }
        gradientTiles(kernel, x, (r0, c0, h, w, value, gradients) -> {
            for (int p = 0; p < count; p++) {
                double[] o = out[p].data();
                for (int i = 0; i < h; i++) {
                    for (int j = r0 == c0 ? i : 0; j < w; j++) { // a diagonal tile: its upper triangle, mirrored
                        double g = gradients[p][i * w + j];
                        o[(r0 + i) * n + c0 + j] = g;
                        o[(c0 + j) * n + r0 + i] = g;
                    }
                }
            }
            return null;
        });
        return out;
    }

    /**
     * {@code c_p = Σ_ij W_ij·∂K(X, X)_ij/∂log θ_p} for a symmetric n×n matrix W and every
     * hyperparameter p, without storing any derivative matrix: only tiles on or above the diagonal
     * are computed (off-diagonal ones count twice). This is the trace term of the Gaussian process
     * evidence gradient, tr(W·∂K), with W = ααᵀ − K⁻¹. Cost: one Gram pass plus one element-wise
     * pass per parameter over n²/2 entries. The per-tile sums are added in tile order, so the result
     * does not depend on thread scheduling.
     */
    public static double[] gradientContractions(Kernel kernel, Matrix x, Matrix w) {
        int n = x.rows();
        requireShape(w.rows(), w.cols(), n, n, "gradient weight matrix");
        int count = kernel.hyperparameters().size();
        double[] wd = w.data();
        double[][] perTile = gradientTiles(kernel, x, (r0, c0, h, wc, value, gradients) -> {
            double[] sums = new double[count];
            double factor = r0 == c0 ? 1.0 : 2.0;
            for (int p = 0; p < count; p++) {
                double s = 0;
                for (int i = 0; i < h; i++) {
                    int row = (r0 + i) * n + c0;
                    for (int j = 0; j < wc; j++) {
                        s += wd[row + j] * gradients[p][i * wc + j];
                    }
                }
                sums[p] = factor * s;
            }
            return sums;
        });
        return sumInOrder(perTile, count);
    }

    /** Receives one upper tile with its value and gradient tiles (row-major, stride w); returns a per-tile result. */
    private interface GradientSink {
        double[] put(int r0, int c0, int h, int w, double[] value, double[][] gradients);
    }

    /** Runs every tile on or above the diagonal of K(X, X) through the kernel's gradient; results in tile order. */
    private static double[][] gradientTiles(Kernel kernel, Matrix x, GradientSink sink) {
        int n = x.rows();
        x.requireFinite("input data");
        int count = kernel.hyperparameters().size();
        int[][] upper = upperTilePairs(n);
        int[] ti = upper[0];
        int[] tj = upper[1];
        int pairs = ti.length;
        double[][] results = new double[pairs][];
        int cap = tileCapacity(n, n);
        Scratch<double[][]> gradientBuffers = new Scratch<>(() -> new double[count][cap]);
        try (GramInputs in = new GramInputs(x, x.columnMeans())) {
            runTiles(pairs, ProgressListener.NONE, cap, () -> new GramBlock(in, in, true, cap), (block, buf, unused, p) -> {
                int r0 = ti[p] * TILE;
                int c0 = tj[p] * TILE;
                int rows = Math.min(TILE, n - r0);
                int cols = Math.min(TILE, n - c0);
                block.moveTo(r0, rows, c0, cols);
                double[][] g = gradientBuffers.take();
                kernel.computeGradientBlock(block, buf, g);
                results[p] = sink.put(r0, c0, rows, cols, buf, g);
                gradientBuffers.give(g);
            });
        }
        return results;
    }

    /** Receives one band of K(Z, X): all m rows for data columns [c0, c0+w), row-major m×w. */
    public interface BandConsumer {
        void accept(int c0, int w, double[] band);
    }

    /** Turns a band of K(Z, X) (m×w, row-major) into the weights G for the same entries, written to {@code out}. */
    public interface BandWeights {
        void weights(int c0, int w, double[] band, double[] out);
    }

    /**
     * The contractions of a weight matrix G (m×n) with the derivatives of K(Z, X).
     *
     * @param hyperparameters {@code Σ_ji G_ji·∂K(Z, X)_ji/∂log θ_p} for every hyperparameter p
     * @param inputs {@code Σ_i G_ji·∂k(z_j, x_i)/∂z_jf}, m×d, or null when not asked for
     */
    public record CrossGradient(double[] hyperparameters, Matrix inputs) {
    }

    /**
     * Streams K(Z, X) to {@code consumer} in bands of at most t data columns, each band holding all m
     * rows, so that an m×n matrix is never stored (Z is m×d, X is n×d). Bands are handed out from the
     * worker threads concurrently. Memory O(m·t) per thread.
     */
    public static void crossBands(Kernel kernel, Matrix z, Matrix x, BandConsumer consumer) {
        requireSameFeatures(z, x);
        z.requireFinite("inducing inputs");
        x.requireFinite("input data");
        int m = z.rows();
        int n = x.rows();
        int bands = (n + TILE - 1) / TILE;
        Scratch<double[]> local = new Scratch<>(() -> new double[m * TILE]);
        double[] center = x.columnMeans();
        int cap = tileCapacity(m, n);
        try (GramInputs left = new GramInputs(z, center); GramInputs right = new GramInputs(x, center)) {
            runTiles(bands, ProgressListener.NONE, cap, () -> new GramBlock(left, right, false, cap), (block, buf, unused, b) -> {
                int c0 = b * TILE;
                int w = Math.min(TILE, n - c0);
                double[] band = local.take();
                try {
                    for (int r0 = 0; r0 < m; r0 += TILE) {
                        int h = Math.min(TILE, m - r0);
                        block.moveTo(r0, h, c0, w);
                        kernel.computeBlock(block, buf);
                        System.arraycopy(buf, 0, band, r0 * w, h * w);
                    }
                    consumer.accept(c0, w, band);
                } finally {
                    local.give(band);
                }
            });
        }
    }

    /**
     * Contracts weights G (m×n, produced band by band from K(Z, X) itself by {@code weights}) with
     * the derivatives of K(Z, X) with respect to every hyperparameter and, when {@code inputGradient}
     * is set, with respect to the points Z: for a {@link StationaryKernel} (or a multiple of one),
     * {@code ∂k(z, x)/∂z_f = 2g'(s)·(z_f − x_f)/ℓ_f²}. Nothing m×n is stored; per-band sums are added
     * in band order, so the result does not depend on thread scheduling. Cost: one pass of the kernel's
     * gradient over m·n entries, plus O(m·n·d) for the input gradient.
     *
     * @throws Kernels4jException when the input gradient is asked for a kernel that is not stationary
     */
    public static CrossGradient crossGradientContractions(Kernel kernel, Matrix z, Matrix x, BandWeights weights,
            boolean inputGradient) {
        requireSameFeatures(z, x);
        if (inputGradient && !StationaryKernel.supports(kernel)) {
            throw new Kernels4jException("gradients with respect to input points need a stationary kernel (rbf, matern "
                    + "or rq, optionally scaled), got " + kernel.toSpec());
        }
        z.requireFinite("inducing inputs");
        x.requireFinite("input data");
        int m = z.rows();
        int n = x.rows();
        int d = x.cols();
        int count = kernel.hyperparameters().size();
        int bands = (n + TILE - 1) / TILE;
        int rowTiles = (m + TILE - 1) / TILE;
        double[][] perBand = new double[bands][];
        double[][] perBandInputs = inputGradient ? new double[bands][] : null;
        int cap = tileCapacity(m, n);
        Scratch<double[][][]> local = new Scratch<>(() -> new double[][][] {
            {new double[m * TILE], new double[m * TILE], new double[cap]}, new double[rowTiles * count][cap]});
        double[] center = x.columnMeans();
        double[] zd = z.data();
        double[] xd = x.data();
        try (GramInputs left = new GramInputs(z, center); GramInputs right = new GramInputs(x, center)) {
            runTiles(bands, ProgressListener.NONE, cap, () -> new GramBlock(left, right, false, cap), (block, buf, unused, b) -> {
                double[][][] w3 = local.take(); // given back at the end (an exception just drops it)
                double[] band = w3[0][0];
                double[] g = w3[0][1];
                double[] radial = w3[0][2];
                double[][] grads = w3[1];
                int c0 = b * TILE;
                int w = Math.min(TILE, n - c0);
                for (int t = 0; t < rowTiles; t++) {
                    int r0 = t * TILE;
                    int h = Math.min(TILE, m - r0);
                    block.moveTo(r0, h, c0, w);
                    kernel.computeGradientBlock(block, buf, java.util.Arrays.copyOfRange(grads, t * count, (t + 1) * count));
                    System.arraycopy(buf, 0, band, r0 * w, h * w);
                }
                weights.weights(c0, w, band, g);
                double[] sums = new double[count];
                double[] zg = inputGradient ? new double[m * d] : null;
                double[] cross = inputGradient ? new double[d] : null;
                for (int t = 0; t < rowTiles; t++) {
                    int r0 = t * TILE;
                    int h = Math.min(TILE, m - r0);
                    for (int p = 0; p < count; p++) {
                        double[] gp = grads[t * count + p];
                        double acc = 0;
                        for (int k = 0; k < h * w; k++) {
                            acc += g[r0 * w + k] * gp[k];
                        }
                        sums[p] += acc;
                    }
                    if (inputGradient) {
                        block.moveTo(r0, h, c0, w);
                        double[] scales = StationaryKernel.radialDerivative(kernel, block, radial)[0];
                        for (int i = 0; i < h; i++) {
                            int j = r0 + i;
                            double rowSum = 0;
                            java.util.Arrays.fill(cross, 0.0);
                            for (int c = 0; c < w; c++) {
                                double hw = g[(r0 + i) * w + c] * radial[i * w + c];
                                rowSum += hw;
                                int xo = (c0 + c) * d;
                                for (int f = 0; f < d; f++) {
                                    cross[f] += hw * xd[xo + f];
                                }
                            }
                            for (int f = 0; f < d; f++) {
                                double inv = scales == null ? 1.0 : 1.0 / (scales[f] * scales[f]);
                                zg[j * d + f] += (zd[j * d + f] * rowSum - cross[f]) * inv;
                            }
                        }
                    }
                }
                perBand[b] = sums;
                if (inputGradient) {
                    perBandInputs[b] = zg;
                }
                local.give(w3);
            });
        }
        Matrix inputs = inputGradient ? Matrix.wrap(m, d, sumInOrder(perBandInputs, m * d)) : null;
        return new CrossGradient(sumInOrder(perBand, count), inputs);
    }

    /**
     * {@code Σ_i ∂k(x_i, x_i)/∂log θ_p} for every hyperparameter p: the derivative of tr K(X, X),
     * from the diagonal tiles only (O(n·t) work per parameter).
     */
    public static double[] diagonalGradientSums(Kernel kernel, Matrix x) {
        return diagonalGradientContractions(kernel, x, null);
    }

    /**
     * {@code Σ_i w_i·∂k(x_i, x_i)/∂log θ_p} for every hyperparameter p (weights w, one per row; null
     * means all 1): the gradient of a weighted trace, as a sparse variational GP needs for its
     * per-row variances k(x_i, x_i) − …. Same tiles and cost as {@link #diagonalGradientSums}.
     */
    public static double[] diagonalGradientContractions(Kernel kernel, Matrix x, double[] weights) {
        int n = x.rows();
        if (weights != null && weights.length != n) {
            throw new Kernels4jException("diagonal weights: " + weights.length + " weights for " + n + " rows");
        }
        x.requireFinite("input data");
        int count = kernel.hyperparameters().size();
        int tiles = (n + TILE - 1) / TILE;
        double[][] perTile = new double[tiles][];
        int cap = tileCapacity(n, n);
        Scratch<double[][]> gradientBuffers = new Scratch<>(() -> new double[count][cap]);
        try (GramInputs in = new GramInputs(x, x.columnMeans())) {
            runTiles(tiles, ProgressListener.NONE, cap, () -> new GramBlock(in, in, true, cap), (block, buf, unused, t) -> {
                int r0 = t * TILE;
                int h = Math.min(TILE, n - r0);
                block.moveTo(r0, h, r0, h);
                double[][] g = gradientBuffers.take();
                kernel.computeGradientBlock(block, buf, g);
                double[] sums = new double[count];
                for (int p = 0; p < count; p++) {
                    for (int i = 0; i < h; i++) {
                        sums[p] += (weights == null ? 1 : weights[r0 + i]) * g[p][i * h + i];
                    }
                }
                perTile[t] = sums;
                gradientBuffers.give(g);
            });
        }
        return sumInOrder(perTile, count);
    }

    /** Σ of per-tile partial results in tile order, so that totals do not depend on thread scheduling. */
    private static double[] sumInOrder(double[][] parts, int length) {
        double[] total = new double[length];
        for (double[] part : parts) {
            for (int k = 0; k < length; k++) {
                total[k] += part[k];
            }
        }
        return total;
    }

    /** Row and column indices of the tiles on or above the diagonal of an n×n matrix, row by row. */
    private static int[][] upperTilePairs(int n) {
        int tiles = (n + TILE - 1) / TILE;
        int pairs = tiles * (tiles + 1) / 2;
        int[] ti = new int[pairs];
        int[] tj = new int[pairs];
        for (int i = 0, p = 0; i < tiles; i++) {
            for (int j = i; j < tiles; j++, p++) {
                ti[p] = i;
                tj[p] = j;
            }
        }
        return new int[][] {ti, tj};
    }

    /** K(X, Z), n×m. */
    public static Matrix cross(Kernel kernel, Matrix x, Matrix z) {
        Matrix out = new Matrix(x.rows(), z.rows());
        cross(kernel, x, z, out, ProgressListener.NONE);
        return out;
    }

    /** Writes K(X, Z) into {@code out} (n×m). */
    public static void cross(Kernel kernel, Matrix x, Matrix z, Matrix out, ProgressListener progress) {
        requireSameFeatures(x, z);
        requireShape(out.rows(), out.cols(), x.rows(), z.rows(), "kernel matrix output");
        x.requireFinite("input data");
        z.requireFinite("second input data");
        try (KernelRows rows = new KernelRows(kernel, z)) {
            rows.compute(x, null, out.data(), progress);
        }
    }

    /**
     * {@code K(X, Z)·V} without storing K: each task computes one band of rows of K tile by tile
     * and multiplies it into V. X is n×d, Z is m×d, V is m×c; the result is n×c. Memory
     * O(t² per thread) beyond inputs and output.
     */
    public static Matrix crossTimes(Kernel kernel, Matrix x, Matrix z, Matrix v, ProgressListener progress) {
        requireSameFeatures(x, z);
        if (v.rows() != z.rows()) {
            throw new Kernels4jException("kernel product: K(X, Z) has " + z.rows() + " columns but V has "
                    + v.rows() + " rows");
        }
        x.requireFinite("input data");
        z.requireFinite("second input data");
        int n = x.rows();
        int m = z.rows();
        int c = v.cols();
        Matrix result = new Matrix(n, c);
        int rt = (n + TILE - 1) / TILE;
        int ct = (m + TILE - 1) / TILE;
        double[] center = z.columnMeans();
        double[] vt = v.transpose().data(); // c × m
        double[] rd = result.data();
        ElementOps ops = ElementOps.get();
        int cap = tileCapacity(n, m);
        try (GramInputs left = new GramInputs(x, center); GramInputs right = new GramInputs(z, center)) {
            runTiles(rt, progress, cap, () -> new GramBlock(left, right, false, cap), (block, buf, unused, p) -> {
                int r0 = p * TILE;
                int rows = Math.min(TILE, n - r0);
                for (int q = 0; q < ct; q++) {
                    int c0 = q * TILE;
                    int cols = Math.min(TILE, m - c0);
                    block.moveTo(r0, rows, c0, cols);
                    kernel.computeBlock(block, buf);
                    for (int i = 0; i < rows; i++) {
                        int ro = (r0 + i) * c;
                        for (int o = 0; o < c; o++) {
                            rd[ro + o] += ops.dot(buf, i * cols, vt, o * m + c0, cols);
                        }
                    }
                }
            });
        }
        return result;
    }

    /**
     * {@code K(X, Z)ᵀ·(K(X, Z)·V)} (when V is given) or {@code K(X, Z)ᵀ·Y} (when V is null), m×c,
     * without storing K: each task computes one band of t rows of K (t×m, kept per thread), multiplies
     * it by V to get the band of K·V, and accumulates the band's transpose times that (or times the
     * band of Y) into an m×c sum. These are the two products of every conjugate-gradient
     * step of Nyström kernel ridge regression (Falkon). X is n×d, Z is m×d, V is m×c, Y is n×c.
     *
     * <p>Deterministic: the bands are split into a number of consecutive chunks that depends only on
     * the shapes (never on the threads or their timing); each chunk sums its bands in order into its
     * own m×c sum, and the chunks' sums are added in chunk order. So the same call gives the same
     * bits on any number of threads.
     *
     * <p>Memory O(t·m) per thread plus O(G·m·c) for G ≤ 64 chunk sums; time: 2·n·m·d flops for the
     * kernel plus 2·n·m·c per product.
     */
    public static Matrix crossNormalTimes(Kernel kernel, Matrix x, Matrix z, Matrix v, Matrix y,
            ProgressListener progress) {
        requireSameFeatures(x, z);
        int n = x.rows();
        int m = z.rows();
        if (v != null && v.rows() != m) {
            throw new Kernels4jException("kernel product: K(X, Z) has " + m + " columns but V has " + v.rows()
                    + " rows");
        }
        if (v == null && (y == null || y.rows() != n)) {
            throw new Kernels4jException("kernel product: K(X, Z)ᵀ needs " + n + " rows of targets");
        }
        int c = v != null ? v.cols() : y.cols();
        int rt = (n + TILE - 1) / TILE;
        int ct = (m + TILE - 1) / TILE;
        double[] center = z.columnMeans();
        int chunks = normalChunks(rt, m, c);
        double[][] sums = new double[chunks][];
        Scratch<double[][]> local = new Scratch<>(() -> new double[][] {new double[TILE * m],
            new double[TILE * c]});
        double[] vt = v == null ? null : v.transpose().data(); // c × m: each output's coefficients contiguous
        double[] yd = y == null ? null : y.data();
        ElementOps ops = ElementOps.get();
        int cap = tileCapacity(n, m);
        try (GramInputs left = new GramInputs(x, center); GramInputs right = new GramInputs(z, center)) {
            runTiles(chunks, progress, cap, () -> new GramBlock(left, right, false, cap), (block, buf, unused, g) -> {
                double[][] w = local.take(); // given back at the end (an exception just drops it)
                double[] band = w[0];
                double[] u = w[1];
                double[] acc = new double[m * c];
                sums[g] = acc;
                for (int p = (int) ((long) g * rt / chunks); p < (int) ((long) (g + 1) * rt / chunks); p++) {
                    int r0 = p * TILE;
                    int rows = Math.min(TILE, n - r0);
                    for (int q = 0; q < ct; q++) {
                        int c0 = q * TILE;
                        int cols = Math.min(TILE, m - c0);
                        block.moveTo(r0, rows, c0, cols);
                        kernel.computeBlock(block, buf);
                        for (int i = 0; i < rows; i++) {
                            System.arraycopy(buf, i * cols, band, i * m + c0, cols);
                        }
                    }
                    if (vt != null) {
                        for (int i = 0; i < rows; i++) {
                            for (int o = 0; o < c; o++) {
                                u[i * c + o] = ops.dot(band, i * m, vt, o * m, m);
                            }
                        }
                    } else {
                        System.arraycopy(yd, r0 * c, u, 0, rows * c);
                    }
                    for (int i = 0; i < rows; i++) {
                        for (int o = 0; o < c; o++) {
                            ops.axpy(acc, o * m, band, i * m, m, u[i * c + o]);
                        }
                    }
                }
                local.give(w);
            });
        }
        return sumChunks(sums, m, c);
    }

    /**
     * Kᵀ(K·W) for a stored n×m matrix K and an m×c matrix W, in one fused pass: each row's dot products and its
     * axpy share one trip through memory (the stored-K_nm conjugate-gradient step of Nyström KRR). Hand-written
     * because a heap array handed to BLAS through JNI is copied in and out, which for a memory-bound product costs
     * more than the product. Deterministic as {@link #crossNormalTimes}: chunks of rows that depend only on the
     * shapes, each summed in order, added in chunk order. 4·n·m·c flops.
     */
    public static Matrix normalTimes(Matrix k, Matrix w) {
        int n = k.rows();
        int m = k.cols();
        if (w.rows() != m) {
            throw new Kernels4jException("kernel product: K has " + m + " columns but W has " + w.rows() + " rows");
        }
        int c = w.cols();
        double[] kd = k.data();
        double[] wt = w.transpose().data(); // c × m
        int chunks = normalChunks((n + 255) / 256, m, c);
        double[][] sums = new double[chunks][];
        ElementOps ops = ElementOps.get();
        Parallelism.forEachBlock(chunks, g -> {
            double[] acc = new double[m * c];
            int from = (int) ((long) g * n / chunks);
            int to = (int) ((long) (g + 1) * n / chunks);
            for (int i = from; i < to; i++) {
                int row = i * m;
                for (int o = 0; o < c; o++) {
                    double u = ops.dot(kd, row, wt, o * m, m);
                    ops.axpy(acc, o * m, kd, row, m, u);
                }
            }
            sums[g] = acc;
        });
        return sumChunks(sums, m, c);
    }

    /** Chunks for a normal product over {@code bands} row bands: at most 64, fewer when G·m·c doubles pass 64 MB. */
    private static int normalChunks(int bands, int m, int c) {
        return (int) Math.max(1, Math.min(Math.min(bands, 64), (8L << 20) / Math.max(1L, (long) m * c)));
    }

    /** The m×c sum of the chunks' c×m partial sums, added in chunk order (the deterministic reduction). */
    private static Matrix sumChunks(double[][] sums, int m, int c) {
        Matrix result = new Matrix(m, c);
        double[] rd = result.data();
        for (double[] a : sums) {
            for (int o = 0; o < c; o++) {
                for (int j = 0; j < m; j++) {
                    rd[j * c + o] += a[o * m + j];
                }
            }
        }
        return result;
    }

    /** The diagonal k(x_i, x_i) of K(X, X), using {@link Kernel#selfValue}. */
    public static double[] diagonal(Kernel kernel, Matrix x) {
        double[] d = new double[x.rows()];
        for (int i = 0; i < d.length; i++) {
            d[i] = kernel.selfValue(x.row(i));
        }
        return d;
    }

    interface TileTask {
        void run(GramBlock block, double[] buffer, double[] scratch, int tile);
    }

    /**
     * Doubles a tile buffer needs for blocks of at most {@code rows}×{@code cols} entries (both capped at {@link #TILE}).
     * Why not always TILE²: a call on small inputs (a Gaussian process on 20 rows, evaluated a thousand times by a
     * hyperparameter search or a sampler) would allocate and clear 1.5 MB of tile buffers for 400 entries; sized to
     * the inputs, the evidence of such a GP went from 0.7 ms to a few tens of µs.
     */
    static int tileCapacity(int rows, int cols) {
        return Math.max(1, Math.min(TILE, rows)) * Math.max(1, Math.min(TILE, cols));
    }

    /**
     * Runs {@code count} tile tasks on the worker threads, each with a block made by {@code blocks} (whose capacity
     * should be {@code capacity}) and two buffers of {@code capacity} doubles, pooled for this call only.
     */
    static void runTiles(int count, ProgressListener progress, int capacity,
            java.util.function.Supplier<GramBlock> blocks, TileTask task) {
        java.util.List<GramBlock> made = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        // one block and two tile buffers per task running at once, pooled for this call only (see Scratch)
        Scratch<Object[]> pool = new Scratch<>(() -> {
            GramBlock b = blocks.get();
            made.add(b);
            return new Object[] {b, new double[capacity], new double[capacity]};
        });
        AtomicLong done = new AtomicLong();
        try {
            Parallelism.forEachBlock(count, p -> {
                Object[] e = pool.take();
                task.run((GramBlock) e[0], (double[]) e[1], (double[]) e[2], p);
                pool.give(e);
                progress.progress(done.incrementAndGet(), count, "kernel");
            });
        } finally {
            for (GramBlock b : made) {
                b.release();
            }
        }
    }

    private static void requireSameFeatures(Matrix x, Matrix z) {
        if (x.cols() != z.cols()) {
            throw new Kernels4jException("inputs have different numbers of features: " + x.cols() + " and "
                    + z.cols());
        }
    }

    private static void requireShape(int outRows, int outCols, int rows, int cols, String what) {
        if (outRows != rows || outCols != cols) {
            throw new Kernels4jException(what + " must be " + rows + "x" + cols + ", got " + outRows + "x" + outCols);
        }
    }
}
