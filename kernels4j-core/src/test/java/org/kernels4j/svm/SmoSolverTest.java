package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.ProgressListener;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * The SMO solver on its own: two-variable problems solved in closed form, ρ against its definition
 * (y_t·G_t of the free variables, G = Qα + p recomputed here from α), the iteration cap, the kernel-row
 * cache's promise (no row computed twice when nothing is shrunk and everything fits), and the bounded
 * heap against a sort.
 */
class SmoSolverTest {

    private static SmoSolver.Options options(double tol, int workingSet, boolean shrinking, long cap) {
        return new SmoSolver.Options(tol, 1L << 30, workingSet, shrinking, cap, ProgressListener.NONE);
    }

    private static int[] identity(int n) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = i;
        }
        return s;
    }

    /**
     * Two points x = 2 (y = +1) and x = −1 (y = −1), linear kernel: Q = [[4, 2], [2, 1]], p = −1, α₁ = α₂
     * = a, f(a) = 4.5a² − 2a. Unbounded: a = 2/9, both free, y·G = 1/3 for both, so ρ = 1/3 (the margin
     * w·x − ρ = ±1 at the two points: w = 2/3). With C = 0.1 &lt; 2/9 both sit at C, G = (−0.4, −0.7),
     * the bounds on ρ are y₁G₁ = −0.4 (lower) and y₂G₂ = 0.7 (upper), and LIBSVM's ρ is their midpoint
     * 0.15. Checked from either order of the two variables, to 1e−12 (one exact SMO step).
     */
    @Test
    void twoPointsInClosedForm() {
        for (boolean swap : new boolean[] {false, true}) {
            double[] xs = swap ? new double[] {-1, 2} : new double[] {2, -1};
            double[] y = swap ? new double[] {-1, 1} : new double[] {1, -1};
            Matrix gram = new Matrix(2, 2);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    gram.set(i, j, xs[i] * xs[j]);
                }
            }
            for (double c : new double[] {10, 0.1}) {
                SmoSolver.Result r = SmoSolver.solve(KernelSource.precomputed(gram), identity(2), y,
                        new double[] {-1, -1}, new double[] {c, c}, new double[2], options(1e-12, 2, true, 1000));
                double a = c > 1 ? 2.0 / 9 : 0.1;
                assertArrayEquals(new double[] {a, a}, r.alpha(), 1e-12, "C = " + c);
                assertEquals(4.5 * a * a - 2 * a, r.objective(), 1e-12);
                assertEquals(c > 1 ? 1.0 / 3 : 0.15, r.rho(), 1e-12, "C = " + c);
                assertTrue(r.converged());
                assertTrue(r.gap() < 1e-12, "gap " + r.gap());
            }
        }
    }

    /** G = Qα + p from α, by the definition. */
    private static double[] gradient(double[][] k, double[] y, double[] p, double[] alpha) {
        int l = y.length;
        double[] g = p.clone();
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                g[i] += y[i] * y[j] * k[i][j] * alpha[j];
            }
        }
        return g;
    }

    /**
     * On a larger problem at ε = 10⁻⁹, every free variable's y·G lies within ε of ρ (the KKT condition
     * that defines ρ), the reported gap is max_{I_up} −yG − min_{I_low} −yG of the recomputed G, and
     * the objective is ½αᵀQα + pᵀα; on the row-on-demand path with shrinking and a small cache, and
     * without shrinking.
     */
    @Test
    void rhoGapAndObjectiveFollowTheirDefinitions() {
        Matrix x = TestData.gaussian(120, 3, 1.0, 201);
        double[] y = SupportVectorMachineTest.twoClasses(x, 202);
        Kernel k = KernelSpec.parse("rbf(gamma=0.4)");
        double[][] kk = SupportVectorMachineTest.gram(k, x);
        int n = y.length;
        double[] p = new double[n];
        Arrays.fill(p, -1);
        double[] upper = new double[n];
        for (int i = 0; i < n; i++) {
            upper[i] = y[i] > 0 ? 2.5 : 1.5;
        }
        double tol = 1e-9;
        for (boolean shrinking : new boolean[] {true, false}) {
            SmoSolver.Options o = new SmoSolver.Options(tol, 12L * 8 * n, 8, shrinking, 1_000_000, ProgressListener.NONE);
            SmoSolver.Result r = SmoSolver.solve(KernelSource.of(k, x), identity(n), y, p, upper, new double[n], o);
            double[] a = r.alpha();
            double[] g = gradient(kk, y, p, a);
            double up = Double.NEGATIVE_INFINITY;
            double low = Double.POSITIVE_INFINITY;
            double f = 0;
            int free = 0;
            double sumYa = 0;
            for (int t = 0; t < n; t++) {
                assertTrue(a[t] >= 0 && a[t] <= upper[t], "box " + t);
                sumYa += y[t] * a[t];
                f += a[t] * (0.5 * (g[t] - p[t]) + p[t]);
                double v = -y[t] * g[t];
                boolean inUp = y[t] > 0 ? a[t] < upper[t] : a[t] > 0;
                boolean inLow = y[t] > 0 ? a[t] > 0 : a[t] < upper[t];
                up = inUp ? Math.max(up, v) : up;
                low = inLow ? Math.min(low, v) : low;
                if (a[t] > 0 && a[t] < upper[t]) {
                    free++;
                    assertEquals(r.rho(), y[t] * g[t], tol, "free variable " + t);
                }
            }
            assertTrue(free >= 3, "free " + free);
            assertEquals(0, sumYa, 1e-10);
            assertEquals(up - low, r.gap(), 1e-10);
            assertTrue(r.gap() < tol && r.converged());
            assertEquals(f, r.objective(), 1e-10 * Math.abs(f));
        }
    }

    /**
     * No free variable: C so small that every α of a balanced, fully overlapping problem sits at C.
     * ρ is then the midpoint of the interval that the bounded variables allow (LIBSVM's rule): y·G of
     * a variable at C with y = +1 bounds it from below, with y = −1 from above; G recomputed here.
     */
    @Test
    void rhoWithoutFreeVariablesIsTheMidpointOfItsBounds() {
        Matrix x = TestData.gaussian(30, 2, 1.0, 211);
        double[] y = new double[30];
        for (int i = 0; i < 30; i++) {
            y[i] = i % 2 == 0 ? 1 : -1; // balanced, and the classes overlap completely
        }
        Kernel k = KernelSpec.parse("rbf(gamma=0.3)");
        double[][] kk = SupportVectorMachineTest.gram(k, x);
        double[] p = new double[30];
        Arrays.fill(p, -1);
        double[] upper = new double[30];
        Arrays.fill(upper, 1e-3);
        SmoSolver.Result r = SmoSolver.solve(KernelSource.of(k, x), identity(30), y, p, upper, new double[30],
                options(1e-9, 8, true, 100_000));
        double[] g = gradient(kk, y, p, r.alpha());
        double lb = Double.NEGATIVE_INFINITY;
        double ub = Double.POSITIVE_INFINITY;
        for (int t = 0; t < 30; t++) {
            assertEquals(1e-3, r.alpha()[t], 0, "every α at C");
            double yg = y[t] * g[t];
            if (y[t] > 0) {
                lb = Math.max(lb, yg);
            } else {
                ub = Math.min(ub, yg);
            }
        }
        assertTrue(lb < ub);
        assertEquals((lb + ub) / 2, r.rho(), 1e-12);
    }

    /** A stop by the cap takes exactly the allowed number of SMO steps (the sub-problems get the budget left). */
    @Test
    void theIterationCapIsExact() {
        Matrix x = TestData.gaussian(200, 3, 1.0, 221);
        double[] y = SupportVectorMachineTest.twoClasses(x, 222);
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        for (long cap : new long[] {1, 37, 200}) {
            SupportVectorMachine.Solve s = SupportVectorMachine.classifier().kernel(k).c(5).workingSet(16)
                    .maxIterations(cap).build().train(x, y).solves().get(0);
            assertEquals(false, s.converged());
            assertEquals(cap, s.iterations());
        }
    }

    /**
     * With shrinking off and a cache that holds every row, each kernel row is computed at most once
     * (n = 150 rows, a working set of 16 and dozens of rounds), and the solution is the same as with a
     * cache of 20 rows, which must recompute evicted rows.
     */
    @Test
    void theRowCacheComputesEachRowOnce() {
        Matrix x = TestData.gaussian(150, 3, 1.0, 231);
        double[] y = SupportVectorMachineTest.twoClasses(x, 232);
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        SupportVectorMachine svm = SupportVectorMachine.classifier().kernel(k).c(5).tolerance(1e-6).workingSet(16)
                .shrinking(false).build();
        SupportVectorMachine.Solve big = svm.withCacheBytes(150L * 8 * 150).train(KernelSource.of(k, x), x, y)
                .solves().get(0);
        SupportVectorMachine.Solve small = svm.withCacheBytes(20L * 8 * 150).train(KernelSource.of(k, x), x, y)
                .solves().get(0);
        assertTrue(big.rounds() > 10, "rounds " + big.rounds());
        assertTrue(big.kernelRows() <= 150, "rows computed " + big.kernelRows());
        assertTrue(small.kernelRows() > 150, "a 20-row cache recomputes: " + small.kernelRows());
        assertEquals(big.objective(), small.objective(), 1e-8 * Math.abs(big.objective()));
    }

    /** The bounded heap returns the k ≥ 1 largest of sign·key in decreasing order, as a sort does. */
    @Test
    void largestAgreesWithASort() {
        Random r = new Random(241);
        for (int trial = 0; trial < 200; trial++) {
            int l = 1 + r.nextInt(40);
            double[] key = new double[l];
            for (int t = 0; t < l; t++) {
                key[t] = r.nextGaussian();
            }
            int count = r.nextInt(l + 1);
            int[] cand = new int[l + 3];
            int[] perm = org.kernels4j.approx.Landmarks.permutation(l, r);
            System.arraycopy(perm, 0, cand, 0, l);
            int want = 1 + r.nextInt(l + 1); // the solver always asks for at least 2; k = 0 is not supported
            for (int sign : new int[] {1, -1}) {
                Integer[] sorted = new Integer[count];
                for (int c = 0; c < count; c++) {
                    sorted[c] = cand[c];
                }
                Arrays.sort(sorted, (a, b) -> Double.compare(sign * key[b], sign * key[a]));
                int[] expected = new int[Math.min(want, count)];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = sorted[i];
                }
                assertArrayEquals(expected, SmoSolver.largest(cand, count, key, want, sign),
                        "trial " + trial + ", sign " + sign);
            }
        }
    }
}
