package org.kernels4j.balance;

/**
 * The result of {@link TreatmentEffect#estimate}: the average treatment effect with its standard
 * error, the two arms' population means E[Y(1)] and E[Y(0)] (each with its plug-in error), both
 * arms' balancing weights and diagnostics, and the bootstrap replicates when there were any.
 * Immutable.
 */
public final class TreatmentEffectEstimate {
    private final BalancedEstimate effect;
    private final BalancedEstimate treatedMean;
    private final BalancedEstimate controlMean;
    private final BalancingWeights treatedWeights;
    private final BalancingWeights controlWeights;
    private final double[] bootstrap;
    private final int failedReplicates;

    TreatmentEffectEstimate(BalancedEstimate effect, BalancedEstimate treatedMean, BalancedEstimate controlMean,
            BalancingWeights treatedWeights, BalancingWeights controlWeights, double[] bootstrap, int failedReplicates) {
        this.effect = effect;
        this.treatedMean = treatedMean;
        this.controlMean = controlMean;
        this.treatedWeights = treatedWeights;
        this.controlWeights = controlWeights;
        this.bootstrap = bootstrap.clone();
        this.failedReplicates = failedReplicates;
    }

    /** τ̂ = μ̂₁ − μ̂₀ with its standard error (plug-in or bootstrap, as {@link BalancedEstimate#errorMethod} says). */
    public BalancedEstimate effect() {
        return effect;
    }

    /** μ̂₁, the estimated population mean of the treated outcome Y(1). */
    public BalancedEstimate treatedMean() {
        return treatedMean;
    }

    /** μ̂₀, the estimated population mean of the untreated outcome Y(0). */
    public BalancedEstimate controlMean() {
        return controlMean;
    }

    /** The weights of the treated rows (in their order in the data), balancing them to the whole sample. */
    public BalancingWeights treatedWeights() {
        return treatedWeights;
    }

    /** The weights of the control rows (in their order in the data), balancing them to the whole sample. */
    public BalancingWeights controlWeights() {
        return controlWeights;
    }

    /** The τ̂ of each bootstrap resample that could be balanced (empty without the bootstrap); a copy. */
    public double[] bootstrapEstimates() {
        return bootstrap.clone();
    }

    /** How many bootstrap resamples could not be balanced and were skipped. */
    public int failedReplicates() {
        return failedReplicates;
    }
}
