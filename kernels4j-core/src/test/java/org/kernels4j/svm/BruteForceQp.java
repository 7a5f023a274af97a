package org.kernels4j.svm;

import java.util.Arrays;

/**
 * An independent reference for the SVM dual: min ½αᵀQα + pᵀα subject to yᵀα = Δ, 0 ≤ α ≤ C, solved by
 * accelerated projected gradient (FISTA with restarts), the projection onto the feasible set computed
 * exactly by bisection on the multiplier of yᵀα = Δ (α(λ) = clip(v − λy, 0, C) is monotone in λ).
 * Slow and simple, which is the point: nothing is shared with SMO.
 */
final class BruteForceQp {
    private BruteForceQp() {
    }

    static double[] solve(double[][] q, double[] p, double[] y, double[] upper, double delta, int iterations) {
        int n = p.length;
        double lipschitz = 0;
        for (double[] row : q) {
            double s = 0;
            for (double v : row) {
                s += Math.abs(v);
            }
            lipschitz = Math.max(lipschitz, s); // the largest absolute row sum bounds the largest eigenvalue
        }
        double step = 1 / lipschitz;
        double[] x = project(new double[n], y, upper, delta);
        double[] z = x.clone();
        double t = 1;
        double fx = objective(q, p, x);
        for (int it = 0; it < iterations; it++) {
            double[] grad = gradient(q, p, z);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = z[i] - step * grad[i];
            }
            double[] next = project(v, y, upper, delta);
            double fn = objective(q, p, next);
            if (fn > fx) { // restart the momentum when it overshoots
                t = 1;
                z = x.clone();
                continue;
            }
            double tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            for (int i = 0; i < n; i++) {
                z[i] = next[i] + (t - 1) / tn * (next[i] - x[i]);
            }
            x = next;
            fx = fn;
            t = tn;
        }
        return x;
    }

    static double objective(double[][] q, double[] p, double[] a) {
        double f = 0;
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < a.length; j++) {
                s += q[i][j] * a[j];
            }
            f += a[i] * (0.5 * s + p[i]);
        }
        return f;
    }

    private static double[] gradient(double[][] q, double[] p, double[] a) {
        double[] g = p.clone();
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                g[i] += q[i][j] * a[j];
            }
        }
        return g;
    }

    private static double[] project(double[] v, double[] y, double[] upper, double delta) {
        double lo = -1e6;
        double hi = 1e6;
        double[] a = new double[v.length];
        for (int it = 0; it < 200; it++) {
            double mid = (lo + hi) / 2;
            double s = clip(v, y, upper, mid, a);
            if (s > delta) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        clip(v, y, upper, (lo + hi) / 2, a);
        return Arrays.copyOf(a, a.length);
    }

    private static double clip(double[] v, double[] y, double[] upper, double lambda, double[] out) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.min(Math.max(v[i] - lambda * y[i], 0), upper[i]);
            s += y[i] * out[i];
        }
        return s;
    }
}
