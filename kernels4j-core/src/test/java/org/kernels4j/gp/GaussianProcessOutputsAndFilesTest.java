package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.ModelState;

/**
 * Several outputs with different target scales against the textbook formulas with an explicit inverse,
 * model files (predictions equal after encode/decode), the restart points of the hyperparameter search,
 * the sparse GP's fixed inducing inputs and noise-inclusive variance, and the GP classifier's
 * one-vs-rest combination against separately fitted binary classifiers.
 */
class GaussianProcessOutputsAndFilesTest {
    private static final Kernel K = KernelSpec.parse("1.3*matern(nu=2.5, length=0.9)");

    /**
     * Two outputs whose spreads differ by a factor 40, normalized: with ŷ_o = (y_o − mean_o)/sd_o
     * (population sd), mean_o(X*) = K*A⁻¹ŷ_o·sd_o + mean_o, var_o = (k** − K*A⁻¹K*ᵀ)·sd_o², cov_o the
     * same full matrix times sd_o², log p = Σ_o (−½ŷ_oᵀA⁻¹ŷ_o − ½log det A − (n/2)log 2π), all from
     * A⁻¹ by eigendecomposition; to 1e−9 relative (rounding of two different O(n³) routes on a
     * well-conditioned A). The kernel-ridge form of the mean predicts the same.
     */
    @Test
    void eachOutputKeepsItsOwnScale() {
        int n = 35;
        Matrix x = TestData.gaussian(n, 2, 1, 301);
        Matrix y = new Matrix(n, 2);
        for (int i = 0; i < n; i++) {
            y.set(i, 0, Math.sin(2 * x.get(i, 0)) + 0.2 * x.get(i, 1) - 3);
            y.set(i, 1, 40 * Math.cos(x.get(i, 1)) + 25 * x.get(i, 0) + 500);
        }
        double noise = 0.03;
        Matrix xt = TestData.gaussian(6, 2, 1, 302);
        Matrix a = GramEngine.gram(K, x);
        for (int i = 0; i < n; i++) {
            a.set(i, i, a.get(i, i) + noise);
        }
        double[] logDet = new double[1];
        Matrix inv = TestData.inverseByEigen(a, logDet);
        Matrix ks = GramEngine.cross(K, xt, x);
        Matrix reduce = ks.times(inv).times(ks.transpose());
        Matrix prior = GramEngine.gram(K, xt);
        GaussianProcessModel m = GaussianProcess.builder(K).noise(noise).normalizeTargets(true).build().fit(x, y);
        Matrix mean = m.predict(xt);
        Matrix var = m.predictiveVariance(xt);
        Matrix ridge = m.toKernelRidgeModel().predict(xt);
        double lml = 0;
        for (int o = 0; o < 2; o++) {
            double mu = 0;
            for (int i = 0; i < n; i++) {
                mu += y.get(i, o) / n;
            }
            double ss = 0;
            for (int i = 0; i < n; i++) {
                ss += (y.get(i, o) - mu) * (y.get(i, o) - mu) / n;
            }
            double sd = Math.sqrt(ss);
            double[] yn = new double[n];
            for (int i = 0; i < n; i++) {
                yn[i] = (y.get(i, o) - mu) / sd;
            }
            double quad = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    quad += yn[i] * inv.get(i, j) * yn[j];
                }
            }
            lml += -0.5 * quad - 0.5 * logDet[0] - 0.5 * n * Math.log(2 * Math.PI);
            Matrix cov = m.covariance(xt, o);
            double[] v = m.variance(xt, o);
            for (int s = 0; s < 6; s++) {
                double want = 0;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        want += ks.get(s, i) * inv.get(i, j) * yn[j];
                    }
                }
                want = want * sd + mu;
                assertEquals(want, mean.get(s, o), 1e-9 * Math.max(1, Math.abs(want)), "mean " + s + ", output " + o);
                assertEquals(want, ridge.get(s, o), 1e-9 * Math.max(1, Math.abs(want)), "ridge " + s + ", output " + o);
                double latent = (prior.get(s, s) - reduce.get(s, s)) * sd * sd;
                assertEquals(latent, var.get(s, o), 1e-9 * sd * sd, "variance " + s + ", output " + o);
                assertEquals(latent, v[s], 1e-9 * sd * sd);
                for (int t = 0; t < 6; t++) {
                    assertEquals((prior.get(s, t) - reduce.get(s, t)) * sd * sd, cov.get(s, t), 1e-9 * sd * sd);
                }
            }
        }
        assertEquals(lml, m.logMarginalLikelihood(), 1e-9 * Math.abs(lml));
        assertEquals(2, m.outputs());
        // posterior draws of output 1 centre on its own mean (Monte-Carlo, 5 standard errors)
        int draws = 4000;
        Matrix s1 = m.samplePosterior(xt, 1, draws, 303);
        for (int s = 0; s < 6; s++) {
            double sum = 0;
            for (int d = 0; d < draws; d++) {
                sum += s1.get(s, d);
            }
            assertEquals(mean.get(s, 1), sum / draws, 5 * Math.sqrt(var.get(s, 1) / draws) + 1e-9, "draws " + s);
        }
        assertThrows(Kernels4jException.class, () -> m.variance(xt, 2));
        assertThrows(Kernels4jException.class, () -> m.covariance(xt, -1));
        assertThrows(Kernels4jException.class, () -> m.variance(xt, -1));
    }

    /** A constant target column is kept at scale 1 (not divided by a zero spread): the mean is that constant. */
    @Test
    void aConstantTargetIsPredictedExactly() {
        Matrix x = TestData.gaussian(20, 1, 1, 311);
        Matrix y = new Matrix(20, 2);
        for (int i = 0; i < 20; i++) {
            y.set(i, 0, 7.5);
            y.set(i, 1, x.get(i, 0));
        }
        GaussianProcessModel m = GaussianProcess.builder(K).noise(0.01).normalizeTargets(true).build().fit(x, y);
        assertEquals(1.0, m.targetScales()[0], 0);
        assertEquals(7.5, m.targetShifts()[0], 1e-12);
        Matrix p = m.predict(TestData.gaussian(4, 1, 2, 312));
        for (int i = 0; i < 4; i++) {
            assertEquals(7.5, p.get(i, 0), 1e-12);
        }
    }

    private static <T> T roundTrip(T m) {
        ModelState s = ModelCodecs.encode((org.kernels4j.model.Model) m);
        @SuppressWarnings("unchecked")
        T back = (T) ModelCodecs.decode(ModelState.of(s.kind(), s.fields(), s.arrays()));
        return back;
    }

    /**
     * gp, sgpr and gpc files: means, variances and probabilities equal after encode/decode (a gp file
     * without its stored factor is refactored: equal to rounding, 1e−12); the log marginal likelihood
     * and the bound travel too.
     */
    @Test
    void modelsSurviveTheirCodecs() {
        Matrix x = TestData.gaussian(40, 2, 1, 321);
        Matrix q = TestData.gaussian(8, 2, 1.5, 322);
        Matrix y = new Matrix(40, 2);
        double[] labels = new double[40];
        for (int i = 0; i < 40; i++) {
            y.set(i, 0, Math.sin(x.get(i, 0)) + 4);
            y.set(i, 1, 10 * x.get(i, 1));
            labels[i] = x.get(i, 0) > 0.5 ? 2 : x.get(i, 1) > 0 ? 1 : 0;
        }
        GaussianProcessModel gp = GaussianProcess.builder(K).noise(0.02).normalizeTargets(true).build().fit(x, y);
        GaussianProcessModel gpBack = roundTrip(gp);
        assertEquals(0.0, gpBack.predict(q).maxAbsDifference(gp.predict(q)), 1e-12);
        assertEquals(0.0, gpBack.predictiveVariance(q).maxAbsDifference(gp.predictiveVariance(q)), 0);
        assertEquals(gp.logMarginalLikelihood(), gpBack.logMarginalLikelihood(), 0);
        assertEquals(gp.noise(), gpBack.noise(), 0);
        ModelState state = ModelCodecs.encode(gp);
        java.util.Map<String, Matrix> arrays = new java.util.LinkedHashMap<>(state.arrays());
        arrays.remove("cholesky");
        GaussianProcessModel old = (GaussianProcessModel) ModelCodecs.decode(ModelState.of("gp", state.fields(), arrays));
        assertEquals(0.0, old.predictiveVariance(q).maxAbsDifference(gp.predictiveVariance(q)), 1e-12);
        assertEquals(0.0, old.choleskyFactor().maxAbsDifference(gp.choleskyFactor()), 1e-12);

        SparseGaussianProcessModel sgp = SparseGaussianProcess.builder(KernelSpec.parse("1*rbf(length=1) + white(noise=0.1)"))
                .inducing(10).seed(4).normalizeTargets(true).build().fit(x, y);
        SparseGaussianProcessModel sgpBack = roundTrip(sgp);
        assertEquals(0.0, sgpBack.predict(q).maxAbsDifference(sgp.predict(q)), 0);
        assertEquals(0.0, sgpBack.predictiveVariance(q).maxAbsDifference(sgp.predictiveVariance(q)), 0);
        assertEquals(sgp.bound(), sgpBack.bound(), 0);
        assertEquals(sgp.kernel(), sgpBack.kernel());

        GaussianProcessClassifierModel gpc = GaussianProcessClassifier.builder(KernelSpec.parse("2*rbf(length=1)"))
                .build().fit(x, Matrix.column(labels));
        GaussianProcessClassifierModel gpcBack = roundTrip(gpc);
        assertEquals(0.0, gpcBack.probabilities(q).maxAbsDifference(gpc.probabilities(q)), 0);
        assertEquals(gpc.logMarginalLikelihood(), gpcBack.logMarginalLikelihood(), 0);
        for (int c = 0; c < 3; c++) {
            assertEquals(gpc.iterations(c), gpcBack.iterations(c));
            assertArrayEquals(gpc.mode(c), gpcBack.mode(c), 0);
        }
    }

    /**
     * Restarts: the first run starts at the kernel's own values, the others log-uniformly inside the
     * bounds that apply (narrowed by name here), a fixed parameter never moves, every optimum stays in
     * its bounds, and the result is the best run, whose evidence is the GP's evidence recomputed there.
     */
    @Test
    void restartPointsRespectBoundsAndFixedParameters() {
        Matrix x = TestData.gaussian(30, 1, 2.0, 331);
        Matrix y = new Matrix(30, 1);
        for (int i = 0; i < 30; i++) {
            y.set(i, 0, Math.sin(1.5 * x.get(i, 0)) + 0.1 * Math.cos(7 * i));
        }
        Kernel k = KernelSpec.parse("2*rbf(length=1.5) + white(noise=0.2)");
        List<String> names = k.hyperparameters().stream().map(Hyperparameter::name).toList();
        int len = names.indexOf("rbf.length");
        int noise = names.indexOf("white.noise");
        int scale = 3 - len - noise; // the signal variance, the third of the three
        GaussianProcess gp = GaussianProcess.builder(k).noise(1e-8).build();
        HyperparameterSearch.Result r = gp.optimize(x, y, HyperparameterSearch.builder().restarts(5).seed(9)
                .bound("rbf.length", 0.3, 3).fix("white.noise").maxIterations(10).build());
        assertEquals(6, r.starts().size());
        double[] own = k.hyperparameters().stream().mapToDouble(Hyperparameter::value).toArray();
        assertArrayEquals(own, r.starts().get(0).initial(), 1e-12);
        java.util.Set<Double> distinct = new java.util.HashSet<>();
        for (HyperparameterSearch.Start s : r.starts()) {
            for (double[] theta : new double[][] {s.initial(), s.optimum()}) {
                assertTrue(theta[len] >= 0.3 * (1 - 1e-12) && theta[len] <= 3 * (1 + 1e-12), "length " + theta[len]);
                assertTrue(theta[scale] >= 1e-5 && theta[scale] <= 1e5, "scale " + theta[scale]);
                assertEquals(0.2, theta[noise], 0, "the fixed noise");
            }
            distinct.add(s.initial()[len]);
            assertTrue(s.evidence() <= r.evidence());
        }
        assertEquals(6, distinct.size(), "each restart has its own start");
        assertEquals(r.starts().get(r.best()).evidence(), r.evidence(), 0);
        assertArrayEquals(r.starts().get(r.best()).optimum(),
                r.kernel().hyperparameters().stream().mapToDouble(Hyperparameter::value).toArray(), 0);
        assertEquals(gp.withKernel(r.kernel()).evidence(x, y).value(), r.evidence(), 1e-9 * Math.abs(r.evidence()));
        assertEquals(List.of(0.3, 3.0), List.of(r.hyperparameters().get(len).lower(), r.hyperparameters().get(len).upper()));
        assertEquals(java.util.Set.of("white.noise"), r.fixed());
        // the log-uniform draws spread over the whole (log) interval: some in each half
        long low = distinct.stream().filter(v -> v < Math.sqrt(0.3 * 3)).count();
        assertTrue(low >= 1 && low <= 5, "starts below the geometric midpoint: " + low);
    }

    /**
     * With a search in the builder, fit learns first: the model's kernel is the search's (the same search
     * run by hand), its log marginal likelihood is the evidence there, and the report names the search;
     * the sparse GP likewise keeps its search.
     */
    @Test
    void fitWithASearchUsesTheLearnedKernel() {
        Matrix x = TestData.gaussian(25, 1, 1.5, 361);
        Matrix y = new Matrix(25, 1);
        for (int i = 0; i < 25; i++) {
            y.set(i, 0, Math.sin(2 * x.get(i, 0)) + 0.05 * Math.cos(13 * i));
        }
        Kernel k = KernelSpec.parse("1*rbf(length=3) + white(noise=0.3)");
        HyperparameterSearch search = HyperparameterSearch.builder().maxIterations(8).build();
        HyperparameterSearch.Result byHand = GaussianProcess.builder(k).build().optimize(x, y, search);
        GaussianProcessModel m = GaussianProcess.builder(k).optimize(search).build().fit(x, y);
        assertEquals(byHand.kernel(), m.kernel());
        assertEquals(byHand.evidence(), m.logMarginalLikelihood(), 1e-9 * Math.abs(byHand.evidence()));
        assertEquals(byHand.kernel(), m.search().kernel());
        assertTrue(m.report().text("search").startsWith("Result["), m.report().text("search"));
        SparseGaussianProcessModel sm = SparseGaussianProcess.builder(k).inducing(5).optimize(search).build().fit(x, y);
        assertTrue(sm.search() != null);
        assertEquals(sm.search().kernel(), sm.kernel());
        assertEquals(sm.search().evidence(), sm.bound(), 1e-9 * Math.abs(sm.bound()));
    }

    /**
     * Inducing inputs stay where the sampler put them when their optimization is off or the signal is
     * not stationary; the predictive variance is the latent one plus σ²·scale².
     */
    @Test
    void sparseInducingInputsAndNoiseInTheVariance() {
        Matrix x = TestData.gaussian(50, 1, 2.0, 341);
        Matrix y = new Matrix(50, 1);
        for (int i = 0; i < 50; i++) {
            y.set(i, 0, 3 * Math.sin(x.get(i, 0)) + 0.2 * Math.cos(11 * i));
        }
        HyperparameterSearch search = HyperparameterSearch.builder().maxIterations(6).build();
        SparseGaussianProcess off = SparseGaussianProcess.builder(KernelSpec.parse("1*rbf(length=2) + white(noise=0.5)"))
                .inducing(6).seed(2).optimizeInducing(false).normalizeTargets(true).build();
        SparseGaussianProcessModel m = off.fit(x, y, search);
        assertEquals(0.0, m.inducingInputs().maxAbsDifference(off.initialInducing(x)), 0);
        assertTrue(m.search() != null && m.search().extra().length == 0);
        SparseGaussianProcess periodic = SparseGaussianProcess.builder(
                KernelSpec.parse("periodic(length=1, period=5) + white(noise=0.5)")).inducing(6).seed(2).build();
        assertEquals(0.0, periodic.fit(x, y, search).inducingInputs().maxAbsDifference(periodic.initialInducing(x)), 0);
        SparseGaussianProcess on = SparseGaussianProcess.builder(KernelSpec.parse("1*rbf(length=2) + white(noise=0.5)"))
                .inducing(6).seed(2).normalizeTargets(true).build();
        assertTrue(on.fit(x, y, search).inducingInputs().maxAbsDifference(on.initialInducing(x)) > 1e-3);
        // predictive variance = latent variance + σ²·sd² (sd the targets' population spread)
        double noise = m.kernel().hyperparameters().get(2).value();
        double sd = m.targetScales()[0];
        Matrix q = Matrix.column(-1, 0.5, 6);
        double[] latent = m.variance(q, 0);
        Matrix v = m.predictiveVariance(q);
        for (int i = 0; i < 3; i++) {
            assertEquals(latent[i] + noise * sd * sd, v.get(i, 0), 1e-12 * v.get(i, 0));
        }
        assertEquals(6, m.report().number("inducing"), 0);
        assertEquals(noise, m.report().number("noise"), 0);
    }

    /**
     * Three classes: class c's unnormalized probability is that of a binary classifier of c against
     * the rest (fitted here on 0/1 labels), and the model's probabilities are those divided by their
     * sum; the prediction is the most probable class.
     */
    @Test
    void oneVersusRestIsTheNormalizedBinaryProbabilities() {
        Matrix x = TestData.gaussian(45, 2, 1, 351);
        double[] labels = new double[45];
        for (int i = 0; i < 45; i++) {
            labels[i] = x.get(i, 0) > 0.3 ? 5 : x.get(i, 1) > 0 ? -1 : 2;
        }
        Kernel k = KernelSpec.parse("3*rbf(length=0.8)");
        GaussianProcessClassifierModel m = GaussianProcessClassifier.builder(k).build().fit(x, Matrix.column(labels));
        assertArrayEquals(new double[] {-1, 2, 5}, m.classes(), 0);
        Matrix q = TestData.gaussian(10, 2, 1.2, 352);
        double[][] raw = new double[3][];
        for (int c = 0; c < 3; c++) {
            double[] t = new double[45];
            for (int i = 0; i < 45; i++) {
                t[i] = labels[i] == m.classes()[c] ? 1 : 0;
            }
            GaussianProcessClassifierModel b = GaussianProcessClassifier.builder(k).build().fit(x, Matrix.column(t));
            raw[c] = b.probabilities(q).column(1);
            assertArrayEquals(b.mode(0), m.mode(c), 1e-12, "class " + c);
        }
        Matrix p = m.probabilities(q);
        double[] pred = m.predict(q).data();
        for (int j = 0; j < 10; j++) {
            double s = raw[0][j] + raw[1][j] + raw[2][j];
            int best = 0;
            for (int c = 0; c < 3; c++) {
                assertEquals(raw[c][j] / s, p.get(j, c), 1e-12, "row " + j + ", class " + c);
                best = raw[c][j] > raw[best][j] ? c : best;
            }
            assertEquals(m.classes()[best], pred[j], 0);
        }
        assertEquals(3, m.problems());
        assertThrows(Kernels4jException.class, () -> m.latent(q, 3));
        assertThrows(Kernels4jException.class, () -> m.latent(q, -1));
        assertThrows(Kernels4jException.class, () -> GaussianProcessClassifier.builder(k).maxIterations(0).build());
    }
}
