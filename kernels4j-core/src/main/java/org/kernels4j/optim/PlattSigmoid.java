package org.kernels4j.optim;

/**
 * Platt scaling: fits P(positive | f) = 1 / (1 + exp(A·f + B)) to scores f and outcomes by maximum
 * likelihood with Platt's smoothed targets (N₊+1)/(N₊+2) and 1/(N₋+2), by Newton's method on (A, B)
 * with a backtracking (Armijo) line search (Lin, Lin &amp; Weng, 2007). One routine serves the SVM's
 * built-in probabilities (LIBSVM's stopping rule) and the calibration of any classifier (a tighter
 * one). Hand-written: a 2×2 Newton iteration on a closed-form loss, shorter than any library call.
 * Cost O(n) per iteration.
 */
public final class PlattSigmoid {
    /**
     * When the iteration stops.
     *
     * @param gradientTolerance stop when both gradient components are below it in absolute value
     * @param maxIterations Newton steps at most
     * @param minStep the smallest line-search step tried before giving up
     * @param acceptEqual accept a step whose loss equals the Armijo bound (needed to reach the
     *     optimum to rounding when the loss is flat at double precision); LIBSVM requires a strict decrease
     */
    public record Stop(double gradientTolerance, int maxIterations, double minStep, boolean acceptEqual) {
    }

    /** LIBSVM's rule: |∇| &lt; 10⁻⁵, at most 100 steps, steps down to 10⁻¹⁰, strict decrease. */
    public static final Stop LIBSVM = new Stop(1e-5, 100, 1e-10, false);

    private PlattSigmoid() {
    }

    /** Returns {A, B}. */
    public static double[] fit(double[] f, boolean[] positive, Stop stop) {
        int n = f.length;
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
        double value = loss(f, t, a, b);
        for (int iter = 0; iter < stop.maxIterations(); iter++) {
            double h11 = 1e-12;
            double h22 = 1e-12;
            double h21 = 0;
            double g1 = 0;
            double g2 = 0;
            for (int i = 0; i < n; i++) {
                double p = probability(a * f[i] + b);
                double d2 = p * (1 - p);
                h11 += f[i] * f[i] * d2;
                h22 += d2;
                h21 += f[i] * d2;
                double d1 = t[i] - p;
                g1 += f[i] * d1;
                g2 += d1;
            }
            if (Math.abs(g1) < stop.gradientTolerance() && Math.abs(g2) < stop.gradientTolerance()) {
                break;
            }
            double det = h11 * h22 - h21 * h21;
            double da = -(h22 * g1 - h21 * g2) / det;
            double db = -(-h21 * g1 + h11 * g2) / det;
            double gd = g1 * da + g2 * db;
            double step = 1;
            boolean moved = false;
            while (step >= stop.minStep()) {
                double na = a + step * da;
                double nb = b + step * db;
                double nv = loss(f, t, na, nb);
                double bound = value + 1e-4 * step * gd;
                if (nv < bound || (stop.acceptEqual() && nv == bound)) {
                    a = na;
                    b = nb;
                    value = nv;
                    moved = true;
                    break;
                }
                step /= 2;
            }
            if (!moved) {
                break; // no further decrease at double precision: keep the last point, as LIBSVM does
            }
        }
        return new double[] {a, b};
    }

    /** 1 / (1 + e^z), without overflow. */
    public static double probability(double z) {
        return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
    }

    /** Cross-entropy of the sigmoid with targets t: Σ log(1 + e^z) − (1 − t)·z, z = a·f + b. */
    private static double loss(double[] f, double[] t, double a, double b) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            double z = a * f[i] + b;
            s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (1 - t[i]) * z;
        }
        return s;
    }
}
