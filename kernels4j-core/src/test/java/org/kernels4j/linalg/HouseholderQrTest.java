package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;

/**
 * HouseholderQr at the edges of its domain (the least-squares tests reach it only through tall
 * designs): a square matrix against Gaussian elimination, one column against its closed form
 * (R = ±‖a‖, Q = a/R), the condition number of a matrix built from chosen singular values
 * (U·diag(σ)·Vᵀ with U, V products of reflections written here, so cond = σ_max/σ_min exactly), and
 * the zero matrix. Tolerances: LAPACK's backward error on these n ≤ 6, cond ≤ 16 matrices is a few
 * n·ε·‖A‖ ≈ 1e-14; 1e-12 leaves a factor 100.
 */
class HouseholderQrTest {

    @Test
    void aSquareMatrixIsFactorisedAndSolvedExactly() {
        int n = 4;
        Matrix a = TestData.gaussian(n, n, 1, 11);
        for (int i = 0; i < n; i++) {
            a.set(i, i, a.get(i, i) + 3); // well conditioned
        }
        HouseholderQr qr = HouseholderQr.of(a);
        assertEquals(n, qr.q().rows());
        assertEquals(n, qr.q().cols());
        assertTrue(TestData.naiveProduct(qr.q(), qr.r()).maxAbsDifference(a) < 1e-12, "Q·R = A");
        double[] b = {1, -2, 0.5, 3};
        double[] x = qr.solve(b);
        assertArrayEquals(TestData.gaussSolve(a, Matrix.column(b)).data(), x, 1e-12, "A⁻¹b by elimination");
    }

    @Test
    void oneColumnHasRTheNormAndQTheUnitVector() {
        double[] col = {3, -4, 12, 0, 0}; // ‖col‖ = 13
        HouseholderQr qr = HouseholderQr.of(Matrix.column(col));
        double r = qr.r().get(0, 0);
        assertEquals(13, Math.abs(r), 1e-12);
        for (int i = 0; i < col.length; i++) {
            assertEquals(col[i] / r, qr.q().get(i, 0), 1e-14, "Q = a/R at row " + i);
        }
        assertArrayEquals(new double[] {2}, qr.solve(new double[] {6, -8, 24, 0, 0}), 1e-14, "b = 2a");
    }

    @Test
    void wideAndColumnlessMatricesAreRefused() {
        assertThrows(Kernels4jException.class, () -> HouseholderQr.of(new Matrix(3, 4)));
        assertThrows(Kernels4jException.class, () -> HouseholderQr.of(new Matrix(3, 0)));
    }

    /** I − 2vvᵀ/vᵀv, the n×n reflection along v: orthogonal and symmetric. */
    private static Matrix reflection(double[] v) {
        int n = v.length;
        double vv = 0;
        for (double e : v) {
            vv += e * e;
        }
        Matrix h = Matrix.identity(n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h.set(i, j, h.get(i, j) - 2 * v[i] * v[j] / vv);
            }
        }
        return h;
    }

    @Test
    void conditionNumberIsTheRatioOfTheExtremeSingularValues() {
        int n = 6;
        int m = 3;
        double[] sigma = {2, 0.5, 8}; // cond = 8 / 0.5 = 16
        Matrix u = reflection(new double[] {1, -2, 0.5, 3, 1, -1});
        Matrix v = reflection(new double[] {2, 1, -1});
        Matrix s = new Matrix(n, m);
        for (int j = 0; j < m; j++) {
            s.set(j, j, sigma[j]);
        }
        Matrix a = TestData.naiveProduct(TestData.naiveProduct(u, s), v.transpose());
        assertEquals(16, HouseholderQr.of(a).conditionNumber(), 1e-12);
    }

    @Test
    void theZeroMatrixHasInfiniteConditionAndNoSolution() {
        HouseholderQr qr = HouseholderQr.of(new Matrix(4, 2));
        assertEquals(Double.POSITIVE_INFINITY, qr.conditionNumber());
        assertThrows(Kernels4jException.class, () -> qr.solve(new double[] {1, 2, 3, 4}));
    }
}
