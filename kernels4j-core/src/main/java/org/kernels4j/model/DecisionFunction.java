package org.kernels4j.model;

import org.kernels4j.linalg.Matrix;

/**
 * A model with real-valued decision functions f_p(x), p = 0 … P−1, from which its predictions
 * are derived (an SVM's signed margins).
 */
public interface DecisionFunction extends Model {

    /** The m×P decision values. */
    Matrix decisionValues(Matrix x);
}
