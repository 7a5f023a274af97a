package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --verbose} binds the library's System.Logger lines to stderr; the default is quiet. The BLAS line is
 * logged once per JVM, at the first BLAS call, so those checks run the CLI as a fresh process.
 */
class VerboseCliTest {
    @TempDir
    Path dir;

    record Outcome(int code, List<String> stderr) {
    }

    /** The CLI as a process on the test class path, with or without the Vector API module; stderr's lines. */
    static Outcome process(boolean vectorApi, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        if (vectorApi) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the CLI finished");
        return new Outcome(p.exitValue(),
                err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList());
    }

    private Path points() throws IOException {
        List<String> rows = new ArrayList<>(List.of("a,b,c"));
        for (int i = 0; i < 30; i++) {
            rows.add(Math.sin(i) + "," + Math.cos(3 * i) + "," + (i % 7) / 7.0);
        }
        return Files.write(dir.resolve("points.csv"), rows);
    }

    @Test
    void verboseShowsTheBlasLineAndTheDefaultIsQuiet() throws Exception {
        Path data = points();
        Outcome verbose = process(true, "gram", "--data", data.toString(), "--kernel", "rbf(gamma=0.5)", "--out",
                dir.resolve("k1.npy").toString(), "--verbose");
        assertEquals(0, verbose.code(), verbose.stderr().toString());
        assertTrue(verbose.stderr().stream().anyMatch(l -> l.startsWith("kernels4j: debug: BLAS: OpenBLAS ")
                && l.contains(", core ") && l.contains(" threads for one large call")), verbose.stderr().toString());
        assertTrue(verbose.stderr().contains("kernels4j: debug: element-wise passes: " + org.kernels4j.linalg.ElementOps
                .get().name()), verbose.stderr().toString());
        assertTrue(verbose.stderr().stream().allMatch(l -> l.startsWith("kernels4j: ")), "one line per record: "
                + verbose.stderr());

        Outcome quiet = process(true, "gram", "--data", data.toString(), "--kernel", "rbf(gamma=0.5)", "--out",
                dir.resolve("k2.npy").toString());
        assertEquals(0, quiet.code(), quiet.stderr().toString());
        assertEquals(List.of(), quiet.stderr(), "nothing on stderr by default");
        assertEquals(-1, Files.mismatch(dir.resolve("k1.npy"), dir.resolve("k2.npy")), "same result either way");
    }

    @Test
    void withoutTheVectorApiVerboseNamesTheScalarFallback() throws Exception {
        Outcome r = process(false, "-v", "gram", "--data", points().toString(), "--kernel", "rbf(gamma=0.5)", "--out",
                dir.resolve("k.npy").toString());
        assertEquals(0, r.code(), r.stderr().toString());
        assertTrue(r.stderr().stream().anyMatch(l -> l.startsWith("kernels4j: info: the Vector API is absent: ")
                && l.contains("--add-modules jdk.incubator.vector")), r.stderr().toString());
    }

    /** In one JVM: a GP whose covariance is numerically singular warns about the jitter only with --verbose. */
    @Test
    void jitterWarningOnlyWithVerbose() throws Exception {
        Path train = dir.resolve("train.csv");
        List<String> rows = new ArrayList<>(List.of("x,y"));
        for (int i = 0; i < 40; i++) {
            rows.add(i / 40.0 + "," + Math.sin(i / 6.0));
        }
        Files.write(train, rows);
        // amplitude 1e6 and length 1000 on [0, 1): all but two eigenvalues are below rounding (about 1e6·40·1e-16),
        // far above the GP's default noise of 1e-10, so the first factorization fails and jitter is added
        String[] fit = {"fit", "--model", "gp", "--train", train.toString(), "--kernel", "1000000*rbf(length=1000)", "--out",
            dir.resolve("gp.zip").toString()};
        StringWriter err = new StringWriter();
        int code = Main.run(concat(fit, "--verbose"), new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        List<String> warnings = err.toString().lines().filter(l -> l.startsWith("kernels4j: warning: ")).toList();
        assertFalse(warnings.isEmpty(), err.toString());
        assertTrue(warnings.stream().anyMatch(l -> l.contains("not positive definite: added jitter ")), err.toString());

        StringWriter quiet = new StringWriter();
        assertEquals(0, Main.run(fit, new PrintWriter(new StringWriter()), new PrintWriter(quiet, true)));
        assertEquals("", quiet.toString(), "the default is quiet, also after a verbose run in the same JVM");
    }

    private static String[] concat(String[] a, String b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }
}
