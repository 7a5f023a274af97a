package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.cli.CliTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;
import org.kernels4j.leastsquares.ApproximationExperiment;
import org.kernels4j.leastsquares.PolynomialBasis;
import org.kernels4j.leastsquares.SamplingMethod;

/** {@code wls-experiment} end to end: the table is the core's, the files are written, bad options exit 2. */
@Timeout(120)
class WlsExperimentCliTest {
    @TempDir
    Path dir;

    @Test
    void printsTheCoresTableAndWritesCsvAndPlot() throws IOException {
        Path csv = dir.resolve("r.csv");
        Path png = dir.resolve("r.png");
        Run r = run("wls-experiment", "--basis", "hermite", "--dim", "2", "--degree", "2", "--function", "exp",
                "--methods", "iid,volume", "--ratios", "1,2", "--trials", "4", "--test-size", "300", "--seed", "5",
                "--out", csv.toString(), "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("hermite, d=2, total degree 2 (m=6)"), r.out());
        ApproximationExperiment.Result core = ApproximationExperiment.run(
                PolynomialBasis.of(PolynomialBasis.Family.HERMITE, 2, PolynomialBasis.IndexSet.TOTAL_DEGREE, 2),
                ApproximationExperiment.TestFunction.EXPONENTIAL::value,
                List.of(SamplingMethod.OPTIMAL_IID, SamplingMethod.VOLUME_RESCALED), new double[] {1, 2}, 4, 300, 5);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(1 + core.cells().size(), lines.size());
        for (int i = 0; i < core.cells().size(); i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(core.cells().get(i).method().label(), cells[0]);
            assertEquals(core.cells().get(i).n(), Integer.parseInt(cells[1]));
            assertEquals(core.cells().get(i).medianError(), Double.parseDouble(cells[4]), 0);
        }
        assertTrue(Files.size(png) > 1000);
        try (var s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary file left");
        }
    }

    @Test
    void badOptionsExitTwoWithOneLine() {
        String[][] cases = {
            {"--basis", "chebyshev"}, {"--index-set", "full"}, {"--function", "rosenbrock"},
            {"--methods", "kdpp"}, {"--ratios", "0.5"}, {"--trials", "0"}, {"--degree", "-1"},
            {"--dim", "0"}, {"--test-size", "5"}, {"--plot", "x.pdf"}, {"--methods", "dpp", "--ratios", "2"},
            {"--out", "same.svg", "--plot", "same.svg"}};
        String[] expected = {"unknown polynomial family", "unknown index set", "unknown test function",
            "unknown sampling method", "--ratios must be", "--trials must be", "degree must be",
            "dimension d ≥ 1", "--test-size must be", "--plot must end in", "include 1 in --ratios",
            "name the same file"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 1];
            args[0] = "wls-experiment";
            System.arraycopy(cases[i], 0, args, 1, cases[i].length);
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains(expected[i]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
