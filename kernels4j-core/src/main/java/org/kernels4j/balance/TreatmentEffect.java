package org.kernels4j.balance;

import java.util.Arrays;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.Model;

/**
 * The average treatment effect τ = E[Y(1) − Y(0)] of a binary treatment from observational rows
 * (x_i, t_i, y_i), i = 1…N, by kernel balancing: the treated rows are balanced to the whole sample
 * (weights w¹ on the N₁ treated rows) and so are the control rows (w⁰ on the N₀ controls), so that
 * each arm, reweighted, looks like the whole population on every anchor function k(a_j, ·).
 *
 * <p><b>Estimates.</b> Without an outcome model (IPS): μ̂₁ = Σ_{t=1} w¹_i y_i, μ̂₀ = Σ_{t=0} w⁰_i y_i,
 * τ̂ = μ̂₁ − μ̂₀, plug-in SE² = Σ (w¹_i)²(y_i − μ̂₁)² + Σ (w⁰_i)²(y_i − μ̂₀)². With an outcome model
 * (doubly robust), m̂₁ fitted on the treated rows and m̂₀ on the controls:
 * <pre>
 *   τ̂ = (1/N)·Σ_all (m̂₁(x) − m̂₀(x)) + Σ_{t=1} w¹_i (y_i − m̂₁(x_i)) − Σ_{t=0} w⁰_i (y_i − m̂₀(x_i)),
 *   SE² = Σ (w¹_i r_i)² + Σ (w⁰_i r_i)² + s²(m̂₁ − m̂₀)/N,
 * </pre>
 * r the residuals of each arm's model and s² the sample variance over all rows (the residual-balancing
 * variance of Athey, Imbens &amp; Wager 2018, plus the sampling error of the population average).
 * It holds the weights and the models fixed and uses in-sample residuals, so it is too small when they
 * are estimated from the same rows: in a simulation with N = 300 (TreatmentEffectTest) its mean was
 * 0.076 against a spread of the estimates of 0.113, and a 95 % interval covered 80 % of the time.
 * Prefer the bootstrap for inference; the plug-in error is a fast first look.
 *
 * <p><b>Bootstrap.</b> With {@link Builder#bootstrap}, the standard error is instead the standard
 * deviation of τ̂ over B resamples drawn with replacement within each arm (arm sizes kept), each
 * refitting both arms' weights and outcome models with the anchors of the original fit held fixed.
 * It includes the variability of the weights that the plug-in formula leaves out, at B times the cost.
 * A resample whose balancing fails (infeasible) is skipped and counted; more than half failing is an
 * error.
 *
 * <p>Cost: two {@link KernelBalancing} fits (N₁ + N₀ rows against N target rows) plus two outcome
 * fits, times (1 + B) with the bootstrap.
 */
public final class TreatmentEffect {
    private final KernelBalancing balancer;
    private final Estimator<? extends Model> outcomeEstimator;
    private final int replicates;
    private final long seed;

    private TreatmentEffect(Builder b) {
        this.balancer = b.balancer;
        this.outcomeEstimator = b.outcomeEstimator;
        this.replicates = b.replicates;
        this.seed = b.seed;
    }

    /** Starts a builder: IPS (no outcome model), plug-in standard errors. */
    public static Builder builder(KernelBalancing balancer) {
        return new Builder(balancer);
    }

    /** Options for {@link TreatmentEffect}. */
    public static final class Builder {
        private final KernelBalancing balancer;
        private Estimator<? extends Model> outcomeEstimator;
        private int replicates;
        private long seed;

        private Builder(KernelBalancing balancer) {
            if (balancer == null) {
                throw new Kernels4jException("the treatment effect needs a kernel balancing estimator");
            }
            this.balancer = balancer;
        }

        /**
         * The outcome model (one output), fitted per arm, for the doubly robust estimate; null for IPS.
         * A {@link org.kernels4j.regression.KernelRidge} with the balancing kernel is the usual choice.
         */
        public Builder outcomeModel(Estimator<? extends Model> estimator) {
            this.outcomeEstimator = estimator;
            return this;
        }

        /** B ≥ 0 bootstrap resamples for the standard error (0: the plug-in formula), drawn with {@code seed}. */
        public Builder bootstrap(int replicates, long seed) {
            this.replicates = replicates;
            this.seed = seed;
            return this;
        }

        /** @throws Kernels4jException for a negative number of replicates */
        public TreatmentEffect build() {
            PopulationMean.checkReplicates(replicates);
            return new TreatmentEffect(this);
        }
    }

    /**
     * Estimates the ATE.
     *
     * @param x N×d covariates
     * @param treated whether each row was treated (length N; both arms non-empty)
     * @param outcome y for each row (length N, finite)
     * @throws Kernels4jException for mismatched lengths, an empty arm, non-finite values, or balancing
     *     that cannot be achieved (naming the anchors)
     */
    public TreatmentEffectEstimate estimate(Matrix x, boolean[] treated, double[] outcome) {
        if (x == null || x.rows() == 0) {
            throw new Kernels4jException("treatment effect: no rows");
        }
        int n = x.rows();
        if (treated == null || treated.length != n) {
            throw new Kernels4jException("treatment effect: " + (treated == null ? 0 : treated.length)
                    + " treatment indicators for " + n + " rows");
        }
        if (outcome == null || outcome.length != n) {
            throw new Kernels4jException("treatment effect: " + (outcome == null ? 0 : outcome.length) + " outcomes for "
                    + n + " rows");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(outcome[i])) {
                throw new Kernels4jException("treatment effect: outcome " + i + " (0-based) is " + outcome[i]
                        + "; drop or impute missing outcomes first");
            }
        }
        int[] ones = rowsWhere(treated, true);
        int[] zeros = rowsWhere(treated, false);
        if (ones.length == 0 || zeros.length == 0) {
            throw new Kernels4jException("treatment effect: every row is " + (ones.length == 0 ? "control" : "treated")
                    + "; both arms need rows");
        }
        Fit fit = fitOnce(balancer, x, outcome, ones, zeros);
        double[] boot = new double[0];
        int failed = 0;
        BalancedEstimate ate = fit.ate;
        if (replicates > 0) {
            KernelBalancing fixed = balancer.withAnchors(fit.treated.anchors(), false);
            Random r = new Random(seed);
            double[] values = new double[replicates];
            int ok = 0;
            for (int b = 0; b < replicates; b++) {
                int[] r1 = resample(ones, r);
                int[] r0 = resample(zeros, r);
                int[] all = concat(r1, r0);
                Matrix xb = x.selectRows(all);
                double[] yb = new double[all.length];
                for (int i = 0; i < all.length; i++) {
                    yb[i] = outcome[all[i]];
                }
                int[] b1 = range(0, r1.length);
                int[] b0 = range(r1.length, all.length);
                try {
                    values[ok] = fitOnce(fixed, xb, yb, b1, b0).ate.estimate();
                    ok++;
                } catch (Kernels4jException e) {
                    failed++;
                }
            }
            boot = Arrays.copyOf(values, ok);
            double se = PopulationMean.bootstrapError(boot, failed, replicates);
            ate = new BalancedEstimate(ate.estimand(), ate.estimate(), se, "bootstrap: standard deviation over " + ok
                    + " resamples within arms (weights" + (outcomeEstimator == null ? "" : " and outcome models")
                    + " refitted, anchors held)",
                    ate.effectiveSampleSize());
        }
        return new TreatmentEffectEstimate(ate, fit.mu1, fit.mu0, fit.treated, fit.control, boot, failed);
    }

    private record Fit(BalancedEstimate ate, BalancedEstimate mu1, BalancedEstimate mu0, BalancingWeights treated,
            BalancingWeights control) {
    }

    private Fit fitOnce(KernelBalancing kb, Matrix x, double[] y, int[] ones, int[] zeros) {
        Matrix x1 = x.selectRows(ones);
        Matrix x0 = x.selectRows(zeros);
        double[] y1 = pick(y, ones);
        double[] y0 = pick(y, zeros);
        BalancingWeights w1 = fitArm(kb, x1, x, "treated");
        BalancingWeights w0 = fitArm(kb, x0, x, "control");
        double ess = Math.min(w1.effectiveSampleSize(), w0.effectiveSampleSize());
        if (outcomeEstimator == null) {
            BalancedEstimate m1 = BalancedEstimators.mean(w1, y1);
            BalancedEstimate m0 = BalancedEstimators.mean(w0, y0);
            double se = Math.sqrt(m1.standardError() * m1.standardError() + m0.standardError() * m0.standardError());
            return new Fit(new BalancedEstimate("average treatment effect (IPS)", m1.estimate() - m0.estimate(), se,
                    "plug-in sqrt(se_treated^2 + se_control^2), weights held fixed", ess), m1, m0, w1, w0);
        }
        Model f1 = outcomeEstimator.fit(x1, Matrix.column(y1));
        Model f0 = outcomeEstimator.fit(x0, Matrix.column(y0));
        BalancedEstimate m1 = BalancedEstimators.doublyRobustMean(w1, x1, y1, x, f1);
        BalancedEstimate m0 = BalancedEstimators.doublyRobustMean(w0, x0, y0, x, f0);
        double[] p1 = BalancedEstimators.predictions(f1, x, "all");
        double[] p0 = BalancedEstimators.predictions(f0, x, "all");
        double[] diff = new double[p1.length];
        for (int i = 0; i < diff.length; i++) {
            diff[i] = p1[i] - p0[i];
        }
        double[] mv = BalancedEstimators.meanAndVariance(diff);
        double v = weightedResidualSquares(w1, y1, BalancedEstimators.predictions(f1, x1, "treated"))
                + weightedResidualSquares(w0, y0, BalancedEstimators.predictions(f0, x0, "control")) + mv[1] / diff.length;
        return new Fit(new BalancedEstimate("average treatment effect (doubly robust)", m1.estimate() - m0.estimate(),
                Math.sqrt(v), "plug-in sqrt(sum (w r)^2 over both arms + var(m1 - m0)/N), weights and models held fixed",
                ess), m1, m0, w1, w0);
    }

    private static BalancingWeights fitArm(KernelBalancing kb, Matrix arm, Matrix all, String name) {
        try {
            return kb.fit(arm, all);
        } catch (Kernels4jException e) {
            throw new Kernels4jException("balancing the " + name + " rows to the whole sample: " + e.getMessage(), e);
        }
    }

    private static double weightedResidualSquares(BalancingWeights w, double[] y, double[] fitted) {
        double[] wt = w.weights();
        double s = 0;
        for (int i = 0; i < wt.length; i++) {
            double r = wt[i] * (y[i] - fitted[i]);
            s += r * r;
        }
        return s;
    }

    private static int[] rowsWhere(boolean[] t, boolean value) {
        int count = 0;
        for (boolean b : t) {
            if (b == value) {
                count++;
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == value) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** The rows of an arm drawn with replacement: {@link PopulationMean#resample} mapped onto them. */
    private static int[] resample(int[] rows, Random r) {
        int[] out = PopulationMean.resample(rows.length, r);
        for (int i = 0; i < out.length; i++) {
            out[i] = rows[out[i]];
        }
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private static double[] pick(double[] v, int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = v[rows[i]];
        }
        return out;
    }
}
