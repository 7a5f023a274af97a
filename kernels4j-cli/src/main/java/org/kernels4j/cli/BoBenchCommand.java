package org.kernels4j.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.bench.BayesianOptimizationBenchmark;
import org.kernels4j.bo.Acquisition;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kernels4j bench bo}: parses options, runs {@link BayesianOptimizationBenchmark} and prints its rows. */
@Command(name = "bo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Bayesian optimization (GP, Matern-5/2 ARD, learned hyperparameters) against uniform random "
                + "search on Branin, Hartmann-6 and Ackley: median over --seeds of the gap between the best value "
                + "found and the known minimum, every 10 evaluations, and the seeds on which BO ends ahead.",
            "Then the wall time of one proposal (ask) at --proposal-n Hartmann-6 observations in 6 dimensions, "
                + "with the hyperparameters learned from scratch (cold) and warm-started from the previous fit."})
final class BoBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--budget", defaultValue = "50", description = "Evaluations per run, >= 10 (default: ${DEFAULT-VALUE}).")
    int budget;

    @Option(names = "--seeds", defaultValue = "10", description = "Runs per function and method (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--ackley-d", defaultValue = "5", description = "Ackley's dimension (default: ${DEFAULT-VALUE}).")
    int ackleyDims;

    @Option(names = "--acquisition", defaultValue = "ei", description = "ei, pi, ucb, kg or nei (default: ${DEFAULT-VALUE}).")
    String acquisition;

    @Option(names = "--proposal-n", defaultValue = "200", description = "Observations before the timed proposal; 0 "
            + "skips it (default: ${DEFAULT-VALUE}).")
    int proposalN;

    @Option(names = "--reps", defaultValue = "3", description = "Timed proposals; the least is printed (default: "
            + "${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--functions", defaultValue = "branin,hartmann6,ackley", split = ",",
            description = "Test functions to compare on (default: ${DEFAULT-VALUE}).")
    java.util.List<String> functions;

    @Option(names = "--skip-comparison", description = "Only time the proposal.")
    boolean skipComparison;

    @Override
    public Integer call() {
        if (budget < 10 || seeds < 1 || ackleyDims < 1 || proposalN < 0 || proposalN == 1 || reps < 1) {
            throw new UsageException("--budget must be >= 10, --seeds, --ackley-d and --reps >= 1, --proposal-n 0 or >= 2");
        }
        Acquisition acq = UsageException.of(() -> Acquisition.parse(acquisition));
        for (String f : functions) {
            if (!java.util.List.of("branin", "hartmann6", "ackley").contains(f)) {
                throw new UsageException("--functions takes branin, hartmann6 and ackley, got " + f);
            }
        }
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "bo budget=%d seeds=%d ackley_d=%d acquisition=%s proposal_n=%d reps=%d threads=%d%n",
                budget, seeds, ackleyDims, acq, proposalN, reps, Parallelism.threads());
        out.flush();
        if (!skipComparison) {
            out.printf("%-10s %6s %14s %14s%n", "function", "evals", "bo_median_gap", "random_median_gap");
            BayesianOptimizationBenchmark.compare(new BayesianOptimizationBenchmark.Options(budget, seeds, ackleyDims,
                    acq, proposalN, reps, functions), r -> {
                        for (int c = 0; c < r.checkpoints().length; c++) {
                            out.printf(Locale.ROOT, "%-10s %6d %14.6g %14.6g%n", r.function(), r.checkpoints()[c],
                                    r.boMedianGap()[c], r.randomMedianGap()[c]);
                        }
                        out.printf(Locale.ROOT, "%-10s BO ahead of random search on %d of %d seeds; BO runs took %.1f s%n",
                                r.function(), r.boWins(), r.seeds(), r.seconds());
                        out.flush();
                    });
        }
        if (proposalN > 0) {
            BayesianOptimizationBenchmark.Proposal p = BayesianOptimizationBenchmark.proposal(proposalN, reps, acq);
            out.printf(Locale.ROOT, "proposal at n=%d d=%d: cold %.3f s, warm-started %.3f s (CPU of the calling "
                    + "thread: %.3f s, %.3f s)%n", p.observations(), p.dims(), p.coldSeconds(), p.warmSeconds(),
                    p.coldCpuSeconds(), p.warmCpuSeconds());
        }
        return 0;
    }
}
