package org.kernels4j.regression;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * Falkon's preconditioner against a plain (unpreconditioned) conjugate gradient written here on the
 * same system (K_nmᵀK_nm + λK_mm)·α = K_nmᵀy, with the RBF kernel matrices computed by this test.
 */
class FalkonPreconditionerTest {

    private static double rbf(double gamma, double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return Math.exp(-gamma * s);
    }

    /** Plain CG on H·α = b; the number of iterations until ‖r‖ ≤ tol·‖b‖, or cap when never. */
    private static int plainCgIterations(double[][] h, double[] b, double tol, int cap) {
        int m = b.length;
        double[] x = new double[m];
        double[] r = b.clone();
        double[] p = b.clone();
        double rs = dot(r, r);
        double bn = Math.sqrt(rs);
        for (int it = 0; it < cap; it++) {
            if (Math.sqrt(rs) <= tol * bn) {
                return it;
            }
            double[] hp = new double[m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    hp[i] += h[i][j] * p[j];
                }
            }
            double a = rs / dot(p, hp);
            for (int i = 0; i < m; i++) {
                x[i] += a * p[i];
                r[i] -= a * hp[i];
            }
            double rsNew = dot(r, r);
            for (int i = 0; i < m; i++) {
                p[i] = r[i] + rsNew / rs * p[i];
            }
            rs = rsNew;
        }
        return Math.sqrt(rs) <= tol * bn ? cap : cap + 1; // cap + 1: not converged within the cap
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void preconditionedCgNeedsFarFewerIterationsThanPlainCgOnAnIllConditionedRbfProblem() {
        int n = 300;
        int m = 100;
        double gamma = 10; // length ≈ 0.22 on [0, 2]²: K_mm is very ill-conditioned
        // (measured: Falkon ≈ 73 iterations, plain CG not converged after 2000)
        double lambda = 1e-3;
        double tol = 1e-7;
        Random rnd = new Random(11);
        double[][] x = new double[n][2];
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            x[i][0] = 2 * rnd.nextDouble();
            x[i][1] = 2 * rnd.nextDouble();
            y[i][0] = Math.sin(3 * x[i][0]) * Math.cos(2 * x[i][1]) + 0.05 * rnd.nextGaussian();
        }
        int[] idx = new int[m];
        double[][] c = new double[m][];
        for (int j = 0; j < m; j++) {
            idx[j] = j * (n / m);
            c[j] = x[idx[j]];
        }
        double[][] knm = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                knm[i][j] = rbf(gamma, x[i], c[j]);
            }
        }
        double[][] h = new double[m][m];
        double[] b = new double[m];
        for (int a = 0; a < m; a++) {
            for (int i = 0; i < n; i++) {
                b[a] += knm[i][a] * y[i][0];
            }
            for (int bb = 0; bb < m; bb++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += knm[i][a] * knm[i][bb];
                }
                h[a][bb] = s + lambda * rbf(gamma, c[a], c[bb]);
            }
        }
        int plainCap = 2000;
        int plain = plainCgIterations(h, b, tol, plainCap);

        KernelRidgeModel fit = NystromKernelRidge.builder(KernelSpec.parse("rbf(gamma=10)")).lambda(lambda)
                .solver(NystromKernelRidge.Solver.STREAMING_CG).stopping(NystromKernelRidge.Stopping.RESIDUAL)
                .tolerance(tol).maxIterations(plainCap).build()
                .fitWithCenters(Matrix.of(x), Matrix.of(y), Matrix.of(c), idx);
        int pre = (int) fit.report().number("cg_iterations");
        assertTrue(fit.report().numbers("relative_residuals")[0] <= tol, "Falkon converged");
        assertTrue(pre < m, "preconditioned CG took " + pre + " iterations for " + m + " unknowns");
        assertTrue(plain >= 10 * pre, "plain CG took " + plain + " iterations, preconditioned " + pre);

        // the converged α solves the normal equations: K_nmᵀ(y − K_nm·α) = λ·K_mm·α, where K_nm·α are the
        // predictions at the training points and K_mm·α those at the centres
        Matrix fx = fit.predict(Matrix.of(x));
        Matrix fc = fit.predict(Matrix.of(c));
        double worst = 0;
        double bnorm = Math.sqrt(dot(b, b));
        for (int a = 0; a < m; a++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += knm[i][a] * (y[i][0] - fx.get(i, 0));
            }
            worst = Math.max(worst, Math.abs(s - lambda * fc.get(a, 0)));
        }
        assertTrue(worst <= 1e-4 * bnorm, "normal-equation residual " + worst + " vs ‖K_nmᵀy‖ " + bnorm);
    }
}
