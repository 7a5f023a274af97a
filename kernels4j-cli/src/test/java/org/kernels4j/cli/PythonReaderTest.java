package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.calibration.CalibratedClassifier;
import org.kernels4j.density.KernelDensity;
import org.kernels4j.decomposition.KernelPca;
import org.kernels4j.decomposition.KernelPcaModel;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessClassifier;
import org.kernels4j.gp.InferenceMethod;
import org.kernels4j.gp.Likelihood;
import org.kernels4j.gp.SparseGaussianProcess;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.KernelSpecException;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ClassLabels;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.DecisionFunction;
import org.kernels4j.model.DensityModel;
import org.kernels4j.model.Model;
import org.kernels4j.model.PredictiveVariance;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.NtkPredictor;
import org.kernels4j.regression.NystromKernelRidge;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;

/**
 * The Python reader ({@code python/kernels4j}) against Java: models of every supported kind, and KRR
 * with every closed-form kernel family, are fitted on the bundled data and saved; Java's predictions
 * (labels, values, variances, probabilities, decision values, log-densities, projections) are written
 * beside them as .npy; Debian's {@code /usr/bin/python3} with {@code python3-numpy} then loads each
 * file with {@code kernels4j.load} and must agree to 1e-10 relative (labels exactly), refuse the
 * kernels and kinds it has no closed form for by name, and refuse altered, truncated, incomplete and
 * too-new files with the message Java would give, and fail on bad kernel specs at Java's columns.
 * Installs python3-numpy with apt when it is missing; skipped (with the reason) only where there is no
 * Debian python3 or no apt (as root) to install numpy with.
 */
class PythonReaderTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("..", "python", "tests", "check_against_java.py");

    @TempDir
    Path dir;

    private final List<String> manifest = new ArrayList<>();
    private int expectedChecks;

    @Test
    void pythonReaderAgreesWithJavaOnEveryModelKind() throws Exception {
        requireNumpy();
        Dataset diabetes = CsvReader.builder().build().read(Path.of("..", "data", "diabetes.csv"));
        Matrix dx = diabetes.features().rowRange(0, 150);
        Matrix dy = diabetes.target().rowRange(0, 150);
        Matrix dq = diabetes.features().rowRange(150, 190);
        Matrix dxPos = positive(dx);
        Matrix dqPos = positive(dq);
        Dataset iris = CsvReader.builder().build().read(Path.of("..", "data", "iris.csv"));
        int[] even = IntStream.range(0, 75).map(i -> 2 * i).toArray();
        int[] odd = IntStream.range(0, 75).map(i -> 2 * i + 1).toArray();
        Matrix ix = iris.features().selectRows(even);
        Matrix iy = iris.target().selectRows(even);
        Matrix iq = iris.features().selectRows(odd);
        Dataset heart = CsvReader.builder().build().read(Path.of("..", "data", "heart_scale.csv"));
        Matrix hx = heart.features().rowRange(0, 120);
        Matrix hy = heart.target().rowRange(0, 120);
        Matrix hq = heart.features().rowRange(120, 170);

        // kernel ridge regression with every closed-form kernel family, sums, products and scales
        String[] specs = {"linear()", "poly(degree=2, gamma=0.5, coef0=1)", "cosine()", "rbf(gamma=3)",
            "rbf(length=[0.3, 0.5, 0.2, 0.4, 0.3, 0.25, 0.6, 0.3, 0.2, 0.5])", "laplacian(gamma=2)",
            "laplacian(gamma=1, norm=l1)", "matern(nu=0.5, length=0.4)", "matern(nu=1.5, length=0.3)",
            "matern(nu=2.5, length=[0.3, 0.5, 0.2, 0.4, 0.3, 0.25, 0.6, 0.3, 0.2, 0.5])", "rq(alpha=0.7, length=0.3)",
            "periodic(length=1.3, period=0.7)", "vmf(kappa=3)", "0.5*von_mises_fisher(kappa=0.4)", "anova(sigma=4, degree=2)", "bessel(sigma=3, order=5, degree=2)",
            "arccos(order=0, depth=2)", "arccos(order=1, depth=3)", "arccos(order=2, depth=1)",
            "nngp(depth=3, activation=relu, w_var=2, b_var=0.1)", "ntk(depth=3, activation=relu, w_var=2, b_var=0.1)",
            "ntk(depth=2, activation=leaky_relu, alpha=0.1)", "ntk(depth=2, activation=abrelu, a=-0.5, b=1.5, b_var=0.3)",
            "ntk(depth=2, activation=erf, w_var=1.5, b_var=0.2)", "nngp(depth=2, activation=sign, b_var=0.1)",
            "nngp(depth=2, activation=step, b_var=0.1)", "ntk(depth=2, activation=sin, b_var=0.1)",
            "ntk(depth=1, activation=identity, b_var=1)", "nngp(depth=2, activation=gelu, b_var=0.1)",
            "ntk(depth=2, param=standard, width=100, b_var=0.1)",
            "2*rbf(gamma=1) * periodic(period=3) + linear() + 0.5", "(constant(value=2) + cosine()) * 0.5*rq()"};
        for (int i = 0; i < specs.length; i++) {
            Model m = KernelRidge.builder(KernelSpec.parse(specs[i])).lambda(0.05).fitIntercept(true).build().fit(dx, dy);
            add("krr-" + i + " " + specs[i], m, dq);
        }
        for (String spec : new String[] {"spline()", "chi2(gamma=2)", "homogeneous_chi2()",
            "skewed_chi2(c=0.5)", "0.3*chi2_homogeneous() + skewed_chi2(c=3)"}) { // kernels for non-negative features
            add("krr " + spec, KernelRidge.builder(KernelSpec.parse(spec)).lambda(0.05).build().fit(dxPos, dy), dqPos);
        }
        add("krr-nystrom", NystromKernelRidge.builder(KernelSpec.parse("rbf(gamma=2)")).centers(40).lambda(1e-3)
                .centerTargets(true).build().fit(dx, dy), dq);
        add("gp", GaussianProcess.builder(KernelSpec.parse("0.05*matern(nu=2.5, length=0.3) + white(noise=0.01)"))
                .noise(1e-6).normalizeTargets(true).build().fit(dx, dy), dq);
        add("sgpr", SparseGaussianProcess.builder(KernelSpec.parse("1*rbf(length=0.4) + white(noise=0.3)"))
                .inducing(30).seed(2).normalizeTargets(true).build().fit(dx, dy), dq);
        add("ntk-predictor", NtkPredictor.builder((NeuralKernel) KernelSpec.parse("ntk(depth=2, w_var=2, b_var=0.1)"))
                .time(50).regularizer(1e-3, false).build().fit(dx, dy), dq);
        add("ntk-predictor-infinite", NtkPredictor.builder((NeuralKernel) KernelSpec.parse("nngp(depth=1, activation=erf)"))
                .regularizer(1e-2, false).build().fit(dx, dy), dq);
        add("gpc-laplace-3-classes", GaussianProcessClassifier.builder(KernelSpec.parse("2*rbf(gamma=0.5)")).build()
                .fit(ix, iy), iq);
        add("gpc-probit-ep", GaussianProcessClassifier.builder(KernelSpec.parse("4*rbf(gamma=0.1)"))
                .likelihood(Likelihood.probit()).inference(InferenceMethod.EP).build().fit(hx, hy), hq);
        add("gpc-logit-wide", GaussianProcessClassifier.builder(KernelSpec.parse("50*rbf(gamma=0.05)")).build()
                .fit(hx, hy), hq); // latent sd above 1.5: the split quadrature rule
        add("svc-ovo-probability", SupportVectorMachine.classifier(KernelSpec.parse("rbf(gamma=0.5)")).probability(true)
                .build().fit(ix, iy), iq);
        textLabels("svc-text-labels", SupportVectorMachine.classifier(KernelSpec.parse("rbf(gamma=0.5)")).build()
                .fit(ix, iy), iq, List.of("setosa", "versicolor", "virginica"));
        add("svc-ovr-probability", SupportVectorMachine.classifier(KernelSpec.parse("poly(degree=2)"))
                .multiclass(SvmModel.Multiclass.ONE_VS_REST).probability(true).build().fit(ix, iy), iq);
        add("svc-binary-sigmoid-kernel", SupportVectorMachine.classifier(KernelSpec.parse("sigmoid(gamma=0.05, coef0=-1)"))
                .probability(true).build().fit(hx, hy), hq);
        Matrix far = hq.copy();
        for (int j = 0; j < far.cols(); j++) {
            far.set(0, j, 100 * far.get(0, j)); // a point far out: its Platt probabilities hit the clip at 1e-7
        }
        add("svc-linear-far-point", SupportVectorMachine.classifier(KernelSpec.parse("linear()")).probability(true)
                .build().fit(hx, hy), far);
        add("svc-additive-chi2", SupportVectorMachine.classifier(KernelSpec.parse("additive_chi2()")).build()
                .fit(positive(hx), hy), positive(hq));
        org.kernels4j.kernel.Kernel rbf = KernelSpec.parse("rbf(gamma=0.5)");
        Matrix irisGram = org.kernels4j.gram.GramEngine.gram(rbf, ix);
        Matrix irisRows = org.kernels4j.gram.GramEngine.cross(rbf, iq, ix); // precomputed: kernel rows as inputs
        add("svc-precomputed", SupportVectorMachine.classifier().probability(true).build()
                .fitPrecomputed(irisGram, iy), irisRows);
        add("kpca-precomputed", KernelPca.builder().components(2).build().fitKernelMatrix(irisGram), irisRows);
        add("svr", SupportVectorMachine.regression(KernelSpec.parse("rbf(gamma=2)")).build().fit(dx, dy), dq);
        // one training row far out (1e10; 1e200, whose squared norm overflows): the reader sums the distances that
        // the expansion |x|^2 + |z|^2 - 2<x, z> would cancel from the differences, as Java does
        for (double farValue : new double[] {1e10, 1e200}) {
            Matrix fx = dx.rowRange(0, 60).copy();
            fx.set(0, 0, farValue);
            for (String spec : new String[] {"rbf(gamma=0.5)", "matern(nu=2.5, length=2)"}) {
                add("krr-far-row-" + farValue + "-" + spec, org.kernels4j.regression.KernelRidge.builder(KernelSpec.parse(spec))
                        .lambda(0.1).build().fit(fx, dy.rowRange(0, 60)), dq);
            }
        }
        add("nu-svc", SupportVectorMachine.nuClassifier(rbf).nu(0.3).probability(true).build().fit(ix, iy), iq);
        add("nu-svr", SupportVectorMachine.nuRegression(KernelSpec.parse("rbf(gamma=2)")).nu(0.4).build().fit(dx, dy), dq);
        add("one-class", SupportVectorMachine.oneClass(KernelSpec.parse("rbf(gamma=2)")).nu(0.2).build().fit(dx, null), dq);
        Matrix hy01 = hy.copy(); // heart's labels are -1/+1: the probit model gets them as 0/1, the logit one as they are
        for (int i = 0; i < hy01.rows(); i++) {
            hy01.set(i, 0, hy01.get(i, 0) > 0 ? 1 : 0);
        }
        for (String lik : new String[] {"probit", "logit"}) {
            add("svgp-" + lik, org.kernels4j.gp.SparseVariationalGaussianProcess.builder(KernelSpec.parse("2*rbf(gamma=0.1)"))
                    .likelihood(Likelihood.parse(lik)).inducing(25).batchSize(40).epochs(3).seed(3).build()
                    .fit(hx, lik.equals("probit") ? hy01 : hy), hq);
        }
        Matrix counts = dy.copy();
        for (int i = 0; i < counts.rows(); i++) {
            counts.set(i, 0, Math.floor(counts.get(i, 0) / 50));
        }
        add("svgp-poisson", org.kernels4j.gp.SparseVariationalGaussianProcess.builder(KernelSpec.parse("rbf(gamma=2)"))
                .likelihood(Likelihood.parse("poisson")).inducing(20).epochs(2).seed(3).build().fit(dx, counts), dq);
        add("svgp-student-t", org.kernels4j.gp.SparseVariationalGaussianProcess.builder(
                KernelSpec.parse("0.5*matern(nu=2.5, length=0.5)")).likelihood(Likelihood.parse("student-t(nu=4,scale=30)"))
                .inducing(20).epochs(2).seed(3).build().fit(dx, dy), dq);
        for (org.kernels4j.online.OnlineKernelLearner.Type t : org.kernels4j.online.OnlineKernelLearner.Type.values()) {
            boolean regression = t == org.kernels4j.online.OnlineKernelLearner.Type.REGRESSION;
            boolean novelty = t == org.kernels4j.online.OnlineKernelLearner.Type.NOVELTY;
            add("online-" + t, org.kernels4j.online.OnlineKernelLearner.builder(t, KernelSpec.parse("rbf(gamma=0.1)"))
                    .budget(40).build().fit(regression || novelty ? dx : hx, regression ? dy : novelty ? null : hy),
                    regression || novelty ? dq : hq);
        }
        for (KernelDensity.Profile p : KernelDensity.Profile.values()) {
            add("kde-" + p, KernelDensity.builder(p).bandwidth(0.08).build().fit(dx), dq);
        }
        add("calibrated-svc-isotonic", CalibratedClassifier.builder(SupportVectorMachine.classifier(
                KernelSpec.parse("rbf(gamma=0.5)")).build()).method(CalibratedClassifier.Method.ISOTONIC).folds(3).build()
                .fit(ix, iy), iq);
        add("calibrated-svc-binary", CalibratedClassifier.builder(SupportVectorMachine.classifier(
                KernelSpec.parse("rbf(gamma=0.1)")).build()).folds(3).build().fit(hx, hy), hq);
        add("calibrated-gpc", CalibratedClassifier.builder(GaussianProcessClassifier.builder(
                KernelSpec.parse("rbf(gamma=0.1)")).build()).folds(3).build().fit(hx, hy), hq);
        add("kpca", KernelPca.builder(KernelSpec.parse("rbf(gamma=2)")).components(3).fitInverseTransform(0.1).build()
                .fit(dx), dq);
        add("kpca-nystrom", KernelPca.builder(KernelSpec.parse("laplacian(gamma=1)")).components(3).solver(KernelPca.Solver.nystrom(30)).seed(4)
                .build().fit(dx), dq);

        // refused by name: kernels without a closed form here, and model kinds not ported
        refuse("zz kernel", KernelRidge.builder(KernelSpec.parse("zz(reps=1)")).lambda(0.1).build()
                .fit(dx.selectColumns(new int[] {0, 1}), dy), "kernel 'zz'");
        refuse("softmax gpc", GaussianProcessClassifier.builder(KernelSpec.parse("rbf(gamma=0.5)"))
                .multiClass(org.kernels4j.gp.MultiClass.SOFTMAX).build().fit(ix, iy), "multi_class 'softmax'");
        refuse("tanh activation", KernelRidge.builder(KernelSpec.parse("nngp(depth=1, activation=tanh)")).lambda(0.1)
                .build().fit(dx, dy), "activation=tanh");
        refuse("kernel k-means", org.kernels4j.cluster.KernelKMeans.builder(KernelSpec.parse("rbf()")).clusters(2).seed(1)
                .build().fit(dx), "kind 'kernel-kmeans'");
        // the same grammar: a bad spec is refused at the same column as Java's parser refuses it
        for (String spec : new String[] {"rbf(gama=1)", "rbf(gamma=1", "rbf(gamma=1,)", "2*", "rbf() +", "0.5",
            "rbf(gamma=-1)", "matern(nu=-1)", "vmf(kappa=0)", "poly(degree=2.5)", "poly(degree=0)", "laplacian(norm=l3)", "foo()",
            "rbf gamma", "((rbf())", "rbf(gamma=1, gamma=2)", "rbf(gamma=[1, 2])", "rbf() * -2", "rbf(gamma=1e)",
            "rbf(gamma=1, length=2)", "ntk(param=standard)", "(2*rbf(length=[1, 2])) + white(noise=0.1) * linear(x=1)"}) {
            int column = -1;
            try {
                KernelSpec.parse(spec);
            } catch (KernelSpecException e) {
                column = e.column();
            }
            assertTrue(column > 0, spec);
            manifest.add(spec + "||spec_error||" + column);
            expectedChecks++;
        }
        manifest.add("damaged files|" + dir.resolve("gp.zip") + "|tamper||");
        expectedChecks += 10; // 8 archive damages, a negative jitter and a zero on the Cholesky factor's diagonal
        manifest.add("damaged gpc|" + dir.resolve("gpc-probit-ep.zip") + "|tamper||");
        expectedChecks += 9; // the same 8, and a gpc_format below 1

        Path list = dir.resolve("manifest.txt");
        Files.write(list, manifest, StandardCharsets.UTF_8);
        Result r = run(List.of(PYTHON.toString(), SCRIPT.toString(), list.toString()), 300);
        assertEquals(0, r.exitCode, r.output);
        long ok = r.output.lines().filter(l -> l.startsWith("ok ")).count();
        assertEquals(expectedChecks, ok, r.output);
    }

    /** |x|, for kernels defined on non-negative features. */
    private static Matrix positive(Matrix x) {
        Matrix p = x.copy();
        double[] d = p.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.abs(d[i]);
        }
        return p;
    }

    /** Saves a model and Java's outputs on q, one manifest line per output the model has. */
    private void add(String name, Model m, Matrix q) {
        String file = name.replaceAll("[^A-Za-z0-9_-]", "_");
        Path model = dir.resolve(file + ".zip");
        List<String> features = IntStream.range(0, m.features()).mapToObj(i -> "x" + i).toList();
        ModelFiles.save(m, features, model);
        Model loaded = ModelFiles.load(model).model(); // the file's model, as Java reads it back
        Path input = dir.resolve(file + ".x.npy");
        Npy.write(q, input);
        if (loaded instanceof Classifier c && c.classes() != null) {
            expect(name, model, "labels", input, loaded.predict(q));
            if (c.hasProbabilities()) {
                expect(name, model, "predict_proba", input, c.probabilities(q));
            }
        } else if (loaded instanceof DensityModel dm) {
            expect(name, model, "score_samples", input, Matrix.column(dm.logDensity(q)));
        } else if (loaded instanceof KernelPcaModel k) {
            expect(name, model, "transform", input, k.transform(q));
            if (k.hasInverseTransform()) {
                Path z = dir.resolve(file + ".z.npy");
                Npy.write(k.transform(q), z);
                expect(name, model, "inverse_transform", z, k.inverseTransform(k.transform(q)));
            }
        } else {
            expect(name, model, "predict", input, loaded.predict(q));
        }
        if (loaded instanceof DecisionFunction f) {
            expect(name, model, "decision_function", input, f.decisionValues(q));
        }
        if (loaded instanceof PredictiveVariance v) {
            expect(name, model, "predict_variance", input, v.predictiveVariance(q));
        }
    }

    /** A classifier saved with class names: Python's labels must be the names Java gives. */
    private void textLabels(String name, Model m, Matrix q, List<String> names) throws IOException {
        Path model = dir.resolve(name + ".zip");
        SavedModel saved = new SavedModel(m, IntStream.range(0, m.features()).mapToObj(i -> "x" + i).toList(), "species",
                ClassLabels.inOrder(names));
        ModelFiles.save(saved, model);
        SavedModel back = ModelFiles.load(model);
        Path input = dir.resolve(name + ".x.npy");
        Npy.write(q, input);
        List<String> labels = new ArrayList<>();
        for (double code : back.model().predict(q).data()) {
            labels.add(back.label(code));
        }
        Path out = dir.resolve(name + ".names.txt");
        Files.write(out, labels, StandardCharsets.UTF_8);
        manifest.add(name + "|" + model + "|names|" + input + "|" + out);
        expectedChecks++;
    }

    private void expect(String name, Path model, String method, Path input, Matrix javaOutput) {
        Path out = dir.resolve(model.getFileName() + "." + method + ".npy");
        Npy.write(javaOutput, out);
        manifest.add(name + "|" + model + "|" + method + "|" + input + "|" + out);
        expectedChecks++;
    }

    private void refuse(String name, Model m, String words) {
        Path model = dir.resolve(name.replace(' ', '_') + ".zip");
        ModelFiles.save(m, IntStream.range(0, m.features()).mapToObj(i -> "x" + i).toList(), model);
        manifest.add(name + "|" + model + "|refuse||" + words);
        expectedChecks++;
    }

    /**
     * Debian's python3 with numpy: installs python3-numpy with apt-get when numpy is missing; skips
     * (with the reason) only where python3 or apt-get is absent, or apt-get cannot be run as root. A
     * failed installation fails the test.
     */
    /**
     * Every model kind Java can save and every kernel name its catalog knows is either read by the Python
     * reader or refused by it by name (with its reason), never met as "unknown": a new Java kind or kernel
     * fails this test until the reader ports it or lists it.
     */
    @Test
    void everyJavaModelKindAndKernelIsReadOrRefusedByNameInPython() throws Exception {
        requireNumpy();
        String listing = "import sys; sys.path.insert(0, sys.argv[1]); from kernels4j import models, kernels\n"
                + "print(' '.join(sorted(set(models.KINDS) | set(models.UNSUPPORTED_KINDS))))\n"
                + "print(' '.join(sorted(set(kernels._TYPES) | set(kernels._ALIASES) | set(kernels.REFUSED))))\n";
        Result r = run(List.of(PYTHON.toString(), "-c", listing, Path.of("..", "python").toString()), 120);
        assertEquals(0, r.exitCode, r.output);
        List<String> lines = r.output.lines().toList();
        java.util.Set<String> pyKinds = java.util.Set.of(lines.get(0).split(" "));
        java.util.Set<String> pyKernels = java.util.Set.of(lines.get(1).split(" "));
        List<String> missingKinds = org.kernels4j.model.ModelCodecs.kinds().stream()
                .filter(k -> !pyKinds.contains(k)).sorted().toList();
        assertEquals(List.of(), missingKinds, "model kinds the Python reader neither reads nor refuses by name");
        List<String> missingKernels = new ArrayList<>();
        for (org.kernels4j.kernel.KernelCatalog.Type t : org.kernels4j.kernel.KernelCatalog.types()) {
            if (!pyKernels.contains(t.name())) {
                missingKernels.add(t.name());
            }
        }
        assertEquals(List.of(), missingKernels, "kernels the Python reader neither reads nor refuses by name");
    }

    private static void requireNumpy() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "no Debian python3 at " + PYTHON + ": cannot run the reader");
        if (run(List.of(PYTHON.toString(), "-c", "import numpy"), 60).exitCode == 0) {
            return;
        }
        Path apt = Path.of("/usr/bin/apt-get");
        Assumptions.assumeTrue(Files.isExecutable(apt), "numpy is missing for " + PYTHON
                + " and there is no apt-get to install python3-numpy with");
        Assumptions.assumeTrue(run(List.of("id", "-u"), 60).output.strip().equals("0"), "numpy is missing for " + PYTHON
                + " and installing python3-numpy with apt-get needs root");
        Result install = run(List.of(apt.toString(), "-o", "DPkg::Lock::Timeout=300", "install", "-y",
                "--no-install-recommends", "python3-numpy"), 600);
        assertEquals(0, install.exitCode, "apt-get install python3-numpy failed:\n" + install.output);
        Result again = run(List.of(PYTHON.toString(), "-c", "import numpy"), 60);
        assertEquals(0, again.exitCode, "numpy still missing after installing python3-numpy:\n" + again.output);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        pb.environment().remove("PYTHONPATH");
        pb.environment().remove("PYTHONHOME");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
