package org.kernels4j.model;

import org.kernels4j.linalg.Matrix;

/**
 * A configured learner that needs no targets (densities, private releases, novelty detection);
 * like {@link Estimator}, fitting does not change it.
 *
 * @param <M> the model it produces
 */
@FunctionalInterface
public interface UnsupervisedEstimator<M extends Model> {

    /** Fits a model to the n×d rows of {@code x}. */
    M fit(Matrix x);
}
