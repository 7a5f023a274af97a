package org.kernels4j.gp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;

/**
 * Fully Bayesian Gaussian process regression (Lalchand &amp; Rasmussen, "Approximate inference for
 * fully Bayesian Gaussian process regression", AABI 2020): the kernel's free hyperparameters, in
 * log space z = log θ, get independent normal priors z_j ~ N(μ_j, s_j²) (by default μ_j = log of
 * the kernel's value and s_j = 1, i.e. θ_j within a factor e of it at one standard deviation), and
 * are integrated out instead of optimized:
 * <pre>
 *   log p(z | y) = log p(y | X, θ(z)) + Σ_j log N(z_j; μ_j, s_j²) − log p(y)      (GP evidence, {@link GaussianProcess#evidence})
 *   p(f* | y)    ≈ (1/S)·Σ_s p(f* | y, θ_s)                                       (a mixture of S Gaussian processes)
 *   mean         = (1/S)·Σ_s m_s(x*),   variance = (1/S)·Σ_s (v_s(x*) + m_s(x*)²) − mean²
 * </pre>
 * The draws θ_s come from one of two methods ({@link Method}):
 * <ul>
 *   <li>{@link Method#HMC}: Hamiltonian Monte Carlo on z with a diagonal mass matrix and a fixed
 *       number L of leapfrog steps. Warm-up follows Stan's windows with one slow window: the first 15 % tune
 *       the step size only, the draws of the next 75 % give M⁻¹ = diag of their variance (Stan's regularisation
 *       (k/(k+5))·var + 10⁻³·5/(k+5)), and the last 10 % re-tune the step size for that metric (identity metric
 *       below {@value #MIN_WARMUP_FOR_METRIC} warm-up iterations); the step size is tuned by Nesterov dual averaging
 *       to a target acceptance δ (Hoffman &amp; Gelman 2014, §3.2 and Algorithm 4 for the first step
 *       size: γ = 0.05, t₀ = 10, κ = 0.75, μ = log(10ε₀)); several chains from over-dispersed
 *       starts (the prior mean plus half a prior standard deviation of noise), then split R̂, bulk
 *       effective sample size ({@link ChainDiagnostics}), acceptance rate and divergences (energy
 *       error above 1000 or an indefinite covariance) in the report.</li>
 *   <li>{@link Method#MEAN_FIELD_VI} / {@link Method#FULL_RANK_VI}: a Gaussian q(z) = N(m, CCᵀ) with
 *       C diagonal or lower triangular (positive diagonal through its log), fitted by maximizing
 *       ELBO = E_q[log p(y, z)] + H[q], H = Σ log C_jj + (p/2)(1 + log 2π), with reparameterization
 *       gradients (z = m + Cε: ∇_m = E[g], ∇_C = E[g·εᵀ] + diag(1/C_jj), g = ∇_z log p(y, z)) and Adam,
 *       the iterates of the second half averaged (Polyak–Ruppert). The report has the ELBO, a
 *       Monte-Carlo estimate with its standard error; it is below log p(y) by KL(q ‖ p(z | y)).</li>
 * </ul>
 * Cost: each evaluation of log p(y, z) and its gradient is one GP evidence, O(n³); HMC needs about
 * chains·(warmup + draws)·L of them, VI iterations·gradientSamples + elboSamples; the model then
 * fits {@code predictionDraws} Gaussian processes (O(S·n³) time, O(S·n²) memory).
 *
 * <pre>{@code
 * BayesianGaussianProcessModel m = BayesianGaussianProcess.builder(kernel).noise(1e-4).seed(1).build().fit(x, y);
 * Matrix mean = m.predict(xTest);
 * Matrix var = m.predictiveVariance(xTest);
 * m.report();   // r_hat, ess, acceptance_rate, step_size, divergences (HMC) or elbo, elbo_se (VI)
 * }</pre>
 */
public final class BayesianGaussianProcess implements Estimator<BayesianGaussianProcessModel> {
    /** How the hyperparameters' posterior is approximated. */
    public enum Method {
        /** Hamiltonian Monte Carlo with dual-averaging step size. */
        HMC,
        /** Gaussian variational inference with a diagonal covariance. */
        MEAN_FIELD_VI,
        /** Gaussian variational inference with a full covariance. */
        FULL_RANK_VI
    }

    private final Kernel kernel;
    private final double noise;
    private final boolean normalizeTargets;
    private final Method method;
    private final Map<String, double[]> priors;
    private final double priorScale;
    private final Set<String> fixed;
    private final int chains;
    private final int warmup;
    private final int draws;
    private final int leapfrogSteps;

    /** Below this many warm-up iterations HMC keeps the identity metric (too few draws to estimate variances). */
    static final int MIN_WARMUP_FOR_METRIC = 20;
    private final double targetAcceptance;
    private final int iterations;
    private final int gradientSamples;
    private final double learningRate;
    private final int elboSamples;
    private final int predictionDraws;
    private final long seed;

    private BayesianGaussianProcess(Builder b) {
        this.kernel = b.kernel;
        this.noise = b.noise;
        this.normalizeTargets = b.normalizeTargets;
        this.method = b.method;
        this.priors = Map.copyOf(b.priors);
        this.priorScale = b.priorScale;
        this.fixed = Set.copyOf(b.fixed);
        this.chains = b.chains;
        this.warmup = b.warmup;
        this.draws = b.draws;
        this.leapfrogSteps = b.leapfrogSteps;
        this.targetAcceptance = b.targetAcceptance;
        this.iterations = b.iterations;
        this.gradientSamples = b.gradientSamples;
        this.learningRate = b.learningRate;
        this.elboSamples = b.elboSamples;
        this.predictionDraws = b.predictionDraws;
        this.seed = b.seed;
    }

    /**
     * Starts a builder; defaults: HMC with 4 chains of 200 warm-up and 200 kept draws, 10 leapfrog
     * steps, δ = 0.8; VI with 400 iterations of 4 gradient samples, learning rate 0.05, 100 ELBO
     * samples; 20 prediction draws; priors N(log θ, 1); noise 1e-10; seed 0.
     */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private double noise = 1e-10;
        private boolean normalizeTargets;
        private Method method = Method.HMC;
        private final Map<String, double[]> priors = new LinkedHashMap<>();
        private double priorScale = 1;
        private final Set<String> fixed = new LinkedHashSet<>();
        private int chains = 4;
        private int warmup = 200;
        private int draws = 200;
        private int leapfrogSteps = 10;
        private double targetAcceptance = 0.8;
        private int iterations = 400;
        private int gradientSamples = 4;
        private double learningRate = 0.05;
        private int elboSamples = 100;
        private int predictionDraws = 20;
        private long seed;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("a Bayesian Gaussian process needs a kernel");
            }
            this.kernel = kernel;
        }

        /** The fixed noise variance σ² ≥ 0 (learn noise by putting {@code white(noise=…)} in the kernel). */
        public Builder noise(double value) {
            this.noise = value;
            return this;
        }

        /** Centre and scale each output to unit variance before fitting (as {@link GaussianProcess}). */
        public Builder normalizeTargets(boolean on) {
            this.normalizeTargets = on;
            return this;
        }

        /** HMC (default) or Gaussian VI. */
        public Builder method(Method value) {
            this.method = value;
            return this;
        }

        /** The prior log θ ~ N(mean, sd²) for the hyperparameter with this name (e.g. {@code rbf.length}); sd &gt; 0. */
        public Builder prior(String name, double mean, double sd) {
            priors.put(name, new double[] {mean, sd});
            return this;
        }

        /** The standard deviation s of the default priors N(log θ_kernel, s²), s &gt; 0. */
        public Builder priorScale(double sd) {
            this.priorScale = sd;
            return this;
        }

        /** Holds the hyperparameter with this name at the kernel's value. */
        public Builder fix(String name) {
            fixed.add(name);
            return this;
        }

        /** HMC: number of chains (≥ 1; ≥ 2 for a meaningful R̂). */
        public Builder chains(int count) {
            this.chains = count;
            return this;
        }

        /** HMC: warm-up iterations per chain (step-size adaptation, discarded), ≥ 0. */
        public Builder warmup(int count) {
            this.warmup = count;
            return this;
        }

        /** HMC: kept draws per chain, ≥ 4. */
        public Builder draws(int count) {
            this.draws = count;
            return this;
        }

        /** HMC: leapfrog steps per trajectory, ≥ 1. */
        public Builder leapfrogSteps(int count) {
            this.leapfrogSteps = count;
            return this;
        }

        /** HMC: the acceptance rate δ ∈ (0, 1) that dual averaging aims for. */
        public Builder targetAcceptance(double value) {
            this.targetAcceptance = value;
            return this;
        }

        /** VI: optimizer iterations, ≥ 2. */
        public Builder iterations(int count) {
            this.iterations = count;
            return this;
        }

        /** VI: Monte-Carlo samples per gradient, ≥ 1. */
        public Builder gradientSamples(int count) {
            this.gradientSamples = count;
            return this;
        }

        /** VI: Adam's learning rate, &gt; 0. */
        public Builder learningRate(double value) {
            this.learningRate = value;
            return this;
        }

        /** VI: Monte-Carlo samples for the reported ELBO, ≥ 2. */
        public Builder elboSamples(int count) {
            this.elboSamples = count;
            return this;
        }

        /** How many posterior draws the model keeps as Gaussian processes for prediction, ≥ 1. */
        public Builder predictionDraws(int count) {
            this.predictionDraws = count;
            return this;
        }

        /** The seed of every random choice. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** @throws Kernels4jException for an option out of range, or a prior or fixed name the kernel lacks */
        public BayesianGaussianProcess build() {
            require(noise >= 0 && Double.isFinite(noise), "the noise variance must be >= 0 and finite, got " + noise);
            require(method != null, "the method must be HMC, MEAN_FIELD_VI or FULL_RANK_VI");
            require(priorScale > 0 && Double.isFinite(priorScale), "the prior scale must be > 0 and finite, got " + priorScale);
            List<String> names = kernel.hyperparameters().stream().map(Hyperparameter::name).toList();
            for (var e : priors.entrySet()) {
                require(names.contains(e.getKey()), "prior: the kernel " + kernel.toSpec() + " has no hyperparameter '"
                        + e.getKey() + "'; its hyperparameters are " + (names.isEmpty() ? "none" : String.join(", ", names)));
                double[] p = e.getValue();
                require(Double.isFinite(p[0]) && p[1] > 0 && Double.isFinite(p[1]), "the prior of " + e.getKey()
                        + " needs a finite mean and sd > 0, got N(" + p[0] + ", " + p[1] + "^2)");
            }
            for (String f : fixed) {
                require(names.contains(f), "fix: the kernel " + kernel.toSpec() + " has no hyperparameter '" + f
                        + "'; its hyperparameters are " + (names.isEmpty() ? "none" : String.join(", ", names)));
            }
            require(names.size() > fixed.size(), "the kernel " + kernel.toSpec() + " has no free hyperparameters to "
                    + "integrate over" + (names.isEmpty() ? "" : " (all are fixed)") + "; use GaussianProcess");
            require(chains >= 1, "HMC needs at least 1 chain, got " + chains);
            require(warmup >= 0, "HMC warm-up must be >= 0, got " + warmup);
            require(draws >= 4, "HMC needs at least 4 draws per chain, got " + draws);
            require(leapfrogSteps >= 1, "HMC needs at least 1 leapfrog step, got " + leapfrogSteps);
            require(targetAcceptance > 0 && targetAcceptance < 1, "the target acceptance must be in (0, 1), got "
                    + targetAcceptance);
            require(iterations >= 2, "VI needs at least 2 iterations, got " + iterations);
            require(gradientSamples >= 1, "VI needs at least 1 gradient sample, got " + gradientSamples);
            require(learningRate > 0 && Double.isFinite(learningRate), "the learning rate must be > 0, got " + learningRate);
            require(elboSamples >= 2, "VI needs at least 2 ELBO samples, got " + elboSamples);
            require(predictionDraws >= 1, "at least 1 prediction draw is needed, got " + predictionDraws);
            return new BayesianGaussianProcess(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new Kernels4jException(message);
            }
        }
    }

    /** The prior kernel (its values centre the default priors and fill the fixed parameters). */
    public Kernel kernel() {
        return kernel;
    }

    /** The method. */
    public Method method() {
        return method;
    }

    /** The joint log density log p(y, z) and its gradient in z, over the free hyperparameters. */
    final class Posterior {
        final Matrix x;
        final Matrix y;
        final double[] base;
        final int[] free;
        final String[] names;
        final double[] priorMean;
        final double[] priorSd;

        Posterior(Matrix x, Matrix y) {
            this.x = x;
            this.y = y;
            List<Hyperparameter> hs = kernel.hyperparameters();
            base = hs.stream().mapToDouble(Hyperparameter::value).toArray();
            List<Integer> f = new ArrayList<>();
            for (int p = 0; p < hs.size(); p++) {
                if (!fixed.contains(hs.get(p).name())) {
                    f.add(p);
                }
            }
            free = f.stream().mapToInt(Integer::intValue).toArray();
            names = new String[free.length];
            priorMean = new double[free.length];
            priorSd = new double[free.length];
            for (int i = 0; i < free.length; i++) {
                Hyperparameter h = hs.get(free[i]);
                names[i] = h.name();
                double[] p = priors.get(h.name());
                priorMean[i] = p != null ? p[0] : Math.log(h.value());
                priorSd[i] = p != null ? p[1] : priorScale;
            }
        }

        int dimension() {
            return free.length;
        }

        /** θ for the log-free values z. */
        double[] theta(double[] z) {
            double[] t = base.clone();
            for (int i = 0; i < free.length; i++) {
                t[free[i]] = Math.exp(z[i]);
            }
            return t;
        }

        /** log p(y, z); fills {@code gradient} (may be null); −∞ where the covariance is not positive definite. */
        double logDensity(double[] z, double[] gradient) {
            double lp = 0;
            for (int i = 0; i < z.length; i++) {
                double u = (z[i] - priorMean[i]) / priorSd[i];
                lp += -0.5 * u * u - Math.log(priorSd[i]) - 0.5 * Math.log(2 * Math.PI);
            }
            HyperparameterSearch.Evidence e;
            try {
                double[] t = theta(z);
                for (double v : t) {
                    if (!(v > 0) || Double.isInfinite(v)) {
                        return Double.NEGATIVE_INFINITY;
                    }
                }
                e = GaussianProcess.builder(kernel.withHyperparameters(t)).noise(noise).normalizeTargets(normalizeTargets)
                        .build().evidence(x, y);
            } catch (Kernels4jException notPositiveDefinite) {
                return Double.NEGATIVE_INFINITY;
            }
            if (!Double.isFinite(e.value())) {
                return Double.NEGATIVE_INFINITY;
            }
            if (gradient != null) {
                for (int i = 0; i < z.length; i++) {
                    gradient[i] = e.gradient()[free[i]] - (z[i] - priorMean[i]) / (priorSd[i] * priorSd[i]);
                }
            }
            return lp + e.value();
        }
    }

    /**
     * Draws the hyperparameters from their posterior (or its Gaussian approximation) and keeps
     * {@code predictionDraws} of them as fitted Gaussian processes.
     *
     * @throws Kernels4jException when log p(y | θ) cannot be evaluated at the prior mean (the
     *     covariance is not positive definite there)
     */
    @Override
    public BayesianGaussianProcessModel fit(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        Posterior post = new Posterior(x, y);
        if (Double.isInfinite(post.logDensity(post.priorMean.clone(), null))) {
            throw new Kernels4jException("the GP evidence cannot be evaluated at the prior mean of the hyperparameters of "
                    + kernel.toSpec() + " (is the covariance positive definite? add white(noise=...) or raise the noise)");
        }
        Sampled s = method == Method.HMC ? new HamiltonianSampler(post).run() : new GaussianVariational(post).run();
        int total = s.draws.rows();
        int keep = Math.min(predictionDraws, total);
        Matrix thetas = new Matrix(keep, kernel.hyperparameters().size());
        for (int j = 0; j < keep; j++) {
            int row = (int) ((j + 0.5) * total / keep);
            double[] t = post.theta(s.draws.row(row));
            for (int p = 0; p < t.length; p++) {
                thetas.set(j, p, t[p]);
            }
        }
        List<GaussianProcessModel> members = BayesianGaussianProcessModel.members(kernel, noise, normalizeTargets, x, y,
                thetas);
        FitReport report = FitReport.builder().add("method", method.name().toLowerCase(java.util.Locale.ROOT))
                .add("parameters", String.join(", ", post.names)).addAll(s.report)
                .add("prediction_draws", keep).build();
        return new BayesianGaussianProcessModel(kernel, noise, normalizeTargets, x.copy(), y.copy(), thetas, members,
                List.of(post.names), s.draws, report);
    }

    /** Posterior draws of z (rows) and what the method reports. */
    record Sampled(Matrix draws, FitReport report) {
    }

    /** HMC with dual-averaging step size, several chains run one after another. */
    final class HamiltonianSampler {
        private final Posterior post;

        HamiltonianSampler(Posterior post) {
            this.post = post;
        }

        Sampled run() {
            int p = post.dimension();
            double[][][] kept = new double[p][chains][draws];
            double acceptance = 0;
            int divergences = 0;
            double[] stepSizes = new double[chains];
            double[][] inverseMasses = new double[chains][];
            Random random = new Random(seed);
            for (int c = 0; c < chains; c++) {
                Random r = new Random(random.nextLong());
                double[] z = new double[p];
                double[] g = new double[p];
                double lp = Double.NEGATIVE_INFINITY;
                for (int attempt = 0; attempt < 100 && Double.isInfinite(lp); attempt++) {
                    for (int i = 0; i < p; i++) {
                        z[i] = post.priorMean[i] + (attempt < 99 ? 0.5 * post.priorSd[i] * r.nextGaussian() : 0);
                    }
                    lp = post.logDensity(z, g);
                }
                double[] inverseMass = new double[p];
                java.util.Arrays.fill(inverseMass, 1);
                double eps = firstStepSize(z, lp, g, r, inverseMass);
                double mu = Math.log(10 * eps);
                double hBar = 0;
                double logEpsBar = 0;
                int adaptStart = 0; // the iteration the current dual-averaging run began at
                // Stan's windows, one slow window: a fast start (step size only), a slow window whose draws give the
                // diagonal metric, then a fast end re-tuning the step size for that metric.
                boolean adaptMetric = warmup >= MIN_WARMUP_FOR_METRIC;
                int slowStart = (int) Math.round(0.15 * warmup);
                int slowEnd = warmup - (int) Math.round(0.10 * warmup);
                double[] welfordMean = new double[p];
                double[] welfordM2 = new double[p];
                for (int it = 0; it < warmup + draws; it++) {
                    double[] momentum = new double[p];
                    for (int i = 0; i < p; i++) {
                        momentum[i] = r.nextGaussian() / Math.sqrt(inverseMass[i]);
                    }
                    double h0 = -lp + kinetic(momentum, inverseMass);
                    double[] z1 = z.clone();
                    double[] g1 = g.clone();
                    double lp1 = leapfrog(z1, momentum, g1, lp, eps, leapfrogSteps, inverseMass);
                    double h1 = -lp1 + kinetic(momentum, inverseMass);
                    double a = Double.isFinite(h1) ? Math.min(1, Math.exp(h0 - h1)) : 0;
                    boolean divergent = !Double.isFinite(h1) || h1 - h0 > 1000;
                    if (r.nextDouble() < a) {
                        z = z1;
                        g = g1;
                        lp = lp1;
                    }
                    if (it < warmup) { // Hoffman & Gelman (2014) Algorithm 5, the adaptation part
                        int m = it - adaptStart + 1;
                        double t0 = 10;
                        hBar = (1 - 1 / (m + t0)) * hBar + (targetAcceptance - a) / (m + t0);
                        double logEps = mu - Math.sqrt(m) / 0.05 * hBar;
                        double eta = Math.pow(m, -0.75);
                        logEpsBar = eta * logEps + (1 - eta) * logEpsBar;
                        eps = it == warmup - 1 ? Math.exp(logEpsBar) : Math.exp(logEps);
                        if (adaptMetric && it >= slowStart && it < slowEnd) {
                            int k = it - slowStart + 1;
                            for (int i = 0; i < p; i++) {
                                double delta = z[i] - welfordMean[i];
                                welfordMean[i] += delta / k;
                                welfordM2[i] += delta * (z[i] - welfordMean[i]);
                            }
                            if (it == slowEnd - 1 && k >= 2) {
                                // Stan's regularised sample variance, shrunk towards 1e-3
                                for (int i = 0; i < p; i++) {
                                    double var = welfordM2[i] / (k - 1);
                                    inverseMass[i] = (k / (k + 5.0)) * var + 1e-3 * (5.0 / (k + 5.0));
                                }
                                eps = firstStepSize(z, lp, g, r, inverseMass);
                                mu = Math.log(10 * eps);
                                hBar = 0;
                                logEpsBar = 0;
                                adaptStart = it + 1;
                            }
                        }
                    } else {
                        acceptance += a;
                        divergences += divergent ? 1 : 0;
                        for (int i = 0; i < p; i++) {
                            kept[i][c][it - warmup] = z[i];
                        }
                    }
                }
                stepSizes[c] = eps;
                inverseMasses[c] = inverseMass;
            }
            Matrix out = new Matrix(chains * draws, p);
            double[] rHat = new double[p];
            double[] ess = new double[p];
            for (int i = 0; i < p; i++) {
                for (int c = 0; c < chains; c++) {
                    for (int d = 0; d < draws; d++) {
                        out.set(c * draws + d, i, kept[i][c][d]);
                    }
                }
                rHat[i] = ChainDiagnostics.splitRHat(kept[i]);
                ess[i] = ChainDiagnostics.effectiveSampleSize(kept[i]);
            }
            FitReport report = FitReport.builder().add("chains", chains).add("warmup", warmup).add("draws", draws)
                    .add("leapfrog_steps", leapfrogSteps).add("step_size", stepSizes)
                    .add("inverse_mass_chain_1", inverseMasses[0])
                    .add("acceptance_rate", acceptance / (chains * (double) draws)).add("divergences", divergences)
                    .add("r_hat", rHat).add("ess", ess).build();
            return new Sampled(out, report);
        }

        /**
         * L leapfrog steps from (z, momentum) in place under the diagonal metric M⁻¹ = diag(inverseMass) (position
         * steps ε·M⁻¹·p); returns log p at the end, −∞ if it left the support.
         */
        private double leapfrog(double[] z, double[] momentum, double[] g, double lp, double eps, int steps,
                double[] inverseMass) {
            int p = z.length;
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < p; i++) {
                    momentum[i] += 0.5 * eps * g[i];
                    z[i] += eps * inverseMass[i] * momentum[i];
                }
                lp = post.logDensity(z, g);
                if (Double.isInfinite(lp)) {
                    return lp;
                }
                for (int i = 0; i < p; i++) {
                    momentum[i] += 0.5 * eps * g[i];
                }
            }
            return lp;
        }

        /** Hoffman & Gelman (2014) Algorithm 4: double or halve ε until one step's acceptance crosses ½. */
        private double firstStepSize(double[] z, double lp, double[] g, Random r, double[] inverseMass) {
            double eps = 1;
            int p = z.length;
            int direction = 0;
            for (int k = 0; k < 60; k++) {
                double[] momentum = new double[p];
                for (int i = 0; i < p; i++) {
                    momentum[i] = r.nextGaussian() / Math.sqrt(inverseMass[i]);
                }
                double h0 = -lp + kinetic(momentum, inverseMass);
                double[] z1 = z.clone();
                double[] g1 = g.clone();
                double lp1 = leapfrog(z1, momentum, g1, lp, eps, 1, inverseMass);
                double logRatio = h0 - (-lp1 + kinetic(momentum, inverseMass));
                boolean high = Double.isFinite(logRatio) && logRatio > Math.log(0.5);
                if (direction == 0) {
                    direction = high ? 1 : -1;
                }
                if (direction == 1 && !high || direction == -1 && high) {
                    break;
                }
                eps = direction == 1 ? eps * 2 : eps / 2;
            }
            return eps;
        }
    }

    /** ½·pᵀM⁻¹p for the diagonal metric M⁻¹ = diag(inverseMass). */
    private static double kinetic(double[] momentum, double[] inverseMass) {
        double s = 0;
        for (int i = 0; i < momentum.length; i++) {
            s += inverseMass[i] * momentum[i] * momentum[i];
        }
        return 0.5 * s;
    }

    /** Gaussian VI with reparameterization gradients and Adam. */
    final class GaussianVariational {
        private final Posterior post;

        GaussianVariational(Posterior post) {
            this.post = post;
        }

        Sampled run() {
            int p = post.dimension();
            boolean full = method == Method.FULL_RANK_VI;
            // parameters: m (p), log C_jj (p), then C_ij for i > j row by row (full rank only)
            int offDiagonal = full ? p * (p - 1) / 2 : 0;
            double[] theta = new double[2 * p + offDiagonal];
            for (int i = 0; i < p; i++) {
                theta[i] = post.priorMean[i];
                theta[p + i] = Math.log(0.1 * post.priorSd[i]);
            }
            double[] m1 = new double[theta.length];
            double[] m2 = new double[theta.length];
            double[] average = new double[theta.length];
            int averaged = 0;
            Random r = new Random(seed);
            double[] g = new double[p];
            for (int it = 1; it <= iterations; it++) {
                double[] grad = new double[theta.length];
                double[][] c = factor(theta, p);
                for (int s = 0; s < gradientSamples; s++) {
                    double[] eps = new double[p];
                    double[] z = draw(theta, c, eps, g, r);
                    if (z == null) {
                        throw new Kernels4jException("variational inference: the GP evidence could not be evaluated at "
                                + "100 draws in a row (the covariance is not positive definite); add white(noise=...), "
                                + "raise the noise or narrow the priors");
                    }
                    for (int i = 0; i < p; i++) {
                        grad[i] += g[i] / gradientSamples;
                        grad[p + i] += g[i] * eps[i] * c[i][i] / gradientSamples;
                    }
                    int k = 2 * p;
                    for (int i = 0; i < p && full; i++) {
                        for (int j = 0; j < i; j++) {
                            grad[k++] += g[i] * eps[j] / gradientSamples;
                        }
                    }
                }
                for (int i = 0; i < p; i++) {
                    grad[p + i] += 1; // ∂H/∂log C_ii
                }
                for (int q = 0; q < theta.length; q++) { // Adam, ascending
                    m1[q] = 0.9 * m1[q] + 0.1 * grad[q];
                    m2[q] = 0.999 * m2[q] + 0.001 * grad[q] * grad[q];
                    double mh = m1[q] / (1 - Math.pow(0.9, it));
                    double vh = m2[q] / (1 - Math.pow(0.999, it));
                    theta[q] += learningRate * mh / (Math.sqrt(vh) + 1e-8);
                }
                if (2 * it > iterations) {
                    averaged++;
                    for (int q = 0; q < theta.length; q++) {
                        average[q] += (theta[q] - average[q]) / averaged;
                    }
                }
            }
            theta = average;
            double[][] c = factor(theta, p);
            double entropy = 0.5 * p * (1 + Math.log(2 * Math.PI));
            for (int i = 0; i < p; i++) {
                entropy += theta[p + i];
            }
            double sum = 0;
            double sumSq = 0;
            Matrix out = new Matrix(elboSamples, p);
            for (int s = 0; s < elboSamples; s++) {
                double[] eps = new double[p];
                for (int i = 0; i < p; i++) {
                    eps[i] = r.nextGaussian();
                }
                double[] z = apply(theta, c, eps);
                double lp = post.logDensity(z, null); // −∞ here makes the ELBO −∞, as it should
                sum += lp;
                sumSq += lp * lp;
                for (int i = 0; i < p; i++) {
                    out.set(s, i, z[i]);
                }
            }
            double mean = sum / elboSamples;
            double se = Math.sqrt(Math.max(0, sumSq / elboSamples - mean * mean) / (elboSamples - 1));
            double[] qMean = java.util.Arrays.copyOf(theta, p);
            double[] qCov = new double[p * p];
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) {
                    double v = 0;
                    for (int k = 0; k < p; k++) {
                        v += c[i][k] * c[j][k];
                    }
                    qCov[i * p + j] = v;
                }
            }
            FitReport report = FitReport.builder().add("iterations", iterations).add("gradient_samples", gradientSamples)
                    .add("elbo", mean + entropy).add("elbo_se", se).add("q_mean", qMean).add("q_covariance", qCov).build();
            return new Sampled(out, report);
        }

        /** C from the parameters (lower triangular, positive diagonal). */
        private double[][] factor(double[] theta, int p) {
            double[][] c = new double[p][p];
            int k = 2 * p;
            for (int i = 0; i < p; i++) {
                c[i][i] = Math.exp(theta[p + i]);
                for (int j = 0; j < i && theta.length > 2 * p; j++) {
                    c[i][j] = theta[k++];
                }
            }
            return c;
        }

        private double[] apply(double[] theta, double[][] c, double[] eps) {
            int p = eps.length;
            double[] z = new double[p];
            for (int i = 0; i < p; i++) {
                z[i] = theta[i];
                for (int j = 0; j <= i; j++) {
                    z[i] += c[i][j] * eps[j];
                }
            }
            return z;
        }

        /** A draw z = m + Cε with a finite log p(y, z) (its gradient into g), or null after 100 tries. */
        private double[] draw(double[] theta, double[][] c, double[] eps, double[] g, Random r) {
            for (int attempt = 0; attempt < 100; attempt++) {
                for (int i = 0; i < eps.length; i++) {
                    eps[i] = r.nextGaussian();
                }
                double[] z = apply(theta, c, eps);
                if (Double.isFinite(post.logDensity(z, g))) {
                    return z;
                }
            }
            return null;
        }
    }
}
