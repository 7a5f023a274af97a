package org.kernels4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gp.GaussianProcessClassifier;
import org.kernels4j.gp.GaussianProcessClassifierModel;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.gp.MultiClass;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * {@code bench gpc-softmax}: three-class GP classification with learned hyperparameters on identical data, in one
 * run: kernels4j's softmax Laplace ({@link MultiClass#SOFTMAX}) and one-vs-rest Laplace, and scikit-learn's
 * {@code GaussianProcessClassifier} (one-vs-rest, Laplace; bench/gpc_softmax_peer.py) when an interpreter is given.
 * All start from 1·rbf(length=1) (scikit-learn's ConstantKernel(1)·RBF(1)) with one L-BFGS start. Data: 2-D inputs
 * uniform on [−3, 3]², label the largest of three noisy scores sin(1.5·x₀), 0.8·x₁, 0.6 − 0.15‖x‖² (noise sd 0.5).
 * Times are seconds of fit (including the search) plus predict of the test rows, wall clock and CPU (all the
 * process's threads, BLAS included: on a shared, oversubscribed machine the fairer figure); test log-loss is
 * −mean log p(true class), clipped at 1e−15 as scikit-learn's {@code log_loss} does.
 */
public final class SoftmaxGpcBenchmark {
    /**
     * What to run.
     *
     * @param n training rows
     * @param test test rows
     * @param seed data seed
     * @param python the interpreter for the peer, or null to skip it
     * @param script the peer script
     * @param workDir where train.csv and test.csv are written for the peer
     */
    public record Options(int n, int test, long seed, String python, Path script, Path workDir) {
    }

    /**
     * One method's figures.
     *
     * @param method kernels4j-softmax, kernels4j-ovr or sklearn-ovr
     * @param seconds fit plus predict, wall clock
     * @param cpuSeconds fit plus predict, CPU time of the whole process
     * @param logLoss test log-loss
     * @param accuracy test accuracy
     * @param kernel the learned kernel as the method prints it
     */
    public record Row(String method, double seconds, double cpuSeconds, double logLoss, double accuracy, String kernel) {
    }

    private SoftmaxGpcBenchmark() {
    }

    /** n rows: x (n×2) and labels 0, 1, 2 (n×1), seeded. */
    public static Matrix[] data(int n, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, 2);
        Matrix y = new Matrix(n, 1);
        for (int i = 0; i < n; i++) {
            double a = -3 + 6 * r.nextDouble();
            double b = -3 + 6 * r.nextDouble();
            x.set(i, 0, a);
            x.set(i, 1, b);
            double[] s = {Math.sin(1.5 * a), 0.8 * b, 0.6 - 0.15 * (a * a + b * b)};
            int best = 0;
            for (int c = 0; c < 3; c++) {
                s[c] += 0.5 * r.nextGaussian();
                best = s[c] > s[best] ? c : best;
            }
            y.set(i, 0, best);
        }
        return new Matrix[] {x, y};
    }

    /** Runs the methods, reporting each row to {@code rows} as it finishes, and returns them all. */
    public static List<Row> run(Options o, Consumer<Row> rows) {
        Matrix[] train = data(o.n(), o.seed());
        Matrix[] test = data(o.test(), o.seed() + 1);
        List<Row> out = new ArrayList<>();
        for (MultiClass mode : List.of(MultiClass.SOFTMAX, MultiClass.ONE_VS_REST)) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            GaussianProcessClassifierModel m = GaussianProcessClassifier.builder(KernelSpec.parse("1*rbf(length=1)"))
                    .multiClass(mode).optimize(HyperparameterSearch.builder().build()).build().fit(train[0], train[1]);
            Matrix p = m.probabilities(test[0]);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - c0) / 1e9;
            Row row = new Row("kernels4j-" + mode.label(), seconds, cpu, logLoss(p, test[1]), accuracy(p, test[1]),
                    m.kernel().toSpec());
            out.add(row);
            rows.accept(row);
        }
        if (o.python() != null) {
            Row row = peer(o, train, test);
            out.add(row);
            rows.accept(row);
        }
        return out;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** −mean log p(true class), each p clipped to [1e−15, 1] like scikit-learn's log_loss. */
    public static double logLoss(Matrix p, Matrix y) {
        double s = 0;
        for (int i = 0; i < p.rows(); i++) {
            s -= Math.log(Math.max(p.get(i, (int) y.get(i, 0)), 1e-15));
        }
        return s / p.rows();
    }

    /** The share of rows whose most probable class is the true one. */
    public static double accuracy(Matrix p, Matrix y) {
        int correct = 0;
        for (int i = 0; i < p.rows(); i++) {
            int best = 0;
            for (int c = 1; c < p.cols(); c++) {
                best = p.get(i, c) > p.get(i, best) ? c : best;
            }
            correct += best == (int) y.get(i, 0) ? 1 : 0;
        }
        return (double) correct / p.rows();
    }

    private static void writeCsv(Matrix[] d, Path file) {
        StringBuilder sb = new StringBuilder("x0,x1,label\n");
        for (int i = 0; i < d[0].rows(); i++) {
            sb.append(String.format(Locale.ROOT, "%.17g,%.17g,%d%n", d[0].get(i, 0), d[0].get(i, 1), (int) d[1].get(i, 0)));
        }
        try {
            Files.writeString(file, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Kernels4jException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Runs the scikit-learn peer on the same rows; it prints {@code seconds S cpu C logloss L accuracy A kernel K}. */
    private static Row peer(Options o, Matrix[] train, Matrix[] test) {
        Exports.createDirectory(o.workDir());
        Path trainCsv = o.workDir().resolve("train.csv");
        Path testCsv = o.workDir().resolve("test.csv");
        writeCsv(train, trainCsv);
        writeCsv(test, testCsv);
        ProcessBuilder pb = new ProcessBuilder(o.python(), o.script().toString(), trainCsv.toString(), testCsv.toString());
        pb.redirectErrorStream(true);
        try {
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(4, TimeUnit.HOURS) || p.exitValue() != 0) {
                throw new Kernels4jException("the scikit-learn peer failed: " + text.trim());
            }
            for (String line : text.split("\n")) {
                if (line.startsWith("seconds ")) {
                    String[] f = line.trim().split("\\s+", 10);
                    return new Row("sklearn-ovr", Double.parseDouble(f[1]), Double.parseDouble(f[3]),
                            Double.parseDouble(f[5]), Double.parseDouble(f[7]), f.length > 9 ? f[9] : "?");
                }
            }
            throw new Kernels4jException("the scikit-learn peer printed no result: " + text.trim());
        } catch (IOException e) {
            throw new Kernels4jException("cannot run " + o.python() + " " + o.script() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Kernels4jException("interrupted while waiting for the scikit-learn peer");
        }
    }

    /** The header line: sizes, seed and threads. */
    public static String describe(Options o) {
        return String.format(Locale.ROOT, "gpc-softmax n=%d test=%d classes=3 seed=%d threads=%d", o.n(), o.test(),
                o.seed(), Parallelism.threads());
    }
}
