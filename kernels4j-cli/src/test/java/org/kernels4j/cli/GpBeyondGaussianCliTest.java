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
import org.kernels4j.gp.BayesianGaussianProcessModel;
import org.kernels4j.gp.StudentTProcessModel;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.PredictiveVariance;

/** {@code fit --model tp} and {@code fit --model gp --bayesian hmc|vi}: model files that predict with --std. */
class GpBeyondGaussianCliTest {
    @TempDir
    Path dir;

    private Path regression() throws IOException {
        List<String> lines = new ArrayList<>(List.of("a,b,y"));
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < 30; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            lines.add(a + "," + b + "," + (Math.sin(2 * a) + 0.3 * b + 0.05 * r.nextGaussian()));
        }
        Path f = dir.resolve("reg.csv");
        Files.write(f, lines);
        return f;
    }

    @Test
    void studentTAndBayesianModelsFitSaveAndPredict() throws IOException {
        Path data = regression();
        Dataset ds = CsvReader.builder().build().read(data);
        String kernel = "1*rbf(length=1) + white(noise=0.05)";
        String[][] runs = {
            {"tp", "tp", "--dof", "4"},
            {"tp-mixture", "tp", "--inverse-gamma", "2:1", "--normalize"},
            {"hmc", "gp", "--bayesian", "hmc", "--chains", "2", "--warmup", "4", "--draws", "4", "--fix", "white.noise"},
            {"vi", "gp", "--bayesian", "vi", "--max-iter", "4"},
        };
        for (String[] m : runs) {
            Path model = dir.resolve(m[0] + ".zip");
            List<String> args = new ArrayList<>(List.of("fit", "--model", m[1], "--train", data.toString(), "--kernel",
                    kernel, "--out", model.toString(), "--no-progress"));
            args.addAll(List.of(m).subList(2, m.length));
            CliTest.Run fit = CliTest.run(args.toArray(new String[0]));
            assertEquals(0, fit.code(), m[0] + ": " + fit.err());
            assertTrue(fit.out().contains("training rmse"), fit.out());
            var loaded = ModelFiles.load(model).model();
            if (m[1].equals("tp")) {
                assertEquals("tp", ModelFiles.kind(model));
                assertTrue(fit.out().contains("degrees of freedom: prior"), fit.out());
                assertTrue(loaded instanceof StudentTProcessModel);
            } else {
                assertEquals("bayesian-gp", ModelFiles.kind(model));
                assertTrue(fit.out().contains(m[0].equals("hmc") ? "acceptance rate" : "ELBO"), fit.out());
                BayesianGaussianProcessModel b = (BayesianGaussianProcessModel) loaded;
                assertEquals(m[0].equals("hmc") ? 2 : 3, b.parameterNames().size(), m[0] + " " + b.parameterNames());
            }
            Path preds = dir.resolve(m[0] + ".csv");
            CliTest.Run pred = CliTest.run("predict", "--model", model.toString(), "--data", data.toString(), "--out",
                    preds.toString(), "--std");
            assertEquals(0, pred.code(), pred.err());
            Matrix mean = loaded.predict(ds.features());
            Matrix var = ((PredictiveVariance) loaded).predictiveVariance(ds.features());
            Matrix got = CsvReader.builder().target(null).build().read(preds).features();
            for (int i = 0; i < ds.rows(); i++) {
                assertEquals(mean.get(i, 0), got.get(i, 0), 0.0, m[0]);
                assertEquals(Math.sqrt(var.get(i, 0)), got.get(i, 1), 0.0, m[0]);
            }
        }
    }

    @Test
    void misuseIsAUsageError() throws IOException {
        Path data = regression();
        String out = dir.resolve("x.zip").toString();
        String[][] cases = {
            {"--model", "gp", "--bayesian", "nuts", "must be hmc, vi or vi-full"},
            {"--model", "gp", "--bayesian", "hmc", "--optimize", "cannot be combined with --optimize"},
            {"--model", "gp", "--dof", "3", "--dof applies to --model tp"},
            {"--model", "tp", "--bayesian", "hmc", "--bayesian applies to --model gp"},
            {"--model", "tp", "--learn-dof", "--learn-dof needs --optimize"},
            {"--model", "tp", "--dof", "2", "nu > 2"},
            {"--model", "tp", "--inverse-gamma", "2", "must be A:B"},
            {"--model", "gp", "--chains", "2", "need --bayesian"},
            {"--model", "gp", "--bayesian", "vi", "--chains", "2", "apply to --bayesian hmc"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("fit", "--train", data.toString(), "--kernel", "rbf()", "--out",
                    out));
            args.addAll(List.of(c).subList(0, c.length - 1));
            CliTest.Run r = CliTest.run(args.toArray(new String[0]));
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains(c[c.length - 1]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
