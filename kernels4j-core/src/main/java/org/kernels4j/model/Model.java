package org.kernels4j.model;

import org.kernels4j.linalg.Matrix;

/**
 * A fitted model: immutable, thread-safe for prediction, holding no native memory (nothing to
 * close). Every model answers {@link #predict}; what only some models can do is a capability
 * interface: {@link Classifier} (class labels and probabilities), {@link DecisionFunction},
 * {@link PredictiveVariance}, {@link DensityModel}.
 *
 * <p>Shapes: {@code x} is m×d, one row per sample, with d = {@link #features()}.
 */
public interface Model {

    /**
     * Predictions for the rows of {@code x}: m×k for a regressor with k outputs, m×1 class labels
     * for a classifier, m×1 log-densities for a density, ±1 for a novelty detector.
     *
     * @throws org.kernels4j.Kernels4jException when x has the wrong number of columns or
     *     non-finite values
     */
    Matrix predict(Matrix x);

    /** The number of input columns d that {@link #predict} expects. */
    int features();

    /** What the fit did: iterations, objective, the chosen λ, jitter… (empty when there is nothing to say). */
    FitReport report();
}
