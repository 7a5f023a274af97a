package org.kernels4j.balance;

/**
 * Estimators built on balancing weights. So far the inverse-propensity-style weighted mean
 * Σ_i w_i y_i of an outcome observed on the balanced rows: an estimate of the target population's
 * mean of y, unbiased when E[y | x] lies in the span the weights balance (with kernel balancing,
 * its bias is at most ‖E[y|·]‖_H times the weighted MMD). O(n).
 */
public final class BalancedEstimators {
    private BalancedEstimators() {
    }

    /**
     * Σ_i w_i·y_i (the weights sum to 1).
     *
     * @param outcome y_i for each observed row, in the order the weights were fitted
     * @throws org.kernels4j.Kernels4jException when the lengths differ or an outcome is NaN or infinite
     */
    public static double weightedMean(BalancingWeights weights, double[] outcome) {
        weights.requireOutcome(outcome);
        double[] w = weights.weights();
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += w[i] * outcome[i];
        }
        return s;
    }
}
