package org.kernels4j.kernel;

import java.util.ArrayDeque;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.ElementOps;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeBuffer;

/**
 * One tile of a Gram matrix being computed: rows {@code [rowStart, rowStart+rows)} of the left
 * inputs against rows {@code [colStart, colStart+cols)} of the right inputs. A {@link Kernel} fills
 * the tile into a dense row-major array {@code out} of length {@code rows·cols}, using the GEMM
 * helpers here so that the expensive part always runs at BLAS speed.
 *
 * <p>Instances are per worker thread and reused from tile to tile; they are not thread-safe.
 */
public final class GramBlock {
    private final GramInputs left;
    private final GramInputs right;
    private final boolean symmetric;
    private final NativeBuffer product;
    private NativeBuffer complexProduct;
    private final int capacity;
    private final ArrayDeque<double[]> scratch = new ArrayDeque<>();
    private int rowStart;
    private int colStart;
    private int rows;
    private int cols;

    public GramBlock(GramInputs left, GramInputs right, boolean symmetric, int capacity) {
        this.left = left;
        this.right = right;
        this.symmetric = symmetric;
        this.capacity = capacity;
        this.product = new NativeBuffer(capacity);
    }

    public void moveTo(int rowStart, int rows, int colStart, int cols) {
        this.rowStart = rowStart;
        this.rows = rows;
        this.colStart = colStart;
        this.cols = cols;
    }

    public void release() {
        product.close();
        if (complexProduct != null) {
            complexProduct.close();
        }
    }

    /** Number of rows in this tile. */
    public int rows() {
        return rows;
    }

    /** Number of columns in this tile. */
    public int cols() {
        return cols;
    }

    /** Index of the tile's first row among the left inputs. */
    public int rowStart() {
        return rowStart;
    }

    /** Index of the tile's first column among the right inputs. */
    public int colStart() {
        return colStart;
    }

    /** Number of features. */
    public int features() {
        return left.x.cols();
    }

    /**
     * True when this is K(X, X) and tile element (i, j) is the same sample on both sides, i.e.
     * {@code rowStart + i == colStart + j}.
     */
    public boolean isSameSample(int i, int j) {
        return symmetric && rowStart + i == colStart + j;
    }

    /** True when this tile is part of K(X, X) (the left and right inputs are the same samples). */
    public boolean isSymmetric() {
        return symmetric;
    }

    /** The left input matrix (all rows; this tile uses rows from {@link #rowStart()}). */
    public Matrix leftInputs() {
        return left.x;
    }

    /** The right input matrix (all rows; this tile uses rows from {@link #colStart()}). */
    public Matrix rightInputs() {
        return right.x;
    }

    /** Squared norms of all raw left rows (index with {@code rowStart() + i}). */
    public double[] leftSquaredNorms() {
        return left.view(FeatureView.RAW).squaredNorms;
    }

    /** Squared norms of all raw right rows (index with {@code colStart() + j}). */
    public double[] rightSquaredNorms() {
        return right.view(FeatureView.RAW).squaredNorms;
    }

    /** Fills {@code out} with the raw inner products ⟨x_i, z_j⟩ of this tile (one GEMM). */
    public void innerProducts(double[] out) {
        gemm(FeatureView.RAW, out);
    }

    /**
     * Fills {@code out} with squared Euclidean distances ‖(x_i − z_j)/ℓ‖² (one GEMM on centred,
     * optionally length-scaled inputs, then one pass), clipped at 0 and exactly 0 for the same
     * sample.
     *
     * @param lengthScales per-feature length scales ℓ, or null for none
     */
    public void squaredDistances(double[] lengthScales, double[] out) {
        squaredDistances(FeatureView.centeredScaled(lengthScales), out);
    }

    private void squaredDistances(FeatureView view, double[] out) {
        gemm(view, out);
        double[] nl = left.view(view).squaredNorms;
        double[] nr = right.view(view).squaredNorms;
        ElementOps ops = ElementOps.get();
        for (int i = 0; i < rows; i++) {
            if (ops.squaredDistances(out, i * cols, cols, nl[rowStart + i], nr, colStart)) {
                recomputeCancelled(view, out, i, nl[rowStart + i], nr);
            }
        }
        setSameSampleEntries(out, 0.0);
    }

    /**
     * Row i's entries whose expansion ‖x‖² + ‖z‖² − 2⟨x, z⟩ cancelled (below {@link ElementOps#CANCELLATION} of the
     * norms, or overflowed), summed directly as Σ_f (x_f − z_f)². Why: one row far from the others (a value of 10¹⁰
     * among values of order one) moves the centre and makes every norm huge, and the expansion then loses the
     * distances between ordinary rows (K entries of 1.0 for 0.835); values near 10¹⁶⁰ overflow the norms (NaN). The
     * direct sum costs d flops per entry and runs only for the entries flagged.
     */
    private void recomputeCancelled(FeatureView view, double[] out, int i, double ni, double[] nr) {
        int d = left.x.cols();
        double[] xl = left.x.data();
        double[] xr = right.x.data();
        GramInputs.Prepared pl = view.map != null ? left.view(view) : null;
        GramInputs.Prepared pr = view.map != null ? right.view(view) : null;
        int w = view.map != null ? view.map.width(d) : d; // the row width of the mapped or the raw rows
        long li = (long) (rowStart + i) * w;
        for (int j = 0; j < cols; j++) {
            int at = i * cols + j;
            if (out[at] >= ElementOps.CANCELLATION * (ni + nr[colStart + j]) || isSameSample(i, j)) {
                continue;
            }
            double s = 0;
            if (view.map != null) {
                long lj = (long) (colStart + j) * w;
                for (int f = 0; f < w; f++) {
                    double t = pl.rows.get(li + f) - pr.rows.get(lj + f);
                    s += t * t;
                }
            } else {
                int lj = (colStart + j) * w;
                for (int f = 0; f < w; f++) {
                    double t = xl[(int) li + f] - xr[lj + f];
                    if (view.inverseScales != null) {
                        t *= view.inverseScales[f];
                    }
                    s += t * t;
                }
            }
            out[at] = s;
        }
    }

    /**
     * Fills {@code out} with the raw differences {@code x_if − z_jf} of one feature f over this
     * tile (O(rows·cols), no GEMM); used by gradients with respect to per-feature parameters.
     */
    public void featureDifferences(int f, double[] out) {
        int d = features();
        double[] xl = left.x.data();
        double[] xr = right.x.data();
        for (int i = 0; i < rows; i++) {
            double xi = xl[(rowStart + i) * d + f];
            int o = i * cols;
            int zo = colStart * d + f;
            for (int j = 0; j < cols; j++) {
                out[o + j] = xi - xr[zo + j * d];
            }
        }
    }

    /** A function of one pair of rows: x = {@code left[xo, xo + d)}, z = {@code right[zo, zo + d)}. */
    @FunctionalInterface
    public interface PairFunction {
        /** The value for the pair. */
        double apply(double[] left, int xo, double[] right, int zo, int d);
    }

    /**
     * Fills {@code out} (row-major, rows × cols) with {@code f} of every (row, column) pair of this tile, by
     * scalar loops (O(rows·cols·d)); for kernels with no GEMM form (ANOVA, χ², spline, L1 distances).
     */
    public void pairwise(PairFunction f, double[] out) {
        int d = features();
        double[] xl = left.x.data();
        double[] xr = right.x.data();
        for (int i = 0; i < rows; i++) {
            int xo = (rowStart + i) * d;
            int o = i * cols;
            for (int j = 0; j < cols; j++) {
                out[o + j] = f.apply(xl, xo, xr, (colStart + j) * d, d);
            }
        }
    }

    /**
     * Fills {@code out} with ⟨φ(x_i), φ(z_j)⟩ for a real feature map φ (one GEMM on rows mapped once
     * per Gram computation, see {@link RowFeatureMap}).
     */
    public void mappedInnerProducts(RowFeatureMap map, double[] out) {
        requireComplex(map, false);
        gemm(FeatureView.mapped(map), out);
    }

    /**
     * Fills {@code out} with ‖φ(x_i) − φ(z_j)‖² for a real feature map φ (one GEMM, then one pass),
     * clipped at 0 and exactly 0 for the same sample.
     */
    public void mappedSquaredDistances(RowFeatureMap map, double[] out) {
        requireComplex(map, false);
        squaredDistances(FeatureView.mapped(map), out);
    }

    /**
     * Fills {@code re} and {@code im} with the real and imaginary parts of
     * ⟨φ(z_j), φ(x_i)⟩ = Σ_k φ(x_i)_k·conj(φ(z_j)_k) for a complex feature map φ: one complex GEMM
     * ({@code zgemm}, 8·rows·cols·w/2 flops for rows of w doubles) on rows mapped once per Gram computation.
     */
    public void complexInnerProducts(RowFeatureMap map, double[] re, double[] im) {
        requireComplex(map, true);
        FeatureView view = FeatureView.mapped(map);
        int k = view.width(features()) / 2;
        GramInputs.Prepared a = left.view(view);
        GramInputs.Prepared b = right.view(view);
        if (complexProduct == null) {
            complexProduct = new NativeBuffer(2L * capacity);
        }
        Blas.zgemmNC(a.rows, rowStart, b.rows, colStart, complexProduct, rows, cols, k);
        double[] both = borrow2();
        complexProduct.copyTo(0, both, 0, 2 * rows * cols);
        for (int e = 0, m = rows * cols; e < m; e++) {
            re[e] = both[2 * e];
            im[e] = both[2 * e + 1];
        }
    }

    private double[] pairScratch;

    private double[] borrow2() {
        if (pairScratch == null) {
            pairScratch = new double[2 * capacity];
        }
        return pairScratch;
    }

    private static void requireComplex(RowFeatureMap map, boolean complex) {
        if (map.complex() != complex) {
            throw new IllegalArgumentException("the feature map is " + (map.complex() ? "complex" : "real")
                    + "; use " + (map.complex() ? "complexInnerProducts" : "mappedInnerProducts"));
        }
    }

    /** In K(X, X) tiles, sets every entry pairing a sample with itself to {@code value}; no-op otherwise. */
    public void setSameSampleEntries(double[] out, double value) {
        setSameSampleEntries(out, sample -> value);
    }

    /**
     * In K(X, X) tiles, sets every entry pairing a sample with itself to {@code valueOf(sample)},
     * where sample is the sample's row index in X; no-op otherwise.
     */
    public void setSameSampleEntries(double[] out, java.util.function.IntToDoubleFunction valueOf) {
        if (!symmetric) {
            return;
        }
        for (int i = 0; i < rows; i++) {
            int j = rowStart + i - colStart;
            if (j >= 0 && j < cols) {
                out[i * cols + j] = valueOf.applyAsDouble(rowStart + i);
            }
        }
    }

    /** Fills {@code out} with the inner products of this tile under a feature view (one GEMM). */
    void gemm(FeatureView view, double[] out) {
        int d = view.width(features());
        GramInputs.Prepared a = left.view(view);
        GramInputs.Prepared b = right.view(view);
        if (d == 0) {
            java.util.Arrays.fill(out, 0, rows * cols, 0.0);
            return;
        }
        Blas.gemmNT(a.rows, (long) rowStart * d, b.rows, (long) colStart * d, product, 0, rows, cols, d);
        product.copyTo(0, out, 0, rows * cols);
    }

    /** Borrows a scratch array of at least {@code rows()·cols()} doubles; give it back with {@link #giveBack}. */
    public double[] borrow() {
        double[] s = scratch.poll();
        return s != null ? s : new double[capacity];
    }

    /** Returns a scratch array obtained from {@link #borrow()}. */
    public void giveBack(double[] s) {
        scratch.push(s);
    }
}
