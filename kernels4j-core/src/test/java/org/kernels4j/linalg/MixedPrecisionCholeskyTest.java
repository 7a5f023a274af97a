package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

/**
 * The mixed-precision solve against a textbook float64 Cholesky written here (a different route from LAPACK's
 * blocked one), closed forms on diagonal matrices, and the fallback on matrices whose conditioning rules out
 * float32: spotrf failing (RBF with a tiny λ) and a factor that exists but does not contract (a spectrum placed
 * by hand around 1/ε₃₂).
 */
class MixedPrecisionCholeskyTest {

    /** exp(−γ‖x_i − x_j‖²) + λ·δ_ij for n seeded uniform points in [0, 1]^d. */
    static Matrix rbfSystem(int n, int d, double gamma, double lambda, long seed) {
        Random rnd = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int c = 0; c < d; c++) {
                row[c] = rnd.nextDouble();
            }
        }
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += (x[i][c] - x[j][c]) * (x[i][c] - x[j][c]);
                }
                a.set(i, j, Math.exp(-gamma * s) + (i == j ? lambda : 0));
            }
        }
        return a;
    }

    /** Cholesky–Banachiewicz, then forward and back substitution, column by column. */
    static Matrix textbookSolve(Matrix a, Matrix b) {
        int n = a.rows();
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a.get(i, j);
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        Matrix x = new Matrix(n, b.cols());
        for (int c = 0; c < b.cols(); c++) {
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                double s = b.get(i, c);
                for (int k = 0; k < i; k++) {
                    s -= l[i][k] * z[k];
                }
                z[i] = s / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = z[i];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k][i] * x.get(k, c);
                }
                x.set(i, c, s / l[i][i]);
            }
        }
        return x;
    }

    static double columnRelativeError(Matrix got, Matrix want, int c) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.rows(); i++) {
            num += Math.pow(got.get(i, c) - want.get(i, c), 2);
            den += Math.pow(want.get(i, c), 2);
        }
        return Math.sqrt(num / den);
    }

    static Matrix randomRhs(int n, int k, long seed) {
        Random rnd = new Random(seed);
        Matrix b = new Matrix(n, k);
        for (int i = 0; i < b.data().length; i++) {
            b.data()[i] = rnd.nextGaussian();
        }
        return b;
    }

    @Test
    void wellConditionedRbfEqualsFloat64SolveWithResidualReported() {
        int n = 300;
        Matrix a = rbfSystem(n, 3, 0.5, 0.1, 11);
        Matrix b = randomRhs(n, 2, 12);
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solve(a, b, "A");
        assertTrue(r.mixed(), r.fallbackReason());
        assertNull(r.fallbackReason());
        assertNull(r.factor());
        assertEquals(0, r.jitter());
        // float32 alone gives ~1e-4 here; reaching 1e-10 needs refinement steps, and a few suffice
        assertTrue(r.steps() >= 2 && r.steps() <= 8, "steps " + r.steps());
        Matrix want = textbookSolve(a, b);
        for (int c = 0; c < 2; c++) {
            assertTrue(columnRelativeError(r.solution(), want, c) < 1e-10, "column " + c);
        }
        // the reported residual is ‖B − A·X‖_F / ‖B‖_F of the returned X (recomputed here by plain loops; both
        // are at rounding level, so they agree to an order of magnitude, and both sit under √n·ε·‖A‖‖X‖/‖B‖)
        double res = 0;
        double bn = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 2; c++) {
                double s = b.get(i, c);
                for (int j = 0; j < n; j++) {
                    s -= a.get(i, j) * r.solution().get(j, c);
                }
                res += s * s;
                bn += b.get(i, c) * b.get(i, c);
            }
        }
        double independent = Math.sqrt(res / bn);
        assertTrue(r.relativeResidual() > 0 && r.relativeResidual() < 1e-13, "residual " + r.relativeResidual());
        assertTrue(r.relativeResidual() < 30 * independent && independent < 30 * r.relativeResidual(),
                r.relativeResidual() + " vs " + independent);
    }

    @Test
    void manyColumnsTakeTheMatrixPathToTheSameAccuracy() {
        // more than four right-hand sides are refined by spotrs/dsymm rather than column by column
        int n = 150;
        Matrix a = rbfSystem(n, 2, 1.0, 0.05, 31);
        Matrix b = randomRhs(n, 6, 32);
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solve(a, b, "A");
        assertTrue(r.mixed(), r.fallbackReason());
        Matrix want = textbookSolve(a, b);
        for (int c = 0; c < 6; c++) {
            assertTrue(columnRelativeError(r.solution(), want, c) < 1e-10, "column " + c);
        }
    }

    @Test
    void diagonalSystemMatchesClosedFormForEveryColumnScale() {
        // A = diag(1 + i/7): X = B ./ diag exactly, with columns far outside float32's range (1e40 overflows it,
        // 1e-50 underflows it), so the per-column scaling of the residual is exercised
        int n = 50;
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            a.set(i, i, 1 + i / 7.0);
        }
        Matrix b = new Matrix(n, 3);
        for (int i = 0; i < n; i++) {
            b.set(i, 0, 1e40 * Math.sin(i + 1));
            b.set(i, 1, 1e-50 * Math.cos(i + 1));
            b.set(i, 2, i % 3 - 1);
        }
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solve(a, b, "D");
        assertTrue(r.mixed());
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                double want = b.get(i, c) / (1 + i / 7.0);
                assertEquals(want, r.solution().get(i, c), 4 * Math.ulp(want) + 0.0, "(" + i + ", " + c + ")");
            }
        }
    }

    @Test
    void tinyLambdaRbfFallsBackToTheFloat64Cholesky() {
        // κ ≈ n/λ ≈ 1e11, far beyond 1/ε₃₂: float32 cannot factor (or refine) it
        int n = 200;
        Matrix a = rbfSystem(n, 2, 0.5, 1e-9, 21);
        Matrix b = randomRhs(n, 1, 22);
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solve(a, b, "K + lambda*I");
        try (Cholesky ref = Cholesky.factor(a, "ref")) {
            assertFalse(r.mixed());
            assertNotNull(r.factor());
            assertTrue(r.fallbackReason().endsWith("solved by the float64 Cholesky"), r.fallbackReason());
            assertTrue(Double.isNaN(r.relativeResidual()));
            assertEquals(ref.jitter(), r.jitter());
            Matrix want = ref.solve(b);
            assertTrue(columnRelativeError(r.solution(), want, 0) < 1e-12);
            assertEquals(ref.logDeterminant(), r.factor().logDeterminant(), 1e-9 * Math.abs(ref.logDeterminant()));
        } finally {
            r.factor().close();
        }
    }

    /** Q·diag(μ)·Qᵀ for a seeded random orthogonal Q (Gram–Schmidt of Gaussian columns, twice for accuracy). */
    static Matrix withSpectrum(double[] mu, long seed) {
        int n = mu.length;
        Random rnd = new Random(seed);
        double[][] q = new double[n][n];
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < n; i++) {
                q[c][i] = rnd.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < c; p++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += q[c][i] * q[p][i];
                    }
                    for (int i = 0; i < n; i++) {
                        q[c][i] -= dot * q[p][i];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q[c][i] * q[c][i];
            }
            for (int i = 0; i < n; i++) {
                q[c][i] /= Math.sqrt(norm);
            }
        }
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int c = 0; c < n; c++) {
                    s += q[c][i] * mu[c] * q[c][j];
                }
                a.set(i, j, s);
                a.set(j, i, s);
            }
        }
        return a;
    }

    @Test
    void factorThatDoesNotContractIsDetectedAndFallsBack() {
        // spectrum log-spaced from 1 to 1e-8 (κ = 1e8 > 1/ε₃₂ ≈ 1.7e7): spotrf still succeeds on this seed, but a
        // refinement step multiplies the error by about κ·ε₃₂ > 1, so the contraction test must stop it
        int n = 120;
        double[] mu = new double[n];
        for (int i = 0; i < n; i++) {
            mu[i] = Math.pow(1e8, -(double) i / (n - 1));
        }
        Matrix a = withSpectrum(mu, 5);
        Matrix b = randomRhs(n, 1, 6);
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solve(a, b, "A");
        try (Cholesky ref = Cholesky.factor(a, "ref")) {
            assertFalse(r.mixed());
            assertTrue(r.steps() >= 1 && r.steps() < MixedPrecisionCholesky.MAX_STEPS, "steps " + r.steps());
            assertTrue(r.fallbackReason().startsWith("the mixed-precision refinement did not contract (residual ratio "),
                    r.fallbackReason());
            assertTrue(columnRelativeError(r.solution(), ref.solve(b), 0) < 1e-12);
        } finally {
            r.factor().close();
        }
        // the same spectrum compressed to κ = 1e6 (κ·ε₃₂ ≈ 0.06) refines, to the accuracy κ allows in float64
        for (int i = 0; i < n; i++) {
            mu[i] = Math.pow(1e6, -(double) i / (n - 1));
        }
        Matrix good = withSpectrum(mu, 5);
        MixedPrecisionCholesky.Result ok = MixedPrecisionCholesky.solve(good, b, "A");
        assertTrue(ok.mixed(), ok.fallbackReason());
        assertTrue(columnRelativeError(ok.solution(), textbookSolve(good, b), 0) < 1e6 * 1e-14);
    }

    @Test
    void badInputIsRefusedWithOneMessage() {
        Matrix a = Matrix.identity(3);
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> MixedPrecisionCholesky.solve(new Matrix(3, 2), randomRhs(3, 1, 1), "A"));
        assertEquals("A must be square for Cholesky, got 3x2", e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> MixedPrecisionCholesky.solve(a, randomRhs(4, 1, 1), "A"));
        assertEquals("right-hand side has 4 rows, expected 3", e.getMessage());
        Matrix b = randomRhs(3, 2, 1);
        b.set(2, 1, Double.NaN);
        e = assertThrows(Kernels4jException.class, () -> MixedPrecisionCholesky.solve(a, b, "A"));
        assertEquals("right-hand side has a non-finite value at row 2, column 1", e.getMessage());
        Matrix notPd = Matrix.of(new double[][] {{1, 2}, {2, 1}});
        assertThrows(NotPositiveDefiniteException.class,
                () -> MixedPrecisionCholesky.solve(notPd, randomRhs(2, 1, 1), "M"));
    }

    @Test
    void zeroRightHandSideGivesZeroWithoutSteps() {
        MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solve(rbfSystem(20, 2, 1, 0.1, 3), new Matrix(20, 2),
                "A");
        assertTrue(r.mixed());
        assertEquals(0, r.steps());
        assertEquals(0, r.relativeResidual());
        for (double v : r.solution().data()) {
            assertEquals(0, v);
        }
    }

    @Test
    void precisionParsingAndAutoThreshold() {
        assertEquals(Precision.MIXED, Precision.parse(" Mixed "));
        assertEquals(Precision.DOUBLE, Precision.parse("double"));
        assertEquals(Precision.AUTO, Precision.parse("AUTO"));
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> Precision.parse("half"));
        assertEquals("unknown precision 'half'; expected double, mixed or auto", e.getMessage());
        assertFalse(Precision.AUTO.mixedFor(MixedPrecisionCholesky.AUTO_MIN_SIZE - 1));
        assertTrue(Precision.AUTO.mixedFor(MixedPrecisionCholesky.AUTO_MIN_SIZE));
        assertTrue(Precision.MIXED.mixedFor(1));
        assertFalse(Precision.DOUBLE.mixedFor(1 << 20));
        assertEquals("mixed", Precision.MIXED.toSpec());
    }
}
