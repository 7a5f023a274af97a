package org.kernels4j.calibration;

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
        double z = a * score + b;
        return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
    }

    /**
     * Fits the sigmoid to scores and outcomes (true = positive).
     *
     * @throws Kernels4jException for no rows, mismatched lengths or non-finite scores
     */
    public static SigmoidCalibrator fit(double[] scores, boolean[] positive) {
        Data.check(scores, positive);
        int n = scores.length;
        double prior1 = 0;
        for (boolean p : positive) {
            prior1 += p ? 1 : 0;
        }
        double prior0 = n - prior1;
        double hi = (prior1 + 1) / (prior1 + 2);
        double lo = 1 / (prior0 + 2);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = positive[i] ? hi : lo;
        }
        double a = 0;
        double b = Math.log((prior0 + 1) / (prior1 + 1));
        double value = objective(scores, t, a, b);
        for (int iter = 0; iter < 200; iter++) {
            double h11 = 1e-12;
            double h22 = 1e-12;
            double h21 = 0;
            double g1 = 0;
            double g2 = 0;
            for (int i = 0; i < n; i++) {
                double p = new SigmoidCalibrator(a, b).probability(scores[i]);
                double d2 = p * (1 - p);
                h11 += scores[i] * scores[i] * d2;
                h22 += d2;
                h21 += scores[i] * d2;
                double d1 = t[i] - p;
                g1 += scores[i] * d1;
                g2 += d1;
            }
            if (Math.abs(g1) < 1e-11 * n && Math.abs(g2) < 1e-11 * n) {
                break;
            }
            double det = h11 * h22 - h21 * h21;
            double da = -(h22 * g1 - h21 * g2) / det;
            double db = -(-h21 * g1 + h11 * g2) / det;
            double gd = g1 * da + g2 * db;
            double step = 1;
            boolean moved = false;
            while (step >= 1e-12) {
                double na = a + step * da;
                double nb = b + step * db;
                double nv = objective(scores, t, na, nb);
                if (nv <= value + 1e-4 * step * gd) {
                    a = na;
                    b = nb;
                    value = nv;
                    moved = true;
                    break;
                }
                step /= 2;
            }
            if (!moved) {
                break; // no further decrease at double precision
            }
        }
        return new SigmoidCalibrator(a, b);
    }

    /** Σ log(1 + e^z) − (1 − t)·z with z = a·f + b: the negative log-likelihood. */
    static double objective(double[] f, double[] t, double a, double b) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            double z = a * f[i] + b;
            double softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
            s += softplus - (1 - t[i]) * z;
        }
        return s;
    }
}
