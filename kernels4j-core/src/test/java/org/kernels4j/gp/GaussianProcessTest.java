package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

class GaussianProcessTest {
    private static final Kernel K = KernelSpec.parse("1.5*matern(nu=2.5, length=0.8)");

    private static Matrix inverse(Matrix a, double[] logDet) {
        return TestData.inverseByEigen(a, logDet);
    }

    @Test
    void logMarginalLikelihoodMeanAndVarianceMatchTheTextbookFormulas() {
        Matrix x = TestData.gaussian(40, 2, 1, 1);
        Matrix y = new Matrix(40, 2);
        for (int i = 0; i < 40; i++) {
            y.set(i, 0, Math.sin(2 * x.get(i, 0)) + 0.1 * x.get(i, 1));
            y.set(i, 1, x.get(i, 0) * x.get(i, 1));
        }
        Matrix xt = TestData.gaussian(7, 2, 1, 2);
        double noise = 0.05;
        Matrix a = GramEngine.gram(K, x);
        for (int i = 0; i < 40; i++) {
            a.set(i, i, a.get(i, i) + noise);
        }
        double[] logDet = new double[1];
        Matrix inv = inverse(a, logDet);
        double lml = 0;
        for (int o = 0; o < 2; o++) {
            double quad = 0;
            for (int i = 0; i < 40; i++) {
                for (int j = 0; j < 40; j++) {
                    quad += y.get(i, o) * inv.get(i, j) * y.get(j, o);
                }
            }
            lml += -0.5 * quad - 0.5 * logDet[0] - 20 * Math.log(2 * Math.PI);
        }
        Matrix ks = GramEngine.cross(K, xt, x);
        Matrix mean = ks.times(inv).times(y);
        Matrix cov = GramEngine.gram(K, xt);
        Matrix reduce = ks.times(inv).times(ks.transpose());
        {
GaussianProcessModel m = GaussianProcess.builder(K).noise(noise).normalizeTargets(false).build().fit(x, y);
            assertEquals(lml, m.logMarginalLikelihood(), 1e-9 * Math.abs(lml));
            assertEquals(0.0, m.predict(xt).maxAbsDifference(mean), 1e-9);
            double[] var = m.variance(xt, 0);
            Matrix fullCov = m.covariance(xt, 1);
            for (int i = 0; i < 7; i++) {
                assertEquals(cov.get(i, i) - reduce.get(i, i), var[i], 1e-9);
                for (int j = 0; j < 7; j++) {
                    assertEquals(cov.get(i, j) - reduce.get(i, j), fullCov.get(i, j), 1e-9);
                }
            }
        }
    }

    @Test
    void withoutNoiseTheMeanInterpolatesAndNormalizationMapsBack() {
        Matrix x = TestData.gaussian(25, 3, 1, 3);
        Matrix y = new Matrix(25, 1);
        for (int i = 0; i < 25; i++) {
            y.set(i, 0, 100 + 20 * Math.cos(x.get(i, 0)));
        }
        {
GaussianProcessModel m = GaussianProcess.builder(K).noise(0).normalizeTargets(false).build().fit(x, y);
            assertEquals(0.0, m.predict(x).maxAbsDifference(y), 1e-6);
            for (double v : m.variance(x, 0)) {
                assertEquals(0.0, v, 1e-6);
            }
        }
        // normalize_y: fit on (y − mean)/sd, predict mean·sd + mean, variance·sd²
        double mu = 0;
        for (double v : y.data()) {
            mu += v / 25;
        }
        double ss = 0;
        for (double v : y.data()) {
            ss += (v - mu) * (v - mu) / 25;
        }
        double sd = Math.sqrt(ss);
        Matrix yn = y.copy();
        for (int i = 0; i < 25; i++) {
            yn.set(i, 0, (y.get(i, 0) - mu) / sd);
        }
        Matrix xt = TestData.gaussian(5, 3, 1, 4);
        {
GaussianProcessModel norm = GaussianProcess.builder(K).noise(0.1).normalizeTargets(true).build().fit(x, y); GaussianProcessModel manual = GaussianProcess.builder(K).noise(0.1).normalizeTargets(false).build().fit(x, yn);
            assertEquals(manual.logMarginalLikelihood(), norm.logMarginalLikelihood(), 1e-9);
            Matrix a = norm.predict(xt);
            Matrix b = manual.predict(xt);
            double[] va = norm.variance(xt, 0);
            double[] vb = manual.variance(xt, 0);
            for (int i = 0; i < 5; i++) {
                assertEquals(b.get(i, 0) * sd + mu, a.get(i, 0), 1e-9);
                assertEquals(vb[i] * sd * sd, va[i], 1e-9);
            }
        }
    }

    @Test
    void posteriorAndPriorSamplesHaveTheRightMomentsWithinMonteCarloError() {
        Matrix x = TestData.gaussian(15, 1, 1, 5);
        Matrix y = new Matrix(15, 1);
        for (int i = 0; i < 15; i++) {
            y.set(i, 0, Math.sin(3 * x.get(i, 0)));
        }
        Matrix xt = Matrix.of(new double[][] {{0.1}, {0.5}, {2.5}});
        int draws = 20000;
        {
GaussianProcessModel m = GaussianProcess.builder(K).noise(0.01).normalizeTargets(false).build().fit(x, y);
            Matrix mean = m.predict(xt);
            Matrix cov = m.covariance(xt, 0);
            Matrix s = m.samplePosterior(xt, 0, draws, 6);
            Matrix prior = m.samplePrior(xt, draws, 7);
            Matrix priorCov = GramEngine.gram(K, xt);
            for (int i = 0; i < 3; i++) {
                double sum = 0;
                double psum = 0;
                for (int d = 0; d < draws; d++) {
                    sum += s.get(i, d);
                    psum += prior.get(i, d);
                }
                double se = Math.sqrt(cov.get(i, i) / draws);
                assertEquals(mean.get(i, 0), sum / draws, 4 * se + 1e-6, "posterior mean " + i);
                assertEquals(0.0, psum / draws, 4 * Math.sqrt(priorCov.get(i, i) / draws), "prior mean " + i);
                for (int j = 0; j <= i; j++) {
                    double c = 0;
                    double pc = 0;
                    for (int d = 0; d < draws; d++) {
                        c += (s.get(i, d) - mean.get(i, 0)) * (s.get(j, d) - mean.get(j, 0));
                        pc += prior.get(i, d) * prior.get(j, d);
                    }
                    // var of a product of Gaussians ≤ (σ_i²σ_j² + c_ij²) ≤ 2σ_i²σ_j²
                    double tol = 4 * Math.sqrt(2 * cov.get(i, i) * cov.get(j, j) / draws) + 1e-6;
                    assertEquals(cov.get(i, j), c / draws, tol, "posterior cov " + i + "," + j);
                    double ptol = 4 * Math.sqrt(2 * priorCov.get(i, i) * priorCov.get(j, j) / draws);
                    assertEquals(priorCov.get(i, j), pc / draws, ptol, "prior cov " + i + "," + j);
                }
            }
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(Kernels4jException.class, () -> GaussianProcess.builder(K).noise(-1).normalizeTargets(false).build());
        assertThrows(Kernels4jException.class,
                () -> GaussianProcess.builder(K).noise(0.1).normalizeTargets(false).build().fit(new Matrix(3, 1), new Matrix(2, 1)));
    }
}
