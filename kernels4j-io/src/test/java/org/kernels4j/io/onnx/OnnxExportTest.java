package org.kernels4j.io.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.SparseGaussianProcess;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.SavedModel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Model;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.regression.NtkPredictor;
import org.kernels4j.regression.NystromKernelRidge;

/**
 * Exported graphs run by ONNX Runtime give kernels4j's predictions, for every exported model kind
 * and kernel on the bundled data: regression models here, SVMs and random-feature models in
 * {@link OnnxClassifierExportTest}. Each model is fitted on part of a data set and evaluated on all
 * of it, so that both training rows (coincident points) and new rows are compared.
 */
class OnnxExportTest {
    /** The tolerance: relative 1e-10 (see {@link #assertClose}). */
    static final double TOLERANCE = 1e-10;
    /**
     * For kernels of the distance ‖x − z‖ itself (Laplacian, Matérn ν = ½): the exported graph forms ‖x − z‖² as
     * ‖x‖² + ‖z‖² − 2⟨x, z⟩, whose rounding δ ≈ d·2⁻⁵²·(‖x‖² + ‖z‖²) becomes √δ in the distance at coincident
     * points, where kernels4j sums the differences exactly (its cancellation guard). On diabetes' features (d = 10,
     * ‖x‖² ≤ 0.1) √δ ≈ 2·10⁻⁸, times γ or 1/ℓ ≤ 0.5, and a Nyström solve amplifies it a few times: 10⁻⁷.
     */
    static final double DISTANCE_TOLERANCE = 1e-7;

    /** A bundled data set with standardized features (target as read). */
    static Dataset data(String name) {
        Path file = Path.of("..", "data", name);
        Dataset ds = CsvReader.builder().build().read(file);
        Matrix x = ds.features().copy();
        double[] mean = x.columnMeans();
        double[] sd = x.columnStandardDeviations(mean);
        for (int f = 0; f < sd.length; f++) {
            sd[f] = sd[f] > 0 ? sd[f] : 1; // constant columns (digits' border pixels) stay as they are
        }
        x.standardizeColumns(mean, sd);
        return new Dataset(x, ds.target(), ds.featureNames(), ds.targetName(), ds.source());
    }

    static Matrix rows(Matrix m, int count) {
        return m.rowRange(0, count);
    }

    static byte[] export(Model model, Dataset ds) {
        return OnnxExport.toBytes(new SavedModel(model, ds.featureNames(), ds.targetName()));
    }

    /**
     * |onnx − java| ≤ 1e-10·max(|java|, s) elementwise, where s = max |java| over the whole output divided
     * by 100: relative to each value, except that values 100 times smaller than the largest are held to
     * the largest one's rounding, as summation order alone (ONNX Runtime's MatMul against OpenBLAS's GEMM)
     * changes them by that much.
     */
    static void assertClose(Matrix java, Matrix onnx, String what) {
        assertClose(java, onnx, what, TOLERANCE);
    }

    static void assertClose(Matrix java, Matrix onnx, String what, double tolerance) {
        assertEquals(java.rows(), onnx.rows(), what + ": rows");
        assertEquals(java.cols(), onnx.cols(), what + ": columns");
        double scale = 0;
        for (double v : java.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        double floor = scale / 100;
        double worst = 0;
        for (int i = 0; i < java.data().length; i++) {
            double want = java.data()[i];
            double err = Math.abs(onnx.data()[i] - want) / Math.max(Math.abs(want), floor);
            worst = Math.max(worst, err);
        }
        assertTrue(worst <= tolerance, what + ": largest relative difference " + worst);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rbf(gamma=0.1)", "rbf(length=[1, 2, 3, 4, 5, 6, 7, 8, 9, 10])", "laplacian(gamma=0.3)",
        "laplacian(gamma=0.2, norm=l1)", "matern(nu=0.5, length=2)", "matern(nu=1.5, length=[1, 2, 3, 4, 5, 1, 2, 3, 4, 5])",
        "matern(nu=2.5, length=3)", "rq(alpha=0.7, length=1.3)", "linear()", "poly(degree=3, gamma=0.1, coef0=1)",
        "sigmoid(gamma=0.01, coef0=0.5)", "cosine()", "periodic(length=2, period=5)",
        "2*rbf(gamma=0.05) + linear() + constant(value=0.5) + white(noise=0.1)", "rbf(gamma=0.1) * matern(nu=1.5, length=4)",
        "arccos(order=0, depth=2)", "arccos(order=1, depth=3)", "arccos(order=2, depth=1)",
        "nngp(depth=3, activation=relu, w_var=2, b_var=0.1)", "ntk(depth=3, activation=relu, w_var=2, b_var=0.1)",
        "ntk(depth=2, activation=leaky_relu, alpha=0.1)", "ntk(depth=2, activation=abrelu, a=-0.5, b=1.5, b_var=0.3)",
        "nngp(depth=3, activation=erf, w_var=1.5, b_var=0.2)", "ntk(depth=3, activation=erf, w_var=1.5, b_var=0.2)",
        "nngp(depth=2, activation=sign, b_var=0.1)", "ntk(depth=2, activation=step, b_var=0.1)",
        "ntk(depth=2, activation=identity, b_var=0.5)", "ntk(depth=0, w_var=1.5, b_var=0.2)",
        "ntk(depth=2, param=standard, width=100, b_var=0.1)", "nngp(depth=2, activation=relu, param=standard)"})
    void kernelRidgeRegressionWithEveryExportedKernel(String spec) {
        Dataset ds = data("diabetes.csv");
        Kernel k = KernelSpec.parse(spec);
        Model m = KernelRidge.builder(k).lambda(1).fitIntercept(true).build()
                .fit(rows(ds.features(), 300), rows(ds.target(), 300));
        Map<String, Matrix> out = Ort.run(export(m, ds), ds.features());
        assertEquals(List.of("prediction"), List.copyOf(out.keySet()));
        boolean ofDistance = spec.startsWith("laplacian(") && !spec.contains("l1") || spec.contains("nu=0.5");
        assertClose(m.predict(ds.features()), out.get("prediction"), spec, ofDistance ? DISTANCE_TOLERANCE : TOLERANCE);
    }

    /**
     * One training row with a value of 10¹⁰ (or 10²⁰⁰, whose squared norm overflows) moves the centre and every
     * centred norm: the expansion ‖x'‖² + ‖c'‖² − 2⟨x', c'⟩ would lose every distance between ordinary rows (errors
     * of 4 on predictions of ±2.5, NaN at 10²⁰⁰), so the graph sums the differences. Against kernels4j's own
     * predictions, which recompute such entries from the rows.
     */
    @ParameterizedTest
    @ValueSource(strings = {"rbf(gamma=0.5)", "rbf(length=[1, 2])", "laplacian(gamma=0.5)", "matern(nu=1.5, length=1)",
        "rq(alpha=0.7, length=1.3)"})
    void oneFarRowDoesNotCostTheOtherDistancesTheirDigits(String spec) {
        java.util.Random r = new java.util.Random(7);
        for (double far : new double[] {1e10, 1e200}) {
            Matrix x = new Matrix(60, 2);
            Matrix y = new Matrix(60, 1);
            for (int i = 0; i < 60; i++) {
                x.set(i, 0, i == 0 ? far : 4 * r.nextDouble() - 2);
                x.set(i, 1, 4 * r.nextDouble() - 2);
                y.set(i, 0, Math.sin(x.get(i, 1)) + (i == 0 ? 0 : x.get(i, 0)));
            }
            Matrix q = new Matrix(20, 2);
            for (int i = 0; i < 20; i++) {
                q.set(i, 0, 4 * r.nextDouble() - 2);
                q.set(i, 1, 4 * r.nextDouble() - 2);
            }
            Model m = KernelRidge.builder(KernelSpec.parse(spec)).lambda(0.1).build().fit(x, y);
            byte[] onnx = OnnxExport.toBytes(new SavedModel(m, List.of("a", "b"), "y"));
            Matrix java = m.predict(q);
            // the reference itself: every prediction finite and of the size of y
            for (double v : java.data()) {
                assertTrue(Double.isFinite(v) && Math.abs(v) < 10, spec + ": " + v);
            }
            assertClose(java, Ort.run(onnx, q).get("prediction"), spec + " with a row at " + far, DISTANCE_TOLERANCE);
        }
    }

    @Test
    void gaussianProcessMeanExactSparseAndNystromKernelRidge() {
        Dataset ds = data("diabetes.csv");
        Matrix x = rows(ds.features(), 300);
        Matrix y = rows(ds.target(), 300);
        Model gp = GaussianProcess.builder(KernelSpec.parse("2*matern(nu=2.5, length=[3, 4, 2, 3, 5, 4, 3, 2, 6, 3]) + white(noise=0.5)"))
                .normalizeTargets(true).build().fit(x, y);
        assertClose(gp.predict(ds.features()), Ort.run(export(gp, ds), ds.features()).get("prediction"), "gp");
        Model sparse = SparseGaussianProcess.builder(KernelSpec.parse("rbf(length=3) + white(noise=0.4)")).inducing(40)
                .seed(3).normalizeTargets(true).build().fit(x, y);
        assertClose(sparse.predict(ds.features()), Ort.run(export(sparse, ds), ds.features()).get("prediction"), "sgpr");
        Model nystrom = NystromKernelRidge.builder(KernelSpec.parse("laplacian(gamma=0.2)")).centers(60).lambda(1e-2)
                .build().fit(x, y);
        assertClose(nystrom.predict(ds.features()), Ort.run(export(nystrom, ds), ds.features()).get("prediction"),
                "nystrom krr", DISTANCE_TOLERANCE);
    }

    @Test
    void infiniteWidthEnsembleMeanAtAFiniteTimeAndAtConvergence() {
        Dataset ds = data("diabetes.csv");
        Matrix x = rows(ds.features(), 200);
        Matrix y = rows(ds.target(), 200);
        for (double t : new double[] {50, Double.POSITIVE_INFINITY}) {
            Model m = NtkPredictor.builder((NeuralKernel) KernelSpec.parse("ntk(depth=2, activation=erf, w_var=1.5, b_var=0.1)"))
                    .time(t).build().fit(x, y);
            Matrix onnx = Ort.run(export(m, ds), ds.features()).get("prediction");
            assertClose(m.predict(ds.features()), onnx, "ntk ensemble at t = " + t);
        }
    }

    @Test
    void multiOutputRegressionKeepsEveryColumn() {
        Dataset ds = data("diabetes.csv");
        Matrix x = rows(ds.features(), 200);
        Matrix y = new Matrix(200, 2);
        for (int i = 0; i < 200; i++) {
            y.set(i, 0, ds.target().get(i, 0));
            y.set(i, 1, x.get(i, 2) * x.get(i, 3) - 1000);
        }
        Model m = KernelRidge.builder(KernelSpec.parse("rbf(gamma=0.2)")).lambda(0.1).fitIntercept(true).build().fit(x, y);
        Matrix onnx = Ort.run(export(m, ds), ds.features()).get("prediction");
        assertEquals(2, onnx.cols());
        assertClose(m.predict(ds.features()), onnx, "two outputs");
    }

    @Test
    void refusesModelKindsAndKernelsWithoutAnOnnxForm() {
        Dataset ds = data("iris.csv");
        Model gpc = org.kernels4j.gp.GaussianProcessClassifier.builder(KernelSpec.parse("rbf(gamma=0.5)")).build()
                .fit(rows(ds.features(), 100), rows(ds.target(), 100));
        String kind = assertThrows(Kernels4jException.class, () -> export(gpc, ds)).getMessage();
        assertTrue(kind.startsWith("a 'gpc' model cannot be exported to ONNX"), kind);
        for (String spec : List.of("bessel(sigma=0.5, order=2, degree=2)", "rbf(gamma=1) + anova(sigma=0.7, degree=2)",
                "2*ntk(depth=2, activation=tanh)", "nngp(depth=1, activation=\"x*erf(x)\")")) {
            Model m = KernelRidge.builder(KernelSpec.parse(spec)).build().fit(rows(ds.features(), 20), rows(ds.target(), 20));
            String msg = assertThrows(Kernels4jException.class, () -> export(m, ds)).getMessage();
            String part = spec.contains("bessel") ? "the kernel 'bessel("
                    : spec.contains("anova") ? "the kernel 'anova(" : spec.contains("tanh") ? "the activation 'tanh'"
                    : "the activation 'x*erf(x)'";
            assertTrue(msg.startsWith(part) && msg.contains("cannot be exported to ONNX"), msg);
        }
    }
}
