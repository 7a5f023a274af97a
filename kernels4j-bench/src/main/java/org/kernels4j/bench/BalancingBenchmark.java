package org.kernels4j.bench;

import java.util.SplittableRandom;
import org.kernels4j.ProgressListener;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.balance.BalancingWeights;
import org.kernels4j.balance.KernelBalancing;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * {@code bench balance}: kernel balancing weights by {@link KernelBalancing}'s dual (L-BFGS on m
 * multipliers) against a direct primal solve of the same problem ({@link PrimalBalancing}: augmented
 * Lagrangian with exponentiated-gradient inner solves on the n weights), both to the same tolerance.
 *
 * <p><b>Data</b> ({@link #selectionSample}): a population x ~ N(0, I_d); the n observed rows are
 * population draws kept with probability p(x) = 1/(1 + exp(−(−1 + 0.8·x₀ − 0.6·x₁ + 0.4·x₀·x₂))) (about
 * 30 % kept; a selection that depends on x, partly nonlinearly), the target is n_t further population
 * draws. Observed rows use seed {@code seed}, target rows {@code seed + 1}. Anchors: m target rows by
 * k-means++ ({@link Landmarks#kMeansPlusPlus}, seed {@code seed + 2}), the same for both solvers.
 *
 * <p><b>Timing</b> (wall-clock, after a warm-up of both solvers on a 2000-row problem): anchor
 * selection; Φ = K(X_obs, A) and μ (as the primal solver needs them); the dual: one
 * {@link KernelBalancing#fit} with the MMD diagnostic off, which builds its own Φ and μ, so its time
 * is the time to weights; the primal: {@link PrimalBalancing#solve} on the Φ and μ built here, stopped
 * at the time cap. The primal's time to weights is Φ + μ + its solve.
 */
public final class BalancingBenchmark {
    /**
     * What to run.
     *
     * @param kernel the kernel
     * @param n observed rows (≥ 1)
     * @param targetRows target rows n_t (≥ 1)
     * @param d features (≥ 1; ≥ 3 uses the interaction term of the selection)
     * @param anchors anchors m (1 ≤ m ≤ targetRows)
     * @param c the constraint tolerance C ≥ 0
     * @param ridge the ridge r ≥ 0 (0: hard constraints)
     * @param tolerance the solvers' tolerance (bound on each violation), &gt; 0
     * @param primalCapSeconds the primal solve's time limit, &gt; 0
     * @param seed data seed
     */
    public record Options(Kernel kernel, int n, int targetRows, int d, int anchors, double c, double ridge,
            double tolerance, double primalCapSeconds, long seed) {
        /** Checks the sizes. */
        public Options {
            if (n < 1 || targetRows < 1 || d < 1 || anchors < 1) {
                throw new IllegalArgumentException("n, target rows, d and anchors must be >= 1, got " + n + ", "
                        + targetRows + ", " + d + " and " + anchors);
            }
            if (anchors > targetRows) {
                throw new IllegalArgumentException("cannot draw " + anchors + " anchors from " + targetRows
                        + " target rows");
            }
            if (!(primalCapSeconds > 0)) {
                throw new IllegalArgumentException("the primal time cap must be > 0 seconds, got " + primalCapSeconds);
            }
        }
    }

    /**
     * One solver's outcome.
     *
     * @param seconds time to weights, s (the primal's includes Φ and μ)
     * @param iterations the dual's L-BFGS iterations; the primal's accepted mirror-descent steps
     * @param evaluations n·m passes over Φ: the primal's Φᵀv and Φπ; the dual's evaluations and Newton
     *     steps, each counted as 2 (Φλ and Φᵀw; a Newton step costs more, its Hessian n·k² for k free anchors)
     * @param kl KL(w‖q)
     * @param objective the minimised objective (KL, plus the penalty with a ridge)
     * @param maxViolation max_j (|imbalance_j| − C)₊
     * @param converged whether the solver met the tolerance
     */
    public record Solver(double seconds, long iterations, long evaluations, double kl, double objective,
            double maxViolation, boolean converged) {
    }

    /**
     * What was measured.
     *
     * @param observedRows n
     * @param anchors m
     * @param anchorSeconds k-means++ anchor selection, s
     * @param phiSeconds Φ = K(X_obs, A) and μ, s
     * @param dual the dual solve (time includes its own Φ and μ)
     * @param primal the primal solve (time includes Φ and μ)
     * @param primalSolveSeconds the primal solve alone, s
     * @param primalOuterIterations the primal's augmented-Lagrangian steps
     * @param primalStop why the primal stopped
     * @param maxWeightDifference max_i |w_dual − w_primal| · n (in units of the uniform weight 1/n)
     * @param effectiveSampleSize the dual weights' 1/Σw²
     */
    public record Result(int observedRows, int anchors, double anchorSeconds, double phiSeconds, Solver dual,
            Solver primal, double primalSolveSeconds, int primalOuterIterations, PrimalBalancing.Stop primalStop,
            double maxWeightDifference, double effectiveSampleSize) {
        /**
         * Primal time to weights / dual time to weights; when the primal did not converge, a lower
         * bound on the ratio a converged primal solve would give.
         */
        public double ratio() {
            return primal.seconds() / dual.seconds();
        }

        /**
         * The same ratio without the shared Φ and μ: primal solve / (dual − Φ and μ); NaN when the dual's
         * time does not exceed the Φ and μ time measured beside it (tiny problems, timing noise).
         */
        public double solveRatio() {
            double dualSolve = dual.seconds() - phiSeconds;
            return dualSolve > 0 ? primalSolveSeconds / dualSolve : Double.NaN;
        }
    }

    /** Observed and target rows. */
    public record Sample(Matrix observed, Matrix target) {
    }

    private BalancingBenchmark() {
    }

    /** The data described in the class comment. */
    public static Sample selectionSample(int n, int targetRows, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Matrix obs = new Matrix(n, d);
        double[] row = new double[d];
        for (int kept = 0; kept < n;) {
            for (int f = 0; f < d; f++) {
                row[f] = gaussian(r);
            }
            double score = -1 + 0.8 * row[0] - (d > 1 ? 0.6 * row[1] : 0) + (d > 2 ? 0.4 * row[0] * row[2] : 0);
            if (r.nextDouble() < 1 / (1 + Math.exp(-score))) {
                System.arraycopy(row, 0, obs.data(), kept * d, d);
                kept++;
            }
        }
        SplittableRandom t = new SplittableRandom(seed + 1);
        Matrix target = new Matrix(targetRows, d);
        double[] a = target.data();
        for (int i = 0; i < a.length; i++) {
            a[i] = gaussian(t);
        }
        return new Sample(obs, target);
    }

    /** Generates the data, warms up, and times both solvers. */
    public static Result run(Options o) {
        Kernel k = o.kernel();
        warmUp(o);
        Sample data = selectionSample(o.n(), o.targetRows(), o.d(), o.seed());
        long t0 = System.nanoTime();
        Matrix anchors = data.target().selectRows(Landmarks.kMeansPlusPlus(k, data.target(), o.anchors(), o.seed() + 2));
        long t1 = System.nanoTime();
        Matrix phi = GramEngine.cross(k, data.observed(), anchors);
        double[] mu = targetMeans(k, anchors, data.target());
        long t2 = System.nanoTime();
        BalancingWeights dual = dualSolver(o, anchors).fit(data.observed(), data.target());
        long t3 = System.nanoTime();
        PrimalBalancing.Result primal = primalSolver(o).solve(phi, null, mu);
        long t4 = System.nanoTime();
        double phiSeconds = (t2 - t1) / 1e9;
        double[] wd = dual.weights();
        double[] wp = primal.weights();
        double diff = 0;
        for (int i = 0; i < wd.length; i++) {
            diff = Math.max(diff, Math.abs(wd[i] - wp[i]));
        }
        var report = dual.report();
        Solver d = new Solver((t3 - t2) / 1e9, (long) report.number("iterations"),
                2 * (long) report.number("evaluations") + 2 * (long) report.number("newton_steps"),
                dual.klDivergence(), report.number("dual_objective"), report.number("max_violation"),
                report.flag("converged"));
        double primalSolve = (t4 - t3) / 1e9;
        Solver p = new Solver(phiSeconds + primalSolve, primal.iterations(), primal.evaluations(), primal.kl(),
                primal.objective(), primal.maxViolation(), primal.converged());
        return new Result(o.n(), anchors.rows(), (t1 - t0) / 1e9, phiSeconds, d, p, primalSolve,
                primal.outerIterations(), primal.stop(), diff * o.n(), dual.effectiveSampleSize());
    }

    private static KernelBalancing dualSolver(Options o, Matrix anchors) {
        return KernelBalancing.builder(o.kernel()).anchors(anchors).constraintTolerance(o.c()).ridge(o.ridge())
                .tolerance(o.tolerance()).computeMmd(false).build();
    }

    private static PrimalBalancing primalSolver(Options o) {
        return PrimalBalancing.builder().constraintTolerance(o.c()).ridge(o.ridge()).tolerance(o.tolerance())
                .timeLimitSeconds(o.primalCapSeconds()).build();
    }

    /** Both solvers on a 2000-row, 50-anchor problem of the same kind, for the JIT. */
    private static void warmUp(Options o) {
        int n = Math.min(o.n(), 2000);
        int nt = Math.min(o.targetRows(), 2000);
        int m = Math.min(o.anchors(), Math.min(50, nt));
        Sample s = selectionSample(n, nt, o.d(), o.seed() + 100);
        Matrix a = s.target().selectRows(Landmarks.uniform(nt, m, o.seed()));
        Options small = new Options(o.kernel(), n, nt, o.d(), m, Math.max(o.c(), 1e-2), o.ridge(), 1e-4,
                Math.min(o.primalCapSeconds(), 5), o.seed());
        try {
            dualSolver(small, a).fit(s.observed(), s.target());
        } catch (RuntimeException e) {
            // an infeasible warm-up problem still ran the code paths it was meant to compile
        }
        primalSolver(small).solve(GramEngine.cross(o.kernel(), s.observed(), a), null,
                targetMeans(o.kernel(), a, s.target()));
    }

    /** μ_j = (1/n_t)·Σ_t k(a_j, z_t), as {@link KernelBalancing} computes it. */
    static double[] targetMeans(Kernel k, Matrix anchors, Matrix target) {
        Matrix ones = new Matrix(target.rows(), 1);
        java.util.Arrays.fill(ones.data(), 1.0 / target.rows());
        return GramEngine.crossTimes(k, anchors, target, ones, ProgressListener.NONE).data().clone();
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
