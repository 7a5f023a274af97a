package org.kernels4j.bench;

import org.kernels4j.gp.BayesianGaussianProcess;
import org.kernels4j.gp.BayesianGaussianProcessModel;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.model.FitReport;

/**
 * {@code bench bayesian-gp}: fully Bayesian GP regression on Friedman-1 data (normalized target):
 * HMC's wall-clock time per effective sample of the slowest-mixing hyperparameter (the smallest
 * bulk ESS), next to one evidence evaluation's time (the unit every sampler pays) and, optionally,
 * mean-field VI's time and ELBO on the same data. Sampling time includes the fit of the prediction
 * draws. Wall-clock seconds of one run, no warm-up run (each fit performs thousands of evaluations).
 */
public final class BayesianGpBenchmark {
    /**
     * What to run.
     *
     * @param kernel the prior kernel (its values centre the log-normal priors)
     * @param n training rows
     * @param d features (≥ 5)
     * @param chains HMC chains
     * @param warmup warm-up iterations per chain
     * @param draws kept draws per chain
     * @param leapfrogSteps leapfrog steps per trajectory
     * @param viIterations mean-field VI iterations (0: skip VI)
     */
    public record Options(Kernel kernel, int n, int d, int chains, int warmup, int draws, int leapfrogSteps,
            int viIterations) {
    }

    /**
     * The measurements.
     *
     * @param evidenceSeconds one GP evidence with gradient (median of 5)
     * @param hmcSeconds HMC fit, s
     * @param gradientEvaluations chains·(warmup + draws)·L, the nominal count
     * @param minEss the smallest bulk ESS over the hyperparameters
     * @param maxRHat the largest split R̂
     * @param acceptance HMC's mean acceptance probability after warm-up
     * @param divergences divergent transitions after warm-up
     * @param secondsPerEffectiveSample hmcSeconds / minEss
     * @param viSeconds mean-field VI fit, s (NaN when skipped)
     * @param elbo its ELBO (NaN when skipped)
     * @param names the hyperparameters
     * @param ess their ESS
     */
    public record Result(double evidenceSeconds, double hmcSeconds, long gradientEvaluations, double minEss,
            double maxRHat, double acceptance, long divergences, double secondsPerEffectiveSample, double viSeconds,
            double elbo, java.util.List<String> names, double[] ess) {
    }

    private BayesianGpBenchmark() {
    }

    /** Runs the benchmark (seeded: data 3000 + n, sampler 1). */
    public static Result run(Options o) {
        SyntheticData.Regression data = SyntheticData.friedman1(o.n(), o.d(), 1.0, 3000 + o.n());
        double[] evidence = new double[5];
        GaussianProcess gp = GaussianProcess.builder(o.kernel()).normalizeTargets(true).build();
        for (int i = 0; i < evidence.length; i++) {
            long t = System.nanoTime();
            gp.evidence(data.x(), data.y());
            evidence[i] = (System.nanoTime() - t) / 1e9;
        }
        java.util.Arrays.sort(evidence);
        long t0 = System.nanoTime();
        BayesianGaussianProcessModel hmc = BayesianGaussianProcess.builder(o.kernel()).normalizeTargets(true)
                .chains(o.chains()).warmup(o.warmup()).draws(o.draws()).leapfrogSteps(o.leapfrogSteps()).seed(1).build()
                .fit(data.x(), data.y());
        double hmcSeconds = (System.nanoTime() - t0) / 1e9;
        FitReport r = hmc.report();
        double[] ess = r.numbers("ess");
        double minEss = java.util.Arrays.stream(ess).min().orElse(Double.NaN);
        double maxRHat = java.util.Arrays.stream(r.numbers("r_hat")).max().orElse(Double.NaN);
        double viSeconds = Double.NaN;
        double elbo = Double.NaN;
        if (o.viIterations() > 0) {
            long t1 = System.nanoTime();
            BayesianGaussianProcessModel vi = BayesianGaussianProcess.builder(o.kernel()).normalizeTargets(true)
                    .method(BayesianGaussianProcess.Method.MEAN_FIELD_VI).iterations(o.viIterations()).seed(1).build()
                    .fit(data.x(), data.y());
            viSeconds = (System.nanoTime() - t1) / 1e9;
            elbo = vi.report().number("elbo");
        }
        return new Result(evidence[2], hmcSeconds, (long) o.chains() * (o.warmup() + o.draws()) * o.leapfrogSteps(),
                minEss, maxRHat, r.number("acceptance_rate"), (long) r.number("divergences"), hmcSeconds / minEss,
                viSeconds, elbo, hmc.parameterNames(), ess);
    }
}
