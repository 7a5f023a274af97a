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
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.regression.NystromKernelRidge;

/**
 * {@code fit --solver nystrom --preconditioner-rows}: the option reaches the solver (the CLI model is the Java API's,
 * and the centres' preconditioner takes more iterations than the default sketch), and bad values fail in one line.
 */
class NystromPreconditionerCliTest {
    @TempDir
    Path dir;

    private Path regression() throws IOException {
        List<String> lines = new ArrayList<>(List.of("a,b,y"));
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 600; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            lines.add(a + "," + b + "," + (Math.sin(2 * a) + 0.3 * b * a + 0.05 * r.nextGaussian()));
        }
        Path f = dir.resolve("reg.csv");
        Files.write(f, lines);
        return f;
    }

    private static int iterations(String out) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cg iterations: (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void preconditionerRowsReachTheSolverAndBadValuesFail() throws IOException {
        Path data = regression();
        List<String> common = List.of("fit", "--train", data.toString(), "--kernel", "rbf(gamma=0.5)", "--solver",
                "nystrom", "--centers", "60", "--lambda", "1e-3", "--nystrom-solve", "stored", "--cg-stop", "residual",
                "--tol", "1e-10", "--max-iter", "400", "--no-progress");
        Path centresModel = dir.resolve("centres.zip");
        List<String> centresArgs = new ArrayList<>(common);
        centresArgs.addAll(List.of("--preconditioner-rows", "0", "--out", centresModel.toString()));
        CliTest.Run centres = CliTest.run(centresArgs.toArray(String[]::new));
        assertEquals(0, centres.code(), centres.err());
        List<String> sketchArgs = new ArrayList<>(common);
        sketchArgs.addAll(List.of("--out", dir.resolve("sketch.zip").toString()));
        CliTest.Run sketch = CliTest.run(sketchArgs.toArray(String[]::new));
        assertEquals(0, sketch.code(), sketch.err());
        assertTrue(iterations(sketch.out()) < iterations(centres.out()), sketch.out() + " vs " + centres.out());

        Dataset ds = CsvReader.builder().build().read(data);
        KernelRidgeModel api = NystromKernelRidge.builder(KernelSpec.parse("rbf(gamma=0.5)")).centers(60).lambda(1e-3)
                .solver(NystromKernelRidge.Solver.STORED_CG).stopping(NystromKernelRidge.Stopping.RESIDUAL)
                .tolerance(1e-10).maxIterations(400).preconditionerRows(0).build().fit(ds.features(), ds.target());
        assertEquals((int) api.report().number("cg_iterations"), iterations(centres.out()));
        Matrix a = ModelFiles.load(centresModel).model().predict(ds.features());
        Matrix b = api.predict(ds.features());
        assertTrue(a.maxAbsDifference(b) < 1e-9, "CLI and API differ by " + a.maxAbsDifference(b));

        List<String> bad = new ArrayList<>(common);
        bad.addAll(List.of("--preconditioner-rows", "-3", "--out", dir.resolve("bad.zip").toString()));
        CliTest.Run negative = CliTest.run(bad.toArray(String[]::new));
        assertEquals(2, negative.code(), negative.err());
        assertTrue(negative.err().contains("preconditioner rows must be >= 0, got -3"), negative.err());
        assertEquals(1, negative.err().strip().lines().count(), negative.err());
        CliTest.Run exact = CliTest.run("fit", "--train", data.toString(), "--kernel", "rbf(gamma=0.5)",
                "--preconditioner-rows", "100", "--out", dir.resolve("exact.zip").toString(), "--no-progress");
        assertEquals(2, exact.code(), exact.err());
        assertTrue(exact.err().contains("--preconditioner-rows applies to --solver nystrom"), exact.err());
        assertEquals(1, exact.err().strip().lines().count(), exact.err());
    }
}
