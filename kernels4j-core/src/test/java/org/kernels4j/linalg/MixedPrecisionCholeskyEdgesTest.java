package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.linalg.MixedPrecisionCholeskyTest.columnRelativeError;
import static org.kernels4j.linalg.MixedPrecisionCholeskyTest.randomRhs;
import static org.kernels4j.linalg.MixedPrecisionCholeskyTest.rbfSystem;
import static org.kernels4j.linalg.MixedPrecisionCholeskyTest.textbookSolve;

import org.junit.jupiter.api.Test;

/**
 * Cases the mutation run found unexercised: a zero column beside a nonzero one, right-hand sides far below 1
 * (the stopping test is relative to ‖x‖), matrices wide enough to be converted to float32 in two column bands,
 * a float32 breakdown at a known column, and the float64 fallback's jitter. References: the textbook float64
 * Cholesky of {@link MixedPrecisionCholeskyTest}, and pivots worked out by hand.
 */
class MixedPrecisionCholeskyEdgesTest {

    /** B = [0 | b]: the zero column stays exactly 0 and the other is solved to float64 accuracy on the mixed path. */
    @Test
    void aZeroColumnBesideANonzeroOneIsSolved() {
        int n = 40;
        Matrix a = rbfSystem(n, 3, 1, 0.1, 11);
        Matrix b = new Matrix(n, 2);
        Matrix rhs = randomRhs(n, 1, 12);
        for (int i = 0; i < n; i++) {
            b.set(i, 1, rhs.get(i, 0));
        }
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solve(a, b, "A");
        assertTrue(r.mixed(), r.fallbackReason());
        assertTrue(r.steps() >= 1, "steps " + r.steps());
        for (int i = 0; i < n; i++) {
            assertEquals(0.0, r.solution().get(i, 0), "zero column, row " + i);
        }
        // κ ≤ 1 + n/λ = 401: float64 accuracy is about κ·1e-16
        assertTrue(columnRelativeError(r.solution(), textbookSolve(a, b), 1) < 1e-12);
    }

    /**
     * A right-hand side of size 1e-9: the solution is refined to float64 accuracy, not stopped at the first float32
     * step (whose relative error is about κ·ε₃₂ ≈ 1e-5 here). The stopping test compares the residual with ‖x‖, so
     * its outcome must not depend on the scale of b.
     */
    @Test
    void aTinyRightHandSideIsRefinedToFloat64Accuracy() {
        int n = 60;
        Matrix a = rbfSystem(n, 2, 1, 0.01, 13);
        Matrix b = randomRhs(n, 1, 14);
        for (int i = 0; i < n; i++) {
            b.set(i, 0, 1e-9 * b.get(i, 0));
        }
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solve(a, b, "A");
        assertTrue(r.mixed(), r.fallbackReason());
        assertTrue(r.steps() >= 2, "one float32 step cannot reach float64 accuracy: steps " + r.steps());
        // κ ≤ 1 + n/λ = 6001
        assertTrue(columnRelativeError(r.solution(), textbookSolve(a, b), 0) < 6001 * 1e-14);
    }

    /** n = 600 ≥ 2·256: the float32 copy is made in two column bands; every band must be converted. */
    @Test
    void aMatrixConvertedInTwoBandsIsSolved() {
        int n = 600;
        Matrix a = rbfSystem(n, 3, 4, 0.5, 15);
        Matrix b = randomRhs(n, 2, 16);
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solve(a, b, "A");
        assertTrue(r.mixed(), r.fallbackReason());
        Matrix want = textbookSolve(a, b);
        for (int c = 0; c < 2; c++) {
            assertTrue(columnRelativeError(r.solution(), want, c) < 1e-12, "column " + c);
        }
    }

    /**
     * A = [[1, 1], [1, 1 + 1e-10]] is positive definite in float64 (second pivot 1e-10) but rounds to the singular
     * [[1, 1], [1, 1]] in float32, whose second pivot is 0: spotrf fails at column 2, and the float64 Cholesky
     * solves it with no jitter. X = A⁻¹b by Cramer's rule: A⁻¹ = [[1 + 1e-10, −1], [−1, 1]]/1e-10.
     */
    @Test
    void aFloat32BreakdownIsNamedAndSolvedInFloat64() {
        double e = 1e-10;
        Matrix a = Matrix.of(new double[][] {{1, 1}, {1, 1 + e}});
        Matrix b = Matrix.of(new double[][] {{1}, {2}});
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solve(a, b, "A");
        try {
            assertFalse(r.mixed());
            assertTrue(r.fallbackReason().startsWith("the float32 Cholesky failed at column 2"), r.fallbackReason());
            assertEquals(0.0, r.jitter());
            double det = (1 + e) - 1; // the determinant as stored (1 + 1e-10 is not exact in binary)
            // κ ≈ 4e10: the float64 solve keeps about κ·ε₆₄ ≈ 1e-5 relative accuracy
            double x0 = ((1 + e) * 1 - 1 * 2) / det;
            double x1 = (-1 * 1 + 1 * 2) / det;
            assertEquals(x0, r.solution().get(0, 0), 1e-4 * Math.abs(x0));
            assertEquals(x1, r.solution().get(1, 0), 1e-4 * Math.abs(x1));
        } finally {
            r.factor().close();
        }
    }

    /**
     * The all-ones 3×3 matrix minus 5e-10·I has eigenvalues 3 − 5e-10 and −5e-10 (twice): float32 rounds it to the
     * singular all-ones matrix, and the float64 fallback needs jitter. Cholesky's ladder (1e-10·mean diag, ×10 per
     * rung) fails at 1e-10 (second pivot ≈ 2(1e-10 − 5e-10) < 0) and succeeds at 1e-9 (≈ 2(1e-9 − 5e-10) > 0), so the
     * result reports 1e-9·mean diag.
     */
    @Test
    void theFallbackReportsTheFloat64Jitter() {
        double d = 1 - 5e-10;
        Matrix a = Matrix.of(new double[][] {{d, 1, 1}, {1, d, 1}, {1, 1, d}});
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solve(a, randomRhs(3, 1, 17), "A");
        try {
            assertFalse(r.mixed());
            assertEquals(1e-9 * d, r.jitter(), 1e-9 * 1e-6);
        } finally {
            r.factor().close();
        }
    }

    /**
     * The stopping test's √n factor, on the identity (n = 1600), where every step is exact but for the float32
     * rounding of the scaled residual (relative u = 2⁻²⁴): after step 1 |r_i| ≤ u·|b_i|, after step 2
     * |r_i| ≤ (u² + ε₆₄)·|b_i| ≤ 3.7e-15·max|b|, which meets the documented test ‖r‖∞ ≤ √n·ε₆₄·‖A‖∞·‖x‖∞
     * = 40·1.1e-16·max|x| = 4.4e-15·max|b| but not one without the √n (1.1e-16·max|b|), while step 1's residual
     * (about 1e-8·max|b| for Gaussian b) meets neither. So exactly two steps.
     */
    @Test
    void theIdentityConvergesInExactlyTwoSteps() {
        int n = 1600;
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solve(Matrix.identity(n), randomRhs(n, 1, 18), "I");
        assertTrue(r.mixed(), r.fallbackReason());
        assertEquals(2, r.steps());
    }

    /** solveInPlace takes over A: on the mixed path its native memory is released before returning (as documented). */
    @Test
    void theMatrixIsReleasedOnTheMixedPath() {
        NativeMatrix a = NativeMatrix.copyOf(rbfSystem(30, 2, 1, 0.1, 19));
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solveInPlace(a, randomRhs(30, 1, 20), "A");
        assertTrue(r.mixed(), r.fallbackReason());
        assertTrue(a.buffer().at(0).isNull(), "A's native memory is still held");
    }
}
