package org.kernels4j.dkm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NotPositiveDefiniteException;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.TrainingData;
import org.kernels4j.optim.BoundedLbfgs;

/**
 * Exact deep kernel machine regression (Yang, Robeyns, Milsom, Anson, Schoots &amp; Aitchison, "A theory of
 * representation learning gives a deep generalisation of kernel methods", ICML 2023): the Bayesian
 * representation-learning limit of a deep Gaussian process, where each layer's posterior is a point mass
 * on its Gram matrix G_ℓ (n×n), found by maximizing
 * <pre>
 *   𝓛(G_1…G_L) = log P(Y | G_L) − Σ_ℓ ν_ℓ·KL(N(0, G_ℓ) ‖ N(0, K_ℓ)),     K_ℓ = K(G_{ℓ−1}) + δ_ℓI,  G_0 = XXᵀ/d
 *   KL(N(0, G) ‖ N(0, K)) = ½[tr(K⁻¹G) − log det G + log det K − n]
 *   log P(Y | G_L) = Σ_λ log N(y_λ; 0, K(G_L) + (σ² + δ_out)I)      (Gaussian likelihood, k output columns)
 * </pre>
 * K(·) is the {@link GramMap} (every layer uses the same map), ν_ℓ &gt; 0 the layer's relative width and
 * σ² the noise variance. As ν → ∞ the KL terms pin G_ℓ = K_ℓ and 𝓛 is the log marginal likelihood of the
 * NNGP with the composed kernel K(K(…K(G_0))); finite ν lets the likelihood reshape the representations.
 *
 * <p>Optimization: each G_ℓ = V_ℓV_ℓᵀ with V_ℓ lower triangular, log-parameterized diagonal (so G_ℓ stays
 * positive definite), all n(n+1)/2·L entries optimized jointly by L-BFGS ({@link BoundedLbfgs}, unbounded)
 * on −𝓛 with the analytic gradient of {@link DkmObjective}, started from the NNGP values G_ℓ = K_ℓ (or
 * from given Grams). Jitter: δ_ℓ and δ_out are chosen once, at the start, by the escalating Cholesky of
 * the starting K_ℓ and output kernel (0 when not needed), kept fixed so that 𝓛 is one smooth function, and
 * reported; a step where a K_ℓ is not positive definite with that jitter is rejected by the line search.
 *
 * <p>Cost: O(L·n³) time per objective-and-gradient (for L = 2: two Cholesky factorizations and two inverses,
 * about 6 Cholesky equivalents by flops, plus three triangular products and three syrks of n³ flops each;
 * see the benchmark) and O(L·n²) memory, with L-BFGS keeping 2·10 vectors of n(n+1)/2·L numbers: n up to a
 * few thousand. Prediction: {@link DeepKernelMachineModel}.
 *
 * <pre>{@code
 * DeepKernelMachineModel m = DeepKernelMachine.builder(GramMap.parse("nngp(activation=relu, w_var=2)"))
 *         .layers(2).nu(1.0).noise(0.05).build().fit(x, y);
 * Matrix mean = m.predict(xTest), var = m.predictiveVariance(xTest);
 * }</pre>
 */
public final class DeepKernelMachine implements Estimator<DeepKernelMachineModel> {
    private final GramMap map;
    private final int layers;
    private final double[] nu;
    private final double noise;
    private final int maxIterations;
    private final double gradientTolerance;
    private final boolean learnNoise;

    private DeepKernelMachine(Builder b, double[] nu) {
        this.learnNoise = b.learnNoise;
        this.map = b.map;
        this.layers = b.layers;
        this.nu = nu;
        this.noise = b.noise;
        this.maxIterations = b.maxIterations;
        this.gradientTolerance = b.gradientTolerance;
    }

    /** Starts a builder; defaults: 2 layers, ν = 1 for every layer, σ² = 0.01, 1000 L-BFGS iterations, tolerance 1e-5. */
    public static Builder builder(GramMap map) {
        return new Builder(map);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final GramMap map;
        private int layers = 2;
        private double[] nu = {1.0};
        private double noise = 0.01;
        private int maxIterations = 1000;
        private double gradientTolerance = 1e-5;
        private boolean learnNoise;

        private Builder(GramMap map) {
            if (map == null) {
                throw new Kernels4jException("a deep kernel machine needs a layer map, e.g. se(length=1)");
            }
            this.map = map;
        }

        /** L ≥ 1, the number of learned Gram matrices. */
        public Builder layers(int value) {
            this.layers = value;
            return this;
        }

        /** ν_ℓ &gt; 0: one value for every layer, or one per layer (L values). */
        public Builder nu(double... values) {
            this.nu = values == null ? new double[0] : values.clone();
            return this;
        }

        /** σ² &gt; 0, the Gaussian noise variance of the targets. */
        public Builder noise(double value) {
            this.noise = value;
            return this;
        }

        /**
         * Whether to learn σ² with the Gram matrices (default false): log σ² becomes one more L-BFGS parameter,
         * started at {@link #noise}, with ∂𝓛/∂σ² = tr(A_out) = ½(‖α‖² − k·tr C⁻¹) (O(n) given C⁻¹, which the
         * gradient forms anyway). The output jitter δ_out is fixed at the start, so σ² → 0 stays factorable.
         * Caveats: at small ν the representations can fit the targets and σ² runs to 0 (the objective grows
         * without bound there); at large ν the problem is stiff and L-BFGS on the raw factors may stop (on the
         * objective's relative change) before σ² has moved much, so check the returned {@code noise()}.
         */
        public Builder learnNoise(boolean value) {
            this.learnNoise = value;
            return this;
        }

        /** The L-BFGS iteration limit (≥ 1). */
        public Builder maxIterations(int value) {
            this.maxIterations = value;
            return this;
        }

        /** Stop when the largest gradient entry of −𝓛 is at most this (≥ 0). */
        public Builder gradientTolerance(double value) {
            this.gradientTolerance = value;
            return this;
        }

        /**
         * Validates the options.
         *
         * @throws Kernels4jException for L &lt; 1, ν ≤ 0 or not finite, a ν list of the wrong length, σ² ≤ 0
         */
        public DeepKernelMachine build() {
            if (layers < 1 || layers > 100) {
                throw new Kernels4jException("a deep kernel machine needs 1 to 100 layers, got " + layers);
            }
            if (nu.length != 1 && nu.length != layers) {
                throw new Kernels4jException("give one nu for all layers or one per layer (" + layers + "), got "
                        + nu.length);
            }
            for (double v : nu) {
                if (!(v > 0) || Double.isInfinite(v)) {
                    throw new Kernels4jException("nu must be positive and finite, got " + v
                            + " (nu is the layer's relative width; nu -> infinity is the NNGP)");
                }
            }
            if (!(noise > 0) || Double.isInfinite(noise)) {
                throw new Kernels4jException("the noise variance must be positive and finite, got " + noise);
            }
            if (maxIterations < 1) {
                throw new Kernels4jException("the iteration limit must be >= 1, got " + maxIterations);
            }
            if (!(gradientTolerance >= 0)) {
                throw new Kernels4jException("the gradient tolerance must be >= 0, got " + gradientTolerance);
            }
            double[] perLayer = new double[layers];
            Arrays.fill(perLayer, nu[0]);
            if (nu.length == layers) {
                perLayer = nu.clone();
            }
            return new DeepKernelMachine(this, perLayer);
        }
    }

    /** The layer map K(·). */
    public GramMap map() {
        return map;
    }

    /** L. */
    public int layers() {
        return layers;
    }

    /** ν_ℓ per layer (a copy). */
    public double[] nu() {
        return nu.clone();
    }

    /** σ² (the starting value when it is learned). */
    public double noise() {
        return noise;
    }

    /** Whether σ² is learned. */
    public boolean learnsNoise() {
        return learnNoise;
    }

    /** Fits from the NNGP starting point G_ℓ = K(G_{ℓ−1}) (+ jitter). */
    @Override
    public DeepKernelMachineModel fit(Matrix x, Matrix y) {
        return fit(x, y, null);
    }

    /**
     * Fits from the given starting Gram matrices G_1…G_L (each n×n, symmetric positive definite), or from
     * the NNGP values when {@code start} is null.
     *
     * @throws Kernels4jException for bad shapes, a start that is not symmetric positive definite, or a
     *     kernel matrix that stays singular with the largest jitter
     */
    public DeepKernelMachineModel fit(Matrix x, Matrix y, List<Matrix> start) {
        long started = System.nanoTime();
        Problem p = problem(x, y, start);
        int n = x.rows();
        int m = DkmObjective.packedSize(n);
        DkmObjective objective = (DkmObjective) p.objective();
        // L-BFGS in whitened factors, re-whitened and restarted when a run stops short (see WhitenedRounds)
        BoundedLbfgs.Result r = WhitenedRounds.minimize(objective, p.theta(), maxIterations, gradientTolerance);
        double[] factors = r.x();
        if (r.stop() == BoundedLbfgs.Stop.ITERATIONS) {
            System.getLogger(DeepKernelMachine.class.getName()).log(System.Logger.Level.WARNING, () -> String.format(
                    "deep kernel machine: L-BFGS did not converge within %d iterations (objective %.10g); raise"
                    + " maxIterations", r.iterations(), r.value()));
        }
        objective.valueAndGradient(objective.whiten(factors), null); // the terms at the returned point
        List<Matrix> grams = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            Matrix v = DkmObjective.unpack(factors, (l - 1) * m, n);
            Matrix g = new Matrix(n, n);
            Blas.syrk(1, v, 0, g);
            grams.add(g);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new DeepKernelMachineModel(map, nu, objective.noise(r.x()), x, y, grams, p.jitter(),
                objective.lastTerms(), r, seconds);
    }

    /**
     * The optimization problem as L-BFGS sees it, for checks and benchmarks: f = −𝓛 with its analytic
     * gradient as a function of θ, the packed factors (per layer n(n+1)/2 entries, row by row, V_ij at
     * i(i+1)/2 + j, the diagonal as log V_ii), then log σ² when σ² is learned; θ₀ the start; the fixed jitters
     * δ_1…δ_L, δ_out.
     */
    public record Problem(BoundedLbfgs.Objective objective, double[] theta, double[] jitter) {
    }

    /**
     * Validates the data and the start (null: the NNGP values), fixes the jitters and packs the starting
     * factors; {@link #fit} minimizes the returned objective from the returned θ₀.
     */
    public Problem problem(Matrix x, Matrix y, List<Matrix> start) {
        TrainingData.require(x, y);
        int n = x.rows();
        if ((long) n * (n + 1) / 2 * layers > Integer.MAX_VALUE) {
            throw new Kernels4jException("the exact DKM stores n(n+1)/2 numbers per layer; n = " + n + " is too large");
        }
        if (start != null && start.size() != layers) {
            throw new Kernels4jException("give " + layers + " starting Gram matrices, got " + start.size());
        }
        Matrix g0 = inputGram(x);
        int m = DkmObjective.packedSize(n);
        double[] theta = new double[m * layers + (learnNoise ? 1 : 0)];
        if (learnNoise) {
            theta[m * layers] = Math.log(noise);
        }
        double[] jitter = new double[layers + 1];
        Matrix previous = g0;
        for (int l = 1; l <= layers; l++) {
            Matrix k = DkmObjective.apply(map, previous, 0);
            try (Cholesky c = Cholesky.factor(k, "the layer-" + l + " kernel K(G_" + (l - 1) + ")")) {
                jitter[l - 1] = c.jitter();
                Matrix gl;
                Matrix lowerFactor;
                if (start == null) {
                    lowerFactor = c.lower();
                    gl = addToDiagonal(k, jitter[l - 1]);
                } else {
                    gl = requireStart(start.get(l - 1), n, l);
                    try (Cholesky s = DkmObjective.factor(gl)) {
                        lowerFactor = s.lower();
                    } catch (NotPositiveDefiniteException e) {
                        throw new Kernels4jException("starting Gram matrix " + l + " is not positive definite; start "
                                + "from symmetric positive definite matrices (or from the NNGP values: no start)");
                    }
                }
                DkmObjective.pack(lowerFactor, theta, (l - 1) * m);
                previous = gl;
            }
        }
        try (Cholesky c = Cholesky.factor(addToDiagonal(DkmObjective.apply(map, previous, 0), noise),
                "the output kernel K(G_" + layers + ") + noise")) {
            jitter[layers] = c.jitter();
        }
        return new Problem(new DkmObjective(map, layers, nu, noise, learnNoise, g0, y, jitter), theta, jitter);
    }

    /**
     * The problem as {@link #fit}'s first L-BFGS run sees it, for benchmarks: θ packs whitened factors A_ℓ with
     * V_ℓ = W_ℓ·A_ℓ, W_ℓ the starting factors, so θ₀ = 0 (then log σ² when σ² is learned). Each evaluation costs two
     * triangular products per layer more than {@link #problem}'s.
     */
    public Problem whitenedProblem(Matrix x, Matrix y, List<Matrix> start) {
        Problem p = problem(x, y, start);
        double[] theta = ((DkmObjective) p.objective()).whiten(p.theta());
        return new Problem(p.objective(), theta, p.jitter());
    }

    /** G_0 = XXᵀ/d. */
    static Matrix inputGram(Matrix x) {
        Matrix g0 = new Matrix(x.rows(), x.rows());
        Blas.syrk(1.0 / x.cols(), x, 0, g0);
        return g0;
    }

    private static Matrix requireStart(Matrix g, int n, int layer) {
        if (g == null || g.rows() != n || g.cols() != n) {
            throw new Kernels4jException("starting Gram matrix " + layer + " must be " + n + "x" + n + ", got "
                    + (g == null ? "none" : g.shape()));
        }
        g.requireFinite("starting Gram matrix " + layer);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double a = g.get(i, j);
                double b = g.get(j, i);
                if (Math.abs(a - b) > 1e-10 * (Math.abs(a) + Math.abs(b)) + 1e-300) {
                    throw new Kernels4jException("starting Gram matrix " + layer + " is not symmetric: entry (" + i
                            + ", " + j + ") is " + a + " but (" + j + ", " + i + ") is " + b);
                }
            }
        }
        return g.copy();
    }

    static Matrix addToDiagonal(Matrix a, double delta) {
        for (int i = 0; i < a.rows(); i++) {
            a.set(i, i, a.get(i, i) + delta);
        }
        return a;
    }
}
