package org.kernels4j.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.LibSvmWriter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.selection.ClassificationMetrics;
import org.kernels4j.selection.CrossValidation;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;

/**
 * {@code bench svm}: C-SVC training time on a train/test split, with accuracy on both parts. The
 * timed fit follows a JIT warm-up on at most 2000 rows, repeated for at least a second (3 to 20
 * fits), so that it measures compiled code as in any long-running JVM. Times are wall-clock seconds.
 */
public final class SvmBenchmark {
    /**
     * Training and held-out rows.
     *
     * @param name the data's name in the output ("synthetic" or the file name)
     * @param xTrain training inputs
     * @param yTrain training labels
     * @param xTest held-out inputs
     * @param yTest held-out labels
     */
    public record Split(String name, Matrix xTrain, double[] yTrain, Matrix xTest, double[] yTest) {
        /**
         * Seeded two-class synthetic data ({@link SyntheticData#classification}): the first n rows for
         * training, the next {@code test} held out.
         */
        public static Split synthetic(int n, int test, int d, long seed) {
            if (n < 2 || test < 1) {
                throw new IllegalArgumentException("n must be >= 2 and test >= 1");
            }
            SyntheticData.Classification all = SyntheticData.classification(n + test, d, seed);
            return new Split("synthetic", all.x().rowRange(0, n), Arrays.copyOf(all.y(), n),
                    all.x().rowRange(n, n + test), Arrays.copyOfRange(all.y(), n, n + test));
        }

        /**
         * A labelled data set: a seeded 25% of its rows are held out (kept in file order), and the
         * features are standardized with the training rows' means and deviations.
         */
        public static Split holdOut(String name, Dataset ds, long seed) {
            int rows = ds.rows();
            int[] perm = Landmarks.permutation(rows, new Random(seed));
            int cut = rows - rows / 4;
            int[] tr = Arrays.copyOf(perm, cut);
            int[] te = Arrays.copyOfRange(perm, cut, rows);
            Arrays.sort(tr);
            Arrays.sort(te);
            Matrix xTrain = ds.features().selectRows(tr);
            Matrix xTest = ds.features().selectRows(te);
            CrossValidation.standardize(xTrain, xTest);
            return new Split(name, xTrain, ds.target().selectRows(tr).data(), xTest, ds.target().selectRows(te).data());
        }
    }

    /**
     * What to run.
     *
     * @param split the data
     * @param kernel the kernel, or null for RBF with scikit-learn's gamma 'scale', 1/(d·Var(X_train))
     * @param c the C parameter
     * @param cacheMegabytes kernel row cache, MiB
     * @param workingSet working-set size
     * @param shrinking whether shrinking is on
     * @param exportDir where to write train.libsvm, test.libsvm and ours.txt for the peer script, or null
     */
    public record Options(Split split, Kernel kernel, double c, long cacheMegabytes, int workingSet, boolean shrinking,
            Path exportDir) {
    }

    /**
     * What was measured.
     *
     * @param data the data's name
     * @param trainRows training rows
     * @param testRows held-out rows
     * @param d features
     * @param kernel the kernel's spec
     * @param gamma the 'scale' gamma when it was computed, else NaN
     * @param threads threads used
     * @param fitSeconds training time, s
     * @param model the trained model (its solves: one per binary problem)
     * @param trainAccuracy accuracy on the training rows
     * @param testAccuracy accuracy on the held-out rows
     */
    public record Result(String data, int trainRows, int testRows, int d, String kernel, double gamma, int threads,
            double fitSeconds, SvmModel model, double trainAccuracy, double testAccuracy) {
        /** SMO steps over all problems. */
        public long smoSteps() {
            return model.solves().stream().mapToLong(SupportVectorMachine.Solve::iterations).sum();
        }

        /** Kernel rows computed over all problems. */
        public long kernelRows() {
            return model.solves().stream().mapToLong(SupportVectorMachine.Solve::kernelRows).sum();
        }

        /** Solver rounds over all problems. */
        public int rounds() {
            return model.solves().stream().mapToInt(SupportVectorMachine.Solve::rounds).sum();
        }

        /** Support vectors of the model. */
        public int supportVectors() {
            return model.supportVectorCount();
        }
    }

    private SvmBenchmark() {
    }

    /** RBF with scikit-learn's gamma 'scale': 1 / (d · Var(X)), the variance over all entries (1 when 0). */
    public static double scaleGamma(Matrix x) {
        double var = 0;
        double mean = Arrays.stream(x.data()).average().orElse(0);
        for (double v : x.data()) {
            var += (v - mean) * (v - mean);
        }
        var /= x.data().length;
        return 1 / (x.cols() * (var > 0 ? var : 1));
    }

    /** Warms up, times the training, scores both parts, and writes the export if asked. */
    public static Result run(Options o) {
        Split sp = o.split();
        Matrix xTrain = sp.xTrain();
        double[] yTrain = sp.yTrain();
        double gamma = Double.NaN;
        Kernel k = o.kernel();
        if (k == null) {
            gamma = scaleGamma(xTrain);
            k = KernelSpec.parse("rbf(gamma=" + gamma + ")");
        }
        SupportVectorMachine svm = SupportVectorMachine.classifier(k).c(o.c()).cacheMegabytes(o.cacheMegabytes())
                .workingSet(o.workingSet()).shrinking(o.shrinking()).build();
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
                    "seconds %.4f%ntest_accuracy %.6f%nsupport_vectors %d%ngamma %s%nc %s%n", seconds, testAcc,
                    m.supportVectorCount(), Double.isNaN(gamma) ? "" : Double.toString(gamma), o.c()));
        }
        return new Result(sp.name(), xTrain.rows(), sp.xTest().rows(), xTrain.cols(), k.toSpec(), gamma,
                Parallelism.threads(), seconds, m, trainAcc, testAcc);
    }
}
