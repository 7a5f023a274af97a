package org.kernels4j.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.LibSvmWriter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.selection.ClassificationMetrics;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;

/**
 * {@code bench nusvc}: ν-SVC training time on a train/test split ({@link SvmBenchmark.Split}), with accuracy
 * on both parts, after the same JIT warm-up as {@link SvmBenchmark} (fits on at most 2000 rows for at least a
 * second). With an export directory it writes train.libsvm, test.libsvm and ours.txt for
 * bench/nusvc_peer.sh, which runs LIBSVM's {@code svm-train -s 1} and kernlab's {@code ksvm(type="nu-svc")}
 * on the same rows with the same ν, γ and tolerance.
 */
public final class NuSvcBenchmark {
    /**
     * What to run.
     *
     * @param split the data
     * @param kernel the kernel, or null for RBF with scikit-learn's gamma 'scale'
     * @param nu ν
     * @param tolerance the stopping tolerance (LIBSVM's and kernlab's default 10⁻³)
     * @param cacheMegabytes kernel row cache, MiB
     * @param exportDir where to write the peer files, or null
     */
    public record Options(SvmBenchmark.Split split, Kernel kernel, double nu, double tolerance, long cacheMegabytes,
            Path exportDir) {
    }

    /**
     * What was measured (one run).
     *
     * @param data the data's name
     * @param trainRows training rows
     * @param testRows held-out rows
     * @param d features
     * @param kernel the kernel's spec
     * @param gamma the 'scale' gamma when computed, else NaN
     * @param threads threads used
     * @param fitSeconds training time, s
     * @param model the trained model
     * @param trainAccuracy accuracy on the training rows
     * @param testAccuracy accuracy on the held-out rows
     */
    public record Result(String data, int trainRows, int testRows, int d, String kernel, double gamma, int threads,
            double fitSeconds, SvmModel model, double trainAccuracy, double testAccuracy) {
    }

    private NuSvcBenchmark() {
    }

    /** Warms up, times the training, scores both parts, and writes the export if asked. */
    public static Result run(Options o) {
        SvmBenchmark.Split sp = o.split();
        Matrix xTrain = sp.xTrain();
        double[] yTrain = sp.yTrain();
        double gamma = Double.NaN;
        Kernel k = o.kernel();
        if (k == null) {
            gamma = SvmBenchmark.scaleGamma(xTrain);
            k = KernelSpec.parse("rbf(gamma=" + gamma + ")");
        }
        SupportVectorMachine svm = SupportVectorMachine.nuClassifier(k).nu(o.nu()).tolerance(o.tolerance())
                .cacheMegabytes(o.cacheMegabytes()).build();
        int warm = Math.min(xTrain.rows(), 2000);
        long warmStart = System.nanoTime();
        for (int i = 0; i < 20 && (i < 3 || System.nanoTime() - warmStart < 1_000_000_000L); i++) {
            svm.fit(xTrain.rowRange(0, warm), Matrix.column(Arrays.copyOf(yTrain, warm)));
        }
        long t0 = System.nanoTime();
        SvmModel m = svm.fit(xTrain, Matrix.column(yTrain.clone()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        double trainAcc = ClassificationMetrics.of(yTrain, m.predict(xTrain).data()).accuracy();
        double testAcc = ClassificationMetrics.of(sp.yTest(), m.predict(sp.xTest()).data()).accuracy();
        if (o.exportDir() != null) {
            Exports.createDirectory(o.exportDir());
            LibSvmWriter.write(o.exportDir().resolve("train.libsvm"), xTrain, yTrain);
            LibSvmWriter.write(o.exportDir().resolve("test.libsvm"), sp.xTest(), sp.yTest());
            AtomicFiles.writeString(o.exportDir().resolve("ours.txt"), String.format(Locale.ROOT,
                    "seconds %.4f%ntest_accuracy %.6f%nsupport_vectors %d%ngamma %s%nnu %s%ntolerance %s%n", seconds,
                    testAcc, m.supportVectorCount(), Double.isNaN(gamma) ? "" : Double.toString(gamma), o.nu(),
                    o.tolerance()));
        }
        return new Result(sp.name(), xTrain.rows(), sp.xTest().rows(), xTrain.cols(), k.toSpec(), gamma,
                Parallelism.threads(), seconds, m, trainAcc, testAcc);
    }
}
