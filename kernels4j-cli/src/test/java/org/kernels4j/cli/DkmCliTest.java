package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.dkm.DeepKernelMachine;
import org.kernels4j.dkm.DeepKernelMachineModel;
import org.kernels4j.dkm.GramMap;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;

/** {@code fit --model dkm} with one ν per layer and a learned noise variance is the API's fit with the same options. */
class DkmCliTest {
    @TempDir
    Path dir;

    private Path regression() throws IOException {
        List<String> lines = new ArrayList<>(List.of("a,b,y"));
        java.util.Random r = new java.util.Random(11);
        for (int i = 0; i < 40; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            lines.add(a + "," + b + "," + (Math.sin(2 * a) + 0.3 * b + 0.1 * r.nextGaussian()));
        }
        Path f = dir.resolve("reg.csv");
        Files.write(f, lines);
        return f;
    }

    @Test
    void perLayerNuAndLearnedNoiseMatchTheApi() throws IOException {
        Path data = regression();
        Path out = dir.resolve("dkm.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "dkm", "--train", data.toString(), "--kernel", "se(length=1.5)",
                "--layers", "2", "--nu", "1,10", "--noise", "0.2", "--learn-noise", "--max-iter", "30", "--out",
                out.toString(), "--no-progress");
        assertEquals(0, fit.code(), fit.err());
        DeepKernelMachineModel saved = (DeepKernelMachineModel) ModelFiles.load(out).model();
        assertArrayEquals(new double[] {1, 10}, saved.nu(), 0.0);

        Dataset ds = CsvReader.builder().build().read(data);
        DeepKernelMachineModel api = DeepKernelMachine.builder(GramMap.parse("se(length=1.5)")).layers(2).nu(1, 10)
                .noise(0.2).learnNoise(true).maxIterations(30).build().fit(ds.features(), ds.target());
        assertEquals(api.noise(), saved.noise(), 1e-12 * api.noise());
        assertTrue(Math.abs(saved.noise() - 0.2) > 1e-3, "the noise variance moved from its start: " + saved.noise());
        assertArrayEquals(api.predict(ds.features()).data(), saved.predict(ds.features()).data(), 1e-10);
        String line = fit.out().lines().filter(l -> l.startsWith("noise variance: ")).findFirst().orElseThrow();
        assertTrue(line.endsWith("(learned)"), line);
        assertEquals(saved.noise(), Double.parseDouble(line.substring(16, line.indexOf(" (learned)"))),
                1e-5 * saved.noise());
    }

    @Test
    void sparseLearnedNoiseMatchesTheApi() throws IOException {
        Path data = regression();
        Path out = dir.resolve("sparse.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "dkm", "--train", data.toString(), "--kernel", "se(length=1.5)",
                "--layers", "2", "--nu", "1", "--noise", "0.2", "--learn-noise", "--inducing", "10", "--max-iter", "40",
                "--out", out.toString(), "--no-progress");
        assertEquals(0, fit.code(), fit.err());
        DeepKernelMachineModel saved = (DeepKernelMachineModel) ModelFiles.load(out).model();
        Dataset ds = CsvReader.builder().build().read(data);
        DeepKernelMachineModel api = org.kernels4j.dkm.SparseDeepKernelMachine.builder(GramMap.parse("se(length=1.5)"))
                .layers(2).nu(1).noise(0.2).learnNoise(true).inducing(10).maxIterations(40).build()
                .fit(ds.features(), ds.target());
        assertEquals(api.noise(), saved.noise(), 1e-12 * api.noise());
        assertTrue(Math.abs(saved.noise() - 0.2) > 1e-3, "the noise variance moved from its start: " + saved.noise());
        assertArrayEquals(api.predict(ds.features()).data(), saved.predict(ds.features()).data(), 1e-10);
        String line = fit.out().lines().filter(l -> l.startsWith("noise variance: ")).findFirst().orElseThrow();
        assertTrue(line.endsWith("(learned)"), line);
    }

    @Test
    void aNuListOutsideDkmAndLearnNoiseOutsideDkmAreRefused() throws IOException {
        String t = regression().toString();
        String out = dir.resolve("m.zip").toString();
        CliTest.Run svm = CliTest.run("fit", "--model", "nusvr", "--train", t, "--kernel", "rbf()", "--nu", "0.2,0.3",
                "--out", out);
        assertEquals(2, svm.code(), svm.err());
        assertTrue(svm.err().contains("--nu takes one value") && svm.err().contains("--model dkm"), svm.err());
        CliTest.Run lengths = CliTest.run("fit", "--model", "dkm", "--train", t, "--kernel", "se(length=1)", "--layers",
                "2", "--nu", "1,2,3", "--out", out);
        assertEquals(2, lengths.code(), lengths.err());
        assertTrue(lengths.err().contains("one per layer (2), got 3"), lengths.err());
        CliTest.Run gp = CliTest.run("fit", "--model", "gp", "--train", t, "--kernel", "rbf()", "--learn-noise",
                "--out", out);
        assertEquals(2, gp.code(), gp.err());
        assertTrue(gp.err().contains("--learn-noise applies to --model dkm"), gp.err());
        assertTrue(!Files.exists(Path.of(out)), "no model file is written for a refused command");
    }
}
