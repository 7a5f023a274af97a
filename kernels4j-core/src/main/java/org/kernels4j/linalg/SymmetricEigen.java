package org.kernels4j.linalg;

import org.kernels4j.Kernels4jException;

/**
 * Eigendecomposition {@code A = Q·diag(λ)·Qᵀ} of a symmetric matrix by LAPACK {@code dsyevd}
 * (divide and conquer, about 9n³ flops with vectors). Eigenvalues are in ascending order;
 * column k of Q is the unit eigenvector for λ_k.
 */
public final class SymmetricEigen {
    private final double[] values;
    private final Matrix vectors;

    private SymmetricEigen(double[] values, Matrix vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Decomposes a copy of {@code a} (only its lower triangle is read). */
    public static SymmetricEigen of(Matrix a) {
        return ofInPlace(a.copy());
    }

    /**
     * A decomposition computed earlier (e.g. read from a model file): eigenvalues ascending and the
     * eigenvectors as the columns of an n×n matrix; both are checked and kept as given.
     */
    public static SymmetricEigen restore(double[] values, Matrix vectors) {
        int n = values.length;
        if (vectors.rows() != n || vectors.cols() != n) {
            throw new Kernels4jException("eigenvectors have shape " + vectors.shape() + " for " + n + " eigenvalues");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(values[i]) || (i > 0 && values[i] < values[i - 1])) {
                throw new Kernels4jException("eigenvalues must be finite and ascending");
            }
        }
        vectors.requireFinite("eigenvectors");
        return new SymmetricEigen(values.clone(), vectors);
    }

    /** Decomposes {@code a}, overwriting it with the eigenvectors. */
    public static SymmetricEigen ofInPlace(Matrix a) {
        int n = a.rows();
        if (a.cols() != n) {
            throw new Kernels4jException("eigendecomposition needs a square matrix, got " + a.shape());
        }
        a.requireFinite("matrix to decompose");
        double[] w = new double[n];
        if (n > 0) {
            int info = Blas.syevdRows(a.data(), n, w);
            if (info != 0) {
                throw new Kernels4jException("symmetric eigendecomposition did not converge (LAPACK info " + info + ")");
            }
            transposeInPlace(a.data(), n);
        }
        return new SymmetricEigen(w, a);
    }

    private static void transposeInPlace(double[] d, int n) {
        final int b = 64;
        for (int i0 = 0; i0 < n; i0 += b) {
            for (int j0 = i0; j0 < n; j0 += b) {
                int i1 = Math.min(n, i0 + b);
                int j1 = Math.min(n, j0 + b);
                for (int i = i0; i < i1; i++) {
                    for (int j = Math.max(j0, i + 1); j < j1; j++) {
                        double t = d[i * n + j];
                        d[i * n + j] = d[j * n + i];
                        d[j * n + i] = t;
                    }
                }
            }
        }
    }

    /** Eigenvalues, ascending (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** Eigenvalue k (ascending order). */
    public double value(int k) {
        return values[k];
    }

    /** Q: column k is the eigenvector of eigenvalue k (shared, do not modify). */
    public Matrix vectors() {
        return vectors;
    }

    /** Order n. */
    public int size() {
        return values.length;
    }
}
