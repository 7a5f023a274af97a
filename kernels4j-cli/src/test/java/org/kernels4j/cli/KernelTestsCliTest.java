package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.cli.CliTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.stats.Hsic;
import org.kernels4j.stats.Mmd;

/** {@code test mmd|hsic} and the new approx-error methods end to end: the printed numbers are the core's. */
@Timeout(120)
class KernelTestsCliTest {
    @TempDir
    Path dir;

    /** n rows a, b, c: b depends on a non-linearly when dependent; everything shifted by shift. */
    private Path csv(String name, int n, double shift, boolean dependent, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("a,b,c\n");
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian() + shift;
            double b = dependent ? a * a + 0.2 * r.nextGaussian() : r.nextGaussian();
            sb.append(a).append(',').append(b).append(',').append(r.nextGaussian()).append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb.toString());
        return p;
    }

    private static Matrix read(Path p, int... cols) throws IOException {
        var lines = Files.readAllLines(p);
        Matrix m = new Matrix(lines.size() - 1, cols.length);
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            for (int c = 0; c < cols.length; c++) {
                m.set(i - 1, c, Double.parseDouble(cells[cols[c]]));
            }
        }
        return m;
    }

    private static double number(String out, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + " ([-0-9.eE+]+)").matcher(out);
        assertTrue(m.find(), label + " in " + out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void mmdPrintsTheCoreResultOnOneLine() throws IOException {
        Path a = csv("a.csv", 40, 0, false, 1);
        Path b = csv("b.csv", 30, 2, false, 2);
        Run r = run("test", "mmd", "--data", a.toString(), "--data2", b.toString(), "--permutations", "199", "--seed",
                "4");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        Mmd.Result core = Mmd.builder().permutations(199).seed(4).build().test(read(a, 0, 1, 2), read(b, 0, 1, 2));
        assertEquals(core.unbiased(), number(r.out(), "MMD^2_u ="), 1e-3 * Math.abs(core.unbiased()));
        assertEquals(core.pValue(), number(r.out(), "p-value"), 1e-3 * core.pValue());
        assertTrue(core.pValue() <= 0.01, r.out()); // feature a shifted by 2
        assertTrue(r.out().contains("(median heuristic)") && r.out().contains("m = 40, n = 30"), r.out());
        Run gamma = run("test", "mmd", "--data", a.toString(), "--data2", csv("c.csv", 40, 0, false, 3).toString(),
                "--null", "gamma", "--kernel", "rbf(gamma=0.2)");
        assertEquals(0, gamma.code(), gamma.err());
        assertTrue(gamma.out().contains("Gamma approximation") && gamma.out().contains("rbf(gamma=0.2)")
                && !gamma.out().contains("median"), gamma.out());
    }

    @Test
    void hsicTakesColumnsOfOneFileOrTwoFiles() throws IOException {
        Path d = csv("d.csv", 40, 0, true, 5);
        Run r = run("test", "hsic", "--data", d.toString(), "--columns-x", "a", "--columns-y", "1",
                "--permutations", "199");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        Hsic.Result core = Hsic.builder().permutations(199).build().test(read(d, 0), read(d, 1));
        assertEquals(core.biased(), number(r.out(), "HSIC_b ="), 1e-3 * core.biased());
        assertEquals(core.pValue(), number(r.out(), "p-value"), 1e-9);
        assertTrue(core.pValue() <= 0.01 && r.out().contains("x = [a], y = [b]"), r.out());
        // y = all other columns by default; --kernel on x only, the median heuristic stays on y
        Run rest = run("test", "hsic", "--data", d.toString(), "--columns-x", "0", "--kernel", "rbf(gamma=1)",
                "--null", "gamma");
        assertEquals(0, rest.code(), rest.err());
        assertTrue(rest.out().contains("y = [b, c]") && rest.out().contains("kernels rbf(gamma=1) and rbf(length="),
                rest.out());
        Path x = dir.resolve("x.csv");
        Path y = dir.resolve("y.csv");
        Files.writeString(x, "a\n1\n2\n3\n4\n5\n6\n");
        Files.writeString(y, "b\n2\n1\n4\n3\n6\n5\n");
        Run two = run("test", "hsic", "--data", x.toString(), "--data2", y.toString(), "--permutations", "50");
        assertEquals(0, two.code(), two.err());
        assertTrue(two.out().contains("n = 6"), two.out());
    }

    @Test
    void mmdMatchesColumnsByHeaderName() throws IOException {
        Path a = csv("a.csv", 40, 0, false, 1);
        Path b = csv("b.csv", 40, 0, false, 2);
        // b.csv with its columns in the order c, a, b, and with other names
        var lines = Files.readAllLines(b);
        StringBuilder swapped = new StringBuilder("c,a,b\n");
        StringBuilder renamed = new StringBuilder("u,v,w\n");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            swapped.append(cells[2]).append(',').append(cells[0]).append(',').append(cells[1]).append('\n');
            renamed.append(line).append('\n');
        }
        Path bSwapped = dir.resolve("b_swapped.csv");
        Path bRenamed = dir.resolve("b_renamed.csv");
        Files.writeString(bSwapped, swapped.toString());
        Files.writeString(bRenamed, renamed.toString());
        String[] options = {"--kernel", "rbf(gamma=0.5)", "--permutations", "99", "--seed", "3"};
        Run plain = run(concat(new String[] {"test", "mmd", "--data", a.toString(), "--data2", b.toString()}, options));
        Run byName = run(concat(new String[] {"test", "mmd", "--data", a.toString(), "--data2", bSwapped.toString()},
                options));
        assertEquals(0, plain.code(), plain.err());
        assertEquals(0, byName.code(), byName.err());
        assertEquals(plain.out(), byName.out());
        Run bad = run(concat(new String[] {"test", "mmd", "--data", a.toString(), "--data2", bRenamed.toString()},
                options));
        assertEquals(1, bad.code(), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("missing 'a', 'b', 'c'") && bad.err().contains("unknown 'u', 'v', 'w'"),
                bad.err());
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void badInputExitsWithOneLine() throws IOException {
        Path a = csv("a.csv", 10, 0, false, 1);
        Path twoCols = dir.resolve("two.csv");
        Files.writeString(twoCols, "a,b\n1,2\n3,4\n5,1\n");
        Object[][] cases = {
            {new String[] {"test", "mmd", "--data", a.toString(), "--data2", twoCols.toString()}, 1,
                "has 2 features but"},
            {new String[] {"test", "mmd", "--data", a.toString(), "--data2", twoCols.toString(), "--null", "gamma",
                "--target", "none", "--permutations", "0"}, 2, "--permutations must be >= 1"},
            {new String[] {"test", "mmd", "--data", a.toString(), "--data2", a.toString(), "--null", "bootstrap"}, 2,
                "unknown null distribution 'bootstrap'"},
            {new String[] {"test", "mmd", "--data", a.toString(), "--data2", csv("s.csv", 7, 0, false, 2).toString(),
                "--null", "gamma"}, 1, "equal size, got 10 and 7"},
            {new String[] {"test", "hsic", "--data", a.toString()}, 2, "either --columns-x"},
            {new String[] {"test", "hsic", "--data", a.toString(), "--columns-x", "zz"}, 2, "no column 'zz'"},
            {new String[] {"test", "hsic", "--data", a.toString(), "--columns-x", "a", "--columns-y", "a"}, 2,
                "in both --columns-x and --columns-y"},
            {new String[] {"test", "hsic", "--data", a.toString(), "--data2", twoCols.toString()}, 1,
                "has 3 rows but"},
            {new String[] {"test", "hsic", "--data", twoCols.toString(), "--columns-x", "a"}, 1, "at least 4 rows"},
            {new String[] {"test", "mmd", "--data", a.toString(), "--data2", a.toString(), "--kernel", "rbf(gamma="},
                2, "see 'kernels4j kernels'"}};
        for (Object[] c : cases) {
            Run r = run((String[]) c[0]);
            assertEquals((int) c[1], r.code(), String.join(" ", (String[]) c[0]) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains((String) c[2]), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    @Test
    void approxErrorRunsTheNewMaps() throws IOException {
        Path h = dir.resolve("h.csv");
        StringBuilder sb = new StringBuilder("a,b\n");
        Random r = new Random(2);
        for (int i = 0; i < 60; i++) {
            sb.append(r.nextDouble()).append(',').append(r.nextDouble()).append('\n');
        }
        Files.writeString(h, sb.toString());
        String[][] runs = {{"skewed-chi2", "skewed_chi2(c=1)", "64"}, {"additive-chi2", "homogeneous_chi2()", "3"},
            {"tensorsketch", "poly(degree=2)", "64"}, {"inchol", "rbf(gamma=1)", "10"}};
        for (String[] m : runs) {
            Run out = run("approx-error", "--data", h.toString(), "--method", m[0], "--kernel", m[1], "--sizes", m[2]);
            assertEquals(0, out.code(), m[0] + ": " + out.err());
            String last = out.out().strip().lines().reduce((x, y) -> y).orElseThrow();
            double frobenius = Double.parseDouble(last.trim().split("\\s+")[1]);
            assertTrue(frobenius >= 0 && frobenius < 0.3, m[0] + ": " + out.out());
            if (m[0].equals("inchol")) {
                assertTrue(out.out().contains("trace error"), out.out());
                String[] cells = last.trim().split("\\s+");
                assertEquals("10", cells[3]);
            }
        }
        Run bad = run("approx-error", "--data", h.toString(), "--method", "additive-chi2", "--kernel", "rbf()",
                "--sizes", "2");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("homogeneous_chi2"), bad.err());
        assertTrue(KernelSpec.parse("homogeneous_chi2()") != null);
    }
}
