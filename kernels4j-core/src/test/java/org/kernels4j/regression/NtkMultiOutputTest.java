package org.kernels4j.regression;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;

/**
 * Multi-output NTK means at finite time. The loss is ‖f(X) − Y‖²_F / (2N) with N = n·k, so the k
 * columns evolve independently, each as a single-output flow on the same Θ with the rate divided by
 * k. References: the single-output predictor on each column (at η/k), and an RK4 integration, written
 * here, of the gradient-flow ODE f' = −η·Θ(·, X)(f(X) − Y)/N on the training and test points together.
 */
class NtkMultiOutputTest {
    private static final NeuralKernel NET = NeuralKernel.ntk(2, Activation.relu(), 2, 0.1);

    @Test
    void eachOutputIsTheSingleOutputFlowAndMatchesAnRk4IntegrationOfTheOde() {
        int n = 10;
        int m = 5;
        int k = 3;
        Matrix x = TestData.gaussian(n, 3, 1, 21);
        Matrix y = TestData.gaussian(n, k, 1, 22);
        Matrix xt = TestData.gaussian(m, 3, 1, 23);
        double eta = 1.5;
        double[] times = {0.7, 4.0, 25.0};
        NtkPredictorModel multi = NtkPredictor.builder(NET).learningRate(eta).build().fit(x, y);
        var gs = multi.predict(xt, times, false);

        // joint Θ over (train, test) rows against the training columns
        Matrix all = new Matrix(n + m, 3);
        for (int i = 0; i < n + m; i++) {
            for (int d = 0; d < 3; d++) {
                all.set(i, d, i < n ? x.get(i, d) : xt.get(i - n, d));
            }
        }
        Matrix theta = GramEngine.cross(NET.withKind(NeuralKernel.Kind.NTK), all, x);
        double rate = eta / (n * k);

        for (int ti = 0; ti < times.length; ti++) {
            Matrix mean = gs.get(ti).mean();
            double scale = 0;
            for (double v : mean.data()) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int o = 0; o < k; o++) {
                // single-output predictor on column o, same Θ; N = n there, so the rate is η/k
                Matrix col = new Matrix(n, 1);
                for (int i = 0; i < n; i++) {
                    col.set(i, 0, y.get(i, o));
                }
                Matrix single = NtkPredictor.builder(NET).learningRate(eta / k).build().fit(x, col)
                        .predict(xt, new double[] {times[ti]}, false).get(0).mean();
                // RK4 on f' = −rate·Θ(all, X)(f_train − y), f(0) = 0 (the ensemble mean starts at 0)
                double[] f = rk4(theta, col, rate, times[ti], n, 4000);
                for (int j = 0; j < m; j++) {
                    double got = mean.get(j, o);
                    assertTrue(Math.abs(got - single.get(j, 0)) <= 1e-9 * Math.max(1, scale),
                            "t=" + times[ti] + " output " + o + " row " + j + ": " + got + " vs single " + single.get(j, 0));
                    assertTrue(Math.abs(got - f[n + j]) <= 1e-7 * Math.max(1, scale),
                            "t=" + times[ti] + " output " + o + " row " + j + ": " + got + " vs RK4 " + f[n + j]);
                }
            }
        }
    }

    private static double[] rk4(Matrix theta, Matrix y, double rate, double time, int n, int steps) {
        int rows = theta.rows();
        double[] f = new double[rows];
        double h = time / steps;
        for (int s = 0; s < steps; s++) {
            double[] k1 = deriv(theta, y, rate, f, n);
            double[] k2 = deriv(theta, y, rate, axpy(f, h / 2, k1), n);
            double[] k3 = deriv(theta, y, rate, axpy(f, h / 2, k2), n);
            double[] k4 = deriv(theta, y, rate, axpy(f, h, k3), n);
            for (int i = 0; i < rows; i++) {
                f[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            }
        }
        return f;
    }

    private static double[] axpy(double[] f, double a, double[] d) {
        double[] out = f.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += a * d[i];
        }
        return out;
    }

    private static double[] deriv(Matrix theta, Matrix y, double rate, double[] f, int n) {
        double[] d = new double[theta.rows()];
        for (int i = 0; i < theta.rows(); i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += theta.get(i, j) * (f[j] - y.get(j, 0));
            }
            d[i] = -rate * s;
        }
        return d;
    }
}
