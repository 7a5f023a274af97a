package org.kernels4j.linalg;

import org.kernels4j.Kernels4jException;

/**
 * A dense row-major matrix of doubles stored off the Java heap, for the one n×n matrix of an exact
 * solver (the Gram matrix that is then factored in place).
 *
 * <p>Why it exists: handing a {@code double[]} to the BLAS binding copies it into native memory and
 * back on every call. For an n×n Cholesky factorization that copy costs about as much as the
 * factorization itself (measured: 2 s of 4.3 s at n = 8000 on 2 cores) and briefly doubles the
 * memory. A matrix that lives off the heap from the moment the Gram engine writes it is factored
 * and solved in place with no copy.
 *
 * <p>Elements are read and written in row segments ({@link #putBlock}, {@link #getBlock}); single
 * elements are available but each costs a native call. The memory is released by {@link #close()}
 * or, failing that, when the object is garbage collected. Not thread-safe for overlapping writes;
 * disjoint blocks may be written from different threads.
 */
public final class NativeMatrix implements AutoCloseable {
    private final int rows;
    private final int cols;
    private final NativeBuffer buffer;

    /** Allocates an uninitialised rows×cols matrix. */
    public NativeMatrix(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new Kernels4jException("matrix dimensions must be non-negative, got " + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.buffer = new NativeBuffer((long) rows * cols);
    }

    /** An off-heap copy of {@code m}. */
    public static NativeMatrix copyOf(Matrix m) {
        NativeMatrix out = new NativeMatrix(m.rows(), m.cols());
        out.buffer.copyFrom(m.data(), 0, 0, m.data().length);
        return out;
    }

    /** A heap copy of this matrix. */
    public Matrix toMatrix() {
        Matrix m = new Matrix(rows, cols);
        buffer.copyTo(0, m.data(), 0, m.data().length);
        return m;
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Number of columns. */
    public int cols() {
        return cols;
    }

    /** "rows x cols", for messages. */
    public String shape() {
        return rows + "x" + cols;
    }

    /** Element (i, j); one native call. */
    public double get(int i, int j) {
        checkBlock(i, 1, j, 1);
        return buffer.get((long) i * cols + j);
    }

    /** Sets element (i, j); one native call. */
    public void set(int i, int j, double v) {
        checkBlock(i, 1, j, 1);
        buffer.set((long) i * cols + j, v);
    }

    /**
     * Writes the block {@code [r0, r0+h) × [c0, c0+w)} from {@code src}, which holds it row-major
     * with row stride w.
     */
    public void putBlock(int r0, int c0, int h, int w, double[] src) {
        checkBlock(r0, h, c0, w);
        if (w == cols) {
            buffer.copyFrom(src, 0, (long) r0 * cols, h * w);
            return;
        }
        for (int i = 0; i < h; i++) {
            buffer.copyFrom(src, i * w, (long) (r0 + i) * cols + c0, w);
        }
    }

    /** Reads the block {@code [r0, r0+h) × [c0, c0+w)} into {@code dst}, row-major with row stride w. */
    public void getBlock(int r0, int c0, int h, int w, double[] dst) {
        checkBlock(r0, h, c0, w);
        if (w == cols) {
            buffer.copyTo((long) r0 * cols, dst, 0, h * w);
            return;
        }
        for (int i = 0; i < h; i++) {
            buffer.copyTo((long) (r0 + i) * cols + c0, dst, i * w, w);
        }
    }

    /** The main diagonal, length min(rows, cols). */
    public double[] diagonal() {
        int k = Math.min(rows, cols);
        double[] d = new double[k];
        for (int i = 0; i < k; i++) {
            d[i] = buffer.get((long) i * cols + i);
        }
        return d;
    }

    /** Adds {@code delta} to every element of the main diagonal. */
    public void addToDiagonal(double delta) {
        int k = Math.min(rows, cols);
        for (int i = 0; i < k; i++) {
            long p = (long) i * cols + i;
            buffer.set(p, buffer.get(p) + delta);
        }
    }

    /**
     * The product {@code this·V} (rows×b) as a heap matrix, reading this matrix in place: row bands run
     * on {@link Parallelism#forEachBlock}'s workers, one single-threaded {@code dgemm} each (V and the
     * result pass through small off-heap buffers, cols·b and rows·b doubles). Cost 2·rows·cols·b flops;
     * for a thin V it is bound by the one pass over this matrix's memory, so iterative eigensolvers
     * multiply a block of vectors at once. Bands rather than one multi-threaded call because a
     * multi-threaded BLAS stalls on a loaded machine when its threads wait for each other.
     */
    public Matrix times(Matrix v) {
        if (v.rows() != cols) {
            throw new Kernels4jException("cannot multiply a " + shape() + " matrix by a " + v.shape() + " one");
        }
        int b = v.cols();
        Matrix out = new Matrix(rows, b);
        if (rows == 0 || b == 0 || cols == 0) {
            return out;
        }
        int band = Math.max(64, (rows + 4 * Parallelism.threads() - 1) / (4 * Parallelism.threads()));
        int bands = (rows + band - 1) / band;
        try (NativeBuffer in = NativeBuffer.copyOf(v.data()); NativeBuffer res = new NativeBuffer((long) rows * b)) {
            Parallelism.forEachBlock(bands, p -> {
                int r0 = p * band;
                int h = Math.min(rows, r0 + band) - r0;
                Parallelism.blas(() -> {
                    org.bytedeco.openblas.global.openblas.cblas_dgemm(
                            org.bytedeco.openblas.global.openblas.CblasRowMajor,
                            org.bytedeco.openblas.global.openblas.CblasNoTrans,
                            org.bytedeco.openblas.global.openblas.CblasNoTrans, h, b, cols, 1.0,
                            buffer.at((long) r0 * cols), cols, in.at(0), b, 0.0, res.at((long) r0 * b), b);
                    return null;
                });
            });
            res.copyTo(0, out.data(), 0, rows * b);
        }
        return out;
    }

    NativeBuffer buffer() {
        return buffer;
    }

    private void checkBlock(int r0, int h, int c0, int w) {
        if (r0 < 0 || c0 < 0 || h < 0 || w < 0 || r0 + h > rows || c0 + w > cols) {
            throw new IndexOutOfBoundsException("block [" + r0 + ", " + (r0 + h) + ") x [" + c0 + ", " + (c0 + w)
                    + ") outside a " + shape() + " matrix");
        }
    }

    /** Releases the native memory now; the matrix must not be used afterwards. */
    @Override
    public void close() {
        buffer.close();
    }
}
