package org.kernels4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.kernels4j.gp.GaussianProcessClassifier;
import org.kernels4j.gp.GaussianProcessClassifierModel;
import org.kernels4j.gp.HyperparameterObjective;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.gp.InferenceMethod;
import org.kernels4j.gp.Likelihood;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * Binary GP classification with learned hyperparameters on the CSVs that {@code bench/gpc_sklearn.py}
 * writes (x0, x1, label; the same rows scikit-learn's Laplace classifier was fitted on): EP on its
 * evidence (probit) and CVI on the EP-like estimate (logit, Li, John &amp; Solin 2023), each from
 * 1*rbf(length=1) as scikit-learn starts, no restarts. Prints test log-loss, accuracy, wall-clock and
 * process CPU seconds (fit and prediction, no warm-up) per method. Run by {@code bench/gpc-inference.sh}.
 */
public final class GpInferenceBenchmark {
    private GpInferenceBenchmark() {
    }

    /** Arguments: the directory holding train.csv and test.csv; optional method names (laplace, ep, cvi). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Matrix[] train = read(dir.resolve("train.csv"));
        Matrix[] test = read(dir.resolve("test.csv"));
        List<String> methods = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("ep", "cvi");
        for (String method : methods) {
            GaussianProcessClassifier.Builder b = GaussianProcessClassifier.builder(KernelSpec.parse("1*rbf(length=1)"))
                    .optimize(HyperparameterSearch.builder().build());
            switch (method) {
                case "ep" -> b.inference(InferenceMethod.EP).likelihood(Likelihood.probit())
                        .objective(HyperparameterObjective.EVIDENCE);
                case "cvi" -> b.inference(InferenceMethod.CVI).likelihood(Likelihood.logit())
                        .objective(HyperparameterObjective.EP_LIKE);
                case "laplace" -> b.inference(InferenceMethod.LAPLACE).objective(HyperparameterObjective.EVIDENCE);
                default -> throw new IllegalArgumentException("unknown method " + method);
            }
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            GaussianProcessClassifierModel m = b.build().fit(train[0], train[1]);
            Matrix p = m.probabilities(test[0]);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            double loss = 0;
            int correct = 0;
            for (int i = 0; i < p.rows(); i++) {
                double p1 = Math.min(Math.max(p.get(i, 1), 1e-15), 1 - 1e-15);
                double y = test[1].get(i, 0);
                loss -= y == 1 ? Math.log(p1) : Math.log(1 - p1);
                correct += (p1 > 0.5) == (y == 1) ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "kernels4j %-8s n=%d test=%d log_loss=%.4f accuracy=%.4f objective=%.3f "
                    + "kernel=%s seconds=%.2f cpu_seconds=%.2f%n", method, train[0].rows(), test[0].rows(), loss / p.rows(),
                    correct / (double) p.rows(), m.logMarginalLikelihood(), m.kernel().toSpec(), seconds, cpuSeconds);
        }
    }

    /** CPU time of the whole process, all threads (BLAS's included), as scikit-learn's {@code time.process_time}. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Matrix[] read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        Matrix x = new Matrix(lines.size(), 2);
        Matrix y = new Matrix(lines.size(), 1);
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            x.set(i, 0, Double.parseDouble(f[0]));
            x.set(i, 1, Double.parseDouble(f[1]));
            y.set(i, 0, Double.parseDouble(f[2]));
        }
        return new Matrix[] {x, y};
    }
}
