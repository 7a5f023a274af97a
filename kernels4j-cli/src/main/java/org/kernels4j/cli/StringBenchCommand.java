package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bench.StringKernelBenchmark;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "string", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time the normalized spectrum-kernel Gram matrix of --n random DNA strings of length --length "
                + "against a NumPy/SciPy port of the scikit-learn route (CountVectorizer character k-grams, X X').",
            "The peer is bench/spectrum_port.py run with --python; the two Gram matrices are compared in the same run. "
                + "--python none skips it."})
final class StringBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", defaultValue = "2000", description = "Strings (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--length", defaultValue = "200", description = "Characters per string (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--k", defaultValue = "5", description = "k-mer length (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--reps", defaultValue = "3", description = "Timed runs per side, the least kept "
            + "(default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--seed", defaultValue = "1", description = "Data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--python", defaultValue = "python3", paramLabel = "EXE|none", description = "Interpreter "
            + "for the peer, or none (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--script", defaultValue = "bench/spectrum_port.py", paramLabel = "FILE", description = "The "
            + "peer script (default: ${DEFAULT-VALUE}).")
    Path script;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the strings and the peer's Gram matrix go "
            + "(default: a new temporary directory).")
    Path workDir;

    @Override
    public Integer call() throws IOException {
        if (n < 2 || length < 1 || k < 1 || k > length || reps < 1) {
            throw new UsageException("need --n >= 2, 1 <= --k <= --length and --reps >= 1");
        }
        boolean peer = !python.equalsIgnoreCase("none");
        if (peer && !Files.isRegularFile(script)) {
            throw new Kernels4jException("no peer script at " + script + " (run from the repository root, pass "
                    + "--script, or --python none)");
        }
        Limits.requireSquareMatrix("the string-kernel benchmark", n, "take a smaller --n");
        Path work = workDir != null ? workDir : Files.createTempDirectory("string-bench");
        var out = spec.commandLine().getOut();
        out.printf("string n=%d length=%d k=%d reps=%d threads=%d%n", n, length, k, reps, Parallelism.threads());
        out.flush();
        StringKernelBenchmark.Result r = StringKernelBenchmark.run(new StringKernelBenchmark.Options(n, length, k, reps,
                seed, peer ? python : null, script, work), line -> {
                    out.println("  " + line);
                    out.flush();
                });
        out.printf(Locale.ROOT, "kernels4j_seconds: %.3f%n", r.oursSeconds());
        if (peer) {
            out.printf(Locale.ROOT, "peer_seconds: %.3f%n", r.peerSeconds());
            out.printf(Locale.ROOT, "speedup (peer/kernels4j): %.2f%n", r.speedup());
            out.printf(Locale.ROOT, "max_gram_difference: %.3e%n", r.maxDifference());
        }
        return 0;
    }
}
