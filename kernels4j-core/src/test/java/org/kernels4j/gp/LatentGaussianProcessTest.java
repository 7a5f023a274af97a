package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.ModelState;

/**
 * The latent GP estimator and model: with a Gaussian likelihood every method is exact, so its predictions are
 * checked against the exact GP posterior computed here by an eigendecomposition of K + σ²I; Poisson predictions
 * against the log-normal mean; the codec by a round trip; the options by their messages.
 */
class LatentGaussianProcessTest {
    private static final Kernel K = KernelSpec.parse("1.3*rbf(length=0.7)");

    private static Matrix targets(Matrix x) {
        Matrix y = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            y.set(i, 0, Math.sin(2 * x.get(i, 0)) - 0.5 * x.get(i, 1) + 0.1 * Math.cos(7.0 * i));
        }
        return y;
    }

    @Test
    void gaussianLikelihoodGivesTheExactGpPosteriorForEveryMethod() {
        Matrix x = TestData.gaussian(12, 2, 1.0, 1);
        Matrix y = targets(x);
        double noise = 0.2;
        Matrix c = GramEngine.gram(K, x);
        for (int i = 0; i < 12; i++) {
            c.set(i, i, c.get(i, i) + noise);
        }
        double[] logDet = new double[1];
        Matrix inv = TestData.inverseByEigen(c, logDet);
        double quad = 0;
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 12; j++) {
                quad += y.get(i, 0) * inv.get(i, j) * y.get(j, 0);
            }
        }
        double evidence = -0.5 * quad - 0.5 * logDet[0] - 6 * Math.log(2 * Math.PI);
        Matrix q = TestData.gaussian(4, 2, 1.2, 2);
        Matrix ks = GramEngine.cross(K, x, q);
        Matrix kx = GramEngine.gram(K, x);
        for (InferenceMethod method : InferenceMethod.values()) {
            LatentGaussianProcessModel m = LatentGaussianProcess.builder(K).likelihood(Likelihood.gaussian(noise))
                    .inference(method).damping(1).stepSize(1).maxIterations(50).build().fit(x, y);
            String what = method.label();
            assertEquals(evidence, m.logMarginalLikelihood(), 1e-6 * Math.abs(evidence), what);
            Matrix lat = m.latent(q);
            Matrix pred = m.predict(q);
            for (int t = 0; t < 4; t++) {
                double mean = 0;
                double var = 1.3;
                for (int i = 0; i < 12; i++) {
                    double w = 0;
                    for (int j = 0; j < 12; j++) {
                        w += inv.get(i, j) * ks.get(j, t);
                    }
                    mean += w * y.get(i, 0);
                    var -= w * ks.get(i, t);
                }
                assertEquals(mean, lat.get(t, 0), 1e-6, what + " mean " + t);
                assertEquals(var, lat.get(t, 1), 1e-6, what + " variance " + t);
                assertEquals(lat.get(t, 0), pred.get(t, 0), 0.0);
            }
            double[] training = m.trainingMean();
            for (int i = 0; i < 12; i++) {
                double mean = 0;
                for (int j = 0; j < 12; j++) {
                    for (int k = 0; k < 12; k++) {
                        mean += kx.get(i, j) * inv.get(j, k) * y.get(k, 0);
                    }
                }
                assertEquals(mean, training[i], 1e-6, what + " training mean " + i);
            }
            assertEquals("gaussian(noise=0.2)", m.report().text("likelihood"));
            assertEquals(what, m.report().text("inference"));
            assertEquals("evidence", m.report().text("objective"));
            assertTrue(m.report().flag("converged"), what);
            // at the exact posterior the ELBO and the EP estimate are the evidence too
            assertEquals(evidence, m.report().number("elbo"), 1e-6 * Math.abs(evidence), what);
            assertEquals(evidence, m.report().number("ep_like"), 1e-6 * Math.abs(evidence), what);
            assertTrue(!m.report().has("kernel_learned"));
            assertEquals(2, m.features());
            assertEquals(0.0, m.trainingInputs().maxAbsDifference(x), 0.0);
            assertEquals(method, m.inference());
            assertEquals(HyperparameterObjective.EVIDENCE, m.objective());
            assertTrue(m.toString().contains(what) && m.toString().contains("gaussian"), m.toString());
        }
    }

    /** Poisson: E[y*] = E[e^f] = e^(m + v/2) of the latent prediction; the counts' model survives its codec. */
    @Test
    void poissonRatesAndTheCodec() {
        Matrix x = TestData.gaussian(15, 2, 1.0, 3);
        Matrix y = new Matrix(15, 1);
        for (int i = 0; i < 15; i++) {
            y.set(i, 0, Math.floor(Math.exp(0.6 * x.get(i, 0)) * (1 + (i % 3))));
        }
        LatentGaussianProcessModel m = LatentGaussianProcess.builder(K).likelihood(Likelihood.poisson())
                .inference(InferenceMethod.CVI).objective(HyperparameterObjective.ELBO).build().fit(x, y);
        Matrix q = TestData.gaussian(5, 2, 1.0, 4);
        Matrix lat = m.latent(q);
        Matrix rate = m.predict(q);
        for (int t = 0; t < 5; t++) {
            assertTrue(lat.get(t, 1) > 0);
            assertEquals(Math.exp(lat.get(t, 0) + 0.5 * lat.get(t, 1)), rate.get(t, 0), 1e-12 * rate.get(t, 0));
        }
        assertEquals(m.report().number("elbo"), m.logMarginalLikelihood(), 1e-12 * Math.abs(m.logMarginalLikelihood()));

        ModelState s = ModelCodecs.encode(m);
        assertEquals("latent-gp", s.kind());
        LatentGaussianProcessModel back = (LatentGaussianProcessModel) ModelCodecs.decode(
                ModelState.of(s.kind(), s.fields(), s.arrays()));
        assertEquals(0.0, back.latent(q).maxAbsDifference(lat), 0.0);
        assertEquals(0.0, back.predict(q).maxAbsDifference(rate), 0.0);
        assertEquals(m.report().values(), back.report().values());
        assertEquals(InferenceMethod.CVI, back.inference());
        assertEquals(HyperparameterObjective.ELBO, back.objective());
        assertEquals("poisson", back.likelihood().toSpec());
        Map<String, Matrix> arrays = new HashMap<>(s.arrays());
        Matrix lower = s.matrix("lower").copy();
        lower.set(4, 4, 0);
        arrays.put("lower", lower);
        expect("array 'lower' has a non-positive diagonal",
                () -> ModelCodecs.decode(ModelState.of(s.kind(), s.fields(), arrays)));
    }

    /** A search learns the kernel and the report says so; the options and inputs are checked by name. */
    @Test
    void searchReportAndOptions() {
        Matrix x = TestData.gaussian(10, 2, 1.0, 5);
        Matrix y = targets(x);
        LatentGaussianProcessModel m = LatentGaussianProcess.builder(K).likelihood(Likelihood.gaussian(0.2))
                .optimize(HyperparameterSearch.builder().maxIterations(5).build()).build().fit(x, y);
        assertEquals(m.kernel().toSpec(), m.report().text("kernel_learned"));
        assertEquals(1, m.report().number("search_starts"), 0.0);
        // one EP sweep of a Poisson model does not converge: the report and the model file say so
        Matrix counts = new Matrix(10, 1);
        for (int i = 0; i < 10; i++) {
            counts.set(i, 0, 3 * (i % 4));
        }
        LatentGaussianProcessModel capped = LatentGaussianProcess.builder(K).likelihood(Likelihood.poisson())
                .maxIterations(1).build().fit(x, counts);
        assertTrue(!capped.report().flag("converged"));
        assertEquals(1, capped.report().number("iterations"), 0.0);
        ModelState file = ModelCodecs.encode(capped);
        assertTrue(!file.flag("converged"));
        assertTrue(!((LatentGaussianProcessModel) ModelCodecs.decode(file)).report().flag("converged"));
        LatentGaussianProcess.Builder b = LatentGaussianProcess.builder(K).likelihood(Likelihood.poisson());
        expect("the iteration limit must be >= 1, got 0", () -> b.maxIterations(0).build());
        b.maxIterations(1);
        expect("the EP damping and the CVI step must lie in (0, 1], got 0.0 and 0.5", () -> b.damping(0).build());
        expect("the EP damping and the CVI step must lie in (0, 1], got 1.5 and 0.5", () -> b.damping(1.5).build());
        expect("the EP damping and the CVI step must lie in (0, 1], got 1.0 and 0.0", () -> b.damping(1).stepSize(0).build());
        expect("the EP damping and the CVI step must lie in (0, 1], got 1.0 and 1.5", () -> b.stepSize(1.5).build());
        b.stepSize(1).build(); // both ends of (0, 1] are allowed
        expect("the inference method and the objective must not be null", () -> b.inference(null).build());
        b.inference(InferenceMethod.EP);
        expect("the inference method and the objective must not be null", () -> b.objective(null).build());
        expect("a latent Gaussian process needs a kernel", () -> LatentGaussianProcess.builder(null));
        LatentGaussianProcess ok = LatentGaussianProcess.builder(K).likelihood(Likelihood.gaussian(0.2)).build();
        expect("a latent Gaussian process takes one target column, got 2", () -> ok.fit(x, new Matrix(10, 2)));
        expect("training data has 10 rows but the targets have 9", () -> ok.fit(x, y.rowRange(0, 9)));
        LatentGaussianProcessModel fitted = ok.fit(x, y);
        expect("the model was trained on 2 features but the data has 3", () -> fitted.latent(new Matrix(2, 3)));
    }

    private static void expect(String message, Supplier<?> call) {
        Kernels4jException e = assertThrows(Kernels4jException.class, call::get);
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
