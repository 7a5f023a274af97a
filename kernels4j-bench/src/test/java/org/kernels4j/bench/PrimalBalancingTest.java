package org.kernels4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.balance.BalancingWeights;
import org.kernels4j.balance.KernelBalancing;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * PrimalBalancing against KernelBalancing's dual solve of the same problem (a different algorithm on
 * different variables), and its own KKT conditions recomputed here from kernel values one pair at a
 * time.
 */
class PrimalBalancingTest {
    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.5)");

    /** 80 observed rows, 200 target rows shifted by 0.5, 5 fixed anchors, base weights in [0.5, 1.5). */
    private record Problem(Matrix x, Matrix z, Matrix anchors, double[] q, Matrix phi, double[] mu) {
        static Problem make(long seed) {
            Random r = new Random(seed);
            Matrix x = gaussian(80, 2, 0, r);
            Matrix z = gaussian(200, 2, 0.5, r);
            Matrix a = Matrix.of(new double[][] {{0, 0}, {1, 1}, {-1, 0.5}, {0.8, -0.7}, {0.3, 1.2}});
            double[] q = new double[80];
            for (int i = 0; i < q.length; i++) {
                q[i] = 0.5 + r.nextDouble();
            }
            Matrix phi = new Matrix(80, 5);
            double[] mu = new double[5];
            for (int j = 0; j < 5; j++) {
                for (int i = 0; i < 80; i++) {
                    phi.set(i, j, RBF.value(x.row(i), a.row(j)));
                }
                for (int t = 0; t < 200; t++) {
                    mu[j] += RBF.value(z.row(t), a.row(j)) / 200;
                }
            }
            return new Problem(x, z, a, q, phi, mu);
        }

        double[] normalisedQ() {
            double s = 0;
            for (double v : q) {
                s += v;
            }
            double[] out = new double[q.length];
            for (int i = 0; i < q.length; i++) {
                out[i] = q[i] / s;
            }
            return out;
        }

        /** Φᵀw − μ. */
        double[] imbalance(double[] w) {
            double[] s = new double[mu.length];
            for (int j = 0; j < mu.length; j++) {
                s[j] = -mu[j];
                for (int i = 0; i < w.length; i++) {
                    s[j] += w[i] * phi.get(i, j);
                }
            }
            return s;
        }

        double kl(double[] w) {
            double[] qn = normalisedQ();
            double s = 0;
            for (int i = 0; i < w.length; i++) {
                s += w[i] * Math.log(w[i] / qn[i]);
            }
            return s;
        }
    }

    private static Matrix gaussian(int n, int d, double shift, Random r) {
        Matrix x = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x.set(i, j, r.nextGaussian() + shift);
            }
        }
        return x;
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void hardConstraintsAgreeWithTheDualSolve() {
        Problem p = Problem.make(1);
        double c = 0.01;
        double tol = 1e-10;
        BalancingWeights dual = KernelBalancing.builder(RBF).anchors(p.anchors).constraintTolerance(c).tolerance(tol)
                .computeMmd(false).build().fit(p.x, p.q, p.z);
        PrimalBalancing.Result primal = PrimalBalancing.builder().constraintTolerance(c).tolerance(tol).build()
                .solve(p.phi, p.q, p.mu);
        assertTrue(primal.converged(), primal.toString());
        assertEquals(PrimalBalancing.Stop.CONVERGED, primal.stop());
        double[] w = primal.weights();
        double sum = 0;
        for (double v : w) {
            assertTrue(v > 0);
            sum += v;
        }
        assertEquals(1, sum, 1e-12);
        // feasibility, recomputed here; some constraints active, so the problem is not the unconstrained q
        double[] s = p.imbalance(w);
        int active = 0;
        for (double v : s) {
            assertTrue(Math.abs(v) <= c + tol, "violation " + (Math.abs(v) - c));
            active += Math.abs(v) > c - 1e-8 ? 1 : 0;
        }
        assertTrue(active > 0 && active < 5, "active constraints: " + active);
        double maxViolation = 0;
        double maxImbalance = 0;
        for (double v : s) {
            maxViolation = Math.max(maxViolation, Math.abs(v) - c);
            maxImbalance = Math.max(maxImbalance, Math.abs(v));
        }
        assertEquals(Math.max(0, maxViolation), primal.maxViolation(), 1e-15);
        assertEquals(maxImbalance, primal.maxImbalance(), 1e-15);
        // the same solution as the dual's: the optimum is unique (KL is strictly convex)
        assertTrue(maxDiff(w, dual.weights()) < 1e-9 / 80, "weights differ by " + maxDiff(w, dual.weights()));
        assertEquals(p.kl(w), primal.kl(), 1e-14);
        assertEquals(primal.kl(), primal.objective());
        assertEquals(dual.klDivergence(), primal.kl(), 1e-9);
        assertTrue(primal.outerIterations() > 1 && primal.iterations() > 0, primal.toString());
        // each accepted step reads Φ at least twice (Φπ and Φᵀv), plus the start's Φᵀq
        assertTrue(primal.evaluations() >= 2L * primal.iterations() + 1, primal.toString());
    }

    @Test
    void ridgeFormAgreesWithTheDualSolve() {
        Problem p = Problem.make(2);
        double c = 0.005;
        double r = 0.02;
        BalancingWeights dual = KernelBalancing.builder(RBF).anchors(p.anchors).constraintTolerance(c).ridge(r)
                .tolerance(1e-12).computeMmd(false).build().fit(p.x, p.q, p.z);
        PrimalBalancing.Result primal = PrimalBalancing.builder().constraintTolerance(c).ridge(r).tolerance(1e-11)
                .build().solve(p.phi, p.q, p.mu);
        assertTrue(primal.converged(), primal.toString());
        assertEquals(1, primal.outerIterations());
        double[] w = primal.weights();
        double penalty = 0;
        double[] s = p.imbalance(w);
        for (double v : s) {
            penalty += Math.pow(Math.max(Math.abs(v) - c, 0), 2) / (2 * r);
        }
        assertTrue(penalty > 1e-4, "the penalty is active: " + penalty);
        assertEquals(p.kl(w) + penalty, primal.objective(), 1e-14);
        assertEquals(dual.report().number("dual_objective"), primal.objective(), 1e-10);
        assertTrue(maxDiff(w, dual.weights()) < 1e-9 / 80, "weights differ by " + maxDiff(w, dual.weights()));
        assertEquals(1 / r, primal.penalty());
    }

    @Test
    void limitsStopTheSolveAndSayWhy() {
        Problem p = Problem.make(3);
        PrimalBalancing.Result one = PrimalBalancing.builder().constraintTolerance(0.001).tolerance(1e-12)
                .maxIterations(1).build().solve(p.phi, null, p.mu);
        assertEquals(PrimalBalancing.Stop.ITERATIONS, one.stop());
        assertFalse(one.converged());
        assertEquals(1, one.iterations());
        PrimalBalancing.Result timed = PrimalBalancing.builder().constraintTolerance(0.001).tolerance(1e-12)
                .timeLimitSeconds(1e-9).build().solve(p.phi, null, p.mu);
        assertEquals(PrimalBalancing.Stop.TIME_LIMIT, timed.stop());
        assertEquals(0, timed.iterations());
        // no step taken: the weights are the (uniform) base weights
        assertEquals(0, maxDiff(timed.weights(), java.util.stream.DoubleStream.generate(() -> 1.0 / 80).limit(80)
                .toArray()), 1e-17);
    }

    @Test
    void badInputIsOneClearMessage() {
        Problem p = Problem.make(4);
        PrimalBalancing solver = PrimalBalancing.builder().build();
        assertEquals("primal balancing: 4 target means for 5 anchors",
                assertThrows(Kernels4jException.class, () -> solver.solve(p.phi, null, new double[4])).getMessage());
        assertEquals("primal balancing: 3 base weights for 80 rows",
                assertThrows(Kernels4jException.class, () -> solver.solve(p.phi, new double[3], p.mu)).getMessage());
        assertEquals("primal balancing: all base weights are 0",
                assertThrows(Kernels4jException.class, () -> solver.solve(p.phi, new double[80], p.mu)).getMessage());
        assertThrows(Kernels4jException.class, () -> PrimalBalancing.builder().tolerance(0).build());
        assertThrows(Kernels4jException.class, () -> PrimalBalancing.builder().constraintTolerance(-1).build());
        assertThrows(Kernels4jException.class, () -> PrimalBalancing.builder().ridge(Double.NaN).build());
        assertThrows(Kernels4jException.class, () -> PrimalBalancing.builder().timeLimitSeconds(0).build());
        assertThrows(Kernels4jException.class, () -> PrimalBalancing.builder().maxIterations(0).build());
    }
}
