package org.kernels4j.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/** The RVM's fixed point checked from its outputs by the EM form of the update and dense linear algebra. */
class RelevanceVectorMachineTest {
    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.5)");

    private static Matrix sincData(int n, long seed, double[] t, double noise) {
        Matrix x = new Matrix(n, 1);
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            double v = -8 + 16.0 * i / (n - 1);
            x.set(i, 0, v);
            t[i] = Math.sin(v) / v + noise * r.nextGaussian();
        }
        return x;
    }

    @Test
    void regressionIsAFixedPointOfTheEvidenceUpdates() {
        int n = 30;
        double[] t = new double[n];
        Matrix x = sincData(n, 1, t, 0.1);
        RelevanceVectorModel m = RelevanceVectorMachine.regression(RBF).tolerance(1e-10).maxIterations(20000).build()
                .fitRegression(x, Matrix.column(t));
        assertTrue(m.report().flag("converged"));
        int[] rows = m.relevanceRows();
        int k = rows.length;
        assertTrue(k >= 2 && k < n / 2, "sparse: " + k + " relevance vectors of " + n);
        Matrix phi = new Matrix(n, k);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                phi.set(i, j, RBF.value(x.row(i), x.row(rows[j])));
            }
        }
        Matrix mu = m.weights();
        Matrix sigma = m.covariance();
        double beta = 1 / m.noiseVariance();
        // at a fixed point of α_i ← γ_i/μ_i², with γ_i = 1 − α_iΣ_ii, α_i = 1/(μ_i² + Σ_ii) (the EM form)
        double[] alpha = new double[k];
        for (int j = 0; j < k; j++) {
            alpha[j] = 1 / (mu.get(j, 0) * mu.get(j, 0) + sigma.get(j, j));
        }
        // Σ must be (βΦᵀΦ + A)⁻¹, computed here by eigendecomposition
        Matrix h = TestData.naiveProduct(phi.transpose(), phi);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                h.set(a, b, beta * h.get(a, b) + (a == b ? alpha[a] : 0));
            }
        }
        Matrix inv = TestData.inverseByEigen(h, new double[1]);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                assertEquals(inv.get(a, b), sigma.get(a, b), 1e-6 * (Math.abs(inv.get(a, a)) + 1e-12));
            }
        }
        // μ = βΣΦᵀt
        double[] phit = TestData.naiveProduct(phi.transpose(), Matrix.column(t)).column(0);
        double gammaSum = 0;
        for (int a = 0; a < k; a++) {
            double s = 0;
            for (int b = 0; b < k; b++) {
                s += inv.get(a, b) * phit[b];
            }
            assertEquals(beta * s, mu.get(a, 0), 1e-6 * (Math.abs(mu.get(a, 0)) + 1e-3));
            gammaSum += 1 - alpha[a] * inv.get(a, a);
        }
        // 1/β = ‖t − Φμ‖² / (n − Σγ)
        Matrix fit = TestData.naiveProduct(phi, mu);
        double rss = 0;
        for (int i = 0; i < n; i++) {
            rss += (t[i] - fit.get(i, 0)) * (t[i] - fit.get(i, 0));
        }
        assertEquals(rss / (n - gammaSum), m.noiseVariance(), 1e-6 * m.noiseVariance());
        // and the model predicts Φμ with variance σ² + φᵀΣφ
        assertEquals(0, m.predict(x).maxAbsDifference(fit), 1e-10);
        Matrix pv = m.predictiveVariance(x.rowRange(0, 3));
        for (int i = 0; i < 3; i++) {
            double s = 0;
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    s += phi.get(i, a) * sigma.get(a, b) * phi.get(i, b);
                }
            }
            assertEquals(m.noiseVariance() + s, pv.get(i, 0), 1e-12);
        }
    }

    @Test
    void regressionRecoversSincWithFewVectors() {
        int n = 100;
        double[] t = new double[n];
        Matrix x = sincData(n, 2, t, 0.1);
        RelevanceVectorModel m = RelevanceVectorMachine.regression(KernelSpec.parse("rbf(gamma=0.3)")).build()
                .fitRegression(x, Matrix.column(t));
        Matrix f = m.predict(x);
        double err = 0;
        for (int i = 0; i < n; i++) {
            double v = x.get(i, 0);
            err += Math.pow(f.get(i, 0) - Math.sin(v) / v, 2);
        }
        double rmse = Math.sqrt(err / n);
        assertTrue(rmse < 0.06, "rmse against the noise-free sinc " + rmse);
        assertTrue(m.relevanceRows().length < 20, m.relevanceRows().length + " relevance vectors");
        assertEquals(0.01, m.noiseVariance(), 0.006, "the noise variance is estimated");
    }

    @Test
    void classificationModeIsStationaryAndItsCovarianceTheInverseHessian() {
        Matrix x = TestData.gaussian(40, 2, 1, 3);
        double[] t = new double[40];
        for (int i = 0; i < 40; i++) {
            t[i] = x.get(i, 0) + 0.5 * x.get(i, 1) > 0.2 ? 1 : 0;
        }
        Matrix k = org.kernels4j.gram.GramEngine.gram(RBF, x);
        RelevanceVectorMachine rvm = RelevanceVectorMachine.classifier(RBF).tolerance(1e-9).maxIterations(5000).build();
        RelevanceVectorMachine.Solution s = rvm.classify(k, t);
        assertTrue(s.converged());
        int m = s.active().length;
        assertTrue(m < 20, m + " relevance vectors");
        double[] w = s.mean();
        double[] g = new double[m];
        Matrix h = new Matrix(m, m);
        for (int i = 0; i < 40; i++) {
            double f = 0;
            for (int a = 0; a < m; a++) {
                f += k.get(i, s.active()[a]) * w[a];
            }
            double p = 1 / (1 + Math.exp(-f));
            for (int a = 0; a < m; a++) {
                g[a] += k.get(i, s.active()[a]) * (t[i] - p);
                for (int b = 0; b < m; b++) {
                    h.set(a, b, h.get(a, b) + p * (1 - p) * k.get(i, s.active()[a]) * k.get(i, s.active()[b]));
                }
            }
        }
        for (int a = 0; a < m; a++) {
            assertEquals(s.alpha()[a] * w[a], g[a], 1e-6 * (1 + Math.abs(g[a])), "the gradient vanishes at the mode");
            h.set(a, a, h.get(a, a) + s.alpha()[a]);
        }
        Matrix inv = TestData.inverseByEigen(h, new double[1]);
        for (int a = 0; a < m; a++) {
            assertEquals(inv.get(a, a), s.covariance().get(a, a), 1e-8 * inv.get(a, a));
            // α is at its fixed point γ/μ²
            double gamma = 1 - s.alpha()[a] * inv.get(a, a);
            assertEquals(gamma / (w[a] * w[a]), s.alpha()[a], 1e-6 * s.alpha()[a]);
        }
    }

    @Test
    void multiclassProbabilitiesSumToOneAndPredictTheMostProbable() {
        Matrix x = TestData.gaussian(60, 2, 1, 4);
        Matrix y = new Matrix(60, 1);
        for (int i = 0; i < 60; i++) {
            double s = x.get(i, 0);
            y.set(i, 0, s < -0.4 ? 3 : s < 0.4 ? 6 : 8);
        }
        RelevanceVectorClassifierModel m = RelevanceVectorMachine.classifier(RBF).maxIterations(30).build()
                .fitClassifier(x, y);
        assertArrayEquals(new double[] {3, 6, 8}, m.classes());
        Matrix p = m.probabilities(x);
        Matrix f = m.decisionValues(x);
        Matrix labels = m.predict(x);
        int correct = 0;
        for (int i = 0; i < 60; i++) {
            double sum = 0;
            double norm = 0;
            for (int c = 0; c < 3; c++) {
                norm += 1 / (1 + Math.exp(-f.get(i, c)));
            }
            int best = 0;
            for (int c = 0; c < 3; c++) {
                sum += p.get(i, c);
                assertEquals(1 / (1 + Math.exp(-f.get(i, c))) / norm, p.get(i, c), 1e-12);
                best = p.get(i, c) > p.get(i, best) ? c : best;
            }
            assertEquals(1, sum, 1e-12);
            assertEquals(m.classes()[best], labels.get(i, 0));
            correct += labels.get(i, 0) == y.get(i, 0) ? 1 : 0;
        }
        assertTrue(correct >= 50, correct + "/60 training rows right");
    }

    @Test
    void badInputHasClearMessages() {
        Matrix x = TestData.gaussian(10, 1, 1, 5);
        Matrix one = new Matrix(10, 1);
        var e = assertThrows(Kernels4jException.class,
                () -> RelevanceVectorMachine.classifier(RBF).build().fitClassifier(x, one));
        assertTrue(e.getMessage().contains("at least two classes, but every label is 0.0"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> RelevanceVectorMachine.regression(RBF).build().fitRegression(x, new Matrix(10, 2)));
        assertTrue(e.getMessage().contains("one target column, got 2"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> RelevanceVectorMachine.regression(RBF).maxIterations(0).build());
        assertTrue(e.getMessage().contains("max iterations must be >= 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> RelevanceVectorMachine.regression(RBF).tolerance(-1).build());
        assertTrue(e.getMessage().contains("tolerance must be a positive"), e.getMessage());
    }
}
