package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.Kernels4jException;
import org.kernels4j.selection.ClassificationMetrics;
import org.kernels4j.selection.ProbabilityMetrics;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.DensityModel;
import org.kernels4j.model.Model;
import org.kernels4j.privacy.PrivateDistanceSum;
import org.kernels4j.privacy.PrivateKernelSum;
import org.kernels4j.svm.SvmModel;
import org.kernels4j.selection.RegressionMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a saved model on labelled data; prints one 'metric: value' line per metric.",
            "Regression metrics: rmse, mae, r2 (and n, the number of rows).",
            "Classifiers (svc, gpc, private-similarity) and one-class SVMs (labels +1 inlier, -1 outlier): accuracy, per-class precision, "
                + "recall, F1 and support, and the confusion matrix.",
            "Classifiers with probabilities (gpc, svc --probability, --calibrate): also log_loss (probabilities clipped "
                + "at 1e-15), brier (for two classes the mean (p - y)^2 of the second class, else the sum over classes) "
                + "and ece, the expected calibration error over --bins equal-width bins of the second class's "
                + "probability (two classes) or of the top-label confidence (more)."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "Model file from 'fit'.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled data (.csv or .libsvm).")
    Path data;

    @Option(names = "--bins", defaultValue = "10", paramLabel = "B", description = "Bins of the expected calibration "
            + "error (default: ${DEFAULT-VALUE}).")
    int bins;

    @Mixin
    DataOptionsMixin options;

    @Override
    public Integer call() {
        SavedModel saved = ModelFiles.load(model);
        Model m = saved.model();
        if (m instanceof DensityModel || m instanceof PrivateKernelSum || m instanceof PrivateDistanceSum) {
            throw new Kernels4jException(model + " holds " + PredictCommand.describe(m) + ", which has no target to "
                    + "evaluate against; use 'kde score'");
        }
        if (m instanceof org.kernels4j.cluster.ClusterModel) {
            // cluster numbers are arbitrary names: an error rate or r² against class labels would change with them
            throw new Kernels4jException(model + " holds " + PredictCommand.describe(m) + ", whose cluster numbers "
                    + "are not predictions of a target; compare clusterings with 'kernels4j cluster --labels-column' "
                    + "(adjusted Rand index, NMI)");
        }
        Dataset ds;
        double[] pred;
        if (m instanceof org.kernels4j.svm.StringSvmModel sm) {
            // a string-kernel SVM reads the texts of the column it was trained on, as predict does
            if (saved.targetName() == null) {
                throw new Kernels4jException(model + " holds a one-class text model, which has no target to evaluate "
                        + "against; use predict");
            }
            var td = org.kernels4j.io.TextColumnReader.read(data, sm.textColumn(), saved.targetName(),
                    saved.classLabels() != null);
            Matrix truth = td.target();
            if (saved.classLabels() != null) { // the model's class codes for the names in this file
                java.util.List<String> names = new java.util.ArrayList<>();
                for (int i = 0; i < truth.rows(); i++) {
                    names.add(td.classLabels().name(truth.get(i, 0)));
                }
                truth = saved.classLabels().encode(names);
            }
            ds = new Dataset(new Matrix(truth.rows(), 0), truth, java.util.List.of(), saved.targetName(),
                    data.toString(), saved.classLabels());
            pred = sm.predictTexts(td.texts()).data();
        } else {
            ds = ModelData.read(options.options, data, saved, true);
            pred = m.predict(ds.features()).data();
        }
        var out = spec.commandLine().getOut();
        if (m instanceof org.kernels4j.svm.KernelQuantileRegressionModel q && q.quantiles().length > 1) {
            out.printf("n: %d%n", ds.rows());
            printQuantileScores(q.quantiles(), ds.target().data(), pred);
            return 0;
        }
        out.printf("n: %d%n", ds.rows());
        boolean oneClass = m instanceof SvmModel svm && svm.type() == SvmModel.Type.ONE_CLASS;
        if (!oneClass && !(m instanceof Classifier c && c.classes() != null)) {
            RegressionMetrics r = RegressionMetrics.of(ds.target(), Matrix.wrap(ds.rows(), pred.length / ds.rows(), pred));
            out.printf("rmse: %s%n", r.rmse());
            out.printf("mae: %s%n", r.mae());
            out.printf("r2: %s%n", r.r2());
            return 0;
        }
        double[] truth = ds.target().data();
        if (oneClass) {
            for (int i = 0; i < truth.length; i++) {
                if (truth[i] != 1 && truth[i] != -1) {
                    throw new Kernels4jException(data + ": row " + (i + 1) + ": a one-class SVM is evaluated against "
                            + "labels +1 (inlier) and -1 (outlier), found " + truth[i]);
                }
            }
        }
        if (!oneClass) {
            warnUnseenLabels(truth, ((Classifier) m).classes(), ds);
        }
        ClassificationMetrics c = ClassificationMetrics.of(truth, pred);
        out.printf("accuracy: %s%n", c.accuracy());
        if (!oneClass && m instanceof Classifier cl && !(m instanceof org.kernels4j.svm.StringSvmModel)
                && cl.hasProbabilities() && java.util.Arrays.stream(truth)
                .allMatch(t -> java.util.Arrays.binarySearch(cl.classes(), t) >= 0)) {
            ProbabilityMetrics pm = ProbabilityMetrics.of(cl.classes(), truth, cl.probabilities(ds.features()), bins);
            out.printf("log_loss: %s%n", pm.logLoss());
            out.printf("brier: %s%n", pm.brier());
            out.printf("ece: %s%n", pm.expectedCalibrationError());
            out.printf("ece_bins: %d equal-width bins of %s%n", bins, pm.reliability().topLabel()
                    ? "the top-label confidence" : "the probability of class " + ds.label(cl.classes()[1]));
        }
        out.printf("%-12s %10s %10s %10s %8s%n", "class", "precision", "recall", "f1", "support");
        for (int k = 0; k < c.classes().length; k++) {
            out.printf("%-12s %10.4f %10.4f %10.4f %8d%n", ds.label(c.classes()[k]), c.precision()[k],
                    c.recall()[k], c.f1()[k], c.support()[k]);
        }
        out.println("confusion matrix (rows: true class, columns: predicted class):");
        StringBuilder head = new StringBuilder(String.format("%-12s", ""));
        for (double v : c.classes()) {
            head.append(String.format(" %8s", ds.label(v)));
        }
        out.println(head);
        for (int k = 0; k < c.classes().length; k++) {
            StringBuilder row = new StringBuilder(String.format("%-12s", ds.label(c.classes()[k])));
            for (long v : c.confusion()[k]) {
                row.append(String.format(" %8d", v));
            }
            out.println(row);
        }
        return 0;
    }

    /**
     * Per quantile level τ of a multi-quantile model: the pinball loss (1/n)Σ max(τ·(y − q), (τ − 1)·(y − q)), which
     * the τ-quantile minimises, and the coverage, the share of rows with y ≤ q (τ when calibrated).
     */
    private void printQuantileScores(double[] levels, double[] y, double[] pred) {
        var out = spec.commandLine().getOut();
        int k = levels.length;
        out.printf("%-10s %14s %10s%n", "quantile", "pinball_loss", "coverage");
        for (int j = 0; j < k; j++) {
            double loss = 0;
            long below = 0;
            for (int i = 0; i < y.length; i++) {
                double r = y[i] - pred[i * k + j];
                loss += Math.max(levels[j] * r, (levels[j] - 1) * r);
                below += r <= 0 ? 1 : 0;
            }
            out.printf("%-10s %14.6g %10.4f%n", levels[j], loss / y.length, (double) below / y.length);
        }
    }

    /** Rows whose label the model never saw count as errors; say which labels and how many rows. */
    private void warnUnseenLabels(double[] truth, double[] classes, Dataset ds) {
        java.util.Set<Double> known = new java.util.HashSet<>();
        for (double v : classes) {
            known.add(v);
        }
        java.util.TreeMap<Double, Integer> unseen = new java.util.TreeMap<>();
        for (double v : truth) {
            if (!known.contains(v)) {
                unseen.merge(v, 1, Integer::sum);
            }
        }
        if (!unseen.isEmpty()) {
            int rows = unseen.values().stream().mapToInt(Integer::intValue).sum();
            StringBuilder labels = new StringBuilder();
            unseen.forEach((l, k) -> labels.append(labels.length() == 0 ? "" : ", ").append(ds.label(l)));
            spec.commandLine().getErr().printf("kernels4j: warning: %d of %d rows of %s have labels the model never saw "
                    + "(%s; it knows %s); they count as errors%s%n", rows, truth.length, data, labels,
                    java.util.Arrays.stream(classes).mapToObj(ds::label).collect(java.util.stream.Collectors
                    .joining(", ")), rows == truth.length ? ": is this data labelled the same way as the training data?" : "");
        }
    }
}
