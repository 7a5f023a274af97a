package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bench.SvmBenchmark;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.svm.SupportVectorMachine;
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
/** {@code kernels4j bench svm}: parses options, runs {@link SvmBenchmark} and prints its result. */
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

    @Option(names = "--data", paramLabel = "FILE", description = "A labelled file instead (CSV with the target last, "
            + "or LibSVM); a seeded 25%% of its rows are held out and features are standardized on the rest.")
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

    @Mixin
    ExportDirMixin export;

    @Override
    public Integer call() {
        SvmBenchmark.Split split;
        if (data != null) {
            split = SvmBenchmark.Split.holdOut(data.getFileName().toString(),
                    options.options.readWithTarget(data, "-1"), seed);
        } else {
            if (n < 2 || test < 1) {
                throw new UsageException("--n must be >= 2 and --test >= 1");
            }
            split = SvmBenchmark.Split.synthetic(n, test, d, seed);
        }
        SvmBenchmark.Result r = SvmBenchmark.run(new SvmBenchmark.Options(split,
                kernel == null ? null : KernelSpec.parse(kernel), c, cacheMb, workingSet, !noShrinking, export.dir));
        var out = spec.commandLine().getOut();
        out.printf("svm %s train=%d test=%d d=%d kernel=%s C=%s cache=%dMB working_set=%d shrinking=%s threads=%d%n",
                r.data(), r.trainRows(), r.testRows(), r.d(), r.kernel(), c, cacheMb, workingSet, !noShrinking,
                r.threads());
        out.printf("fit_seconds: %.3f%n", r.fitSeconds());
        out.printf("problems: %d  smo_steps: %d  rounds: %d  kernel_rows: %d%n", r.model().solves().size(),
                r.smoSteps(), r.rounds(), r.kernelRows());
        out.printf("support_vectors: %d%n", r.supportVectors());
        if (r.model().solves().size() == 1) {
            SupportVectorMachine.Solve s = r.model().solves().get(0);
            out.printf("objective: %.6f  rho: %.6f  bounded_sv: %d%n", s.objective(), s.rho(), s.boundedSupportVectors());
        }
        out.printf("train_accuracy: %.4f%n", r.trainAccuracy());
        out.printf("test_accuracy: %.4f%n", r.testAccuracy());
        return 0;
    }
}
