package org.kernels4j;

import java.util.Random;
import org.kernels4j.linalg.Matrix;

/** Seeded random inputs for tests. */
public final class TestData {
    private TestData() {
    }

    /** n×d standard normal values scaled by {@code scale}. */
    public static Matrix gaussian(int n, int d, double scale, long seed) {
        Random r = new Random(seed);
        Matrix m = new Matrix(n, d);
        double[] a = m.data();
        for (int i = 0; i < a.length; i++) {
            a[i] = scale * r.nextGaussian();
        }
        return m;
    }

    /**
     * A⁻¹ of a symmetric positive definite matrix from its eigendecomposition, and log det A into
     * {@code logDet[0]}: a reference independent of the Cholesky path.
     */
    public static Matrix inverseByEigen(Matrix a, double[] logDet) {
        org.kernels4j.linalg.SymmetricEigen e = org.kernels4j.linalg.SymmetricEigen.of(a);
        int n = a.rows();
        Matrix v = e.vectors();
        Matrix inv = new Matrix(n, n);
        logDet[0] = 0;
        for (int k = 0; k < n; k++) {
            double l = e.value(k);
            logDet[0] += Math.log(l);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    inv.set(i, j, inv.get(i, j) + v.get(i, k) * v.get(j, k) / l);
                }
            }
        }
        return inv;
    }

    /** Plain triple-loop product, the reference for BLAS results. */
    public static Matrix naiveProduct(Matrix a, Matrix b) {
        Matrix c = new Matrix(a.rows(), b.cols());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.cols(); j++) {
                double s = 0;
                for (int k = 0; k < a.cols(); k++) {
                    s += a.get(i, k) * b.get(k, j);
                }
                c.set(i, j, s);
            }
        }
        return c;
    }

    /** Solves A·X = B by Gaussian elimination with partial pivoting (independent of LAPACK). */
    public static Matrix gaussSolve(Matrix a, Matrix b) {
        int n = a.rows();
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] row = new double[n + b.cols()];
            for (int j = 0; j < n; j++) {
                row[j] = a.get(i, j);
            }
            for (int j = 0; j < b.cols(); j++) {
                row[n + j] = b.get(i, j);
            }
            m[i] = row;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c] / m[c][c];
                    for (int j = c; j < n + b.cols(); j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        Matrix x = new Matrix(n, b.cols());
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < b.cols(); j++) {
                x.set(i, j, m[i][n + j] / m[i][i]);
            }
        }
        return x;
    }
}
