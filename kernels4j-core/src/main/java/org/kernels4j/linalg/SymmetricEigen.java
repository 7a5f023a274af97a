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

    /**
     * The k largest eigenpairs only, by LAPACK {@code dsyevr} with an index range (tridiagonal
     * reduction, about (4/3)·n³ flops, then MRRR on the k wanted pairs only: O(n·k) instead of the
     * O(n²) of all vectors, plus 2·n²·k for the back-transformation). Only the lower triangle of
     * {@code a} is read; {@code a} is not changed (a copy is decomposed). The result holds k pairs,
     * eigenvalues ascending as in {@link #of}: value(k − 1) is the largest and {@link #vectors()} is
     * n×k. Memory: one n×n copy plus n·k.
     *
     * @param k the number of pairs, 1 ≤ k ≤ n
     */
    public static SymmetricEigen top(Matrix a, int k) {
        int n = a.rows();
        if (k < 1 || k > n) {
            throw new Kernels4jException("cannot take the " + k + " largest eigenpairs of a " + n + "x" + n + " matrix");
        }
        return range(a, n - k + 1, n);
    }

    /**
     * The eigenpairs with ascending 1-based indices {@code from..to} only (e.g. 1..k for the k smallest), by
     * LAPACK {@code dsyevr} with an index range; costs and layout as {@link #top}, which is
     * {@code range(a, n − k + 1, n)}.
     */
    public static SymmetricEigen range(Matrix a, int from, int to) {
        int n = a.rows();
        if (a.cols() != n) {
            throw new Kernels4jException("eigendecomposition needs a square matrix, got " + a.shape());
        }
        if (from < 1 || to > n || from > to) {
            throw new Kernels4jException("cannot take eigenpairs " + from + ".." + to + " of a " + n + "x" + n
                    + " matrix");
        }
        int k = to - from + 1;
        a.requireFinite("matrix to decompose");
        double[] work = a.data().clone();
        double[] w = new double[n];
        double[] z = new double[n * k];
        int[] found = new int[1];
        int info = Blas.syevrRange(work, n, from, to, found, w, z);
        if (info != 0 || found[0] != k) {
            throw new Kernels4jException("symmetric eigendecomposition did not converge (LAPACK dsyevr info " + info
                    + ", " + found[0] + " of " + k + " pairs)");
        }
        // z is column-major n×k (eigenvector j contiguous); turn it into a row-major n×k matrix
        Matrix v = new Matrix(n, k);
        double[] vd = v.data();
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < n; i++) {
                vd[i * k + j] = z[j * n + i];
            }
        }
        return new SymmetricEigen(java.util.Arrays.copyOf(w, k), v);
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

    /** Q: column k is the eigenvector of eigenvalue k (shared, do not modify); n×k for {@link #top}. */
    public Matrix vectors() {
        return vectors;
    }

    /** The number of eigenpairs held: the order n, or k for {@link #top}. */
    public int size() {
        return values.length;
    }
}
