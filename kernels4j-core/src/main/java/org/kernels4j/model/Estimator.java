package org.kernels4j.model;

import org.kernels4j.linalg.Matrix;

/**
 * A configured supervised learner: options were validated when it was built, and {@link #fit}
 * returns an immutable model without changing the estimator, so one estimator can be fitted many
 * times (cross-validation, grid search) and from several threads.
 *
 * @param <M> the model it produces
 */
@FunctionalInterface
public interface Estimator<M extends Model> {

    /**
     * Fits a model to n samples.
     *
     * @param x n×d inputs, one row per sample
     * @param y n×k targets (regression), or n×1 class labels (classification)
     */
    M fit(Matrix x, Matrix y);
}
