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
import org.kernels4j.gp.Likelihood;
import org.kernels4j.gp.SparseVariationalGaussianProcess;
import org.kernels4j.gp.SparseVariationalGaussianProcessModel;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.selection.ProbabilityMetrics;

/** fit --model svgp, predict, evaluate and bench svgp: the file holds the model the API builds; mistakes are one line. */
class SvgpCliTest {
    @TempDir
    Path dir;

    /** n rows of two features and a target column: 0/1 labels, or counts. */
    private Path write(String name, int n, boolean counts, long seed, Matrix x, Matrix y) throws IOException {
        Random r = new Random(seed);
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            double f = Math.sin(2 * a) + b + 0.4 * r.nextGaussian();
            double t = counts ? Math.floor(Math.exp(0.5 * a) * 2 * r.nextDouble()) : f > 0 ? 1 : 0;
            if (x != null) {
                x.set(i, 0, a);
                x.set(i, 1, b);
                y.set(i, 0, t);
            }
            csv.append(a).append(',').append(b).append(',').append((long) t).append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, csv);
        return p;
    }

    @Test
    void probitClassifierFromTheCommandLineEqualsTheApiAndPredictsAndEvaluates() throws IOException {
        Matrix x = new Matrix(120, 2);
        Matrix y = new Matrix(120, 1);
        Path train = write("train.csv", 120, false, 1, x, y);
        Path test = write("test.csv", 40, false, 2, null, null);
        Path model = dir.resolve("svgp.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "svgp", "--train", train.toString(), "--kernel",
                "1*rbf(length=0.8)", "--inducing", "12", "--batch-size", "40", "--epochs", "15", "--optimize",
                "--learning-rate", "0.05", "--seed", "3", "--no-progress", "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("model: svgp, kernel: 1*rbf(length=0.8)"), fit.out());
        assertTrue(fit.out().contains("steps: 45"), fit.out()); // 15 epochs of 3 batches
        assertEquals("svgp", ModelFiles.kind(model));
        SparseVariationalGaussianProcessModel fromFile = (SparseVariationalGaussianProcessModel) ModelFiles.load(model)
                .model();
        SparseVariationalGaussianProcessModel api = SparseVariationalGaussianProcess.builder(
                KernelSpec.parse("1*rbf(length=0.8)")).likelihood(Likelihood.probit()).inducing(12).batchSize(40)
                .epochs(15).learnHyperparameters(true).learnInducingInputs(true).learningRate(0.05).seed(3).build()
                .fit(x, y);
        assertEquals(api.kernel().toSpec(), fromFile.kernel().toSpec());
        assertEquals(0, api.probabilities(x).maxAbsDifference(fromFile.probabilities(x)), 1e-12);

        Path preds = dir.resolve("p.csv");
        CliTest.Run pred = CliTest.run("predict", "--model", model.toString(), "--data", test.toString(), "--out",
                preds.toString(), "--proba");
        assertEquals(0, pred.code(), pred.err());
        Matrix written = CsvReader.builder().target(null).build().read(preds).features();
        var ds = CsvReader.builder().build().read(test);
        Matrix p = fromFile.probabilities(ds.features());
        for (int i = 0; i < p.rows(); i++) {
            assertEquals(p.get(i, 1), written.get(i, 2), 1e-12);
        }
        CliTest.Run eval = CliTest.run("evaluate", "--model", model.toString(), "--data", test.toString());
        assertEquals(0, eval.code(), eval.err());
        ProbabilityMetrics pm = ProbabilityMetrics.of(fromFile.classes(), ds.target().data(), p, 10);
        assertTrue(eval.out().contains("log_loss: " + pm.logLoss() + "\n"), eval.out());
    }

    @Test
    void poissonCountsFitAsRegression() throws IOException {
        Matrix x = new Matrix(80, 2);
        Matrix y = new Matrix(80, 1);
        Path train = write("counts.csv", 80, true, 4, x, y);
        Path model = dir.resolve("poisson.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "svgp", "--likelihood", "poisson", "--train", train.toString(),
                "--kernel", "rbf(length=1)", "--inducing", "10", "--epochs", "20", "--natural-step", "0.8", "--no-progress",
                "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("training rmse: "), fit.out());
        SparseVariationalGaussianProcessModel m = (SparseVariationalGaussianProcessModel) ModelFiles.load(model).model();
        assertEquals("poisson", m.likelihood().toSpec());
        SparseVariationalGaussianProcessModel api = SparseVariationalGaussianProcess.builder(KernelSpec.parse(
                "rbf(length=1)")).likelihood(Likelihood.poisson()).inducing(10).epochs(20).naturalGradientStep(0.8)
                .seed(1).build().fit(x, y);
        assertEquals(0, api.predict(x).maxAbsDifference(m.predict(x)), 1e-12);
    }

    @Test
    void mistakesGetOneLine() throws IOException {
        Path train = write("t.csv", 30, false, 5, null, null);
        Path counts = write("c.csv", 30, true, 6, null, null);
        String out = dir.resolve("m.zip").toString();
        List<String> csv = Files.readAllLines(train);
        csv.set(4, csv.get(4).replaceAll(",[01]$", ",2"));
        Path three = dir.resolve("three.csv");
        Files.write(three, csv);
        assertOneLine(1, "the probit likelihood separates two classes; the labels hold 3 values [0.0, 1.0, 2.0]", "fit",
                "--model", "svgp", "--train", three.toString(), "--kernel", "rbf()", "--inducing", "5", "--out", out);
        List<String> c = Files.readAllLines(counts);
        c.set(2, c.get(2).replaceAll(",[0-9]+$", ",-3"));
        Path negative = dir.resolve("negative.csv");
        Files.write(negative, c);
        assertOneLine(1, "the poisson likelihood needs non-negative integer counts; row 2 has -3.0", "fit", "--model",
                "svgp", "--likelihood", "poisson", "--train", negative.toString(), "--kernel", "rbf()", "--inducing", "5",
                "--out", out);
        assertOneLine(1, "asked for 31 inducing points but the data has only 30 rows", "fit", "--model", "svgp",
                "--train", train.toString(), "--kernel", "rbf()", "--inducing", "31", "--out", out);
        assertOneLine(2, "the batch size must be >= 1, got 0", "fit", "--model", "svgp", "--train", train.toString(),
                "--kernel", "rbf()", "--batch-size", "0", "--out", out);
        assertOneLine(2, "unknown likelihood 'student-t'", "fit", "--model", "svgp", "--train", train.toString(),
                "--kernel", "rbf()", "--likelihood", "student-t", "--out", out);
        assertOneLine(2, "--natural-step applies to --model svgp, not --model gp", "fit", "--model", "gp", "--train",
                train.toString(), "--kernel", "rbf()", "--natural-step", "0.5", "--out", out);
        assertOneLine(2, "--likelihood for bench svgp must be probit or logit", "bench", "svgp", "--n", "100", "--inducing", "10",
                "--likelihood", "poisson");
        assertOneLine(2, "--inducing between 1 and --n", "bench", "svgp", "--n", "100", "--inducing", "200");
    }

    @Test
    void libsvmMinusOnePlusOneLabelsAreTheTwoClasses() throws IOException {
        Path csv = write("pm.csv", 60, false, 7, null, null);
        List<String> lines = Files.readAllLines(csv);
        for (int i = 1; i < lines.size(); i++) {
            lines.set(i, lines.get(i).replaceAll(",0$", ",-1"));
        }
        Path pm = dir.resolve("pm1.csv");
        Files.write(pm, lines);
        Path model = dir.resolve("pm.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "svgp", "--train", pm.toString(), "--kernel", "rbf()",
                "--inducing", "10", "--no-progress", "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("classes: [-1, 1]"), fit.out());
        Path preds = dir.resolve("pm.csv.out");
        CliTest.Run pred = CliTest.run("predict", "--model", model.toString(), "--data", pm.toString(), "--out",
                preds.toString());
        assertEquals(0, pred.code(), pred.err());
        Matrix p = CsvReader.builder().target(null).build().read(preds).features();
        for (int i = 0; i < p.rows(); i++) {
            assertTrue(p.get(i, 0) == -1 || p.get(i, 0) == 1, "row " + i + ": " + p.get(i, 0));
        }
    }

    private static void assertOneLine(int code, String message, String... args) {
        CliTest.Run r = CliTest.run(args);
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(message), r.err());
    }

    @Test
    void benchPrintsTimesMemoryAndTheGainOverTheStart() {
        CliTest.Run r = CliTest.run("bench", "svgp", "--n", "3000", "--inducing", "20", "--batch-size", "500",
                "--epochs", "2", "--test", "500");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("svgp 1*rbf(length=1.5) probit n=3000 d=10 m=20 batch=500 epochs=2 test=500"),
                lines.get(0));
        assertTrue(lines.get(2).matches("train_seconds: [0-9.]+ wall, ([0-9.]+|-) cpu \\(12 steps, [0-9.]+ s per epoch\\)"),
                lines.get(2));
        assertTrue(lines.get(3).contains("(training inputs alone: 0.2 MiB)"), lines.get(3));
        String[] loss = lines.get(5).replace("(", "").replace(")", "").split(" ");
        assertEquals(Math.log(2), Double.parseDouble(loss[3]), 1e-6); // the prior's p = 1/2
        assertTrue(Double.parseDouble(loss[1]) < Math.log(2) - 0.05, lines.get(5));
    }
}
