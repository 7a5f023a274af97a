package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Model;
import org.kernels4j.svm.SvmModel;

/** {@code export-onnx}: the written graph, run by ONNX Runtime, predicts what the model file predicts; bad input is one line. */
class ExportOnnxCliTest {
    @TempDir
    Path dir;

    private static final String IRIS = Path.of("..", "data", "iris.csv").toString();
    private static final String DIABETES = Path.of("..", "data", "diabetes.csv").toString();

    /** One output of the ONNX file for the rows of {@code x}, flattened row-major. */
    private static double[] runOnnx(Path onnx, Matrix x, String output) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
                OnnxTensor in = OnnxTensor.createTensor(env, DoubleBuffer.wrap(x.data()), new long[] {x.rows(), x.cols()});
                OrtSession.Result r = s.run(Map.of("x", in))) {
            DoubleBuffer b = ((OnnxTensor) r.get(output).orElseThrow()).getDoubleBuffer();
            double[] v = new double[b.remaining()];
            b.get(v);
            return v;
        }
    }

    @Test
    void svmWithProbabilitiesAndKernelRidgeExportAndAgree() throws Exception {
        Path model = dir.resolve("svc.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "svc", "--train", IRIS, "--kernel", "rbf(gamma=0.3)",
                "--probability", "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        Path onnx = dir.resolve("svc.onnx");
        CliTest.Run export = CliTest.run("export-onnx", "--model", model.toString(), "--out", onnx.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().startsWith("wrote " + onnx + ": ONNX IR 10, opset 21"), export.out());
        assertTrue(export.out().contains("input:  x [N, 4] float64 (sepal length (cm), sepal width (cm)"), export.out());
        assertTrue(export.out().contains("output: decision_values [N, 3] float64")
                && export.out().contains("output: prediction [N, 1] float64")
                && export.out().contains("output: probabilities [N, 3] float64"), export.out());
        Matrix x = CsvReader.builder().build().read(Path.of(IRIS)).features();
        SvmModel svm = (SvmModel) ModelFiles.load(model).model();
        assertArrayEquals(svm.predict(x).data(), runOnnx(onnx, x, "prediction"));
        assertArrayEquals(svm.probabilities(x).data(), runOnnx(onnx, x, "probabilities"), 1e-10);

        Path krr = dir.resolve("krr.zip");
        assertEquals(0, CliTest.run("fit", "--model", "krr", "--train", DIABETES, "--kernel", "matern(nu=2.5, length=0.2)",
                "--lambda", "0.01", "--intercept", "--out", krr.toString()).code());
        Path krrOnnx = dir.resolve("krr.onnx");
        assertEquals(0, CliTest.run("export-onnx", "--model", krr.toString(), "--out", krrOnnx.toString()).code());
        Dataset d = CsvReader.builder().build().read(Path.of(DIABETES));
        double[] want = ModelFiles.load(krr).model().predict(d.features()).data();
        double[] got = runOnnx(krrOnnx, d.features(), "prediction");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-10 * Math.abs(want[i]), "row " + i);
        }
    }

    @Test
    void refusalsAndUsageErrorsAreOneLineAndWriteNothing() {
        Path gpc = dir.resolve("gpc.zip");
        assertEquals(0, CliTest.run("fit", "--model", "gpc", "--train", IRIS, "--kernel", "rbf(gamma=0.3)", "--out",
                gpc.toString()).code());
        Path out = dir.resolve("m.onnx");
        CliTest.Run kind = CliTest.run("export-onnx", "--model", gpc.toString(), "--out", out.toString());
        assertEquals(1, kind.code());
        assertEquals("kernels4j: error: a 'gpc' model cannot be exported to ONNX (exported kinds: krr, gp, sgpr, ntk, svm, "
                + "private-kernel-sum, private-similarity)", kind.err().strip());
        assertFalse(Files.exists(out), "nothing written");

        Path chi2 = dir.resolve("chi2.zip");
        assertEquals(0, CliTest.run("fit", "--model", "krr", "--train", IRIS, "--kernel", "chi2(gamma=0.5)", "--out",
                chi2.toString()).code());
        CliTest.Run kernel = CliTest.run("export-onnx", "--model", chi2.toString(), "--out", out.toString());
        assertEquals(1, kernel.code());
        assertTrue(kernel.err().startsWith("kernels4j: error: the kernel 'chi2(gamma=0.5)' cannot be exported to ONNX"),
                kernel.err());
        assertEquals(1, kernel.err().strip().lines().count(), kernel.err());
        assertFalse(Files.exists(out), "nothing written");

        CliTest.Run missing = CliTest.run("export-onnx", "--model", dir.resolve("none.zip").toString(), "--out",
                out.toString());
        assertEquals(1, missing.code());
        assertEquals("kernels4j: error: " + dir.resolve("none.zip") + ": no such model file", missing.err().strip());
        CliTest.Run usage = CliTest.run("export-onnx", "--model", gpc.toString());
        assertEquals(2, usage.code());
        assertTrue(usage.err().startsWith("kernels4j: Missing required option: '--out=MODEL.onnx'"), usage.err());
        assertEquals(1, usage.err().strip().lines().count(), usage.err());
    }
}
