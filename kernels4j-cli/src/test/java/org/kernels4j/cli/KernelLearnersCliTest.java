package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.kernels4j.decomposition.KernelCca;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.svm.KernelQuantileRegressionModel;

/** fit --model lssvm|rvm|kqr and the kcca command: happy paths against the library, and bad input. */
class KernelLearnersCliTest {
    @TempDir
    Path dir;
    Path regression;
    Path classes;

    @BeforeEach
    void writeData() throws IOException {
        regression = dir.resolve("reg.csv");
        classes = dir.resolve("cls.csv");
        Random r = new Random(3);
        List<String> reg = new ArrayList<>(List.of("u,y"));
        List<String> cls = new ArrayList<>(List.of("u,v,label"));
        for (int i = 0; i < 80; i++) {
            double u = -3 + 6 * r.nextDouble();
            reg.add(u + "," + (Math.sin(u) + 0.3 * r.nextGaussian()));
            double v = r.nextGaussian();
            cls.add(u + "," + v + "," + (u + 0.5 * v > 0 ? "yes" : "no"));
        }
        Files.write(regression, reg);
        Files.write(classes, cls);
    }

    static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    /** Runs, expecting failure: non-zero exit, one line on stderr containing {@code words}, no stack trace. */
    static void fails(String words, String... args) {
        CliTest.Run r = run(args);
        assertTrue(r.code() != 0, "exit code; stderr: " + r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertTrue(r.err().contains(words), "'" + words + "' in: " + r.err());
    }

    @Test
    void kqrFitsNonCrossingQuantilesThatPredictReproduces() throws IOException {
        Path model = dir.resolve("kqr.zip");
        CliTest.Run fit = run("fit", "--model", "kqr", "--train", regression.toString(), "--kernel", "rbf(gamma=1)",
                "--quantiles", "0.9,0.1,0.5", "--c", "2", "--out", model.toString(), "--no-progress");
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("fraction_below") && fit.out().contains("saved"), fit.out());
        KernelQuantileRegressionModel m = (KernelQuantileRegressionModel) ModelFiles.load(model).model();
        assertArrayEquals(new double[] {0.1, 0.5, 0.9}, m.quantiles());
        assertEquals(2.0, m.c());
        Path preds = dir.resolve("q.csv");
        CliTest.Run pred = run("predict", "--model", model.toString(), "--data", regression.toString(), "--out",
                preds.toString());
        assertEquals(0, pred.code(), pred.err());
        Dataset p = CsvReader.builder().target(null).build().read(preds);
        Dataset d = CsvReader.builder().target("y").build().read(regression);
        Matrix direct = m.predict(d.features());
        assertEquals(3, p.features().cols());
        assertEquals(0, p.features().maxAbsDifference(direct), 1e-12);
        int below = 0;
        for (int i = 0; i < d.rows(); i++) {
            assertTrue(direct.get(i, 0) <= direct.get(i, 1) && direct.get(i, 1) <= direct.get(i, 2));
            below += d.target().get(i, 0) < direct.get(i, 1) ? 1 : 0;
        }
        assertEquals(0.5, below / 80.0, 0.1, "about half the training targets lie below the median");
        // plot draws one curve per quantile, named by its level (it drew the first quantile only)
        Path svg = dir.resolve("kqr.svg");
        CliTest.Run plot = run("plot", "--model", model.toString(), "--data", regression.toString(), "--out",
                svg.toString());
        assertEquals(0, plot.code(), plot.err());
        assertTrue(plot.out().contains("quantile 0.1, quantile 0.5, quantile 0.9"), plot.out());
        assertTrue(Files.readString(svg).contains("<svg"), "an SVG image");
        double[] grid = {-3, -1, 0.5, 2};
        var chart = PlotCommand.oneFeatureChart(m, grid, "t", "u", "y", null, null);
        Matrix atGrid = m.predict(Matrix.column(grid.clone()));
        for (int o = 0; o < 3; o++) {
            var series = chart.getSeriesMap().get("quantile " + m.quantiles()[o]);
            assertTrue(series != null, "a curve for quantile " + m.quantiles()[o] + ": " + chart.getSeriesMap().keySet());
            assertArrayEquals(atGrid.column(o), series.getYData(), 1e-12);
        }
        // evaluate scores each quantile: the pinball loss and the coverage, recomputed here from the predictions
        CliTest.Run eval = run("evaluate", "--model", model.toString(), "--data", regression.toString());
        assertEquals(0, eval.code(), eval.err());
        double[] levels = {0.1, 0.5, 0.9};
        for (int j = 0; j < 3; j++) {
            double loss = 0;
            int covered = 0;
            for (int i = 0; i < d.rows(); i++) {
                double r = d.target().get(i, 0) - direct.get(i, j);
                loss += r >= 0 ? levels[j] * r : (levels[j] - 1) * r;
                covered += r <= 0 ? 1 : 0;
            }
            String level = levels[j] + " ";
            String line = eval.out().lines().filter(l -> l.startsWith(level)).findFirst().orElseThrow();
            String[] f = line.trim().split("\\s+");
            assertEquals(loss / d.rows(), Double.parseDouble(f[1]), 1e-5 * loss / d.rows(), line);
            assertEquals(covered / (double) d.rows(), Double.parseDouble(f[2]), 1e-4, line);
        }
    }

    @Test
    void lssvmClassifiesTextLabelsAndRvmRegresses() {
        Path model = dir.resolve("lssvm.zip");
        CliTest.Run fit = run("fit", "--model", "lssvm", "--classify", "--ls-gamma", "10", "--train", classes.toString(),
                "--target", "label", "--kernel", "rbf(gamma=0.5)", "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("classes: [no, yes]"), fit.out());
        double acc = Double.parseDouble(fit.out().lines().filter(l -> l.startsWith("training accuracy: ")).findFirst()
                .get().substring(19));
        assertTrue(acc > 0.9, "accuracy " + acc);
        CliTest.Run eval = run("evaluate", "--model", model.toString(), "--data", classes.toString());
        assertEquals(0, eval.code(), eval.err());
        double evalAcc = Double.parseDouble(eval.out().lines().filter(l -> l.startsWith("accuracy: ")).findFirst()
                .get().substring(10));
        assertEquals(acc, evalAcc, 1e-6, "evaluate scores the saved model as fit did");
        // the one decision column is named for what a positive value means: the larger label, 'yes'
        Path decisions = dir.resolve("d.csv");
        CliTest.Run pd = run("predict", "--model", model.toString(), "--data", classes.toString(), "--decision", "--out",
                decisions.toString());
        assertEquals(0, pd.code(), pd.err());
        try {
            List<String> lines = java.nio.file.Files.readAllLines(decisions);
            assertTrue(lines.get(0).endsWith(",decision_yes_vs_no"), lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                String[] c = line.split(",");
                assertEquals(c[0].equals("yes"), Double.parseDouble(c[c.length - 1]) > 0, line);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path rvm = dir.resolve("rvm.zip");
        CliTest.Run r = run("fit", "--model", "rvm", "--train", regression.toString(), "--kernel", "rbf(gamma=0.5)",
                "--max-iter", "15", "--out", rvm.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("relevance_vectors") && r.out().contains("training rmse"), r.out());
        CliTest.Run std = run("predict", "--model", rvm.toString(), "--data", regression.toString(), "--std", "--out",
                dir.resolve("s.csv").toString());
        assertEquals(0, std.code(), std.err());
    }

    @Test
    void kccaPrintsTheLibrarysCorrelationsAndWritesVariates() throws IOException {
        Path x = dir.resolve("x.csv");
        Path y = dir.resolve("y.csv");
        Random r = new Random(9);
        List<String> lx = new ArrayList<>(List.of("a,b"));
        List<String> ly = new ArrayList<>(List.of("c"));
        double[][] xv = new double[50][2];
        double[][] yv = new double[50][1];
        for (int i = 0; i < 50; i++) {
            double z = r.nextGaussian();
            xv[i] = new double[] {z + 0.3 * r.nextGaussian(), r.nextGaussian()};
            yv[i] = new double[] {z * z + 0.3 * r.nextGaussian()};
            lx.add(xv[i][0] + "," + xv[i][1]);
            ly.add(Double.toString(yv[i][0]));
        }
        Files.write(x, lx);
        Files.write(y, ly);
        Path out = dir.resolve("z.csv");
        CliTest.Run k = run("kcca", "--data", x.toString(), "--data2", y.toString(), "--kernel", "rbf(gamma=0.5)",
                "--kappa", "0.2", "--components", "2", "--out", out.toString(), "--save", dir.resolve("k.zip").toString());
        assertEquals(0, k.code(), k.err());
        double[] rho = KernelCca.builder(KernelSpec.parse("rbf(gamma=0.5)")).kappa(0.2).components(2).build()
                .fit(Matrix.of(xv), Matrix.of(yv)).correlations();
        for (int j = 0; j < 2; j++) {
            assertTrue(k.out().contains(String.format(java.util.Locale.ROOT, "%-10d %14.6f", j + 1, rho[j])), k.out());
        }
        assertEquals(51, Files.readAllLines(out).size());
        assertTrue(Files.readAllLines(out).get(0).equals("row,x1,x2,y1,y2"), Files.readAllLines(out).get(0));
        assertTrue(Files.exists(dir.resolve("k.zip")));
    }

    @Test
    void badInputIsOneClearLine() throws IOException {
        String out = dir.resolve("m.zip").toString();
        fails("strictly between 0 and 1", "fit", "--model", "kqr", "--train", regression.toString(), "--kernel", "rbf()",
                "--quantiles", "0.5,1.5", "--out", out);
        fails("gamma must be a positive", "fit", "--model", "lssvm", "--train", regression.toString(), "--kernel",
                "rbf()", "--ls-gamma", "0", "--out", out);
        fails("--quantiles applies to --model kqr", "fit", "--model", "svc", "--train", classes.toString(), "--kernel",
                "rbf()", "--quantiles", "0.5", "--out", out);
        Path one = dir.resolve("one.csv");
        Files.write(one, List.of("u,label", "1,a", "2,a", "3,a"));
        fails("at least two classes", "fit", "--model", "rvm", "--classify", "--train", one.toString(), "--kernel",
                "rbf()", "--out", out);
        Path three = dir.resolve("three.csv");
        Files.write(three, List.of("u", "1", "2", "3"));
        fails("--data has 80 rows but --data2 has 3", "kcca", "--data", regression.toString(), "--data2",
                three.toString(), "--kernel", "rbf()");
        fails("kappa must be a positive", "kcca", "--data", regression.toString(), "--data2", regression.toString(),
                "--kernel", "rbf()", "--kappa", "-1");
        assertFalse(Files.exists(dir.resolve("m.zip")));
    }

    @Test
    void benchKernlabWritesTheDataAndOneRowPerMethod() throws IOException {
        CliTest.Run r = run("bench", "kernlab", "--n", "60", "--test", "30", "--methods", "kqr,ksvm", "--export-dir",
                dir.resolve("data").toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(1).startsWith("kqr\t60\t") && lines.get(1).contains("test_pinball"), lines.get(1));
        assertTrue(lines.get(2).startsWith("ksvm\t60\t") && lines.get(2).contains("test_accuracy"), lines.get(2));
        assertEquals(61, Files.readAllLines(dir.resolve("data").resolve("reg_train.csv")).size());
        assertEquals(31, Files.readAllLines(dir.resolve("data").resolve("cls_test.csv")).size());
        fails("unknown --methods entry 'svm'", "bench", "kernlab", "--methods", "svm");
    }
}
