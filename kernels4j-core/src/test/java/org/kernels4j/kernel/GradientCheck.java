package org.kernels4j.kernel;

import org.kernels4j.gram.GramEngine;
import org.kernels4j.linalg.Matrix;

/** Central differences of a Gram matrix in log θ_p, the reference the analytic gradients are tested against. */
public final class GradientCheck {
    private GradientCheck() {
    }

    /**
     * {worst, scale}: the largest |(K(θ·e^h) − K(θ·e^−h))/(2h) − analytic| over the entries of K(X, X), and the
     * largest |difference quotient|, for hyperparameter p at values theta.
     */
    public static double[] logGradientError(Kernel k, Matrix x, double[] theta, int p, Matrix analytic, double h) {
        double[] up = theta.clone();
        double[] down = theta.clone();
        up[p] *= Math.exp(h);
        down[p] *= Math.exp(-h);
        Matrix kp = GramEngine.gram(k.withHyperparameters(up), x);
        Matrix km = GramEngine.gram(k.withHyperparameters(down), x);
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < kp.data().length; i++) {
            double fd = (kp.data()[i] - km.data()[i]) / (2 * h);
            worst = Math.max(worst, Math.abs(fd - analytic.data()[i]));
            scale = Math.max(scale, Math.abs(fd));
        }
        return new double[] {worst, scale};
    }
}
