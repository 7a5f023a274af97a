package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.gp.GaussianProcessClassifier;
import org.kernels4j.gp.GaussianProcessClassifierModel;
import org.kernels4j.gp.MultiClass;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/** fit --model gpc --multi-class softmax|ovr, then predict and evaluate on the file; mistakes give one line. */
class SoftmaxGpcCliTest {
    @TempDir
    Path dir;

    private static void assertOneLine(CliTest.Run r, int code, String text) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().contains(text), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void softmaxFromTheCommandLineEqualsTheApiAndPredictsFromItsFile() throws IOException {
        Random r = new Random(8);
        int n = 30;
        Matrix x = new Matrix(n, 2);
        Matrix y = new Matrix(n, 1);
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < n; i++) {
            x.set(i, 0, r.nextGaussian());
            x.set(i, 1, r.nextGaussian());
            double s = x.get(i, 0) + 0.4 * r.nextGaussian();
            y.set(i, 0, s < -0.4 ? 0 : s < 0.4 ? 1 : 2);
            csv.append(x.get(i, 0)).append(',').append(x.get(i, 1)).append(',').append((int) y.get(i, 0)).append('\n');
        }
        Path train = dir.resolve("train.csv");
        Files.writeString(train, csv);
        Path model = dir.resolve("soft.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "gpc", "--multi-class", "softmax", "--train", train.toString(),
                "--kernel", "2*rbf(length=1)", "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("multi_class: softmax"), fit.out());
        GaussianProcessClassifierModel fromFile = (GaussianProcessClassifierModel) ModelFiles.load(model).model();
        GaussianProcessClassifierModel api = GaussianProcessClassifier.builder(KernelSpec.parse("2*rbf(length=1)"))
                .multiClass(MultiClass.SOFTMAX).build().fit(x, y);
        assertEquals(MultiClass.SOFTMAX, fromFile.multiClass());
        assertEquals(api.logMarginalLikelihood(), fromFile.logMarginalLikelihood(), 1e-9);
        assertEquals(0, api.probabilities(x).maxAbsDifference(fromFile.probabilities(x)), 1e-9);

        Path preds = dir.resolve("p.csv");
        CliTest.Run pred = CliTest.run("predict", "--model", model.toString(), "--data", train.toString(), "--out",
                preds.toString(), "--proba");
        assertEquals(0, pred.code(), pred.err());
        Matrix written = CsvReader.builder().target(null).build().read(preds).features();
        Matrix p = api.probabilities(x);
        Matrix labels = api.predict(x);
        assertEquals(4, written.cols()); // the label, then P(class 0..2)
        for (int i = 0; i < n; i++) {
            assertEquals(labels.get(i, 0), written.get(i, 0));
            for (int c = 0; c < 3; c++) {
                assertEquals(p.get(i, c), written.get(i, c + 1), 1e-9);
            }
        }
        CliTest.Run eval = CliTest.run("evaluate", "--model", model.toString(), "--data", train.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("accuracy"), eval.out());

        // without the option gpc stays one-vs-rest
        CliTest.Run ovr = CliTest.run("fit", "--model", "gpc", "--train", train.toString(), "--kernel", "2*rbf(length=1)",
                "--out", dir.resolve("ovr.zip").toString());
        assertEquals(0, ovr.code(), ovr.err());
        assertTrue(ovr.out().contains("multi_class: ovr"), ovr.out());
        assertEquals(MultiClass.ONE_VS_REST,
                ((GaussianProcessClassifierModel) ModelFiles.load(dir.resolve("ovr.zip")).model()).multiClass());

        String out = dir.resolve("bad.zip").toString();
        assertOneLine(CliTest.run("fit", "--model", "gpc", "--multi-class", "ecoc", "--train", train.toString(),
                "--kernel", "rbf()", "--out", out), 2, "--multi-class: unknown multi-class mode 'ecoc'; expected softmax or ovr");
        assertOneLine(CliTest.run("fit", "--model", "gpc", "--multi-class", "softmax", "--inference", "ep", "--train",
                train.toString(), "--kernel", "rbf()", "--out", out), 2,
                "softmax multi-class classification is the logit likelihood with Laplace inference");
        assertOneLine(CliTest.run("fit", "--model", "gp", "--multi-class", "softmax", "--train", train.toString(),
                "--kernel", "rbf()", "--out", out), 2, "--multi-class applies to --model gpc, not --model gp");
        Path one = dir.resolve("one.csv");
        Files.write(one, List.of("a,b,label", "0,1,4", "1,0,4", "2,2,4"));
        // one class is a data error, not a usage error: exit 1 like every other unusable training file
        assertOneLine(CliTest.run("fit", "--model", "gpc", "--multi-class", "softmax", "--train", one.toString(),
                "--kernel", "rbf()", "--out", out), 1, "classification needs at least two classes");
        assertTrue(!Files.exists(dir.resolve("bad.zip")));
    }

    @Test
    void benchRunsBothKernels4jModesOnTheSameRows() {
        CliTest.Run r = CliTest.run("bench", "gpc-softmax", "--n", "24", "--test", "12", "--python", "none");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("gpc-softmax n=24 test=12 classes=3 seed=1"), r.out());
        List<String> rows = r.out().lines().filter(l -> l.startsWith("kernels4j-")).toList();
        assertEquals(2, rows.size(), r.out());
        assertTrue(rows.get(0).startsWith("kernels4j-softmax") && rows.get(1).startsWith("kernels4j-ovr"), r.out());
        for (String row : rows) {
            String[] f = row.trim().split("\\s+");
            double logLoss = Double.parseDouble(f[3]);
            double accuracy = Double.parseDouble(f[4]);
            assertTrue(logLoss > 0 && logLoss < Math.log(3) && accuracy > 1.0 / 3 && accuracy <= 1, row);
        }
        assertOneLine(CliTest.run("bench", "gpc-softmax", "--n", "5"), 2, "--n must be at least 10");
        assertOneLine(CliTest.run("bench", "gpc-softmax", "--n", "40", "--script", dir.resolve("none.py").toString()), 1,
                "no peer script at");
    }
}
