package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.Npy;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.density.KernelDensity;
import org.kernels4j.selection.RegressionMetrics;
import org.kernels4j.linalg.Matrix;

class CliTest {
    @TempDir
    Path dir;
    Path train;
    Path test;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void splitBundledData() throws IOException {
        List<String> lines;
        try (InputStream in = CliTest.class.getResourceAsStream("data/diabetes.csv")) {
            lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        }
        train = dir.resolve("train.csv");
        test = dir.resolve("test.csv");
        Files.write(train, lines.subList(0, 351));
        List<String> t = new java.util.ArrayList<>();
        t.add(lines.get(0));
        t.addAll(lines.subList(351, lines.size()));
        Files.write(test, t);
    }

    @Test
    void fitSaveLoadPredictGivesIdenticalPredictions() throws IOException {
        Path model = dir.resolve("m.zip");
        Run fit = run("fit", "--train", train.toString(), "--kernel", "rbf(length=0.15)", "--lambda", "auto",
                "--intercept", "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("<- chosen"), fit.out());
        Path preds = dir.resolve("p.csv");
        Run pred = run("predict", "--model", model.toString(), "--data", test.toString(), "--out", preds.toString());
        assertEquals(0, pred.code(), pred.err());
        Dataset p = CsvReader.builder().target(null).build().read(preds);
        Dataset te = CsvReader.builder().build().read(test);
        Matrix direct = ModelFiles.load(model).model().predict(te.features());
        // Every value is written as the shortest decimal that reads back to the same double: exact.
        List<String> lines = Files.readAllLines(preds);
        for (int i = 1; i < lines.size(); i++) {
            assertEquals(lines.get(i), Double.toString(Double.parseDouble(lines.get(i))), "CSV keeps full double precision");
        }
        // The loaded model predicts what the command wrote. Not bit for bit: the Vector API's lane-wise EXP
        // may differ by 1 ulp between the interpreter and C2, and the two predictions can run in different
        // tiers depending on what ran before them in this JVM.
        assertTrue(p.features().maxAbsDifference(direct) <= 1e-13 * 150, "predictions differ by "
                + p.features().maxAbsDifference(direct));
        assertEquals(List.of("y"), p.featureNames());
        Run eval = run("evaluate", "--model", model.toString(), "--data", test.toString());
        assertEquals(0, eval.code(), eval.err());
        RegressionMetrics m = RegressionMetrics.of(te.target(), direct);
        assertTrue(eval.out().contains("rmse: " + m.rmse() + "\n"), eval.out());
        assertTrue(eval.out().contains("r2: " + m.r2() + "\n"), eval.out());
        assertTrue(m.r2() > 0.3, "a sensible fit on diabetes: r2 " + m.r2());
        // prediction files without the target column work too
        Path features = dir.resolve("features.csv");
        Files.write(features, Files.readAllLines(test).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        Path preds2 = dir.resolve("p2.csv");
        assertEquals(0, run("predict", "--model", model.toString(), "--data", features.toString(), "--out",
                preds2.toString()).code());
        assertEquals(Files.readString(preds), Files.readString(preds2));
        // evaluate needs the target: a features-only file is a clear error
        Run noTarget = run("evaluate", "--model", model.toString(), "--data", features.toString());
        assertEquals(1, noTarget.code());
        assertTrue(noTarget.err().contains("has the model's 10 feature columns but no target column 'y'"),
                noTarget.err());
        // with a header, the target is found by name wherever it is
        Path moved = dir.resolve("target-first.csv");
        Files.write(moved, Files.readAllLines(test).stream().map(l -> {
            int c = l.lastIndexOf(',');
            return l.substring(c + 1) + "," + l.substring(0, c);
        }).toList());
        Run evalMoved = run("evaluate", "--model", model.toString(), "--data", moved.toString());
        assertEquals(eval.out(), evalMoved.out());
        Path wide = dir.resolve("wide.csv");
        Files.write(wide, Files.readAllLines(test).stream().map(l -> l + ",0").toList());
        Run wrong = run("predict", "--model", model.toString(), "--data", wide.toString(), "--out",
                dir.resolve("p3.csv").toString());
        assertEquals(1, wrong.code());
        assertTrue(wrong.err().contains("unknown '0'"), wrong.err());
    }

    @Test
    void gramWritesTheEngineMatrix() {
        Path k = dir.resolve("k.npy");
        Run r = run("gram", "--data", test.toString(), "--target", "y", "--kernel", "matern(nu=1.5, length=0.2)", "--out",
                k.toString());
        assertEquals(0, r.code(), r.err());
        Dataset te = CsvReader.builder().build().read(test);
        Matrix expected = GramEngine.gram(KernelSpec.parse("matern(nu=1.5, length=0.2)"), te.features());
        assertEquals(0.0, Npy.read(k).maxAbsDifference(expected));
    }

    @Test
    void gramData2MatchesColumnsByHeaderName() throws IOException {
        Path ab = dir.resolve("ab.csv");
        Path swapped = dir.resolve("swapped_ab.csv");
        Path other = dir.resolve("other_names.csv");
        Files.writeString(ab, "a,b\n1,2\n4,5\n");
        Files.writeString(swapped, "b,a\n2,1\n5,4\n7,3\n");
        Files.writeString(other, "x,y\n1,2\n4,5\n");
        Path k = dir.resolve("k.npy");
        Run r = run("gram", "--data", ab.toString(), "--data2", swapped.toString(), "--kernel", "rbf(gamma=0.1)",
                "--out", k.toString());
        assertEquals(0, r.code(), r.err());
        Matrix z = Matrix.of(new double[][] {{1, 2}, {4, 5}, {3, 7}}); // swapped_ab.csv in the order a, b
        Matrix expected = GramEngine.cross(KernelSpec.parse("rbf(gamma=0.1)"),
                Matrix.of(new double[][] {{1, 2}, {4, 5}}), z);
        assertTrue(Npy.read(k).maxAbsDifference(expected) < 1e-12, "K(X, Z) with Z's columns by name");
        assertEquals(1.0, Npy.read(k).get(0, 0), 1e-12);
        Run bad = run("gram", "--data", ab.toString(), "--data2", other.toString(), "--kernel", "rbf(gamma=0.1)",
                "--out", k.toString());
        assertEquals(1, bad.code(), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("missing 'a', 'b'") && bad.err().contains("unknown 'x', 'y'"), bad.err());
    }

    @Test
    void gaussianProcessLearnsItsKernelAndPredictsStandardDeviations() throws IOException {
        Path model = dir.resolve("gp.zip");
        Run fit = run("fit", "--model", "gp", "--train", train.toString(), "--kernel", "1*rbf(length=1) + white(noise=1)",
                "--optimize", "--normalize", "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("rbf.length"), fit.out());
        String printed = fit.out().lines().filter(l -> l.startsWith("log marginal likelihood: ")).findFirst().orElseThrow();
        double lml = Double.parseDouble(printed.split(" ")[3]);
        // the saved kernel, fitted here, has the printed evidence, and the learned noise is a real level
        var saved = ModelFiles.load(model, GaussianProcessModel.class, "a GP");
        assertEquals("gp", ModelFiles.kind(model));
        Dataset tr = CsvReader.builder().build().read(train);
        Dataset te = CsvReader.builder().build().read(test);
        {
            GaussianProcessModel gp = GaussianProcess.builder(saved.kernel()).noise(1e-10).normalizeTargets(true).build()
                    .fit(tr.features(), tr.target());
            assertEquals(gp.logMarginalLikelihood(), lml, 1e-6 * Math.abs(lml));
            Path preds = dir.resolve("gp.csv");
            Run pred = run("predict", "--model", model.toString(), "--data", test.toString(), "--out", preds.toString(),
                    "--std");
            assertEquals(0, pred.code(), pred.err());
            Dataset p = CsvReader.builder().target(null).build().read(preds);
            assertEquals(List.of("y", "y_std"), p.featureNames());
            Matrix mean = gp.predict(te.features());
            double[] var = gp.variance(te.features(), 0);
            for (int i = 0; i < te.rows(); i++) {
                assertEquals(mean.get(i, 0), p.features().get(i, 0), 1e-9 * Math.abs(mean.get(i, 0)));
                assertEquals(Math.sqrt(var[i]), p.features().get(i, 1), 1e-9 * Math.sqrt(var[i]));
            }
        }
        Run eval = run("evaluate", "--model", model.toString(), "--data", test.toString());
        assertEquals(0, eval.code(), eval.err());
        // GP mistakes: options of the other model, a KRR model asked for --std, nothing to learn
        Run r = run("fit", "--model", "gp", "--train", train.toString(), "--kernel", "rbf()", "--lambda", "2", "--out",
                dir.resolve("x.zip").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--lambda applies to --model krr|pegasos|online, not --model gp"), r.err());
        Path krr = dir.resolve("krr.zip");
        assertEquals(0, run("fit", "--train", train.toString(), "--kernel", "linear()", "--out", krr.toString()).code());
        r = run("predict", "--model", krr.toString(), "--data", test.toString(), "--out", dir.resolve("s.csv").toString(),
                "--std");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--std needs a model with a predictive variance") && r.err().contains("'krr'"), r.err());
        r = run("fit", "--model", "gp", "--train", train.toString(), "--kernel", "linear()", "--optimize", "--out",
                dir.resolve("x.zip").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("has no free hyperparameters"), r.err());
        r = run("fit", "--model", "gp", "--train", train.toString(), "--kernel", "rbf(length=1) + white(noise=0.1)",
                "--optimize", "--bounds", "rbf.length=2", "--out", dir.resolve("x.zip").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--bounds must be NAME=LO:HI"), r.err());
        assertFalse(Files.exists(dir.resolve("x.zip")));
    }

    @Test
    void plotDrawsAOneFeatureGaussianProcessAsPngAndSvg() throws IOException {
        Path data = dir.resolve("one.csv");
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 30; i++) {
            double x = 0.3 * i;
            sb.append(x).append(',').append(Math.sin(x) + 0.05 * Math.cos(7 * i)).append('\n');
        }
        Files.writeString(data, sb.toString());
        Path model = dir.resolve("one.zip");
        assertEquals(0, run("fit", "--model", "gp", "--train", data.toString(), "--kernel", "rbf(length=1) + white(noise=0.01)",
                "--out", model.toString()).code());
        Path png = dir.resolve("one.png");
        Run r = run("plot", "--model", model.toString(), "--data", data.toString(), "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mean +/- 2 sd") && r.out().contains("30 data points"), r.out());
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 5000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG image");
        Path svg = dir.resolve("one.svg");
        assertEquals(0, run("plot", "--model", model.toString(), "--out", svg.toString(), "--from", "-1", "--to", "10").code());
        assertTrue(Files.readString(svg).contains("<svg"), "an SVG image");
        r = run("plot", "--model", model.toString(), "--out", dir.resolve("one.jpg").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--out must end in .png or .svg"), r.err());
        Path wide = dir.resolve("wide.zip");
        assertEquals(0, run("fit", "--train", train.toString(), "--kernel", "linear()", "--out", wide.toString()).code());
        r = run("plot", "--model", wide.toString(), "--out", dir.resolve("w.png").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("plot draws models of one input feature"), r.err());
        assertFalse(Files.exists(dir.resolve("w.png")));
    }

    /** Columns i and j (in that order) of every line of a CSV file, header included, written to {@code out}. */
    private static Path columnPair(Path csv, int i, int j, Path out) throws IOException {
        Files.write(out, Files.readAllLines(csv).stream().map(l -> {
            String[] c = l.split(",");
            return c[i] + "," + c[j];
        }).toList());
        return out;
    }

    @Test
    void kdeFitsScoresAndSamples() throws IOException {
        Path model = dir.resolve("kde.zip");
        Run fit = run("kde", "fit", "--data", train.toString(), "--ignore", "y", "--kernel", "epanechnikov", "--bandwidth",
                "cv", "--cv-grid", "0.02:0.5:8", "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("<- chosen"), fit.out());
        var saved = ModelFiles.load(model);
        assertEquals(10, saved.featureNames().size());
        Path scores = dir.resolve("scores.csv");
        Run score = run("kde", "score", "--model", model.toString(), "--data", test.toString(), "--ignore", "y", "--out",
                scores.toString());
        assertEquals(0, score.code(), score.err());
        Dataset te = CsvReader.builder().target("y").build().read(test);
        double[] expected = saved.as(KernelDensity.class, "a density").logDensity(te.features());
        List<String> lines = Files.readAllLines(scores);
        assertEquals("log_density", lines.get(0));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], Double.parseDouble(lines.get(i + 1)), 1e-12 * Math.max(1, Math.abs(expected[i])));
        }
        // several columns left out: names and indices, as a list or repeated; the model keeps the other columns
        Path without = dir.resolve("without.zip");
        assertEquals(0, run("kde", "fit", "--data", train.toString(), "--ignore", "y,0", "--ignore", "sex", "--bandwidth",
                "0.3", "--out", without.toString()).code());
        var fewer = ModelFiles.load(without);
        assertEquals(List.of("bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"), fewer.featureNames());
        Path fewerScores = dir.resolve("fewer.csv");
        Run scoredWithout = run("kde", "score", "--model", without.toString(), "--data", test.toString(), "--ignore",
                "-1,age,1", "--out", fewerScores.toString());
        assertEquals(0, scoredWithout.code(), scoredWithout.err());
        double[] direct = fewer.as(KernelDensity.class, "a density").logDensity(te.features().selectColumns(
                new int[] {2, 3, 4, 5, 6, 7, 8, 9}));
        List<String> fewerLines = Files.readAllLines(fewerScores);
        for (int i = 0; i < direct.length; i++) {
            assertEquals(direct[i], Double.parseDouble(fewerLines.get(i + 1)), 1e-12 * Math.max(1, Math.abs(direct[i])));
        }
        Run r0 = run("kde", "fit", "--data", train.toString(), "--ignore", "y,weight", "--out", dir.resolve("k.zip").toString());
        assertEquals(2, r0.code());
        assertTrue(r0.err().contains("no column 'weight'") && r0.err().contains("age, sex"), r0.err());
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        assertEquals(0, run("kde", "sample", "--model", model.toString(), "--count", "50", "--seed", "3", "--out",
                a.toString()).code());
        assertEquals(0, run("kde", "sample", "--model", model.toString(), "--count", "50", "--seed", "3", "--out",
                b.toString()).code());
        assertEquals(Files.readString(a), Files.readString(b), "seeded samples repeat");
        assertEquals(51, Files.readAllLines(a).size());
        // predict on a density writes its log-density, like kde score
        Run r = run("predict", "--model", model.toString(), "--data", test.toString(), "--out", dir.resolve("p.csv").toString());
        assertEquals(0, r.code(), r.err());
        // mistakes: the wrong file kind, a data file of the wrong width, a bad bandwidth
        r = run("kde", "score", "--model", model.toString(), "--data", test.toString(), "--out", dir.resolve("s.csv").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("columns do not match the model's features: unknown 'y'"), r.err());
        r = run("kde", "fit", "--data", train.toString(), "--bandwidth", "-1", "--out", dir.resolve("k.zip").toString());
        assertEquals(2, r.code()); // an option value: a usage error
        assertTrue(r.err().contains("the bandwidth must be a positive finite number"), r.err());
        r = run("kde", "fit", "--data", train.toString(), "--ignore", "y", "--cv-grid", "0.1:2:3", "--out",
                dir.resolve("k.zip").toString());
        assertEquals(2, r.code()); // a grid without --bandwidth cv would be ignored
        assertTrue(r.err().contains("--cv-grid applies to --bandwidth cv, not --bandwidth scott"), r.err());
        r = run("kde", "fit", "--data", train.toString(), "--kernel", "gausian", "--out", dir.resolve("k.zip").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown density kernel 'gausian'"), r.err());
        assertFalse(Files.exists(dir.resolve("k.zip")));
        // plots: 10 features is too many; two features draw a level map, one a curve
        r = run("plot", "--model", model.toString(), "--out", dir.resolve("k.png").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("plot draws densities of one or two features"), r.err());
        Path two = columnPair(train, 2, 3, dir.resolve("two.csv"));
        Path twoModel = dir.resolve("two.zip");
        assertEquals(0, run("kde", "fit", "--data", two.toString(), "--out", twoModel.toString()).code());
        // columns are matched by name: the same rows with the columns swapped score the same; other names are refused
        Path swapped = columnPair(two, 1, 0, dir.resolve("swapped.csv"));
        Path inOrder = dir.resolve("in-order.csv");
        Path reordered = dir.resolve("reordered.csv");
        assertEquals(0, run("kde", "score", "--model", twoModel.toString(), "--data", two.toString(), "--out",
                inOrder.toString()).code());
        assertEquals(0, run("kde", "score", "--model", twoModel.toString(), "--data", swapped.toString(), "--out",
                reordered.toString()).code());
        assertEquals(Files.readString(inOrder), Files.readString(reordered));
        Path renamed = dir.resolve("renamed.csv");
        List<String> rn = new java.util.ArrayList<>(Files.readAllLines(two));
        rn.set(0, "p,q");
        Files.write(renamed, rn);
        r = run("kde", "score", "--model", twoModel.toString(), "--data", renamed.toString(), "--out",
                dir.resolve("rn.csv").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("missing") && r.err().contains("unknown 'p', 'q'"), r.err());
        Path approx = dir.resolve("approx.csv");
        Run ar = run("kde", "score", "--model", twoModel.toString(), "--data", two.toString(), "--rtol", "1e-4", "--out",
                approx.toString());
        assertEquals(0, ar.code(), ar.err());
        assertTrue(ar.out().contains("tree, achieved relative error <= "), ar.out());
        double[] want = ModelFiles.load(twoModel, KernelDensity.class, "a density").logDensity(
                CsvReader.builder().target(null).build().read(two).features());
        List<String> got = Files.readAllLines(approx);
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(Math.expm1(Double.parseDouble(got.get(i + 1)) - want[i])) <= 1e-4 * (1 + 1e-9));
        }
        Path png = dir.resolve("two.png");
        r = run("plot", "--model", twoModel.toString(), "--out", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("density of bmi and bp"), r.out());
        assertTrue(Files.size(png) > 5000);
        // --data is drawn (and read: a missing file is an error), and a reversed range is refused
        Path withData = dir.resolve("two-data.png");
        r = run("plot", "--model", twoModel.toString(), "--data", two.toString(), "--out", withData.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("with the " + (Files.readAllLines(two).size() - 1) + " rows of " + two), r.out());
        assertTrue(Files.size(withData) != Files.size(png), "the points change the image");
        r = run("plot", "--model", twoModel.toString(), "--data", dir.resolve("missing.csv").toString(), "--out",
                withData.toString());
        assertEquals(1, r.code(), r.err());
        r = run("plot", "--model", twoModel.toString(), "--from", "3", "--to", "-3", "--out", dir.resolve("rev.png")
                .toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("the plot range must satisfy --from < --to"), r.err());
        assertFalse(Files.exists(dir.resolve("rev.png")));
    }

    @Test
    void privateReleasesAreChargedToALedgerAndRefusedBeyondTheBudget() throws IOException {
        Path ledger = dir.resolve("ledger.tsv");
        List<String> kde = List.of("kde", "fit", "--data", train.toString(), "--ignore", "y", "--private", "--bandwidth",
                "0.5", "--features", "16", "--ledger", ledger.toString());
        java.util.function.BiFunction<List<String>, List<String>, Run> with = (a, b) -> {
            List<String> all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return run(all.toArray(new String[0]));
        };
        Run first = with.apply(kde, List.of("--epsilon", "0.6", "--budget", "1", "--out", dir.resolve("p1.zip").toString()));
        assertEquals(0, first.code(), first.err());
        Path refused = dir.resolve("p2.zip");
        Run second = with.apply(kde, List.of("--epsilon", "0.6", "--out", refused.toString()));
        assertEquals(1, second.code());
        assertTrue(second.err().contains("privacy budget exceeded"), second.err());
        assertFalse(Files.exists(refused), "nothing is released");
        Run distance = run("kde", "fit", "--data", train.toString(), "--ignore", "y", "--private", "--distance", "l1",
                "--range", "-1:1", "--levels", "4", "--epsilon", "0.4", "--ledger", ledger.toString(), "--out",
                dir.resolve("d.zip").toString());
        assertEquals(0, distance.code(), distance.err());
        String text = Files.readString(ledger);
        org.kernels4j.privacy.PrivacyLedger l = org.kernels4j.privacy.PrivacyLedger.parse(text);
        String sha = org.kernels4j.privacy.PrivacyLedger.sha256(train);
        assertEquals(1.0, l.spent(sha), 1e-12);
        assertEquals(2, l.entries().size());
        Run classifier = run("fit", "--model", "private-similarity", "--train", train.toString(), "--kernel",
                "rbf(gamma=0.5)", "--epsilon-dp", "0.1", "--ledger", ledger.toString(), "--out",
                dir.resolve("c.zip").toString());
        assertEquals(1, classifier.code(), "the same data file has no budget left");
        assertTrue(classifier.err().contains("privacy budget exceeded"), classifier.err());
        Run budgetAlone = run("kde", "fit", "--data", train.toString(), "--ignore", "y", "--private", "--bandwidth", "0.5",
                "--budget", "1", "--out", dir.resolve("p3.zip").toString());
        assertEquals(2, budgetAlone.code());
        assertTrue(budgetAlone.err().contains("--budget needs a --ledger"), budgetAlone.err());
    }

    @Test
    void privateReleaseHoldsNoDataRowAndRecordsItsMechanism() throws IOException {
        Path release = dir.resolve("private.zip");
        Run fit = run("kde", "fit", "--data", train.toString(), "--ignore", "y", "--private", "--epsilon", "0.5",
                "--bandwidth", "0.1", "--features", "64", "--seed", "4", "--out", release.toString());
        assertEquals(0, fit.code(), fit.err());
        Dataset tr = CsvReader.builder().target("y").build().read(train);
        java.util.Set<Long> values = new java.util.HashSet<>();
        for (double v : tr.features().data()) {
            values.add(Double.doubleToLongBits(v));
        }
        try (var zip = new java.util.zip.ZipFile(release.toFile())) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                var e = entries.nextElement();
                byte[] bytes = zip.getInputStream(e).readAllBytes();
                if (e.getName().endsWith(".npy")) {
                    for (double v : Npy.read(bytes, e.getName()).data()) {
                        assertFalse(values.contains(Double.doubleToLongBits(v)), e.getName() + " holds a data value");
                    }
                } else if (e.getName().equals("model.json")) {
                    String json = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                    assertTrue(json.contains("\"epsilon\" : 0.5") && json.contains("random Fourier features + discrete Laplace")
                            && json.contains("\"granularity\"")
                            && json.contains("\"neighbours\" : \"replace-one (n public)\""), json);
                }
            }
        }
        Path sums = dir.resolve("sums.csv");
        Run score = run("kde", "score", "--model", release.toString(), "--data", test.toString(), "--ignore", "y", "--out",
                sums.toString());
        assertEquals(0, score.code(), score.err());
        assertEquals("kernel_sum,kernel_mean", Files.readAllLines(sums).get(0));
        // the note counts the negative (noisy) sums exactly, and appears only when there is one
        long negative = Files.readAllLines(sums).stream().skip(1).filter(l -> Double.parseDouble(l.split(",")[0]) < 0)
                .count();
        assertEquals(negative > 0, score.out().contains("note: " + negative + " of " + (Files.readAllLines(sums).size()
                - 1) + " kernel sums are negative"), score.out());
        Run r = run("kde", "fit", "--data", train.toString(), "--private", "--out", dir.resolve("p2.zip").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--private needs a public numeric --bandwidth"), r.err());
        // distance sums: an l1 release answers with finite sums; without a public range it is refused
        Path l1 = dir.resolve("l1.zip");
        Run d = run("kde", "fit", "--data", train.toString(), "--ignore", "y", "--private", "--distance", "l1", "--range",
                "-0.2:0.2", "--levels", "8", "--out", l1.toString());
        assertEquals(0, d.code(), d.err());
        Path ds = dir.resolve("l1.csv");
        assertEquals(0, run("kde", "score", "--model", l1.toString(), "--data", test.toString(), "--ignore", "y", "--out",
                ds.toString()).code());
        assertEquals("distance_sum,distance_mean", Files.readAllLines(ds).get(0));
        r = run("kde", "fit", "--data", train.toString(), "--private", "--distance", "l2", "--out",
                dir.resolve("l2.zip").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--distance needs a public --range LO:HI"), r.err());
    }

    @Test
    void userMistakesGiveOneLineAndTheRightExitCode() throws IOException {
        Path out = dir.resolve("never.zip");
        Run r = run("fit", "--train", train.toString(), "--kernel", "rbff(gamma=1)", "--out", out.toString());
        assertEquals(2, r.code(), "a kernel spec that does not parse is a usage error");
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("at column 1: unknown kernel 'rbff' (did you mean 'rbf'?)"), r.err());
        assertFalse(Files.exists(out));

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,y\n1,2\n1,oops\n");
        r = run("fit", "--train", bad.toString(), "--kernel", "rbf()", "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.csv:3:2: cannot read 'oops' as a number (column 'y')"), r.err());
        assertFalse(Files.exists(out));

        r = run("fit", "--train", train.toString(), "--kernel", "rbf()");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Missing required option: '--out=MODEL.zip'"), r.err());

        r = run("fit", "--train", dir.resolve("nope.csv").toString(), "--kernel", "rbf()", "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("nope.csv: no such file"), r.err());

        Path model = dir.resolve("m.zip");
        assertEquals(0, run("fit", "--train", train.toString(), "--kernel", "linear()", "--out", model.toString()).code());
        Files.write(model, java.util.Arrays.copyOf(Files.readAllBytes(model), 100));
        r = run("predict", "--model", model.toString(), "--data", test.toString(), "--out", dir.resolve("p.csv").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("truncated or not a zip archive"), r.err());
        assertFalse(Files.exists(dir.resolve("p.csv")));

        r = run("bogus");
        assertEquals(2, r.code());
    }

    @Test
    void ntkCheckErrorShrinksWithWidth() {
        Run r = run("ntk-check", "--widths", "32,2048", "--n", "10", "--networks", "3");
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.out().lines().filter(l -> l.trim().matches("\\d+\\s+.*")).toList();
        assertEquals(2, rows.size(), r.out());
        double[] small = java.util.Arrays.stream(rows.get(0).trim().split("\\s+")).mapToDouble(Double::parseDouble)
                .toArray();
        double[] wide = java.util.Arrays.stream(rows.get(1).trim().split("\\s+")).mapToDouble(Double::parseDouble)
                .toArray();
        // 64x the width: the error should drop by about 8x; require at least 3x for both kernels
        assertTrue(wide[1] < small[1] / 3 && wide[2] < small[2] / 3, r.out());
        Run bad = run("ntk-check", "--kernel", "rbf()");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("needs an nngp(...), ntk(...), cnngp(...) or cntk(...) kernel"), bad.err());
        Run badWidth = run("ntk-check", "--widths", "64,0");
        assertEquals(1, badWidth.code());
        assertEquals("", badWidth.out(), "inputs are checked before any work or output");
        assertTrue(badWidth.err().contains("widths must be positive, got 0"), badWidth.err());
        Run badBaseline = run("bench", "gram", "--n", "50", "--baseline", "rbff()");
        assertEquals(2, badBaseline.code(), "a kernel spec that does not parse is a usage error");
        assertEquals("", badBaseline.out());
    }

    @Test
    void crossValidationComparesKernelsOnTheBundledIris() {
        String iris = Path.of("..", "data", "iris.csv").toString();
        Run r = run("cv", "--data", iris, "--task", "classification", "--folds", "3", "--kernel", "rbf(gamma=0.25)",
                "--kernel", "ntk(depth=2, activation=relu, w_var=2, b_var=0.1)");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("150 rows x 4 features"), r.out());
        List<String> rows = r.out().lines().filter(l -> l.startsWith("rbf(") || l.startsWith("ntk(")).toList();
        assertEquals(2, rows.size(), r.out());
        for (String row : rows) {
            double acc = Double.parseDouble(row.substring(60).trim().split("\\s+")[0]);
            assertTrue(acc > 0.85 && acc <= 1, "iris is easy: " + row);
        }
        Run reg = run("cv", "--data", train.toString(), "--kernel", "rbf(gamma=0.1)", "--lambda", "0.5", "--folds", "4");
        assertEquals(0, reg.code(), reg.err());
        assertTrue(reg.out().contains("rmse"), reg.out());
        Run bad = run("cv", "--data", iris, "--task", "clustering", "--kernel", "rbf()");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--task must be regression or classification"), bad.err());
        Run badKernel = run("cv", "--data", iris, "--kernel", "rbff()");
        assertEquals(2, badKernel.code(), "a kernel spec that does not parse is a usage error");
        assertEquals("", badKernel.out(), "specs are checked before any output");
        Run tooManyFolds = run("cv", "--data", train.toString(), "--kernel", "rbf()", "--folds", "400");
        assertEquals(1, tooManyFolds.code());
        assertEquals("", tooManyFolds.out(), "folds are checked before any output");
        assertTrue(tooManyFolds.err().contains("folds must be between 2 and the number of rows (350), got 400"),
                tooManyFolds.err());
    }

    @Test
    void nystromSolverFitsAndPredictsLikeTheExactSolverWithAllCentres() throws IOException {
        Path exact = dir.resolve("exact.zip");
        Path ny = dir.resolve("ny.zip");
        assertEquals(0, run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.2)", "--lambda", "0.5",
                "--out", exact.toString(), "--no-progress").code());
        Run fit = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.2)", "--lambda", "0.5",
                "--solver", "nystrom", "--centers", "400", "--tol", "1e-12", "--max-iter", "500", "--out",
                ny.toString(), "--no-progress");
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("centres: 350 (uniform)"), fit.out()); // capped at n
        Path p1 = dir.resolve("p1.csv");
        Path p2 = dir.resolve("p2.csv");
        assertEquals(0, run("predict", "--model", exact.toString(), "--data", test.toString(), "--out", p1.toString())
                .code());
        assertEquals(0, run("predict", "--model", ny.toString(), "--data", test.toString(), "--out", p2.toString())
                .code());
        List<String> a = Files.readAllLines(p1);
        List<String> b = Files.readAllLines(p2);
        for (int i = 1; i < a.size(); i++) {
            assertEquals(Double.parseDouble(a.get(i)), Double.parseDouble(b.get(i)), 1e-6, "row " + i);
        }
        Run auto = run("fit", "--train", train.toString(), "--kernel", "rbf()", "--lambda", "auto", "--solver",
                "nystrom", "--out", ny.toString());
        assertEquals(0, auto.code(), auto.err()); // chosen by GCV on the Nyström features
        assertTrue(auto.out().contains("<- chosen"), auto.out());
        Run badSampler = run("fit", "--train", train.toString(), "--kernel", "rbf()", "--solver", "nystrom",
                "--sampler", "best", "--out", ny.toString());
        assertEquals(2, badSampler.code());
        assertTrue(badSampler.err().contains("unknown landmark sampler 'best'"), badSampler.err());
    }

    @Test
    void approxErrorFallsWithMoreCentresAndFeatures() {
        for (String method : List.of("nystrom", "orthogonal")) {
            Run r = run("approx-error", "--data", train.toString(), "--target", "y", "--kernel", "rbf(gamma=0.5)",
                    "--method", method, "--sizes", "16,256");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("d_eff(lambda="), r.out());
            List<String> rows = r.out().lines().filter(l -> l.trim().matches("\\d+\\s+.*")).toList();
            assertEquals(2, rows.size(), r.out());
            double small = Double.parseDouble(rows.get(0).trim().split("\\s+")[1]);
            double large = Double.parseDouble(rows.get(1).trim().split("\\s+")[1]);
            assertTrue(large < small / 2, method + ": " + r.out());
        }
        // more centres than rows: computed at n, and said so (the error is then that of the exact matrix, ~0)
        Run capped = run("approx-error", "--data", train.toString(), "--target", "y", "--kernel", "rbf(gamma=0.5)",
                "--method", "nystrom", "--sizes", "100000");
        assertEquals(0, capped.code(), capped.err());
        assertTrue(capped.out().matches("(?s).*note: nystrom uses at most the \\d+ rows: sizes above \\d+ are computed "
                + "at \\d+.*"), capped.out());
        Run bad = run("approx-error", "--data", train.toString(), "--kernel", "rbf()", "--method", "magic");
        assertEquals(2, bad.code());
        assertEquals("", bad.out());
        Run badKernel = run("approx-error", "--data", train.toString(), "--kernel", "poly()", "--method", "fourier");
        assertEquals(1, badKernel.code());
        assertTrue(badKernel.err().contains("shift-invariant"), badKernel.err());
        Run badBench = run("bench", "nystrom", "--n", "0");
        assertEquals(2, badBench.code());
        assertEquals("", badBench.out(), "bench nystrom checks its sizes before printing anything");
        assertTrue(badBench.err().contains("--n, --d and --test must be >= 1"), badBench.err());
    }

    @Test
    void permutationLearningBecomesExactWithALargeEnsemble() {
        Run r = run("permutation", "--k", "5", "--ensemble", "1,4096", "--trials", "5", "--rounding", "midpoint");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("test inputs: 31; rounded mean (infinite ensemble) exact on 1.0000"), r.out());
        List<String> rows = r.out().lines().filter(l -> l.trim().matches("\\d+\\s+.*")).toList();
        assertEquals(2, rows.size(), r.out());
        String[] single = rows.get(0).trim().split("\\s+");
        String[] large = rows.get(1).trim().split("\\s+");
        assertTrue(Double.parseDouble(single[1]) < 0.9, r.out());
        assertEquals(1.0, Double.parseDouble(large[3]), 0.0, "every trial exact on every input: " + r.out());
        // the simulated rate agrees with the closed-form expectation printed beside it
        assertEquals(Double.parseDouble(single[4]), Double.parseDouble(single[1]),
                4 * Double.parseDouble(single[2]) + 0.02, r.out());
        Run bad = run("permutation", "--k", "5", "--rounding", "nearest");
        assertEquals(2, bad.code());
        assertEquals("", bad.out());
        assertTrue(bad.err().contains("--rounding must be top-s or midpoint"), bad.err());
        Run badK = run("permutation", "--k", "30");
        assertEquals(1, badK.code());
        assertTrue(badK.err().contains("k must be between 2 and 13, got 30"), badK.err());
    }

    @Test
    void kernelsAndHelpList() {
        Run r = run("kernels");
        assertEquals(0, r.code());
        for (String name : List.of("linear", "poly", "cosine", "rbf", "laplacian", "matern", "rq", "periodic", "white",
                "constant")) {
            assertTrue(r.out().contains(name), name);
        }
        for (String cmd : List.of("fit", "predict", "evaluate", "gram", "kernels", "demo", "bench", "ntk-check",
                "permutation", "cv",
                "approx-error")) {
            assertEquals(0, run(cmd, "--help").code(), cmd);
        }
    }

    // the demo's own tests: DemoCliTest
}
