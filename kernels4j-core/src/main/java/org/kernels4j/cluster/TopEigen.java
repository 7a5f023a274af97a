package org.kernels4j.cluster;

import org.bytedeco.openblas.global.openblas;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * A few eigenpairs of a symmetric matrix by LAPACK {@code dsyevr} with an index range (MRRR): O(n³)
 * for the tridiagonal reduction but only O(n·k) beyond it for k eigenvectors, against the full
 * {@link org.kernels4j.linalg.SymmetricEigen}'s 9n³. Private to this package for now (kernel PCA
 * has the same need; one shared helper in linalg would serve both).
 */
final class TopEigen {
    final double[] values; // ascending, as LAPACK returns them
    final Matrix vectors; // n×k, column a for values[a]

    private TopEigen(double[] values, Matrix vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Eigenpairs with ascending 1-based indices from..to of the symmetric n×n matrix a (not modified). */
    static TopEigen range(Matrix a, int from, int to) {
        int n = a.rows();
        int k = to - from + 1;
        double[] work = a.data().clone();
        double[] w = new double[n];
        double[] z = new double[n * k];
        int[] found = new int[1];
        int[] support = new int[2 * Math.max(1, k)];
        int info = Parallelism.blas(() -> openblas.LAPACKE_dsyevr(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'I',
                (byte) 'U', n, work, n, 0, 0, from, to, 0, found, w, z, n, support));
        if (info != 0 || found[0] != k) {
            throw new Kernels4jException("eigenvalues " + from + ".." + to + " did not converge (LAPACK info "
                    + info + ")");
        }
        Matrix v = new Matrix(n, k);
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                v.set(i, c, z[c * n + i]); // column-major out
            }
        }
        return new TopEigen(java.util.Arrays.copyOf(w, k), v);
    }
}
