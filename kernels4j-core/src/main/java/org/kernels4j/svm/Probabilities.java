package org.kernels4j.svm;

import org.kernels4j.Kernels4jException;
import org.kernels4j.optim.PlattSigmoid;

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
     * positive): {@link PlattSigmoid} with LIBSVM's stopping rule. Returns {A, B}.
     */
    static double[] fitSigmoid(double[] f, boolean[] positive) {
        return PlattSigmoid.fit(f, positive, PlattSigmoid.LIBSVM);
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
