package org.kernels4j.kernel.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * {@link GraphSpectra#apply}: diag(l)·V·diag(f(λ))·Vᵀ·diag(r) for a polynomial f, against the same polynomial of the
 * matrix computed by plain matrix products (V f(Λ) Vᵀ = f(A)), with and without negative values of f and with the
 * scalings on either side alone.
 */
class GraphSpectraTest {
    private static final double[][] A = {{2, 1, 0, 0.5}, {1, 1.5, 0.3, 0}, {0, 0.3, 0.2, 0.7}, {0.5, 0, 0.7, 1}};

    private static double[][] square(double[][] a) {
        int n = a.length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    s[i][j] += a[i][k] * a[k][j];
                }
            }
        }
        return s;
    }

    @Test
    void applyIsThePolynomialOfTheMatrixScaledOnEitherSide() {
        int n = A.length;
        SymmetricEigen e = SymmetricEigen.of(Matrix.of(A));
        double[][] a2 = square(A);
        double[] l = {1, 2, 0.5, 3};
        double[] r = {0.25, 1, 4, 2};
        // f(λ) = λ² − 2λ takes both signs here (the eigenvalues lie both inside and outside (0, 2))
        double[] signed = new double[n];
        double[] squares = new double[n];
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            double v = e.value(k);
            signed[k] = v * v - 2 * v;
            squares[k] = v * v;
            min = Math.min(min, signed[k]);
            max = Math.max(max, signed[k]);
        }
        assertEquals(true, min < 0 && max > 0, "f takes both signs");
        double[][][] sides = {{null, null}, {l, null}, {null, r}, {l, r}};
        for (double[][] side : sides) {
            double[] left = side[0];
            double[] right = side[1];
            Matrix fs = GraphSpectra.apply(e, signed, false, left, right);
            Matrix fq = GraphSpectra.apply(e, squares, true, left, right);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = (left == null ? 1 : left[i]) * (right == null ? 1 : right[j]);
                    assertEquals(s * (a2[i][j] - 2 * A[i][j]), fs.get(i, j), 1e-12, "A² − 2A " + i + "," + j);
                    assertEquals(s * a2[i][j], fq.get(i, j), 1e-12, "A² " + i + "," + j);
                }
            }
        }
    }
}
