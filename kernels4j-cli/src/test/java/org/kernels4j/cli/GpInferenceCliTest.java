package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.gp.GaussianProcessClassifier;
import org.kernels4j.gp.GaussianProcessClassifierModel;
import org.kernels4j.gp.HyperparameterObjective;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.gp.InferenceMethod;
import org.kernels4j.gp.Likelihood;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/** fit --model gpc --inference/--objective/--likelihood: the file holds the same model as the API builds. */
class GpInferenceCliTest {
    @TempDir
    Path dir;

    @Test
    void epAndCviClassifiersFromTheCommandLineEqualTheApiAndMistakesAreClear() throws IOException {
        Random r = new Random(4);
        int n = 16;
        Matrix x = new Matrix(n, 2);
        Matrix y = new Matrix(n, 1);
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < n; i++) {
            x.set(i, 0, r.nextGaussian());
            x.set(i, 1, r.nextGaussian());
            y.set(i, 0, x.get(i, 0) + 0.5 * x.get(i, 1) + 0.5 * r.nextGaussian() > 0 ? 1 : 0);
            csv.append(x.get(i, 0)).append(',').append(x.get(i, 1)).append(',').append((int) y.get(i, 0)).append('\n');
        }
        Path train = dir.resolve("train.csv");
        Files.writeString(train, csv);
        // EP learns its hyperparameters (analytic gradient); CVI runs at the given kernel (its EP-like learning
        // uses finite differences, checked in LatentInferenceTest)
        String[][] runs = {{"ep", "evidence", "probit", "--optimize"}, {"cvi", "ep-like", "logit", "--seed=1"}};
        for (String[] run : runs) {
            Path out = dir.resolve(run[0] + ".zip");
            CliTest.Run fit = CliTest.run("fit", "--model", "gpc", "--train", train.toString(), "--kernel",
                    "1*rbf(length=1)", "--inference", run[0], "--objective", run[1], "--likelihood", run[2],
                    run[3], "--out", out.toString());
            assertEquals(0, fit.code(), fit.err());
            GaussianProcessClassifierModel fromFile = (GaussianProcessClassifierModel) ModelFiles.load(out).model();
            GaussianProcessClassifierModel api = GaussianProcessClassifier.builder(KernelSpec.parse("1*rbf(length=1)"))
                    .inference(InferenceMethod.parse(run[0])).objective(HyperparameterObjective.parse(run[1]))
                    .likelihood(Likelihood.parse(run[2]))
                    .optimize(run[3].equals("--optimize") ? HyperparameterSearch.builder().seed(1).build() : null).build()
                    .fit(x, y);
            assertEquals(run[0], fromFile.inference().label());
            assertEquals(run[2], fromFile.likelihood().toSpec());
            assertEquals(api.logMarginalLikelihood(), fromFile.logMarginalLikelihood(), 1e-9);
            assertEquals(0, api.probabilities(x).maxAbsDifference(fromFile.probabilities(x)), 1e-9);
        }
        CliTest.Run misplaced = CliTest.run("fit", "--model", "gp", "--train", train.toString(), "--kernel", "rbf()",
                "--inference", "ep", "--out", dir.resolve("g.zip").toString());
        assertEquals(2, misplaced.code());
        assertTrue(misplaced.err().contains("--inference applies to --model gpc, not --model gp"), misplaced.err());
        CliTest.Run unknown = CliTest.run("fit", "--model", "gpc", "--train", train.toString(), "--kernel", "rbf()",
                "--inference", "vi", "--out", dir.resolve("g.zip").toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown inference 'vi'; expected laplace, ep or cvi"), unknown.err());
        CliTest.Run poisson = CliTest.run("fit", "--model", "gpc", "--train", train.toString(), "--kernel", "rbf()",
                "--likelihood", "poisson", "--out", dir.resolve("g.zip").toString());
        assertEquals(2, poisson.code());
        assertTrue(poisson.err().contains("--likelihood for gpc must be logit or probit"), poisson.err());
    }
}
