package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bench.SoftmaxGpcBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kernels4j bench gpc-softmax}: parses options, runs {@link SoftmaxGpcBenchmark} and prints its rows. */
@Command(name = "gpc-softmax", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Three-class GP classification with hyperparameters learned from 1*rbf(length=1), on identical "
                + "rows: kernels4j softmax (Laplace, R&W Algorithm 3.3) and one-vs-rest, and scikit-learn's "
                + "GaussianProcessClassifier (one-vs-rest) run by --python. Seconds are fit + predict, wall clock and the "
                + "process's CPU time.",
            "bench/gpc-softmax.sh installs scikit-learn when missing and runs this."})
final class GpcSoftmaxBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", defaultValue = "2000", description = "Training rows, >= 10 (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--test", defaultValue = "1000", description = "Test rows, >= 1 (default: ${DEFAULT-VALUE}).")
    int test;

    @Option(names = "--seed", defaultValue = "1", description = "Data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--python", defaultValue = "python3", paramLabel = "EXE|none", description = "Interpreter for the "
            + "scikit-learn peer, or none (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--script", defaultValue = "bench/gpc_softmax_peer.py", paramLabel = "FILE", description = "The "
            + "peer script (default: ${DEFAULT-VALUE}).")
    Path script;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the rows for the peer go (default: a new "
            + "temporary directory).")
    Path workDir;

    @Override
    public Integer call() throws IOException {
        if (n < 10 || test < 1) {
            throw new UsageException("--n must be at least 10 and --test at least 1");
        }
        boolean peer = !python.equalsIgnoreCase("none");
        if (peer && !Files.isRegularFile(script)) {
            throw new Kernels4jException("no peer script at " + script + " (run from the repository root, pass --script, "
                    + "or --python none)");
        }
        Limits.requireSquareMatrix("the softmax GP classification benchmark", n, "take a smaller --n");
        Path work = !peer ? null : workDir != null ? workDir : Files.createTempDirectory("gpc-softmax-bench");
        SoftmaxGpcBenchmark.Options o = new SoftmaxGpcBenchmark.Options(n, test, seed, peer ? python : null, script, work);
        var out = spec.commandLine().getOut();
        out.println(SoftmaxGpcBenchmark.describe(o));
        out.printf("%-18s %9s %9s %9s %9s  %s%n", "method", "seconds", "cpu_sec", "log_loss", "accuracy", "learned kernel");
        out.flush();
        SoftmaxGpcBenchmark.run(o, r -> {
            out.printf(Locale.ROOT, "%-18s %9.2f %9.2f %9.4f %9.4f  %s%n", r.method(), r.seconds(), r.cpuSeconds(),
                    r.logLoss(), r.accuracy(), r.kernel());
            out.flush();
        });
        return 0;
    }
}
