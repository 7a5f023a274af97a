package org.kernels4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.cli.CliTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.cli.CliTest.Run;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.KernelAlignment;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.quantum.AdHocData;
import org.kernels4j.linalg.Matrix;

/** adhoc, quantum-experiment and quantum-kernel end to end, and every learner on quantum kernels. */
@Timeout(120)
class QuantumCliTest {
    @TempDir
    Path dir;

    private static double[][] rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        double[][] out = new double[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            out[i - 1] = new double[cells.length];
            for (int j = 0; j < cells.length; j++) {
                out[i - 1][j] = Double.parseDouble(cells[j]);
            }
        }
        return out;
    }

    private static double printed(String out, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "[: ]+([-0-9.eE+]+)").matcher(out);
        assertTrue(m.find(), label + " in:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    private Path adhoc(int train, int test) {
        Run r = run("adhoc", "--qubits", "2", "--gap", "0.3", "--train", Integer.toString(train), "--test",
                Integer.toString(test), "--seed", "1", "--out", dir.resolve("adhoc").toString());
        assertEquals(0, r.code(), r.err());
        return dir.resolve("adhoc");
    }

    @Test
    void adhocWritesTheCoresDataAsCsv() throws IOException {
        Path d = adhoc(20, 10);
        assertEquals("x1,x2,label", Files.readAllLines(d.resolve("train.csv")).get(0));
        double[][] train = rows(d.resolve("train.csv"));
        double[][] test = rows(d.resolve("test.csv"));
        assertEquals(40, train.length);
        assertEquals(20, test.length);
        AdHocData core = AdHocData.generate(2, 0.3, 20, 10, 1);
        Matrix x = core.trainFeatures();
        double[] y = core.trainLabels();
        for (int i = 0; i < train.length; i++) {
            assertEquals(x.get(i, 0), train[i][0], 0.0);
            assertEquals(x.get(i, 1), train[i][1], 0.0);
            assertEquals(y[i], train[i][2], 0.0);
        }
        assertEquals(core.testLabels()[19], test[19][2], 0.0);
    }

    /**
     * The distinct points and the test rows repeating training points are counted from the written files, and a wide
     * gap (few grid points left) is warned about on stderr; the default gap is not.
     */
    @Test
    void adhocCountsRepeatedPointsAndWarnsAboutAWideGap() throws IOException {
        Run plain = run("adhoc", "--qubits", "2", "--train", "20", "--test", "10", "--seed", "1", "--out",
                dir.resolve("a1").toString());
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.err().isBlank(), plain.err());
        Run wide = run("adhoc", "--qubits", "2", "--gap", "0.99", "--train", "100", "--test", "10", "--seed", "1", "--out",
                dir.resolve("a2").toString());
        assertEquals(0, wide.code(), wide.err());
        assertTrue(wide.err().contains("warning: the points are drawn with replacement"), wide.err());
        // the printed counts, against the files
        List<String> train = Files.readAllLines(dir.resolve("a2/train.csv")).subList(1, 201);
        List<String> test = Files.readAllLines(dir.resolve("a2/test.csv")).subList(1, 21);
        java.util.Set<String> points = new java.util.HashSet<>();
        for (String l : train) {
            points.add(l.substring(0, l.lastIndexOf(',')));
        }
        long repeated = test.stream().filter(l -> points.contains(l.substring(0, l.lastIndexOf(',')))).count();
        assertTrue(wide.out().contains("distinct training points: " + points.size() + " of 200; test rows that are also "
                + "training points: " + repeated + " of 20"), wide.out());
    }

    @Test
    void everyLearnerFitsQuantumKernelsBetterThanChance() throws IOException {
        Path d = adhoc(15, 15);
        double[][] test = rows(d.resolve("test.csv"));
        String[][] runs = {
            {"svc", "zz(reps=1)"}, {"svc", "projected()"},
            {"krr", "zz(reps=1)"}, {"krr", "projected()"},
            {"gp", "zz(reps=1)"}, {"gp", "projected()"}};
        for (String[] c : runs) {
            Path model = dir.resolve(c[0] + c[1].length() + ".zip");
            Path pred = dir.resolve(c[0] + c[1].length() + ".csv");
            List<String> args = new java.util.ArrayList<>(List.of("fit", "--train", d.resolve("train.csv").toString(),
                    "--model", c[0], "--kernel", c[1], "--out", model.toString()));
            if (c[0].equals("krr")) {
                args.addAll(List.of("--lambda", "0.01"));
            } else if (c[0].equals("gp")) {
                args.addAll(List.of("--noise", "0.01"));
            }
            Run f = run(args.toArray(new String[0]));
            assertEquals(0, f.code(), c[0] + " " + c[1] + ": " + f.err());
            Run p = run("predict", "--model", model.toString(), "--data", d.resolve("test.csv").toString(), "--out",
                    pred.toString());
            assertEquals(0, p.code(), p.err());
            double[][] predictions = rows(pred);
            int right = 0;
            for (int i = 0; i < test.length; i++) {
                right += Math.signum(predictions[i][0]) == test[i][2] ? 1 : 0;
            }
            double accuracy = right / (double) test.length;
            assertTrue(accuracy >= 0.7, c[0] + " " + c[1] + ": accuracy " + accuracy);
        }
    }

    @Test
    void experimentPrintsTheTableAndWritesCsvAndPlot() throws IOException {
        Path csv = dir.resolve("acc.csv");
        Path png = dir.resolve("acc.png");
        Run r = run("quantum-experiment", "--qubits", "2,3", "--train", "10", "--test", "5", "--seeds", "2", "--shots",
                "20,2000", "--csv", csv.toString(), "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(png) > 1000);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("qubits,kernel,shots,mean_accuracy,sd_accuracy,seeds", lines.get(0));
        assertEquals(1 + 2 * 4, lines.size(), String.join("\n", lines));
        java.util.Map<String, Double> means = new java.util.HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            double mean = Double.parseDouble(c[3]);
            assertTrue(mean >= 0 && mean <= 1, line);
            assertEquals("2", c[5]);
            means.put(c[0] + c[1] + c[2], mean);
        }
        assertTrue(means.get("2zzexact") >= 0.8, "the ZZ kernel separates ad-hoc data: " + means);
        assertTrue(means.get("2zzexact") > means.get("2rbf-"), means.toString());
        assertTrue(means.get("3zzexact") > means.get("3rbf-"), means.toString());
        assertTrue(r.out().contains("exact") && r.out().contains("rbf"), r.out());
    }

    @Test
    void experimentAccuracyIsTheSvmOnTheCoreKernel() {
        Run r = run("quantum-experiment", "--qubits", "2", "--train", "8", "--test", "6", "--seeds", "1", "--seed", "4",
                "--shots", "50");
        assertEquals(0, r.code(), r.err());
        AdHocData d = AdHocData.generate(2, 0.3, 8, 6, 4);
        var k = KernelSpec.parse("zz(reps=2, entanglement=full, alpha=2)");
        var svm = org.kernels4j.svm.SupportVectorMachine.classifier().c(1).build();
        double acc = QuantumExperimentCommand.accuracy(svm, GramEngine.gram(k, d.trainFeatures()),
                Matrix.column(d.trainLabels()), GramEngine.cross(k, d.testFeatures(), d.trainFeatures()), d.testLabels());
        Matcher m = Pattern.compile("\\n2\\s+zz\\s+exact\\s+([0-9.]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(acc, Double.parseDouble(m.group(1)), 1e-4);
    }

    @Test
    void kernelDiagnosticsMatchTheCore() throws IOException {
        Path d = adhoc(15, 5);
        Path npy = dir.resolve("K.npy");
        Run r = run("quantum-kernel", "--data", d.resolve("train.csv").toString(), "--kernel", "zz(reps=2)",
                "--labels-column", "label", "--align-alpha", "0.5,4", "--alpha-grid", "5", "--gram-out", npy.toString());
        assertEquals(0, r.code(), r.err());
        AdHocData core = AdHocData.generate(2, 0.3, 15, 5, 1);
        Matrix k = GramEngine.gram(KernelSpec.parse("zz(reps=2)"), core.trainFeatures());
        Matrix written = Npy.read(npy);
        assertEquals(0, k.maxAbsDifference(written), 1e-15);
        double sum = 0;
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 30; j++) {
                sum += i == j ? 0 : k.get(i, j);
            }
        }
        assertEquals(sum / (30 * 29), printed(r.out(), "off-diagonal values: mean"), 1e-6);
        assertEquals(KernelAlignment.centered(k, core.trainLabels()), printed(r.out(), "centred alignment"), 1e-6);
        assertTrue(r.out().contains("2 qubits") && r.out().contains("64.0 B") || r.out().contains("0.1 KiB"), r.out());
        assertTrue(r.out().contains("best alpha by centred alignment"), r.out());
        // the same labels as text (neg/pos): two classes all the same, the same alignment
        List<String> lines = Files.readAllLines(d.resolve("train.csv"));
        int labelAt = java.util.Arrays.asList(lines.get(0).split(",")).indexOf("label");
        List<String> text = new java.util.ArrayList<>(List.of(lines.get(0)));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            cells[labelAt] = Double.parseDouble(cells[labelAt]) > 0 ? "pos" : "neg";
            text.add(String.join(",", cells));
        }
        Path named = dir.resolve("named.csv");
        Files.write(named, text);
        Run t = run("quantum-kernel", "--data", named.toString(), "--kernel", "zz(reps=2)", "--labels-column", "label");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("classes neg -> -1, pos -> +1"), t.out());
        assertEquals(KernelAlignment.centered(k, core.trainLabels()), printed(t.out(), "centred alignment"), 1e-6);

        Run clipped = run("quantum-kernel", "--data", d.resolve("train.csv").toString(), "--kernel",
                "zz(shots=10, seed=3)", "--labels-column", "-1", "--clip-psd", "--gram-out", dir.resolve("S.npy").toString());
        assertEquals(0, clipped.code(), clipped.err());
        Matrix s = Npy.read(dir.resolve("S.npy"));
        double[] eig = org.kernels4j.linalg.SymmetricEigen.of(s).values();
        for (double e : eig) {
            assertTrue(e > -1e-10, "clipped: " + e);
        }
    }

    @Test
    void badInputIsOneLineWithTheConventionalExitCode() throws IOException {
        Run r = run("adhoc", "--qubits", "4", "--out", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("2 or 3 qubits"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        r = run("adhoc", "--gap", "0.9999999", "--out", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no grid point"), r.err());
        assertFalse(Files.exists(dir.resolve("train.csv")));

        r = run("quantum-experiment", "--shots", "0");
        assertEquals(2, r.code());
        r = run("quantum-experiment", "--qubits", "5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--qubits"), r.err());

        Path d = adhoc(5, 2);
        r = run("quantum-kernel", "--data", d.resolve("train.csv").toString(), "--kernel", "rbf()");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("quantum kernel"), r.err());
        r = run("quantum-kernel", "--data", d.resolve("train.csv").toString(), "--kernel", "zz()", "--align-alpha", "1,2");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--labels-column"), r.err());
        r = run("quantum-kernel", "--data", d.resolve("train.csv").toString(), "--kernel", "projected()",
                "--labels-column", "label", "--align-alpha", "1,2");
        assertEquals(2, r.code());

        StringBuilder wide = new StringBuilder();
        for (int j = 0; j < 31; j++) {
            wide.append(j == 0 ? "" : ",").append("f").append(j);
        }
        wide.append('\n');
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 31; j++) {
                wide.append(j == 0 ? "" : ",").append(0.1 * (i + j));
            }
            wide.append('\n');
        }
        Path w = dir.resolve("wide.csv");
        Files.writeString(w, wide.toString());
        for (String cmd : new String[] {"quantum-kernel", "gram"}) {
            List<String> args = cmd.equals("gram") ? List.of("gram", "--data", w.toString(), "--kernel", "zz()", "--out",
                    dir.resolve("g.npy").toString()) : List.of("quantum-kernel", "--data", w.toString(), "--kernel", "zz()");
            r = run(args.toArray(new String[0]));
            assertEquals(1, r.code(), cmd + ": " + r.err());
            assertTrue(r.err().contains("31 qubits") && r.err().contains("GiB"), cmd + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void benchQuantumExportsTheGramMatrixAndTheMemoryLimit() throws IOException {
        Path ex = dir.resolve("qb");
        Run r = run("bench", "quantum", "--qubits", "3,5", "--n", "12,9", "--export-dir", ex.toString());
        assertEquals(0, r.code(), r.err());
        Matrix x = Npy.read(ex.resolve("points_q5_n9.npy"));
        assertEquals(9, x.rows());
        assertEquals(5, x.cols());
        Matrix g = GramEngine.gram(KernelSpec.parse("zz(reps=2, entanglement=full, alpha=2)"), x);
        assertEquals(0, g.maxAbsDifference(Npy.read(ex.resolve("gram_q5_n9.npy"))), 0.0);
        assertEquals(3, Files.readAllLines(ex.resolve("times.csv")).size());
        // 16 * 2^20 * 500 = 8,388,608,000 <= 8 GiB = 8,589,934,592 with 201 MB left for the tiles; 2^21 is twice that
        assertEquals(20, org.kernels4j.bench.QuantumBenchmark.maxQubits(500, 8L << 30, 2));
        // 16 * 2^18 * 2000 = 8,388,608,000 again
        assertEquals(18, org.kernels4j.bench.QuantumBenchmark.maxQubits(2000, 8L << 30, 2));
        assertEquals(2, run("bench", "quantum", "--quick", "--qubits", "4").code());
        assertEquals(2, run("bench", "quantum", "--qubits", "4,5", "--n", "10").code());
    }
}
