package org.kernels4j.dkm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.TrainingData;
import org.kernels4j.optim.BoundedLbfgs;

/**
 * Sparse (inducing-point) deep kernel machine regression, Yang et al. (ICML 2023) §"sparse DKMs", as in the
 * authors' {@code dkm} code ({@code layer.py}, {@code output.py}): each layer learns only the m×m Gram matrix
 * G_ℓ of m inducing inputs Z, and the n training rows are mapped through it by the Gaussian conditional of
 * the learned representation, so that one evaluation costs O(L·(m³ + n·m²)), linear in n.
 * <pre>
 *   G_0 = ZZᵀ/d, G_ti^0 = x_t·Zᵀ/d, g_t^0 = ‖x_t‖²/d
 *   layer ℓ = 1…L:  K_ii = f(G_{ℓ−1}) + δ_ℓI,  K_ti = f(g_t, G_ti, G_ii),  k_t = f(g_t, g_t, g_t)
 *                   G_ti ← K_ti·K_ii⁻¹·G_ℓ,   g_t ← k_t − diag(K_ti·K_ii⁻¹·K_it) + diag(K_ti·K_ii⁻¹·G_ℓ·K_ii⁻¹·K_it)
 *   output: u ~ q = N(μ_λ, A) per target column λ at Z, K_out = f(G_L) + δ_outI, W = K_ti·K_out⁻¹:
 *           f_t ~ N(W·μ, k_t − diag(W·K_it) + diag(W·A·Wᵀ))
 *   𝓛 = Σ_t E_q[log N(y_t; f_t, σ²)] − Σ_ℓ ν_ℓ·KL(N(0, G_ℓ) ‖ N(0, K_ii^ℓ)) − Σ_λ KL(N(μ_λ, A) ‖ N(0, K_out))
 * </pre>
 * The Gaussian expectation is closed-form: E log N(y; f, σ²) = log N(y; mean, σ²) − var/(2σ²) (the authors
 * sample it; here it is exact). With Z = X (m = n, no jitter) the maps are the identity on the training rows
 * and the maximum over (μ, A) of the output terms is log N(Y; 0, K(G_L) + σ²I), so 𝓛 maximized over (μ, A)
 * is the exact DKM objective ({@link DeepKernelMachine}) and the two share their optimum. As ν → ∞, G_ℓ = K_ℓ
 * and the maximum over (μ, A) is Titsias' SGPR bound of the composed NNGP kernel.
 *
 * <p>Parameters: G_ℓ = V_ℓV_ℓᵀ and A = V_AV_Aᵀ with lower-triangular V (log diagonal), and μ (m×k):
 * (L + 1)·m(m+1)/2 + m·k numbers. The inducing inputs are fixed (given, or chosen by a {@link Landmarks}
 * sampler). Start: the NNGP point G_ℓ = K_ℓ with (μ, A) at the collapsed optimum (μ = σ⁻²K(K + σ⁻²Φ)⁻¹Ψ,
 * A = K(K + σ⁻²Φ)⁻¹K, Φ = Σ_t K_itK_ti, Ψ = Σ_t K_it·y_t), one O(n·m²) pass.
 *
 * <p>Training: full batch ({@code batchSize(0)}, the default): L-BFGS on −𝓛 with the analytic gradient of
 * {@link SparseDkmObjective}. Minibatches ({@code batchSize(B)}): Adam on the estimator
 * 𝓛_B = (n/|B|)·Σ_{t∈B} ℓ_t − KL terms, where ℓ_t is row t's expected log-likelihood. Every batch of a
 * uniformly random permutation is a uniformly random subset of its size, so E[(n/|B|)·Σ_{t∈B} ℓ_t] = Σ_t ℓ_t
 * and 𝓛_B and its gradient are unbiased for 𝓛 and ∇𝓛 (the average over the batches of an equal-size
 * partition is 𝓛 exactly); the authors' code optimizes the same objective divided by n. Jitters δ are found
 * once at the start (escalating Cholesky of the starting K_ii) and held fixed.
 *
 * <pre>{@code
 * DeepKernelMachineModel m = SparseDeepKernelMachine.builder(GramMap.parse("nngp(activation=relu, w_var=2)"))
 *         .layers(2).nu(1).noise(0.05).inducing(256).batchSize(256).epochs(5).build().fit(x, y);
 * }</pre>
 */
public final class SparseDeepKernelMachine implements Estimator<DeepKernelMachineModel> {
    private final GramMap map;
    private final int layers;
    private final double[] nu;
    private final double noise;
    private final boolean learnNoise;
    private final int inducing;
    private final Matrix inducingInputs;
    private final Landmarks.Sampler sampler;
    private final long seed;
    private final int maxIterations;
    private final double gradientTolerance;
    private final int batchSize;
    private final int epochs;
    private final double learningRate;

    private SparseDeepKernelMachine(Builder b, double[] nu) {
        this.map = b.map;
        this.layers = b.layers;
        this.nu = nu;
        this.noise = b.noise;
        this.learnNoise = b.learnNoise;
        this.inducing = b.inducing;
        this.inducingInputs = b.inducingInputs;
        this.sampler = b.sampler;
        this.seed = b.seed;
        this.maxIterations = b.maxIterations;
        this.gradientTolerance = b.gradientTolerance;
        this.batchSize = b.batchSize;
        this.epochs = b.epochs;
        this.learningRate = b.learningRate;
    }

    /**
     * Starts a builder; defaults: 2 layers, ν = 1, σ² = 0.01, m = 100 inducing points chosen uniformly (seed 1),
     * full-batch L-BFGS (1000 iterations, tolerance 1e-5); with a batch size, 10 epochs of Adam, rate 0.01.
     */
    public static Builder builder(GramMap map) {
        return new Builder(map);
    }

    /** Options, validated by {@link #build()} (and against the data by {@link #fit}). */
    public static final class Builder {
        private final GramMap map;
        private int layers = 2;
        private double[] nu = {1.0};
        private double noise = 0.01;
        private boolean learnNoise;
        private int inducing = 100;
        private Matrix inducingInputs;
        private Landmarks.Sampler sampler = Landmarks.Sampler.UNIFORM;
        private long seed = 1;
        private int maxIterations = 1000;
        private double gradientTolerance = 1e-5;
        private int batchSize;
        private int epochs = 10;
        private double learningRate = 0.01;

        private Builder(GramMap map) {
            if (map == null) {
                throw new Kernels4jException("a deep kernel machine needs a layer map, e.g. se(length=1)");
            }
            this.map = map;
        }

        /** L ≥ 1. */
        public Builder layers(int value) {
            this.layers = value;
            return this;
        }

        /** ν_ℓ &gt; 0: one value for every layer, or L values. */
        public Builder nu(double... values) {
            this.nu = values == null ? new double[0] : values.clone();
            return this;
        }

        /** σ² &gt; 0. */
        public Builder noise(double value) {
            this.noise = value;
            return this;
        }

        /**
         * Whether to learn σ² with the Grams and q(u) (default false): log σ² becomes one more parameter of L-BFGS
         * or Adam, started at {@link #noise}, with ∂𝓛/∂log σ² = c·Σ_t Σ_λ [((y_tλ − mean_tλ)² + var_t)/(2σ²) − ½]
         * (c = n/|B|; an unbiased estimate on minibatches like the rest). The jitters stay fixed, so σ² → 0 stays
         * factorable; at small ν the representations can fit the targets and σ² then shrinks towards 0.
         */
        public Builder learnNoise(boolean value) {
            this.learnNoise = value;
            return this;
        }

        /** m, the number of inducing points (1 ≤ m ≤ n), chosen from the training rows by {@link #sampler}. */
        public Builder inducing(int count) {
            this.inducing = count;
            this.inducingInputs = null;
            return this;
        }

        /** The inducing inputs themselves (m×d), instead of a count. */
        public Builder inducingPoints(Matrix z) {
            if (z == null) {
                throw new Kernels4jException("the inducing points must be a matrix, got none");
            }
            this.inducingInputs = z.copy();
            this.inducing = z.rows();
            return this;
        }

        /**
         * How to choose the m inducing rows (default uniform). Samplers that need a kernel use the RBF of length
         * ℓ·√d for {@code se(length=ℓ)} (which is K_1 exactly) and of length √d for the NNGP maps.
         */
        public Builder sampler(Landmarks.Sampler value) {
            this.sampler = value;
            return this;
        }

        /** Seed of the inducing-point sampler and of the minibatch shuffles. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Full batch: the L-BFGS iteration limit (≥ 1). */
        public Builder maxIterations(int value) {
            this.maxIterations = value;
            return this;
        }

        /** Full batch: stop when the largest gradient entry of −𝓛 is at most this (≥ 0). */
        public Builder gradientTolerance(double value) {
            this.gradientTolerance = value;
            return this;
        }

        /** 0: full-batch L-BFGS; B ≥ 1: Adam on minibatches of B rows (B ≤ n). */
        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /** Minibatch training: passes over the data (≥ 1). */
        public Builder epochs(int value) {
            this.epochs = value;
            return this;
        }

        /** Minibatch training: Adam's step size (&gt; 0). */
        public Builder learningRate(double value) {
            this.learningRate = value;
            return this;
        }

        /**
         * Validates the options.
         *
         * @throws Kernels4jException for L &lt; 1, ν ≤ 0 or not finite, σ² ≤ 0, m &lt; 1, a negative batch size,
         *     epochs &lt; 1, a learning rate ≤ 0
         */
        public SparseDeepKernelMachine build() {
            double[] perLayer = DeepKernelMachine.builder(map).layers(layers).nu(nu).noise(noise)
                    .maxIterations(maxIterations).gradientTolerance(gradientTolerance).build().nu();
            if (inducing < 1) {
                throw new Kernels4jException("a sparse deep kernel machine needs at least 1 inducing point, got "
                        + inducing);
            }
            if (sampler == null) {
                throw new Kernels4jException("name an inducing-point sampler, e.g. uniform");
            }
            if (batchSize < 0) {
                throw new Kernels4jException("the batch size must be >= 1 (or 0 for full-batch L-BFGS), got "
                        + batchSize);
            }
            if (epochs < 1) {
                throw new Kernels4jException("the number of epochs must be >= 1, got " + epochs);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new Kernels4jException("the learning rate must be positive and finite, got " + learningRate);
            }
            return new SparseDeepKernelMachine(this, perLayer);
        }
    }

    /** Whether σ² is learned. */
    public boolean learnsNoise() {
        return learnNoise;
    }

    /** m. */
    public int inducing() {
        return inducing;
    }

    /** 0 for full-batch L-BFGS, else the minibatch size. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The optimization problem, for checks and benchmarks: the objective for (x, y) with the likelihood
     * scaled by {@code scale}, θ₀ (NNGP start), the inducing inputs and the fixed jitters.
     */
    record Problem(SparseDkmObjective objective, double[] theta, Matrix inducingInputs, double[] jitter) {
    }

    /** Validates, chooses Z, fixes the jitters and computes θ₀. */
    Problem problem(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        int n = x.rows();
        int d = x.cols();
        if (inducing > n) {
            throw new Kernels4jException("cannot use " + inducing + " inducing points with " + n + " training rows; "
                    + "give at most " + n);
        }
        if (batchSize > n) {
            throw new Kernels4jException("the batch size " + batchSize + " exceeds the " + n + " training rows");
        }
        Matrix z;
        if (inducingInputs != null) {
            if (inducingInputs.cols() != d) {
                throw new Kernels4jException("the inducing points have " + inducingInputs.cols() + " columns, the data "
                        + d);
            }
            z = inducingInputs.requireFinite("the inducing points");
        } else {
            double length = (map instanceof GramMap.SquaredExponential se ? se.length() : 1) * Math.sqrt(d);
            z = x.selectRows(Landmarks.select(sampler, RbfKernel.withLength(length), x, inducing, 0, seed));
        }
        int m = z.rows();
        int p = DkmObjective.packedSize(m);
        double[] jitter = new double[layers + 2];
        double[] theta = new double[(layers + 1) * p + m * y.cols() + (learnNoise ? 1 : 0)];
        if (learnNoise) {
            theta[theta.length - 1] = Math.log(noise);
        }
        Matrix previous = DeepKernelMachine.inputGram(z);
        for (int l = 1; l <= layers + 1; l++) {
            Matrix kl = DkmObjective.apply(map, previous, 0);
            String name = l <= layers ? "the layer-" + l + " kernel of the inducing points" : "the output kernel of "
                    + "the inducing points";
            try (Cholesky c = Cholesky.factor(kl, name)) {
                jitter[l - 1] = c.jitter();
                if (l <= layers) {
                    DkmObjective.pack(c.lower(), theta, (l - 1) * p);
                }
            }
            previous = DeepKernelMachine.addToDiagonal(kl, jitter[l - 1]);
        }
        double[] kept = Arrays.copyOf(jitter, layers + 1); // δ_1…δ_L, δ_out
        SparseDkmObjective objective = new SparseDkmObjective(map, layers, nu, noise, learnNoise, z, y.cols(), kept);
        collapsedStart(objective, previous, theta, x, y);
        return new Problem(objective, theta, z, kept);
    }

    /** (μ, A) at the maximum of the output terms for the NNGP Grams (Titsias): see the class comment. */
    private void collapsedStart(SparseDkmObjective objective, Matrix kOut, double[] theta, Matrix x, Matrix y) {
        int m = kOut.rows();
        Matrix[] stats = objective.nngpOutputStatistics(theta, x, y);
        Matrix precision = kOut.copy();
        double[] pd = precision.data();
        double[] phi = stats[0].data();
        for (int e = 0; e < pd.length; e++) {
            pd[e] += phi[e] / noise;
        }
        Matrix mu;
        Matrix a;
        try (Cholesky c = Cholesky.factor(precision, "K_out + Phi/noise at the inducing points")) {
            Matrix s = c.solve(kOut); // (K + Φ/σ²)⁻¹K
            a = new Matrix(m, m);
            Blas.gemm(false, false, 1, kOut, s, 0, a);
            Matrix r = c.solve(stats[1]);
            mu = new Matrix(m, y.cols());
            Blas.gemm(false, false, 1 / noise, kOut, r, 0, mu);
        }
        symmetrize(a);
        try (Cholesky c = Cholesky.factor(a, "the starting output covariance A")) {
            DkmObjective.pack(c.lower(), theta, layers * DkmObjective.packedSize(m));
        }
        System.arraycopy(mu.data(), 0, theta, objective.meanOffset(), mu.data().length);
    }

    @Override
    public DeepKernelMachineModel fit(Matrix x, Matrix y) {
        return fit(x, y, true);
    }

    /**
     * The model at the starting point, untrained: the NNGP Grams (G_ℓ = K_ℓ) with q(u) at its collapsed
     * optimum, i.e. the ν → ∞ limit, Titsias' SGPR with the composed NNGP kernel. One pass over the rows.
     */
    public DeepKernelMachineModel start(Matrix x, Matrix y) {
        return fit(x, y, false);
    }

    private DeepKernelMachineModel fit(Matrix x, Matrix y, boolean train) {
        long started = System.nanoTime();
        Problem p = problem(x, y);
        long trainingStarted = System.nanoTime();
        SparseDkmObjective objective = p.objective();
        int n = x.rows();
        double[] theta;
        String stop;
        long iterations;
        long evaluations;
        if (!train) {
            theta = p.theta();
            stop = "start";
            iterations = 0;
            evaluations = 0;
        } else if (batchSize == 0) {
            // L-BFGS in whitened factors, re-whitened and restarted when a run stops short (see WhitenedRounds)
            BoundedLbfgs.Result r = WhitenedRounds.minimize(objective.fullBatch(x, y), p.theta(), maxIterations,
                    gradientTolerance);
            theta = r.x();
            stop = r.stop().name().toLowerCase(java.util.Locale.ROOT);
            iterations = r.iterations();
            evaluations = r.evaluations();
        } else {
            Adam a = adam(objective, p.theta(), x, y);
            theta = a.theta;
            stop = "epochs";
            iterations = a.steps;
            evaluations = a.steps;
        }
        double trainingSeconds = (System.nanoTime() - trainingStarted) / 1e9;
        objective.unwhitened().valueAndGradient(theta, x, y, 1, null); // the terms on all rows at the returned point
        double[] t = objective.lastTerms();
        int m = p.inducingInputs().rows();
        int packed = DkmObjective.packedSize(m);
        List<Matrix> grams = new ArrayList<>();
        for (int l = 0; l <= layers; l++) {
            Matrix v = DkmObjective.unpack(theta, l * packed, m);
            Matrix g = new Matrix(m, m);
            Blas.syrk(1, v, 0, g);
            grams.add(g);
        }
        Matrix a = grams.remove(layers);
        Matrix mu = Matrix.wrap(m, y.cols(), Arrays.copyOfRange(theta, objective.meanOffset(),
                objective.meanOffset() + m * y.cols()));
        double[] terms = new double[layers + 1];
        terms[0] = t[0] - t[layers + 1]; // the output layer's evidence lower bound: E log-lik − KL_out
        System.arraycopy(t, 1, terms, 1, layers);
        double seconds = (System.nanoTime() - started) / 1e9;
        return DeepKernelMachineModel.sparse(map, nu, objective.noise(theta), p.inducingInputs(), mu, a, grams,
                p.jitter(), terms,
                new DeepKernelMachineModel.SparseFit(n, t[0], t[layers + 1], batchSize, batchSize == 0 || !train ? 0 : epochs,
                        stop, iterations, evaluations, (trainingStarted - started) / 1e9, trainingSeconds, seconds));
    }

    private static final class Adam {
        double[] theta;
        long steps;
    }

    /**
     * Adam (Kingma &amp; Ba; β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸) on −𝓛_B over {@code epochs} seeded shuffles. A step
     * that makes a kernel matrix indefinite (NaN) is undone and the rate halved.
     */
    private Adam adam(SparseDkmObjective objective, double[] theta0, Matrix x, Matrix y) {
        int n = x.rows();
        int q = theta0.length;
        double[] theta = theta0.clone();
        double[] first = new double[q];
        double[] second = new double[q];
        double[] gradient = new double[q];
        double rate = learningRate;
        Random rnd = new Random(seed);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long step = 0;
        double b1 = 0.9;
        double b2 = 0.999;
        double[] before = null;
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            for (int from = 0; from < n; from += batchSize) {
                int[] rows = Arrays.copyOfRange(order, from, Math.min(n, from + batchSize));
                Matrix xb = x.selectRows(rows);
                Matrix yb = y.selectRows(rows);
                double scale = (double) n / rows.length;
                double value = objective.valueAndGradient(theta, xb, yb, scale, gradient);
                if (!Double.isFinite(value) && before != null) {
                    // the last step left the positive-definite region: undo it, smaller steps from here
                    theta = before;
                    rate /= 2;
                    value = objective.valueAndGradient(theta, xb, yb, scale, gradient);
                }
                if (!Double.isFinite(value)) {
                    throw new Kernels4jException("sparse DKM: a kernel matrix of the inducing points became indefinite"
                            + " during minibatch training; lower the learning rate (now " + rate + ")");
                }
                step++;
                double c1 = 1 - Math.pow(b1, step);
                double c2 = 1 - Math.pow(b2, step);
                before = theta.clone();
                for (int k = 0; k < q; k++) {
                    first[k] = b1 * first[k] + (1 - b1) * gradient[k];
                    second[k] = b2 * second[k] + (1 - b2) * gradient[k] * gradient[k];
                    theta[k] -= rate * (first[k] / c1) / (Math.sqrt(second[k] / c2) + 1e-8);
                }
            }
        }
        if (!Double.isFinite(objective.valueAndGradient(theta, x.rowRange(0, Math.min(n, batchSize)),
                y.rowRange(0, Math.min(n, batchSize)), 1, null))) {
            theta = before; // the very last step is undone when it left the positive-definite region
        }
        Adam a = new Adam();
        a.theta = theta;
        a.steps = step;
        return a;
    }

    private static void symmetrize(Matrix a) {
        int n = a.rows();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (a.get(i, j) + a.get(j, i));
                a.set(i, j, v);
                a.set(j, i, v);
            }
        }
    }
}
