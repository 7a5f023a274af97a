package org.kernels4j.cli;

import static org.kernels4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;
import org.kernels4j.kernel.KernelSpec;

/** tree-curve, bench cntk and ntk-check on convolutional kernels: tables, files, and bad input. */
@Timeout(120)
class ConvKernelsCliTest {
    @TempDir
    Path dir;

    private static double[] numbers(String line) {
        return java.util.Arrays.stream(line.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void treeCurveWritesTheTableItPrintsAndTheSlopeOfItsRows() throws IOException {
        Path csv = dir.resolve("curve.csv");
        Path png = dir.resolve("curve.png");
        Run r = run("tree-curve", "--filter", "2", "--depth", "3", "--meta-patch", "2,8", "--sizes", "16,32,64",
                "--test", "40", "--centers", "24", "--repeats", "2", "--out", csv.toString(), "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        List<String> printed = r.out().lines().filter(l -> l.trim().matches("\\d+\\s+\\d+\\s+.*")).toList();
        List<String> rows = Files.readAllLines(csv);
        assertEquals("meta_patch,n,test_error,std_err", rows.get(0));
        assertEquals(6, printed.size(), r.out());
        assertEquals(7, rows.size(), rows.toString());
        for (int t = 0; t < 2; t++) {
            double[] logN = new double[3];
            double[] logE = new double[3];
            for (int i = 0; i < 3; i++) {
                String[] cells = rows.get(1 + 3 * t + i).split(",");
                double[] shown = numbers(printed.get(3 * t + i));
                assertEquals(new int[] {2, 8}[t], Integer.parseInt(cells[0]));
                assertEquals(new int[] {16, 32, 64}[i], Integer.parseInt(cells[1]));
                double err = Double.parseDouble(cells[2]);
                // the printed table rounds to 5 significant digits
                assertEquals(err, shown[2], 1e-4 * err, printed.get(3 * t + i));
                assertTrue(err > 0 && Double.parseDouble(cells[3]) >= 0, rows.get(1 + 3 * t + i));
                logN[i] = Math.log(16 << i);
                logE[i] = Math.log(err);
            }
            // the least-squares slope on the log-log points, by the closed form for three points
            double mx = (logN[0] + logN[1] + logN[2]) / 3;
            double my = (logE[0] + logE[1] + logE[2]) / 3;
            double sxy = 0;
            double sxx = 0;
            for (int i = 0; i < 3; i++) {
                sxy += (logN[i] - mx) * (logE[i] - my);
                sxx += (logN[i] - mx) * (logN[i] - mx);
            }
            String want = String.format(java.util.Locale.ROOT, "meta-patch %d: test error ~ n^%.3f", new int[] {2, 8}[t],
                    sxy / sxx);
            assertTrue(r.out().contains(want), want + " in\n" + r.out());
        }
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, "a PNG file");
        // one repeat has no standard error: '-' on screen and an empty cell, never the word NaN
        Path one = dir.resolve("one.csv");
        r = run("tree-curve", "--filter", "2", "--depth", "3", "--meta-patch", "2", "--sizes", "16,32", "--test", "20",
                "--centers", "12", "--repeats", "1", "--out", one.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("NaN") || Files.readString(one).contains("NaN"), r.out());
        for (String row : Files.readAllLines(one).subList(1, 3)) {
            assertTrue(row.endsWith(","), row);
        }
    }

    @Test
    void treeCurveRefusesBadSizesWithExitTwo() {
        String[][] cases = {
            {"tree-curve", "--filter", "1"},
            {"tree-curve", "--filter", "2", "--depth", "3", "--meta-patch", "3"},
            {"tree-curve", "--sizes", "0"},
            {"tree-curve", "--activation", "nope"},
        };
        for (String[] c : cases) {
            Run r = run(c);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertEquals("", r.out(), String.join(" ", c));
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
    }

    /**
     * bench kernels slices each fold's blocks from one Gram matrix; {@code cv --task classification
     * --no-standardize} computes them per fold (another route, same learner, same stratified folds and
     * λ grid): every kernel's mean and sd must agree to the printed 4 decimals.
     */
    @Test
    void benchKernelsAgreesWithCrossValidationAndWritesItsTable() throws IOException {
        Path data = dir.resolve("noisy.csv");
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        for (int j = 0; j < 16; j++) {
            header.append('x').append(j).append(',');
        }
        lines.add(header.append('y').toString());
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 36; i++) {
            int label = i % 3;
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < 16; j++) {
                row.append(Math.sin(0.9 * label * j + label) + 0.9 * r.nextGaussian()).append(',');
            }
            lines.add(row.append(label).toString());
        }
        Files.write(data, lines);
        String[] kernels = {"rbf(gamma=0.05)", "cnngp(shape=[4, 4, 1], layers=[conv3, relu], readout=gap, b_var=0.1)"};
        Path table = dir.resolve("table.md");
        Run bench = run("bench", "kernels", "--data", data.toString(), "--folds", "3", "--seed", "4", "--kernel",
                kernels[0], "--kernel", kernels[1], "--out", table.toString());
        assertEquals(0, bench.code(), bench.err());
        Run cv = run("cv", "--data", data.toString(), "--task", "classification", "--no-standardize", "--folds", "3",
                "--seed", "4", "--kernel", kernels[0], "--kernel", kernels[1]);
        assertEquals(0, cv.code(), cv.err());
        List<String> written = Files.readAllLines(table);
        for (String k : kernels) {
            String spec = KernelSpec.parse(k).toSpec();
            String row = bench.out().lines().filter(l -> l.startsWith("| `" + spec + "`")).findFirst().orElseThrow();
            assertTrue(written.contains(row), written.toString());
            String[] cells = row.split("\\|");
            String[] acc = cells[2].trim().split(" ± ");
            double[] ref = numbers(cv.out().lines().filter(l -> l.startsWith(spec + " ")).findFirst().orElseThrow()
                    .substring(spec.length()).replace("<- best", ""));
            assertEquals(ref[0], Double.parseDouble(acc[0]), 1e-9, row + " vs cv:\n" + cv.out());
            assertEquals(ref[1], Double.parseDouble(acc[1]), 1e-9, row + " vs cv:\n" + cv.out());
            assertTrue(ref[0] > 0.4 && ref[0] < 1, "a test that can tell: accuracy " + ref[0]);
            assertTrue(Double.parseDouble(cells[3].trim()) >= 0, row);
        }
        Run bad = run("bench", "kernels", "--data", data.toString(), "--kernel", "rbf(gamma=1)", "--scale", "0");
        assertEquals(2, bad.code(), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("--scale must be a finite number > 0, got 0.0"), bad.err());
        Run badKernel = run("bench", "kernels", "--data", data.toString(), "--kernel", "rbf(gama=1)");
        assertEquals(2, badKernel.code(), badKernel.err());
        assertEquals(1, badKernel.err().strip().lines().count(), badKernel.err());
        Run badFolds = run("bench", "kernels", "--data", data.toString(), "--kernel", "rbf(gamma=1)", "--folds", "1");
        assertEquals(2, badFolds.code(), badFolds.err());
        assertTrue(badFolds.err().contains("--folds must be between 2 and the number of rows (36), got 1"), badFolds.err());
    }

    @Test
    void benchCntkReportsPairsRatesAndMemory() throws IOException {
        Path data = dir.resolve("images.csv");
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        for (int j = 0; j < 16; j++) {
            header.append('x').append(j).append(',');
        }
        lines.add(header.append('y').toString());
        for (int i = 0; i < 9; i++) {
            StringBuilder row = new StringBuilder();
            for (int j = 0; j < 16; j++) {
                row.append(Math.sin(0.7 * i + 1.3 * j)).append(',');
            }
            lines.add(row.append(i % 2).toString());
        }
        Files.write(data, lines);
        Run r = run("bench", "cntk", "--data", data.toString(), "--n", "7", "--kernel",
                "cntk(shape=[4, 4, 1], layers=[conv3, relu, conv3, relu], readout=gap)");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("7 rows x 16"), r.out());
        String out = r.out();
        // the symmetric engine computes the n(n+1)/2 = 28 pairs of the upper triangle
        assertTrue(out.contains("pairs: 28 "), out);
        String rates = out.lines().filter(l -> l.startsWith("pair_gflops")).findFirst().orElseThrow();
        String[] f = rates.split("\\s+");
        double pair = Double.parseDouble(f[1]);
        double dgemm = Double.parseDouble(f[3]);
        double ratio = Double.parseDouble(f[5]);
        assertTrue(dgemm > 0, rates);
        // printed to 2 and 3 decimals: the ratio agrees with the quotient to that rounding
        assertEquals(pair / dgemm, ratio, 0.0051 / dgemm + 0.0006, rates);
        // per CPU second: the pair rate recomputed from the printed flops, pairs and CPU seconds, and the ratio
        String cpu = out.lines().filter(l -> l.startsWith("cpu_seconds")).findFirst().orElseThrow();
        String[] c = cpu.split("\\s+");
        double cpuSeconds = Double.parseDouble(c[1]);
        double perCpu = Double.parseDouble(c[3]);
        double flopsPerPair = Double.parseDouble(out.lines().filter(l -> l.startsWith("pairs:")).findFirst()
                .orElseThrow().split("\\s+")[3]);
        assertTrue(cpuSeconds > 0, cpu);
        // all printed to 4 significant digits: each quotient agrees to 2e-3 relative
        assertEquals(28 * flopsPerPair / cpuSeconds * 1e-9, perCpu, 2e-3 * perCpu, cpu);
        assertEquals(perCpu / Double.parseDouble(c[5]), Double.parseDouble(c[7]), 2e-3 * Double.parseDouble(c[7]), cpu);
        String mem = out.lines().filter(l -> l.startsWith("max_resident_mib")).findFirst().orElseThrow();
        assertTrue(Double.parseDouble(mem.split("\\s+")[1]) > 10, "a JVM holds more than 10 MiB: " + mem);
        Run bad = run("bench", "cntk", "--data", data.toString(), "--kernel", "rbf(gamma=1)");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("needs a cnngp(...) or cntk(...) kernel"), bad.err());
        Run badN = run("bench", "cntk", "--data", data.toString(), "--n", "-1");
        assertEquals(2, badN.code(), badN.err());
        assertEquals("", badN.out());
    }

    @Test
    void ntkCheckOnConvolutionalKernelsShrinksWithWidth() {
        Run r = run("ntk-check", "--kernel", "cntk(shape=[5, 1], layers=[conv3, relu, conv3, relu], readout=gap, b_var=0.1)",
                "--widths", "16,1024", "--n", "4", "--networks", "3");
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.out().lines().filter(l -> l.trim().matches("\\d+\\s+.*")).toList();
        assertEquals(2, rows.size(), r.out());
        double[] narrow = numbers(rows.get(0));
        double[] wide = numbers(rows.get(1));
        // Monte-Carlo error ~ 1/sqrt(width) would divide it by 8 at 64x the channels; measured here it falls only
        // about 3x (0.27 -> 0.09, both read-outs, seed 1; see docs/convolutional-kernels.md, open question), so
        // this asserts a fall by half, not the rate
        assertTrue(wide[1] < narrow[1] / 2 && wide[2] < narrow[2] / 2, r.out());
        Run bad = run("ntk-check", "--kernel", "cntk(shape=[5, 1], layers=[conv3, relu])", "--widths", "16,0");
        assertEquals(1, bad.code());
        assertEquals("", bad.out(), "inputs are checked before any work or output");
        assertTrue(bad.err().contains("widths must be positive, got 0"), bad.err());
    }
}
