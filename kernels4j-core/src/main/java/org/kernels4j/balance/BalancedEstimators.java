package org.kernels4j.balance;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Model;

/**
 * Estimators of a target population's mean outcome built on balancing weights w (Σw = 1) fitted to
 * the observed rows x_1…x_n, whose outcomes y_i are known, against a target sample z_1…z_{n_t}.
 *
 * <p><b>IPS (weighted mean).</b> τ̂ = Σ_i w_i y_i. With kernel balancing its bias is at most
 * ‖E[y|·]‖_H times the weighted MMD, and it is unbiased when E[y | x] lies in the span the weights
 * balance. Plug-in standard error √(Σ_i w_i²(y_i − τ̂)²), which treats the weights as fixed: it
 * counts the variation of y that the weights balance away as noise, so it is usually far too large
 * when y depends on the balanced covariates, and it leaves out the variability of the weights and of
 * the target means; the bootstraps of {@link PopulationMean} and {@link TreatmentEffect} refit them.
 *
 * <p><b>Doubly robust (augmented).</b> With an outcome model m̂ fitted on the observed rows,
 * <pre>
 *   τ̂_DR = (1/n_t)·Σ_t m̂(z_t) + Σ_i w_i·(y_i − m̂(x_i)),
 * </pre>
 * consistent when either the outcome model is right or the weights balance E[y|·] − m̂; the weights
 * only have to correct what the model misses. Standard error, as for approximate residual
 * balancing (Athey, Imbens &amp; Wager, 2018), plus the sampling error of the target mean:
 * SE² = Σ_i w_i²·(y_i − m̂(x_i))² + s²/n_t, where s² is the sample variance of m̂ over the target
 * rows (the estimand is the mean of the population the target rows are drawn from). The outcome
 * model is taken as fixed; fit it on the same rows (as here) or by cross-fitting.
 *
 * <p>Cost: O(n) given the weights; the doubly robust estimate adds one prediction of the outcome model
 * on n + n_t rows.
 */
public final class BalancedEstimators {
    private BalancedEstimators() {
    }

    /**
     * Σ_i w_i·y_i (the weights sum to 1).
     *
     * @param outcome y_i for each observed row, in the order the weights were fitted
     * @throws Kernels4jException when the lengths differ or an outcome is NaN or infinite
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

    /**
     * The IPS estimate Σ_i w_i·y_i with its plug-in standard error √(Σ_i w_i²(y_i − τ̂)²).
     *
     * @throws Kernels4jException when the lengths differ or an outcome is NaN or infinite
     */
    public static BalancedEstimate mean(BalancingWeights weights, double[] outcome) {
        double tau = weightedMean(weights, outcome);
        double[] w = weights.weights();
        double v = 0;
        for (int i = 0; i < w.length; i++) {
            double r = outcome[i] - tau;
            v += w[i] * w[i] * r * r;
        }
        return new BalancedEstimate("population mean (IPS)", tau, Math.sqrt(v),
                "plug-in sqrt(sum w_i^2 (y_i - mean)^2), weights held fixed", weights.effectiveSampleSize());
    }

    /**
     * The doubly robust estimate (1/n_t)·Σ_t m̂(z_t) + Σ_i w_i·(y_i − m̂(x_i)) with SE² =
     * Σ_i w_i²(y_i − m̂(x_i))² + s²_m̂/n_t (see the class comment).
     *
     * @param weights balancing weights fitted to {@code xObserved}
     * @param xObserved the n observed rows the weights belong to, in the same order
     * @param outcome y_i for each observed row
     * @param xTarget the target rows (n_t×d) the weights balance to
     * @param outcomeModel a fitted regression model m̂ with one output
     * @throws Kernels4jException for mismatched shapes, non-finite outcomes or model outputs, or a
     *     model with more than one output
     */
    public static BalancedEstimate doublyRobustMean(BalancingWeights weights, Matrix xObserved, double[] outcome,
            Matrix xTarget, Model outcomeModel) {
        weights.requireOutcome(outcome);
        if (xObserved.rows() != weights.size()) {
            throw new Kernels4jException("the weights are for " + weights.size() + " observed rows but "
                    + xObserved.rows() + " rows were given");
        }
        if (xTarget.rows() == 0) {
            throw new Kernels4jException("the target sample is empty");
        }
        double[] atObserved = predictions(outcomeModel, xObserved, "observed");
        double[] atTarget = predictions(outcomeModel, xTarget, "target");
        double[] w = weights.weights();
        double correction = 0;
        double residualVariance = 0;
        for (int i = 0; i < w.length; i++) {
            double r = outcome[i] - atObserved[i];
            correction += w[i] * r;
            residualVariance += w[i] * w[i] * r * r;
        }
        double[] meanAndVariance = meanAndVariance(atTarget);
        double tau = meanAndVariance[0] + correction;
        double se = Math.sqrt(residualVariance + meanAndVariance[1] / atTarget.length);
        return new BalancedEstimate("population mean (doubly robust)", tau, se,
                "plug-in sqrt(sum w_i^2 r_i^2 + var_target(model)/n_target), weights and model held fixed",
                weights.effectiveSampleSize());
    }

    /** The model's single output at each row, checked finite. */
    static double[] predictions(Model model, Matrix x, String what) {
        if (model == null) {
            throw new Kernels4jException("no outcome model given");
        }
        Matrix p = model.predict(x);
        if (p.cols() != 1 || p.rows() != x.rows()) {
            throw new Kernels4jException("the outcome model must give one value per row; it gave a " + p.rows() + "x"
                    + p.cols() + " matrix for " + x.rows() + " " + what + " rows");
        }
        double[] out = p.data().clone();
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                throw new Kernels4jException("the outcome model predicts " + out[i] + " at " + what + " row " + i
                        + " (0-based)");
            }
        }
        return out;
    }

    /** {mean, sample variance (n − 1 denominator; 0 for one value)}. */
    static double[] meanAndVariance(double[] v) {
        double mean = 0;
        for (double a : v) {
            mean += a;
        }
        mean /= v.length;
        double ss = 0;
        for (double a : v) {
            ss += (a - mean) * (a - mean);
        }
        return new double[] {mean, v.length > 1 ? ss / (v.length - 1) : 0};
    }
}
