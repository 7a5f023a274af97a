package org.kernels4j.gp;

import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.TrainingData;

/**
 * Gaussian process regression with a non-Gaussian likelihood: prior f ~ GP(0, k), observations
 * y_i ~ p(y | f(x_i)) with {@link Likelihood#poisson()} counts, {@link Likelihood#studentT} (robust)
 * noise, or {@link Likelihood#gaussian} noise (where every method is exact, for checking). The
 * posterior is approximated by a Gaussian q(f) = N(μ, Σ) with {@link InferenceMethod} Laplace, EP
 * or CVI, in the site form Σ = (K⁻¹ + diag τ)⁻¹, μ = Σν; with {@link Builder#optimize} the kernel's
 * hyperparameters first maximize the {@link HyperparameterObjective} (the ELBO, the EP-like
 * estimate of Li, John &amp; Solin 2023, or the method's evidence). Binary classification goes
 * through {@link GaussianProcessClassifier}, which shares this machinery; this class is for
 * regression-type likelihoods.
 *
 * <p>Prediction: latent mean k*ᵀα and variance k** − ‖L⁻¹Sk*‖² (L the factor of I + SKS), and the
 * predictive mean of an observation E[y*] = ∫E[y | f]·N(f; mean, var) df: the mean for Gaussian and
 * Student-t, e^(mean + var/2) for Poisson. Cost: each Newton step n³/3 flops, each EP sweep or CVI step 2n³/3;
 * finite-difference gradients (see {@link GaussianProcessClassifier}) 2 inference runs per
 * hyperparameter per evaluation.
 *
 * <pre>{@code
 * LatentGaussianProcessModel m = LatentGaussianProcess.builder(kernel).likelihood(Likelihood.poisson())
 *         .inference(InferenceMethod.EP).build().fit(x, counts);
 * Matrix rate = m.predict(xTest);
 * }</pre>
 */
public final class LatentGaussianProcess implements Estimator<LatentGaussianProcessModel> {
    private final Kernel kernel;
    private final Likelihood likelihood;
    private final InferenceMethod inference;
    private final HyperparameterObjective objective;
    private final HyperparameterSearch search;
    private final int maxIterations;
    private final double damping;
    private final double stepSize;

    private LatentGaussianProcess(Builder b) {
        this.kernel = b.kernel;
        this.likelihood = b.likelihood;
        this.inference = b.inference;
        this.objective = b.objective;
        this.search = b.search;
        this.maxIterations = b.maxIterations;
        this.damping = b.damping;
        this.stepSize = b.stepSize;
    }

    /**
     * Starts a builder; defaults: no likelihood (required), EP, objective the method's evidence, at
     * most 200 iterations, EP damping 0.5, CVI step 0.5, no search.
     */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private Likelihood likelihood;
        private InferenceMethod inference = InferenceMethod.EP;
        private HyperparameterObjective objective = HyperparameterObjective.EVIDENCE;
        private HyperparameterSearch search;
        private int maxIterations = 200;
        private double damping = 0.5;
        private double stepSize = 0.5;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("a latent Gaussian process needs a kernel");
            }
            this.kernel = kernel;
        }

        /** The observation model (required). */
        public Builder likelihood(Likelihood value) {
            this.likelihood = value;
            return this;
        }

        /** The posterior approximation (default EP). */
        public Builder inference(InferenceMethod value) {
            this.inference = value;
            return this;
        }

        /** What {@link #optimize} maximizes (default the method's own evidence). */
        public Builder objective(HyperparameterObjective value) {
            this.objective = value;
            return this;
        }

        /** Learn the kernel's hyperparameters with this search before the final fit. */
        public Builder optimize(HyperparameterSearch value) {
            this.search = value;
            return this;
        }

        /** Newton steps, EP sweeps or CVI steps at most (≥ 1). */
        public Builder maxIterations(int limit) {
            this.maxIterations = limit;
            return this;
        }

        /** EP damping δ ∈ (0, 1] (default 0.5). */
        public Builder damping(double value) {
            this.damping = value;
            return this;
        }

        /** CVI step β ∈ (0, 1] (default 0.5). */
        public Builder stepSize(double value) {
            this.stepSize = value;
            return this;
        }

        /** @throws Kernels4jException for a missing likelihood, a Bernoulli one, or an option out of range */
        public LatentGaussianProcess build() {
            if (likelihood == null) {
                throw new Kernels4jException("a latent Gaussian process needs a likelihood (poisson, student-t or gaussian)");
            }
            if (likelihood.isBernoulli()) {
                throw new Kernels4jException("the " + likelihood.toSpec() + " likelihood is for classification: use "
                        + "GaussianProcessClassifier (fit --model gpc)");
            }
            if (inference == null || objective == null) {
                throw new Kernels4jException("the inference method and the objective must not be null");
            }
            if (maxIterations < 1) {
                throw new Kernels4jException("the iteration limit must be >= 1, got " + maxIterations);
            }
            if (!(damping > 0 && damping <= 1) || !(stepSize > 0 && stepSize <= 1)) {
                throw new Kernels4jException("the EP damping and the CVI step must lie in (0, 1], got " + damping
                        + " and " + stepSize);
            }
            return new LatentGaussianProcess(this);
        }
    }

    /**
     * Fits on x (n×d) and one column of observations y (n×1) valid for the likelihood.
     *
     * @throws Kernels4jException for a shape mismatch, more than one output column, or an observation
     *     the likelihood rejects (e.g. a negative or fractional count for Poisson)
     */
    @Override
    public LatentGaussianProcessModel fit(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        if (y.cols() != 1) {
            throw new Kernels4jException("a latent Gaussian process takes one target column, got " + y.cols());
        }
        double[] obs = y.column(0);
        likelihood.validate(obs);
        LatentInference.Problems work = new LatentInference.Problems(x, new double[][] {obs}, likelihood,
                new LatentInference.Options(inference, maxIterations, damping, stepSize, 1e-6), objective);
        Kernel fitted = kernel;
        HyperparameterSearch.Result learned = null;
        if (search != null) {
            learned = search.maximize(kernel, work::evaluate);
            fitted = learned.kernel();
        }
        LatentInference.Result r = work.fit(fitted, GramEngine.gram(fitted, x))[0];
        LatentInference.Posterior p = r.posterior();
        double value = LatentInference.objective(r, obs, likelihood, inference, objective);
        return new LatentGaussianProcessModel(fitted, likelihood, inference, objective, x.copy(),
                new GaussianProcessClassifier.Binary(p.mean(), p.alpha(), p.sqrtTau(), p.lower(), value, r.iterations()),
                r.converged(), LatentInference.elbo(p, obs, likelihood), LatentInference.epEstimate(p, obs, likelihood),
                learned);
    }
}
