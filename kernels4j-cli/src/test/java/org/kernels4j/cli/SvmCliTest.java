package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

class SvmCliTest {
    @TempDir
    Path dir;
    Path train;
    Path test;

    static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    /** Three Gaussian classes in 2-D (labels 1, 2, 3), 150 training rows and 60 test rows, as CSV with a header. */
    @BeforeEach
    void writeData() throws IOException {
        train = dir.resolve("train.csv");
        test = dir.resolve("test.csv");
        Random r = new Random(5);
        for (Path p : List.of(train, test)) {
            List<String> lines = new ArrayList<>(List.of("u,v,label"));
            int n = p == train ? 150 : 60;
            for (int i = 0; i < n; i++) {
                int c = 1 + i % 3;
                lines.add((c + 0.6 * r.nextGaussian()) + "," + ((c == 2 ? 1 : 0) + 0.6 * r.nextGaussian()) + "," + c);
            }
            Files.write(p, lines);
        }
    }

    @Test
    void fitEvaluatePredictWithProbabilities() throws IOException {
        Path model = dir.resolve("svc.zip");
        CliTest.Run fit = run("fit", "--model", "svc", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--c",
                "2", "--probability", "--class-weight", "3=2", "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("1 vs 2") && fit.out().contains("2 vs 3") && fit.out().contains("one-vs-one"),
                fit.out());
        CliTest.Run eval = run("evaluate", "--model", model.toString(), "--data", test.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("confusion matrix") && eval.out().contains("precision"), eval.out());
        double acc = Double.parseDouble(eval.out().lines().filter(l -> l.startsWith("accuracy: ")).findFirst().get()
                .substring(10));
        Path preds = dir.resolve("p.csv");
        CliTest.Run pred = run("predict", "--model", model.toString(), "--data", test.toString(), "--proba",
                "--decision", "--out", preds.toString());
        assertEquals(0, pred.code(), pred.err());
        Dataset p = CsvReader.builder().target(null).build().read(preds);
        assertEquals(List.of("label", "label_p_1", "label_p_2", "label_p_3", "decision_1_vs_2", "decision_1_vs_3",
                "decision_2_vs_3"), p.featureNames());
        Dataset te = CsvReader.builder().target("label").build().read(test);
        // the written labels are the model's predictions, and the accuracy evaluate printed is theirs
        double[] direct = ModelFiles.load(model).model().predict(te.features()).data();
        int correct = 0;
        for (int i = 0; i < 60; i++) {
            assertEquals(direct[i], p.features().get(i, 0));
            double s = p.features().get(i, 1) + p.features().get(i, 2) + p.features().get(i, 3);
            assertEquals(1, s, 1e-9);
            correct += direct[i] == te.target().get(i, 0) ? 1 : 0;
        }
        assertEquals(correct / 60.0, acc, 1e-12);
        assertTrue(acc > 0.6, "accuracy " + acc);
    }

    @Test
    void regressionOneClassAndPrecomputedKernels() throws IOException {
        Path svr = dir.resolve("svr.zip");
        CliTest.Run fit = run("fit", "--model", "svr", "--train", train.toString(), "--target", "u", "--kernel",
                "rbf(gamma=0.5)", "--epsilon", "0.2", "--out", svr.toString());
        assertEquals(0, fit.code(), fit.err());
        CliTest.Run eval = run("evaluate", "--model", svr.toString(), "--data", test.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("rmse: "), eval.out());
        Path one = dir.resolve("one.zip");
        fit = run("fit", "--model", "oneclass", "--train", train.toString(), "--target", "label", "--kernel",
                "rbf(gamma=0.5)", "--nu", "0.1", "--out", one.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("outside the estimated support"), fit.out());
        assertEquals(2, ModelFiles.load(one).model().features());
        // precomputed: the training file holds K(X, X) and the labels, the test file K(X_test, X)
        Dataset tr = CsvReader.builder().target("label").build().read(train);
        Dataset te = CsvReader.builder().target("label").build().read(test);
        var k = KernelSpec.parse("rbf(gamma=0.5)");
        Path gramTrain = writeKernelCsv("gram_train.csv", GramEngine.gram(k, tr.features()), tr.target());
        Path gramTest = writeKernelCsv("gram_test.csv", GramEngine.cross(k, te.features(), tr.features()), te.target());
        Path pre = dir.resolve("pre.zip");
        fit = run("fit", "--model", "svc", "--train", gramTrain.toString(), "--kernel", "precomputed", "--out",
                pre.toString());
        assertEquals(0, fit.code(), fit.err());
        Path direct = dir.resolve("direct.zip");
        assertEquals(0, run("fit", "--model", "svc", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--out",
                direct.toString()).code());
        String a = run("evaluate", "--model", pre.toString(), "--data", gramTest.toString()).out();
        String b = run("evaluate", "--model", direct.toString(), "--data", test.toString()).out();
        assertEquals(b.lines().filter(l -> l.startsWith("accuracy")).toList(),
                a.lines().filter(l -> l.startsWith("accuracy")).toList());
        CliTest.Run wrong = run("evaluate", "--model", pre.toString(), "--data", test.toString());
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().contains("150 features"), wrong.err());
    }

    private Path writeKernelCsv(String name, Matrix k, Matrix y) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        for (int j = 0; j < k.cols(); j++) {
            head.append("k").append(j).append(',');
        }
        lines.add(head + "label");
        for (int i = 0; i < k.rows(); i++) {
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < k.cols(); j++) {
                row.append(k.get(i, j)).append(',');
            }
            lines.add(row.toString() + y.get(i, 0));
        }
        Path p = dir.resolve(name);
        Files.write(p, lines);
        return p;
    }

    @Test
    void gridSearchFromTheCommandLine() {
        CliTest.Run r = run("cv", "--model", "svc", "--data", train.toString(), "--kernel", "rbf(gamma=0.1)", "--kernel",
                "rbf(gamma=1)", "--c", "0.1,10", "--folds", "3");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().lines().filter(l -> l.endsWith("<- best")).count(), r.out());
        assertTrue(r.out().contains("best: --kernel 'rbf("), r.out());
        // the scores are for standardized features, which fit does not make: said under the suggestion
        assertTrue(r.out().contains("scored on features standardized per fold; fit uses them as given"), r.out());
        CliTest.Run raw = run("cv", "--model", "svc", "--data", train.toString(), "--kernel", "rbf(gamma=1)", "--c", "1",
                "--folds", "3", "--no-standardize");
        assertEquals(0, raw.code(), raw.err());
        assertFalse(raw.out().contains("standardized per fold"), raw.out());
    }

    @Test
    void mistakesGetOneClearLine() {
        Path model = dir.resolve("m.zip");
        String[][] cases = {
            {"fit", "--model", "svc", "--train", "TRAIN", "--kernel", "rbf(gamma=1)", "--epsilon", "0.1", "--out", "M"},
            {"fit", "--model", "svm", "--train", "TRAIN", "--kernel", "rbf(gamma=1)", "--out", "M"},
            {"fit", "--model", "svc", "--train", "TRAIN", "--kernel", "rbf(gamma=1)", "--c", "-1", "--out", "M"},
            {"fit", "--model", "oneclass", "--train", "TRAIN", "--kernel", "rbf(gamma=1)", "--nu", "2", "--out", "M"},
            {"fit", "--model", "svc", "--train", "TRAIN", "--kernel", "precomputed", "--out", "M"},
            {"fit", "--model", "krr", "--train", "TRAIN", "--kernel", "rbf(gamma=1)", "--c", "1", "--out", "M"},
            {"fit", "--model", "svc", "--train", "TRAIN", "--kernel", "rbf(gamma=1)", "--class-weight", "7=2", "--out", "M"},
            {"cv", "--model", "svc", "--data", "TRAIN", "--kernel", "rbf(gamma=1)", "--lambda", "1"},
        };
        String[] expected = {"--epsilon applies to --model svr, not --model svc", "unknown --model 'svm'",
            "C must be a positive number", "nu must be in (0, 1]",
            "one kernel column per training row besides the target",
            "--c applies to --model svc|svr|nusvr|kqr, not --model krr", "label 7.0, which is not in the data",
            "--lambda applies to --model krr, not --model svc"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = cases[i].clone();
            for (int j = 0; j < args.length; j++) {
                args[j] = args[j].equals("TRAIN") ? train.toString() : args[j].equals("M") ? model.toString() : args[j];
            }
            CliTest.Run r = run(args);
            // exit 2 for options and their values (README), 1 for what the data makes impossible
            boolean usage = expected[i].contains(" applies to ") || expected[i].startsWith("unknown --model")
                    || expected[i].startsWith("C must") || expected[i].startsWith("nu must");
            assertEquals(usage ? 2 : 1, r.code(), String.join(" ", args));
            assertTrue(r.err().contains(expected[i]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        Path plain = dir.resolve("plain.zip");
        assertEquals(0, run("fit", "--model", "svc", "--train", train.toString(), "--kernel", "rbf(gamma=1)", "--out",
                plain.toString()).code());
        CliTest.Run r = run("predict", "--model", plain.toString(), "--data", test.toString(), "--proba", "--out",
                dir.resolve("x.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("trained without probabilities (fit --model svc --probability)"), r.err());
        Path nu = dir.resolve("nu.zip");
        assertEquals(0, run("fit", "--model", "nusvc", "--train", train.toString(), "--kernel", "rbf(gamma=1)", "--out",
                nu.toString()).code());
        r = run("predict", "--model", nu.toString(), "--data", test.toString(), "--proba", "--out",
                dir.resolve("x.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("(fit --model nusvc --probability)"), r.err());
    }

    /**
     * Above FitCommand.SCORED_SAMPLE training rows, fit scores a seeded sample and says so; --training-score all
     * scores every row. Both accuracies are recomputed here from the saved model's predictions: the sampled one must
     * be the accuracy over exactly the rows FitCommand.sampledRows names (checked on its own below), and differ from
     * the whole set's on this data with flipped labels. A bad value is one usage line, before any fit.
     */
    @Test
    void trainingScoreIsSampledAboveTheLimitAndWholeOnRequest() throws IOException {
        int n = FitCommand.SCORED_SAMPLE + 400;
        Path big = dir.resolve("big.csv");
        Random r = new Random(9);
        List<String> lines = new ArrayList<>(List.of("u,label"));
        for (int i = 0; i < n; i++) { // a wide margin and 1% flipped labels: few support vectors, a quick solve
            int label = r.nextBoolean() ? 1 : 0;
            double u = (label == 1 ? 1 : -1) * (1 + Math.abs(r.nextGaussian()));
            lines.add(u + "," + (r.nextDouble() < 0.01 ? 1 - label : label));
        }
        Files.write(big, lines);
        Path model = dir.resolve("big.zip");
        CliTest.Run sampled = run("fit", "--model", "svc", "--train", big.toString(), "--kernel", "linear()", "--seed", "3",
                "--out", model.toString());
        assertEquals(0, sampled.code(), sampled.err());
        String note = "(on " + FitCommand.SCORED_SAMPLE + " sampled rows of " + n + "; --training-score all for every row)";
        assertTrue(sampled.out().contains(note), sampled.out());
        Dataset ds = CsvReader.builder().target("label").build().read(big);
        double[] pred = ModelFiles.load(model).model().predict(ds.features()).data();
        double[] y = ds.target().data();
        int[] rows = FitCommand.sampledRows(n, FitCommand.SCORED_SAMPLE, 3);
        int hitSample = 0;
        for (int i : rows) {
            hitSample += pred[i] == y[i] ? 1 : 0;
        }
        int hitAll = 0;
        for (int i = 0; i < n; i++) {
            hitAll += pred[i] == y[i] ? 1 : 0;
        }
        assertTrue(hitSample * (double) n != hitAll * (double) rows.length, "the two accuracies should differ here");
        assertEquals(hitSample / (double) rows.length, accuracy(sampled.out()), 1e-6);
        CliTest.Run all = run("fit", "--model", "svc", "--train", big.toString(), "--kernel", "linear()", "--seed", "3",
                "--training-score", "all", "--out", dir.resolve("all.zip").toString());
        assertEquals(0, all.code(), all.err());
        assertTrue(!all.out().contains("sampled rows"), all.out());
        assertEquals(hitAll / (double) n, accuracy(all.out()), 1e-6);
        CliTest.Run bad = run("fit", "--model", "svc", "--train", big.toString(), "--kernel", "linear()",
                "--training-score", "some", "--out", dir.resolve("bad.zip").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--training-score must be sample or all, got 'some'"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(!Files.exists(dir.resolve("bad.zip")));
    }

    private static double accuracy(String out) {
        return Double.parseDouble(out.lines().filter(l -> l.startsWith("training accuracy: ")).findFirst().get()
                .substring(19).split(" ")[0]);
    }

    /** The scored sample: distinct sorted rows in range, all rows (null) at or below the count, the seed matters. */
    @Test
    void sampledRowsAreADistinctSeededSubset() {
        assertEquals(null, FitCommand.sampledRows(50, 50, 1));
        int[] a = FitCommand.sampledRows(1000, 300, 1);
        assertEquals(300, a.length);
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] > a[i - 1] && a[0] >= 0 && a[a.length - 1] < 1000, "sorted, distinct, in range");
        }
        assertTrue(!java.util.Arrays.equals(a, FitCommand.sampledRows(1000, 300, 2)));
        assertTrue(java.util.Arrays.equals(a, FitCommand.sampledRows(1000, 300, 1)));
        // uniform: over many seeds each row is drawn with probability 300/1000; the count of draws of row 0 and of
        // row 999 (a last-row bias would show) is binomial(400, 0.3): mean 120, sd 9.2, checked to 4.5 sd
        int first = 0;
        int last = 0;
        for (int seed = 0; seed < 400; seed++) {
            int[] s = FitCommand.sampledRows(1000, 300, seed);
            first += s[0] == 0 ? 1 : 0;
            last += s[s.length - 1] == 999 ? 1 : 0;
        }
        assertEquals(120, first, 41);
        assertEquals(120, last, 41);
    }
}
