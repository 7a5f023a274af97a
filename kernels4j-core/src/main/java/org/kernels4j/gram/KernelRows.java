package org.kernels4j.gram;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.GramInputs;
import org.kernels4j.kernel.Kernel;

/**
 * Rows of a kernel matrix on demand, many at a time: {@code K(A, X)} for a small batch of rows A
 * against a fixed set of column samples X, the operation a decomposition solver (SMO) needs for
 * its kernel-row cache.
 *
 * <p>The columns are prepared once (their off-heap copy and norms, as {@link GramEngine} does for
 * a whole Gram matrix) and reused by every call, so a batch of b rows costs one GEMM of b×m×d
 * per column tile (2·b·m·d flops at BLAS speed) and one element-wise pass over b·m values, with
 * the column tiles run in parallel. Computing b rows together reads X once instead of b times,
 * which is what makes batched rows several times cheaper than one row at a time.
 *
 * <p>Entries pairing a sample with itself (given by {@code sameColumn}) are set to
 * {@link Kernel#selfValue}, so they are exact (and correct for kernels such as white noise that
 * depend on sample identity). Not thread-safe; close it to free the prepared columns.
 */
public final class KernelRows implements AutoCloseable {
    private final Kernel kernel;
    private final Matrix columns;
    private final double[] center;
    private final GramInputs right;

    /**
     * Prepares the column samples.
     *
     * @param kernel the kernel
     * @param columns m×d column samples (must be finite)
     */
    public KernelRows(Kernel kernel, Matrix columns) {
        this.kernel = kernel;
        this.columns = columns.requireFinite("input data");
        this.center = columns.columnMeans();
        this.right = new GramInputs(columns, center);
    }

    /** Number of columns m. */
    public int columns() {
        return columns.rows();
    }

    /**
     * Fills {@code out[r·m + c] = k(a_r, x_c)} for the b rows of {@code rows} (b×d).
     *
     * @param rows b×d row samples
     * @param sameColumn for each row r, a column index c whose sample is the same as a_r (its entry
     *     becomes {@code kernel.selfValue(a_r)}), or −1; may be null
     * @param out at least b·m values, row-major with stride m
     */
    public void compute(Matrix rows, int[] sameColumn, double[] out) {
        compute(rows, sameColumn, out, org.kernels4j.ProgressListener.NONE);
    }

    /** {@link #compute(Matrix, int[], double[])}, telling {@code progress} how many tiles are done. */
    public void compute(Matrix rows, int[] sameColumn, double[] out, org.kernels4j.ProgressListener progress) {
        int m = columns.rows();
        if (out.length < (long) rows.rows() * m) {
            throw new Kernels4jException("kernel rows: output holds " + out.length + " values, needs "
                    + (long) rows.rows() * m);
        }
        compute(rows, sameColumn, progress, (r, c0, tile, off, w) -> System.arraycopy(tile, off, out, r * m + c0, w));
    }

    /**
     * Like {@link #compute(Matrix, int[], double[])}, writing row r into its own array {@code out[r]}
     * (length at least m), so a caller can fill arrays it already owns (a cache) with no extra copy.
     */
    public void compute(Matrix rows, int[] sameColumn, double[][] out) {
        int m = columns.rows();
        if (out.length < rows.rows()) {
            throw new Kernels4jException("kernel rows: " + out.length + " output rows for " + rows.rows() + " rows");
        }
        for (int r = 0; r < rows.rows(); r++) {
            if (out[r].length < m) {
                throw new Kernels4jException("kernel rows: output row " + r + " holds " + out[r].length
                        + " values, needs " + m);
            }
        }
        compute(rows, sameColumn, org.kernels4j.ProgressListener.NONE,
                (r, c0, tile, off, w) -> System.arraycopy(tile, off, out[r], c0, w));
    }

    /** Receives a tile row segment: row r, columns [c0, c0 + w) from {@code tile[off ..]}. */
    private interface RowSink {
        void put(int r, int c0, double[] tile, int off, int w);
    }

    private void compute(Matrix rows, int[] sameColumn, org.kernels4j.ProgressListener progress, RowSink sink) {
        if (rows.cols() != columns.cols()) {
            throw new Kernels4jException("kernel rows: rows have " + rows.cols() + " features but the columns have "
                    + columns.cols());
        }
        int b = rows.rows();
        int m = columns.rows();
        int t = GramEngine.TILE;
        int rt = (b + t - 1) / t;
        int ct = (m + t - 1) / t;
        try (GramInputs left = new GramInputs(rows, center)) {
            int cap = GramEngine.tileCapacity(b, m);
            GramEngine.runTiles(rt * ct, progress, cap,
                    () -> new GramBlock(left, right, false, cap), (block, buf, unused, p) -> {
                        int r0 = (p / ct) * t;
                        int c0 = (p % ct) * t;
                        int h = Math.min(t, b - r0);
                        int w = Math.min(t, m - c0);
                        block.moveTo(r0, h, c0, w);
                        kernel.computeBlock(block, buf);
                        if (sameColumn != null) {
                            for (int i = 0; i < h; i++) {
                                int c = sameColumn[r0 + i] - c0;
                                if (c >= 0 && c < w) {
                                    buf[i * w + c] = kernel.selfValue(rows.row(r0 + i));
                                }
                            }
                        }
                        for (int i = 0; i < h; i++) {
                            sink.put(r0 + i, c0, buf, i * w, w);
                        }
                    });
        }
    }

    @Override
    public void close() {
        right.close();
    }
}
