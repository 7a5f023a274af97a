package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.cli.CliTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.thinning.Coreset;
import org.kernels4j.thinning.Mmd;
import org.kernels4j.thinning.Thinning;

/** {@code thin} end to end: the rows it writes are input rows, the MMD it prints is the core's, bad options exit 2. */
@Timeout(120)
class ThinCliTest {
    @TempDir
    Path dir;

    private static final String SPEC = "rbf(gamma=0.5)";

    /** 256 rows of a, b, y (y is a target column, not a feature). */
    Path data(int n) throws IOException {
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder("a,b,y\n");
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian();
            double b = 0.5 * a + r.nextGaussian();
            sb.append(a).append(',').append(b).append(',').append(a - b).append('\n');
        }
        Path p = dir.resolve("x.csv");
        Files.writeString(p, sb.toString());
        return p;
    }

    static List<double[]> rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<double[]> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double[] v = new double[cells.length];
            for (int j = 0; j < cells.length; j++) {
                v[j] = Double.parseDouble(cells[j]);
            }
            out.add(v);
        }
        return out;
    }

    static double printed(String out, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + ": ([-0-9.eE+]+)").matcher(out);
        assertTrue(m.find(), label + " in:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void writesInputRowsAndPrintsTheCoresMmd() throws IOException {
        Path x = data(256);
        List<double[]> input = rows(x);
        Map<String, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < input.size(); i++) {
            rowOf.put(java.util.Arrays.toString(input.get(i)), i);
        }
        Matrix features = new Matrix(256, 2);
        for (int i = 0; i < 256; i++) {
            features.set(i, 0, input.get(i)[0]);
            features.set(i, 1, input.get(i)[1]);
        }
        Kernel k = KernelSpec.parse(SPEC);
        for (String method : new String[] {"kt", "kt+", "compress++", "herding", "iid"}) {
            Path out = dir.resolve(method.replace('+', 'p') + ".csv");
            Path idx = dir.resolve(method.replace('+', 'p') + "-index.csv");
            Run r = run("thin", "--data", x.toString(), "--target", "y", "--kernel", SPEC, "--size", "16", "--method",
                    method, "--seed", "7", "--out", out.toString(), "--index-out", idx.toString());
            assertEquals(0, r.code(), method + ": " + r.err());
            assertEquals("a,b,y", Files.readAllLines(out).get(0));
            List<double[]> got = rows(out);
            List<double[]> index = rows(idx);
            // --out holds exactly --size rows: a row that herding chose k times (weight k/16) is written k times
            assertEquals(16, got.size(), method);
            int[] rowsChosen = new int[index.size()];
            double[] weights = new double[index.size()];
            int t = 0;
            for (int e = 0; e < index.size(); e++) {
                rowsChosen[e] = (int) index.get(e)[0] - 1;
                weights[e] = index.get(e)[1];
                long times = Math.round(weights[e] * 16);
                assertEquals(weights[e] * 16, times, 1e-9, method + ": weights are multiples of 1/16");
                for (int copy = 0; copy < times; copy++, t++) {
                    Integer row = rowOf.get(java.util.Arrays.toString(got.get(t)));
                    assertTrue(row != null, method + ": output row " + t + " is not an input row");
                    assertEquals(rowsChosen[e], (int) row, method + ": output row " + t + " against --index-out");
                }
            }
            assertEquals(16, t, method);
            double expected = Mmd.of(k, features, new Coreset(rowsChosen, weights, Double.NaN, "check"));
            assertEquals(expected, printed(r.out(), "MMD to the input sample"), 1e-9 * (1 + expected), method);
            if (method.equals("kt")) {
                // the same coreset and MMD as the library's KT with the same seed
                Coreset c = Thinning.Method.KT.thinner(k).thin(features, 16, 7);
                assertArrayEquals(c.indices(), rowsChosen);
                assertEquals(c.mmd(), printed(r.out(), "MMD to the input sample"), 1e-9);
                double iid = printed(r.out(), "MMD of 16 i.i.d. rows (same seed), for comparison");
                assertTrue(iid > c.mmd(), r.out());
            }
        }
    }

    @Test
    void drawsMmdAgainstSizeForEveryMethod() throws IOException {
        Path x = data(256);
        Path png = dir.resolve("mmd.png");
        Run r = run("thin", "--data", x.toString(), "--target", "y", "--kernel", SPEC, "--size", "16", "--out",
                dir.resolve("c.csv").toString(), "--plot", png.toString(), "--plot-methods", "kt,compress++,iid");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(png) > 1000);
        // kt: 4, 8, 16 (256/2^m); compress++: 4, 8, 16; iid: 4..16
        assertEquals(3, Pattern.compile("kt +size").matcher(r.out()).results().count(), r.out());
        assertEquals(13, Pattern.compile("iid +size").matcher(r.out()).results().count(), r.out());
        assertTrue(r.out().contains("wrote " + png + ": MMD against output size, log-log, 3 methods"), r.out());
    }

    @Test
    void badOptionsExitTwoWithOneClearMessage() throws IOException {
        Path x = data(100);
        String out = dir.resolve("c.csv").toString();
        Run r = run("thin", "--data", x.toString(), "--kernel", SPEC, "--size", "101", "--out", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("output size 101 is larger than the input's 100 rows"), r.err());
        r = run("thin", "--data", x.toString(), "--kernel", SPEC, "--size", "30", "--out", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("for n = 100 that is one of 100, 50, 25, 12, 6, 3, 1 (got 30)"), r.err());
        r = run("thin", "--data", x.toString(), "--kernel", SPEC, "--size", "12", "--method", "compress++", "--out", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Compress++ output size must be a power of two"), r.err());
        r = run("thin", "--data", x.toString(), "--kernel", SPEC, "--size", "25", "--method", "kmeans", "--out", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown thinning method 'kmeans'"), r.err());
        r = run("thin", "--data", x.toString(), "--kernel", "rq(alpha=1, length=1)", "--size", "25", "--method", "kt+",
                "--out", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Gaussian kernels (rbf, optionally scaled) only"), r.err());
        r = run("thin", "--data", x.toString(), "--kernel", "laplacian(gamma=1)", "--size", "25", "--method", "kt+",
                "--out", out);
        assertEquals(1, r.code(), "a Laplace square-root kernel does not exist in 2 dimensions");
        assertTrue(r.err().contains("needs alpha > d/(2 nu + d)"), r.err());
        r = run("thin", "--data", x.toString(), "--kernel", SPEC, "--size", "25", "--out", out, "--plot", "m.txt");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--plot must end in .png or .svg"), r.err());
        r = run("thin", "--data", x.toString(), "--kernel", SPEC, "--size", "25", "--out", out, "--index-out", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--out and --index-out name the same file"), r.err());
        assertTrue(!Files.exists(dir.resolve("c.csv")), "nothing written after a bad option");
        // a NaN cell is a data problem: exit 1, with the file, line and column
        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "a,b\n1,2\n3,NaN\n5,6\n7,8\n");
        r = run("thin", "--data", nan.toString(), "--kernel", SPEC, "--size", "2", "--out", out);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().toLowerCase(java.util.Locale.ROOT).contains("nan"), r.err());
    }
}
