package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.kernel.quantum.AdHocData;
import org.kernels4j.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "adhoc", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate the ad-hoc data set of Havlicek et al. (2019), which the ZZ feature map separates by "
                + "construction, as train.csv and test.csv.",
            "Grid points of [0, 2pi)^n (100x100 for 2 qubits, 20^3 for 3) labelled by the sign of <psi(x)|V^+ D V|psi(x)> "
                + "for the ZZ map state psi(x) (reps 2), a random unitary V and D the parity (2 qubits) or majority "
                + "(3 qubits) diagonal; points within --gap of 0 are dropped, then each class draws --train + --test "
                + "points uniformly (qiskit-machine-learning's ad_hoc_data; same distribution, not the same numbers).",
            "The files have columns x1..xn and label (+1/-1, last), as 'fit' and 'predict' read them."})
final class AdhocCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--qubits", defaultValue = "2", paramLabel = "2|3", description = "Qubits = features: 2 or 3 "
            + "(default: ${DEFAULT-VALUE}).")
    int qubits;

    @Option(names = "--gap", defaultValue = "0.3", paramLabel = "DELTA", description = "Separation gap in [0, 1) "
            + "(default: ${DEFAULT-VALUE}, the paper's).")
    double gap;

    @Option(names = "--train", defaultValue = "20", paramLabel = "N", description = "Training points per class "
            + "(default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--test", defaultValue = "10", paramLabel = "N", description = "Test points per class "
            + "(default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the unitary V and of the "
            + "draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for train.csv and test.csv "
            + "(created if missing).")
    Path out;

    @Override
    public Integer call() {
        AdHocData data = UsageException.of(() -> AdHocData.generate(qubits, gap, train, test, seed));
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new org.kernels4j.Kernels4jException("cannot create the directory " + out + ": " + e.getMessage());
        }
        Path trainFile = out.resolve("train.csv");
        Path testFile = out.resolve("test.csv");
        AtomicFiles.checkWritable(trainFile);
        AtomicFiles.checkWritable(testFile);
        AtomicFiles.writeString(trainFile, csv(data.trainFeatures(), data.trainLabels()));
        AtomicFiles.writeString(testFile, csv(data.testFeatures(), data.testLabels()));
        var pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "adhoc: %d qubits, gap %s, seed %d%n", qubits, Double.toString(gap), seed);
        pw.printf("wrote %s: %d rows (%d per class)%n", trainFile, 2 * train, train);
        pw.printf("wrote %s: %d rows (%d per class)%n", testFile, 2 * test, test);
        // points are drawn with replacement from the grid points beyond the gap (as Qiskit's ad_hoc.py does): a wide
        // gap leaves few of them, and the files then repeat points, in the test file too
        java.util.Set<java.util.List<Double>> seen = new java.util.HashSet<>();
        for (int i = 0; i < data.trainFeatures().rows(); i++) {
            seen.add(rowKey(data.trainFeatures(), i));
        }
        int repeated = 0;
        for (int i = 0; i < data.testFeatures().rows(); i++) {
            repeated += seen.contains(rowKey(data.testFeatures(), i)) ? 1 : 0;
        }
        pw.printf("distinct training points: %d of %d; test rows that are also training points: %d of %d%n",
                seen.size(), 2 * train, repeated, 2 * test);
        if (seen.size() < train || repeated > 0) {
            spec.commandLine().getErr().printf("kernels4j: warning: the points are drawn with replacement from the grid "
                    + "points beyond the gap (as in Qiskit); with gap %s few of them remain, so the files repeat points "
                    + "and a test accuracy measures memory, not generalisation: use a smaller --gap%n",
                    Double.toString(gap));
        }
        return 0;
    }

    private static java.util.List<Double> rowKey(Matrix x, int i) {
        java.util.List<Double> key = new java.util.ArrayList<>();
        for (int k = 0; k < x.cols(); k++) {
            key.add(x.get(i, k));
        }
        return key;
    }

    /** x1..xn,label with a header; values as Java's shortest round-trip decimal. */
    static String csv(Matrix x, double[] y) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < x.cols(); k++) {
            sb.append('x').append(k + 1).append(',');
        }
        sb.append("label\n");
        for (int i = 0; i < x.rows(); i++) {
            for (int k = 0; k < x.cols(); k++) {
                sb.append(x.get(i, k)).append(',');
            }
            sb.append(y[i] > 0 ? "1" : "-1").append('\n');
        }
        return sb.toString();
    }
}
