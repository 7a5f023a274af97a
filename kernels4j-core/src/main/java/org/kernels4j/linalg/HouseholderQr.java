package org.kernels4j.linalg;

import org.bytedeco.openblas.global.openblas;
import org.kernels4j.Kernels4jException;

/**
 * Thin QR factorisation {@code A = Q·R} of a tall n×m matrix (n ≥ m) by Householder reflections
 * (LAPACK {@code dgeqrf}, then {@code dorgqr} for the explicit Q): Q is n×m with orthonormal
 * columns, R is m×m upper triangular. About 2nm² − 2m³/3 flops for R and as many again for Q.
 *
 * <p>Used where least squares must not square the condition number (normal equations would): the
 * solution of min ‖A·x − b‖₂ is R⁻¹·Qᵀ·b, accurate to about cond(A)·ε instead of cond(A)²·ε.
 */
public final class HouseholderQr {
    private final Matrix q;
    private final Matrix r;

    private HouseholderQr(Matrix q, Matrix r) {
        this.q = q;
        this.r = r;
    }

    /** Factorises a copy of {@code a} (n×m, n ≥ m ≥ 1, finite). */
    public static HouseholderQr of(Matrix a) {
        int n = a.rows();
        int m = a.cols();
        if (m < 1 || n < m) {
            throw new Kernels4jException("QR needs a tall matrix with at least one column, got " + a.shape());
        }
        a.requireFinite("matrix to factorise");
        double[] cm = new double[n * m];
        double[] d = a.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                cm[j * n + i] = d[i * m + j];
            }
        }
        double[] tau = new double[m];
        int info = Parallelism.blas(2L * n * m * m, () -> openblas.LAPACKE_dgeqrf(openblas.LAPACK_COL_MAJOR, n, m, cm, n, tau));
        if (info != 0) {
            throw new Kernels4jException("QR factorisation failed (LAPACK info " + info + ")");
        }
        Matrix r = new Matrix(m, m);
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                r.set(i, j, cm[j * n + i]);
            }
        }
        int info2 = Parallelism.blas(2L * n * m * m, () -> openblas.LAPACKE_dorgqr(openblas.LAPACK_COL_MAJOR, n, m, m, cm, n, tau));
        if (info2 != 0) {
            throw new Kernels4jException("QR factorisation failed forming Q (LAPACK info " + info2 + ")");
        }
        Matrix q = new Matrix(n, m);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                q.set(i, j, cm[j * n + i]);
            }
        }
        return new HouseholderQr(q, r);
    }

    /** Q, n×m with orthonormal columns (a copy). */
    public Matrix q() {
        return q.copy();
    }

    /** R, m×m upper triangular (a copy). */
    public Matrix r() {
        return r.copy();
    }

    /**
     * The 2-norm condition number of A (= that of R): √(λ_max/λ_min) of RᵀR; infinite when R is
     * singular. O(m³).
     */
    public double conditionNumber() {
        double[] lambda = SymmetricEigen.of(r.transpose().times(r)).values();
        double min = lambda[0];
        double max = lambda[lambda.length - 1];
        return min <= 0 ? Double.POSITIVE_INFINITY : Math.sqrt(max / min);
    }

    /** The least-squares solution x = R⁻¹·Qᵀ·b of min ‖A·x − b‖₂ (b of length n); R must be nonsingular. */
    public double[] solve(double[] b) {
        int n = q.rows();
        int m = q.cols();
        if (b.length != n) {
            throw new Kernels4jException("right-hand side has " + b.length + " entries for " + n + " rows");
        }
        double[] y = new double[m];
        double[] qd = q.data();
        for (int i = 0; i < n; i++) {
            double bi = b[i];
            for (int j = 0; j < m; j++) {
                y[j] += qd[i * m + j] * bi;
            }
        }
        return backSubstitute(y);
    }

    /** x = R⁻¹·y by back substitution. */
    public double[] backSubstitute(double[] y) {
        int m = r.rows();
        double[] x = y.clone();
        for (int i = m - 1; i >= 0; i--) {
            double s = x[i];
            for (int j = i + 1; j < m; j++) {
                s -= r.get(i, j) * x[j];
            }
            double rii = r.get(i, i);
            if (rii == 0) {
                throw new Kernels4jException("R is singular: column " + i + " depends on the columns before it");
            }
            x[i] = s / rii;
        }
        return x;
    }
}
