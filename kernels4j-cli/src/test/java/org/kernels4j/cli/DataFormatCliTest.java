package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data files are read as LibSVM or CSV by their content, whatever their names; --format forces one. */
class DataFormatCliTest {
    @TempDir
    Path dir;

    /** The bundled heart_scale, copied under LIBSVM's own name (no extension). */
    private Path heartScale() throws IOException {
        Path bundled = Path.of("..", "data", "heart_scale.libsvm");
        if (!Files.exists(bundled)) {
            bundled = Path.of("data", "heart_scale.libsvm");
        }
        return Files.copy(bundled, dir.resolve("heart_scale"));
    }

    @Test
    void libsvmWithoutExtensionIsReadByContent() throws IOException {
        Path data = heartScale();
        Path model = dir.resolve("svc.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "svc", "--train", data.toString(), "--kernel", "rbf(gamma=0.0769)",
                "--out", model.toString());
        assertEquals(0, fit.code(), fit.err());
        CliTest.Run eval = CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().toLowerCase(java.util.Locale.ROOT).contains("accuracy"), eval.out());
        // Forcing the format reads it the same way.
        assertEquals(0, CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString(), "--format",
                "libsvm").code());
    }

    @Test
    void formatCsvForcesCsvAndFailsInOneClearLine() throws IOException {
        Path data = heartScale();
        CliTest.Run fit = CliTest.run("fit", "--model", "svc", "--train", data.toString(), "--kernel", "rbf(gamma=0.0769)",
                "--format", "csv", "--out", dir.resolve("m.zip").toString());
        assertEquals(1, fit.code());
        String err = fit.err().strip();
        assertFalse(err.contains("\n"), err);
        // in a one-column file read for a classifier the first line is data, not a header
        assertTrue(err.contains("heart_scale:1:1: cannot read '+1 1:0.708333"), err);
        assertTrue(err.contains("looks like LibSVM") && err.contains("--format libsvm"), err);
        assertFalse(Files.exists(dir.resolve("m.zip")));

        CliTest.Run bad = CliTest.run("fit", "--train", data.toString(), "--kernel", "linear()", "--format", "tsv", "--out",
                dir.resolve("m.zip").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--format must be auto, csv or libsvm, got 'tsv'"), bad.err());
    }

    @Test
    void csvNamedLikeLibsvmIsStillCsvUnlessForced() throws IOException {
        Path csv = Files.writeString(dir.resolve("train.svm"), "a,y\n1,2\n2,4\n3,6\n4,8\n");
        CliTest.Run fit = CliTest.run("fit", "--train", csv.toString(), "--kernel", "linear()", "--out",
                dir.resolve("m.zip").toString());
        assertEquals(0, fit.code(), fit.err());
        CliTest.Run forced = CliTest.run("fit", "--train", csv.toString(), "--kernel", "linear()", "--format", "libsvm",
                "--out", dir.resolve("m2.zip").toString());
        assertEquals(1, forced.code());
        assertTrue(forced.err().contains("train.svm:1:1: cannot read label 'a,y' as a number"), forced.err());
    }
}
