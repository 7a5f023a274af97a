package org.kernels4j.calibration;

import org.kernels4j.optim.PlattSigmoid;

import org.kernels4j.Kernels4jException;

/**
 * Platt scaling: P(positive | f) = 1/(1 + exp(a·f + b)), with (a, b) maximizing the likelihood of
 * Platt's smoothed targets t₊ = (N₊ + 1)/(N₊ + 2) and t₋ = 1/(N₋ + 2) (Platt, 1999), as LIBSVM and
 * scikit-learn's {@code CalibratedClassifierCV(method="sigmoid")} do. The objective
 * Σ log(1 + e^(z_i)) − (1 − t_i)·z_i, z_i = a·f_i + b, is convex; it is minimized by Newton's
 * method with a backtracking (Armijo) line search and a 1e−12 ridge on the Hessian, the
 * algorithm of Lin, Lin &amp; Weng (2007), run until the gradient is below 1e−11·n.
 *
 * @param a the slope (negative when larger scores mean the positive outcome)
 * @param b the offset
 */
public record SigmoidCalibrator(double a, double b) implements Calibrator {

    /** @throws Kernels4jException for non-finite parameters */
    public SigmoidCalibrator {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw new Kernels4jException("sigmoid calibration parameters must be finite, got a = " + a + ", b = " + b);
        }
    }

    @Override
    public double probability(double score) {
        return PlattSigmoid.probability(a * score + b);
    }

    /**
     * Fits the sigmoid to scores and outcomes (true = positive).
     *
     * @throws Kernels4jException for no rows, mismatched lengths or non-finite scores
     */
    public static SigmoidCalibrator fit(double[] scores, boolean[] positive) {
        Data.check(scores, positive);
        double[] ab = PlattSigmoid.fit(scores, positive, new PlattSigmoid.Stop(1e-11 * scores.length, 200, 1e-12, true));
        return new SigmoidCalibrator(ab[0], ab[1]);
    }
}
