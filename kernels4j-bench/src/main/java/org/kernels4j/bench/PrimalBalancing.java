package org.kernels4j.bench;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.balance.KernelBalancing;
import org.kernels4j.linalg.Matrix;

/**
 * The kernel balancing problem of {@link KernelBalancing} solved directly in the n weights, never
 * forming its dual: the baseline of {@link BalancingBenchmark}.
 *
 * <p><b>Problem.</b> Given Φ (n×m, φ_i its rows), target means μ (m) and base weights q on the
 * simplex, minimise over w ≥ 0, Σw = 1
 * <pre>
 *   KL(w‖q) = Σ_i w_i log(w_i/q_i)   subject to   |s_j| ≤ C,  s = Φᵀw − μ,
 * </pre>
 * or, with a ridge r &gt; 0, the penalised form KL(w‖q) + (1/2r)·Σ_j (|s_j| − C)₊².
 *
 * <p><b>Method.</b> Hard constraints: an augmented Lagrangian. With multipliers y and penalty ρ,
 * each outer step minimises over the simplex
 * <pre>
 *   F(w) = KL(w‖q) + P(w),   P(w) = (ρ/2)·Σ_j dist(t_j, [−C, C])²,   t = s + y/ρ,
 *   ∇P(w) = Φπ,   π_j = ρ·sign(t_j)·(|t_j| − C)₊,
 * </pre>
 * then sets y ← π, and multiplies ρ by 3 when the largest violation fell by less than 10 % (ρ starts
 * at {@link #INITIAL_PENALTY}). The ridge form is F itself with ρ = 1/r, y = 0 (one inner solve). Each inner
 * problem is solved by composite mirror descent in the entropy geometry (exponentiated gradient with
 * the KL term kept exact): the step with size η is
 * <pre>
 *   v = argmin_v ⟨∇P(w), v⟩ + KL(v‖q) + (1/η)·KL(v‖w)  ⇔  log v_i = (η·log q_i + log w_i − η·(Φπ)_i)/(1 + η) − log Z,
 * </pre>
 * accepted when the Armijo-type sufficient-decrease condition of relative smoothness holds,
 * P(v) − P(w) − ⟨∇P(w), v − w⟩ ≤ KL(v‖w)/η (then F decreases); otherwise η is halved. After an
 * accepted step η grows by 1.25. ⟨∇P(w), v − w⟩ = πᵀ(s(v) − s(w)) is evaluated in the m anchor
 * coordinates, which keeps the test accurate near convergence.
 *
 * <p><b>Stopping.</b> At the optimum of F every w_i &gt; 0 and g_i = log(w_i/q_i) + (Φπ)_i is the
 * same for all i. The stationarity measure is r = Σ_i w_i·|g_i − ḡ|, ḡ = Σ_i w_i g_i: w is then
 * q·exp(−Φπ − δ)/Z with Σ w|δ| = r, so the anchor means differ from those of the exact exponential
 * tilt by at most max|φ|·r. Inner solves stop when r ≤ ω (ω from 10⁻² down to the tolerance, ×0.1 per
 * outer step); the solve stops when r ≤ tolerance and (hard constraints) max_j (|s_j| − C)₊ ≤
 * tolerance — the same bound on the constraint violation as {@link KernelBalancing}'s — or when the
 * time limit or the iteration limit is reached, which the result reports.
 *
 * <p><b>Cost.</b> Each trial step costs one Φᵀv (n·m multiply-adds) and each accepted step one Φπ
 * more: the same n·m row-major loops, on one thread, as one evaluation of KernelBalancing's dual (Φλ
 * and Φᵀw), so evaluation counts compare directly. Memory: Φ plus O(n + m).
 */
public final class PrimalBalancing {
    /**
     * The augmented Lagrangian's starting penalty ρ₀. Chosen on the benchmark's problem (n = 5000,
     * m = 100, C = 10⁻³, tolerance 10⁻⁶): of ρ₀ = 10, 100 and 1000 with growth ×3 when the violation
     * falls by less than 10 %, 1000 converged fastest; ρ₀ = 10 with growth ×10 at a quarter, a
     * textbook setting, drove ρ to 10⁴ and stalled the inner solves.
     */
    static final double INITIAL_PENALTY = 1000;

    private final double c;
    private final double ridge;
    private final double tolerance;
    private final double timeLimitSeconds;
    private final int maxIterations;

    private PrimalBalancing(Builder b) {
        this.c = b.c;
        this.ridge = b.ridge;
        this.tolerance = b.tolerance;
        this.timeLimitSeconds = b.timeLimitSeconds;
        this.maxIterations = b.maxIterations;
    }

    /** Defaults: C = 0, no ridge, tolerance 10⁻⁶, no time limit, 10⁷ inner iterations. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link PrimalBalancing}; validated by {@link #build()}. */
    public static final class Builder {
        private double c;
        private double ridge;
        private double tolerance = 1e-6;
        private double timeLimitSeconds = Double.POSITIVE_INFINITY;
        private int maxIterations = 10_000_000;

        private Builder() {
        }

        /** The per-anchor tolerance C ≥ 0 of the balance constraints. */
        public Builder constraintTolerance(double c) {
            this.c = c;
            return this;
        }

        /** A ridge r ≥ 0: the penalised form (0: hard constraints). */
        public Builder ridge(double ridge) {
            this.ridge = ridge;
            return this;
        }

        /** The bound on the stationarity measure and on each constraint violation (&gt; 0). */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** Wall-clock seconds after which the solve stops, converged or not (&gt; 0; infinite for none). */
        public Builder timeLimitSeconds(double seconds) {
            this.timeLimitSeconds = seconds;
            return this;
        }

        /** The limit on inner (mirror-descent) iterations, all outer steps together (≥ 1). */
        public Builder maxIterations(int limit) {
            this.maxIterations = limit;
            return this;
        }

        /** @throws Kernels4jException for an invalid option */
        public PrimalBalancing build() {
            if (!(c >= 0) || Double.isInfinite(c)) {
                throw new Kernels4jException("the constraint tolerance C must be a finite number >= 0, got " + c);
            }
            if (!(ridge >= 0) || Double.isInfinite(ridge)) {
                throw new Kernels4jException("the ridge must be a finite number >= 0, got " + ridge);
            }
            if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
                throw new Kernels4jException("the tolerance must be a positive finite number, got " + tolerance);
            }
            if (!(timeLimitSeconds > 0)) {
                throw new Kernels4jException("the time limit must be > 0 seconds, got " + timeLimitSeconds);
            }
            if (maxIterations < 1) {
                throw new Kernels4jException("the iteration limit must be >= 1, got " + maxIterations);
            }
            return new PrimalBalancing(this);
        }
    }

    /** Why the solve stopped. */
    public enum Stop {
        /** Stationarity and (hard constraints) every violation within the tolerance. */
        CONVERGED,
        /** The time limit was reached first. */
        TIME_LIMIT,
        /** The iteration limit was reached first. */
        ITERATIONS,
        /** The penalty ρ grew past 10¹² without meeting the constraints (likely infeasible). */
        PENALTY_LIMIT
    }

    /**
     * The primal solution.
     *
     * @param weights w (length n), on the simplex
     * @param kl KL(w‖q)
     * @param objective the minimised objective: KL, plus (1/2r)·Σ(|s| − C)₊² with a ridge
     * @param maxImbalance max_j |s_j|
     * @param maxViolation max_j (|s_j| − C)₊
     * @param stationarity r = Σ w_i |g_i − ḡ| at the final point
     * @param outerIterations augmented-Lagrangian steps (1 with a ridge)
     * @param iterations accepted mirror-descent steps
     * @param evaluations n·m passes over Φ (Φᵀv and Φπ)
     * @param penalty the final ρ
     * @param seconds wall-clock seconds of the solve
     * @param stop why it stopped
     */
    public record Result(double[] weights, double kl, double objective, double maxImbalance, double maxViolation,
            double stationarity, int outerIterations, int iterations, long evaluations, double penalty, double seconds,
            Stop stop) {
        /** Copies the weights. */
        public Result {
            weights = weights.clone();
        }

        /** The weights (a copy). */
        @Override
        public double[] weights() {
            return weights.clone();
        }

        /** Whether the solve met the tolerance. */
        public boolean converged() {
            return stop == Stop.CONVERGED;
        }
    }

    /**
     * Solves the problem for Φ (n×m), base weights q (length n, ≥ 0, not all 0; normalised to sum 1;
     * null for uniform) and target means μ (length m).
     *
     * @throws Kernels4jException for mismatched or non-finite inputs
     */
    public Result solve(Matrix phi, double[] baseWeights, double[] mu) {
        if (phi == null || phi.rows() == 0 || phi.cols() == 0) {
            throw new Kernels4jException("primal balancing: the feature matrix is empty");
        }
        phi.requireFinite("features");
        int n = phi.rows();
        int m = phi.cols();
        if (mu == null || mu.length != m) {
            throw new Kernels4jException("primal balancing: " + (mu == null ? 0 : mu.length) + " target means for " + m
                    + " anchors");
        }
        for (double v : mu) {
            if (!Double.isFinite(v)) {
                throw new Kernels4jException("primal balancing: the target means must be finite");
            }
        }
        double[] logQ = logBase(baseWeights, n);
        return new Solve(phi.data(), n, m, logQ, mu).run();
    }

    private static double[] logBase(double[] base, int n) {
        double[] logQ = new double[n];
        if (base == null) {
            Arrays.fill(logQ, -Math.log(n));
            return logQ;
        }
        if (base.length != n) {
            throw new Kernels4jException("primal balancing: " + base.length + " base weights for " + n + " rows");
        }
        double sum = 0;
        for (double v : base) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new Kernels4jException("primal balancing: base weights must be finite and >= 0, got " + v);
            }
            sum += v;
        }
        if (!(sum > 0)) {
            throw new Kernels4jException("primal balancing: all base weights are 0");
        }
        for (int i = 0; i < n; i++) {
            logQ[i] = Math.log(base[i] / sum); // −∞ for q_i = 0: that row keeps weight 0
        }
        return logQ;
    }

    /** The state of one solve. */
    private final class Solve {
        final double[] phi;
        final int n;
        final int m;
        final double[] logQ;
        final double[] mu;
        final boolean hard = ridge == 0;
        final long start = System.nanoTime();
        double[] logW;
        double[] w;
        double[] s; // Φᵀw − μ at w
        double[] y;
        double rho;
        int iterations;
        long evaluations;

        Solve(double[] phi, int n, int m, double[] logQ, double[] mu) {
            this.phi = phi;
            this.n = n;
            this.m = m;
            this.logQ = logQ;
            this.mu = mu;
        }

        Result run() {
            logW = logQ.clone();
            w = exp(logW);
            s = imbalance(w);
            y = new double[m];
            rho = hard ? INITIAL_PENALTY : 1.0 / ridge;
            double eta = 1.0;
            double omega = hard ? Math.max(tolerance, 1e-2) : tolerance;
            double previous = maxViolation(s);
            int outer = 0;
            Stop stop = null;
            double r;
            while (true) {
                outer++;
                Inner inner = innerSolve(omega, eta);
                eta = inner.eta;
                r = inner.stationarity;
                double violation = maxViolation(s);
                if (inner.stop != null) {
                    stop = inner.stop;
                    break;
                }
                if (!hard || (violation <= tolerance && r <= tolerance)) {
                    stop = Stop.CONVERGED; // the ridge form's one inner solve ran to r ≤ tolerance
                    break;
                }
                y = multipliers(s);
                if (violation > 0.9 * previous) {
                    if (rho >= 1e12) {
                        stop = Stop.PENALTY_LIMIT;
                        break;
                    }
                    rho *= 3;
                    eta /= 3; // the penalty's curvature grew threefold
                }
                previous = violation;
                omega = Math.max(tolerance, omega * 0.1);
            }
            double kl = 0;
            for (int i = 0; i < n; i++) {
                if (w[i] > 0) {
                    kl += w[i] * (logW[i] - logQ[i]);
                }
            }
            double objective = kl;
            double maxImbalance = 0;
            for (int j = 0; j < m; j++) {
                double excess = Math.max(Math.abs(s[j]) - c, 0);
                maxImbalance = Math.max(maxImbalance, Math.abs(s[j]));
                if (!hard) {
                    objective += excess * excess / (2 * ridge);
                }
            }
            return new Result(w, kl, objective, maxImbalance, maxViolation(s), r, outer, iterations, evaluations, rho,
                    (System.nanoTime() - start) / 1e9, stop);
        }

        record Inner(double eta, double stationarity, Stop stop) {
        }

        /** Composite mirror descent on F with the current y and ρ until r ≤ ω; updates w, logW and s. */
        Inner innerSolve(double omega, double eta) {
            double[] lv = new double[n];
            while (true) {
                double[] pi = multipliers(s);
                double[] grad = phiTimes(pi); // ∇P(w) = Φπ
                double r = stationarity(grad);
                if (r <= omega) {
                    return new Inner(eta, r, null);
                }
                if (iterations >= maxIterations) {
                    return new Inner(eta, r, Stop.ITERATIONS);
                }
                if ((System.nanoTime() - start) / 1e9 > timeLimitSeconds) {
                    return new Inner(eta, r, Stop.TIME_LIMIT);
                }
                double penalty = penalty(s);
                while (true) {
                    double top = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        lv[i] = (eta * logQ[i] + logW[i] - eta * grad[i]) / (1 + eta);
                        top = Math.max(top, lv[i]);
                    }
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        sum += Math.exp(lv[i] - top);
                    }
                    double logZ = top + Math.log(sum);
                    double[] v = new double[n];
                    double klvw = 0;
                    for (int i = 0; i < n; i++) {
                        lv[i] -= logZ;
                        v[i] = Math.exp(lv[i]);
                        if (v[i] > 0) {
                            klvw += v[i] * (lv[i] - logW[i]);
                        }
                    }
                    double[] sv = imbalance(v);
                    double linear = 0;
                    for (int j = 0; j < m; j++) {
                        linear += pi[j] * (sv[j] - s[j]);
                    }
                    double bregman = penalty(sv) - penalty - linear;
                    if (bregman <= Math.max(klvw, 0) / eta + 1e-15 * Math.max(penalty, 1e-300) || eta < 1e-300) {
                        System.arraycopy(lv, 0, logW, 0, n);
                        w = v;
                        s = sv;
                        iterations++;
                        eta *= 1.25;
                        break;
                    }
                    eta /= 2;
                }
            }
        }

        /** π_j = ρ·sign(t_j)·(|t_j| − C)₊ with t = s + y/ρ. */
        double[] multipliers(double[] sv) {
            double[] pi = new double[m];
            for (int j = 0; j < m; j++) {
                double t = sv[j] + y[j] / rho;
                pi[j] = rho * Math.signum(t) * Math.max(Math.abs(t) - c, 0);
            }
            return pi;
        }

        /** P = (ρ/2)·Σ_j dist(t_j, [−C, C])². */
        double penalty(double[] sv) {
            double p = 0;
            for (int j = 0; j < m; j++) {
                double e = Math.max(Math.abs(sv[j] + y[j] / rho) - c, 0);
                p += e * e;
            }
            return 0.5 * rho * p;
        }

        /** r = Σ w_i |g_i − ḡ| with g_i = log(w_i/q_i) + (Φπ)_i. */
        double stationarity(double[] grad) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                if (w[i] > 0) {
                    mean += w[i] * (logW[i] - logQ[i] + grad[i]);
                }
            }
            double r = 0;
            for (int i = 0; i < n; i++) {
                if (w[i] > 0) {
                    r += w[i] * Math.abs(logW[i] - logQ[i] + grad[i] - mean);
                }
            }
            return r;
        }

        double maxViolation(double[] sv) {
            double v = 0;
            for (double x : sv) {
                v = Math.max(v, Math.abs(x) - c);
            }
            return v;
        }

        /** Φᵀw − μ: one pass over Φ. */
        double[] imbalance(double[] weights) {
            evaluations++;
            double[] out = new double[m];
            for (int i = 0; i < n; i++) {
                double wi = weights[i];
                if (wi == 0) {
                    continue;
                }
                int base = i * m;
                for (int j = 0; j < m; j++) {
                    out[j] += wi * phi[base + j];
                }
            }
            for (int j = 0; j < m; j++) {
                out[j] -= mu[j];
            }
            return out;
        }

        /** Φπ: one pass over Φ. */
        double[] phiTimes(double[] pi) {
            evaluations++;
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double dot = 0;
                int base = i * m;
                for (int j = 0; j < m; j++) {
                    dot += phi[base + j] * pi[j];
                }
                out[i] = dot;
            }
            return out;
        }

        private double[] exp(double[] logs) {
            double[] out = new double[logs.length];
            for (int i = 0; i < logs.length; i++) {
                out[i] = Math.exp(logs[i]);
            }
            return out;
        }
    }
}
