package org.kernels4j.linalg;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;

/**
 * A dense, row-major matrix of {@code double} values: element (i, j) lives at
 * {@code data[i * cols + j]}. One row per sample is the convention throughout kernels4j.
 *
 * <p>This is a plain numeric container in the style of EJML's {@code DMatrixRMaj}: it is
 * mutable so that large results (an n×n Gram matrix, say) are written in place and never
 * allocated twice. Models never hand out their internal matrices; they copy.
 *
 * <p>Sizes are limited by Java arrays to {@code rows * cols < 2^31}.
 */
public final class Matrix {
    private final int rows;
    private final int cols;
    private final double[] data;

    /** A zero matrix of the given shape. */
    public Matrix(int rows, int cols) {
        this(rows, cols, new double[checkedSize(rows, cols)]);
    }

    private Matrix(int rows, int cols, double[] data) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /**
     * Wraps an existing row-major array without copying.
     *
     * @throws Kernels4jException if {@code data.length != rows * cols}
     */
    public static Matrix wrap(int rows, int cols, double[] data) {
        if ((long) rows * cols != data.length) {
            throw new Kernels4jException("cannot view " + data.length + " values as a " + rows + "x" + cols + " matrix");
        }
        return new Matrix(rows, cols, data);
    }

    /** Copies a rectangular {@code double[rows][cols]} array. */
    public static Matrix of(double[][] values) {
        int r = values.length;
        int c = r == 0 ? 0 : values[0].length;
        Matrix m = new Matrix(r, c);
        for (int i = 0; i < r; i++) {
            if (values[i].length != c) {
                throw new Kernels4jException("row " + i + " has " + values[i].length + " values, expected " + c);
            }
            System.arraycopy(values[i], 0, m.data, i * c, c);
        }
        return m;
    }

    /** A column vector (n×1) holding a copy of {@code values}. */
    public static Matrix column(double... values) {
        return new Matrix(values.length, 1, values.clone());
    }

    /** The n×n identity. */
    public static Matrix identity(int n) {
        Matrix m = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            m.data[i * n + i] = 1.0;
        }
        return m;
    }

    static int checkedSize(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new Kernels4jException("negative matrix shape " + rows + "x" + cols);
        }
        long size = (long) rows * cols;
        if (size > Integer.MAX_VALUE - 8) {
            throw new Kernels4jException("a " + rows + "x" + cols + " matrix is too large for one Java array ("
                    + size + " values; the limit is 2^31)");
        }
        return (int) size;
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Number of columns. */
    public int cols() {
        return cols;
    }

    /** The backing row-major array, shared, not copied. */
    public double[] data() {
        return data;
    }

    /** Element (i, j). */
    public double get(int i, int j) {
        return data[i * cols + j];
    }

    /** Sets element (i, j). */
    public void set(int i, int j, double value) {
        data[i * cols + j] = value;
    }

    /** A copy of row i. */
    public double[] row(int i) {
        return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }

    /** A copy of column j. */
    public double[] column(int j) {
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = data[i * cols + j];
        }
        return out;
    }

    /** A deep copy. */
    public Matrix copy() {
        return new Matrix(rows, cols, data.clone());
    }

    /** The transpose, as a new matrix. */
    public Matrix transpose() {
        Matrix t = new Matrix(cols, rows);
        transpose(data, 0, cols, rows, cols, t.data, 0, rows);
        return t;
    }

    /** Band of source rows and columns {@link #transpose(double[], int, int, int, int, double[], int, int)} works on at once. */
    private static final int TRANSPOSE_BLOCK = 256;

    /**
     * The transpose of a rows×cols block of one row-major array written into another:
     * {@code dst[dstOff + j·dstStride + i] ← src[srcOff + i·srcStride + j]} for i ∈ [0, rows), j ∈ [0, cols). Pure
     * copies (the bits are kept); the two blocks must not overlap. O(rows·cols).
     *
     * <p>Hand-written on purpose, as the mirror write of a symmetric Gram matrix: 4×4 blocks are read as four
     * 4-element row runs into registers and written as four 4-element runs, so every cache line touched on either
     * side gives at least four elements. A plain column walk over a Gram tile whose rows lie 2 KiB apart maps every
     * read to the same few L1 sets and cost more than the tile's exponentials; this loop measured as fast as AVX-512
     * gathers (which the JDK 17 Vector API does not compile for 4-lane vectors, so AVX2 machines would fall back to a
     * slow path) and twice as fast as a banded scalar copy (256×256 tiles into an 8000×8000 matrix, one Zen 5 core).
     */
    public static void transpose(double[] src, int srcOff, int srcStride, int rows, int cols, double[] dst, int dstOff,
            int dstStride) {
        for (int i0 = 0; i0 < rows; i0 += TRANSPOSE_BLOCK) {
            int i1 = Math.min(rows, i0 + TRANSPOSE_BLOCK);
            int i4 = i0 + ((i1 - i0) & ~3);
            for (int j0 = 0; j0 < cols; j0 += TRANSPOSE_BLOCK) {
                int j1 = Math.min(cols, j0 + TRANSPOSE_BLOCK);
                int j4 = j0 + ((j1 - j0) & ~3);
                for (int i = i0; i < i4; i += 4) {
                    int s0 = srcOff + i * srcStride;
                    int s1 = s0 + srcStride;
                    int s2 = s1 + srcStride;
                    int s3 = s2 + srcStride;
                    for (int j = j0; j < j4; j += 4) {
                        double a00 = src[s0 + j];
                        double a01 = src[s0 + j + 1];
                        double a02 = src[s0 + j + 2];
                        double a03 = src[s0 + j + 3];
                        double a10 = src[s1 + j];
                        double a11 = src[s1 + j + 1];
                        double a12 = src[s1 + j + 2];
                        double a13 = src[s1 + j + 3];
                        double a20 = src[s2 + j];
                        double a21 = src[s2 + j + 1];
                        double a22 = src[s2 + j + 2];
                        double a23 = src[s2 + j + 3];
                        double a30 = src[s3 + j];
                        double a31 = src[s3 + j + 1];
                        double a32 = src[s3 + j + 2];
                        double a33 = src[s3 + j + 3];
                        int d0 = dstOff + j * dstStride + i;
                        int d1 = d0 + dstStride;
                        int d2 = d1 + dstStride;
                        int d3 = d2 + dstStride;
                        dst[d0] = a00;
                        dst[d0 + 1] = a10;
                        dst[d0 + 2] = a20;
                        dst[d0 + 3] = a30;
                        dst[d1] = a01;
                        dst[d1 + 1] = a11;
                        dst[d1 + 2] = a21;
                        dst[d1 + 3] = a31;
                        dst[d2] = a02;
                        dst[d2 + 1] = a12;
                        dst[d2 + 2] = a22;
                        dst[d2 + 3] = a32;
                        dst[d3] = a03;
                        dst[d3 + 1] = a13;
                        dst[d3 + 2] = a23;
                        dst[d3 + 3] = a33;
                    }
                    for (int j = j4; j < j1; j++) { // the last cols % 4 columns of these four rows
                        int d = dstOff + j * dstStride + i;
                        dst[d] = src[s0 + j];
                        dst[d + 1] = src[s1 + j];
                        dst[d + 2] = src[s2 + j];
                        dst[d + 3] = src[s3 + j];
                    }
                }
                for (int i = i4; i < i1; i++) { // the last rows % 4 rows of the band
                    for (int j = j0; j < j1; j++) {
                        dst[dstOff + j * dstStride + i] = src[srcOff + i * srcStride + j];
                    }
                }
            }
        }
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public Matrix rowRange(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new Kernels4jException("row range [" + from + ", " + to + ") is outside 0.." + rows);
        }
        return new Matrix(to - from, cols, Arrays.copyOfRange(data, from * cols, to * cols));
    }

    /** The rows at the given indices, copied, in that order. */
    public Matrix selectRows(int[] indices) {
        Matrix out = new Matrix(indices.length, cols);
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(data, indices[k] * cols, out.data, k * cols, cols);
        }
        return out;
    }

    /** The columns at the given indices, copied, in that order. */
    public Matrix selectColumns(int[] indices) {
        Matrix out = new Matrix(rows, indices.length);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < indices.length; k++) {
                out.data[i * indices.length + k] = data[i * cols + indices[k]];
            }
        }
        return out;
    }

    /** {@code this · other}, computed by BLAS {@code dgemm}. */
    public Matrix times(Matrix other) {
        Matrix c = new Matrix(rows, other.cols);
        Blas.gemm(false, false, 1.0, this, other, 0.0, c);
        return c;
    }

    /** Mean of each column, {@code (1/n)·Σ_i x_ij} (zeros when there are no rows). */
    public double[] columnMeans() {
        double[] m = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[j] += data[i * cols + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            m[j] = rows == 0 ? 0 : m[j] / rows;
        }
        return m;
    }

    /** Population standard deviation of each column about the given means, √((1/n)·Σ_i (x_ij − m_j)²). */
    public double[] columnStandardDeviations(double[] means) {
        double[] v = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double e = data[i * cols + j] - means[j];
                v[j] += e * e;
            }
        }
        for (int j = 0; j < cols; j++) {
            v[j] = rows == 0 ? 0 : Math.sqrt(v[j] / rows);
        }
        return v;
    }

    /** In place, {@code x_ij ← (x_ij − shift_j)/scale_j}. */
    public void standardizeColumns(double[] shift, double[] scale) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                data[i * cols + j] = (data[i * cols + j] - shift[j]) / scale[j];
            }
        }
    }

    /** Squared Euclidean norm of each row: {@code out[i] = Σ_j x_ij²}. */
    public double[] rowSquaredNorms() {
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                double v = data[o + j];
                s += v * v;
            }
            out[i] = s;
        }
        return out;
    }

    /**
     * Checks every value is finite.
     *
     * @param what names the matrix in the error, e.g. "training data"
     * @throws Kernels4jException naming the first NaN or infinite element
     */
    public Matrix requireFinite(String what) {
        for (int k = 0; k < data.length; k++) {
            if (!Double.isFinite(data[k])) {
                throw new Kernels4jException(what + " has a " + (Double.isNaN(data[k]) ? "NaN" : "infinite")
                        + " value at row " + (k / cols) + ", column " + (k % cols));
            }
        }
        return this;
    }

    /** Largest absolute element-wise difference to another matrix of the same shape. */
    public double maxAbsDifference(Matrix other) {
        requireSameShape(other, "matrices");
        double m = 0;
        for (int k = 0; k < data.length; k++) {
            m = Math.max(m, Math.abs(data[k] - other.data[k]));
        }
        return m;
    }

    /** Throws unless {@code other} has the same shape. */
    public void requireSameShape(Matrix other, String what) {
        if (rows != other.rows || cols != other.cols) {
            throw new Kernels4jException(what + " have different shapes: " + shape() + " and " + other.shape());
        }
    }

    /** "rows x cols". */
    public String shape() {
        return rows + "x" + cols;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Matrix ").append(shape());
        int r = Math.min(rows, 6);
        int c = Math.min(cols, 6);
        for (int i = 0; i < r; i++) {
            sb.append("\n ");
            for (int j = 0; j < c; j++) {
                sb.append(String.format(" %10.4g", get(i, j)));
            }
            if (c < cols) {
                sb.append(" ...");
            }
        }
        if (r < rows) {
            sb.append("\n  ...");
        }
        return sb.toString();
    }
}
