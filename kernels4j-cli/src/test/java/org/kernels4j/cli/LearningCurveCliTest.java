package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.cli.CliTest.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.spectral.LearningCurve;

/**
 * {@code learning-curve}: the table's predicted values are the core API's on the same input (recomputed here from
 * the task's definition or from the CSV rows the test wrote), the simulated curve is {@link LearningCurve#simulate}
 * with the same seed, the CSV and the plot are written, and bad input exits with 2 and one line.
 */
@Timeout(120)
class LearningCurveCliTest {
    @TempDir
    Path dir;

    static List<String[]> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String[]> rows = new ArrayList<>();
        for (String line : lines) {
            rows.add(line.split(","));
        }
        return rows;
    }

    static double cell(String[] header, String[] row, String name) {
        for (int j = 0; j < header.length; j++) {
            if (header[j].equals(name)) {
                return Double.parseDouble(row[j]);
            }
        }
        throw new AssertionError("no column " + name);
    }

    @Test
    void powerLawTableIsTheCoreApis() throws IOException {
        Path csv = dir.resolve("curve.csv");
        Path png = dir.resolve("curve.png");
        Run r = run("learning-curve", "--power-law", "1.5:2.5", "--modes", "500", "--noise", "0.1", "--sizes",
                "20,50,120", "--lambda", "0.01", "--repeats", "4", "--seed", "3", "--out", csv.toString(), "--plot",
                png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("pred_mse"), r.out());
        LearningCurve lc = LearningCurve.powerLaw(1.5, 2.5, 500, 0.1);
        int[] sizes = {20, 50, 120};
        List<LearningCurve.Measurement> sim = lc.simulate(sizes, 0.01, 4, 3);
        List<String[]> rows = readCsv(csv);
        String[] h = rows.get(0);
        assertEquals(1 + sizes.length, rows.size());
        for (int i = 0; i < sizes.length; i++) {
            String[] row = rows.get(i + 1);
            int n = sizes[i];
            assertEquals(n, (int) cell(h, row, "n"));
            assertEquals(lc.estimate(n, 0.01).testMse(), cell(h, row, "predicted_mse"));
            assertEquals(lc.estimate(n, 0.01).trainMse(), cell(h, row, "predicted_train_mse"));
            assertEquals(lc.kappa(n, 0.01), cell(h, row, "kappa"));
            assertEquals(lc.estimate(n, 0).testMse(), cell(h, row, "predicted_mse_lambda0"));
            assertEquals(lc.optimal(n).testMse(), cell(h, row, "predicted_mse_optimal"));
            assertEquals(lc.optimal(n).ridge(), cell(h, row, "optimal_lambda"));
            assertEquals(lc.costOfOverfitting(n), cell(h, row, "cost_of_overfitting"));
            assertEquals(sim.get(i).mean(), cell(h, row, "measured_mse"));
            assertEquals(sim.get(i).standardError(), cell(h, row, "measured_se"));
        }
        byte[] image = Files.readAllBytes(png);
        assertTrue(image.length > 1000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', "a PNG file");
    }

    /** The ridgeless curve (its own plot series) up to the interpolation peak n = P, where the prediction is inf. */
    @Test
    void ridgelessPowerLawUpToThePeak() throws IOException {
        Path svg = dir.resolve("peak.svg");
        Path csv = dir.resolve("peak.csv");
        Run r = run("learning-curve", "--power-law", "2:3", "--modes", "40", "--sizes", "10,40,80", "--repeats", "3",
                "--out", csv.toString(), "--plot", svg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("inf"), r.out());
        List<String[]> rows = readCsv(csv);
        assertEquals(Double.POSITIVE_INFINITY, cell(rows.get(0), rows.get(2), "predicted_mse"));
        // beyond the rank the ridgeless fit is least squares: 0.1 * n/(n - P) predicted
        assertEquals(0.1 * 80 / 40, cell(rows.get(0), rows.get(3), "predicted_mse"), 1e-12);
        assertTrue(Files.readString(svg).contains("<svg"));
    }

    /** 150 rows, two features, a smooth target plus noise; written with full precision. */
    Path writeData(double[][] x, double[] y) throws IOException {
        Random r = new Random(12);
        StringBuilder sb = new StringBuilder("a,b,y\n");
        for (int i = 0; i < y.length; i++) {
            x[i][0] = r.nextDouble() * 2 - 1;
            x[i][1] = r.nextDouble() * 2 - 1;
            y[i] = Math.sin(3 * x[i][0]) + x[i][1] * x[i][1] + 0.1 * r.nextGaussian();
            sb.append(x[i][0]).append(',').append(x[i][1]).append(',').append(y[i]).append('\n');
        }
        Path p = dir.resolve("data.csv");
        Files.writeString(p, sb.toString());
        return p;
    }

    @Test
    void dataTableIsTheCoreApisOnTheFilesRows() throws IOException {
        int rows = 150;
        double[][] x = new double[rows][2];
        double[] y = new double[rows];
        Path data = writeData(x, y);
        Path csv = dir.resolve("curve.csv");
        Path svg = dir.resolve("curve.svg");
        String kernel = "rbf(gamma=2)";
        Run r = run("learning-curve", "--train", data.toString(), "--kernel", kernel, "--sizes", "10,40,100",
                "--lambda", "0.001", "--repeats", "3", "--seed", "5", "--out", csv.toString(), "--plot", svg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("all N = 150 rows"), r.out());
        assertTrue(r.out().contains("kernel ridge on n of 112 training rows, MSE on 38 held-out rows"), r.out());
        LearningCurve lc = LearningCurve.fromData(KernelSpec.parse(kernel), Matrix.of(x), Matrix.column(y.clone()));
        List<String[]> table = readCsv(csv);
        String[] h = table.get(0);
        int[] sizes = {10, 40, 100};
        for (int i = 0; i < sizes.length; i++) {
            String[] row = table.get(i + 1);
            int n = sizes[i];
            double pred = lc.estimate(n, 0.001).testMse();
            assertEquals(pred, cell(h, row, "predicted_mse"), 1e-9 * pred);
            assertEquals(lc.estimate(n, 0).testMse(), cell(h, row, "predicted_mse_lambda0"), 1e-9 * pred);
            assertEquals(lc.optimal(n).testMse(), cell(h, row, "predicted_mse_optimal"), 1e-9 * pred);
            assertEquals(lc.costOfOverfitting(n), cell(h, row, "cost_of_overfitting"), 1e-8);
            double measured = cell(h, row, "measured_mse");
            assertTrue(measured > 0 && Double.isFinite(measured) && cell(h, row, "measured_se") >= 0);
        }
        String image = Files.readString(svg);
        assertTrue(image.contains("<svg"), "an SVG file");
    }

    static void assertUsage(Run r, String fragment) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void badInputExitsWithTwo() throws IOException {
        Path data = writeData(new double[150][2], new double[150]);
        String f = data.toString();
        assertUsage(run("learning-curve", "--train", f, "--kernel", "nosuch(gamma=1)"), "nosuch");
        assertUsage(run("learning-curve", "--train", f, "--kernel", "rbf(gamma=1)", "--sizes", "10,200"),
                "--sizes 200 is larger than the 112 training rows");
        assertUsage(run("learning-curve", "--train", f, "--kernel", "rbf(gamma=1)", "--lambda=-1"),
                "--lambda must be >= 0");
        assertUsage(run("learning-curve", "--train", f), "--train needs --kernel");
        assertUsage(run("learning-curve", "--train", f, "--kernel", "rbf(gamma=1)", "--test-fraction", "1"),
                "--test-fraction");
        for (String bad : new String[] {"abc", "1.5", "1:2:3", "-1:2", "1:-0.5", "1:x"}) {
            assertUsage(run("learning-curve", "--power-law", bad), "--power-law");
        }
        assertUsage(run("learning-curve"), "one of them");
        assertUsage(run("learning-curve", "--train", f, "--kernel", "rbf(gamma=1)", "--power-law", "1:1"), "one of them");
        assertUsage(run("learning-curve", "--power-law", "1:1", "--kernel", "rbf(gamma=1)"), "--kernel is for --train");
        assertUsage(run("learning-curve", "--power-law", "1:1", "--test-fraction", "0.3"), "--test-fraction is for --train");
        assertUsage(run("learning-curve", "--power-law", "1:1", "--spectrum-rows", "100"), "--spectrum-rows is for --train");
        assertUsage(run("learning-curve", "--power-law", "1:1", "--sizes", "0,5"), "--sizes must be positive");
        assertUsage(run("learning-curve", "--power-law", "1:1", "--repeats", "0"), "--repeats");
        assertUsage(run("learning-curve", "--power-law", "1:1", "--noise=-0.1"), "--noise");
        assertUsage(run("learning-curve", "--power-law", "1:1", "--plot", dir.resolve("p.txt").toString()),
                "--plot must end in .png or .svg");
    }
}
