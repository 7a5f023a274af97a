package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kernels4j.ProgressListener;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * Shrinking with gradient reconstruction against an unshrunk solve of the same problem (issue 32).
 *
 * <p>The bound used: for feasible α with violation m − M over all variables (G = Qα + p), convexity gives
 * f(α) − f* ≤ ∇f(α)ᵀ(α − α*), and splitting α − α* by the sign of y_t(α_t − α*_t) (such t lie in I_low,
 * where −y_tG_t ≥ M, or in I_up, where −y_tG_t ≤ m) bounds that by (m − M)/2 · Σ_t |α_t − α*_t| ≤ (m − M)/2 ·
 * Σ_t C_t. So a solve stopped at violation ε is within ε/2 · ΣC of the optimum whatever path it took, and
 * the violation is recomputed here from α by the definition of G, so a wrong reconstruction of the
 * shrunk variables' gradients (which would let the solver stop early) fails it.
 */
class SmoSolverShrinkingTest {

    private static int[] identity(int n) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = i;
        }
        return s;
    }

    /** max_{I_up} −yG − min_{I_low} −yG with G = Qα + p computed from the Gram matrix, by the definition. */
    private static double violation(double[][] k, double[] y, double[] p, double[] upper, double[] a) {
        int n = y.length;
        double up = Double.NEGATIVE_INFINITY;
        double low = Double.POSITIVE_INFINITY;
        for (int t = 0; t < n; t++) {
            double g = p[t];
            for (int v = 0; v < n; v++) {
                g += y[t] * y[v] * k[t][v] * a[v];
            }
            double f = -y[t] * g;
            if (y[t] > 0 ? a[t] < upper[t] : a[t] > 0) {
                up = Math.max(up, f);
            }
            if (y[t] > 0 ? a[t] > 0 : a[t] < upper[t]) {
                low = Math.min(low, f);
            }
        }
        return up - low;
    }

    @Test
    void shrunkSolveReachesTheUnshrunkObjective() {
        int n = 300;
        Matrix x = TestData.gaussian(n, 3, 1.0, 321);
        double[] y = SupportVectorMachineTest.twoClasses(x, 322);
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        double[][] kk = SupportVectorMachineTest.gram(k, x);
        double[] p = new double[n];
        Arrays.fill(p, -1);
        double[] upper = new double[n];
        Arrays.fill(upper, 0.8);
        double sumC = 0.8 * n;
        double eps = 1e-4;
        // a small working set and a cache of a few rows, so that there are many rounds and shrinking acts
        SmoSolver.Options shrunk = new SmoSolver.Options(eps, 24L * 8 * n, 16, true, 10_000_000, ProgressListener.NONE);
        int[] smallest = {n};
        SmoSolver.Observer watch = new SmoSolver.Observer() {
            @Override
            public void round(int round, double[] alpha, double[] g, int[] scanned, int[] active, int[] ws, double m,
                    double mLow) {
                smallest[0] = Math.min(smallest[0], active.length);
            }

            @Override
            public void step(double[] a, int i, int j) {
            }
        };
        SmoSolver.Result s = SmoSolver.solve(KernelSource.of(k, x), identity(n), y, p, upper, new double[n], shrunk,
                watch);
        SmoSolver.Options plain = new SmoSolver.Options(1e-10, 1L << 30, 16, false, 100_000_000, ProgressListener.NONE);
        SmoSolver.Result ref = SmoSolver.solve(KernelSource.of(k, x), identity(n), y, p, upper, new double[n], plain);

        assertTrue(smallest[0] < n / 2, "shrinking should drop most bounded variables, smallest active set "
                + smallest[0]);
        assertTrue(s.converged());
        double gap = violation(kk, y, p, upper, s.alpha());
        assertTrue(gap < eps, "violation over all variables, G recomputed: " + gap);
        assertEquals(gap, s.gap(), 1e-9, "the reported gap is the whole problem's");
        double refGap = violation(kk, y, p, upper, ref.alpha());
        assertTrue(refGap < 1e-9, "reference violation " + refGap);
        // both within (violation)/2 · ΣC of f*, hence of each other
        double bound = (gap + refGap) / 2 * sumC;
        assertEquals(ref.objective(), s.objective(), bound);
        // and the bound is not vacuous: it is far below the objective's own scale
        assertTrue(bound < 1e-3 * Math.abs(ref.objective()), "bound " + bound + " vs " + ref.objective());
    }
}
