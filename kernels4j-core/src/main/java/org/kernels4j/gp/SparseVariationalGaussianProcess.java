package org.kernels4j.gp;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.StationaryKernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeMatrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.TrainingData;

/**
 * Sparse variational Gaussian process (SVGP; Hensman, Matthews &amp; Ghahramani 2015, "Scalable
 * variational Gaussian process classification") for every {@link Likelihood}: probit and logit
 * classification, Poisson counts, Student-t and Gaussian noise, at large n, trained on minibatches.
 *
 * <p><b>Model.</b> Prior f ~ GP(0, k); m inducing inputs Z carry u = f(Z), written <em>whitened</em> as
 * u = L·v with L Lᵀ = K(Z, Z) + εI (ε = jitter × mean diag K(Z, Z), as {@link SparseGaussianProcess}),
 * so p(v) = N(0, I) and q(v) = N(μ, S), which is better conditioned than q(u) and makes the KL term
 * independent of θ and Z. With a_i = L⁻¹K(Z, x_i) (an m-vector),
 * <pre>
 *   q(f_i) = N(a_iᵀμ,  k(x_i, x_i) − ‖a_i‖² + a_iᵀ S a_i)
 *   ELBO = Σ_i E_{q(f_i)}[log p(y_i | f_i)] − KL(N(μ, S) ‖ N(0, I)),   KL = ½(tr S + μᵀμ − m − log|S|)
 * </pre>
 * The expectations and their derivatives g_i = ∂E_i/∂mean, h_i = ∂E_i/∂var come from
 * {@link Likelihood#expectation} (Gauss–Hermite). S is kept through its precision Λ = S⁻¹ = R Rᵀ.
 *
 * <p><b>Minibatches.</b> A batch B of rows gives the estimate (n/|B|)·Σ_{i∈B} E_i − KL of the ELBO and, term by
 * term, of its gradient. It is unbiased when B is a uniformly random subset of a given size (each epoch
 * shuffles the rows with the seed and cuts the permutation into batches, which is exactly that); over a
 * partition of the rows into equal batches the mean of the estimates <em>is</em> the ELBO and its gradient.
 *
 * <p><b>Optimizer</b>, per batch, both steps from the same batch statistics (with g_i, h_i scaled by n/|B|):
 * <ol>
 *   <li>q(v) always: a natural-gradient step of size γ (Salimbeni, Eleftheriadis &amp; Hensman 2018) on the
 *       natural parameters, Λ ← (1−γ)Λ + γ(I − 2Σ h_i a_i a_iᵀ), Λμ ← (1−γ)Λμ + γΣ(g_i − 2h_i·a_iᵀμ)·a_i.
 *       With a Gaussian likelihood, one batch and γ = 1 it lands on the optimum in one step; with a
 *       non-log-concave likelihood (Student-t) a positive h_i is clipped to 0 in this step, as CVI does
 *       ({@link LatentGaussianProcess}), so Λ stays positive definite.</li>
 *   <li>optionally ({@link Builder#learnHyperparameters}, {@link Builder#learnInducingInputs}) an Adam step
 *       (Kingma &amp; Ba; β₁ = 0.9, β₂ = 0.999) on log θ of every kernel hyperparameter, kept inside its
 *       {@link Hyperparameter} bounds, and on Z (stationary kernels only: rbf, matern, rq, optionally
 *       scaled), along the batch estimate's gradient at fixed q(v). The likelihood's own parameters
 *       (Gaussian noise, Student-t ν and scale) stay fixed.</li>
 * </ol>
 * The kernel gradient goes through the kernel's derivative blocks ({@link GramEngine#crossGradientContractions})
 * and the Cholesky factor's adjoint (Murray 2016): with Ā = μgᵀ − 2(I − S)·A·diag(h) = ∂(data term)/∂A,
 * ∂/∂K(Z, X_B) = L⁻ᵀĀ, ∂/∂K(Z, Z) = −sym(L⁻ᵀ·Φ(ĀAᵀ)·L⁻¹) (Φ: lower triangle, diagonal halved) and
 * ∂/∂k(x_i, x_i) = h_i.
 *
 * <p><b>Cost.</b> Per batch of b rows: O(b·m·d) kernel values, four m×m×b products or solves and O(m³) for
 * the m×m factors; with hyperparameters learned, two m×m×b products more and one kernel-gradient pass over
 * K(Z, X_B) and K(Z, Z). Memory O(m² + b·m) beyond the data: the rows are streamed, nothing n×m is stored.
 * Inducing inputs start at rows picked by a {@link Landmarks} sampler (k-means++ by default) or where
 * {@link Builder#inducingInputs} puts them.
 *
 * <pre>{@code
 * SparseVariationalGaussianProcessModel m = SparseVariationalGaussianProcess.builder(KernelSpec.parse("rbf(length=1)"))
 *         .likelihood(Likelihood.probit()).inducing(500).batchSize(1000).epochs(5).build().fit(x, labels01);
 * Matrix p = m.probabilities(xTest);
 * }</pre>
 */
public final class SparseVariationalGaussianProcess implements Estimator<SparseVariationalGaussianProcessModel> {
    private final Kernel kernel;
    private final Likelihood likelihood;
    private final int inducing;
    private final Matrix inducingInputs;
    private final Landmarks.Sampler sampler;
    private final long seed;
    private final int batchSize;
    private final int epochs;
    private final double naturalStep;
    private final double learningRate;
    private final boolean learnHyperparameters;
    private final boolean learnInducing;
    private final double jitter;
    private final ProgressListener progress;

    private SparseVariationalGaussianProcess(Builder b) {
        this.kernel = b.kernel;
        this.likelihood = b.likelihood;
        this.inducing = b.inducing;
        this.inducingInputs = b.inducingInputs;
        this.sampler = b.sampler;
        this.seed = b.seed;
        this.batchSize = b.batchSize;
        this.epochs = b.epochs;
        this.naturalStep = b.naturalStep;
        this.learningRate = b.learningRate;
        this.learnHyperparameters = b.learnHyperparameters;
        this.learnInducing = b.learnInducing;
        this.jitter = b.jitter;
        this.progress = b.progress;
    }

    /**
     * Starts a builder; defaults: no likelihood (required), 100 inducing points by k-means++, seed 0, batches of
     * 1000 rows, 10 epochs, natural-gradient step γ = 0.5 when one batch holds every row (the CVI default) and
     * 0.1 otherwise (Salimbeni et al.), Adam rate 0.01, hyperparameters and inducing inputs fixed, jitter 10⁻⁶.
     */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options, validated as they are set and by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private Likelihood likelihood;
        private int inducing = 100;
        private Matrix inducingInputs;
        private Landmarks.Sampler sampler = Landmarks.Sampler.KMEANS_PP;
        private long seed;
        private int batchSize = 1000;
        private int epochs = 10;
        private double naturalStep = Double.NaN;
        private double learningRate = 0.01;
        private boolean learnHyperparameters;
        private boolean learnInducing;
        private double jitter = 1e-6;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("a sparse variational GP needs a kernel");
            }
            this.kernel = kernel;
        }

        /** The observation model (required): probit, logit, poisson, student-t or gaussian. */
        public Builder likelihood(Likelihood value) {
            this.likelihood = value;
            return this;
        }

        /** Number of inducing points m ≥ 1, picked from the rows by the sampler (m ≤ n). */
        public Builder inducing(int m) {
            if (m < 1) {
                throw new Kernels4jException("the number of inducing points must be >= 1, got " + m);
            }
            this.inducing = m;
            this.inducingInputs = null;
            return this;
        }

        /** Start from these inducing inputs Z (m×d, copied) instead of sampled rows. */
        public Builder inducingInputs(Matrix z) {
            if (z == null || z.rows() < 1) {
                throw new Kernels4jException("the inducing inputs must have at least one row");
            }
            z.requireFinite("inducing inputs");
            this.inducingInputs = z.copy();
            this.inducing = z.rows();
            return this;
        }

        /** How the initial inducing inputs are picked from the rows (default k-means++). */
        public Builder sampler(Landmarks.Sampler value) {
            this.sampler = value;
            return this;
        }

        /** Seed of the sampler and of the per-epoch shuffles. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Rows per minibatch b ≥ 1 (default 1000; a b above n means full batches). */
        public Builder batchSize(int b) {
            if (b < 1) {
                throw new Kernels4jException("the batch size must be >= 1, got " + b);
            }
            this.batchSize = b;
            return this;
        }

        /** Passes over the rows (≥ 1, default 10). */
        public Builder epochs(int e) {
            if (e < 1) {
                throw new Kernels4jException("the number of epochs must be >= 1, got " + e);
            }
            this.epochs = e;
            return this;
        }

        /** The natural-gradient step γ ∈ (0, 1] on q(v) (default 0.5 with one batch per epoch, else 0.1). */
        public Builder naturalGradientStep(double gamma) {
            if (!(gamma > 0 && gamma <= 1)) {
                throw new Kernels4jException("the natural-gradient step must lie in (0, 1], got " + gamma);
            }
            this.naturalStep = gamma;
            return this;
        }

        /** Adam's step size &gt; 0 for the hyperparameters (in log θ) and the inducing inputs (default 0.01). */
        public Builder learningRate(double eta) {
            if (!(eta > 0) || Double.isInfinite(eta)) {
                throw new Kernels4jException("the learning rate must be > 0 and finite, got " + eta);
            }
            this.learningRate = eta;
            return this;
        }

        /** Learn the kernel's hyperparameters with Adam on the minibatch ELBO (default false). */
        public Builder learnHyperparameters(boolean on) {
            this.learnHyperparameters = on;
            return this;
        }

        /** Move the inducing inputs with Adam on the minibatch ELBO (stationary kernels only; default false). */
        public Builder learnInducingInputs(boolean on) {
            this.learnInducing = on;
            return this;
        }

        /** Relative jitter ≥ 0 on K(Z, Z) (default 10⁻⁶; see {@link SparseGaussianProcess.Builder#jitter}). */
        public Builder jitter(double relative) {
            this.jitter = SparseGaussianProcess.checkJitter(relative);
            return this;
        }

        /** Told the number of batches done (stage "svgp"). */
        public Builder progress(ProgressListener listener) {
            this.progress = listener == null ? ProgressListener.NONE : listener;
            return this;
        }

        /**
         * @throws Kernels4jException without a likelihood, or when inducing inputs are to be learned with a
         *     kernel that is not stationary
         */
        public SparseVariationalGaussianProcess build() {
            if (likelihood == null) {
                throw new Kernels4jException("a sparse variational GP needs a likelihood: probit, logit, poisson, "
                        + "student-t or gaussian");
            }
            if (learnInducing && !StationaryKernel.supports(kernel)) {
                throw new Kernels4jException("learning the inducing inputs needs a stationary kernel (rbf, matern or rq, "
                        + "optionally scaled), got " + kernel.toSpec());
            }
            return new SparseVariationalGaussianProcess(this);
        }
    }

    /**
     * Fits q(v) (and, when asked, θ and Z) on x (n×d) and one column of observations y (n×1) valid for the
     * likelihood: for probit and logit two class labels (any two values; the larger is y = 1 of the likelihood,
     * and labels 0 and 1 stay as they are), non-negative integer counts for Poisson.
     *
     * @throws Kernels4jException for a shape mismatch, several target columns, an invalid observation (naming
     *     its row), more than two classes for probit or logit, more inducing points than rows, or inducing inputs
     *     with another number of features
     */
    @Override
    public SparseVariationalGaussianProcessModel fit(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        if (y.cols() != 1) {
            throw new Kernels4jException("a sparse variational GP takes one target column, got " + y.cols());
        }
        double[] obs = y.column(0);
        double[] classes = null;
        if (likelihood.isBernoulli()) {
            classes = binaryClasses(obs, likelihood);
            obs = SparseVariationalGaussianProcessModel.codes(obs, classes);
        }
        likelihood.validate(obs);
        int n = x.rows();
        Matrix z0;
        if (inducingInputs != null) {
            if (inducingInputs.cols() != x.cols()) {
                throw new Kernels4jException("the inducing inputs have " + inducingInputs.cols()
                        + " features but the data has " + x.cols());
            }
            z0 = inducingInputs.copy();
        } else {
            if (inducing > n) {
                throw new Kernels4jException("asked for " + inducing + " inducing points but the data has only " + n
                        + " rows");
            }
            double scale = 0;
            for (double v : GramEngine.diagonal(kernel, x.rowRange(0, Math.min(n, 100)))) {
                scale += v / Math.min(n, 100);
            }
            // λ only matters to the leverage and log-det samplers: a small ridge relative to the kernel's scale
            z0 = x.selectRows(Landmarks.select(sampler, kernel, x, inducing, 1e-3 * scale, seed));
        }
        long started = System.nanoTime();
        int b = Math.min(batchSize, n);
        int batches = (n + b - 1) / b;
        double gamma = Double.isNaN(naturalStep) ? (batches == 1 ? 0.5 : 0.1) : naturalStep;
        Training t = new Training(kernel, z0, jitter, learnHyperparameters, learnInducing, learningRate);
        Random rnd = new Random(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double estimate = Double.NaN;
        long steps = 0;
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0 && batches > 1; i--) {
                int j = rnd.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            double dataSum = 0;
            for (int from = 0; from < n; from += b) {
                int[] rows = Arrays.copyOfRange(order, from, Math.min(n, from + b));
                Matrix xb = batches == 1 ? x : x.selectRows(rows);
                double[] yb = new double[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    yb[i] = obs[rows[i]];
                }
                dataSum += t.step(xb, yb, (double) n / rows.length, likelihood, gamma);
                steps++;
                progress.progress(steps, (long) epochs * batches, "svgp");
            }
            estimate = dataSum / batches - t.posterior().kl();
        }
        Posterior q = t.posterior();
        return new SparseVariationalGaussianProcessModel(t.kernel, likelihood, classes, t.z, q.mean, q.r, jitter,
                new SparseVariationalGaussianProcessModel.Fit(n, b, epochs, steps, gamma, learnHyperparameters,
                        learnInducing, estimate, (System.nanoTime() - started) / 1e9));
    }

    /**
     * The two classes of Bernoulli labels, ascending: {0, 1} when every label is 0 or 1 (also when only one of them
     * occurs), else the two distinct values, of which the larger is the class whose probability is modelled (y = 1).
     *
     * @throws Kernels4jException for more than two distinct labels, or a single one other than 0 and 1
     */
    static double[] binaryClasses(double[] labels, Likelihood likelihood) {
        double[] distinct = Arrays.stream(labels).distinct().sorted().toArray();
        if (Arrays.stream(distinct).allMatch(v -> v == 0 || v == 1)) {
            return new double[] {0, 1};
        }
        if (distinct.length != 2) {
            String shown = Arrays.toString(Arrays.copyOf(distinct, Math.min(distinct.length, 5)));
            throw new Kernels4jException("the " + likelihood.toSpec() + " likelihood separates two classes; the labels"
                    + (distinct.length == 1 ? " hold one value only, " + distinct[0] : " hold " + distinct.length
                    + " values " + (distinct.length > 5 ? shown.replace("]", ", ...]") : shown)
                    + " (gpc fits more than two classes)"));
        }
        return distinct;
    }

    /** The mutable training state: θ, Z and their prior factor, q(v) as natural parameters, Adam's moments. */
    private static final class Training {
        Kernel kernel;
        Matrix z;
        Matrix l;
        final double jitter;
        Matrix precision;
        double[] shift;
        final boolean hyper;
        final boolean inputs;
        double rate;
        double[] first;
        double[] second;
        long adamSteps;

        Training(Kernel kernel, Matrix z, double jitter, boolean hyper, boolean inputs, double rate) {
            this.kernel = kernel;
            this.z = z;
            this.jitter = jitter;
            this.hyper = hyper;
            this.inputs = inputs;
            this.rate = rate;
            this.l = SparseGaussianProcess.factor(kernel, z, jitter);
            int m = z.rows();
            this.precision = Matrix.identity(m);
            this.shift = new double[m];
            int size = (hyper ? kernel.hyperparameters().size() : 0) + (inputs ? z.rows() * z.cols() : 0);
            this.first = new double[size];
            this.second = new double[size];
        }

        Posterior posterior() {
            return Posterior.ofNatural(precision, shift);
        }

        /** One batch: both updates; returns the data term (n/|B|)·Σ E_i at the state before the step. */
        double step(Matrix xb, double[] yb, double scale, Likelihood lik, double gamma) {
            Posterior q = posterior();
            Terms t = terms(kernel, z, l, jitter, q, xb, yb, scale, lik, hyper, inputs);
            int m = z.rows();
            double[] p = precision.data();
            double[] c = t.curvature.data();
            for (int i = 0; i < m * m; i++) {
                p[i] = (1 - gamma) * p[i] + gamma * c[i];
            }
            for (int i = 0; i < m; i++) {
                p[i * m + i] += gamma;
                shift[i] = (1 - gamma) * shift[i] + gamma * t.naturalTarget[i];
            }
            if (hyper || inputs) {
                adam(t);
            }
            return t.data;
        }

        /** Adam, ascending, on [log θ, Z]; a step that makes K(Z, Z) + εI indefinite is undone and the rate halved. */
        private void adam(Terms t) {
            List<Hyperparameter> hp = kernel.hyperparameters();
            int q = hyper ? hp.size() : 0;
            int zs = inputs ? z.rows() * z.cols() : 0;
            double[] grad = new double[q + zs];
            if (hyper) {
                System.arraycopy(t.hyperGradient, 0, grad, 0, q);
            }
            if (inputs) {
                System.arraycopy(t.inducingGradient.data(), 0, grad, q, zs);
            }
            adamSteps++;
            double c1 = 1 - Math.pow(0.9, adamSteps);
            double c2 = 1 - Math.pow(0.999, adamSteps);
            double[] delta = new double[q + zs];
            for (int k = 0; k < grad.length; k++) {
                first[k] = 0.9 * first[k] + 0.1 * grad[k];
                second[k] = 0.999 * second[k] + 0.001 * grad[k] * grad[k];
                delta[k] = rate * (first[k] / c1) / (Math.sqrt(second[k] / c2) + 1e-8);
            }
            Kernel nextKernel = kernel;
            if (hyper) {
                double[] theta = new double[q];
                for (int k = 0; k < q; k++) {
                    Hyperparameter h = hp.get(k);
                    double logTheta = Math.log(h.value()) + delta[k];
                    theta[k] = Math.exp(Math.max(Math.log(h.lower()), Math.min(Math.log(h.upper()), logTheta)));
                }
                nextKernel = kernel.withHyperparameters(theta);
            }
            Matrix nextZ = z;
            if (inputs) {
                nextZ = z.copy();
                for (int k = 0; k < zs; k++) {
                    nextZ.data()[k] += delta[q + k];
                }
            }
            try {
                l = SparseGaussianProcess.factor(nextKernel, nextZ, jitter);
                kernel = nextKernel;
                z = nextZ;
            } catch (Kernels4jException e) {
                rate /= 2; // keep θ, Z and the old factor
            }
        }
    }

    /** q(v) = N(μ, S) with its precision factor R (Λ = S⁻¹ = R Rᵀ). */
    static final class Posterior {
        final double[] mean;
        final Matrix r;

        private Posterior(double[] mean, Matrix r) {
            this.mean = mean;
            this.r = r;
        }

        /** From μ and R (Λ = R Rᵀ). */
        static Posterior of(double[] mean, Matrix r) {
            return new Posterior(mean, r);
        }

        /** From the natural parameters Λ and Λμ. */
        static Posterior ofNatural(Matrix precision, double[] shift) {
            try (Cholesky c = Cholesky.factorInPlace(NativeMatrix.copyOf(precision),
                    "precision of q(v)", false)) {
                return new Posterior(c.solve(shift), c.lower());
            }
        }

        /** From the mean and the covariance S (for checking: Λ = S⁻¹). */
        static Posterior ofCovariance(double[] mean, Matrix covariance) {
            Matrix precision;
            try (Cholesky c = Cholesky.factorInPlace(NativeMatrix.copyOf(covariance), "covariance of q(v)", false)) {
                precision = c.inverse();
            }
            try (Cholesky c = Cholesky.factorInPlace(NativeMatrix.copyOf(precision), "precision of q(v)", false)) {
                return new Posterior(mean.clone(), c.lower());
            }
        }

        /** S = Λ⁻¹. */
        Matrix covariance() {
            try (Cholesky c = Cholesky.ofFactor(r, 0)) {
                return c.inverse();
            }
        }

        /** KL(N(μ, S) ‖ N(0, I)) = ½(tr S + μᵀμ − m − log|S|), log|S| = −2Σ log R_jj. */
        double kl() {
            Matrix s = covariance();
            int m = mean.length;
            double v = -m;
            for (int j = 0; j < m; j++) {
                v += s.get(j, j) + mean[j] * mean[j] + 2 * Math.log(r.get(j, j));
            }
            return 0.5 * v;
        }
    }

    /** A = L⁻¹K(Z, X) (m×b) and the marginals of q(f) at the rows of X. */
    record Marginals(Matrix a, double[] mean, double[] variance) {
    }

    /**
     * The marginals q(f_i) = N(a_iᵀμ, k(x_i, x_i) − ‖a_i‖² + ‖R⁻¹a_i‖²) at the rows of x: O(b·m·d + 2b·m²).
     */
    static Marginals marginals(Kernel kernel, Matrix z, Matrix l, double[] mean, Matrix r, Matrix x) {
        int m = z.rows();
        int b = x.rows();
        Matrix a = GramEngine.cross(kernel, z, x); // m×b
        Blas.trsm(true, false, l, a);
        double[] mu = columnCombination(a, mean);
        Matrix c = a.copy();
        Blas.trsm(true, false, r, c);
        double[] var = GramEngine.diagonal(kernel, x);
        double[] ad = a.data();
        double[] cd = c.data();
        for (int j = 0; j < m; j++) {
            int o = j * b;
            for (int i = 0; i < b; i++) {
                var[i] += cd[o + i] * cd[o + i] - ad[o + i] * ad[o + i];
            }
        }
        return new Marginals(a, mu, var);
    }

    /**
     * What one batch contributes at a state.
     *
     * @param data (n/|B|)·Σ E_i
     * @param ag Σ g_i a_i = ∂(data)/∂μ
     * @param ha Σ h_i a_i a_iᵀ = ∂(data)/∂S (symmetric; null unless θ or Z gradients were asked)
     * @param curvature Σ (−2 min(h_i, 0))·a_i a_iᵀ: the natural step's target precision is I + this
     * @param naturalTarget Σ (g_i − 2 min(h_i, 0)·mean_i)·a_i: the natural step's target Λμ
     * @param hyperGradient ∂(data)/∂log θ (null unless asked)
     * @param inducingGradient ∂(data)/∂Z (m×d; null unless asked)
     */
    record Terms(double data, double[] ag, Matrix ha, Matrix curvature,
            double[] naturalTarget, double[] hyperGradient, Matrix inducingGradient) {
    }

    /** The batch terms (see {@link Terms}); scale = n/|B| multiplies every data sum. */
    static Terms terms(Kernel kernel, Matrix z, Matrix l, double jitter, Posterior q, Matrix xb, double[] yb,
            double scale, Likelihood lik, boolean hyper, boolean inputs) {
        int m = z.rows();
        int b = xb.rows();
        Marginals mg = marginals(kernel, z, l, q.mean, q.r, xb);
        double[] e = new double[b];
        double[] g = new double[b];
        double[] h = new double[b];
        int block = 64;
        Parallelism.forEachBlock((b + block - 1) / block, k -> {
            for (int i = k * block; i < Math.min(b, (k + 1) * block); i++) {
                Likelihood.Expectation ex = lik.expectation(yb[i], mg.mean[i], mg.variance[i]);
                e[i] = ex.value();
                g[i] = scale * ex.dMean();
                h[i] = scale * ex.dVariance();
            }
        });
        double data = 0;
        boolean positive = false;
        for (int i = 0; i < b; i++) {
            data += e[i];
            positive |= h[i] > 0;
        }
        data *= scale;
        Matrix a = mg.a;
        double[] ad = a.data();
        // the natural step's statistics, with h clipped at 0: A·diag(−2h)·Aᵀ as one symmetric rank-b update
        Matrix scaled = new Matrix(m, b);
        double[] sd = scaled.data();
        double[] root = new double[b];
        double[] w = new double[b];
        for (int i = 0; i < b; i++) {
            double hc = Math.min(h[i], 0);
            root[i] = Math.sqrt(-2 * hc);
            w[i] = g[i] - 2 * hc * mg.mean[i];
        }
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < b; i++) {
                sd[j * b + i] = ad[j * b + i] * root[i];
            }
        }
        Matrix curvature = new Matrix(m, m);
        Blas.syrk(1.0, scaled, 0.0, curvature);
        double[] target = rowCombination(a, w);
        double[] ag = rowCombination(a, g);
        if (!hyper && !inputs) {
            return new Terms(data, ag, null, curvature, target, null, null);
        }
        // H = A·diag(h)·Aᵀ unclipped: −curvature/2 unless some h_i > 0
        Matrix hm;
        Matrix ah = a.copy();
        double[] ahd = ah.data();
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < b; i++) {
                ahd[j * b + i] *= h[i];
            }
        }
        if (positive) {
            hm = new Matrix(m, m);
            Blas.gemm(false, true, 1.0, ah, a, 0.0, hm);
            symmetrize(hm);
        } else {
            hm = curvature.copy();
            for (int i = 0; i < m * m; i++) {
                hm.data()[i] *= -0.5;
            }
        }
        Matrix s = q.covariance();
        // Ā = ∂(data)/∂A = μgᵀ − 2(I − S)·A·diag(h);  ∂(data)/∂K(Z, X_B) = L⁻ᵀĀ
        Matrix sah = new Matrix(m, b);
        Blas.gemm(false, false, 1.0, s, ah, 0.0, sah);
        Matrix gu = new Matrix(m, b);
        double[] gud = gu.data();
        double[] sahd = sah.data();
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < b; i++) {
                gud[j * b + i] = q.mean[j] * g[i] - 2 * (ahd[j * b + i] - sahd[j * b + i]);
            }
        }
        Blas.trsm(true, true, l, gu);
        GramEngine.CrossGradient cu = GramEngine.crossGradientContractions(kernel, z, xb, (c0, width, band, out) -> {
            for (int j = 0; j < m; j++) {
                System.arraycopy(gud, j * b + c0, out, j * width, width);
            }
        }, inputs);
        // ∂(data)/∂K(Z, Z) through the Cholesky factor: −sym(L⁻ᵀ·Φ(ĀAᵀ)·L⁻¹), ĀAᵀ = μ(Ag)ᵀ − 2(I − S)H
        Matrix sh = s.times(hm);
        Matrix phi = new Matrix(m, m);
        for (int j = 0; j < m; j++) {
            for (int k = 0; k <= j; k++) {
                double v = q.mean[j] * ag[k] - 2 * (hm.get(j, k) - sh.get(j, k));
                phi.set(j, k, -(k == j ? 0.5 : 1) * v);
            }
        }
        Blas.trsm(true, true, l, phi); // L⁻ᵀΦ
        Matrix mbar = phi.transpose();
        Blas.trsm(true, true, l, mbar); // L⁻ᵀΦᵀL⁻¹ = (L⁻ᵀΦL⁻¹)ᵀ
        symmetrize(mbar);
        double[] mbd = mbar.data();
        GramEngine.CrossGradient cm = GramEngine.crossGradientContractions(kernel, z, z, (c0, width, band, out) -> {
            for (int j = 0; j < m; j++) {
                System.arraycopy(mbd, j * m + c0, out, j * width, width);
            }
        }, inputs);
        double[] hyperGradient = null;
        if (hyper) {
            int count = kernel.hyperparameters().size();
            double[] diag = GramEngine.diagonalGradientContractions(kernel, xb, h);
            // ε = jitter·mean diag K(Z, Z) moves with θ: ∂/∂ε = tr ∂/∂K(Z, Z)
            double[] diagZ = jitter > 0 ? GramEngine.diagonalGradientSums(kernel, z) : new double[count];
            double trace = 0;
            for (int j = 0; j < m; j++) {
                trace += mbar.get(j, j);
            }
            hyperGradient = new double[count];
            for (int p = 0; p < count; p++) {
                hyperGradient[p] = cu.hyperparameters()[p] + cm.hyperparameters()[p] + diag[p]
                        + trace * jitter * diagZ[p] / m;
            }
        }
        Matrix inducingGradient = null;
        if (inputs) {
            inducingGradient = cu.inputs().copy();
            double[] zg = inducingGradient.data();
            double[] mg2 = cm.inputs().data();
            for (int i = 0; i < zg.length; i++) {
                zg[i] += 2 * mg2[i]; // K(Z, Z) depends on Z through both arguments; ∂/∂K(Z, Z) is symmetric
            }
        }
        return new Terms(data, ag, hm, curvature, target, hyperGradient, inducingGradient);
    }

    /**
     * The batch estimate of the ELBO, scale·Σ_{i∈B} E_i − KL, and its gradients at q(v) = N(μ, S), kernel θ and
     * inducing inputs Z (for checking the optimizer's gradients and unbiasedness; the fit works on the natural
     * parameters instead). Without {@code gradients} only the value and the μ gradient; with them also the S and
     * log θ gradients, and the Z gradient when the kernel is stationary.
     */
    static Bound bound(Kernel kernel, Matrix z, double jitter, double[] mean, Matrix covariance, Matrix xb, double[] yb,
            double scale, Likelihood lik, boolean gradients) {
        Posterior q = Posterior.ofCovariance(mean, covariance);
        Matrix l = SparseGaussianProcess.factor(kernel, z, jitter);
        Terms t = terms(kernel, z, l, jitter, q, xb, yb, scale, lik, gradients,
                gradients && StationaryKernel.supports(kernel));
        // ∂KL/∂μ = μ, ∂KL/∂S = ½(I − S⁻¹)
        int m = mean.length;
        double[] dMean = new double[m];
        Matrix dCov = gradients ? t.ha.copy() : null;
        Matrix precision = q.r.times(q.r.transpose());
        for (int j = 0; j < m; j++) {
            dMean[j] = t.ag[j] - mean[j];
            for (int k = 0; gradients && k < m; k++) {
                dCov.data()[j * m + k] += 0.5 * precision.get(j, k) - (j == k ? 0.5 : 0);
            }
        }
        return new Bound(t.data - q.kl(), dMean, dCov, t.hyperGradient, t.inducingGradient);
    }

    /** A batch estimate of the ELBO with its gradients in μ, S, log θ and Z (null when not asked). */
    record Bound(double value, double[] mean, Matrix covariance, double[] logTheta, Matrix inducing) {
    }

    // Why plain loops for these matrix-vector products: Blas.gemv on a heap matrix copies all of A through JNI on
    // every call (DESIGN.md: 4-9x slower than the product itself), and A is m×b, fresh for every batch.

    /** Aᵀv for an m×b matrix A and an m-vector v (a b-vector). */
    static double[] columnCombination(Matrix a, double[] v) {
        int m = a.rows();
        int b = a.cols();
        double[] ad = a.data();
        double[] out = new double[b];
        for (int j = 0; j < m; j++) {
            double c = v[j];
            int o = j * b;
            for (int i = 0; i < b; i++) {
                out[i] += c * ad[o + i];
            }
        }
        return out;
    }

    /** A·w for an m×b matrix A and a b-vector w (an m-vector). */
    static double[] rowCombination(Matrix a, double[] w) {
        int m = a.rows();
        int b = a.cols();
        double[] ad = a.data();
        double[] out = new double[m];
        for (int j = 0; j < m; j++) {
            double s = 0;
            int o = j * b;
            for (int i = 0; i < b; i++) {
                s += ad[o + i] * w[i];
            }
            out[j] = s;
        }
        return out;
    }

    private static void symmetrize(Matrix a) {
        int m = a.rows();
        double[] d = a.data();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (d[i * m + j] + d[j * m + i]);
                d[i * m + j] = v;
                d[j * m + i] = v;
            }
        }
    }
}
