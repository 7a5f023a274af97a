package org.kernels4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.bench.SyntheticData;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.LibSvmWriter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "svm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time C-SVC training (RBF kernel) on seeded synthetic two-class data or on a labelled file, "
                + "and report accuracy on a held-out part.",
            "Without --kernel the RBF gamma is scikit-learn's 'scale', 1/(d·Var(X_train)), printed so peers can use it.",
            "With --export-dir, writes train.libsvm, test.libsvm and ours.txt for bench/svm_peer.sh (LIBSVM's "
                    + "svm-train and scikit-learn's SVC on the same rows)."})
final class SvmBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", defaultValue = "20000", description = "Synthetic training rows (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--test", defaultValue = "5000", description = "Synthetic held-out rows (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--d", defaultValue = "20", description = "Synthetic features, >= 5 (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--seed", defaultValue = "7", description = "Data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data", paramLabel = "FILE", description = "A labelled file instead (.csv with the target last, "
            + "or .libsvm); a seeded 25% of its rows are held out and features are standardized on the rest.")
    Path data;

    @Mixin
    DataOptionsMixin options;

    @Option(names = "--kernel", paramLabel = "SPEC", description = "Kernel spec (default: rbf with gamma 'scale').")
    String kernel;

    @Option(names = "--c", defaultValue = "1", description = "C (default: ${DEFAULT-VALUE}).")
    double c;

    @Option(names = "--cache-mb", defaultValue = "512", description = "Kernel row cache, MiB (default: ${DEFAULT-VALUE}).")
    long cacheMb;

    @Option(names = "--working-set", defaultValue = "512", description = "Working-set size (default: ${DEFAULT-VALUE}).")
    int workingSet;

    @Option(names = "--no-shrinking", description = "Turn shrinking off.")
    boolean noShrinking;

    @Option(names = "--export-dir", paramLabel = "DIR", description = "Write the rows and our figures for the peers.")
    Path exportDir;

    @Override
    public Integer call() throws Exception {
        Matrix xTrain;
        Matrix xTest;
        double[] yTrain;
        double[] yTest;
        String what;
        if (data != null) {
            Dataset ds = options.options.readWithTarget(data, "-1");
            int rows = ds.rows();
            int[] perm = Landmarks.permutation(rows, new Random(seed));
            int cut = rows - rows / 4;
            int[] tr = java.util.Arrays.copyOf(perm, cut);
            int[] te = java.util.Arrays.copyOfRange(perm, cut, rows);
            java.util.Arrays.sort(tr);
            java.util.Arrays.sort(te);
            xTrain = ds.features().selectRows(tr);
            xTest = ds.features().selectRows(te);
            org.kernels4j.selection.CrossValidation.standardize(xTrain, xTest);
            yTrain = ds.target().selectRows(tr).data();
            yTest = ds.target().selectRows(te).data();
            what = data.getFileName().toString();
        } else {
            if (n < 2 || test < 1) {
                throw new Kernels4jException("--n must be >= 2 and --test >= 1");
            }
            SyntheticData.Classification all = SyntheticData.classification(n + test, d, seed);
            xTrain = all.x().rowRange(0, n);
            xTest = all.x().rowRange(n, n + test);
            yTrain = java.util.Arrays.copyOf(all.y(), n);
            yTest = java.util.Arrays.copyOfRange(all.y(), n, n + test);
            what = "synthetic";
        }
        double gamma = Double.NaN;
        Kernel k;
        if (kernel == null) {
            double var = 0;
            double mean = java.util.Arrays.stream(xTrain.data()).average().orElse(0);
            for (double v : xTrain.data()) {
                var += (v - mean) * (v - mean);
            }
            var /= xTrain.data().length;
            gamma = 1 / (xTrain.cols() * (var > 0 ? var : 1));
            k = KernelSpec.parse("rbf(gamma=" + gamma + ")");
        } else {
            k = KernelSpec.parse(kernel);
        }
        var out = spec.commandLine().getOut();
        out.printf("svm %s train=%d test=%d d=%d kernel=%s C=%s cache=%dMB working_set=%d shrinking=%s threads=%d%n",
                what, xTrain.rows(), xTest.rows(), xTrain.cols(), k.toSpec(), c, cacheMb, workingSet, !noShrinking,
                Parallelism.threads());
        SupportVectorMachine svm = SupportVectorMachine.classifier().kernel(k).c(c).cacheMegabytes(cacheMb)
                .workingSet(workingSet).shrinking(!noShrinking).build();
        // JIT warm-up on at most 2000 rows, repeated for at least a second (at most 20 fits), so that the
        // timing is of compiled code, as it is in any long-running JVM
        int warm = Math.min(xTrain.rows(), 2000);
        long warmStart = System.nanoTime();
        for (int i = 0; i < 20 && (i < 3 || System.nanoTime() - warmStart < 1_000_000_000L); i++) {
            svm.fit(xTrain.rowRange(0, warm), java.util.Arrays.copyOf(yTrain, warm));
        }
        long t0 = System.nanoTime();
        SupportVectorMachine.Training t = svm.train(xTrain, yTrain);
        double seconds = (System.nanoTime() - t0) / 1e9;
        SvmModel m = t.model();
        double trainAcc = org.kernels4j.selection.ClassificationMetrics.of(yTrain, m.predict(xTrain)).accuracy();
        double testAcc = org.kernels4j.selection.ClassificationMetrics.of(yTest, m.predict(xTest)).accuracy();
        long iterations = 0;
        long rows = 0;
        int rounds = 0;
        for (SupportVectorMachine.Solve s : t.solves()) {
            iterations += s.iterations();
            rows += s.kernelRows();
            rounds += s.rounds();
        }
        out.printf("fit_seconds: %.3f%n", seconds);
        out.printf("problems: %d  smo_steps: %d  rounds: %d  kernel_rows: %d%n", t.solves().size(), iterations, rounds,
                rows);
        out.printf("support_vectors: %d%n", m.supportVectorCount());
        if (t.solves().size() == 1) {
            out.printf("objective: %.6f  rho: %.6f  bounded_sv: %d%n", t.solves().get(0).objective(),
                    t.solves().get(0).rho(), t.solves().get(0).boundedSupportVectors());
        }
        out.printf("train_accuracy: %.4f%n", trainAcc);
        out.printf("test_accuracy: %.4f%n", testAcc);
        if (exportDir != null) {
            Files.createDirectories(exportDir);
            LibSvmWriter.write(exportDir.resolve("train.libsvm"), xTrain, yTrain);
            LibSvmWriter.write(exportDir.resolve("test.libsvm"), xTest, yTest);
            org.kernels4j.io.AtomicFiles.writeString(exportDir.resolve("ours.txt"), String.format(java.util.Locale.ROOT,
                    "seconds %.4f%ntest_accuracy %.6f%nsupport_vectors %d%ngamma %s%nc %s%n", seconds, testAcc,
                    m.supportVectorCount(), Double.isNaN(gamma) ? "" : Double.toString(gamma), c));
        }
        return 0;
    }

}
