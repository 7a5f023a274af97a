package org.kernels4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.calibration.CalibratedClassifier;
import org.kernels4j.density.KernelDensity;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessClassifier;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.gp.SparseGaussianProcess;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.privacy.PrivateDistanceSum;
import org.kernels4j.privacy.PrivateKernelSum;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.NtkPredictor;
import org.kernels4j.regression.NystromKernelRidge;
import org.kernels4j.regression.RegularizationPath;
import org.kernels4j.svm.StringSvmModel;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.kernel.string.StringKernel;

/**
 * The estimator contract over every learner: each fitted model survives its codec exactly (same
 * predictions, variances, probabilities and decision values), every registered codec is exercised,
 * prediction inputs are checked, and a state with a missing or mis-shaped array is refused with a
 * message naming it.
 */
class ModelContractTest {
    private static final Matrix X = TestData.gaussian(40, 2, 1, 11);
    private static final Matrix Q = TestData.gaussian(7, 2, 1.5, 12);
    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.7)");
    /** Texts for the string-kernel SVM: the class is whether "ab" occurs. */
    private static final List<String> TEXTS = List.of("abca", "bbcc", "cabb", "ccab", "acbc", "bcca", "abab", "cbcb",
            "aabc", "ccbb", "babc", "acca");
    private static final List<String> QUERY_TEXTS = List.of("abcc", "cccb", "bab");

    /**
     * The inputs the contract checks predict on: Q (its first column for one-dimensional models), or for a
     * string-kernel model the kernel values of QUERY_TEXTS.
     */
    private static Matrix query(Model m) {
        if (m instanceof StringSvmModel s) {
            return s.kernelValues(QUERY_TEXTS);
        }
        return m.features() == 1 ? Q.selectColumns(new int[] {0}) : Q;
    }

    private static Matrix regressionTargets() {
        Matrix y = new Matrix(X.rows(), 2);
        for (int i = 0; i < X.rows(); i++) {
            y.set(i, 0, Math.sin(X.get(i, 0)) + 0.5 * X.get(i, 1));
            y.set(i, 1, 3 + X.get(i, 0) * X.get(i, 1));
        }
        return y;
    }

    private static Matrix labels(int classes) {
        Matrix y = new Matrix(X.rows(), 1);
        for (int i = 0; i < X.rows(); i++) {
            double s = X.get(i, 0) + 0.3 * X.get(i, 1);
            y.set(i, 0, classes == 2 ? (s > 0 ? 1 : -1) : (s < -0.5 ? 4 : s < 0.5 ? 7 : 9));
        }
        return y;
    }

    /** One fitted model of every kind, by name. */
    static Map<String, Model> everyModel() {
        Matrix y = regressionTargets();
        Map<String, Model> m = new LinkedHashMap<>();
        m.put("krr", KernelRidge.builder(RBF).selectLambda(KernelRidge.logGrid(1e-3, 1, 4),
                RegularizationPath.Criterion.GCV).fitIntercept(true).build().fit(X, y));
        m.put("krr-nystrom", NystromKernelRidge.builder(RBF).centers(15).lambda(1e-2).centerTargets(true)
                .solver(NystromKernelRidge.Solver.DIRECT).build()
                .fit(X, y));
        m.put("gp", GaussianProcess.builder(KernelSpec.parse("2*rbf(length=1.2) + white(noise=0.1)")).noise(1e-4)
                .normalizeTargets(true).build().fit(X, y));
        m.put("sgpr", SparseGaussianProcess.builder(KernelSpec.parse("1*rbf(length=1) + white(noise=0.2)"))
                .inducing(12).seed(2).normalizeTargets(true)
                .optimize(HyperparameterSearch.builder().maxIterations(5).build()).build().fit(X, y));
        m.put("gpc", GaussianProcessClassifier.builder(RBF).build().fit(X, labels(3)));
        m.put("gpc-softmax", GaussianProcessClassifier.builder(RBF).multiClass(org.kernels4j.gp.MultiClass.SOFTMAX)
                .predictiveSamples(200).build().fit(X, labels(3)));
        m.put("gpc-probit-ep", GaussianProcessClassifier.builder(RBF).likelihood(org.kernels4j.gp.Likelihood.probit())
                .inference(org.kernels4j.gp.InferenceMethod.EP).build().fit(X, labels(2)));
        Matrix counts = new Matrix(X.rows(), 1);
        for (int i = 0; i < X.rows(); i++) {
            counts.set(i, 0, Math.round(Math.exp(0.5 * X.get(i, 0))));
        }
        m.put("latent-gp", org.kernels4j.gp.LatentGaussianProcess.builder(RBF).likelihood(org.kernels4j.gp.Likelihood.poisson())
                .inference(org.kernels4j.gp.InferenceMethod.CVI).build().fit(X, counts));
        Matrix binary = labels(2).copy();
        for (int i = 0; i < binary.rows(); i++) {
            binary.set(i, 0, binary.get(i, 0) > 0 ? 1 : 0);
        }
        m.put("svgp", org.kernels4j.gp.SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(org.kernels4j.gp.Likelihood.probit()).inducing(8).batchSize(16).epochs(2).seed(4)
                .learnHyperparameters(true).build().fit(X, binary));
        m.put("tp", org.kernels4j.gp.StudentTProcess.builder(KernelSpec.parse("2*rbf(length=1.2) + white(noise=0.1)"))
                .noise(1e-4).inverseGammaPrior(2, 1.5).normalizeTargets(true).build().fit(X, y));
        m.put("bayesian-gp", org.kernels4j.gp.BayesianGaussianProcess.builder(KernelSpec.parse("rbf(length=1.2)"))
                .noise(0.1).chains(1).warmup(2).draws(4).leapfrogSteps(1).predictionDraws(2).seed(3).build().fit(X, y));
        m.put("ntk", NtkPredictor.builder((NeuralKernel) KernelSpec.parse("ntk(depth=2, w_var=2, b_var=0.1)"))
                .time(5).regularizer(1e-3, false).build().fit(X, y));
        m.put("svm", SupportVectorMachine.classifier(RBF).probability(true).build().fit(X, labels(3)));
        m.put("svr", SupportVectorMachine.regression(RBF).build().fit(X, y.selectColumns(new int[] {0})));
        m.put("kde", KernelDensity.builder(KernelDensity.Profile.GAUSSIAN).bandwidth(0.6).build().fit(X));
        m.put("private-kernel-sum", PrivateKernelSum.builder(RBF).features(40).epsilon(2).build().fit(X));
        m.put("private-distance-sum", PrivateDistanceSum.builder(PrivateDistanceSum.Norm.L1).range(-4, 4).levels(6)
                .build().fit(X));
        m.put("private-similarity", PrivateKernelSum.builder(RBF).features(40).frequencySeed(6)
                .buildClassifier().fit(X, labels(2)));
        m.put("calibrated", CalibratedClassifier.builder(SupportVectorMachine.classifier(RBF).build())
                .method(CalibratedClassifier.Method.ISOTONIC).folds(3).build().fit(X, labels(3)));
        m.put("kpca", org.kernels4j.decomposition.KernelPca.builder(RBF).components(3).fitInverseTransform(0.1)
                .build().fit(X));
        m.put("singular-kernel", org.kernels4j.neighbors.SingularKernelClassifier.builder().build().fit(X, labels(3)));
        m.put("kernel-kmeans", org.kernels4j.cluster.KernelKMeans.builder(RBF).clusters(3).restarts(2).seed(3).build()
                .fit(X));
        m.put("kernel-kmeans-nystrom", org.kernels4j.cluster.KernelKMeans.builder(RBF).clusters(3).restarts(2)
                .nystrom(12).seed(4).build().fit(X));
        m.put("kernel-ward", org.kernels4j.cluster.KernelWard.builder(RBF).clusters(3).build().fit(X));
        m.put("dkm", org.kernels4j.dkm.DeepKernelMachine.builder(org.kernels4j.dkm.GramMap.parse("se(length=1.5)"))
                .layers(2).nu(2).noise(0.05).maxIterations(4).build().fit(X, y));
        m.put("dkm-classifier", org.kernels4j.dkm.DeepKernelMachineClassifier.of(org.kernels4j.dkm.DeepKernelMachine
                .builder(org.kernels4j.dkm.GramMap.parse("se(length=1.5)")).layers(1).nu(2).noise(0.05).maxIterations(3)
                .build()).fit(X, labels(3)));
        double[] gx = {-1.5, -0.4, 0.3, 1.1, 2};
        double[] gz = {-1, 0, 0.8, 1.7};
        double[] cells = new double[20];
        boolean[] seen = new boolean[20];
        for (int c = 0; c < 20; c++) {
            cells[c] = Math.sin(gx[c / 4]) + 0.5 * gz[c % 4];
            seen[c] = c != 6 && c != 13;
        }
        m.put("kron-gp", org.kernels4j.gp.KroneckerGaussianProcess.builder(List.of(KernelSpec.parse("2*rbf(length=1.2)"),
                KernelSpec.parse("matern(nu=1.5, length=0.9)"))).noise(0.05).normalizeTargets(true).build()
                .fit(new org.kernels4j.gp.KroneckerGaussianProcess.Grid(List.of(gx, gz), cells, seen)));
        m.put("ss-gp", org.kernels4j.gp.StateSpaceGaussianProcess.builder(org.kernels4j.gp.StateSpaceKernel.parse(
                "0.5*matern(nu=2.5, length=1.4) + resonator(nu=0.5, length=3, variance=0.3, frequency=0.4)"))
                .noise(0.05).normalizeTargets(true).build().fit(X.selectColumns(new int[] {0}), y));
        Matrix hasAb = new Matrix(TEXTS.size(), 1);
        for (int i = 0; i < TEXTS.size(); i++) {
            hasAb.set(i, 0, TEXTS.get(i).contains("ab") ? 1 : 0);
        }
        m.put("string-svm", StringSvmModel.fit(SupportVectorMachine.classifier().probability(true).build(),
                StringKernel.spectrum(2), TEXTS, hasAb));
        m.put("svm-nu-svc", SupportVectorMachine.nuClassifier(RBF).nu(0.2).probability(true).build().fit(X, labels(3)));
        m.put("svm-nu-svr", SupportVectorMachine.nuRegression(RBF).nu(0.4).build()
                .fit(X, y.selectColumns(new int[] {0})));
        m.put("svm-pegasos", org.kernels4j.svm.KernelPegasos.builder(RBF).lambda(0.01).build().fit(X, labels(2)));
        m.put("online-kernel", org.kernels4j.online.OnlineKernelLearner.builder(
                org.kernels4j.online.OnlineKernelLearner.Type.REGRESSION, RBF).budget(10).build()
                .fit(X, y.selectColumns(new int[] {0})));
        m.put("online-kernel-perceptron", org.kernels4j.online.OnlineKernelLearner.builder(
                org.kernels4j.online.OnlineKernelLearner.Type.PERCEPTRON, RBF).build().fit(X, labels(2)));
        m.put("lssvm", org.kernels4j.svm.LeastSquaresSvm.classifier(RBF).gamma(5).build().fit(X, labels(3)));
        m.put("lssvm-regression", org.kernels4j.svm.LeastSquaresSvm.regression(RBF).build().fit(X, y));
        m.put("kqr", org.kernels4j.svm.KernelQuantileRegression.builder(RBF).quantiles(0.1, 0.5, 0.9).build()
                .fit(X, y.selectColumns(new int[] {0})));
        m.put("rvm", org.kernels4j.regression.RelevanceVectorMachine.regression(RBF).build()
                .fitRegression(X, y.selectColumns(new int[] {0})));
        m.put("rvm-classifier", org.kernels4j.regression.RelevanceVectorMachine.classifier(RBF).build()
                .fitClassifier(X, labels(3)));
        m.put("kcca", org.kernels4j.decomposition.KernelCca.builder(RBF).components(2).build().fit(X, y));
        m.put("calibrated-gpc-sigmoid", CalibratedClassifier.builder(GaussianProcessClassifier.builder(RBF).build())
                .folds(3).build().fit(X, labels(2)));
        return m;
    }


    @Test
    void everyModelSurvivesItsCodecExactly() {
        TreeSet<String> kinds = new TreeSet<>();
        for (Map.Entry<String, Model> e : everyModel().entrySet()) {
            Model m = e.getValue();
            ModelState state = ModelCodecs.encode(m);
            kinds.add(state.kind());
            assertEquals(ModelCodecs.kindOf(m), state.kind());
            Model back = ModelCodecs.decode(ModelState.of(state.kind(), state.fields(), state.arrays()));
            Matrix q = query(m);
            assertEquals(m.getClass(), back.getClass(), e.getKey());
            assertEquals(m.features(), back.features(), e.getKey());
            assertEquals(0.0, back.predict(q).maxAbsDifference(m.predict(q)), 1e-12, e.getKey());
            if (m instanceof PredictiveVariance v) {
                Matrix a = v.predictiveVariance(q);
                Matrix b = ((PredictiveVariance) back).predictiveVariance(q);
                for (int i = 0; i < a.data().length; i++) {
                    assertEquals(a.data()[i], b.data()[i], 1e-10 * Math.max(1e-6, a.data()[i]), e.getKey());
                }
            }
            if (m instanceof Classifier c) {
                assertArrayEquals(c.classes(), ((Classifier) back).classes(), e.getKey());
                if (c.hasProbabilities()) {
                    assertEquals(0.0, ((Classifier) back).probabilities(q).maxAbsDifference(c.probabilities(q)), 1e-12);
                }
            }
            if (m instanceof DecisionFunction f) {
                assertEquals(0.0, ((DecisionFunction) back).decisionValues(q).maxAbsDifference(f.decisionValues(q)),
                        1e-12);
            }
        }
        assertEquals(new TreeSet<>(ModelCodecs.kinds()), kinds, "every registered codec is exercised here");
    }

    @Test
    void aLoadedGaussianProcessNeedsNoRefactorizationAndOldFilesStillLoad() {
        GaussianProcessModel gp = (GaussianProcessModel) everyModel().get("gp");
        ModelState state = ModelCodecs.encode(gp);
        assertTrue(state.hasArray("cholesky"));
        Map<String, Matrix> withoutFactor = new LinkedHashMap<>(state.arrays());
        withoutFactor.remove("cholesky");
        GaussianProcessModel old = (GaussianProcessModel) ModelCodecs.decode(ModelState.of("gp", state.fields(),
                withoutFactor));
        Matrix a = gp.predictiveVariance(Q);
        Matrix b = old.predictiveVariance(Q);
        for (int i = 0; i < a.data().length; i++) {
            assertEquals(a.data()[i], b.data()[i], 1e-8 * a.data()[i]);
        }
        assertEquals(0.0, old.predict(Q).maxAbsDifference(gp.predict(Q)), 1e-10);
    }

    @Test
    void predictionInputsAreChecked() {
        for (Map.Entry<String, Model> e : everyModel().entrySet()) {
            Kernels4jException wrong = assertThrows(Kernels4jException.class, () -> e.getValue().predict(new Matrix(3, 5)),
                    e.getKey());
            assertTrue(wrong.getMessage().contains("5"), e.getKey() + ": " + wrong.getMessage());
            Matrix nan = query(e.getValue()).copy();
            nan.set(1, nan.cols() - 1, Double.NaN);
            Kernels4jException bad = assertThrows(Kernels4jException.class, () -> e.getValue().predict(nan), e.getKey());
            assertTrue(bad.getMessage().contains("NaN"), e.getKey() + ": " + bad.getMessage());
        }
    }

    @Test
    void statesWithMissingOrMisshapenArraysAreRefusedByName() {
        ModelState state = ModelCodecs.encode(everyModel().get("krr"));
        Map<String, Matrix> missing = new LinkedHashMap<>(state.arrays());
        missing.remove("dual_coef");
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> ModelCodecs.decode(ModelState.of("krr", state.fields(), missing)));
        assertTrue(e.getMessage().contains("array 'dual_coef' is missing"), e.getMessage());
        Map<String, Matrix> shape = new LinkedHashMap<>(state.arrays());
        shape.put("intercept", new Matrix(1, 5));
        e = assertThrows(Kernels4jException.class, () -> ModelCodecs.decode(ModelState.of("krr", state.fields(), shape)));
        assertTrue(e.getMessage().contains("array 'intercept' has shape 1x5, expected 1x2"), e.getMessage());
        Map<String, Object> fields = new LinkedHashMap<>(state.fields());
        fields.put("options.lambda", -1.0);
        e = assertThrows(Kernels4jException.class, () -> ModelCodecs.decode(ModelState.of("krr", fields, state.arrays())));
        assertTrue(e.getMessage().contains("options.lambda must be a positive finite number"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> ModelCodecs.decode(ModelState.of("nope", fields, state.arrays())));
        assertTrue(e.getMessage().contains("unknown model kind 'nope'"), e.getMessage());
    }

    @Test
    void reportsRecordWhatTheFitDid() {
        Map<String, Model> all = everyModel();
        assertEquals(1e-2, all.get("krr-nystrom").report().number("lambda"));
        assertEquals("direct", all.get("krr-nystrom").report().text("solver")); // as asked: normal equations
        assertEquals(0, all.get("krr-nystrom").report().number("cg_iterations"));
        assertTrue(all.get("krr-nystrom").report().numbers("relative_residuals")[0] <= 1e-9);
        assertTrue(all.get("krr-nystrom").report().flag("converged"));
        assertThrows(Kernels4jException.class, () -> all.get("krr-nystrom").report().flag("lambda"));
        assertTrue(all.get("krr").report().text("lambda_selection").equals("gcv"));
        assertTrue(Double.isFinite(all.get("gp").report().number("log_marginal_likelihood")));
        assertEquals(3, all.get("svm").report().parts("problems").size()); // one-vs-one over three classes
        assertTrue(all.get("sgpr").report().has("search"));
        assertEquals(6, all.get("svgp").report().number("steps")); // 2 epochs of 3 batches (16, 16, 8 rows)
        assertEquals(2.0, all.get("private-kernel-sum").report().number("epsilon"));
        List<String> names = new ArrayList<>(all.get("gp").report().values().keySet());
        assertEquals(List.of("log_marginal_likelihood", "noise", "jitter"), names);
        assertThrows(Kernels4jException.class, () -> all.get("gp").report().number("missing"));
    }
}
