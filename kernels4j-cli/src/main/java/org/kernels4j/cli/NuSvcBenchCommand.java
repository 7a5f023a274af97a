package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bench.NuSvcBenchmark;
import org.kernels4j.bench.SvmBenchmark;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.svm.SupportVectorMachine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "nusvc", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time nu-SVC training (RBF kernel) on seeded synthetic two-class data or on a labelled file, "
                + "and report accuracy on a held-out part.",
            "Without --kernel the RBF gamma is scikit-learn's 'scale', 1/(d·Var(X_train)), printed so peers can use it.",
            "With --export-dir, writes train.libsvm, test.libsvm and ours.txt for bench/nusvc_peer.sh (LIBSVM's "
                    + "svm-train -s 1 and kernlab's ksvm(type=\"nu-svc\") on the same rows)."})
/** {@code kernels4j bench nusvc}: parses options, runs {@link NuSvcBenchmark} and prints its result. */
final class NuSvcBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", defaultValue = "10000", description = "Synthetic training rows (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--test", defaultValue = "2000", description = "Synthetic held-out rows (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--nu", defaultValue = "0.5", description = "nu in (0, 1] (default: ${DEFAULT-VALUE}).")
    double nu;

    @Option(names = "--tol", defaultValue = "0.001", description = "Stopping tolerance (default: ${DEFAULT-VALUE}).")
    double tol;

    @Option(names = "--cache-mb", defaultValue = "512", description = "Kernel row cache, MiB (default: ${DEFAULT-VALUE}).")
    long cacheMb;

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
        NuSvcBenchmark.Result r = NuSvcBenchmark.run(new NuSvcBenchmark.Options(split,
                kernel == null ? null : KernelSpec.parse(kernel), nu, tol, cacheMb, export.dir));
        var out = spec.commandLine().getOut();
        out.printf("nusvc %s train=%d test=%d d=%d kernel=%s nu=%s tol=%s cache=%dMB threads=%d%n", r.data(),
                r.trainRows(), r.testRows(), r.d(), r.kernel(), nu, tol, cacheMb, r.threads());
        out.printf("fit_seconds: %.3f%n", r.fitSeconds());
        out.printf("support_vectors: %d%n", r.model().supportVectorCount());
        if (r.model().solves().size() == 1) {
            SupportVectorMachine.Solve s = r.model().solves().get(0);
            out.printf("objective: %.6f  rho: %.6f  bounded_sv: %d  smo_steps: %d%n", s.objective(), s.rho(),
                    s.boundedSupportVectors(), s.iterations());
        }
        out.printf("train_accuracy: %.4f%n", r.trainAccuracy());
        out.printf("test_accuracy: %.4f%n", r.testAccuracy());
        return 0;
    }
}
