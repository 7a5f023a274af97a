package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kernels4j.ProgressListener;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * The ν mode of the SMO solver ({@link SmoSolver#solveNu}, LIBSVM's Solver_NU) called directly: ρ and r in closed
 * form where a sign has no free variable, the iteration count and cap against the SMO steps seen through the test
 * hook, and the path (each step's pair and length, each shrink) against LIBSVM's ν rules recomputed here by brute
 * force from α alone (G = Qα + p with Q_tu = y_t·y_u·k(x_t, x_u) evaluated pair by pair). The ν-SVM tests
 * ({@code NuSvmTest}) check the optimum through the estimators; a wrong path or a wrong bound rule can leave it.
 *
 * <p>Tolerances: gradients are updated incrementally over a few hundred O(1) steps, so they agree with the brute
 * force to ~1e−13; the checks use 1e−9, while a wrong sign, pair or factor changes them by O(0.1).
 */
class NuSmoSolverTest {
    private static final double TAU = 1e-12; // WSS 2's floor for a non-positive curvature

    private static int[] identity(int n) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = i;
        }
        return s;
    }

    private static SmoSolver.Options options(double tol, int workingSet, boolean shrinking, long cap) {
        return new SmoSolver.Options(tol, 1L << 30, workingSet, shrinking, cap, ProgressListener.NONE);
    }

    /**
     * Four points on a line, linear kernel: x = (1, 3) with y = +1 and x = (−2, −5) with y = −1, p = 0, box [0, 1],
     * eᵀα = 2 (so each sign's α sum to 1). With w = Σ α_t y_t x_t = α₁ + 3α₂ + 2α₃ + 5α₄ and α₂ = 1 − α₁,
     * α₄ = 1 − α₃, f = ½w² with w = 8 − 2α₁ − 3α₃ > 0, so the optimum is α = (1, 0, 1, 0): every variable at a
     * bound, none free. Then w = 3 and G_t = y_t·x_t·w = (3, 9, 6, 15). For each sign, the variable at the upper
     * bound gives the lower bound and the one at zero the upper bound of r_s: r₊ = (3 + 9)/2 = 6,
     * r₋ = (6 + 15)/2 = 10.5, so ρ = (r₊ − r₋)/2 = −2.25 and r = (r₊ + r₋)/2 = 8.25. Started from the opposite
     * corner (0, 1, 0, 1), so the solver has to move.
     *
     * <p>Without the point x = −5, the one negative point must sit at α = 1 (eᵀα = 2, yᵀα = 0): its sign has only
     * a variable at the upper bound, which bounds r₋ from below alone, so r₋ = G₃ = 2w = 6; r₊ = 6 as before, so
     * ρ = 0 and r = 6.
     */
    @Test
    void rhoAndRWithNoFreeVariableAreTheMidpointsOfEachSignsBounds() {
        double[] xs = {1, 3, -2, -5};
        double[] y = {1, 1, -1, -1};
        Matrix gram = new Matrix(4, 4);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                gram.set(i, j, xs[i] * xs[j]);
            }
        }
        SmoSolver.NuResult nr = SmoSolver.solveNu(KernelSource.precomputed(gram), identity(4), y, new double[4],
                new double[] {1, 1, 1, 1}, new double[] {0, 1, 0, 1}, options(1e-12, 4, false, 1000), null);
        assertArrayEquals(new double[] {1, 0, 1, 0}, nr.result().alpha(), 1e-12);
        assertEquals(-2.25, nr.result().rho(), 1e-12, "ρ = (r₊ − r₋)/2");
        assertEquals(8.25, nr.r(), 1e-12, "r = (r₊ + r₋)/2");
        assertEquals(0.5 * 3 * 3, nr.result().objective(), 1e-12, "½w²");
        // without x = −5 (see above): r₋ from its lower bound alone
        Matrix three = new Matrix(3, 3);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                three.set(i, j, xs[i] * xs[j]);
            }
        }
        SmoSolver.NuResult one = SmoSolver.solveNu(KernelSource.precomputed(three), identity(3), new double[] {1, 1, -1},
                new double[3], new double[] {1, 1, 1}, new double[] {0, 1, 1}, options(1e-12, 3, false, 1000), null);
        assertArrayEquals(new double[] {1, 0, 1}, one.result().alpha(), 1e-12);
        assertEquals(0, one.result().rho(), 1e-12, "ρ = (6 − 6)/2");
        assertEquals(6, one.r(), 1e-12, "r = (6 + 6)/2");
    }

    /** Two Gaussian blobs with ν-SVC's start (LIBSVM's: each sign's α fill the box up to ν·l/2). */
    private static final class Problem {
        final int l;
        final double[] y;
        final double[][] k;
        final Matrix x;
        final Kernel kernel = KernelSpec.parse("rbf(gamma=0.5)");
        final double[] alpha0;

        Problem(int l, double nu, long seed) {
            this.l = l;
            x = TestData.gaussian(l, 2, 1, seed);
            y = new double[l];
            for (int t = 0; t < l; t++) {
                y[t] = t % 3 == 0 ? -1 : 1; // unbalanced: the two signs have different violations
                x.set(t, 0, x.get(t, 0) + 0.8 * y[t]);
            }
            k = new double[l][l];
            for (int t = 0; t < l; t++) {
                for (int u = 0; u < l; u++) {
                    k[t][u] = kernel.value(x.row(t), x.row(u));
                }
            }
            alpha0 = new double[l];
            double pos = nu * l / 2;
            double neg = nu * l / 2;
            for (int t = 0; t < l; t++) {
                if (y[t] > 0) {
                    alpha0[t] = Math.min(1, pos);
                    pos -= alpha0[t];
                } else {
                    alpha0[t] = Math.min(1, neg);
                    neg -= alpha0[t];
                }
            }
        }

        /** G_t = Σ_u y_t·y_u·k_tu·α_u (p = 0), by brute force. */
        double gradient(double[] alpha, int t) {
            double s = 0;
            for (int u = 0; u < l; u++) {
                s += y[t] * y[u] * k[t][u] * alpha[u];
            }
            return s;
        }

        SmoSolver.NuResult solve(SmoSolver.Options o, SmoSolver.Observer observer) {
            double[] upper = new double[l];
            Arrays.fill(upper, 1);
            return SmoSolver.solveNu(KernelSource.of(kernel, x), identity(l), y, new double[l], upper, alpha0.clone(), o,
                    observer);
        }
    }

    /** The count the solver reports is the number of SMO steps it took, with and without a cap that stops it. */
    @Test
    void iterationsAreTheStepsTakenAndTheCapIsExact() {
        Problem pr = new Problem(45, 0.4, 71);
        long[] steps = new long[1];
        SmoSolver.Observer counter = new SmoSolver.Observer() {
            @Override
            public void round(int round, double[] alpha, double[] g, int[] scanned, int[] active, int[] ws, double m,
                    double mLow) {
            }

            @Override
            public void step(double[] a, int i, int j) {
                steps[0]++;
            }
        };
        SmoSolver.Result full = pr.solve(options(1e-8, 6, true, 1_000_000), counter).result();
        assertTrue(full.converged());
        assertTrue(steps[0] > 10, steps[0] + " steps");
        assertEquals(steps[0], full.iterations(), "iterations = SMO steps");
        // every cap from 1 to 15: some end between sub-problems, some cut one in the middle
        for (int cap = 1; cap <= 15; cap++) {
            steps[0] = 0;
            SmoSolver.Result capped = pr.solve(options(1e-8, 6, true, cap), counter).result();
            assertFalse(capped.converged());
            assertEquals(cap, steps[0], "steps under a cap of " + cap);
            assertEquals(cap, capped.iterations());
        }
    }

    /**
     * Every round's shrink and every SMO step against the ν rules written out here, and the end point's violation
     * per sign, on a problem whose two signs converge at different speeds.
     */
    @Test
    void everyShrinkAndStepFollowsTheNuRulesAndBothSignsConverge() {
        for (boolean shrinking : new boolean[] {true, false}) {
            Problem pr = new Problem(60, 0.5, 72);
            PathCheck check = new PathCheck(pr);
            double tol = 1e-6;
            SmoSolver.NuResult nr = pr.solve(options(tol, 6, shrinking, 1_000_000), check);
            SmoSolver.Result r = nr.result();
            assertTrue(r.converged());
            assertTrue(check.steps > 20, check.steps + " steps");
            if (shrinking) {
                assertTrue(check.shrinks > 0, "the problem shrinks at least once");
            }
            double[] alpha = r.alpha();
            // constraints kept: yᵀα and eᵀα as at the start, α in the box
            double ya = 0;
            double ea = 0;
            double ya0 = 0;
            double ea0 = 0;
            for (int t = 0; t < pr.l; t++) {
                assertTrue(alpha[t] >= 0 && alpha[t] <= 1, "α_" + t + " = " + alpha[t]);
                ya += pr.y[t] * alpha[t];
                ea += alpha[t];
                ya0 += pr.y[t] * pr.alpha0[t];
                ea0 += pr.alpha0[t];
            }
            assertEquals(ya0, ya, 1e-12 * pr.l);
            assertEquals(ea0, ea, 1e-12 * pr.l);
            // each sign's own violation m_s − M_s, from G recomputed at the end point, is below the tolerance
            double[] f = new double[pr.l];
            for (int t = 0; t < pr.l; t++) {
                f[t] = -pr.y[t] * pr.gradient(alpha, t);
            }
            for (int s : new int[] {1, -1}) {
                double m = Double.NEGATIVE_INFINITY;
                double mLow = Double.POSITIVE_INFINITY;
                for (int t = 0; t < pr.l; t++) {
                    if (pr.y[t] == s) {
                        if (PathCheck.inUp(pr.y[t], alpha[t])) {
                            m = Math.max(m, f[t]);
                        }
                        if (PathCheck.inLow(pr.y[t], alpha[t])) {
                            mLow = Math.min(mLow, f[t]);
                        }
                    }
                }
                assertTrue(m - mLow < tol + 1e-9, "sign " + s + ": m − M = " + (m - mLow));
            }
            // ρ and r by LIBSVM's definition: r_s is the mean of G over the sign's free variables
            double[] rs = new double[2];
            for (int si = 0; si < 2; si++) {
                double sum = 0;
                int free = 0;
                for (int t = 0; t < pr.l; t++) {
                    if ((pr.y[t] > 0) == (si == 0) && alpha[t] > 0 && alpha[t] < 1) {
                        sum += pr.gradient(alpha, t);
                        free++;
                    }
                }
                assertTrue(free > 0, "sign " + si + " has free variables");
                rs[si] = sum / free;
            }
            assertEquals((rs[0] - rs[1]) / 2, r.rho(), 1e-6, "ρ");
            assertEquals((rs[0] + rs[1]) / 2, nr.r(), 1e-6, "r");
        }
    }

    /** The observer that checks each round's shrink and each step against the rules, from α alone. */
    private static final class PathCheck implements SmoSolver.Observer {
        final Problem pr;
        double[] cur; // α as it is now, updated step by step
        int[] ws;
        int steps;
        int shrinks;

        PathCheck(Problem pr) {
            this.pr = pr;
        }

        static boolean inUp(double y, double a) {
            return y > 0 ? a < 1 : a > 0;
        }

        static boolean inLow(double y, double a) {
            return y > 0 ? a > 0 : a < 1;
        }

        @Override
        public void round(int round, double[] alpha, double[] g, int[] scanned, int[] active, int[] ws, double m,
                double mLow) {
            cur = alpha.clone();
            this.ws = ws.clone();
            if (active.length == scanned.length) {
                return;
            }
            shrinks++;
            // LIBSVM's be_shrunk within each sign, with that sign's m_s, M_s over the scanned variables
            double[] ms = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
            double[] mLows = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
            double[] f = new double[pr.l];
            for (int t : scanned) {
                f[t] = -pr.y[t] * pr.gradient(cur, t);
                int s = pr.y[t] > 0 ? 0 : 1;
                if (inUp(pr.y[t], cur[t])) {
                    ms[s] = Math.max(ms[s], f[t]);
                }
                if (inLow(pr.y[t], cur[t])) {
                    mLows[s] = Math.min(mLows[s], f[t]);
                }
            }
            Set<Integer> kept = new HashSet<>();
            for (int t : scanned) {
                int s = pr.y[t] > 0 ? 0 : 1;
                boolean up = inUp(pr.y[t], cur[t]);
                boolean low = inLow(pr.y[t], cur[t]);
                boolean drop = (up && !low && f[t] < mLows[s]) || (low && !up && f[t] > ms[s]);
                if (!drop) {
                    kept.add(t);
                }
            }
            Set<Integer> got = new HashSet<>();
            for (int t : active) {
                got.add(t);
            }
            assertEquals(kept, got, "round " + round + ": the variables kept by the ν shrinking rule");
            assertTrue(active.length < scanned.length - scanned.length / 10 && active.length >= 2,
                    "a shrink drops more than a tenth and keeps two: " + active.length + " of " + scanned.length);
        }

        @Override
        public void step(double[] a, int i, int j) {
            steps++;
            int q = ws.length;
            double[] f = new double[q];
            double[] before = new double[q];
            for (int t = 0; t < q; t++) {
                before[t] = cur[ws[t]];
                f[t] = -pr.y[ws[t]] * pr.gradient(cur, ws[t]);
            }
            double yi = pr.y[ws[i]];
            assertEquals(yi, pr.y[ws[j]], "a ν step moves two variables of one sign");
            assertTrue(inUp(yi, before[i]), "i in I_up");
            assertTrue(inLow(yi, before[j]), "j in I_low");
            // i: the largest −yG of I_up within the sign; j: WSS 2's largest b²/quad among I_low below it
            double best = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < q; t++) {
                if (pr.y[ws[t]] == yi && inUp(yi, before[t])) {
                    best = Math.max(best, f[t]);
                }
            }
            assertEquals(best, f[i], 1e-9, "f_i is the sign's maximum over I_up");
            double bestScore = 0;
            double scoreJ = Double.NaN;
            for (int t = 0; t < q; t++) {
                if (pr.y[ws[t]] == yi && inLow(yi, before[t]) && f[t] < f[i]) {
                    double b = f[i] - f[t];
                    double quad = pr.k[ws[i]][ws[i]] + pr.k[ws[t]][ws[t]] - 2 * pr.k[ws[i]][ws[t]];
                    double score = b * b / (quad > 0 ? quad : TAU);
                    bestScore = Math.max(bestScore, score);
                    if (t == j) {
                        scoreJ = score;
                    }
                }
            }
            assertEquals(bestScore, scoreJ, 1e-9 * Math.max(1, bestScore), "j maximises b²/quad");
            // the exact minimiser along e_i − e_j (in y-signed coordinates), clipped to the box
            double quad = pr.k[ws[i]][ws[i]] + pr.k[ws[j]][ws[j]] - 2 * pr.k[ws[i]][ws[j]];
            double step = (f[i] - f[j]) / (quad > 0 ? quad : TAU);
            double roomI = yi > 0 ? 1 - before[i] : before[i];
            double roomJ = yi > 0 ? before[j] : 1 - before[j];
            step = Math.min(step, Math.min(roomI, roomJ));
            assertEquals(before[i] + yi * step, a[i], 1e-9, "α_i after the step");
            assertEquals(before[j] - yi * step, a[j], 1e-9, "α_j after the step");
            for (int t = 0; t < q; t++) {
                if (t != i && t != j) {
                    assertEquals(before[t], a[t], 0.0, "only the pair moves");
                }
                cur[ws[t]] = a[t];
            }
        }
    }
}
