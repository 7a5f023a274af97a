package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** {@code fit --model krr --sample-weights}: the saved model is the core's weighted fit; misuse exits 2. */
@Timeout(120)
class SampleWeightsCliTest {
    @TempDir
    Path dir;

    @Test
    void weightedFitIsTheCoresAndBadUseIsRefused() throws IOException {
        Random r = new Random(1);
        StringBuilder data = new StringBuilder("a,b,y\n");
        StringBuilder weights = new StringBuilder("row,weight\n");
        Matrix x = new Matrix(40, 2);
        Matrix y = new Matrix(40, 1);
        double[] w = new double[40];
        double sum = 0;
        for (int i = 0; i < 40; i++) {
            x.set(i, 0, r.nextGaussian());
            x.set(i, 1, r.nextGaussian());
            y.set(i, 0, Math.sin(x.get(i, 0)) + x.get(i, 1));
            w[i] = 0.5 + (i % 4);
            sum += w[i];
            data.append(x.get(i, 0)).append(',').append(x.get(i, 1)).append(',').append(y.get(i, 0)).append('\n');
            weights.append(i + 1).append(',').append(w[i]).append('\n');
        }
        Path train = dir.resolve("train.csv");
        Path wf = dir.resolve("w.csv");
        Files.writeString(train, data);
        Files.writeString(wf, weights);
        Path model = dir.resolve("m.zip");
        Run ok = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--lambda", "0.1",
                "--sample-weights", wf.toString(), "--out", model.toString(), "--no-progress");
        assertEquals(0, ok.code(), ok.err());
        for (int i = 0; i < 40; i++) {
            w[i] *= 40 / sum; // the CLI rescales to mean 1
        }
        KernelRidgeModel expected = KernelRidge.builder(KernelSpec.parse("rbf(gamma=0.5)")).lambda(0.1).build()
                .fit(x, y, w);
        KernelRidgeModel saved = ModelFiles.load(model, KernelRidgeModel.class, "kernel ridge model");
        Matrix test = new Matrix(3, 2);
        test.set(0, 0, 0.3);
        test.set(1, 1, -1);
        assertArrayEquals(expected.predict(test).data(), saved.predict(test).data(), 1e-12);

        Run overwrite = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--lambda", "0.1",
                "--sample-weights", wf.toString(), "--out", wf.toString(), "--no-progress");
        assertEquals(1, overwrite.code(), overwrite.err());
        assertTrue(overwrite.err().contains("it is the input file"), overwrite.err());
        assertTrue(Files.readString(wf).startsWith("row,weight"), "the weights file is untouched");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "w\n1\n2\n");
        Run shortFile = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--lambda", "0.1",
                "--sample-weights", bad.toString(), "--out", model.toString(), "--no-progress");
        assertEquals(1, shortFile.code());
        assertTrue(shortFile.err().contains("2 weights for 40 training rows"), shortFile.err());
        Run grid = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--lambda", "auto",
                "--sample-weights", wf.toString(), "--out", model.toString(), "--no-progress");
        assertEquals(2, grid.code(), grid.err());
        assertTrue(grid.err().contains("--sample-weights needs a fixed --lambda"), grid.err());
        Run nystrom = run("fit", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)", "--solver", "nystrom",
                "--sample-weights", wf.toString(), "--out", model.toString(), "--no-progress");
        assertEquals(2, nystrom.code(), nystrom.err());
        Run svm = run("fit", "--model", "svc", "--train", train.toString(), "--kernel", "rbf(gamma=0.5)",
                "--sample-weights", wf.toString(), "--out", model.toString(), "--no-progress");
        assertEquals(2, svm.code(), svm.err());
        assertTrue(svm.err().contains("--sample-weights"), svm.err());
    }
}
