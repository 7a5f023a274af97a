package org.kernels4j.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.bench.StructuredGpBenchmark;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kernels4j bench structured-gp}: parses options, runs {@link StructuredGpBenchmark} and prints its rows. */
@Command(name = "structured-gp", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time the state-space GP's log marginal likelihood and gradient for each --ss-n (with the fitted "
                + "slope of log time against log n), the grid GP's on a --grid x --grid grid, and the grid and dense GP's "
                + "on a --dense-grid x --dense-grid grid (same value)."})
final class StructuredGpBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--ss-n", defaultValue = "10000,31623,100000,316228,1000000", split = ",",
            description = "State-space sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> ssSizes;

    @Option(names = "--ss-kernel", defaultValue = "matern(nu=1.5, length=0.5)",
            description = "State-space kernel spec (default: ${DEFAULT-VALUE}).")
    String ssKernel;

    @Option(names = "--grid", defaultValue = "300", description = "Grid GP side, 0 skips (default: ${DEFAULT-VALUE}).")
    int gridSide;

    @Option(names = "--dense-grid", defaultValue = "60", description = "Side of the grid the dense GP also runs on, 0 "
            + "skips (default: ${DEFAULT-VALUE}).")
    int denseSide;

    @Option(names = "--missing", defaultValue = "0", description = "Cells dropped from the --grid grid (default: "
            + "${DEFAULT-VALUE}).")
    int missing;

    @Option(names = "--seed", defaultValue = "1", description = "Data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--reps", defaultValue = "1", description = "Timed runs; the least time is printed (default: "
            + "${DEFAULT-VALUE}).")
    int reps;

    @Override
    public Integer call() {
        if (ssSizes.stream().anyMatch(n -> n < 2) || gridSide < 0 || gridSide == 1 || denseSide < 0 || denseSide == 1
                || missing < 0 || missing >= Math.max(1, gridSide * gridSide) || reps < 1) {
            throw new UsageException("every --ss-n must be at least 2, --grid and --dense-grid 0 or at least 2, "
                    + "--missing at least 0 and below the grid's cells, --reps at least 1");
        }
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "structured-gp ss_n=%s ss_kernel=%s grid=%d dense_grid=%d missing=%d seed=%d reps=%d "
                + "threads=%d%n", ssSizes, ssKernel, gridSide, denseSide, missing, seed, reps, Parallelism.threads());
        out.printf("%-9s %9s %10s %10s %20s %12s%n", "method", "n", "seconds", "cpu_s", "log_likelihood", "rel_diff");
        out.flush();
        StructuredGpBenchmark.Result r = StructuredGpBenchmark.run(new StructuredGpBenchmark.Options(
                ssSizes.stream().mapToInt(Integer::intValue).toArray(), ssKernel, gridSide, denseSide, missing, seed,
                reps), row -> {
                    out.printf(Locale.ROOT, "%-9s %9d %10.4f %10s %20.10g %12s%n", row.method(), row.n(), row.seconds(),
                            Double.isNaN(row.cpuSeconds()) ? "-" : String.format(Locale.ROOT, "%.4f", row.cpuSeconds()),
                            row.logLikelihood(), Double.isNaN(row.relativeDifference()) ? "-"
                                    : String.format(Locale.ROOT, "%.2e", row.relativeDifference()));
                    out.flush();
                });
        if (!Double.isNaN(r.stateSpaceSlope())) {
            out.printf(Locale.ROOT, "state-space slope of log time vs log n: %.3f CPU, %.3f wall (1 = linear)%n",
                    r.stateSpaceSlope(), r.stateSpaceWallSlope());
        }
        return 0;
    }
}
