package org.kernels4j.linalg;

import org.kernels4j.Kernels4jException;

/**
 * Cholesky factorization {@code A + δI = L·Lᵀ} of a symmetric positive definite matrix, by LAPACK
 * {@code dpotrf} (n³/3 flops, multi-threaded), with automatic jitter escalation.
 *
 * <p>If A is numerically only semi-definite (kernel matrices often are), the factorization is
 * retried with a growing jitter δ added to the diagonal: δ = 10⁻¹⁰·mean(diag A), then ×10 up to
 * 10⁻⁴·mean(diag A). The jitter used is reported by {@link #jitter()}. If every try fails a
 * {@link NotPositiveDefiniteException} names the matrix.
 *
 * <p>Only the lower triangle of A is read; because {@code dpotrf} leaves the strict upper triangle
 * untouched, a failed try is undone from it without keeping a second n×n copy.
 */
public final class Cholesky {
    private static final double FIRST_JITTER = 1e-10;
    private static final double LAST_JITTER = 1e-4;

    private final Matrix lower;
    private final double jitter;

    private Cholesky(Matrix lower, double jitter) {
        this.lower = lower;
        this.jitter = jitter;
    }

    /** Factors a copy of {@code a}; {@code name} is used in error messages. */
    public static Cholesky factor(Matrix a, String name) {
        return factorInPlace(a.copy(), name, true);
    }

    /**
     * Factors {@code a} in place (its lower triangle becomes L, its upper triangle is zeroed), so an
     * n×n matrix is never held twice.
     *
     * @param allowJitter whether to retry with diagonal jitter when the plain factorization fails
     */
    public static Cholesky factorInPlace(Matrix a, String name, boolean allowJitter) {
        int n = a.rows();
        if (a.cols() != n) {
            throw new Kernels4jException(name + " must be square for Cholesky, got " + a.shape());
        }
        double[] d = a.data();
        double[] diag = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            diag[i] = d[i * n + i];
            if (!Double.isFinite(diag[i])) {
                throw new Kernels4jException(name + " has a non-finite value on its diagonal at row " + i);
            }
            mean += diag[i] / n;
        }
        double scale = mean > 0 ? mean : 1.0;
        double jitter = 0;
        int info = Blas.potrfLower(d, n);
        double next = FIRST_JITTER * scale;
        while (info != 0 && allowJitter && next <= LAST_JITTER * scale * 1.0000001) {
            if (info < 0) {
                break;
            }
            restoreLower(d, diag, n);
            jitter = next;
            for (int i = 0; i < n; i++) {
                d[i * n + i] += jitter;
            }
            info = Blas.potrfLower(d, n);
            next *= 10;
        }
        if (info != 0) {
            String tried = allowJitter ? " even after adding " + String.format("%.3g", LAST_JITTER * scale)
                    + " to the diagonal" : "";
            throw new NotPositiveDefiniteException(name + " (" + n + "x" + n + ") is not positive definite: Cholesky failed at column "
                    + info + tried + "; increase the regularization or the noise term");
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[i * n + j] = 0.0;
            }
        }
        return new Cholesky(a, jitter);
    }

    private static void restoreLower(double[] d, double[] diag, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                d[i * n + j] = d[j * n + i];
            }
            d[i * n + i] = diag[i];
        }
    }

    /** The lower-triangular factor L (shared, do not modify). */
    public Matrix lower() {
        return lower;
    }

    /** The jitter δ that had to be added to the diagonal (0 when none was needed). */
    public double jitter() {
        return jitter;
    }

    /** Order n of the factored matrix. */
    public int size() {
        return lower.rows();
    }

    /** Solves {@code (A + δI)·X = B}; B is n×k and is not modified. Cost 2·n²·k flops. */
    public Matrix solve(Matrix b) {
        int n = size();
        if (b.rows() != n) {
            throw new Kernels4jException("right-hand side has " + b.rows() + " rows, expected " + n);
        }
        Matrix x = b.copy();
        if (b.cols() == 0 || n == 0) {
            return x;
        }
        int info = Blas.potrsLower(lower.data(), n, x.data(), b.cols());
        if (info != 0) {
            throw new IllegalStateException("dpotrs failed with info " + info);
        }
        return x;
    }

    /** Solves {@code (A + δI)·x = b} for one vector. */
    public double[] solve(double[] b) {
        return solve(Matrix.column(b)).data();
    }

    /** Solves {@code L·X = B} (forward substitution); B is not modified. */
    public Matrix solveLower(Matrix b) {
        Matrix x = b.copy();
        Blas.trsm(true, false, lower, x);
        return x;
    }

    /** {@code log det(A + δI) = 2·Σ log L_ii}. */
    public double logDeterminant() {
        int n = size();
        double s = 0;
        double[] d = lower.data();
        for (int i = 0; i < n; i++) {
            s += Math.log(d[i * n + i]);
        }
        return 2 * s;
    }
}
