package org.kernels4j.linalg;

import org.kernels4j.Kernels4jException;

/**
 * Cholesky factorization {@code A + δI = L·Lᵀ} of a symmetric positive definite matrix, by LAPACK
 * {@code dpotrf} (n³/3 flops, multi-threaded), with automatic jitter escalation.
 *
 * <p>If A is numerically only semi-definite (kernel matrices often are), the factorization is
 * retried with a growing jitter δ added to the diagonal: δ = 10⁻¹⁰·mean(diag A), then ×10 up to
 * 10⁻⁴·mean(diag A). The jitter used is reported by {@link #jitter()} and logged as a WARNING on
 * the {@code System.Logger} named after this class (it changes the matrix that is solved). If every
 * try fails a {@link NotPositiveDefiniteException} names the matrix.
 *
 * <p>The factor lives off the heap in a {@link NativeMatrix}, so LAPACK works on it in place with
 * no copy. Only the lower triangle of A is read; because {@code dpotrf} leaves the strict upper
 * triangle untouched, a failed try is undone from it without keeping a second n×n copy. Memory is
 * released by {@link #close()} or when the object is garbage collected.
 */
public final class Cholesky implements AutoCloseable {
    private static final double FIRST_JITTER = 1e-10;
    private static final double LAST_JITTER = 1e-4;
    private static final int RESTORE_TILE = 512;
    private static final System.Logger LOG = System.getLogger(Cholesky.class.getName());

    private final NativeMatrix factor;
    private final double jitter;

    private Cholesky(NativeMatrix factor, double jitter) {
        this.factor = factor;
        this.jitter = jitter;
    }

    /** Factors a copy of {@code a} (with jitter escalation); {@code name} is used in error messages. */
    public static Cholesky factor(Matrix a, String name) {
        if (a.cols() != a.rows()) {
            throw new Kernels4jException(name + " must be square for Cholesky, got " + a.shape());
        }
        return factorInPlace(NativeMatrix.copyOf(a), name, true);
    }

    /**
     * Factors {@code a} in place: its lower triangle becomes L and the object is owned by the
     * returned Cholesky from then on (closing one closes the other). The strict upper triangle is
     * left as it was and never read again. When factorization fails, {@code a} is closed.
     *
     * @param allowJitter whether to retry with diagonal jitter when the plain factorization fails
     */
    public static Cholesky factorInPlace(NativeMatrix a, String name, boolean allowJitter) {
        int n = a.rows();
        if (a.cols() != n) {
            throw new Kernels4jException(name + " must be square for Cholesky, got " + a.shape());
        }
        if (n == 0) {
            return new Cholesky(a, 0);
        }
        double[] diag = a.diagonal();
        double mean = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(diag[i])) {
                a.close();
                throw new Kernels4jException(name + " has a non-finite value on its diagonal at row " + i);
            }
            mean += diag[i] / n;
        }
        double scale = mean > 0 ? mean : 1.0;
        double jitter = 0;
        int info = Blas.potrfLower(a);
        double next = FIRST_JITTER * scale;
        while (info > 0 && allowJitter && next <= LAST_JITTER * scale * 1.0000001) {
            restoreLower(a, diag);
            jitter = next;
            a.addToDiagonal(jitter);
            info = Blas.potrfLower(a);
            next *= 10;
        }
        if (info != 0) {
            a.close();
            if (info < 0) {
                throw new IllegalStateException("dpotrf rejected argument " + (-info));
            }
            String tried = allowJitter ? " even after adding " + String.format("%.3g", LAST_JITTER * scale)
                    + " to the diagonal" : "";
            throw new NotPositiveDefiniteException(name + " (" + n + "x" + n + ") is not positive definite: Cholesky failed at column "
                    + info + tried + "; increase the regularization or the noise term");
        }
        if (jitter > 0) {
            LOG.log(System.Logger.Level.WARNING, String.format(
                    "%s (%dx%d) is numerically not positive definite: added jitter %.3g (%.1e x mean diagonal) to its"
                    + " diagonal", name, n, n, jitter, jitter / scale));
        }
        return new Cholesky(a, jitter);
    }

    /** Copies the untouched strict upper triangle back over the lower one and restores the diagonal. */
    private static void restoreLower(NativeMatrix a, double[] diag) {
        int n = a.rows();
        double[] upper = new double[RESTORE_TILE * RESTORE_TILE];
        double[] lower = new double[RESTORE_TILE * RESTORE_TILE];
        for (int i0 = 0; i0 < n; i0 += RESTORE_TILE) {
            int h = Math.min(RESTORE_TILE, n - i0);
            for (int j0 = 0; j0 <= i0; j0 += RESTORE_TILE) {
                int w = Math.min(RESTORE_TILE, n - j0);
                a.getBlock(j0, i0, w, h, upper); // the mirror tile above the diagonal, w×h
                for (int r = 0; r < h; r++) {
                    for (int c = 0; c < w; c++) {
                        double v;
                        if (i0 != j0 || r > c) {
                            v = upper[c * h + r];
                        } else if (r == c) {
                            v = diag[i0 + r];
                        } else {
                            v = upper[r * h + c]; // strict upper part of a diagonal tile: unchanged
                        }
                        lower[r * w + c] = v;
                    }
                }
                a.putBlock(i0, j0, h, w, lower);
            }
        }
    }

    /**
     * A factorization from a lower-triangular factor L computed earlier (for example one kept by a
     * fitted model): L is copied off the heap, O(n²), and nothing is refactored. Entries above the
     * diagonal are ignored.
     *
     * @throws Kernels4jException when L is not square or its diagonal is not positive and finite
     */
    public static Cholesky ofFactor(Matrix lower, double jitter) {
        requireFactor(lower);
        return new Cholesky(NativeMatrix.copyOf(lower), jitter);
    }

    /**
     * Checks that {@code lower} can serve as a Cholesky factor: square with a positive finite
     * diagonal (O(n), nothing copied).
     *
     * @throws Kernels4jException naming the first offending row
     */
    public static void requireFactor(Matrix lower) {
        int n = lower.rows();
        if (lower.cols() != n) {
            throw new Kernels4jException("a Cholesky factor must be square, got " + lower.shape());
        }
        for (int i = 0; i < n; i++) {
            double d = lower.get(i, i);
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new Kernels4jException("a Cholesky factor needs a positive finite diagonal, got " + d + " at row " + i);
            }
        }
    }

    /** A heap copy of the lower-triangular factor L (n² memory; zeros above the diagonal). */
    public Matrix lower() {
        int n = size();
        Matrix l = factor.toMatrix();
        double[] d = l.data();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[i * n + j] = 0.0;
            }
        }
        return l;
    }

    /** The jitter δ that had to be added to the diagonal (0 when none was needed). */
    public double jitter() {
        return jitter;
    }

    /** Order n of the factored matrix. */
    public int size() {
        return factor.rows();
    }

    /** Solves {@code (A + δI)·X = B}; B is n×k and is not modified. Cost 2·n²·k flops. */
    public Matrix solve(Matrix b) {
        int n = size();
        requireRows(b, n);
        int k = b.cols();
        if (k == 0 || n == 0) {
            return new Matrix(n, k);
        }
        // a row-major Bᵀ is B column-major, the layout LAPACK's dpotrs takes
        double[] colMajor = b.transpose().data();
        try (NativeBuffer buf = NativeBuffer.copyOf(colMajor)) {
            int info = Blas.potrsLower(factor, buf, k);
            if (info != 0) {
                throw new IllegalStateException("dpotrs failed with info " + info);
            }
            buf.copyTo(0, colMajor, 0, n * k);
        }
        return Matrix.wrap(k, n, colMajor).transpose();
    }

    /** Solves {@code (A + δI)·x = b} for one vector. */
    public double[] solve(double[] b) {
        return solve(Matrix.column(b)).data();
    }

    /** Solves {@code L·X = B} (forward substitution); B is n×k and is not modified. Cost n²·k flops. */
    public Matrix solveLower(Matrix b) {
        return triangularSolve(b, false);
    }

    /** Solves {@code Lᵀ·X = B} (back substitution); B is n×k and is not modified. Cost n²·k flops. */
    public Matrix solveLowerTransposed(Matrix b) {
        return triangularSolve(b, true);
    }

    private Matrix triangularSolve(Matrix b, boolean transposed) {
        int n = size();
        requireRows(b, n);
        Matrix x = b.copy();
        if (n == 0 || b.cols() == 0) {
            return x;
        }
        try (NativeBuffer buf = NativeBuffer.copyOf(x.data())) {
            Blas.trsmLower(factor, transposed, buf, b.cols());
            buf.copyTo(0, x.data(), 0, x.data().length);
        }
        return x;
    }

    /**
     * {@code (A + δI)⁻¹} as a full symmetric heap matrix, from the factor by LAPACK {@code dpotri}
     * (2n³/3 flops; the factor is kept). Forming the inverse is the right tool only where all its
     * entries are needed, as in the trace terms of GP evidence gradients; to apply it, use
     * {@link #solve}.
     */
    public Matrix inverse() {
        int n = size();
        Matrix result = factor.toMatrix();
        if (n == 0) {
            return result;
        }
        try (NativeMatrix work = NativeMatrix.copyOf(result)) {
            int info = Blas.potriLower(work);
            if (info != 0) {
                throw new IllegalStateException("dpotri failed with info " + info);
            }
            work.buffer().copyTo(0, result.data(), 0, n * n);
        }
        double[] d = result.data();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[i * n + j] = d[j * n + i];
            }
        }
        return result;
    }

    /**
     * The diagonal of {@code (A + δI)⁻¹} alone: (A + δI)⁻¹ = L⁻ᵀL⁻¹, so entry i is the squared norm of
     * column i of L⁻¹, which LAPACK {@code dtrtri} forms in a copy of the factor (n³/3 flops, a third
     * of {@link #inverse()}'s; the factor is kept). Its absolute error is about ε·cond(A) (times a
     * modest polynomial in n), as for any inverse built from the factor.
     */
    public double[] inverseDiagonal() {
        try (NativeBuffer work = new NativeBuffer((long) size() * size())) {
            return inverseDiagonal(work);
        }
    }

    /**
     * {@link #inverseDiagonal()} with a caller's workspace of at least n² doubles, so that repeated calls
     * (one per sweep of an iterative method) do not each map and fault in n² fresh doubles, which on a
     * loaded machine cost more than the triangular inverse itself. On return the workspace's row-major lower
     * triangle holds L⁻¹ ({@link Blas#lauumLower(NativeBuffer, int)} turns it into the inverse for n³/3 more).
     */
    public double[] inverseDiagonal(NativeBuffer workspace) {
        int n = size();
        double[] d = new double[n];
        if (n == 0) {
            return d;
        }
        long len = (long) n * n;
        if (workspace.length() < len) {
            throw new Kernels4jException("the workspace holds " + workspace.length() + " doubles, " + len + " needed");
        }
        org.bytedeco.javacpp.Pointer.memcpy(workspace.at(0), factor.buffer().at(0), len * Double.BYTES);
        int info = Blas.trtriLower(workspace, n);
        if (info != 0) {
            throw new IllegalStateException("dtrtri failed with info " + info);
        }
        int band = Math.max(1, Math.min(n, (1 << 18) / n));
        double[] rows = new double[band * n];
        for (int r0 = 0; r0 < n; r0 += band) {
            int h = Math.min(band, n - r0);
            workspace.copyTo((long) r0 * n, rows, 0, h * n);
            for (int r = 0; r < h; r++) {
                int off = r * n;
                for (int j = 0; j <= r0 + r; j++) { // row r0 + r of L⁻¹: entries left of the diagonal only
                    double v = rows[off + j];
                    d[j] += v * v;
                }
            }
        }
        return d;
    }

    /** {@code log det(A + δI) = 2·Σ log L_ii}. */
    public double logDeterminant() {
        double s = 0;
        for (double v : factor.diagonal()) {
            s += Math.log(v);
        }
        return 2 * s;
    }

    /** Releases the factor's native memory now; the object must not be used afterwards. */
    @Override
    public void close() {
        factor.close();
    }

    private static void requireRows(Matrix b, int n) {
        if (b.rows() != n) {
            throw new Kernels4jException("right-hand side has " + b.rows() + " rows, expected " + n);
        }
    }
}
