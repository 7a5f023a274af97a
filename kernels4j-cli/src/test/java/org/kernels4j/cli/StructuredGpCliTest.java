package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.gp.StateSpaceGaussianProcessModel;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Model;
import org.kernels4j.model.PredictiveVariance;

/** {@code fit --model kron-gp} and {@code fit --model ss-gp}: model files equal to the dense GP's, and their mistakes. */
class StructuredGpCliTest {
    @TempDir
    Path dir;

    /** Rows on a 6 × 5 grid with two cells left out, shuffled. */
    private Path gridCsv() throws IOException {
        List<String> rows = new ArrayList<>();
        Random r = new Random(5);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 5; j++) {
                if ((i == 2 && j == 3) || (i == 4 && j == 0)) {
                    continue;
                }
                double a = 0.6 * i;
                double b = -0.3 + 0.8 * j;
                rows.add(a + "," + b + "," + (Math.sin(a) + Math.cos(b) + 0.1 * r.nextGaussian()));
            }
        }
        Collections.shuffle(rows, r);
        rows.add(0, "a,b,y");
        Path f = dir.resolve("grid.csv");
        Files.write(f, rows);
        return f;
    }

    private Path seriesCsv() throws IOException {
        List<String> rows = new ArrayList<>(List.of("t,y"));
        Random r = new Random(6);
        for (int i = 0; i < 40; i++) {
            double t = 10 * r.nextDouble();
            rows.add(t + "," + (Math.sin(t) + 0.2 * r.nextGaussian()));
        }
        Path f = dir.resolve("series.csv");
        Files.write(f, rows);
        return f;
    }

    private static void assertSamePredictions(Model expected, Model got, Matrix x, double tol) {
        assertEquals(0, got.predict(x).maxAbsDifference(expected.predict(x)), tol);
        assertEquals(0, ((PredictiveVariance) got).predictiveVariance(x)
                .maxAbsDifference(((PredictiveVariance) expected).predictiveVariance(x)), tol);
    }

    @Test
    void gridAndStateSpaceModelsFitSaveAndPredictLikeTheDenseGp() throws IOException {
        Path grid = gridCsv();
        Path model = dir.resolve("kron.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "kron-gp", "--train", grid.toString(), "--kernel",
                "2*rbf(length=0.7); rbf(length=1.3)", "--noise", "0.04", "--out", model.toString(), "--no-progress");
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("grid 6 x 5, 2 missing cell(s)"), fit.out());
        assertTrue(fit.out().contains("log marginal likelihood"), fit.out());
        assertEquals("kron-gp", ModelFiles.kind(model));
        Dataset ds = CsvReader.builder().build().read(grid);
        GaussianProcessModel dense = GaussianProcess.builder(KernelSpec.parse("2*rbf(length=[0.7, 1.3])")).noise(0.04)
                .build().fit(ds.features(), ds.target());
        Model kron = ModelFiles.load(model).model();
        assertSamePredictions(dense, kron, ds.features(), 1e-9);
        Path preds = dir.resolve("kron.csv");
        CliTest.Run pred = CliTest.run("predict", "--model", model.toString(), "--data", grid.toString(), "--out",
                preds.toString(), "--std");
        assertEquals(0, pred.code(), pred.err());
        Matrix got = CsvReader.builder().target(null).build().read(preds).features();
        assertEquals(dense.predict(ds.features()).get(3, 0), got.get(3, 0), 1e-9);

        Path series = seriesCsv();
        Path ss = dir.resolve("ss.zip");
        fit = CliTest.run("fit", "--model", "ss-gp", "--train", series.toString(), "--kernel", "matern(nu=1.5, length=1)",
                "--noise", "0.1", "--optimize", "--out", ss.toString(), "--no-progress");
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("noise") && fit.out().contains("matern32.length"), fit.out());
        StateSpaceGaussianProcessModel loaded = (StateSpaceGaussianProcessModel) ModelFiles.load(ss).model();
        assertEquals("ss-gp", ModelFiles.kind(ss));
        Dataset sd = CsvReader.builder().build().read(series);
        GaussianProcessModel denseSs = GaussianProcess.builder(loaded.kernel().toKernel()).noise(loaded.noise()).build()
                .fit(sd.features(), sd.target());
        assertSamePredictions(denseSs, loaded, sd.features(), 1e-9);
    }

    private void assertOneLineError(String expected, String... args) {
        CliTest.Run run = CliTest.run(args);
        assertTrue(run.code() != 0, String.join(" ", args));
        assertTrue(run.err().contains(expected), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void mistakesGetOneLine() throws IOException {
        Path grid = gridCsv();
        Path series = seriesCsv();
        String out = dir.resolve("m.zip").toString();
        List<String> lines = new ArrayList<>(Files.readAllLines(grid));
        lines.add(lines.get(1));
        Path repeated = dir.resolve("repeated.csv");
        Files.write(repeated, lines);
        assertOneLineError("repeats the grid point", "fit", "--model", "kron-gp", "--train", repeated.toString(),
                "--kernel", "rbf(length=1)", "--out", out);
        assertOneLineError("2 missing cells of 30; the exact grid GP accepts at most 1", "fit", "--model", "kron-gp",
                "--train", grid.toString(), "--kernel", "rbf(length=1)", "--max-missing", "1", "--out", out);
        assertOneLineError("one spec per feature column separated by ';' (2) or one spec for all, got 3", "fit",
                "--model", "kron-gp", "--train", grid.toString(), "--kernel", "rbf(); rbf(); rbf()", "--out", out);
        assertOneLineError("a state-space GP takes one input column", "fit", "--model", "ss-gp", "--train",
                grid.toString(), "--kernel", "matern(nu=0.5)", "--out", out);
        assertOneLineError("has no state-space form", "fit", "--model", "ss-gp", "--train", series.toString(),
                "--kernel", "rbf(gamma=1)", "--out", out);
        assertOneLineError("--max-missing applies to --model kron-gp", "fit", "--model", "ss-gp", "--train",
                series.toString(), "--kernel", "matern(nu=0.5)", "--max-missing", "3", "--out", out);
    }

    @Test
    void benchPrintsTheRowsTheSlopeAndTheSameValueAsTheDenseGp() {
        CliTest.Run r = CliTest.run("bench", "structured-gp", "--ss-n", "300,600", "--grid", "12", "--dense-grid", "8",
                "--missing", "3");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(8, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("structured-gp ss_n=[300, 600] ss_kernel=matern(nu=1.5, length=0.5) grid=12"
                + " dense_grid=8 missing=3"), lines.get(0));
        assertTrue(lines.get(2).matches("ss-gp +300 .*"), lines.get(2));
        assertTrue(lines.get(4).matches("kron-gp +141 .*"), lines.get(4)); // 144 cells, 3 missing
        assertTrue(lines.get(5).matches("kron-gp +64 .*"), lines.get(5));
        String[] dense = lines.get(6).trim().split(" +");
        String[] kron = lines.get(5).trim().split(" +");
        assertEquals("dense-gp", dense[0]);
        double a = Double.parseDouble(kron[4]);
        double b = Double.parseDouble(dense[4]);
        assertEquals(b, a, 1e-8 * Math.abs(b));
        assertTrue(Double.parseDouble(dense[5]) < 1e-9, lines.get(6));
        assertTrue(lines.get(7).startsWith("state-space slope of log time vs log n: "), lines.get(7));
        CliTest.Run bad = CliTest.run("bench", "structured-gp", "--grid", "1");
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("--grid and --dense-grid 0 or at least 2"), bad.err());
    }
}
