package org.kernels4j.model;

import org.kernels4j.linalg.Matrix;

/**
 * A model that predicts class labels: {@link #predict} returns them as an m×1 matrix whose values
 * are among {@link #classes()}.
 */
public interface Classifier extends Model {

    /** The class labels seen in training, ascending; probabilities' columns follow this order. */
    double[] classes();

    /** Whether {@link #probabilities} is available (for example an SVM fitted without Platt scaling has none). */
    default boolean hasProbabilities() {
        return true;
    }

    /**
     * Class probabilities, m×c with c = {@code classes().length}; each row sums to 1.
     *
     * @throws org.kernels4j.Kernels4jException when {@link #hasProbabilities()} is false
     */
    Matrix probabilities(Matrix x);
}
