package org.kernels4j.balance;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.kernels4j.Kernels4jException;

/**
 * A point estimate with its standard error, from {@link BalancedEstimators} or
 * {@link TreatmentEffect}. Immutable.
 *
 * @param estimand what is estimated, in words (e.g. "population mean (IPS)")
 * @param estimate the point estimate
 * @param standardError its estimated standard error (≥ 0; NaN when it could not be estimated)
 * @param errorMethod how the standard error was obtained, in words (plug-in formula or bootstrap)
 * @param effectiveSampleSize the effective sample size (Σw)²/Σw² of the weights behind the estimate
 *     (for a difference of two arms, the smaller of the two)
 */
public record BalancedEstimate(String estimand, double estimate, double standardError, String errorMethod,
        double effectiveSampleSize) {

    /** @throws Kernels4jException for a non-finite estimate or a negative standard error */
    public BalancedEstimate {
        if (!Double.isFinite(estimate)) {
            throw new Kernels4jException(estimand + ": the estimate is " + estimate);
        }
        if (standardError < 0 || Double.isInfinite(standardError)) {
            throw new Kernels4jException(estimand + ": the standard error must be finite and >= 0, got "
                    + standardError);
        }
    }

    /**
     * The normal-approximation interval estimate ± z·SE with z = Φ⁻¹((1 + level)/2) (1.95996… for
     * 95 %): {lower, upper}.
     *
     * @param level the coverage, strictly between 0 and 1
     */
    public double[] interval(double level) {
        if (!(level > 0 && level < 1)) {
            throw new Kernels4jException("the confidence level must lie strictly between 0 and 1, got " + level);
        }
        double z = NormalDistribution.of(0, 1).inverseCumulativeProbability(0.5 + level / 2);
        return new double[] {estimate - z * standardError, estimate + z * standardError};
    }
}
