package org.kernels4j.calibration;

/**
 * A monotone map from one real score to a probability in [0, 1], fitted on held-out scores and
 * binary outcomes: {@link SigmoidCalibrator} (Platt) or {@link IsotonicCalibrator}.
 */
public sealed interface Calibrator permits SigmoidCalibrator, IsotonicCalibrator {

    /** The calibrated probability of the positive outcome at this score. */
    double probability(double score);
}
