package org.kernels4j.cli;

import static org.kernels4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.Bandwidth;
import org.kernels4j.linalg.Matrix;

/** `kernels` lists the kernlab / scikit-learn kernels with their caveats; `bandwidth`; bad parameters exit 2. */
class ClassicKernelsCliTest {
    @TempDir
    Path dir;


    @Test
    void kernelsListsTheNewKernelsAndWhichAreNotPsd() {
        Run r = run("kernels");
        assertEquals(0, r.code(), r.err());
        for (String name : List.of("sigmoid  (also: tanh)", "anova", "bessel", "spline", "chi2  (also: chi_squared)",
                "additive_chi2")) {
            assertTrue(r.out().contains("\n" + name), name + " in\n" + r.out());
        }
        assertTrue(r.out().contains("NOT positive semi-definite in general"), r.out());
        assertTrue(r.out().contains("NOT positive semi-definite (k(x,x) = 0"), r.out());
        assertTrue(r.out().contains("note: positive semi-definite on d features only when order >= d/2 - 1"), r.out());
        assertTrue(r.out().contains("note: needs non-negative features"), r.out());
        assertTrue(r.out().contains("kernels4j bandwidth --data"), r.out());
    }

    @Test
    void badParametersExitWithCode2() throws IOException {
        Path x = writeCsv(dir.resolve("x.csv"), data(10, 2, 1, false));
        for (String spec : List.of("bessel(order=30)", "sigmoid(gamma=-1)", "anova(degree=1.5)", "chi2(gama=1)")) {
            Run r = run("gram", "--data", x.toString(), "--kernel", spec, "--out", dir.resolve("k.npy").toString());
            assertEquals(2, r.code(), spec + ": " + r.err());
            assertTrue(r.err().startsWith("kernels4j: error: invalid kernel spec"), r.err());
        }
    }

    @Test
    void gramOfChi2OnNegativeDataIsAOneLineError() throws IOException {
        Path x = writeCsv(dir.resolve("neg.csv"), data(8, 3, 2, false));
        Run r = run("gram", "--data", x.toString(), "--kernel", "chi2(gamma=0.5)", "--out",
                dir.resolve("k.npy").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("kernels4j: error: chi2 needs non-negative features (histograms, counts), got -"),
                r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Path h = writeCsv(dir.resolve("hist.csv"), data(8, 3, 2, true));
        Path out = dir.resolve("k2.npy");
        r = run("gram", "--data", h.toString(), "--kernel", "additive_chi2()", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(0.0, Npy.read(out).get(2, 2), 0.0);
    }

    /** The printed numbers are the library's, rounded to 4 significant digits. */
    @Test
    void bandwidthPrintsSigestAndTheMedianHeuristic() throws IOException {
        Matrix m = data(50, 3, 3, false);
        Path x = writeCsv(dir.resolve("b.csv"), m);
        Run r = run("bandwidth", "--data", x.toString(), "--seed", "4");
        assertEquals(0, r.code(), r.err());
        Bandwidth.Sigest s = Bandwidth.sigest(m, 0.5, false, 4);
        Bandwidth.Median med = Bandwidth.median(m, false, 4);
        assertTrue(r.out().contains("50 rows, 3 features, features as given"), r.out());
        assertTrue(r.out().contains("try rbf(gamma=" + round(s.gammaMedian()) + ")"), r.out());
        assertTrue(r.out().contains("median |x-z| = " + round(med.distance()) + " over all 1225 pairs"), r.out());
        assertTrue(r.out().contains("rbf(length=" + round(med.distance()) + ") = rbf(gamma=" + round(med.gamma())
                + ")"), r.out());
        Run std = run("bandwidth", "--data", x.toString(), "--seed", "4", "--standardize", "--frac", "2");
        assertEquals(0, std.code(), std.err());
        Bandwidth.Sigest ss = Bandwidth.sigest(m, 2, true, 4);
        assertTrue(std.out().contains("gamma " + round(ss.gammaLow()) + " / " + round(ss.gammaMedian()) + " / "
                + round(ss.gammaHigh())), std.out());
        assertTrue(std.out().contains("standardized"), std.out());
        Run bad = run("bandwidth", "--data", x.toString(), "--frac", "0");
        assertEquals(2, bad.code(), bad.err());
    }

    private static String round(double v) {
        return org.kernels4j.kernel.Specs.num(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4g", v)));
    }

    private static Matrix data(int n, int d, long seed, boolean nonNegative) {
        Random rng = new Random(seed);
        Matrix m = new Matrix(n, d);
        for (int i = 0; i < m.data().length; i++) {
            double v = rng.nextGaussian() * (1 + i % d);
            m.data()[i] = nonNegative ? Math.abs(v) : v;
        }
        if (!nonNegative) {
            m.set(0, 0, -Math.abs(m.get(0, 0)) - 0.1);
        }
        return m;
    }

    private static Path writeCsv(Path file, Matrix m) throws IOException {
        List<String> lines = new ArrayList<>();
        List<String> header = new ArrayList<>();
        for (int f = 0; f < m.cols(); f++) {
            header.add("x" + f);
        }
        lines.add(String.join(",", header));
        for (int i = 0; i < m.rows(); i++) {
            List<String> row = new ArrayList<>();
            for (int f = 0; f < m.cols(); f++) {
                row.add(Double.toString(m.get(i, f)));
            }
            lines.add(String.join(",", row));
        }
        return Files.write(file, lines);
    }
}
