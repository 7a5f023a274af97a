package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.Model;
import org.kernels4j.regression.RelevanceVectorMachine;
import org.kernels4j.svm.KernelQuantileRegression;
import org.kernels4j.svm.KernelQuantileRegressionModel;
import org.kernels4j.svm.LeastSquaresSvm;
import picocli.CommandLine.Option;

/** The options of {@code fit --model lssvm|rvm|kqr} and the estimators they configure. */
final class KernelLearners {
    static final List<String> MODELS = List.of("lssvm", "rvm", "kqr");

    @Option(names = "--ls-gamma", paramLabel = "GAMMA", description = "lssvm: weight gamma > 0 of the squared errors "
            + "(the KKT system [0 1'; 1 K + I/gamma]; larger is less smoothing; default 1).")
    Double lsGamma;

    @Option(names = "--classify", description = "lssvm, rvm: the target holds class labels (text or numbers); "
            + "more than two classes are fitted one-vs-rest.")
    boolean classify;

    @Option(names = "--quantiles", paramLabel = "TAU,...", split = ",", description = "kqr: quantile levels in (0, 1), "
            + "e.g. 0.1,0.5,0.9 (default 0.5); the predicted quantiles never cross (monotone rearrangement).")
    List<Double> quantiles;

    /** Restricts the options above (and --c, --tol) to the models they apply to. */
    static void restrictOptions(Map<String, List<String>> appliesTo) {
        appliesTo.put("--ls-gamma", List.of("lssvm"));
        appliesTo.put("--classify", List.of("lssvm", "rvm"));
        appliesTo.put("--quantiles", List.of("kqr"));
        List<String> c = new ArrayList<>(appliesTo.getOrDefault("--c", List.of()));
        c.add("kqr");
        appliesTo.put("--c", c);
        List<String> tol = new ArrayList<>(appliesTo.getOrDefault("--tol", List.of()));
        tol.addAll(List.of("kqr", "rvm"));
        appliesTo.put("--tol", tol);
    }

    /** The estimator for {@code model}, its options validated (before any data is read). */
    Estimator<? extends Model> estimator(String model, Kernel kernel, Double c, Double tol, Integer maxIter) {
        switch (model) {
            case "lssvm": {
                LeastSquaresSvm.Builder b = classify ? LeastSquaresSvm.classifier(kernel) : LeastSquaresSvm.regression(kernel);
                if (lsGamma != null) {
                    b.gamma(lsGamma);
                }
                return UsageException.of(b::build);
            }
            case "rvm": {
                RelevanceVectorMachine.Builder b = classify ? RelevanceVectorMachine.classifier(kernel)
                        : RelevanceVectorMachine.regression(kernel);
                if (tol != null) {
                    b.tolerance(tol);
                }
                if (maxIter != null) {
                    b.maxIterations(maxIter);
                }
                return UsageException.of(b::build);
            }
            case "kqr": {
                KernelQuantileRegression.Builder b = KernelQuantileRegression.builder(kernel);
                if (quantiles != null) {
                    b.quantiles(quantiles.stream().mapToDouble(Double::doubleValue).toArray());
                }
                if (c != null) {
                    b.c(c);
                }
                if (tol != null) {
                    b.tolerance(tol);
                }
                return UsageException.of(b::build);
            }
            default:
                throw new UsageException("unknown kernel learner '" + model + "'");
        }
    }

    /** Per level: the pinball loss on the training rows and the fraction of targets below the quantile. */
    static void printQuantileFit(java.io.PrintWriter pw, KernelQuantileRegressionModel m, Matrix q, Matrix y) {
        double[] taus = m.quantiles();
        pw.printf("%8s %16s %16s%n", "tau", "mean_pinball", "fraction_below");
        for (int j = 0; j < taus.length; j++) {
            double loss = 0;
            int below = 0;
            for (int i = 0; i < y.rows(); i++) {
                double r = y.get(i, 0) - q.get(i, j);
                loss += r >= 0 ? taus[j] * r : (taus[j] - 1) * r;
                below += r < 0 ? 1 : 0;
            }
            pw.printf(java.util.Locale.ROOT, "%8.4g %16.6g %16.4f%n", taus[j], loss / y.rows(),
                    below / (double) y.rows());
        }
    }
}
