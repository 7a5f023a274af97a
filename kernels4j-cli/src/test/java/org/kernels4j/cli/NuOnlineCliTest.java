package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.model.Model;
import org.kernels4j.online.OnlineKernelLearner;
import org.kernels4j.online.OnlineKernelModel;
import org.kernels4j.svm.KernelPegasos;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;

/**
 * fit --model nusvc|nusvr|pegasos|online: each writes the model the library fits from the same rows (same
 * predictions), evaluate reads it, and each bad option ends with a non-zero exit code and one line naming it.
 */
class NuOnlineCliTest {
    @TempDir
    Path dir;
    Path three;
    Path two;

    /** Three Gaussian classes (labels 1, 2, 3; 50 rows each) and the first two of them alone. */
    @BeforeEach
    void writeData() throws IOException {
        three = dir.resolve("three.csv");
        two = dir.resolve("two.csv");
        Random r = new Random(5);
        List<String> all = new ArrayList<>(List.of("u,v,label"));
        List<String> pair = new ArrayList<>(List.of("u,v,label"));
        for (int i = 0; i < 150; i++) {
            int c = 1 + i % 3;
            String line = (c + 0.6 * r.nextGaussian()) + "," + ((c == 2 ? 1 : 0) + 0.6 * r.nextGaussian()) + "," + c;
            all.add(line);
            if (c < 3) {
                pair.add(line);
            }
        }
        Files.write(three, all);
        Files.write(two, pair);
    }

    private static double[] predictions(Path model, Dataset d) {
        return ModelFiles.load(model).model().predict(d.features()).data();
    }

    @Test
    void eachModelWritesWhatTheLibraryFits() {
        Dataset d3 = CsvReader.builder().target("label").build().read(three);
        Dataset d2 = CsvReader.builder().target("label").build().read(two);
        Dataset du = CsvReader.builder().target("u").build().read(three);
        var k = KernelSpec.parse("rbf(gamma=0.5)");
        Path nusvc = dir.resolve("nusvc.zip");
        CliTest.Run fit = CliTest.run("fit", "--model", "nusvc", "--train", three.toString(), "--kernel",
                "rbf(gamma=0.5)", "--nu", "0.3", "--out", nusvc.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("training accuracy") && fit.out().contains("nBSV"), fit.out());
        Model m = ModelFiles.load(nusvc).model();
        assertEquals(SvmModel.Type.NU_SVC, ((SvmModel) m).type());
        assertArrayEquals(SupportVectorMachine.nuClassifier(k).nu(0.3).build().fit(d3.features(), d3.target())
                .predict(d3.features()).data(), predictions(nusvc, d3), 0);
        CliTest.Run eval = CliTest.run("evaluate", "--model", nusvc.toString(), "--data", three.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("accuracy"), eval.out());

        Path nusvr = dir.resolve("nusvr.zip");
        fit = CliTest.run("fit", "--model", "nusvr", "--train", three.toString(), "--target", "u", "--kernel",
                "rbf(gamma=0.5)", "--nu", "0.4", "--c", "2", "--out", nusvr.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("training rmse"), fit.out());
        assertArrayEquals(SupportVectorMachine.nuRegression(k).nu(0.4).c(2).build().fit(du.features(), du.target())
                .predict(du.features()).data(), predictions(nusvr, du), 0);

        Path pegasos = dir.resolve("pegasos.zip");
        fit = CliTest.run("fit", "--model", "pegasos", "--train", three.toString(), "--kernel", "rbf(gamma=0.5)",
                "--lambda", "0.01", "--iterations", "500", "--averaging", "--out", pegasos.toString());
        assertEquals(0, fit.code(), fit.err());
        assertArrayEquals(KernelPegasos.builder(k).lambda(0.01).iterations(500).averaging(true).build()
                .fit(d3.features(), d3.target()).predict(d3.features()).data(), predictions(pegasos, d3), 0);

        Path online = dir.resolve("online.zip");
        fit = CliTest.run("fit", "--model", "online", "--train", two.toString(), "--kernel", "rbf(gamma=0.5)",
                "--budget", "30", "--learning-rate", "0.2", "--lambda", "0.05", "--nu", "0.3", "--out", online.toString());
        assertEquals(0, fit.code(), fit.err());
        OnlineKernelModel expected = OnlineKernelLearner.builder(OnlineKernelLearner.Type.CLASSIFICATION, k).budget(30)
                .learningRate(0.2).lambda(0.05).nu(0.3).build().fit(d2.features(), d2.target());
        assertArrayEquals(expected.predict(d2.features()).data(), predictions(online, d2), 0);
        assertEquals(30, ((OnlineKernelModel) ModelFiles.load(online).model()).coefficients().length);

        Path reg = dir.resolve("reg.zip");
        fit = CliTest.run("fit", "--model", "online", "--online-type", "regression", "--train", three.toString(),
                "--target", "u", "--kernel", "rbf(gamma=0.5)", "--out", reg.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("training rmse") && fit.out().contains("epsilon"), fit.out());
        Path nov = dir.resolve("nov.zip");
        fit = CliTest.run("fit", "--model", "online", "--online-type", "novelty", "--train", three.toString(),
                "--target", "label", "--kernel", "rbf(gamma=0.5)", "--out", nov.toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(fit.out().contains("outside the estimated support"), fit.out());
    }

    private void refused(String part, String... args) {
        CliTest.Run r = CliTest.run(args);
        // 2 for a misplaced or malformed option and for an SVM option value the estimator refuses (the CLI's usage
        // errors), 1 for what the data makes impossible (an infeasible nu) and the other learners' refusals
        boolean usage = part.contains(" applies to ") || part.startsWith("--online-type")
                || part.startsWith("nu must be in");
        assertEquals(usage ? 2 : 1, r.code(), r.err());
        assertTrue(r.err().contains(part), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void badOptionsEndWithOneLine() {
        String out = dir.resolve("m.zip").toString();
        String t = three.toString();
        refused("nu must be in (0, 1]", "fit", "--model", "nusvc", "--train", t, "--kernel", "rbf(gamma=0.5)", "--nu", "1.5",
                "--out", out);
        // one-vs-rest: 50 rows against 100, so nu may reach 2*50/150 = 0.667 and no further
        refused("specified nu is infeasible", "fit", "--model", "nusvc", "--train", t, "--kernel", "rbf(gamma=0.5)", "--nu", "0.9",
                "--multiclass", "ovr", "--out", out);
        refused("--c applies to --model svc|svr|nusvr", "fit", "--model", "nusvc", "--train", t, "--kernel", "rbf(gamma=0.5)",
                "--c", "2", "--out", out);
        refused("lambda must be a positive number", "fit", "--model", "pegasos", "--train", t, "--kernel", "rbf(gamma=0.5)",
                "--lambda", "0", "--out", out);
        refused("iterations must be at least 1", "fit", "--model", "pegasos", "--train", t, "--kernel", "rbf(gamma=0.5)",
                "--iterations", "0", "--out", out);
        refused("budget must be at least 1", "fit", "--model", "online", "--train", two.toString(), "--kernel", "rbf(gamma=0.5)",
                "--budget", "0", "--out", out);
        refused("--online-type must be", "fit", "--model", "online", "--train", two.toString(), "--kernel", "rbf(gamma=0.5)",
                "--online-type", "ranking", "--out", out);
        refused("needs exactly two classes", "fit", "--model", "online", "--train", t, "--kernel", "rbf(gamma=0.5)", "--out", out);
        refused("--iterations applies to --model krr|pegasos", "fit", "--model", "svc", "--train", t, "--kernel", "rbf(gamma=0.5)",
                "--iterations", "5", "--out", out);
        refused("--averaging applies to --model pegasos", "fit", "--model", "svc", "--train", t, "--kernel", "rbf(gamma=0.5)",
                "--averaging", "--out", out);
        assertTrue(!Files.exists(dir.resolve("m.zip")));
    }
}
