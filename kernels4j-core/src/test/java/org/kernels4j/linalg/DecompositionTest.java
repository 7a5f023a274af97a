package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;

/**
 * Cholesky and SymmetricEigen beyond LinalgTest: the inverse against Gaussian elimination, factors
 * restored from L, the validation paths, and eigenpairs of the second-difference matrix against their
 * closed form λ_k = 2 − 2cos(kπ/(n + 1)), v_k(i) ∝ sin(ikπ/(n + 1)). Tolerances: LAPACK's backward
 * error on these well-conditioned n ≤ 70 matrices is ~n·ε·‖A‖ ≈ 1e-13; a 1 % error is 1e-2.
 */
class DecompositionTest {

    private static Matrix spd(int n, long seed) {
        Matrix g = TestData.gaussian(n, n, 1, seed);
        Matrix a = TestData.naiveProduct(g, g.transpose());
        for (int i = 0; i < n; i++) {
            a.set(i, i, a.get(i, i) + n);
        }
        return a;
    }

    @Test
    void inverseMatchesGaussianElimination() {
        Matrix a = spd(12, 1);
        try (Cholesky ch = Cholesky.factor(a, "A")) {
            Matrix inv = ch.inverse();
            Matrix ref = TestData.gaussSolve(a, Matrix.identity(12));
            assertTrue(inv.maxAbsDifference(ref) < 1e-13, "inverse error " + inv.maxAbsDifference(ref));
            for (int i = 0; i < 12; i++) {
                for (int j = 0; j < 12; j++) {
                    assertEquals(inv.get(j, i), inv.get(i, j), 0.0, "exactly symmetric");
                }
            }
            double[] b = {1, -2, 0.5, 3, 0, 0, 1, 1, -1, 2, 0.25, -4};
            double[] x = ch.solve(b);
            Matrix xr = TestData.gaussSolve(a, Matrix.column(b));
            assertArrayEquals(xr.data(), x, 1e-13);
            assertEquals(12, ch.size());
        }
    }

    @Test
    void inverseDiagonalMatchesGaussianElimination() {
        for (int n : new int[] {1, 7, 300}) { // one read-back band each (2¹⁸/n ≥ n); two bands: the test below
            Matrix a = spd(n, 3 + n);
            Matrix ref = TestData.gaussSolve(a, Matrix.identity(n));
            try (Cholesky ch = Cholesky.factor(a, "A")) {
                double[] d = ch.inverseDiagonal();
                assertEquals(n, d.length);
                for (int i = 0; i < n; i++) {
                    assertEquals(ref.get(i, i), d[i], 1e-13 * ref.get(i, i), "n=" + n + " entry " + i);
                }
                assertEquals(a.get(0, 0), ch.lower().get(0, 0) * ch.lower().get(0, 0), 1e-12 * a.get(0, 0),
                        "the factor is kept");
            }
        }
        try (Cholesky empty = Cholesky.factor(new Matrix(0, 0), "empty")) {
            assertEquals(0, empty.inverseDiagonal().length);
        }
    }

    /**
     * n = 600 reads L⁻¹ back in two row bands (2¹⁸/600 = 436 rows, then 164), against the closed form of
     * Sherman–Morrison for A = D + uuᵀ: (A⁻¹)_ii = 1/d_i − (u_i/d_i)²/(1 + Σ_k u_k²/d_k).
     */
    @Test
    void inverseDiagonalOverTwoReadBackBandsMatchesShermanMorrison() {
        int n = 600;
        java.util.Random r = new java.util.Random(17);
        double[] d = new double[n];
        double[] u = new double[n];
        double s = 1;
        for (int i = 0; i < n; i++) {
            d[i] = 1 + r.nextDouble();
            u[i] = r.nextGaussian() * 0.2;
            s += u[i] * u[i] / d[i];
        }
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a.set(i, j, u[i] * u[j] + (i == j ? d[i] : 0));
            }
        }
        try (Cholesky ch = Cholesky.factor(a, "A")) {
            double[] inv = ch.inverseDiagonal();
            for (int i = 0; i < n; i++) {
                double ref = 1 / d[i] - (u[i] / d[i]) * (u[i] / d[i]) / s;
                assertEquals(ref, inv[i], 1e-12 * ref, "entry " + i);
            }
        }
    }

    @Test
    void lowerHasZerosAboveTheDiagonalAndRestoresFromItself() {
        Matrix a = spd(9, 2);
        Cholesky ch = Cholesky.factor(a, "A");
        Matrix l = ch.lower();
        for (int i = 0; i < 9; i++) {
            assertTrue(l.get(i, i) > 0);
            for (int j = i + 1; j < 9; j++) {
                assertEquals(0.0, l.get(i, j), 0.0);
            }
        }
        // entries above the diagonal of the given factor are ignored
        Matrix dirty = l.copy();
        dirty.set(0, 5, 123);
        try (Cholesky again = Cholesky.ofFactor(dirty, 0.25)) {
            assertEquals(0.25, again.jitter());
            Matrix b = TestData.gaussian(9, 2, 1, 3);
            assertTrue(again.solve(b).maxAbsDifference(TestData.gaussSolve(a, b)) < 1e-12);
            assertEquals(ch.logDeterminant(), again.logDeterminant(), 1e-12);
            assertEquals(0.0, again.lower().maxAbsDifference(l));
        }
        ch.close();
    }

    @Test
    void logDeterminantOfADiagonalMatrix() {
        // det diag(4, 9, 0.25) = 9: log 9 = 2.1972…
        Matrix d = Matrix.of(new double[][] {{4, 0, 0}, {0, 9, 0}, {0, 0, 0.25}});
        try (Cholesky ch = Cholesky.factor(d, "D")) {
            assertEquals(Math.log(9), ch.logDeterminant(), 1e-15);
            Matrix l = ch.lower();
            assertArrayEquals(new double[] {2, 0, 0, 0, 3, 0, 0, 0, 0.5}, l.data(), 0.0);
        }
    }

    @Test
    void requireFactorRejectsBadDiagonals() {
        Cholesky.requireFactor(Matrix.of(new double[][] {{1, 0}, {5, 2}}));
        Cholesky.requireFactor(new Matrix(0, 0));
        assertThrows(Kernels4jException.class, () -> Cholesky.requireFactor(new Matrix(2, 3)));
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            Matrix l = Matrix.of(new double[][] {{1, 0}, {0, bad}});
            Kernels4jException e = assertThrows(Kernels4jException.class, () -> Cholesky.ofFactor(l, 0));
            assertTrue(e.getMessage().endsWith("at row 1"), e.getMessage());
        }
    }

    @Test
    void degenerateShapesAndInputs() {
        try (Cholesky empty = Cholesky.factor(new Matrix(0, 0), "E")) {
            assertEquals(0, empty.size());
            assertEquals(0.0, empty.jitter());
            Matrix x = empty.solve(new Matrix(0, 3));
            assertEquals(0, x.rows());
            assertEquals(3, x.cols());
            assertEquals(0, empty.inverse().rows());
            assertEquals(0.0, empty.logDeterminant());
            assertEquals(0, empty.solveLower(new Matrix(0, 2)).rows());
        }
        Matrix a = spd(4, 4);
        try (Cholesky ch = Cholesky.factor(a, "A")) {
            Matrix none = ch.solve(new Matrix(4, 0));
            assertEquals(4, none.rows());
            assertEquals(0, none.cols());
            assertEquals(0, ch.solveLowerTransposed(new Matrix(4, 0)).cols());
            Kernels4jException e = assertThrows(Kernels4jException.class, () -> ch.solve(new Matrix(3, 1)));
            assertEquals("right-hand side has 3 rows, expected 4", e.getMessage());
            assertThrows(Kernels4jException.class, () -> ch.solveLower(new Matrix(5, 1)));
        }
        Kernels4jException sq = assertThrows(Kernels4jException.class, () -> Cholesky.factor(new Matrix(2, 3), "R"));
        assertTrue(sq.getMessage().startsWith("R must be square"), sq.getMessage());
        try (NativeMatrix rect = new NativeMatrix(2, 3)) {
            assertThrows(Kernels4jException.class, () -> Cholesky.factorInPlace(rect, "R", true));
        }
        Matrix nan = spd(3, 5);
        nan.set(2, 2, Double.NaN);
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> Cholesky.factor(nan, "N"));
        assertEquals("N has a non-finite value on its diagonal at row 2", e.getMessage());
        Matrix inf = spd(3, 5);
        inf.set(0, 0, Double.POSITIVE_INFINITY);
        assertThrows(Kernels4jException.class, () -> Cholesky.factor(inf, "I"));
    }

    @Test
    void withoutJitterASingularMatrixFailsAndTheMessageSaysSo() {
        Matrix v = TestData.gaussian(6, 2, 1, 6);
        Matrix a = TestData.naiveProduct(v, v.transpose()); // rank 2
        NativeMatrix m = NativeMatrix.copyOf(a);
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> Cholesky.factorInPlace(m, "K", false));
        assertTrue(e.getMessage().startsWith("K (6x6) is not positive definite: Cholesky failed at column "), e.getMessage());
        assertFalse(e.getMessage().contains("even after"), e.getMessage());
        // diag(4, −1) fails on every rung; the message names the largest jitter, 1e-4·mean(diag) = 1.5e-4
        Matrix neg = Matrix.of(new double[][] {{4, 0}, {0, -1}});
        NotPositiveDefiniteException e2 = assertThrows(NotPositiveDefiniteException.class, () -> Cholesky.factor(neg, "M"));
        assertTrue(e2.getMessage().contains("even after adding 0.000150 to the diagonal"), e2.getMessage());
        assertTrue(e2.getMessage().contains("failed at column 2"), e2.getMessage());
        // a negative mean diagonal falls back to scale 1: the largest jitter is 1e-4
        Matrix allNeg = Matrix.of(new double[][] {{-1, 0}, {0, -1}});
        NotPositiveDefiniteException e3 = assertThrows(NotPositiveDefiniteException.class, () -> Cholesky.factor(allNeg, "M"));
        assertTrue(e3.getMessage().contains("even after adding 0.000100 to the diagonal"), e3.getMessage());
        assertTrue(e3.getMessage().contains("failed at column 1"), e3.getMessage());
    }

    @Test
    void secondDifferenceMatrixHasItsClosedFormEigenpairs() {
        int n = 70; // more than one 64-wide block in the in-place transpose
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            a.set(i, i, 2);
            if (i > 0) {
                a.set(i, i - 1, -1);
                a.set(i - 1, i, -1);
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a);
        assertEquals(n, e.size());
        assertEquals(2.0, a.get(0, 0), "the input is not overwritten");
        double[] w = e.values();
        for (int k = 1; k <= n; k++) {
            double lambda = 2 - 2 * Math.cos(k * Math.PI / (n + 1));
            assertEquals(lambda, w[k - 1], 1e-13, "λ_" + k);
            assertEquals(lambda, e.value(k - 1), 1e-13);
            // column k − 1 of Q is ± the normalised sine vector
            double norm = Math.sqrt((n + 1) / 2.0);
            double sign = Math.signum(e.vectors().get(0, k - 1));
            for (int i = 0; i < n; i++) {
                double want = sign * Math.sin((i + 1) * k * Math.PI / (n + 1)) / norm;
                assertEquals(want, e.vectors().get(i, k - 1), 1e-11, "v_" + k + "(" + i + ")");
            }
        }
        w[0] = 99;
        assertEquals(2 - 2 * Math.cos(Math.PI / (n + 1)), e.value(0), 1e-13, "values() is a copy");
    }

    @Test
    void eigenValidation() {
        assertThrows(Kernels4jException.class, () -> SymmetricEigen.of(new Matrix(2, 3)));
        Matrix nan = Matrix.identity(3);
        nan.set(1, 0, Double.NaN);
        assertThrows(Kernels4jException.class, () -> SymmetricEigen.of(nan));
        assertEquals(0, SymmetricEigen.of(new Matrix(0, 0)).size());
        Matrix q = Matrix.identity(3);
        SymmetricEigen r = SymmetricEigen.restore(new double[] {1, 1, 2}, q);
        assertEquals(2.0, r.value(2));
        assertEquals(3, r.size());
        assertThrows(Kernels4jException.class, () -> SymmetricEigen.restore(new double[] {1, 3, 2}, q));
        assertThrows(Kernels4jException.class, () -> SymmetricEigen.restore(new double[] {2, 1, 3}, q));
        assertThrows(Kernels4jException.class, () -> SymmetricEigen.restore(new double[] {1, 2, Double.NaN}, q));
        assertThrows(Kernels4jException.class, () -> SymmetricEigen.restore(new double[] {1, 2}, q));
        assertThrows(Kernels4jException.class, () -> SymmetricEigen.restore(new double[] {1, 2, 3}, new Matrix(3, 2)));
        assertThrows(Kernels4jException.class, () -> SymmetricEigen.restore(new double[] {1, 2, 3}, new Matrix(2, 3)));
        Matrix bad = Matrix.identity(3);
        bad.set(2, 2, Double.POSITIVE_INFINITY);
        assertThrows(Kernels4jException.class, () -> SymmetricEigen.restore(new double[] {1, 2, 3}, bad));
        double[] vals = {1, 2, 3};
        SymmetricEigen kept = SymmetricEigen.restore(vals, q);
        vals[0] = -5;
        assertEquals(1.0, kept.value(0), "restore copies the values");
    }

    @Test
    void theLastRungOfTheJitterLadderIsTried() {
        // diag(20, −5e-4): mean 9.99975, rungs 1e-10·mean … 1e-4·mean; only the last (≈ 1.0e-3) exceeds 5e-4
        Matrix a = Matrix.of(new double[][] {{20, 0}, {0, -5e-4}});
        double mean = (20 - 5e-4) / 2;
        try (Cholesky ch = Cholesky.factor(a, "A")) {
            assertEquals(1e-4 * mean, ch.jitter(), 1e-12 * mean);
            Matrix l = ch.lower();
            assertEquals(Math.sqrt(20 + ch.jitter()), l.get(0, 0), 1e-14);
            assertEquals(Math.sqrt(-5e-4 + ch.jitter()), l.get(1, 1), 1e-14);
        }
    }
}
