package org.kernels4j.approx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

class IncompleteCholeskyTest {
    private static final Kernel RBF = KernelSpec.parse("1.5*rbf(gamma=0.4)");

    /** The dense kernel matrix, entry by entry from Kernel.value (not through the Gram engine). */
    private static double[][] dense(Kernel k, Matrix a, Matrix b) {
        double[][] out = new double[a.rows()][b.rows()];
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.rows(); j++) {
                out[i][j] = k.value(a.row(i), b.row(j));
            }
        }
        return out;
    }

    /** Brute force: right-looking pivoted Cholesky on the full Schur complement S ← S − g gᵀ, kernlab's stopping rule. */
    private record Reference(int[] pivots, double[][] columns, double[] traces) {
    }

    private static Reference bruteForce(double[][] k, double tol, int maxRank) {
        int n = k.length;
        double[][] s = new double[n][];
        for (int i = 0; i < n; i++) {
            s[i] = k[i].clone();
        }
        int[] piv = new int[maxRank];
        double[][] cols = new double[maxRank][];
        double[] traces = new double[maxRank + 1];
        int r = 0;
        traces[0] = trace(s);
        while (r < maxRank) {
            int p = 0;
            for (int i = 1; i < n; i++) {
                if (s[i][i] > s[p][p]) {
                    p = i;
                }
            }
            if (s[p][p] <= tol) {
                break;
            }
            double root = Math.sqrt(s[p][p]);
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = s[i][p] / root;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    s[i][j] -= g[i] * g[j];
                }
            }
            piv[r] = p;
            cols[r] = g;
            r++;
            traces[r] = trace(s);
        }
        return new Reference(java.util.Arrays.copyOf(piv, r), java.util.Arrays.copyOf(cols, r),
                java.util.Arrays.copyOf(traces, r + 1));
    }

    private static double trace(double[][] s) {
        double t = 0;
        for (int i = 0; i < s.length; i++) {
            t += Math.max(s[i][i], 0);
        }
        return t;
    }

    @Test
    void matchesTheBruteForcePivotedCholeskyStepByStep() {
        Matrix x = TestData.gaussian(60, 3, 1, 21);
        double[][] k = dense(RBF, x, x);
        for (double tol : new double[] {1e-1, 1e-3}) {
            IncompleteCholesky ic = IncompleteCholesky.of(RBF, x, tol, 60);
            Reference ref = bruteForce(k, tol, 60);
            assertArrayEquals(ref.pivots(), ic.pivots(), "tol " + tol);
            Matrix g = ic.factor();
            assertEquals(ref.pivots().length, g.cols());
            for (int t = 0; t < g.cols(); t++) {
                for (int i = 0; i < 60; i++) {
                    assertEquals(ref.columns()[t][i], g.get(i, t), 1e-10);
                }
            }
            double[] traces = ic.traceErrors();
            assertEquals(ref.traces().length, traces.length);
            for (int t = 0; t < traces.length; t++) {
                assertEquals(ref.traces()[t], traces[t], 1e-9 * (1 + ref.traces()[t]));
                assertTrue(t == 0 || traces[t] <= traces[t - 1], "trace error non-increasing at " + t);
            }
            assertEquals(1.5 * 60, traces[0], 1e-12); // tr K = n·k(x, x)
            // stopping rule: the last pivot's residual was above tol, everything left is at most tol
            double[] picked = ic.pivotResiduals();
            assertTrue(picked[picked.length - 1] > tol);
            double[][] residual = new double[60][60];
            for (int i = 0; i < 60; i++) {
                for (int j = 0; j < 60; j++) {
                    double s = k[i][j];
                    for (int t = 0; t < g.cols(); t++) {
                        s -= g.get(i, t) * g.get(j, t);
                    }
                    residual[i][j] = s;
                }
                assertTrue(residual[i][i] <= tol + 1e-12, "residual " + residual[i][i] + " above tol " + tol);
            }
            assertEquals(trace(residual), ic.traceError(), 1e-9);
        }
        IncompleteCholesky small = IncompleteCholesky.of(RBF, x, 1e-3, 5);
        assertEquals(5, small.rank());
        assertArrayEquals(java.util.Arrays.copyOf(IncompleteCholesky.of(RBF, x, 1e-3, 60).pivots(), 5), small.pivots());
    }

    /** φ(z) = K(z, P)·L⁻ᵀ reproduces G on the training rows and K(z, P)·K_PP⁻¹·K(P, w) between new points. */
    @Test
    void featureMapIsTheNystromMapOverThePivots() {
        Matrix x = TestData.gaussian(50, 2, 1, 3);
        Matrix z = TestData.gaussian(7, 2, 1, 4);
        IncompleteCholesky ic = IncompleteCholesky.of(RBF, x, 1e-2, 12);
        Matrix onX = ic.featureMap().transform(x);
        Matrix g = ic.factor();
        for (int k = 0; k < g.data().length; k++) {
            assertEquals(g.data()[k], onX.data()[k], 1e-9);
        }
        Matrix p = x.selectRows(ic.pivots());
        Matrix kpp = Matrix.of(dense(RBF, p, p));
        Matrix kpz = Matrix.of(dense(RBF, p, z));
        Matrix solved = TestData.gaussSolve(kpp, kpz);
        Matrix phi = ic.featureMap().transform(z);
        for (int a = 0; a < 7; a++) {
            for (int b = 0; b < 7; b++) {
                double expected = 0;
                double got = 0;
                for (int t = 0; t < p.rows(); t++) {
                    expected += kpz.get(t, a) * solved.get(t, b);
                    got += phi.get(a, t) * phi.get(b, t);
                }
                assertEquals(expected, got, 1e-8);
            }
        }
        // as a landmark sampler: the same rows, sorted
        int[] sorted = ic.pivots();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(sorted, Landmarks.select(Landmarks.Sampler.INCHOL, RBF, x, 12, 0, 0));
        assertEquals(Landmarks.Sampler.INCHOL, Landmarks.Sampler.parse("incomplete-cholesky"));
    }

    @Test
    void stopsAtTheNumericalRankAndRefusesBadOptions() {
        Kernel linear = KernelSpec.parse("linear()");
        Matrix x = TestData.gaussian(20, 3, 1, 5);
        IncompleteCholesky ic = IncompleteCholesky.of(linear, x, 1e-9, 20);
        assertEquals(3, ic.rank(), java.util.Arrays.toString(ic.pivotResiduals())); // rank 3 on 3 features
        assertEquals(0, ic.traceError(), 1e-9);
        assertEquals(3, Landmarks.select(Landmarks.Sampler.INCHOL, linear, x, 10, 0, 0).length);
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> IncompleteCholesky.of(RBF, x, -1, 5));
        assertTrue(e.getMessage().contains("tolerance"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> IncompleteCholesky.of(RBF, x, 1e-3, 21));
        assertTrue(e.getMessage().contains("between 1 and the 20 rows"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> IncompleteCholesky.of(RBF, x, 2, 5));
        assertTrue(e.getMessage().contains("nothing to factor"), e.getMessage());
    }
}
