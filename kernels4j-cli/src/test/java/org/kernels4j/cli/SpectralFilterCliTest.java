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
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Model;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.regression.RegularizationPath;
import org.kernels4j.spectral.SpectralFilter;

/** {@code fit --filter}: the parameter GCV picks on the command line is the one the Java API picks, and bad options fail. */
class SpectralFilterCliTest {
    @TempDir
    Path dir;

    private Path regression() throws IOException {
        List<String> lines = new ArrayList<>(List.of("a,b,y"));
        java.util.Random r = new java.util.Random(8);
        for (int i = 0; i < 50; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            lines.add(a + "," + b + "," + (1 + Math.sin(2 * a) + 0.3 * b + 0.1 * r.nextGaussian()));
        }
        Path f = dir.resolve("reg.csv");
        Files.write(f, lines);
        return f;
    }

    @Test
    void landweberWithSelectGcvPicksTheStoppingTimeTheApiPicksAndTheModelPredictsLikeIt() throws IOException {
        Path data = regression();
        Dataset ds = CsvReader.builder().build().read(data);
        Path model = dir.resolve("lw.zip");
        CliTest.Run fit = CliTest.run("fit", "--train", data.toString(), "--kernel", "rbf(length=0.8)", "--filter",
                "landweber", "--select", "gcv", "--intercept", "--grid", "1:3000:25", "--out", model.toString(),
                "--no-progress");
        assertEquals(0, fit.code(), fit.err());
        // the grid 1:3000:25, log-spaced and rounded to distinct whole numbers, as the option documents
        java.util.TreeSet<Double> steps = new java.util.TreeSet<>();
        for (double v : KernelRidge.logGrid(1, 3000, 25)) {
            steps.add((double) Math.round(v));
        }
        double[] grid = steps.stream().mapToDouble(Double::doubleValue).toArray();
        KernelRidgeModel api = KernelRidge.builder(KernelSpec.parse("rbf(length=0.8)")).fitIntercept(true)
                .filter(SpectralFilter.landweber(), grid, RegularizationPath.Criterion.GCV).build()
                .fit(ds.features(), ds.target());
        long chosen = Math.round(api.lambda());
        assertTrue(fit.out().contains("filter: landweber, iterations: " + chosen), fit.out());
        assertTrue(fit.out().contains("<- chosen"), fit.out());
        // a grid that stops too early says so
        CliTest.Run early = CliTest.run("fit", "--train", data.toString(), "--kernel", "rbf(length=0.8)", "--filter",
                "landweber", "--grid", "1:3:3", "--out", dir.resolve("early.zip").toString(), "--no-progress");
        assertEquals(0, early.code(), early.err());
        assertTrue(early.out().contains("note: the chosen iterations is at the upper end of the grid; widen --grid"),
                early.out());
        Model saved = ModelFiles.load(model).model();
        Matrix a = saved.predict(ds.features());
        Matrix b = api.predict(ds.features());
        for (int i = 0; i < ds.rows(); i++) {
            assertEquals(b.get(i, 0), a.get(i, 0), 1e-12);
        }
    }

    @Test
    void everyFilterFitsAndAFixedParameterIsUsedAsGiven() throws IOException {
        Path data = regression();
        Dataset ds = CsvReader.builder().build().read(data);
        String[][] cases = {
            {"--filter", "iterated", "--order", "3", "--lambda", "0.5"},
            {"--filter", "cutoff", "--lambda", "0.05"},
            {"--filter", "flow", "--time", "20"},
            {"--filter", "nu-method", "--nu", "1.5", "--iterations", "12"},
            {"--filter", "self-distillation", "--lambda", "0.3", "--weight", "0.2", "--rounds", "3"},
        };
        SpectralFilter[] filters = {SpectralFilter.iteratedTikhonov(3), SpectralFilter.cutoff(),
            SpectralFilter.gradientFlow(), SpectralFilter.nuMethod(1.5), SpectralFilter.selfDistillation(0.3, 0.2)};
        double[] parameters = {0.5, 0.05, 20, 12, 3};
        for (int c = 0; c < cases.length; c++) {
            Path model = dir.resolve("m" + c + ".zip");
            List<String> args = new ArrayList<>(List.of("fit", "--train", data.toString(), "--kernel", "rbf(length=0.8)",
                    "--out", model.toString(), "--no-progress"));
            args.addAll(List.of(cases[c]));
            CliTest.Run fit = CliTest.run(args.toArray(new String[0]));
            assertEquals(0, fit.code(), String.join(" ", cases[c]) + ": " + fit.err());
            KernelRidgeModel api = KernelRidge.builder(KernelSpec.parse("rbf(length=0.8)"))
                    .filter(filters[c], parameters[c]).build().fit(ds.features(), ds.target());
            Matrix a = ModelFiles.load(model).model().predict(ds.features());
            Matrix b = api.predict(ds.features());
            for (int i = 0; i < ds.rows(); i++) {
                assertEquals(b.get(i, 0), a.get(i, 0), 1e-12, cases[c][1] + " row " + i);
            }
        }
    }

    @Test
    void nystromFeaturesTakeAFilterAndRidgeByGcv() throws IOException {
        Path data = regression();
        CliTest.Run flow = CliTest.run("fit", "--train", data.toString(), "--kernel", "rbf(length=0.8)", "--solver",
                "nystrom", "--centers", "20", "--filter", "flow", "--intercept", "--out", dir.resolve("f.zip").toString(),
                "--no-progress");
        assertEquals(0, flow.code(), flow.err());
        assertTrue(flow.out().contains("filter: flow, time:"), flow.out());
        CliTest.Run ridge = CliTest.run("fit", "--train", data.toString(), "--kernel", "rbf(length=0.8)", "--solver",
                "nystrom", "--centers", "20", "--lambda", "auto", "--select", "gcv", "--out",
                dir.resolve("r.zip").toString(), "--no-progress");
        assertEquals(0, ridge.code(), ridge.err());
        assertTrue(ridge.out().contains("<- chosen"), ridge.out());
        CliTest.Run loo = CliTest.run("fit", "--train", data.toString(), "--kernel", "rbf(length=0.8)", "--solver",
                "nystrom", "--lambda", "auto", "--select", "loo", "--out", dir.resolve("l.zip").toString());
        assertEquals(2, loo.code());
        assertTrue(loo.err().contains("GCV"), loo.err());
        CliTest.Run lwLoo = CliTest.run("fit", "--train", data.toString(), "--kernel", "rbf(length=0.8)", "--solver",
                "nystrom", "--filter", "landweber", "--select", "loo", "--out", dir.resolve("l.zip").toString());
        assertEquals(2, lwLoo.code());
        assertTrue(lwLoo.err().contains("use --select gcv") && !lwLoo.err().contains("--solver exact"), lwLoo.err());
    }

    @Test
    void badFilterOptionsExitWithTwoAndSayWhy() throws IOException {
        Path data = regression();
        String[][] bad = {
            {"--filter", "bogus"},
            {"--filter", "cutoff", "--select", "loo"},
            {"--filter", "landweber", "--order", "3"},
            {"--filter", "landweber", "--iterations", "2.5"},
            {"--filter", "flow", "--time", "-1"},
            {"--filter", "tikhonov", "--time", "3"},
            {"--filter", "self-distillation", "--lambda", "auto"},
            {"--filter", "self-distillation", "--lambda", "1", "--weight", "2"},
            {"--filter", "landweber", "--iterations", "5", "--grid", "1:10:3"},
            {"--filter", "self-distillation", "--lambda", "1", "--grid", "3:1:2"},
            {"--filter", "landweber", "--lambda", "0.1"},
            {"--filter", "flow", "--lambda-grid", "1e-3:1:5"},
            {"--filter", "tikhonov", "--lambda", "auto", "--grid", "1:10:5"},
            {"--lambda", "0.5", "--select", "gcv"},
            {"--filter", "landweber", "--iterations", "50", "--select", "gcv"},
            {"--centers", "50"},
            {"--filter", "landweber", "--iterations", "0"},
        };
        String[] expected = {"unknown --filter", "--select loo has no closed form", "--order applies", "whole number", "positive",
            "--time applies", "needs a number", "[0, 1]", "--grid is searched only", "FROM <= TO",
            "--lambda applies to --filter tikhonov", "--lambda-grid is searched for", "--grid is searched for",
            "--lambda fixes it", "--iterations fixes it", "--centers applies to --solver nystrom", "got 0 "};
        for (int c = 0; c < bad.length; c++) {
            List<String> args = new ArrayList<>(List.of("fit", "--train", data.toString(), "--kernel", "rbf(length=0.8)",
                    "--out", dir.resolve("bad.zip").toString(), "--no-progress"));
            args.addAll(List.of(bad[c]));
            CliTest.Run run = CliTest.run(args.toArray(new String[0]));
            assertEquals(2, run.code(), String.join(" ", bad[c]) + ": " + run.err());
            assertTrue((run.err() + " ").contains(expected[c]), String.join(" ", bad[c]) + ": " + run.err());
            assertTrue(!run.err().contains("\tat "), run.err());
        }
        assertTrue(!Files.exists(dir.resolve("bad.zip")));
        CliTest.Run svm = CliTest.run("fit", "--model", "svr", "--train", data.toString(), "--kernel", "rbf()",
                "--filter", "flow", "--out", dir.resolve("s.zip").toString());
        assertEquals(2, svm.code());
        assertTrue(svm.err().contains("--filter applies to --model krr"), svm.err());
    }
}
