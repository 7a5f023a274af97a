package org.kernels4j.gp;

import java.util.Arrays;
import org.kernels4j.model.TrainingData;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;

/**
 * Gaussian process classification; by default with the Laplace approximation (Rasmussen &amp; Williams, 2006,
 * §3.4): prior f ~ GP(0, k), likelihood p(y = 1 | f) = σ(f) = 1/(1 + e^(−f)) with y ∈ {0, 1}.
 *
 * <p>Fitting finds the posterior mode f̂ by Newton's method in the numerically stable form of
 * Algorithm 3.1: with W = diag(π(1 − π)), π = σ(f), B = I + W^½KW^½ = LLᵀ,
 * <pre>
 *   b = W·f + (t − π),   a = b − W^½·L⁻ᵀ·L⁻¹·(W^½·K·b),   f ← K·a
 * </pre>
 * until Ψ(f) = log p(y | f) − ½·aᵀf stops rising (step halving when it falls). The approximate
 * log marginal likelihood is log q(y | X) = Ψ(f̂) − Σ log L_ii. Prediction (Algorithm 3.2):
 * mean f̄* = k*ᵀ(t − π̂), variance V = k(x*, x*) − ‖L⁻¹W^½k*‖², and the class-1 probability
 * p = ∫σ(f)·N(f | f̄*, V) df computed by quadrature to about 1e−14 (Gauss–Hermite for V ≤ 2.25, else
 * the split σ = step − remainder with composite Gauss–Legendre; see
 * {@link GaussianProcessClassifierIntegral}). {@link Builder#approximateProbabilities(boolean)}
 * selects instead the probit approximation σ(f̄* / √(1 + πV/8)) (MacKay, 1992), within about 0.02
 * of p. Cost: each Newton step O(n³/3); prediction O(n²) per point, plus ~64–800 function values
 * per point and problem for the exact probability.
 *
 * <p>More than two classes: one binary classifier per class against the rest (one-vs-rest); the
 * probabilities are p_c / Σ_k p_k, where p_c is the class-c-vs-rest probability above, as
 * scikit-learn's {@code GaussianProcessClassifier} does. So each binary p_c is exact, but the
 * normalized vector is a heuristic combination, not the posterior of a multiclass likelihood.
 * {@link Builder#multiClass}({@link MultiClass#SOFTMAX}) fits instead C latent GPs, one per class,
 * sharing the kernel, under the softmax likelihood p(y = c | f) = exp(f_c)/Σ_k exp(f_k), by the
 * Laplace approximation of R&amp;W Algorithms 3.3 and 3.4 (O(C·n³) per Newton step; class probabilities
 * by Monte Carlo over the C-variate Gaussian predictive, {@link Builder#predictiveSamples} draws from a
 * fixed seed, standard error at most 0.5/√S); with {@link Builder#optimize} the kernel is learned on
 * its Laplace evidence with the analytic gradient.
 *
 * <p>Beyond the default (logit likelihood, Laplace, fixed kernel): {@link Builder#likelihood} picks
 * {@link Likelihood#logit()} or {@link Likelihood#probit()} (then p = Φ(f̄* / √(1 + V)) exactly);
 * {@link Builder#inference} picks {@link InferenceMethod#LAPLACE}, {@link InferenceMethod#EP} or
 * {@link InferenceMethod#CVI}; {@link Builder#optimize} learns the kernel's hyperparameters by
 * maximizing the {@link Builder#objective} ({@link HyperparameterObjective}: the ELBO, the EP-like
 * estimate, or the method's own evidence), summed over the binary problems, which share one kernel.
 * All methods run in the site form of {@link LatentInference}; the gradients are analytic for the
 * Laplace evidence (R&amp;W Algorithm 5.1), the EP evidence and the CVI ELBO (½tr((ααᵀ − SB⁻¹S)∂K),
 * exact at a fixed point), for CVI with the EP-like objective (the total derivative through the CVI
 * fixed point, by an adjoint solve; log-concave likelihoods), and central finite differences in log θ
 * (2 warm-started inference runs per hyperparameter) otherwise. Each EP or CVI sweep costs
 * 2n³/3 flops (factor and a triangular inverse for the marginal variances; see {@link LatentInference}).
 */
public final class GaussianProcessClassifier implements Estimator<GaussianProcessClassifierModel> {
    private final Kernel kernel;
    private final int maxIterations;
    private final boolean approximateProbabilities;
    private final Likelihood likelihood;
    private final InferenceMethod inference;
    private final HyperparameterObjective objective;
    private final HyperparameterSearch search;
    private final double damping;
    private final double stepSize;
    private final MultiClass multiClass;
    private final int predictiveSamples;

    private GaussianProcessClassifier(Builder b) {
        this.kernel = b.kernel;
        this.maxIterations = b.maxIterations;
        this.approximateProbabilities = b.approximateProbabilities;
        this.likelihood = b.likelihood;
        this.inference = b.inference;
        this.objective = b.objective;
        this.search = b.search;
        this.damping = b.damping;
        this.stepSize = b.stepSize;
        this.multiClass = b.multiClass;
        this.predictiveSamples = b.predictiveSamples;
    }

    /**
     * Starts a builder; default: logit likelihood, Laplace, at most 100 iterations per binary problem,
     * probabilities by quadrature, EP damping 0.5, CVI step 0.5, no hyperparameter search (objective
     * the method's evidence when one is set), one-vs-rest for more than two classes, 10,000 Monte-Carlo
     * draws for softmax probabilities.
     */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private int maxIterations = 100;
        private boolean approximateProbabilities;
        private Likelihood likelihood = Likelihood.logit();
        private InferenceMethod inference = InferenceMethod.LAPLACE;
        private HyperparameterObjective objective = HyperparameterObjective.EVIDENCE;
        private HyperparameterSearch search;
        private double damping = 0.5;
        private double stepSize = 0.5;
        private MultiClass multiClass = MultiClass.ONE_VS_REST;
        private int predictiveSamples = 10_000;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("a Gaussian process classifier needs a kernel");
            }
            this.kernel = kernel;
        }

        /** The iteration limit per binary problem (≥ 1): Newton steps, EP sweeps or CVI steps. */
        public Builder maxIterations(int limit) {
            this.maxIterations = limit;
            return this;
        }

        /**
         * Logit only. true: class probabilities by the probit approximation σ(μ/√(1 + πv/8)), cheaper and
         * within about 0.02; false (default): the integral by quadrature, to about 1e−14. Saved in the
         * model file.
         */
        public Builder approximateProbabilities(boolean approximate) {
            this.approximateProbabilities = approximate;
            return this;
        }

        /** {@link Likelihood#logit()} (default) or {@link Likelihood#probit()}. */
        public Builder likelihood(Likelihood value) {
            this.likelihood = value;
            return this;
        }

        /** The posterior approximation (default Laplace). */
        public Builder inference(InferenceMethod value) {
            this.inference = value;
            return this;
        }

        /** What {@link #optimize} maximizes (default: the method's own evidence). */
        public Builder objective(HyperparameterObjective value) {
            this.objective = value;
            return this;
        }

        /** Learn the kernel's hyperparameters with this search before the final fit. */
        public Builder optimize(HyperparameterSearch value) {
            this.search = value;
            return this;
        }

        /** EP damping δ ∈ (0, 1]: the fraction of each site update applied (default 0.5). */
        public Builder damping(double value) {
            this.damping = value;
            return this;
        }

        /** CVI step β ∈ (0, 1] (default 0.5). */
        public Builder stepSize(double value) {
            this.stepSize = value;
            return this;
        }

        /**
         * {@link MultiClass#ONE_VS_REST} (default) or {@link MultiClass#SOFTMAX}. Softmax works with the
         * default logit likelihood, Laplace inference and the evidence objective only (it is the
         * multi-class logit) and applies to two classes as well (then two latent functions).
         */
        public Builder multiClass(MultiClass value) {
            this.multiClass = value;
            return this;
        }

        /**
         * Softmax only: the Monte-Carlo draws S ≥ 100 per test point for the class probabilities (default
         * 10,000; standard error ≤ 0.5/√S; cost O(S·C²) per point). Saved in the model file.
         */
        public Builder predictiveSamples(int samples) {
            this.predictiveSamples = samples;
            return this;
        }

        /**
         * @throws Kernels4jException for an iteration limit below 1, a damping or step outside (0, 1], a
         *     non-Bernoulli likelihood, or softmax with another likelihood, inference or objective than
         *     logit, Laplace and the evidence, with approximate probabilities, or with fewer than 100 draws
         */
        public GaussianProcessClassifier build() {
            if (maxIterations < 1) {
                throw new Kernels4jException("the iteration limit must be >= 1, got " + maxIterations);
            }
            if (likelihood == null || !likelihood.isBernoulli()) {
                throw new Kernels4jException("a Gaussian process classifier needs the probit or logit likelihood, got "
                        + likelihood + " (use LatentGaussianProcess for counts or robust regression)");
            }
            if (inference == null || objective == null) {
                throw new Kernels4jException("the inference method and the objective must not be null");
            }
            if (!(damping > 0 && damping <= 1) || !(stepSize > 0 && stepSize <= 1)) {
                throw new Kernels4jException("the EP damping and the CVI step must lie in (0, 1], got " + damping
                        + " and " + stepSize);
            }
            if (multiClass == null) {
                throw new Kernels4jException("the multi-class mode must not be null");
            }
            if (multiClass == MultiClass.SOFTMAX) {
                if (!likelihood.toSpec().equals("logit") || inference != InferenceMethod.LAPLACE
                        || objective != HyperparameterObjective.EVIDENCE) {
                    throw new Kernels4jException("softmax multi-class classification is the logit likelihood with "
                            + "Laplace inference and its evidence; got likelihood " + likelihood.toSpec() + ", inference "
                            + inference.label() + ", objective " + objective.label() + " (use one-vs-rest for those)");
                }
                if (approximateProbabilities) {
                    throw new Kernels4jException("approximate (probit) probabilities are for binary logit problems; "
                            + "softmax probabilities are Monte Carlo (set predictiveSamples instead)");
                }
                if (predictiveSamples < 100) {
                    throw new Kernels4jException("the softmax predictive needs at least 100 Monte-Carlo draws, got "
                            + predictiveSamples);
                }
            }
            return new GaussianProcessClassifier(this);
        }
    }

    /**
     * Fits on inputs x (n×d) and class labels y (n×1; any real values, e.g. 0/1 or 0..9; at least
     * two distinct ones), after learning the hyperparameters when a search was set.
     */
    @Override
    public GaussianProcessClassifierModel fit(Matrix x, Matrix y) {
        double[] classes = TrainingData.requireLabels(x, y);
        if (classes.length < 2) {
            throw new Kernels4jException("classification needs at least two classes, got only " + Arrays.toString(classes));
        }
        if (multiClass == MultiClass.SOFTMAX) {
            return fitSoftmax(x, y, classes);
        }
        double[] labels = y.data();
        int problems = classes.length == 2 ? 1 : classes.length;
        double[][] t = new double[problems][labels.length];
        for (int c = 0; c < problems; c++) {
            double positive = classes.length == 2 ? classes[1] : classes[c];
            for (int i = 0; i < labels.length; i++) {
                t[c][i] = labels[i] == positive ? 1 : 0;
            }
        }
        LatentInference.Problems work = new LatentInference.Problems(x, t, likelihood, options(), objective);
        Kernel fitted = kernel;
        HyperparameterSearch.Result learned = null;
        if (search != null) {
            learned = search.maximize(kernel, work::evaluate);
            fitted = learned.kernel();
        }
        Matrix k = GramEngine.gram(fitted, x);
        LatentInference.Result[] results = work.fit(fitted, k);
        Binary[] binary = new Binary[problems];
        for (int c = 0; c < problems; c++) {
            LatentInference.Posterior p = results[c].posterior();
            binary[c] = new Binary(p.mean(), p.alpha(), p.sqrtTau(), p.lower(),
                    LatentInference.objective(results[c], t[c], likelihood, inference, objective),
                    results[c].iterations());
        }
        return new GaussianProcessClassifierModel(fitted, x.copy(), classes, binary, approximateProbabilities,
                likelihood, inference, objective, learned);
    }

    private GaussianProcessClassifierModel fitSoftmax(Matrix x, Matrix y, double[] classes) {
        int[] index = new int[y.rows()];
        for (int i = 0; i < index.length; i++) {
            index[i] = Arrays.binarySearch(classes, y.get(i, 0));
        }
        SoftmaxLaplace.Problem work = new SoftmaxLaplace.Problem(x, index, classes.length, maxIterations);
        Kernel fitted = kernel;
        HyperparameterSearch.Result learned = null;
        if (search != null) {
            learned = search.maximize(kernel, work::evaluate);
            fitted = learned.kernel();
        }
        SoftmaxLaplace.Posterior posterior = work.fit(GramEngine.gram(fitted, x));
        return new GaussianProcessClassifierModel(fitted, x.copy(), classes, posterior, predictiveSamples, learned);
    }

    private LatentInference.Options options() {
        return new LatentInference.Options(inference, maxIterations, damping, stepSize, 1e-6);
    }

    /**
     * One binary problem's Gaussian posterior in site form: its mean at the training points, α with
     * mean(x*) = k*ᵀα, √τ, the factor of I + S·K·S, the objective value and iterations.
     */
    record Binary(double[] mode, double[] gradient, double[] sqrtW, Matrix lower, double logMarginalLikelihood,
            int iterations) {
    }

    static double softplus(double v) {
        return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
    }

    static double sigmoid(double v) {
        return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }

    /** ∫σ(f)·N(f | mean, var) df by the probit approximation σ(mean/√(1 + π·var/8)). */
    static double probit(double mean, double var) {
        return GaussianProcessClassifierIntegral.probit(mean, var);
    }
}
