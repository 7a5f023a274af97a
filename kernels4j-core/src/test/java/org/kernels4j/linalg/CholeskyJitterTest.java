package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.kernels4j.LogCapture;

/**
 * Cholesky's jitter ladder (1e-10·mean diag, ×10 per rung): the reported jitter is the smallest rung
 * that succeeds, checked with a plain textbook Cholesky written here, and L·Lᵀ = A + jitter·I.
 */
class CholeskyJitterTest {

    /** Plain Cholesky–Banachiewicz; true when every pivot is positive. */
    private static boolean plainCholeskySucceeds(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        return false;
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return true;
    }

    private static double[][] plus(double[][] a, double d) {
        double[][] b = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].clone();
            b[i][i] += d;
        }
        return b;
    }

    private static double meanDiag(double[][] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i][i];
        }
        return s / a.length;
    }

    /** Factors a, checks the rung and minimality, and that L·Lᵀ = A + jitter·I; returns the rung index. */
    private static int checkLadder(double[][] a) {
        double mean = meanDiag(a);
        double jitter;
        double worst = 0;
        double amax = 0;
        try (Cholesky ch = Cholesky.factorInPlace(NativeMatrix.copyOf(Matrix.of(a)), "test", true)) {
            jitter = ch.jitter();
            Matrix l = ch.lower();
            int n = a.length;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(0.0, j > i ? l.get(i, j) : 0.0, "lower() is lower triangular");
                    double s = 0;
                    for (int k = 0; k < n; k++) {
                        s += l.get(i, k) * l.get(j, k);
                    }
                    double want = a[i][j] + (i == j ? jitter : 0);
                    worst = Math.max(worst, Math.abs(s - want));
                    amax = Math.max(amax, Math.abs(a[i][j]));
                }
            }
        }
        assertTrue(worst <= 1e-13 * amax * a.length, "L·Lᵀ − (A + jitter·I) = " + worst);
        assertTrue(jitter > 0, "a singular matrix needs jitter");
        int rung = (int) Math.round(Math.log10(jitter / (1e-10 * mean)));
        assertTrue(rung >= 0 && rung <= 6, "rung " + rung);
        assertEquals(1e-10 * mean * Math.pow(10, rung), jitter, 1e-9 * jitter, "the jitter is a rung of the ladder");
        // minimality: the plain factorization fails on the rung below (no jitter below the first rung)
        double previous = rung == 0 ? 0 : 1e-10 * mean * Math.pow(10, rung - 1);
        assertFalse(plainCholeskySucceeds(plus(a, previous)), "the previous rung " + previous + " already works");
        assertTrue(plainCholeskySucceeds(plus(a, jitter)), "the reported rung works in a plain factorization too");
        return rung;
    }

    @Test
    void anExactlySingularRankOneMatrixTakesTheFirstRung() {
        // v·vᵀ with integer v: the second pivot is 4 − 2·2 = 0 exactly
        double[] v = {1, 2, 3, -1};
        double[][] a = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                a[i][j] = v[i] * v[j];
            }
        }
        assertEquals(0, checkLadder(a));
    }

    @Test
    void aRankDeficientMatrixWithNullSpaceRoundingNeedsALaterRung() {
        // A = Σ λ_i q_i q_iᵀ over an orthonormal basis: rank 10 of 40 with eigenvalues in [1, 5], and the
        // null space pushed to −3e-8·mean diag (a rank-deficient PSD matrix after heavy rounding):
        // the rung 1e-8·mean leaves eigenvalues ≈ −2e-8·mean (fails), 1e-7·mean gives +7e-8·mean
        int n = 40;
        int r = 10;
        Random rnd = new Random(5);
        double[][] q = new double[n][n]; // rows are the basis vectors (Gram–Schmidt, twice)
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                q[i][k] = rnd.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < i; j++) {
                    double d = 0;
                    for (int k = 0; k < n; k++) {
                        d += q[i][k] * q[j][k];
                    }
                    for (int k = 0; k < n; k++) {
                        q[i][k] -= d * q[j][k];
                    }
                }
            }
            double norm = 0;
            for (int k = 0; k < n; k++) {
                norm += q[i][k] * q[i][k];
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < n; k++) {
                q[i][k] /= norm;
            }
        }
        double[] lambda = new double[n];
        double sum = 0;
        for (int i = 0; i < r; i++) {
            lambda[i] = 1 + 4 * rnd.nextDouble();
            sum += lambda[i];
        }
        double s = 3e-8 * sum / n;
        for (int i = r; i < n; i++) {
            lambda[i] = -s;
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int k = 0; k < n; k++) {
                    v += lambda[k] * q[k][i] * q[k][j];
                }
                a[i][j] = v;
            }
        }
        for (int i = 0; i < n; i++) { // exact symmetry
            for (int j = 0; j < i; j++) {
                a[j][i] = a[i][j];
            }
        }
        assertEquals(3, checkLadder(a));
    }

    /** Escalation is logged once as a WARNING naming the matrix, its size and the jitter; no jitter, no warning. */
    @Test
    void jitterEscalationLogsOneWarning() {
        double[] v = {1, 2, 3, -1}; // v·vᵀ: exactly singular, mean diagonal (1 + 4 + 9 + 1)/4
        double[][] a = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                a[i][j] = v[i] * v[j];
            }
        }
        double firstRung = 1e-10 * (1 + 4 + 9 + 1) / 4.0;
        try (LogCapture log = LogCapture.of(Cholesky.class)) {
            try (Cholesky ch = Cholesky.factor(Matrix.of(a), "rank-one test matrix")) {
                assertEquals(firstRung, ch.jitter(), 1e-6 * firstRung);
            }
            List<String> warnings = log.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            String w = warnings.get(0);
            assertTrue(w.startsWith("rank-one test matrix (4x4) "), w);
            assertTrue(w.contains("jitter " + String.format("%.3g", firstRung) + " "), w);
            assertTrue(w.contains("(1.0e-10 x mean diagonal)"), w);

            try (Cholesky ch = Cholesky.factor(Matrix.identity(5), "identity")) {
                assertEquals(0.0, ch.jitter());
            }
            assertThrows(NotPositiveDefiniteException.class,
                    () -> Cholesky.factorInPlace(NativeMatrix.copyOf(Matrix.of(a)), "no jitter allowed", false));
            assertEquals(1, log.messages(Level.WARNING).size(), "only the escalation warns");
        }
    }
}
