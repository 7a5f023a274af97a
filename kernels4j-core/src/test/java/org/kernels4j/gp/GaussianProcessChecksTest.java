package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.ModelState;

/**
 * Argument and file checks of the GP models (the extreme legal value accepted, the next refused), the
 * overflow message, and restarts that land where the covariance is singular.
 */
class GaussianProcessChecksTest {
    private static final Kernel K = KernelSpec.parse("rbf(length=0.7)");

    private static void refused(Executable e, String part) {
        String msg = assertThrows(Kernels4jException.class, e).getMessage();
        assertTrue(msg.contains(part), msg);
    }

    @Test
    void buildersCheckTheirOptions() {
        refused(() -> GaussianProcess.builder(null), "needs a kernel");
        refused(() -> GaussianProcessClassifier.builder(null), "needs a kernel");
        assertDoesNotThrow(() -> GaussianProcess.builder(K).noise(0).build());
        refused(() -> GaussianProcess.builder(K).noise(Double.POSITIVE_INFINITY).build(), "noise variance");
        refused(() -> GaussianProcess.builder(K).noise(-Double.MIN_VALUE).build(), "noise variance");
        assertDoesNotThrow(() -> GaussianProcessClassifier.builder(K).maxIterations(1).build());
        refused(() -> SparseGaussianProcess.builder(KernelSpec.parse("rbf(length=1) + white(noise=1)")).inducing(0),
                "inducing points must be >= 1");
        assertDoesNotThrow(() -> SparseGaussianProcess.builder(KernelSpec.parse("rbf(length=1) + white(noise=1)"))
                .inducing(1).jitter(0));
        refused(() -> SparseGaussianProcess.builder(KernelSpec.parse("rbf(length=1) + white(noise=1)")).jitter(-1e-300),
                "jitter");
        refused(() -> SparseGaussianProcess.builder(KernelSpec.parse("rbf(length=1) + white(noise=1)"))
                .jitter(Double.POSITIVE_INFINITY), "jitter");
        refused(() -> HyperparameterSearch.builder().restarts(-1), "restarts");
        assertDoesNotThrow(() -> HyperparameterSearch.builder().restarts(0).maxIterations(1).bound("a", 1, 1));
        refused(() -> HyperparameterSearch.builder().maxIterations(0), "iteration limit");
        refused(() -> HyperparameterSearch.builder().bound("a", 0, 1), "bounds for a");
        refused(() -> HyperparameterSearch.builder().bound("a", 1, Double.POSITIVE_INFINITY), "bounds for a");
        Matrix x = TestData.gaussian(10, 2, 1, 501);
        refused(() -> SparseGaussianProcess.builder(KernelSpec.parse("rbf(length=1) + white(noise=1)")).inducing(11)
                .build().initialInducing(x), "asked for 11 inducing points but the data has only 10 rows");
        assertEquals(10, SparseGaussianProcess.builder(KernelSpec.parse("rbf(length=1) + white(noise=1)")).inducing(10)
                .build().initialInducing(x).rows());
    }

    @Test
    void modelConstructorChecksShapes() {
        Matrix x = TestData.gaussian(3, 1, 1, 511);
        Matrix l = Matrix.identity(3);
        Matrix a = new Matrix(3, 2);
        double[] two = {0, 0};
        double[] ones = {1, 1};
        assertDoesNotThrow(() -> new GaussianProcessModel(K, 0, x, l, 0, a, two, ones, Double.NaN, null, null));
        refused(() -> new GaussianProcessModel(K, 0, x, Matrix.identity(2), 0, a, two, ones, 0, null, null), "expected 3x3");
        refused(() -> new GaussianProcessModel(K, 0, x, new Matrix(3, 2), 0, a, two, ones, 0, null, null), "expected 3x3");
        refused(() -> new GaussianProcessModel(K, 0, x, l, 0, new Matrix(2, 2), two, ones, 0, null, null),
                "alpha has 2 rows for 3 training rows");
        refused(() -> new GaussianProcessModel(K, 0, x, l, 0, a, new double[1], ones, 0, null, null), "2 outputs but 1 shifts");
        refused(() -> new GaussianProcessModel(K, 0, x, l, 0, a, two, new double[1], 0, null, null), "and 1 scales");
        refused(() -> new GaussianProcessModel(K, 0, x, l, 0, a, two, new double[] {1, 0}, 0, null, null), "target scales");
        refused(() -> new GaussianProcessModel(K, 0, x, l, 0, a, two, new double[] {1, Double.POSITIVE_INFINITY}, 0, null,
                null), "target scales");
        refused(() -> new GaussianProcessModel(K, -1e-300, x, l, 0, a, two, ones, 0, null, null), "noise variance");
        refused(() -> new GaussianProcessModel(K, Double.POSITIVE_INFINITY, x, l, 0, a, two, ones, 0, null, null),
                "noise variance");
        Matrix bad = Matrix.identity(3);
        bad.set(1, 1, 0);
        refused(() -> new GaussianProcessModel(K, 0, x, bad, 0, a, two, ones, 0, null, null), "positive finite diagonal");
    }

    /** Targets so large that K⁻¹y overflows: a clear message naming the target's size. */
    @Test
    void overflowingWeightsAreReportedWithTheTargetsSize() {
        Matrix x = new Matrix(8, 1);
        Matrix y = new Matrix(8, 1);
        for (int i = 0; i < 8; i++) {
            x.set(i, 0, 0.02 * i);
            y.set(i, 0, i % 2 == 0 ? 1e300 : -1e300);
        }
        refused(() -> GaussianProcess.builder(K).noise(1e-10).build().fit(x, y), "(the target reaches |y| = 1.00e+300)");
    }

    /** Model files with impossible contents are refused with the field's name. */
    @Test
    void modelFilesAreChecked() {
        Matrix x = TestData.gaussian(12, 1, 1, 521);
        Matrix y = new Matrix(12, 1);
        double[] labels = new double[12];
        for (int i = 0; i < 12; i++) {
            y.set(i, 0, Math.sin(x.get(i, 0)));
            labels[i] = i % 3;
        }
        ModelState gp = ModelCodecs.encode(GaussianProcess.builder(K).noise(0.1).build().fit(x, y));
        Map<String, Matrix> arrays = new LinkedHashMap<>(gp.arrays());
        arrays.put("target_scale", Matrix.wrap(1, 1, new double[] {0}));
        refused(() -> ModelCodecs.decode(ModelState.of("gp", gp.fields(), arrays)), "target_scale");
        Map<String, Object> fields = new LinkedHashMap<>(gp.fields());
        fields.remove("log_marginal_likelihood");
        fields.remove("jitter");
        GaussianProcessModel noLml = (GaussianProcessModel) ModelCodecs.decode(ModelState.of("gp", fields, gp.arrays()));
        assertTrue(Double.isNaN(noLml.logMarginalLikelihood()));
        assertEquals(0, noLml.jitter(), 0);

        ModelState sgp = ModelCodecs.encode(SparseGaussianProcess.builder(KernelSpec.parse("rbf(length=1) + white(noise=0.1)"))
                .inducing(4).build().fit(x, y));
        Map<String, Object> noNoise = new LinkedHashMap<>(sgp.fields());
        noNoise.put("kernel", "rbf(length=1)");
        refused(() -> ModelCodecs.decode(ModelState.of("sgpr", noNoise, sgp.arrays())), "field 'kernel': a sparse GP needs");
        Map<String, Matrix> sa = new LinkedHashMap<>(sgp.arrays());
        sa.put("target_scale", Matrix.wrap(1, 1, new double[] {-1}));
        refused(() -> ModelCodecs.decode(ModelState.of("sgpr", sgp.fields(), sa)), "target_scale");
        Map<String, Object> noBound = new LinkedHashMap<>(sgp.fields());
        noBound.remove("bound");
        assertTrue(Double.isNaN(((SparseGaussianProcessModel) ModelCodecs.decode(ModelState.of("sgpr", noBound,
                sgp.arrays()))).bound()));

        ModelState gpc = ModelCodecs.encode(GaussianProcessClassifier.builder(K).build().fit(x, Matrix.column(labels)));
        Map<String, Object> unsorted = new LinkedHashMap<>(gpc.fields());
        unsorted.put("classes", new double[] {0, 2, 1});
        refused(() -> ModelCodecs.decode(ModelState.of("gpc", unsorted, gpc.arrays())), "strictly ascending");
        Map<String, Object> repeated = new LinkedHashMap<>(gpc.fields());
        repeated.put("classes", new double[] {0, 1, 1});
        refused(() -> ModelCodecs.decode(ModelState.of("gpc", repeated, gpc.arrays())), "strictly ascending");
        Map<String, Object> single = new LinkedHashMap<>(gpc.fields());
        single.put("classes", new double[] {0});
        refused(() -> ModelCodecs.decode(ModelState.of("gpc", single, gpc.arrays())), "at least two classes");
        Map<String, Matrix> ga = new LinkedHashMap<>(gpc.arrays());
        Matrix lower = ga.get("lower").copy();
        lower.set(2 * 12 + 5, 5, 0); // problem 2, row 5 of its factor
        ga.put("lower", lower);
        refused(() -> ModelCodecs.decode(ModelState.of("gpc", gpc.fields(), ga)), "'lower' of problem 2");
    }

    /**
     * Restart points where K (no noise, long length scales on close points) is numerically singular
     * cannot be evaluated: they are recorded with evidence −∞, no iterations, one evaluation and no stop
     * reason, and the best run is still a finite one.
     */
    @Test
    void restartsThatCannotBeEvaluatedAreKeptAsFailed() {
        Matrix x = new Matrix(25, 1);
        Matrix y = new Matrix(25, 1);
        for (int i = 0; i < 25; i++) {
            x.set(i, 0, 0.1 * i);
            y.set(i, 0, Math.sin(3 * x.get(i, 0)));
        }
        GaussianProcess gp = GaussianProcess.builder(KernelSpec.parse("rbf(length=0.03)")).noise(0).build();
        HyperparameterSearch.Result r = gp.optimize(x, y, HyperparameterSearch.builder().restarts(6).seed(1)
                .bound("rbf.length", 0.01, 1e4).maxIterations(3).build());
        int failed = 0;
        for (HyperparameterSearch.Start s : r.starts()) {
            if (s.evidence() == Double.NEGATIVE_INFINITY) {
                failed++;
                assertEquals(s.initial()[0], s.optimum()[0], 0);
                assertEquals(0, s.iterations());
                assertEquals(1, s.evaluations());
                assertEquals(null, s.stop());
            }
        }
        assertTrue(failed >= 1, "some restarts land on a singular covariance");
        assertTrue(Double.isFinite(r.evidence()));
        assertEquals(gp.withKernel(r.kernel()).evidence(x, y).value(), r.evidence(), 1e-9 * Math.abs(r.evidence()));
    }

    /**
     * A sparse GP's report names the hyperparameter search exactly when the model was fitted with one (a fit without
     * a search, and a model read back from a file, have none); its latent variance refuses inputs of the wrong width,
     * non-finite inputs and an output index outside [0, outputs) with the library's messages; and a model file whose
     * target scale is 0 — not a positive number, as the codec requires — is refused like a negative one.
     */
    @Test
    void sparseReportsNameTheirSearchAndFilesNeedAPositiveTargetScale() {
        Matrix x = TestData.gaussian(12, 1, 1, 521);
        Matrix y = new Matrix(12, 1);
        for (int i = 0; i < 12; i++) {
            y.set(i, 0, Math.sin(x.get(i, 0)));
        }
        Kernel k = KernelSpec.parse("rbf(length=1) + white(noise=0.1)");
        SparseGaussianProcessModel plain = SparseGaussianProcess.builder(k).inducing(4).build().fit(x, y);
        assertTrue(!plain.report().has("search"), plain.report().values().toString());
        // the latent variance checks its inputs like every prediction: width, finite values, the output's index
        refused(() -> plain.variance(new Matrix(2, 3), 0), "trained on 1 features but the data has 3");
        refused(() -> plain.variance(Matrix.of(new double[][] {{0.5}, {Double.NaN}}), 0), "prediction data");
        refused(() -> plain.variance(x, 1), "output 1 does not exist");
        refused(() -> plain.variance(x, -1), "output -1 does not exist");
        SparseGaussianProcessModel searched = SparseGaussianProcess.builder(k).inducing(4)
                .optimize(HyperparameterSearch.builder().maxIterations(3).build()).build().fit(x, y);
        assertTrue(searched.report().has("search"), searched.report().values().toString());
        ModelState s = ModelCodecs.encode(plain);
        assertTrue(!((SparseGaussianProcessModel) ModelCodecs.decode(s)).report().has("search"));
        Map<String, Matrix> zero = new LinkedHashMap<>(s.arrays());
        zero.put("target_scale", Matrix.wrap(1, 1, new double[] {0}));
        refused(() -> ModelCodecs.decode(ModelState.of("sgpr", s.fields(), zero)), "target_scale");
    }
}
