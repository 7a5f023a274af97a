package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.cli.CliTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;

/**
 * {@code fit --model krr --precision mixed}: the saved model predicts as the core's float64 fit (to 1e-10), the run
 * says which path it took (and a fallback, with a tiny λ); misuse exits 2 with one line.
 */
@Timeout(120)
class PrecisionCliTest {
    @TempDir
    Path dir;

    @Test
    void mixedFitMatchesFloat64AndSaysWhatItDid() throws IOException {
        Random r = new Random(3);
        StringBuilder data = new StringBuilder("a,b,y\n");
        Matrix x = new Matrix(80, 2);
        Matrix y = new Matrix(80, 1);
        for (int i = 0; i < 80; i++) {
            x.set(i, 0, r.nextGaussian());
            x.set(i, 1, r.nextGaussian());
            y.set(i, 0, Math.sin(x.get(i, 0)) + x.get(i, 1));
            data.append(x.get(i, 0)).append(',').append(x.get(i, 1)).append(',').append(y.get(i, 0)).append('\n');
        }
        Path train = dir.resolve("train.csv");
        Files.writeString(train, data);
        Path model = dir.resolve("m.zip");
        Run ok = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--lambda", "0.01",
                "--precision", "mixed", "--out", model.toString(), "--no-progress");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().matches("(?s).*precision: mixed \\(\\d+ refinement steps, relative residual [0-9.]+e-1\\d\\).*"),
                ok.out());
        KernelRidgeModel expected = KernelRidge.builder(KernelSpec.parse("rbf(gamma=0.5)")).lambda(0.01).build()
                .fit(x, y);
        KernelRidgeModel saved = ModelFiles.load(model, KernelRidgeModel.class, "kernel ridge model");
        Matrix test = new Matrix(3, 2);
        test.set(0, 0, 0.3);
        test.set(1, 1, -1);
        double[] want = expected.predict(test).data();
        double[] got = saved.predict(test).data();
        for (int i = 0; i < 3; i++) {
            assertEquals(want[i], got[i], 1e-10 * Math.abs(want[i]) + 1e-14);
        }

        Run tiny = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.01)", "--lambda", "1e-12",
                "--precision", "mixed", "--out", model.toString(), "--no-progress");
        assertEquals(0, tiny.code(), tiny.err());
        assertTrue(tiny.out().contains("precision: double (fallback: "), tiny.out());
        assertTrue(tiny.out().contains("solved by the float64 Cholesky)"), tiny.out());

        Run plain = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--lambda", "0.01",
                "--out", model.toString(), "--no-progress");
        assertEquals(0, plain.code(), plain.err());
        assertFalse(plain.out().contains("precision:"), plain.out());
    }

    @Test
    void misuseExitsTwoWithOneLine() throws IOException {
        Path train = dir.resolve("t.csv");
        Files.writeString(train, "a,y\n1,2\n2,3\n3,5\n");
        Path model = dir.resolve("m.zip");
        Run word = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--precision", "half", "--out", model.toString());
        assertEquals(2, word.code());
        assertEquals("unknown precision 'half'; expected double, mixed or auto (see 'kernels4j fit --help')",
                lastLine(word.err()));
        Run grid = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--lambda", "auto", "--precision", "mixed", "--out",
                model.toString());
        assertEquals(2, grid.code());
        assertTrue(grid.err().contains("precision mixed applies to the Cholesky solve at a fixed lambda"), grid.err());
        Run nystrom = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--solver", "nystrom", "--precision", "mixed", "--out",
                model.toString());
        assertEquals(2, nystrom.code());
        assertTrue(nystrom.err().contains("--precision applies to --solver exact, not --solver nystrom"), nystrom.err());
        Run svc = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--model", "svr", "--precision", "mixed", "--out",
                model.toString());
        assertEquals(2, svc.code());
        assertTrue(svc.err().contains("--precision"), svc.err());
        for (Run each : new Run[] {word, grid, nystrom, svc}) {
            assertFalse(each.err().contains("Exception"), each.err());
            assertFalse(each.err().contains("\tat "), each.err());
        }
        assertFalse(Files.exists(model));
    }

    private static String lastLine(String err) {
        String[] lines = err.strip().split("\n");
        return lines[lines.length - 1].replaceFirst("^kernels4j: ", "").replaceFirst("^error: ", "").strip();
    }
}
