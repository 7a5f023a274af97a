package org.kernels4j.model;

import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * An estimator that can also learn from kernel values alone. Model selection uses this to compute
 * K(X_train, X_train) and K(X_test, X_train) once per fold and kernel and share them among every
 * candidate with that kernel (SVMs over a grid of C, kernel ridge over a grid of λ), instead of
 * recomputing them per candidate.
 *
 * @param <M> the model {@link #fit} produces
 */
public interface KernelMatrixEstimator<M extends Model> extends Estimator<M> {

    /** The kernel whose values {@link #fitPredict} expects. */
    Kernel kernel();

    /**
     * Fits from the n×n training kernel matrix and targets, and predicts the rows whose kernel
     * values against the n training rows are {@code cross} (m×n); the predictions equal, up to
     * rounding, {@code fit(x, y).predict(xTest)} with {@code gram = K(x, x)} and
     * {@code cross = K(xTest, x)}, and the report is that fit's.
     */
    Prediction fitPredict(Matrix gram, Matrix y, Matrix cross);

    /** Predictions (m×k) and the report of the fit that made them. */
    record Prediction(Matrix values, FitReport report) {
    }
}
