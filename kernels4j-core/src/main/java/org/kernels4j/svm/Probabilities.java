package org.kernels4j.svm;

import org.kernels4j.Kernels4jException;

/**
 * Probability estimates from decision values: Platt's sigmoid, fitted by the Newton method of Lin,
 * Lin &amp; Weng (2007, "A note on Platt's probabilistic outputs for support vector machines"), and
 * pairwise coupling of one-vs-one probabilities by Wu, Lin &amp; Weng (2004, JMLR 5, method 2).
 * Hand-written: these few dozen lines are part of the method, not general numerics.
 */
final class Probabilities {
    /** Pairwise probabilities are kept in [MIN, 1 − MIN] so that the coupling system stays regular. */
    static final double MIN = 1e-7;

    private Probabilities() {
    }

    /**
     * Fits P(positive | f) = 1 / (1 + exp(A·f + B)) to decision values f and labels (true =
     * positive) by maximum likelihood with Platt's smoothed targets (N₊+1)/(N₊+2) and 1/(N₋+2).
     * Returns {A, B}.
     */
    static double[] fitSigmoid(double[] f, boolean[] positive) {
        int n = f.length;
        double prior1 = 0;
        for (boolean b : positive) {
            prior1 += b ? 1 : 0;
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
        double value = sigmoidLoss(f, t, a, b);
        final double sigma = 1e-12;
        for (int iter = 0; iter < 100; iter++) {
            double h11 = sigma;
            double h22 = sigma;
            double h21 = 0;
            double g1 = 0;
            double g2 = 0;
            for (int i = 0; i < n; i++) {
                double z = f[i] * a + b;
                double p;
                double q;
                if (z >= 0) {
                    double e = Math.exp(-z);
                    p = e / (1 + e);
                    q = 1 / (1 + e);
                } else {
                    double e = Math.exp(z);
                    p = 1 / (1 + e);
                    q = e / (1 + e);
                }
                double d2 = p * q;
                h11 += f[i] * f[i] * d2;
                h22 += d2;
                h21 += f[i] * d2;
                double d1 = t[i] - p;
                g1 += f[i] * d1;
                g2 += d1;
            }
            if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) {
                break;
            }
            double det = h11 * h22 - h21 * h21;
            double da = -(h22 * g1 - h21 * g2) / det;
            double db = -(-h21 * g1 + h11 * g2) / det;
            double gd = g1 * da + g2 * db;
            double step = 1;
            while (step >= 1e-10) {
                double na = a + step * da;
                double nb = b + step * db;
                double nv = sigmoidLoss(f, t, na, nb);
                if (nv < value + 1e-4 * step * gd) {
                    a = na;
                    b = nb;
                    value = nv;
                    break;
                }
                step /= 2;
            }
            if (step < 1e-10) {
                break; // the line search failed: keep the last point, as LIBSVM does
            }
        }
        return new double[] {a, b};
    }

    /** Cross-entropy of the sigmoid with targets t, computed without overflow. */
    private static double sigmoidLoss(double[] f, double[] t, double a, double b) {
        double v = 0;
        for (int i = 0; i < f.length; i++) {
            double z = f[i] * a + b;
            v += z >= 0 ? t[i] * z + Math.log1p(Math.exp(-z)) : (t[i] - 1) * z + Math.log1p(Math.exp(z));
        }
        return v;
    }

    /** 1 / (1 + exp(A·f + B)), clipped to [MIN, 1 − MIN]. */
    static double sigmoid(double f, double a, double b) {
        double z = f * a + b;
        double p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
        return Math.min(Math.max(p, MIN), 1 - MIN);
    }

    /**
     * Class probabilities p from pairwise ones r[i][j] = P(i | i or j) (r[j][i] = 1 − r[i][j]):
     * the minimizer of Σ_i Σ_{j≠i} (r_ji·p_i − r_ij·p_j)² subject to Σp = 1 (Wu, Lin &amp; Weng, method
     * 2), from its (k+1)×(k+1) KKT system solved directly.
     */
    static double[] couple(double[][] r) {
        int k = r.length;
        double[][] a = new double[k + 1][k + 2];
        for (int t = 0; t < k; t++) {
            for (int j = 0; j < k; j++) {
                if (j == t) {
                    continue;
                }
                a[t][t] += r[j][t] * r[j][t];
                a[t][j] = -r[j][t] * r[t][j];
            }
            a[t][k] = 1;
            a[k][t] = 1;
        }
        a[k][k + 1] = 1;
        double[] x = solve(a, k + 1);
        double[] p = new double[k];
        double sum = 0;
        for (int t = 0; t < k; t++) {
            p[t] = Math.max(x[t], 0);
            sum += p[t];
        }
        for (int t = 0; t < k; t++) {
            p[t] /= sum;
        }
        return p;
    }

    /** Gaussian elimination with partial pivoting on the augmented n×(n+1) system. */
    private static double[] solve(double[][] a, int n) {
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] tmp = a[c];
            a[c] = a[piv];
            a[piv] = tmp;
            if (a[c][c] == 0) {
                throw new Kernels4jException("pairwise coupling: singular system");
            }
            for (int r = c + 1; r < n; r++) {
                double m = a[r][c] / a[c][c];
                for (int j = c; j <= n; j++) {
                    a[r][j] -= m * a[c][j];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = a[r][n];
            for (int j = r + 1; j < n; j++) {
                s -= a[r][j] * x[j];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }
}
