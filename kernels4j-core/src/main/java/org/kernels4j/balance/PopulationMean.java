package org.kernels4j.balance;

import java.util.Arrays;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.Model;

/**
 * The mean of an outcome over a target population, from rows x_1…x_n where the outcome y is observed
 * (selected, perhaps not at random given x) and a sample z_1…z_{n_t} of the target population's
 * covariates: the observed rows are kernel-balanced to the target, then averaged with
 * {@link BalancedEstimators#mean} (IPS) or, with an outcome model, {@link BalancedEstimators#doublyRobustMean}.
 * The target may be the whole population, observed rows included.
 *
 * <p><b>Standard error.</b> The plug-in formula of the estimator (weights and model held fixed), or,
 * with {@link Builder#bootstrap}, the standard deviation of the estimate over B resamples that draw
 * the observed rows and the target rows with replacement, each on its own, and refit the weights
 * and the outcome model with the original anchors held fixed. Resamples whose balancing fails are
 * skipped and counted; more than half failing is an error.
 *
 * <p>Cost: one {@link KernelBalancing} fit and one outcome fit, times (1 + B) with the bootstrap.
 */
public final class PopulationMean {
    private final KernelBalancing balancer;
    private final Estimator<? extends Model> outcomeEstimator;
    private final int replicates;
    private final long seed;

    private PopulationMean(KernelBalancing balancer, Estimator<? extends Model> outcomeEstimator, int replicates,
            long seed) {
        this.balancer = balancer;
        this.outcomeEstimator = outcomeEstimator;
        this.replicates = replicates;
        this.seed = seed;
    }

    /** Starts a builder: IPS (no outcome model), plug-in standard error. */
    public static Builder builder(KernelBalancing balancer) {
        return new Builder(balancer);
    }

    /** Options for {@link PopulationMean}. */
    public static final class Builder {
        private final KernelBalancing balancer;
        private Estimator<? extends Model> outcomeEstimator;
        private int replicates;
        private long seed;

        private Builder(KernelBalancing balancer) {
            if (balancer == null) {
                throw new Kernels4jException("the population mean needs a kernel balancing estimator");
            }
            this.balancer = balancer;
        }

        /** The outcome model (one output) for the doubly robust estimate; null for IPS. */
        public Builder outcomeModel(Estimator<? extends Model> estimator) {
            this.outcomeEstimator = estimator;
            return this;
        }

        /** B bootstrap resamples for the standard error (0: the plug-in formula; else ≥ 2), drawn with {@code seed}. */
        public Builder bootstrap(int replicates, long seed) {
            this.replicates = replicates;
            this.seed = seed;
            return this;
        }

        /** @throws Kernels4jException for a number of replicates that is negative or 1 */
        public PopulationMean build() {
            checkReplicates(replicates);
            return new PopulationMean(balancer, outcomeEstimator, replicates, seed);
        }
    }

    static void checkReplicates(int replicates) {
        if (replicates < 0 || replicates == 1) {
            throw new Kernels4jException("the number of bootstrap replicates must be 0 (plug-in errors) or >= 2, got "
                    + replicates);
        }
    }

    /**
     * Estimates the target population's mean of y.
     *
     * @param xObserved the n×d rows whose outcome is observed
     * @param outcome y for each observed row (finite)
     * @param xTarget the n_t×d target rows
     * @throws Kernels4jException for empty or mismatched inputs, non-finite values, or balance that
     *     cannot be achieved (naming the anchors)
     */
    public PopulationMeanEstimate estimate(Matrix xObserved, double[] outcome, Matrix xTarget) {
        BalancingWeights w = balancer.fit(xObserved, xTarget);
        BalancedEstimate mean = once(w, xObserved, outcome, xTarget);
        if (replicates == 0) {
            return new PopulationMeanEstimate(mean, w, new double[0], 0);
        }
        KernelBalancing fixed = balancer.withAnchors(w.anchors(), false);
        Random r = new Random(seed);
        double[] values = new double[replicates];
        int ok = 0;
        int failed = 0;
        for (int b = 0; b < replicates; b++) {
            int[] io = resample(xObserved.rows(), r);
            int[] it = resample(xTarget.rows(), r);
            Matrix xb = xObserved.selectRows(io);
            double[] yb = new double[io.length];
            for (int i = 0; i < io.length; i++) {
                yb[i] = outcome[io[i]];
            }
            Matrix tb = xTarget.selectRows(it);
            try {
                values[ok] = once(fixed.fit(xb, tb), xb, yb, tb).estimate();
                ok++;
            } catch (Kernels4jException e) {
                failed++;
            }
        }
        double[] boot = Arrays.copyOf(values, ok);
        double se = bootstrapError(boot, failed, replicates);
        BalancedEstimate withBoot = new BalancedEstimate(mean.estimand(), mean.estimate(), se, "bootstrap: standard "
                + "deviation over " + ok + " resamples of the observed and the target rows (weights"
                + (outcomeEstimator == null ? "" : " and outcome model") + " refitted, anchors held)",
                mean.effectiveSampleSize());
        return new PopulationMeanEstimate(withBoot, w, boot, failed);
    }

    private BalancedEstimate once(BalancingWeights w, Matrix xObserved, double[] outcome, Matrix xTarget) {
        if (outcomeEstimator == null) {
            return BalancedEstimators.mean(w, outcome);
        }
        w.requireOutcome(outcome);
        Model m = outcomeEstimator.fit(xObserved, Matrix.column(outcome));
        return BalancedEstimators.doublyRobustMean(w, xObserved, outcome, xTarget, m);
    }

    /** n indices drawn uniformly with replacement. */
    static int[] resample(int n, Random r) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextInt(n);
        }
        return out;
    }

    /** The standard deviation of the replicates, refusing when more than half the resamples failed. */
    static double bootstrapError(double[] boot, int failed, int replicates) {
        if (failed * 2 > replicates || boot.length < 2) {
            throw new Kernels4jException("balancing failed on " + failed + " of " + replicates + " bootstrap resamples;"
                    + " loosen the constraints (tolerance C or a ridge) or use fewer anchors");
        }
        return Math.sqrt(BalancedEstimators.meanAndVariance(boot)[1]);
    }
}
