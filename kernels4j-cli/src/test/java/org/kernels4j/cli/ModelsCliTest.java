package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.kernels4j.io.SavedModel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.PredictiveVariance;

/**
 * Every learner is reachable from the command line: fit writes a model file of its kind, predict
 * writes exactly what the loaded model predicts (with --std and --proba where the model has them),
 * and evaluate scores it.
 */
class ModelsCliTest {
    @TempDir
    Path dir;

    private Path iris() throws IOException {
        Path src = Path.of("../data/iris.csv");
        List<String> lines = Files.readAllLines(src);
        List<String> every3rd = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i += 3) {
            every3rd.add(lines.get(i));
        }
        Path f = dir.resolve("iris.csv");
        Files.write(f, every3rd);
        return f;
    }

    private Path regression() throws IOException {
        List<String> lines = new ArrayList<>(List.of("a,b,y"));
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < 60; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            lines.add(a + "," + b + "," + (Math.sin(2 * a) + 0.3 * b + 0.05 * r.nextGaussian()));
        }
        Path f = dir.resolve("reg.csv");
        Files.write(f, lines);
        return f;
    }

    private static Matrix written(Path csv) {
        return CsvReader.builder().target(null).build().read(csv).features();
    }

    @Test
    void regressionModelsFitPredictWithStandardDeviationsAndEvaluate() throws IOException {
        Path data = regression();
        Dataset ds = CsvReader.builder().build().read(data);
        for (String[] m : new String[][] {
            {"sgpr", "1*rbf(length=1) + white(noise=0.1)", "--inducing", "15", "--optimize"},
            {"ntk", "ntk(depth=2, w_var=2, b_var=0.1)", "--time", "50", "--diag-reg", "1e-3"},
            {"gp", "1*rbf(length=1) + white(noise=0.1)", "--normalize"},
            {"dkm", "se(length=1.5)", "--layers", "2", "--nu", "2", "--noise", "0.05", "--max-iter", "20"},
        }) {
            Path model = dir.resolve(m[0] + ".zip");
            List<String> args = new ArrayList<>(List.of("fit", "--model", m[0], "--train", data.toString(), "--kernel",
                    m[1], "--out", model.toString(), "--no-progress"));
            args.addAll(List.of(m).subList(2, m.length));
            CliTest.Run fit = CliTest.run(args.toArray(new String[0]));
            assertEquals(0, fit.code(), m[0] + ": " + fit.err());
            assertTrue(fit.out().contains("training rmse"), fit.out());
            assertEquals(m[0], ModelFiles.kind(model));
            Path preds = dir.resolve(m[0] + ".csv");
            CliTest.Run pred = CliTest.run("predict", "--model", model.toString(), "--data", data.toString(), "--out",
                    preds.toString(), "--std");
            assertEquals(0, pred.code(), pred.err());
            SavedModel saved = ModelFiles.load(model);
            Matrix mean = saved.model().predict(ds.features());
            Matrix var = ((PredictiveVariance) saved.model()).predictiveVariance(ds.features());
            Matrix got = written(preds);
            for (int i = 0; i < ds.rows(); i++) {
                assertEquals(mean.get(i, 0), got.get(i, 0), 0.0, m[0]);
                assertEquals(Math.sqrt(var.get(i, 0)), got.get(i, 1), 0.0, m[0]);
            }
            CliTest.Run eval = CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString());
            assertEquals(0, eval.code(), eval.err());
            double rmse = Double.parseDouble(eval.out().lines().filter(l -> l.startsWith("rmse: ")).findFirst()
                    .orElseThrow().substring(6));
            assertTrue(rmse < 0.6, m[0] + " fits sin: " + eval.out());
        }
    }

    @Test
    void classifiersFitPredictProbabilitiesAndEvaluate() throws IOException {
        Path data = iris();
        Dataset ds = CsvReader.builder().build().read(data);
        for (String[] m : new String[][] {
            {"gpc", "2*rbf(gamma=0.5)"},
            {"private-similarity", "rbf(gamma=0.5)", "--epsilon-dp", "50", "--features", "200", "--seed", "3"},
            {"dkm", "nngp(activation=relu, w_var=2, b_var=0.1)", "--likelihood", "one-hot", "--layers", "1", "--nu", "2",
                "--noise", "0.1", "--max-iter", "5"},
        }) {
            Path model = dir.resolve(m[0] + ".zip");
            List<String> args = new ArrayList<>(List.of("fit", "--model", m[0], "--train", data.toString(), "--kernel",
                    m[1], "--out", model.toString()));
            args.addAll(List.of(m).subList(2, m.length));
            CliTest.Run fit = CliTest.run(args.toArray(new String[0]));
            assertEquals(0, fit.code(), m[0] + ": " + fit.err());
            assertTrue(fit.out().contains("training accuracy"), fit.out());
            Classifier c = (Classifier) ModelFiles.load(model).model();
            Path preds = dir.resolve(m[0] + ".csv");
            List<String> predict = new ArrayList<>(List.of("predict", "--model", model.toString(), "--data",
                    data.toString(), "--out", preds.toString()));
            if (c.hasProbabilities()) {
                predict.add("--proba");
            }
            CliTest.Run pred = CliTest.run(predict.toArray(new String[0]));
            assertEquals(0, pred.code(), pred.err());
            Matrix got = written(preds);
            assertEquals(c.hasProbabilities() ? 4 : 1, got.cols());
            Matrix labels = c.predict(ds.features());
            Matrix proba = c.hasProbabilities() ? c.probabilities(ds.features()) : null;
            for (int i = 0; i < ds.rows(); i++) {
                assertEquals(labels.get(i, 0), got.get(i, 0), 0.0);
                for (int k = 0; proba != null && k < 3; k++) {
                    assertEquals(proba.get(i, k), got.get(i, 1 + k), 0.0);
                }
            }
            CliTest.Run eval = CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString());
            assertEquals(0, eval.code(), eval.err());
            double acc = Double.parseDouble(eval.out().lines().filter(l -> l.startsWith("accuracy: ")).findFirst()
                    .orElseThrow().substring(10));
            assertTrue(acc > 0.85, m[0] + " on iris: " + eval.out());
        }
        String json = new String(readEntry(dir.resolve("private-similarity.zip"), "model.json"),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("\"epsilon\" : 50.0") && !json.contains("train_x"), "no private row is stored: " + json);
    }

    @Test
    void mistakesAreOneClearLine() throws IOException {
        Path data = regression();
        Path krr = dir.resolve("krr.zip");
        assertEquals(0, CliTest.run("fit", "--train", data.toString(), "--kernel", "rbf()", "--out", krr.toString())
                .code());
        CliTest.Run std = CliTest.run("predict", "--model", krr.toString(), "--data", data.toString(), "--out",
                dir.resolve("p.csv").toString(), "--std");
        assertEquals(2, std.code());
        assertTrue(std.err().contains("--std needs a model with a predictive variance") && std.err().contains("'krr'"),
                std.err());
        CliTest.Run ntk = CliTest.run("fit", "--model", "ntk", "--train", data.toString(), "--kernel", "rbf()", "--out",
                dir.resolve("n.zip").toString());
        assertEquals(2, ntk.code()); // a --kernel the --model cannot take: a usage error
        assertTrue(ntk.err().contains("--model ntk needs an nngp(...) or ntk(...) kernel"), ntk.err());
        CliTest.Run wrong = CliTest.run("fit", "--model", "gpc", "--train", data.toString(), "--kernel", "rbf()",
                "--inducing", "5", "--out", dir.resolve("g.zip").toString());
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("--inducing applies to --model sgpr"), wrong.err());
        CliTest.Run cv = CliTest.run("cv", "--model", "gpc", "--data", iris().toString(), "--kernel", "rbf(gamma=0.5)",
                "--kernel", "rbf(gamma=2)", "--folds", "3");
        assertEquals(0, cv.code(), cv.err());
        assertTrue(cv.out().contains("<- best") && cv.out().contains("accuracy"), cv.out());
    }

    private static byte[] readEntry(Path zip, String entry) throws IOException {
        try (var z = new java.util.zip.ZipFile(zip.toFile())) {
            return z.getInputStream(z.getEntry(entry)).readAllBytes();
        }
    }
}
