package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.cli.CliTest.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;

/**
 * {@code balance} and {@code effect} on small generated CSVs: every number checked is recomputed here from the CSV
 * files (weighted means, target means and standard deviations, naive estimates) or known by construction (the
 * simulated effect).
 */
@Timeout(60)
class BalanceCommandTest {
    @TempDir
    Path dir;

    /** Rows of a, b, c: the observed sample is shifted against the target in a and b. */
    static List<double[]> sample(int n, double shift, long seed) {
        Random r = new Random(seed);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new double[] {shift + r.nextGaussian(), -0.5 * shift + 1.3 * r.nextGaussian(), r.nextDouble()});
        }
        return rows;
    }

    Path write(String name, String header, List<double[]> rows) throws IOException {
        StringBuilder sb = new StringBuilder(header).append('\n');
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                sb.append(j == 0 ? "" : ",").append(row[j]);
            }
            sb.append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb.toString());
        return p;
    }

    /** The weights file: {row number, weight} per line after the header. */
    static List<double[]> readWeights(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals("row,weight", lines.get(0));
        List<double[]> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            out.add(new double[] {Double.parseDouble(cells[0]), Double.parseDouble(cells[1])});
        }
        return out;
    }

    static double[] means(List<double[]> rows, double[] w) {
        double[] m = new double[rows.get(0).length];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < m.length; j++) {
                m[j] += (w == null ? 1.0 / rows.size() : w[i]) * rows.get(i)[j];
            }
        }
        return m;
    }

    /** Population standard deviations (1/n), the scale the command states. */
    static double[] sds(List<double[]> rows) {
        double[] m = means(rows, null);
        double[] s = new double[m.length];
        for (double[] row : rows) {
            for (int j = 0; j < m.length; j++) {
                s[j] += (row[j] - m[j]) * (row[j] - m[j]) / rows.size();
            }
        }
        for (int j = 0; j < m.length; j++) {
            s[j] = Math.sqrt(s[j]);
        }
        return s;
    }

    /** The number after {@code label} on the output line that starts with it. */
    static double number(String out, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + "\\s*(-?[0-9.eE+-]+)").matcher(out);
        assertTrue(m.find(), "'" + label + "' in: " + out);
        return Double.parseDouble(m.group(1));
    }

    /** The cells of the balance table row of {@code covariate}. */
    static double[] tableRow(String out, String covariate) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(covariate) + "((\\s+-?[0-9.]+)+)\\s*$").matcher(out);
        assertTrue(m.find(), "row '" + covariate + "' in: " + out);
        return java.util.Arrays.stream(m.group(1).trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void linearKernelWeightsReproduceTheTargetMeans() throws IOException {
        List<double[]> obs = sample(120, 0.6, 1);
        List<double[]> target = sample(200, 0, 2);
        Path o = write("obs.csv", "a,b,c", obs);
        Path t = write("target.csv", "a,b,c", target);
        Path w = dir.resolve("w.csv");
        Run r = run("balance", "--data", o.toString(), "--target-data", t.toString(), "--kernel", "linear()",
                "--anchors", "8", "--ridge", "0", "--out", w.toString());
        assertEquals(0, r.code(), r.err());
        List<double[]> weights = readWeights(w);
        assertEquals(obs.size(), weights.size());
        double sum = 0;
        double[] wt = new double[weights.size()];
        for (int i = 0; i < wt.length; i++) {
            assertEquals(i + 1, weights.get(i)[0], "1-based data row numbers in order");
            wt[i] = weights.get(i)[1];
            assertTrue(wt[i] >= 0);
            sum += wt[i];
        }
        assertEquals(1, sum, 1e-12);
        // a linear kernel's anchor functions span the linear functions of x: the weighted means equal the target's
        // (the solver's tolerance 1e-6 per anchor, on the standardised scale, times each sd and a factor 10)
        double[] tm = means(target, null);
        double[] ts = sds(target);
        double[] wm = means(obs, wt);
        for (int j = 0; j < 3; j++) {
            assertEquals(tm[j], wm[j], 1e-5 * ts[j], "weighted mean of column " + j);
        }
        // the printed SMDs: before is (observed mean - target mean) / target sd, after ~ 0
        double[] om = means(obs, null);
        String[] names = {"a", "b", "c"};
        for (int j = 0; j < 3; j++) {
            double[] row = tableRow(r.out(), names[j]);
            assertEquals((om[j] - tm[j]) / ts[j], row[0], 1e-6, "SMD before of " + names[j]);
            assertEquals(0, row[1], 1e-5, "SMD after of " + names[j]);
        }
        assertTrue(r.out().contains("standardised by the target"), r.out());
        // the printed ESS is 1/sum w^2 of the file's weights
        double s2 = 0;
        for (double v : wt) {
            s2 += v * v;
        }
        assertEquals(1 / s2, number(r.out().replaceAll("(?m)^KL.*effective sample size", "ESS"), "ESS"), 0.01);
    }

    @Test
    void groupModeBalancesTheGroupToAllRowsAndNamesTheirRowNumbers() throws IOException {
        Random r = new Random(5);
        List<double[]> rows = new ArrayList<>();
        List<Integer> inGroup = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            double g = r.nextDouble() < 1 / (1 + Math.exp(-a)) ? 1 : 0;
            rows.add(new double[] {a, g, b, 0.1 * i});
            if (g == 1) {
                inGroup.add(i + 1);
            }
        }
        Path data = write("pop.csv", "a,g,b,id", rows);
        Path w = dir.resolve("w.csv");
        Path png = dir.resolve("love.png");
        Run run = run("balance", "--data", data.toString(), "--group", "g", "--ignore", "id", "--kernel", "linear()",
                "--anchors", "5", "--ridge", "0", "--out", w.toString(), "--plot", png.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("2 covariates (a, b)"), run.out());
        List<double[]> weights = readWeights(w);
        assertEquals(inGroup.size(), weights.size());
        double[] wt = new double[weights.size()];
        List<double[]> groupRows = new ArrayList<>();
        for (int k = 0; k < wt.length; k++) {
            assertEquals(inGroup.get(k), (int) weights.get(k)[0], "the row numbers of the g = 1 rows");
            wt[k] = weights.get(k)[1];
            double[] row = rows.get(inGroup.get(k) - 1);
            groupRows.add(new double[] {row[0], row[2]});
        }
        List<double[]> all = new ArrayList<>();
        for (double[] row : rows) {
            all.add(new double[] {row[0], row[2]});
        }
        double[] target = means(all, null);
        double[] sd = sds(all);
        double[] achieved = means(groupRows, wt);
        for (int j = 0; j < 2; j++) {
            assertEquals(target[j], achieved[j], 1e-5 * sd[j]);
        }
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 2000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG image");
    }

    /**
     * Confounded treatment: P(t = 1 | x) = logistic(1.5 a − 0.5 b), y = 2t + 3a + b + c + N(0, 0.5²): the true ATE is 2,
     * while the naive difference carries 3·(E[a | t=1] − E[a | t=0]) ≈ 2.7 of bias.
     */
    List<double[]> confounded(int n, long seed) {
        Random r = new Random(seed);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            double c = r.nextDouble();
            double t = r.nextDouble() < 1 / (1 + Math.exp(-1.5 * a + 0.5 * b)) ? 1 : 0;
            rows.add(new double[] {a, b, c, t, 2 * t + 3 * a + b + c + 0.5 * r.nextGaussian()});
        }
        return rows;
    }

    @Test
    void effectRecoversAKnownAverageTreatmentEffectWhereTheNaiveDifferenceDoesNot() throws IOException {
        List<double[]> rows = confounded(400, 11);
        Path data = write("conf.csv", "a,b,c,t,y", rows);
        Path png = dir.resolve("ate.png");
        Run r = run("effect", "--data", data.toString(), "--outcome", "y", "--treatment", "t", "--doubly-robust",
                "--anchors", "20", "--bootstrap", "0", "--level", "0.9", "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        double sum1 = 0;
        double sum0 = 0;
        int n1 = 0;
        for (double[] row : rows) {
            sum1 += row[3] * row[4];
            sum0 += (1 - row[3]) * row[4];
            n1 += (int) row[3];
        }
        double naive = sum1 / n1 - sum0 / (rows.size() - n1);
        assertEquals(naive, number(r.out(), "naive (unweighted) difference of means:"), 1e-5 * Math.abs(naive));
        assertTrue(naive - 2 > 1, "the confounding biases the naive difference: " + naive);
        double est = number(r.out(), "estimate:");
        double se = number(r.out(), "standard error:");
        // residual sd at most ~0.7 (noise 0.5 plus the kernel ridge fit's error on a linear signal) over arms whose
        // effective sizes are at least 50 each: se <= 0.7·sqrt(2/50) = 0.14; 0.35 is 2.5 such standard errors
        assertTrue(number(r.out(), "effective sample size:") >= 50, r.out());
        assertEquals(2, est, 0.35, r.out());
        assertTrue(se > 0 && se < 0.2, "standard error " + se);
        Matcher ci = Pattern.compile("90% interval: \\[(\\S+), (\\S+)\\]").matcher(r.out());
        assertTrue(ci.find(), r.out());
        double lo = Double.parseDouble(ci.group(1));
        double hi = Double.parseDouble(ci.group(2));
        assertTrue(lo < est && est < hi, r.out());
        // estimate ± z·se with z = Φ⁻¹(0.95) = 1.6448536 (tables)
        assertEquals(2 * 1.6448536 * se, hi - lo, 1e-4 * (hi - lo));
        assertTrue(r.out().contains("treated mean E[Y(1)]"), r.out());
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 2000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG image");
    }

    @Test
    void effectEstimatesAPopulationMeanFromASelectedGroupWithABootstrapInterval() throws IOException {
        Random r = new Random(21);
        List<double[]> rows = new ArrayList<>();
        double truth = 0;
        double observedSum = 0;
        int observed = 0;
        for (int i = 0; i < 300; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            double s = r.nextDouble() < 1 / (1 + Math.exp(-1.5 * a)) ? 1 : 0;
            double y = 1 + 2 * a + b + 0.3 * r.nextGaussian();
            truth += y / 300;
            observedSum += s * y;
            observed += (int) s;
            // outcomes of the unselected rows are missing (nan), which --group never reads
            rows.add(new double[] {a, b, s, s == 1 ? y : Double.NaN});
        }
        Path data = write("sel.csv", "a,b,s,y", rows);
        Path svg = dir.resolve("pm.svg");
        Run run = run("effect", "--data", data.toString(), "--outcome", "y", "--group", "s", "--allow-nonfinite",
                "--anchors", "15", "--bootstrap", "20", "--seed", "3", "--plot", svg.toString());
        assertEquals(0, run.code(), run.err());
        double naive = observedSum / observed;
        assertEquals(naive, number(run.out(), "naive (unweighted) mean of the observed rows:"), 1e-5 * Math.abs(naive));
        assertTrue(naive - truth > 0.8, "selection on a biases the naive mean: " + naive + " vs " + truth);
        double est = number(run.out(), "estimate:");
        // the mean over the 300 rows themselves; y varies with sd ~2.3 across rows and the observed ~150 rows carry
        // an effective size of at least 40: se <~ 2.3/sqrt(40) ~ 0.36 for an IPS mean of a linear outcome balanced
        // only approximately by rbf anchors; 0.5 is ~1.4 of that bound
        assertEquals(truth, est, 0.5, run.out());
        assertTrue(Math.abs(est - truth) < Math.abs(naive - truth) / 2, "balancing removes most of the bias");
        assertTrue(run.out().contains("bootstrap"), run.out());
        Matcher ci = Pattern.compile("95% interval: \\[(\\S+), (\\S+)\\]").matcher(run.out());
        assertTrue(ci.find(), run.out());
        assertTrue(Double.parseDouble(ci.group(1)) < est && est < Double.parseDouble(ci.group(2)), run.out());
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg") && text.contains("</svg>"), "an SVG document");
    }

    // ---- bad input: one clear line on stderr, a non-zero exit, no stack trace, no file written

    Run fails(int code, List<String> words, String... args) throws IOException {
        List<Path> before;
        try (var s = Files.list(dir)) {
            before = s.sorted().toList();
        }
        Run r = run(args);
        assertEquals(code, r.code(), "exit code; stderr: " + r.err() + " stdout: " + r.out());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr: " + r.err());
        assertTrue(lines.get(0).startsWith("kernels4j: "), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), r.err());
        for (String w : words) {
            assertTrue(r.err().toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT)), "'" + w + "' in: " + r.err());
        }
        try (var s = Files.list(dir)) {
            assertEquals(before, s.sorted().toList(), "no file created or removed");
        }
        return r;
    }

    @Test
    void badInputIsOneClearMessage() throws IOException {
        Path o = write("obs.csv", "a,b,c", sample(30, 0.3, 3));
        Path t = write("target.csv", "a,b,c", sample(40, 0, 4));
        String out = dir.resolve("w.csv").toString();
        fails(1, List.of("obs.csv", "no column 'zz'", "--covariates", "columns are a, b, c"), "balance", "--data",
                o.toString(), "--target-data", t.toString(), "--covariates", "a,zz", "--out", out);
        // --ignore thins the default covariates; beside --covariates it would itself be ignored
        fails(2, List.of("--ignore", "--covariates"), "balance", "--data", o.toString(), "--target-data", t.toString(),
                "--covariates", "a", "--ignore", "a", "--out", out);
        fails(2, List.of("--anchors-by", "'nearest'"), "balance", "--data", o.toString(), "--target-data", t.toString(),
                "--anchors-by", "nearest", "--out", out);
        fails(2, List.of("kernel spec"), "balance", "--data", o.toString(), "--target-data", t.toString(), "--kernel",
                "rbf(gamma=", "--out", out);
        fails(2, List.of("--target-data", "--group"), "balance", "--data", o.toString(), "--out", out);
        fails(2, List.of("adaptive", "--outcome"), "balance", "--data", o.toString(), "--target-data", t.toString(),
                "--anchors-by", "adaptive", "--out", out);
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "a,b,c\n");
        fails(1, List.of("empty.csv", "no data rows"), "balance", "--data", o.toString(), "--target-data",
                empty.toString(), "--out", out);
        // group value 2 on data row 3 = line 4 (after the header), column 2
        Path g = dir.resolve("g.csv");
        Files.writeString(g, "a,g\n0.1,1\n0.2,0\n0.3,2\n0.4,1\n");
        fails(1, List.of("g.csv:4:2:", "'g'", "0 or 1", "2.0"), "balance", "--data", g.toString(), "--group", "g",
                "--out", out);
        // a NaN outcome of an observed row: file and line (a comment line shifts it: data row 2 is line 4)
        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "a,t,y\n# measured 2024\n0.1,1,1.0\n0.5,0,nan\n0.3,1,2.0\n0.7,0,1.5\n");
        fails(1, List.of("nan.csv:4:3:", "outcome 'y'", "NaN"), "effect", "--data", nan.toString(), "--outcome", "y",
                "--treatment", "t", "--allow-nonfinite", "--bootstrap", "0");
        // without --allow-nonfinite the reader itself names the cell
        fails(1, List.of("nan.csv:4:3:", "NaN"), "effect", "--data", nan.toString(), "--outcome", "y", "--treatment",
                "t", "--bootstrap", "0");
        // a finite outcome whose square overflows: named by file and line, not by an internal check on a variance
        Path big = dir.resolve("big.csv");
        Files.writeString(big, "a,t,y\n0.1,1,1.0\n0.5,0,1e200\n0.3,1,2.0\n0.7,0,1.5\n");
        fails(1, List.of("big.csv:3:3:", "outcome 'y'", "1.0E200", "rescale"), "effect", "--data", big.toString(),
                "--outcome", "y", "--treatment", "t", "--bootstrap", "0");
        // infeasible: every observed a lies in [0, 1], the target's in [5, 6]; exact balance of a linear kernel fails
        List<double[]> low = new ArrayList<>();
        List<double[]> high = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            low.add(new double[] {i / 19.0, (i * 7 % 20) / 19.0});
            high.add(new double[] {5 + i / 19.0, (i * 3 % 20) / 19.0});
        }
        Path lo = write("low.csv", "a,b", low);
        Path hi = write("high.csv", "a,b", high);
        fails(1, List.of("cannot be met", "anchors"), "balance", "--data", lo.toString(), "--target-data",
                hi.toString(), "--kernel", "linear()", "--anchors", "4", "--ridge", "0", "--out", out);
        fails(2, List.of("--plot", ".png or .svg"), "balance", "--data", o.toString(), "--target-data", t.toString(),
                "--out", out, "--plot", dir.resolve("p.gif").toString());
        fails(2, List.of("exactly one of"), "effect", "--data", o.toString(), "--outcome", "c");
    }

    @Test
    void baseWeightsAreWrittenBesideTheWeights() throws IOException {
        List<double[]> obs = sample(40, 0.4, 8);
        List<double[]> withBase = new ArrayList<>();
        for (int i = 0; i < obs.size(); i++) {
            withBase.add(new double[] {obs.get(i)[0], obs.get(i)[1], 1 + i % 3});
        }
        List<double[]> target = new ArrayList<>();
        for (double[] row : sample(60, 0, 9)) {
            target.add(new double[] {row[0], row[1]});
        }
        Path o = write("obs.csv", "a,b,q", withBase);
        Path t = write("target.csv", "a,b", target);
        Path w = dir.resolve("w.csv");
        Run r = run("balance", "--data", o.toString(), "--target-data", t.toString(), "--base-weights", "q", "--kernel",
                "linear()", "--anchors", "4", "--ridge", "0", "--out", w.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(w);
        assertEquals("row,weight,base_weight", lines.get(0));
        assertEquals(obs.size() + 1, lines.size());
        double[] q = new double[obs.size()];
        double[] read = new double[obs.size()];
        for (int i = 0; i < q.length; i++) {
            q[i] = 1 + i % 3;
            read[i] = Double.parseDouble(lines.get(i + 1).split(",")[2]);
        }
        assertArrayEquals(q, read);
        // the SMD before uses the normalised base weights
        double[] qn = new double[q.length];
        double qs = java.util.Arrays.stream(q).sum();
        for (int i = 0; i < q.length; i++) {
            qn[i] = q[i] / qs;
        }
        double[] before = means(obs, qn);
        assertEquals((before[0] - means(target, null)[0]) / sds(target)[0], tableRow(r.out(), "a")[0], 1e-6);
    }
}
