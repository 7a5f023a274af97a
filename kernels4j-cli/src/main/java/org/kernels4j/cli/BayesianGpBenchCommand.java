package org.kernels4j.cli;

import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bench.BayesianGpBenchmark;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench bayesian-gp}: options in, {@link BayesianGpBenchmark}'s record out. */
@Command(name = "bayesian-gp", mixinStandardHelpOptions = true,
        description = {"Time fully Bayesian GP regression (HMC over the hyperparameters) per effective sample on "
                + "Friedman-1 data, with one evidence evaluation's time and optionally mean-field VI's."})
final class BayesianGpBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", defaultValue = "500", description = "Training size (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--d", defaultValue = "5", description = "Features, >= 5 (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--kernel", defaultValue = "1*rbf(length=1) + white(noise=0.1)",
            description = "Prior kernel (default: ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--chains", defaultValue = "2", description = "HMC chains (default: ${DEFAULT-VALUE}).")
    int chains;

    @Option(names = "--warmup", defaultValue = "100", description = "Warm-up per chain (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--draws", defaultValue = "100", description = "Kept draws per chain (default: ${DEFAULT-VALUE}).")
    int draws;

    @Option(names = "--leapfrog", defaultValue = "10", description = "Leapfrog steps (default: ${DEFAULT-VALUE}).")
    int leapfrog;

    @Option(names = "--vi-iterations", defaultValue = "0", description = "Mean-field VI iterations (0: skip; "
            + "default: ${DEFAULT-VALUE}).")
    int viIterations;

    @Override
    public Integer call() {
        if (n < 2 || d < 5) {
            throw new UsageException("--n must be >= 2 and --d >= 5");
        }
        var k = KernelSpec.parse(kernel);
        var out = spec.commandLine().getOut();
        out.printf("bayesian-gp %s n=%d d=%d chains=%d warmup=%d draws=%d leapfrog=%d threads=%d%n", k.toSpec(), n, d,
                chains, warmup, draws, leapfrog, Parallelism.threads());
        BayesianGpBenchmark.Result r = BayesianGpBenchmark.run(new BayesianGpBenchmark.Options(k, n, d, chains, warmup,
                draws, leapfrog, viIterations));
        out.printf("evidence_seconds: %.4f (one evaluation with gradient, median of 5)%n", r.evidenceSeconds());
        out.printf("hmc_seconds: %.2f (%d gradient evaluations nominal, %.4f s each)%n", r.hmcSeconds(),
                r.gradientEvaluations(), r.hmcSeconds() / r.gradientEvaluations());
        for (int p = 0; p < r.names().size(); p++) {
            out.printf("ess %-20s %.1f%n", r.names().get(p), r.ess()[p]);
        }
        out.printf("hmc_min_ess: %.1f max_r_hat: %.4f acceptance: %.3f divergences: %d%n", r.minEss(), r.maxRHat(),
                r.acceptance(), r.divergences());
        out.printf("hmc_seconds_per_effective_sample: %.4f%n", r.secondsPerEffectiveSample());
        if (viIterations > 0) {
            out.printf("vi_seconds: %.2f elbo: %.4f%n", r.viSeconds(), r.elbo());
        }
        return 0;
    }
}
