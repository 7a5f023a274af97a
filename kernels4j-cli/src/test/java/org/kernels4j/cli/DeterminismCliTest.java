package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.linalg.Parallelism;

/**
 * Same command, same seed: byte-identical model files and predictions (issue 16, item 14). Each
 * command runs twice in this JVM, the second time after the first has warmed up the JIT, on three
 * threads, so neither the JIT tier nor the threads' timing may change a bit. (The thread count itself
 * may: OpenBLAS's threaded Cholesky blocks differently on one thread than on several; kernels4j's own
 * parallel sums do not depend on it, see GramDeterminismTest.)
 */
class DeterminismCliTest {
    @TempDir
    Path dir;
    private final int threads = Parallelism.threads();

    @AfterEach
    void restoreThreads() {
        Parallelism.setThreads(threads);
    }

    private byte[] runTwice(List<String> args, String outName) throws IOException {
        byte[] first = null;
        for (int round = 0; round < 2; round++) {
            Parallelism.setThreads(3);
            Path out = dir.resolve(round + "-" + outName);
            List<String> all = new ArrayList<>(args);
            all.add("--out");
            all.add(out.toString());
            CliTest.Run r = CliTest.run(all.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            byte[] bytes = Files.readAllBytes(out);
            if (first == null) {
                first = bytes;
            } else {
                assertArrayEquals(first, bytes, String.join(" ", args) + ": the two runs differ");
            }
        }
        return first;
    }

    @Test
    void fitsAndPredictionsAreByteIdentical() throws IOException {
        String diabetes = Path.of("..", "data", "diabetes.csv").toString();
        String iris = Path.of("..", "data", "iris.csv").toString();
        // the optimizer amplifies any change of the last bit of the evidence into different hyperparameters
        runTwice(List.of("fit", "--model", "gp", "--train", iris, "--kernel", "1*rbf(length=1) + white(noise=0.1)",
                "--optimize", "--normalize", "--no-progress"), "gp.zip");
        // Falkon's Kᵀ(K·V) sums over row bands on every thread
        byte[] model = runTwice(List.of("fit", "--model", "krr", "--solver", "nystrom", "--centers", "120", "--lambda",
                "1e-3", "--train", diabetes, "--kernel", "matern(nu=2.5, length=0.3)", "--no-progress"), "ny.zip");
        Path saved = dir.resolve("ny.zip");
        Files.write(saved, model);
        runTwice(List.of("predict", "--model", saved.toString(), "--data", diabetes, "--no-progress"), "p.csv");
        // Platt scaling's internal cross-validation and one-vs-one problems on several threads
        runTwice(List.of("fit", "--model", "svc", "--probability", "--train", iris, "--kernel", "rbf(gamma=0.5)",
                "--no-progress"), "svc.zip");
    }
}
