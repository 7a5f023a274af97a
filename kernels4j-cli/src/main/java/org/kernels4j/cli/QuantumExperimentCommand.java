package org.kernels4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.kernel.Bandwidth;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.kernel.quantum.AdHocData;
import org.kernels4j.kernel.quantum.FidelityKernel;
import org.kernels4j.kernel.quantum.PauliFeatureMap;
import org.kernels4j.kernel.quantum.QuantumKernels;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.svm.SupportVectorMachine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "quantum-experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reproduce the experiment of Havlicek et al. (2019): support vector classifiers with the ZZ "
                + "feature-map kernel, exact and estimated from finitely many shots, and with an RBF kernel, on ad-hoc "
                + "data of 2 and 3 qubits, test accuracy over seeds.",
            "Per seed and qubit count: ad-hoc data (see 'kernels4j adhoc'; the seed also draws its unitary), then C-SVC "
                + "(--c) on the exact kernel zz(reps=2, entanglement=full, alpha=2), on its estimate from S shots per "
                + "entry for each --shots S (training and test entries both estimated, the training Gram matrix "
                + "repaired by clipping negative eigenvalues), and on rbf with gamma from the median heuristic on the "
                + "training rows. Prints mean and sample standard deviation of the test accuracy over the seeds.",
            "Defaults run in seconds; larger studies: e.g. --train 100 --test 50 --seeds 20 --shots 10,100,1000,10000."})
final class QuantumExperimentCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--qubits", defaultValue = "2,3", split = ",", paramLabel = "LIST", description = "Qubit counts, "
            + "each 2 or 3 (default: ${DEFAULT-VALUE}).")
    List<Integer> qubits;

    @Option(names = "--gap", defaultValue = "0.3", paramLabel = "DELTA", description = "Ad-hoc separation gap in [0, 1) "
            + "(default: ${DEFAULT-VALUE}).")
    double gap;

    @Option(names = "--train", defaultValue = "20", paramLabel = "N", description = "Training points per class "
            + "(default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--test", defaultValue = "10", paramLabel = "N", description = "Test points per class "
            + "(default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--seeds", defaultValue = "5", paramLabel = "K", description = "Number of seeds, --seed to "
            + "--seed + K - 1 (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "First seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--shots", defaultValue = "10,100,1000", split = ",", paramLabel = "LIST",
            description = "Shot counts per kernel entry for the finite-shot rows (default: ${DEFAULT-VALUE}).")
    List<Integer> shots;

    @Option(names = "--c", defaultValue = "1", paramLabel = "C", description = "SVM penalty C (default: ${DEFAULT-VALUE}).")
    double c;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the table: qubits, kernel, shots, "
            + "mean_accuracy, sd_accuracy, seeds.")
    Path csv;

    @Option(names = "--plot", paramLabel = "FILE.png|svg", description = "Draw test accuracy against shots (log axis), "
            + "one line per qubit count, the exact-kernel and RBF accuracies as horizontal reference lines.")
    Path plot;

    /** One (qubits, kernel, shots) cell: the accuracies over the seeds. */
    record Cell(int qubits, String kernel, int shots, List<Double> accuracies) {
        double mean() {
            return accuracies.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        double sd() {
            int n = accuracies.size();
            if (n < 2) {
                return Double.NaN;
            }
            double m = mean();
            double s = 0;
            for (double a : accuracies) {
                s += (a - m) * (a - m);
            }
            return Math.sqrt(s / (n - 1));
        }

        String shotsText() {
            return shots == 0 ? "exact" : shots < 0 ? "-" : Integer.toString(shots);
        }
    }

    @Override
    public Integer call() {
        OutputFiles.requireDistinct("--csv", csv, "--plot", plot);
        if (qubits.isEmpty() || qubits.stream().anyMatch(q -> q != 2 && q != 3)) {
            throw new UsageException("--qubits must list 2 and/or 3, got " + qubits);
        }
        if (!(gap >= 0 && gap < 1)) {
            throw new UsageException("--gap must be in [0, 1), got " + gap);
        }
        if (train < 1 || test < 1 || seeds < 1) {
            throw new UsageException("--train, --test and --seeds must be at least 1");
        }
        if (shots.stream().anyMatch(s -> s < 1)) {
            throw new UsageException("every --shots value must be at least 1, got " + shots);
        }
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new UsageException("--c must be a positive number, got " + c);
        }
        if (csv != null) {
            AtomicFiles.checkWritable(csv);
        }
        if (plot != null) {
            if (shots.isEmpty()) {
                throw new UsageException("--plot draws accuracy against shots: give at least one --shots value");
            }
            Charts.checkPlot(plot);
        }
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "quantum-experiment: qubits %s, gap %s, %d train + %d test per class, seeds %d..%d, "
                + "C = %s, shots %s%n", qubits, Double.toString(gap), train, test, seed, seed + seeds - 1,
                Double.toString(c), shots);
        pw.flush();
        long t0 = System.nanoTime();
        FidelityKernel exact = new FidelityKernel(PauliFeatureMap.zz(2, "full", 2));
        SupportVectorMachine svm = SupportVectorMachine.classifier().c(c).build();
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (int q : qubits) {
            for (int r = 0; r < seeds; r++) {
                long s = seed + r;
                AdHocData d = UsageException.of(() -> AdHocData.generate(q, gap, train, test, s));
                Matrix xtr = d.trainFeatures();
                Matrix xte = d.testFeatures();
                Matrix ytr = Matrix.column(d.trainLabels());
                double[] yte = d.testLabels();
                add(cells, q, "zz", 0, accuracy(svm, GramEngine.gram(exact, xtr), ytr, GramEngine.cross(exact, xte, xtr),
                        yte));
                for (int shot : shots) {
                    FidelityKernel k = exact.withShots(shot, (int) Math.floorMod(s * 7919 + shot, Integer.MAX_VALUE));
                    Matrix gram = QuantumKernels.clipNegativeEigenvalues(GramEngine.gram(k, xtr));
                    add(cells, q, "zz", shot, accuracy(svm, gram, ytr, GramEngine.cross(k, xte, xtr), yte));
                }
                Kernel rbf = RbfKernel.withGamma(Bandwidth.median(xtr, s).gamma());
                add(cells, q, "rbf", -1, accuracy(svm, GramEngine.gram(rbf, xtr), ytr, GramEngine.cross(rbf, xte, xtr),
                        yte));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pw.printf("%-6s %-6s %-6s %-8s %-8s %s%n", "qubits", "kernel", "shots", "mean", "sd", "seeds");
        for (Cell cell : cells.values()) {
            pw.printf(Locale.ROOT, "%-6d %-6s %-6s %-8.4f %-8s %d%n", cell.qubits(), cell.kernel(), cell.shotsText(),
                    cell.mean(), Double.isNaN(cell.sd()) ? "-" : String.format(Locale.ROOT, "%.4f", cell.sd()),
                    cell.accuracies().size());
        }
        pw.printf(Locale.ROOT, "test accuracy on %d points per run (%d per class); rbf gamma by the median heuristic; "
                + "%.2f s%n", 2 * test, test, seconds);
        if (csv != null) {
            StringBuilder sb = new StringBuilder("qubits,kernel,shots,mean_accuracy,sd_accuracy,seeds\n");
            for (Cell cell : cells.values()) {
                sb.append(cell.qubits()).append(',').append(cell.kernel()).append(',').append(cell.shotsText()).append(',')
                        .append(cell.mean()).append(',').append(Double.isNaN(cell.sd()) ? "" : Double.toString(cell.sd()))
                        .append(',').append(cell.accuracies().size()).append('\n');
            }
            AtomicFiles.writeString(csv, sb.toString());
            pw.printf("wrote %s%n", csv);
        }
        if (plot != null) {
            plot(cells);
            pw.printf("wrote %s: test accuracy against shots%n", plot);
        }
        return 0;
    }

    private static void add(Map<String, Cell> cells, int q, String kernel, int shots, double accuracy) {
        cells.computeIfAbsent(q + "/" + kernel + "/" + shots, k -> new Cell(q, kernel, shots, new ArrayList<>()))
                .accuracies().add(accuracy);
    }

    /** The fraction of test labels the SVM trained on the precomputed kernel matrices gets right. */
    static double accuracy(SupportVectorMachine svm, Matrix gram, Matrix ytr, Matrix cross, double[] yte) {
        Matrix p = svm.fitPredict(gram, ytr, cross).values();
        int right = 0;
        for (int i = 0; i < yte.length; i++) {
            right += p.get(i, 0) == yte[i] ? 1 : 0;
        }
        return right / (double) yte.length;
    }

    private void plot(Map<String, Cell> cells) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChart(900, 600);
        chart.setTitle("Ad-hoc data, gap " + gap + ": SVM test accuracy over " + seeds + " seeds");
        chart.setXAxisTitle("shots per kernel entry");
        chart.setYAxisTitle("test accuracy (mean)");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisLogarithmicDecadeOnly(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        double lo = shots.stream().mapToInt(Integer::intValue).min().orElse(1);
        double hi = shots.stream().mapToInt(Integer::intValue).max().orElse(1);
        if (hi == lo) {
            lo = lo / 2;
            hi = hi * 2;
        }
        for (int q : qubits) {
            List<Integer> sorted = shots.stream().distinct().sorted().toList();
            double[] xs = new double[sorted.size()];
            double[] ys = new double[sorted.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = sorted.get(i);
                ys[i] = cells.get(q + "/zz/" + sorted.get(i)).mean();
            }
            XYSeries s = chart.addSeries("zz, " + q + " qubits, shots", xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(new BasicStroke(2f));
            XYSeries e = chart.addSeries("zz, " + q + " qubits, exact", new double[] {lo, hi},
                    new double[] {cells.get(q + "/zz/0").mean(), cells.get(q + "/zz/0").mean()});
            e.setMarker(SeriesMarkers.NONE);
            e.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f},
                    0f));
            double rbf = cells.get(q + "/rbf/-1").mean();
            XYSeries rs = chart.addSeries("rbf, " + q + " qubits", new double[] {lo, hi}, new double[] {rbf, rbf});
            rs.setMarker(SeriesMarkers.NONE);
            rs.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f},
                    0f));
        }
        Charts.save(chart, plot);
    }
}
