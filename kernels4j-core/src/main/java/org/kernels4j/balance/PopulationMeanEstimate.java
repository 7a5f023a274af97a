package org.kernels4j.balance;

/**
 * The result of {@link PopulationMean#estimate}: the estimate with its standard error, the balancing
 * weights and diagnostics, and the bootstrap replicates when there were any. Immutable.
 */
public final class PopulationMeanEstimate {
    private final BalancedEstimate mean;
    private final BalancingWeights weights;
    private final double[] bootstrap;
    private final int failedReplicates;

    PopulationMeanEstimate(BalancedEstimate mean, BalancingWeights weights, double[] bootstrap, int failedReplicates) {
        this.mean = mean;
        this.weights = weights;
        this.bootstrap = bootstrap.clone();
        this.failedReplicates = failedReplicates;
    }

    /** The estimated target mean with its standard error. */
    public BalancedEstimate mean() {
        return mean;
    }

    /** The weights of the observed rows, balancing them to the target rows. */
    public BalancingWeights weights() {
        return weights;
    }

    /** The estimate of each bootstrap resample that could be balanced (empty without the bootstrap); a copy. */
    public double[] bootstrapEstimates() {
        return bootstrap.clone();
    }

    /** How many bootstrap resamples could not be balanced and were skipped. */
    public int failedReplicates() {
        return failedReplicates;
    }
}
