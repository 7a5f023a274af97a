package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.dkm.DeepKernelMachineModel;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/** {@code fit --model dkm --inducing M [--batch-size B --epochs E]} and {@code bench dkm --inducing M}. */
class SparseDkmCliTest {
    @TempDir
    Path dir;

    private Path regression() throws IOException {
        List<String> lines = new ArrayList<>(List.of("a,b,y"));
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < 40; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            lines.add(a + "," + b + "," + (Math.sin(2 * a) + 0.3 * b + 0.05 * r.nextGaussian()));
        }
        Path f = dir.resolve("reg.csv");
        Files.write(f, lines);
        return f;
    }

    @Test
    void sparseFitPredictsWithStandardDeviationsFullBatchAndMinibatch() throws IOException {
        Path data = regression();
        Dataset ds = CsvReader.builder().build().read(data);
        for (String[] extra : new String[][] {
            {"--max-iter", "20"},
            {"--batch-size", "20", "--epochs", "30", "--learning-rate", "0.02"},
        }) {
            Path model = dir.resolve("sdkm.zip");
            List<String> args = new ArrayList<>(List.of("fit", "--model", "dkm", "--train", data.toString(), "--kernel",
                    "se(length=1.5)", "--layers", "1", "--nu", "2", "--noise", "0.05", "--inducing", "12",
                    "--sampler", "kmeans++", "--out", model.toString(), "--no-progress"));
            args.addAll(List.of(extra));
            boolean fullBatch = extra[0].equals("--max-iter");
            // one thread: 12 inducing points gain nothing from a multi-threaded LAPACK, which only waits on a loaded
            // machine
            CliTest.Run fit = Parallelism.withThreadLimit(1, () -> CliTest.run(args.toArray(new String[0])));
            assertEquals(0, fit.code(), fit.err());
            assertTrue(fit.out().contains("model: dkm (sparse, 12 inducing points, kmeans++)"), fit.out());
            assertTrue(fit.out().contains(fullBatch ? "optimizer: L-BFGS" : "optimizer: Adam, 30 "
                    + "epochs of batches of 20 rows, 60 steps"), fit.out());
            assertEquals("dkm", ModelFiles.kind(model));
            DeepKernelMachineModel m = (DeepKernelMachineModel) ModelFiles.load(model).model();
            assertTrue(m.isSparse());
            assertEquals(12, m.trainingInputs().rows());
            Path preds = dir.resolve("p.csv");
            CliTest.Run pred = CliTest.run("predict", "--model", model.toString(), "--data", data.toString(), "--out",
                    preds.toString(), "--std");
            assertEquals(0, pred.code(), pred.err());
            Matrix got = CsvReader.builder().target(null).build().read(preds).features();
            Matrix mean = m.predict(ds.features());
            Matrix var = m.predictiveVariance(ds.features());
            double se = 0;
            for (int i = 0; i < ds.rows(); i++) {
                assertEquals(mean.get(i, 0), got.get(i, 0), 0.0);
                assertEquals(Math.sqrt(var.get(i, 0)), got.get(i, 1), 0.0);
                double e = got.get(i, 0) - ds.target().get(i, 0);
                se += e * e;
            }
            double rmse = Math.sqrt(se / ds.rows());
            if (fullBatch) { // evaluate prints the same RMSE (one CLI call less for the minibatch model)
                CliTest.Run eval = CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString());
                assertEquals(0, eval.code(), eval.err());
                double printed = Double.parseDouble(eval.out().lines().filter(l -> l.startsWith("rmse: ")).findFirst()
                        .orElseThrow().substring(6));
                assertEquals(rmse, printed, 1e-6 * (1 + rmse), eval.out());
            }
            // the targets' standard deviation is about 0.75: the fit must explain most of sin(2a) + 0.3b
            assertTrue(rmse < 0.3, String.join(" ", extra) + ": rmse " + rmse);
        }
    }

    @Test
    void badSparseOptionsAreOneLine() throws IOException {
        String t = regression().toString();
        String out = dir.resolve("m.zip").toString();
        List<String> base = List.of("fit", "--model", "dkm", "--train", t, "--kernel", "se(length=1)", "--out", out);
        // a library error (checked for its data-dependent message) becomes one line and exit code 1; the library's
        // other sparse-DKM messages (nu <= 0, 0 inducing points, a batch larger than n, 0 epochs) are asserted in
        // SparseDeepKernelMachineTest.badInputIsOneClearMessage, so only the CLI's own checks are repeated here
        fails(base, 1, List.of("cannot use 41 inducing points with 40 training rows"), "--inducing", "41");
        fails(base, 2, List.of("--batch-size must be >= 1"), "--inducing", "5", "--batch-size", "0");
        fails(base, 2, List.of("--epochs", "--batch-size"), "--inducing", "5", "--epochs", "3");
        fails(base, 2, List.of("--batch-size", "--inducing"), "--batch-size", "10");
        fails(base, 2, List.of("--max-iter", "--epochs"), "--inducing", "5", "--batch-size", "10", "--max-iter", "5");
        fails(List.of("fit", "--train", t, "--kernel", "rbf()", "--out", out), 2, List.of("--batch-size", "--model dkm"),
                "--batch-size", "10");
    }

    private void fails(List<String> base, int code, List<String> words, String... extra) throws IOException {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of(extra));
        CliTest.Run r = CliTest.run(args.toArray(new String[0]));
        assertEquals(code, r.code(), String.join(" ", extra) + ": " + r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr: " + r.err());
        assertTrue(lines.get(0).startsWith("kernels4j: "), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        String lower = r.err().toLowerCase(Locale.ROOT);
        for (String w : words) {
            assertTrue(lower.contains(w.toLowerCase(Locale.ROOT)), "'" + w + "' in: " + r.err());
        }
        assertFalse(Files.exists(dir.resolve("m.zip")), "no model file written");
    }

    @Test
    void benchDkmWithInducingPrintsTheSparseLines() {
        CliTest.Run r = CliTest.run("bench", "dkm", "--inducing", "8", "--n", "200", "--d", "5", "--batch-size", "50",
                "--exact-n", "20", "--exact-iterations", "3", "--test-n", "30", "--map", "se(length=2)");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).matches("sparse dkm se\\(length=2\\) layers=2 n=200 m=8 d=5 batch=50 epochs=1 "
                + "threads=\\d+ \\(Friedman-1, sigma2=0\\.05, nu=1\\)"), lines.get(0));
        assertTrue(lines.get(1).matches("start \\d+\\.\\d\\d s, one epoch \\d+\\.\\d\\d s; test RMSE \\(standardized, 30 "
                + "rows\\): sparse \\d\\.\\d{4}, sparse NNGP start \\d\\.\\d{4}"), lines.get(1));
        assertTrue(lines.get(2).matches("exact dkm on the first 20 rows: \\d+\\.\\d\\d s \\(L-BFGS stopped on \\w+\\), "
                + "test RMSE \\d\\.\\d{4}"), lines.get(2));
        CliTest.Run bad = CliTest.run("bench", "dkm", "--inducing", "300", "--n", "200");
        assertEquals(2, bad.code());
        assertTrue(bad.err().strip().startsWith("kernels4j: "), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }
}
