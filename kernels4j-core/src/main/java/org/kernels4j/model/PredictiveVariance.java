package org.kernels4j.model;

import org.kernels4j.linalg.Matrix;

/**
 * A probabilistic regressor: besides the predictive mean ({@link #predict}), the posterior
 * variance of the latent function f(x*) at each test row, per output.
 */
public interface PredictiveVariance extends Model {

    /**
     * Var[f(x*)] for each test row and output, m×k, in the units of the targets squared (noise
     * that lives in the kernel as {@code white(…)} is included, as in scikit-learn).
     */
    Matrix predictiveVariance(Matrix x);
}
