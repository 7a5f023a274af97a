package org.kernels4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bench.ReadBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "read", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time the CSV and LibSVM readers on seeded synthetic files (MB/s of file), against NumPy's "
                + "loadtxt and scikit-learn's load_svmlight_file on the same files in the same run.",
            "The peer is bench/read_peer.py run with --python; --python none skips it."})
final class ReadBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--rows", defaultValue = "100000", description = "Rows (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--cols", defaultValue = "20", description = "Features (default: ${DEFAULT-VALUE}).")
    int cols;

    @Option(names = "--density", defaultValue = "0.3", description = "Fraction of nonzero features in the LibSVM "
            + "file (default: ${DEFAULT-VALUE}).")
    double density;

    @Option(names = "--reps", defaultValue = "3", description = "Timed reads per side, the least kept "
            + "(default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--seed", defaultValue = "1", description = "Data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", paramLabel = "EXE|none", description = "Interpreter "
            + "with NumPy and scikit-learn for the peer, or none (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--script", defaultValue = "bench/read_peer.py", paramLabel = "FILE", description = "The "
            + "peer script (default: ${DEFAULT-VALUE}).")
    Path script;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the files go (default: a new temporary "
            + "directory).")
    Path workDir;

    @Override
    public Integer call() throws java.io.IOException {
        if (rows < 1 || cols < 1 || reps < 1 || !(density > 0 && density <= 1)) {
            throw new UsageException("need --rows, --cols, --reps >= 1 and --density in (0, 1]");
        }
        boolean peer = !python.equalsIgnoreCase("none");
        if (peer && !Files.isRegularFile(script)) {
            throw new Kernels4jException("no peer script at " + script + " (run from the repository root, pass "
                    + "--script, or --python none)");
        }
        Path work = workDir != null ? workDir : Files.createTempDirectory("read-bench");
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "read rows=%d cols=%d density=%s reps=%d%n", rows, cols, density, reps);
        out.printf("%-7s %10s %10s %10s %10s %10s %9s %12s%n", "format", "MB", "seconds", "MB/s", "peer_s", "peer_MB/s",
                "speedup", "max_diff");
        for (ReadBenchmark.Row r : ReadBenchmark.run(new ReadBenchmark.Options(rows, cols, density, work, reps, seed,
                peer ? python : null, script))) {
            out.printf(Locale.ROOT, "%-7s %10.1f %10.3f %10.1f %10.3f %10.1f %9.2f %12.2e%n", r.format(), r.bytes() / 1e6,
                    r.seconds(), r.megabytesPerSecond(), r.peerSeconds(), r.bytes() / 1e6 / r.peerSeconds(),
                    r.speedup(), r.peerMaxDifference());
        }
        return 0;
    }
}
