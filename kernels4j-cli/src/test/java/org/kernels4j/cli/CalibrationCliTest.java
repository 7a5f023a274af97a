package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.selection.ProbabilityMetrics;

/**
 * fit --calibrate writes a calibrated model, predict --proba writes its probabilities, evaluate
 * prints log-loss, Brier score and ECE (equal to the library's on the loaded model), and plot
 * --calibration draws the reliability diagram as a PNG.
 */
class CalibrationCliTest {
    @TempDir
    Path dir;

    private Path binary(String name, long seed) throws IOException {
        List<String> lines = new ArrayList<>(List.of("a,b,y"));
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < 120; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            double p = 1 / (1 + Math.exp(-3 * (a + 0.5 * b * b - 0.5)));
            lines.add(a + "," + b + "," + (r.nextDouble() < p ? 1 : 0));
        }
        Path f = dir.resolve(name);
        Files.write(f, lines);
        return f;
    }

    @Test
    void fitCalibratePredictEvaluateAndPlot() throws IOException {
        Path train = binary("train.csv", 1);
        Path test = binary("test.csv", 2);
        Path model = dir.resolve("cal.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "svc", "--kernel", "rbf(gamma=0.5)", "--calibrate", "sigmoid",
                "--train", train.toString(), "--out", model.toString(), "--no-progress");
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("model: svc calibrated by sigmoid"), fit.out());
        assertTrue(fit.out().contains("calibration: sigmoid"), fit.out());
        assertEquals("calibrated", ModelFiles.kind(model));
        Classifier c = (Classifier) ModelFiles.load(model).model();

        Path preds = dir.resolve("p.csv");
        CliTest.Run pred = CliTest.run("predict", "--model", model.toString(), "--data", test.toString(), "--out",
                preds.toString(), "--proba");
        assertEquals(0, pred.code(), pred.err());
        assertTrue(Files.readAllLines(preds).get(0).contains("y_p_0,y_p_1"), Files.readAllLines(preds).get(0));
        Matrix written = CsvReader.builder().target(null).build().read(preds).features();
        Dataset ds = CsvReader.builder().build().read(test);
        Matrix p = c.probabilities(ds.features());
        for (int i = 0; i < p.rows(); i++) {
            assertEquals(p.get(i, 0), written.get(i, 1), 1e-12);
            assertEquals(p.get(i, 1), written.get(i, 2), 1e-12);
            assertEquals(1, written.get(i, 1) + written.get(i, 2), 1e-12);
        }

        CliTest.Run eval = CliTest.run("evaluate", "--model", model.toString(), "--data", test.toString());
        assertEquals(0, eval.code(), eval.err());
        ProbabilityMetrics pm = ProbabilityMetrics.of(c.classes(), ds.target().data(), p, 10);
        assertTrue(eval.out().contains("log_loss: " + pm.logLoss() + "\n"), eval.out());
        assertTrue(eval.out().contains("brier: " + pm.brier() + "\n"), eval.out());
        assertTrue(eval.out().contains("ece: " + pm.expectedCalibrationError() + "\n"), eval.out());
        assertTrue(eval.out().contains("ece_bins: 10 equal-width bins of the probability of class 1"), eval.out());
        assertTrue(pm.logLoss() < Math.log(2), "better than a coin: " + pm.logLoss());

        Path png = dir.resolve("rel.png");
        CliTest.Run plot = CliTest.run("plot", "--calibration", "--model", model.toString(), "--data", test.toString(),
                "--out", png.toString(), "--bins", "5");
        assertEquals(0, plot.code(), plot.err());
        assertTrue(plot.out().contains("reliability diagram of P(class 1) over 5 bins, 120 rows"), plot.out());
        assertTrue(plot.out().contains("rows"), plot.out());
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
    }

    @Test
    void gpcIsotonicOnThreeClassesAndClearErrors() throws IOException {
        Path src = Path.of("../data/iris.csv");
        List<String> lines = Files.readAllLines(src);
        List<String> every2nd = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i += 2) {
            every2nd.add(lines.get(i));
        }
        Path iris = dir.resolve("iris.csv");
        Files.write(iris, every2nd);
        Path model = dir.resolve("gpc.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "gpc", "--kernel", "2*rbf(length=1)", "--calibrate", "isotonic",
                "--train", iris.toString(), "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        CliTest.Run eval = CliTest.run("evaluate", "--model", model.toString(), "--data", iris.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("ece_bins: 10 equal-width bins of the top-label confidence"), eval.out());

        Path plain = dir.resolve("plain.zip");
        assertEquals(0, CliTest.run("fit", "--model", "gpc", "--kernel", "2*rbf(length=1)", "--train", iris.toString(),
                "--out", plain.toString()).code());
        CliTest.Run exact = CliTest.run("evaluate", "--model", plain.toString(), "--data", iris.toString());
        assertTrue(exact.out().contains("log_loss: "), exact.out());

        CliTest.Run wrong = CliTest.run("fit", "--model", "krr", "--kernel", "rbf()", "--calibrate", "sigmoid", "--train",
                iris.toString(), "--out", dir.resolve("k.zip").toString());
        assertNotEquals(0, wrong.code());
        assertTrue(wrong.err().contains("--calibrate applies to --model svc|gpc"), wrong.err());
        // calibration maps of a private model would be fitted on the private rows without noise: refused, no file
        Path privateModel = dir.resolve("private.zip");
        CliTest.Run leak = CliTest.run("fit", "--model", "private-similarity", "--kernel", "rbf(gamma=0.5)", "--calibrate",
                "isotonic", "--train", iris.toString(), "--out", privateModel.toString());
        assertEquals(2, leak.code(), leak.err());
        assertTrue(leak.err().contains("--calibrate does not apply to --model private-similarity"), leak.err());
        assertTrue(Files.notExists(privateModel), "no model file written");
        CliTest.Run badMethod = CliTest.run("fit", "--model", "gpc", "--kernel", "rbf()", "--calibrate", "beta", "--train",
                iris.toString(), "--out", dir.resolve("k.zip").toString());
        assertTrue(badMethod.err().contains("sigmoid or isotonic"), badMethod.err());
        Path krr = dir.resolve("krr.zip");
        assertEquals(0, CliTest.run("fit", "--model", "krr", "--kernel", "rbf()", "--train", iris.toString(), "--out",
                krr.toString(), "--no-progress").code());
        CliTest.Run noProba = CliTest.run("plot", "--calibration", "--model", krr.toString(), "--data", iris.toString(),
                "--out", dir.resolve("x.png").toString());
        assertNotEquals(0, noProba.code());
        assertTrue(noProba.err().contains("--calibration needs a classifier with probabilities"), noProba.err());
    }
}
