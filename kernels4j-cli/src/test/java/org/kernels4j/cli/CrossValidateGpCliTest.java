package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code cv --model gp --optimize}: the hyperparameters are learned on each training fold. */
class CrossValidateGpCliTest {
    private static double rmse(CliTest.Run r) {
        String line = r.out().lines().filter(l -> l.startsWith("1")).findFirst().orElseThrow();
        return Double.parseDouble(line.trim().split("\\s{2,}")[1]);
    }

    @Test
    void optimizingPerFoldRepairsABadStartingKernel() {
        String diabetes = Path.of("..", "data", "diabetes.csv").toString();
        String bad = "1*rbf(length=100) + white(noise=1e-4)";
        CliTest.Run fixed = CliTest.run("cv", "--model", "gp", "--kernel", bad, "--normalize", "--data", diabetes,
                "--folds", "3");
        CliTest.Run learned = CliTest.run("cv", "--model", "gp", "--kernel", bad, "--normalize", "--optimize", "--data",
                diabetes, "--folds", "3");
        assertEquals(0, fixed.code(), fixed.err());
        assertEquals(0, learned.code(), learned.err());
        // the target's standard deviation is 77: a well-fitted GP on diabetes reaches about 55 to 60,
        // a length scale of 100 on standardized features is a near-linear model with almost no noise
        double before = rmse(fixed);
        double after = rmse(learned);
        assertTrue(after < 62, "learned per fold: " + after);
        assertTrue(after < before, "learned " + after + " vs fixed " + before);
        CliTest.Run misuse = CliTest.run("cv", "--model", "krr", "--kernel", "rbf()", "--optimize", "--data", diabetes);
        assertEquals(2, misuse.code(), misuse.err());
        assertTrue(misuse.err().contains("--optimize applies to --model gp"), misuse.err());
    }
}
