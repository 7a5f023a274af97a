package org.kernels4j.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.TestData;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

class NtkPredictorTest {
    private static final NeuralKernel NET = NeuralKernel.ntk(2, Activation.relu(), 2, 0.1);

    @Test
    void infiniteTimeMeanIsKernelRidgeWithTheNtk() {
        Matrix x = TestData.gaussian(30, 4, 1, 1);
        Matrix y = TestData.gaussian(30, 2, 1, 2);
        Matrix xt = TestData.gaussian(7, 4, 1, 3);
        double reg = 1e-3;
        NtkPredictor.Gaussian g = NtkPredictor.builder(NET).learningRate(1.0).regularizer(reg, true).build().fit(x, y)
                .predict(xt, new double[] {Double.POSITIVE_INFINITY}, false).get(0);
        Matrix krr = KernelRidge.builder(NET).lambda(reg).build().fit(x, y).predict(xt);
        assertTrue(g.mean().maxAbsDifference(krr) < 1e-8, "difference " + g.mean().maxAbsDifference(krr));
    }

    @Test
    void atTimeZeroTheEnsembleIsTheNngpPrior() {
        Matrix x = TestData.gaussian(20, 3, 1, 4);
        Matrix y = TestData.gaussian(20, 1, 1, 5);
        Matrix xt = TestData.gaussian(6, 3, 1, 6);
        NtkPredictor.Gaussian g = NtkPredictor.builder(NET).learningRate(0.5).regularizer(0, true).build().fit(x, y).predict(xt, new double[] {0}, true)
                .get(0);
        for (double v : g.mean().data()) {
            assertEquals(0.0, v, 1e-14);
        }
        Matrix prior = GramEngine.gram(NET.withKind(NeuralKernel.Kind.NNGP), xt);
        assertTrue(g.covariance().maxAbsDifference(prior) < 1e-12);
    }

    /**
     * Independent route: the ensemble at time t is the linear ODE df/dt = −(η/N)·Θ(·, X)(f(X) − Y)
     * applied to f₀ ~ GP(0, K). Integrating it with small explicit steps gives f_t = M·f₀ + c on the
     * joint (train, test) points; then mean = c and covariance = M·K_joint·Mᵀ.
     */
    @Test
    void finiteTimeMeanAndCovarianceMatchDirectIntegrationOfTheTrainingOde() {
        int n = 8;
        int m = 4;
        Matrix x = TestData.gaussian(n, 3, 1, 7);
        Matrix y = TestData.gaussian(n, 1, 1, 8);
        Matrix xt = TestData.gaussian(m, 3, 1, 9);
        double eta = 2.0;
        double time = 3.0;
        NtkPredictor.Gaussian g = NtkPredictor.builder(NET).learningRate(eta).regularizer(0, true).build().fit(x, y)
                .predict(xt, new double[] {time}, true).get(0);

        Matrix all = new Matrix(n + m, 3);
        for (int i = 0; i < n + m; i++) {
            for (int f = 0; f < 3; f++) {
                all.set(i, f, i < n ? x.get(i, f) : xt.get(i - n, f));
            }
        }
        Matrix theta = GramEngine.gram(NET, all); // rows: all points, columns: training points used
        Matrix kJoint = GramEngine.gram(NET.withKind(NeuralKernel.Kind.NNGP), all);
        int steps = 200_000;
        double dt = time / steps;
        double rate = eta / n;
        // state: columns 0..n+m-1 carry M (how f_t depends on f₀), column n+m carries c
        int cols = n + m + 1;
        double[][] s = new double[n + m][cols];
        for (int i = 0; i < n + m; i++) {
            s[i][i] = 1;
        }
        double[] resid = new double[cols];
        for (int step = 0; step < steps; step++) {
            double[][] r = new double[n][cols];
            for (int j = 0; j < n; j++) {
                System.arraycopy(s[j], 0, r[j], 0, cols);
                r[j][n + m] -= y.get(j, 0);
            }
            for (int i = 0; i < n + m; i++) {
                java.util.Arrays.fill(resid, 0);
                for (int j = 0; j < n; j++) {
                    double th = theta.get(i, j);
                    for (int c = 0; c < cols; c++) {
                        resid[c] += th * r[j][c];
                    }
                }
                for (int c = 0; c < cols; c++) {
                    s[i][c] -= dt * rate * resid[c];
                }
            }
        }
        for (int i = 0; i < m; i++) {
            assertEquals(s[n + i][n + m], g.mean().get(i, 0), 2e-4 * Math.max(1, Math.abs(g.mean().get(i, 0))));
            for (int j = 0; j < m; j++) {
                double cov = 0;
                for (int a = 0; a < n + m; a++) {
                    for (int b = 0; b < n + m; b++) {
                        cov += s[n + i][a] * kJoint.get(a, b) * s[n + j][b];
                    }
                }
                assertEquals(cov, g.covariance().get(i, j), 2e-4 * Math.max(1, Math.abs(cov)));
            }
        }
    }

    @Test
    void covariancesAreSymmetricPositiveSemiDefiniteAtEveryTime() {
        Matrix x = TestData.gaussian(25, 3, 1, 10);
        Matrix y = TestData.gaussian(25, 1, 1, 11);
        Matrix xt = TestData.gaussian(12, 3, 1, 12);
        List<NtkPredictor.Gaussian> gs = NtkPredictor.builder(NET).learningRate(1).regularizer(1e-4, false).build().fit(x, y)
                .predict(xt, new double[] {0.1, 10, 1000, Double.POSITIVE_INFINITY}, true);
        for (NtkPredictor.Gaussian g : gs) {
            Matrix c = g.covariance();
            double trace = 0;
            for (int i = 0; i < 12; i++) {
                trace += c.get(i, i);
                for (int j = 0; j < 12; j++) {
                    assertEquals(c.get(i, j), c.get(j, i), 0.0);
                }
            }
            assertTrue(SymmetricEigen.of(c).value(0) >= -1e-9 * trace, "t=" + g.time());
        }
        NtkPredictor.Gaussian post = NtkPredictor.builder(NET).learningRate(1).regularizer(1e-4, false).build().fit(x, y).nngpPosterior(xt, true);
        assertTrue(SymmetricEigen.of(post.covariance()).value(0) >= -1e-9);
    }
}
