package org.kernels4j.balance;

import java.util.Arrays;
import java.util.Locale;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.model.FitReport;
import org.kernels4j.optim.BoundedLbfgs;
import org.kernels4j.regression.KernelRidgeModel;

/**
 * Kernel balancing weights: weights on n observed rows under which the observed sample matches a
 * target sample on the kernel functions k(a_j, ·) of m anchor points (Hazlett's KBAL; the
 * balancing constraints of Li et al., "Debiased collaborative filtering with kernel-based causal
 * balancing", ICLR 2024).
 *
 * <p><b>Problem.</b> With φ_i = (k(a_1, x_i), …, k(a_m, x_i)) (the n×m block Φ = K(X_obs, A)),
 * target means μ_j = (1/n_t)·Σ_t k(a_j, z_t) and base weights q (normalised to Σq = 1; uniform by
 * default), find w ≥ 0, Σw = 1, minimising
 * <pre>
 *   KL(w‖q) = Σ_i w_i log(w_i/q_i)   subject to   |Σ_i w_i k(a_j, x_i) − μ_j| ≤ C   for every anchor j,
 * </pre>
 * or, with a ridge r &gt; 0, the penalised form KL(w‖q) + (1/2r)·Σ_j (|Φᵀw − μ|_j − C)₊² (C = 0 gives
 * the exact-balance problem with a quadratic penalty on the imbalance, always feasible).
 *
 * <p><b>Dual.</b> The weights are w_i = q_i·exp(−λᵀφ_i)/Z(λ), Z = Σ_i q_i exp(−λᵀφ_i), where λ ∈ ℝ^m
 * minimises the convex function
 * <pre>
 *   f(λ) = log Σ_i q_i exp(−λᵀφ_i) + λᵀμ + C‖λ‖₁ + (r/2)‖λ‖²,    ∇(smooth part) = μ − Φᵀw + r·λ,
 * </pre>
 * and the primal optimum (KL, plus the penalty with a ridge) equals −min f (strong duality). For
 * C &gt; 0 the L1 term is handled by splitting λ = λ⁺ − λ⁻ with λ± ≥ 0 (2m bounded variables,
 * gradient ±(μ − Φᵀw + rλ) + C) and {@link BoundedLbfgs}; for C = 0 the m variables are unconstrained. log Z is evaluated by
 * log-sum-exp. At the solution the KKT conditions say λ_j &gt; 0 ⇒ (Φᵀw − μ)_j = C + rλ_j,
 * λ_j &lt; 0 ⇒ (Φᵀw − μ)_j = −C + rλ_j, and |(Φᵀw − μ)_j| &lt; C ⇒ λ_j = 0; the solve stops when these
 * hold to {@code tolerance} (reported as {@code kkt_residual}), so without a ridge every constraint
 * holds to {@code tolerance}.
 *
 * <p><b>Solver details.</b> L-BFGS is restarted when it stops on a step that moves a split variable
 * only by rounding onto its bound. When it ends above the tolerance (near the optimum f changes below
 * its rounding level, which stalls a line search on f), Newton steps on the anchors with λ_j ≠ 0, signs
 * held, driven by the gradient alone, finish the solve (Hessian Φ_Fᵀ(diag w − wwᵀ)Φ_F + rI, n·k² flops
 * for k such anchors, skipped above 5·10⁸). For exact balance (C = 0, no ridge) the problem is first
 * whitened: exact constraints are invariant under φ ↦ Tᵀφ, and T = V·diag(s)^(−1/2) from the
 * base-weighted feature covariance V·diag(s)·Vᵀ (n·m² + 9m³ flops) makes the dual's Hessian at λ = 0
 * the identity, where nearby anchors otherwise make it nearly singular (measured: n = 20000, m = 200
 * RBF anchors, 49 iterations whitened, no convergence in 10000 without). The box constraints of
 * C &gt; 0 are not invariant, so that case is solved unwhitened, and where L-BFGS stalls on its
 * conditioning, proximal Newton steps (a quadratic model with the L1 term, minimised by coordinate
 * descent and solved exactly on its support) finish it.
 *
 * <p><b>Infeasibility.</b> Without a ridge, every feasible w has KL(w‖q) ≤ log(1/min_i q_i), so a dual
 * point with −f(λ) above that bound certifies (weak duality) that no weights meet the constraints;
 * the fit then stops and throws, naming the anchors with the largest |λ_j| (the dual diverges along
 * a ray that loads on the anchors whose target means no weighting reaches). It also throws, naming
 * the largest violations, when the iterations end with a violation above {@code tolerance}.
 *
 * <p><b>Cost.</b> Φ: n·m kernel evaluations (one GEMM-based {@link GramEngine#cross} block), memory
 * n·m doubles; μ: n_t·m evaluations without storing them; each dual evaluation O(n·m) (Φλ and Φᵀw);
 * the MMD diagnostic, when on, (n + n_t)²·d matrix-free ({@link #mmdSquared}). Anchors by
 * {@link AnchorSelection#KMEANS_PLUS_PLUS}: O(pool·m) kernel evaluations on the target rows.
 *
 * <pre>{@code
 * BalancingWeights w = KernelBalancing.builder(KernelSpec.parse("rbf(gamma=0.5)"))
 *         .anchors(50, KernelBalancing.AnchorSelection.KMEANS_PLUS_PLUS, 7).constraintTolerance(0.01)
 *         .build().fit(xObserved, xTarget);
 * double mean = BalancedEstimators.weightedMean(w, y);
 * }</pre>
 */
public final class KernelBalancing {
    /** How anchors are drawn from the target rows. */
    public enum AnchorSelection {
        /** m target rows uniformly without replacement. */
        RANDOM,
        /** k-means++ seeding in the kernel's feature space ({@link Landmarks#kMeansPlusPlus}). */
        KMEANS_PLUS_PLUS,
        /**
         * Sampled without replacement with probability ∝ the ridge leverage score of each target row
         * ({@link Landmarks#leverage}, λ = 10⁻³ on the kernel's scale): rows in regions the kernel
         * resolves poorly with few points are favoured, as for Nyström centres.
         */
        LEVERAGE
    }

    /** The most proximal Newton steps that finish a solve with C &gt; 0 after L-BFGS ({@code Dual.proximalNewton}). */
    static final int PROXIMAL_NEWTON_STEPS = 200;

    /** The ridge λ of {@link AnchorSelection#LEVERAGE}'s leverage scores (Nyström's default λ). */
    static final double LEVERAGE_LAMBDA = 1e-3;

    private final Kernel kernel;
    private final Matrix anchors;
    private final int anchorCount;
    private final boolean countGiven;
    private final AnchorSelection selection;
    private final long seed;
    private final double c;
    private final double ridge;
    private final int maxIterations;
    private final double tolerance;
    private final boolean computeMmd;

    private KernelBalancing(Builder b) {
        this.kernel = b.kernel;
        this.anchors = b.anchors;
        this.anchorCount = b.anchorCount;
        this.countGiven = b.countGiven;
        this.selection = b.selection;
        this.seed = b.seed;
        this.c = b.c;
        this.ridge = b.ridge;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.computeMmd = b.computeMmd;
    }

    /**
     * Starts a builder. Defaults: 100 anchors by k-means++ from the target rows with seed 0 (fewer
     * when the target has fewer rows), C = 0, no ridge, 10000 iterations, tolerance 10⁻⁶, MMD on.
     */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options for {@link KernelBalancing}; validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private Matrix anchors;
        private int anchorCount = 100;
        private boolean countGiven;
        private AnchorSelection selection = AnchorSelection.KMEANS_PLUS_PLUS;
        private long seed;
        private double c;
        private double ridge;
        private int maxIterations = 10000;
        private double tolerance = 1e-6;
        private boolean computeMmd = true;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("kernel balancing needs a kernel");
            }
            this.kernel = kernel;
        }

        /** Fixed anchor points a_j, the m×d rows of {@code anchors} (copied). */
        public Builder anchors(Matrix anchors) {
            this.anchors = anchors.copy();
            return this;
        }

        /** {@code count} anchors drawn from the target rows at each fit, by {@code selection} with {@code seed}. */
        public Builder anchors(int count, AnchorSelection selection, long seed) {
            this.anchors = null;
            this.anchorCount = count;
            this.countGiven = true;
            this.selection = selection;
            this.seed = seed;
            return this;
        }

        /** The per-anchor tolerance C ≥ 0 of the balance constraints (0: exact balance). */
        public Builder constraintTolerance(double c) {
            this.c = c;
            return this;
        }

        /** A ridge r ≥ 0: replaces the hard constraints by the penalty (1/2r)·Σ_j (|imbalance_j| − C)₊². */
        public Builder ridge(double ridge) {
            this.ridge = ridge;
            return this;
        }

        /** The L-BFGS iteration limit (≥ 1). */
        public Builder maxIterations(int limit) {
            this.maxIterations = limit;
            return this;
        }

        /** The projected-gradient tolerance, which bounds each constraint violation (&gt; 0). */
        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** Whether fit computes the MMD² diagnostic ((n + n_t)²·d work); on by default. */
        public Builder computeMmd(boolean on) {
            this.computeMmd = on;
            return this;
        }

        /** @throws Kernels4jException for an invalid option */
        public KernelBalancing build() {
            if (anchors != null) {
                if (anchors.rows() == 0) {
                    throw new Kernels4jException("the anchor matrix has no rows");
                }
                anchors.requireFinite("anchors");
            } else {
                if (anchorCount < 1) {
                    throw new Kernels4jException("the number of anchors must be >= 1, got " + anchorCount);
                }
                if (selection == null) {
                    throw new Kernels4jException("no anchor selection method given");
                }
            }
            if (!(c >= 0) || Double.isInfinite(c)) {
                throw new Kernels4jException("the constraint tolerance C must be a finite number >= 0, got " + c);
            }
            if (!(ridge >= 0) || Double.isInfinite(ridge)) {
                throw new Kernels4jException("the ridge must be a finite number >= 0, got " + ridge);
            }
            if (maxIterations < 1) {
                throw new Kernels4jException("the iteration limit must be >= 1, got " + maxIterations);
            }
            if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
                throw new Kernels4jException("the tolerance must be a positive finite number, got " + tolerance);
            }
            return new KernelBalancing(this);
        }
    }

    /**
     * Adaptive anchors (the "AKB" of Li et al., 2024): the {@code count} training inputs of a fitted
     * kernel ridge model f = Σ_i α_i k(x_i, ·) with the largest |α_i| (summed over outputs), typically
     * a fit of the outcome, or of a prediction model's error, on the observed rows. Balancing on the
     * functions k(x_i, ·) that carry most of f removes most of the bias of f's weighted mean first.
     * For an exact fit the candidates are all its training rows; for a Nyström fit, its centres.
     * Pass the result to {@link Builder#anchors(Matrix)}. O(n log n) for n candidates.
     *
     * @throws Kernels4jException when {@code count} is not between 1 and the number of candidates
     */
    public static Matrix adaptiveAnchors(KernelRidgeModel outcomeFit, int count) {
        Matrix inputs = outcomeFit.trainingInputs();
        Matrix alpha = outcomeFit.dualCoefficients();
        int n = inputs.rows();
        if (count < 1 || count > n) {
            throw new Kernels4jException("cannot take " + count + " adaptive anchors from a fit with " + n
                    + " coefficients");
        }
        double[] size = new double[n];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < alpha.cols(); o++) {
                size[i] += Math.abs(alpha.get(i, o));
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // largest first; ties by row index, so the choice is reproducible
        Arrays.sort(order, (p, q) -> size[p] != size[q] ? Double.compare(size[q], size[p]) : Integer.compare(p, q));
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) {
            rows[i] = order[i];
        }
        Arrays.sort(rows);
        return inputs.selectRows(rows);
    }

    /** The same options with fixed anchors {@code a} and, if {@code mmd} is false, no MMD diagnostic. */
    KernelBalancing withAnchors(Matrix a, boolean mmd) {
        return builder(kernel).anchors(a).constraintTolerance(c).ridge(ridge).maxIterations(maxIterations)
                .tolerance(tolerance).computeMmd(mmd).build();
    }

    /** Balances {@code xObserved} (n×d) to {@code xTarget} (n_t×d) with uniform base weights. */
    public BalancingWeights fit(Matrix xObserved, Matrix xTarget) {
        return fit(xObserved, null, xTarget);
    }

    /**
     * Balances {@code xObserved} (n×d) to {@code xTarget} (n_t×d) starting from base weights q (length
     * n, ≥ 0, not all 0; normalised to sum 1; null for uniform). Base weights are data, not options, so
     * they are passed here and one configured estimator can be fitted to many resamples.
     *
     * @throws Kernels4jException for empty, non-finite or mismatched inputs, or when the constraints
     *     cannot be met (naming the worst anchors)
     */
    public BalancingWeights fit(Matrix xObserved, double[] baseWeights, Matrix xTarget) {
        requireData(xObserved, "observed");
        requireData(xTarget, "target");
        if (xObserved.cols() != xTarget.cols()) {
            throw new Kernels4jException("the observed rows have " + xObserved.cols() + " columns but the target rows have "
                    + xTarget.cols());
        }
        int n = xObserved.rows();
        double[] q = normalisedBase(baseWeights, n);
        Matrix a = anchorsFor(xTarget);
        if (a.cols() != xObserved.cols()) {
            throw new Kernels4jException("the anchors have " + a.cols() + " columns but the data has " + xObserved.cols());
        }
        int m = a.rows();
        Matrix phi = GramEngine.cross(kernel, xObserved, a); // n×m
        double[] mu = GramEngine.crossTimes(kernel, a, xTarget, constantColumn(xTarget.rows(), 1.0 / xTarget.rows()),
                ProgressListener.NONE).data().clone();
        Dual original = new Dual(phi.data(), n, m, q, mu, c, ridge);
        Dual dual = original;
        double[] whitening = null;
        double gradientTolerance = tolerance;
        if (c == 0 && ridge == 0) {
            // Exact balance is invariant under φ ↦ Tᵀφ, μ ↦ Tᵀμ, λ = T·λ' for any invertible T. With T from the
            // base-weighted covariance S = Φᵀdiag(q)Φ − (Φᵀq)(Φᵀq)ᵀ = V·diag(s)·Vᵀ, T = V·diag(s)^(−1/2), the dual's
            // Hessian at λ = 0 is the identity instead of S, whose condition number for nearby anchors is huge.
            Whitening wt = whitening(phi, q);
            if (wt != null) {
                whitening = wt.t();
                Matrix t = Matrix.wrap(m, m, whitening);
                Matrix phiT = phi.times(t);
                double[] muT = t.transpose().times(Matrix.column(mu)).data();
                dual = new Dual(phiT.data(), n, m, q, muT, c, ridge);
                // imbalance = V·diag(√s)·g', so |imbalance|∞ ≤ √(max s)·√m·|g'|∞
                gradientTolerance = tolerance / Math.sqrt(wt.top() * m);
            }
        }
        boolean split = c > 0;
        int vars = split ? 2 * m : m;
        double[] lower = new double[vars];
        double[] upper = new double[vars];
        Arrays.fill(lower, split ? 0.0 : Double.NEGATIVE_INFINITY);
        Arrays.fill(upper, Double.POSITIVE_INFINITY);
        BoundedLbfgs solver = BoundedLbfgs.defaults().withMaxIterations(maxIterations)
                .withTolerances(gradientTolerance, 0.0);
        BoundedLbfgs.Result result = null;
        boolean certified = false;
        int iterations = 0;
        int evaluations = 0;
        double[] start = new double[vars];
        try {
            // BoundedLbfgs stops (relative decrease ≤ 0) when a step only carries a split variable from a
            // rounding distance above its bound onto it; a restart from that point, with the variable now at
            // its bound and held, continues. Three restarts in a row that lower f by nothing mean f has reached
            // its rounding level: the Newton finish below takes over.
            int idle = 0;
            while (iterations < maxIterations) {
                BoundedLbfgs.Result run = solver.withMaxIterations(maxIterations - iterations)
                        .minimize(dual, start, lower, upper);
                iterations += run.iterations();
                evaluations += run.evaluations();
                idle = result != null && !(run.value() < result.value()) ? idle + 1 : 0;
                result = run;
                start = run.x();
                if (run.stop() == BoundedLbfgs.Stop.GRADIENT || run.stop() == BoundedLbfgs.Stop.ITERATIONS
                        || run.iterations() == 0 || idle >= 3) {
                    break;
                }
            }
        } catch (Infeasible e) {
            certified = true;
        }
        double[] lambda = certified ? dual.lastLambda : dual.lambdaOf(result.x());
        int newtonSteps = 0;
        try {
            if (!certified && dual.kktResidual(lambda) > gradientTolerance) {
                // with C > 0 anchors must move onto and off zero, which proximal Newton does within a step
                newtonSteps = c > 0 ? dual.proximalNewton(lambda, gradientTolerance, PROXIMAL_NEWTON_STEPS)
                        : dual.polish(lambda, gradientTolerance, 30);
            }
        } catch (Infeasible e) {
            certified = true;
            lambda = dual.lastLambda;
        }
        if (whitening != null) {
            lambda = Matrix.wrap(m, m, whitening).times(Matrix.column(lambda)).data();
            if (!certified && original.kktResidual(lambda) > tolerance) {
                newtonSteps += original.polish(lambda, tolerance, 30);
            }
        }
        dual = original;
        double kkt = dual.kktResidual(lambda); // also fills dual.w and dual.logZ at the final point
        double[] w = dual.w.clone();
        double[] achieved = dual.phiTw(w);
        double[] imbalance = new double[m];
        double maxViolation = 0;
        for (int j = 0; j < m; j++) {
            imbalance[j] = achieved[j] - mu[j];
            maxViolation = Math.max(maxViolation, Math.abs(imbalance[j]) - c);
        }
        if (ridge == 0 && (certified || maxViolation > tolerance)) {
            throw new Kernels4jException(infeasibleMessage(certified, iterations, result, lambda, imbalance, achieved,
                    mu));
        }
        double kl = 0;
        double sumSq = 0;
        double maxW = 0;
        for (int i = 0; i < n; i++) {
            if (w[i] > 0) {
                kl += w[i] * Math.log(w[i] / q[i]);
            }
            sumSq += w[i] * w[i];
            maxW = Math.max(maxW, w[i]);
        }
        double mmd = Double.NaN;
        double mmdBase = Double.NaN;
        if (computeMmd) {
            double[] both = mmdSquared(kernel, xObserved, new double[][] {w, q}, xTarget);
            mmd = both[0];
            mmdBase = both[1];
        }
        double ess = 1.0 / sumSq;
        boolean converged = kkt <= tolerance;
        if (!converged) {
            System.getLogger(KernelBalancing.class.getName()).log(System.Logger.Level.WARNING, String.format(
                    "kernel balancing did not converge: KKT residual %.3g > tolerance %.3g after %d L-BFGS iterations"
                    + " and %d Newton steps", kkt, tolerance, iterations, newtonSteps));
        }
        FitReport report = FitReport.builder()
                .add("observed_rows", (long) n)
                .add("target_rows", (long) xTarget.rows())
                .add("anchors", (long) m)
                .add("constraint_tolerance", c)
                .add("ridge", ridge)
                .add("iterations", (long) iterations)
                .add("evaluations", (long) evaluations)
                .add("stop", result.stop().name().toLowerCase(Locale.ROOT))
                .add("newton_steps", (long) newtonSteps)
                .add("kkt_residual", kkt)
                .add("converged", converged)
                .add("dual_objective", -dual.value(lambda))
                .add("kl_divergence", kl)
                .add("max_imbalance", maxAbs(imbalance))
                .add("max_violation", Math.max(0, maxViolation))
                .add("mmd2", mmd)
                .add("mmd2_base", mmdBase)
                .add("effective_sample_size", ess)
                .add("max_weight", maxW)
                .build();
        // the tilt ρ(x) = exp(−λᵀφ(x) − log Z), so that w_i = q_i·ρ(x_i)
        return new BalancingWeights(kernel, a, lambda, dual.logZ, w, mu, achieved, c, ridge, kl, mmd, mmdBase, report);
    }

    /** The whitening T (m×m row-major) and the largest eigenvalue of S. */
    private record Whitening(double[] t, double top) {
    }

    /**
     * T = V·diag(s)^(−1/2) (m×m, row-major) from S = Φᵀdiag(q)Φ − (Φᵀq)(Φᵀq)ᵀ = V·diag(s)·Vᵀ, with eigenvalues
     * floored at 10⁻¹²·max s; null when S is 0 (no anchor function varies over the observed rows).
     * n·m² + 9m³ flops.
     */
    private static Whitening whitening(Matrix phi, double[] q) {
        int n = phi.rows();
        int m = phi.cols();
        Matrix scaled = new Matrix(n, m);
        double[] p = new double[m];
        for (int i = 0; i < n; i++) {
            double sq = Math.sqrt(q[i]);
            for (int j = 0; j < m; j++) {
                scaled.set(i, j, sq * phi.get(i, j));
                p[j] += q[i] * phi.get(i, j);
            }
        }
        Matrix cov = scaled.transpose().times(scaled);
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < m; k++) {
                cov.set(j, k, cov.get(j, k) - p[j] * p[k]);
            }
        }
        SymmetricEigen eig = SymmetricEigen.of(cov);
        double[] values = eig.values();
        double top = 0;
        for (double v : values) {
            top = Math.max(top, v);
        }
        if (!(top > 0)) {
            return null;
        }
        Matrix v = eig.vectors();
        double[] t = new double[m * m];
        for (int k = 0; k < m; k++) {
            double f = 1 / Math.sqrt(Math.max(values[k], 1e-12 * top));
            for (int j = 0; j < m; j++) {
                t[j * m + k] = v.get(j, k) * f;
            }
        }
        return new Whitening(t, top);
    }

    /**
     * The squared kernel MMD between the weighted observed sample and the (uniformly weighted) target
     * sample, for each weight vector given:
     * MMD² = wᵀK(X,X)w − (2/n_t)·wᵀK(X,Z)1 + (1/n_t²)·1ᵀK(Z,Z)1. Weights are used as given (pass
     * vectors summing to 1). Matrix-free: O((n + n_t)²·d) time, O(n + n_t) extra memory.
     */
    public static double[] mmdSquared(Kernel kernel, Matrix xObserved, double[][] weights, Matrix xTarget) {
        int n = xObserved.rows();
        int nt = xTarget.rows();
        int k = weights.length;
        Matrix wm = new Matrix(n, k);
        for (int c = 0; c < k; c++) {
            if (weights[c].length != n) {
                throw new Kernels4jException("MMD: " + weights[c].length + " weights for " + n + " observed rows");
            }
            for (int i = 0; i < n; i++) {
                wm.set(i, c, weights[c][i]);
            }
        }
        Matrix ones = constantColumn(nt, 1.0 / nt);
        Matrix kw = GramEngine.crossTimes(kernel, xObserved, xObserved, wm, ProgressListener.NONE); // n×k
        Matrix kt = GramEngine.crossTimes(kernel, xObserved, xTarget, ones, ProgressListener.NONE); // n×1
        Matrix tt = GramEngine.crossTimes(kernel, xTarget, xTarget, ones, ProgressListener.NONE); // n_t×1
        double target = 0;
        for (int t = 0; t < nt; t++) {
            target += tt.get(t, 0) / nt;
        }
        double[] out = new double[k];
        for (int c = 0; c < k; c++) {
            double ww = 0;
            double wt = 0;
            for (int i = 0; i < n; i++) {
                ww += weights[c][i] * kw.get(i, c);
                wt += weights[c][i] * kt.get(i, 0);
            }
            out[c] = ww - 2 * wt + target;
        }
        return out;
    }

    /**
     * Names the worst anchors: with a certificate, those with the largest |λ_j| (the dual diverges
     * along a ray that loads on the anchors whose target means no weighting reaches); otherwise those
     * with the largest violation |imbalance_j| − C.
     */
    private String infeasibleMessage(boolean certified, int iterations, BoundedLbfgs.Result result, double[] lambda,
            double[] imbalance, double[] achieved, double[] mu) {
        Integer[] order = new Integer[imbalance.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        double[] key = certified ? lambda : imbalance;
        Arrays.sort(order, (x, y) -> Double.compare(Math.abs(key[y]), Math.abs(key[x])));
        StringBuilder sb = new StringBuilder("kernel balancing: the balance constraints ");
        if (certified) {
            sb.append("cannot be met (the dual objective exceeds log(1/min q), which proves that no weights satisfy them)");
        } else {
            // no certificate: either infeasible, or the solve stalled (f flat to rounding on a nearly singular dual)
            sb.append(String.format(Locale.ROOT, "were not met within %d iterations (stopped: %s; violation above the "
                    + "tolerance %.3g): they cannot be met, or the solve stalled short of them", iterations,
                    result.stop().name().toLowerCase(Locale.ROOT), tolerance));
        }
        // certified: the anchors the diverging dual ray loads on most; otherwise: the largest violations
        sb.append(certified ? "; anchors with the largest multipliers (0-based):" : "; worst anchors (0-based):");
        for (int r = 0; r < Math.min(5, order.length); r++) {
            int j = order[r];
            sb.append(String.format(Locale.ROOT, " #%d (target mean %.4g, weighted observed %.4g, imbalance %.3g)", j,
                    mu[j], achieved[j], imbalance[j]));
            if (r < Math.min(5, order.length) - 1) {
                sb.append(',');
            }
        }
        sb.append(". The observed rows do not reach the target near those anchors: raise the constraint tolerance C,"
                + " add a ridge, or use fewer or other anchors").append(certified ? "" : ", or raise the iteration limit");
        return sb.toString();
    }

    private Matrix anchorsFor(Matrix xTarget) {
        if (anchors != null) {
            return anchors;
        }
        int nt = xTarget.rows();
        int m = countGiven ? anchorCount : Math.min(anchorCount, nt);
        if (m > nt) {
            throw new Kernels4jException("cannot draw " + m + " anchors from " + nt + " target rows");
        }
        int[] rows = switch (selection) {
            case RANDOM -> Landmarks.uniform(nt, m, seed);
            case KMEANS_PLUS_PLUS -> Landmarks.kMeansPlusPlus(kernel, xTarget, m, seed);
            case LEVERAGE -> Landmarks.leverage(kernel, xTarget, m, LEVERAGE_LAMBDA, seed);
        };
        return xTarget.selectRows(rows);
    }

    private static void requireData(Matrix x, String what) {
        if (x == null || x.rows() == 0) {
            throw new Kernels4jException("kernel balancing: the " + what + " sample is empty");
        }
        if (x.cols() == 0) {
            throw new Kernels4jException("kernel balancing: the " + what + " sample has no columns");
        }
        x.requireFinite(what + " rows");
    }

    private static double[] normalisedBase(double[] base, int n) {
        double[] q = new double[n];
        if (base == null) {
            Arrays.fill(q, 1.0 / n);
            return q;
        }
        if (base.length != n) {
            throw new Kernels4jException("kernel balancing: " + base.length + " base weights for " + n + " observed rows");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (!(base[i] >= 0) || Double.isInfinite(base[i])) {
                throw new Kernels4jException("kernel balancing: base weight " + i + " is " + base[i]
                        + "; base weights must be finite and >= 0");
            }
            sum += base[i];
        }
        if (!(sum > 0)) {
            throw new Kernels4jException("kernel balancing: all base weights are 0");
        }
        for (int i = 0; i < n; i++) {
            q[i] = base[i] / sum;
        }
        return q;
    }

    private static Matrix constantColumn(int rows, double value) {
        Matrix v = new Matrix(rows, 1);
        Arrays.fill(v.data(), value);
        return v;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Thrown out of the objective when the dual value certifies infeasibility. */
    private static final class Infeasible extends RuntimeException {
        Infeasible() {
            super(null, null, false, false);
        }
    }

    /** f(λ) and its gradient; λ split into λ⁺ − λ⁻ when C &gt; 0. */
    private static final class Dual implements BoundedLbfgs.Objective {
        final double[] phi;
        final int n;
        final int m;
        final double[] logQ;
        final double[] mu;
        final double c;
        final double ridge;
        final double bound; // log(1/min q): the largest KL of any w; −f above it proves infeasibility
        final double[] w;
        final double[] s;
        double logZ;
        double[] lastLambda;

        Dual(double[] phi, int n, int m, double[] q, double[] mu, double c, double ridge) {
            this.phi = phi;
            this.n = n;
            this.m = m;
            this.mu = mu;
            this.c = c;
            this.ridge = ridge;
            this.logQ = new double[n];
            double minQ = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                logQ[i] = Math.log(q[i]);
                if (q[i] > 0) {
                    minQ = Math.min(minQ, q[i]);
                }
            }
            this.bound = -Math.log(minQ);
            this.w = new double[n];
            this.s = new double[n];
        }

        double[] lambdaOf(double[] x) {
            if (c == 0) {
                return x.clone();
            }
            double[] l = new double[m];
            for (int j = 0; j < m; j++) {
                l[j] = x[j] - x[m + j];
            }
            return l;
        }

        /** w ∝ q·exp(−Φλ) into {@link #w}; returns log Z. */
        double weightsAt(double[] lambda) {
            double top = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double dot = 0;
                int base = i * m;
                for (int j = 0; j < m; j++) {
                    dot += phi[base + j] * lambda[j];
                }
                s[i] = logQ[i] - dot;
                top = Math.max(top, s[i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                w[i] = Math.exp(s[i] - top);
                sum += w[i];
            }
            for (int i = 0; i < n; i++) {
                w[i] /= sum;
            }
            logZ = top + Math.log(sum);
            return logZ;
        }

        double[] phiTw(double[] weights) {
            double[] out = new double[m];
            for (int i = 0; i < n; i++) {
                double wi = weights[i];
                if (wi == 0) {
                    continue;
                }
                int base = i * m;
                for (int j = 0; j < m; j++) {
                    out[j] += wi * phi[base + j];
                }
            }
            return out;
        }

        /** f(λ) (with ‖λ‖₁), leaving w and log Z at λ. */
        double value(double[] lambda) {
            double f = weightsAt(lambda);
            for (int j = 0; j < m; j++) {
                f += lambda[j] * mu[j] + c * Math.abs(lambda[j]) + 0.5 * ridge * lambda[j] * lambda[j];
            }
            return f;
        }

        /** g = μ − Φᵀw + rλ at λ (w left at λ). */
        double[] smoothGradient(double[] lambda) {
            weightsAt(lambda);
            double[] achieved = phiTw(w);
            double[] g = new double[m];
            for (int j = 0; j < m; j++) {
                g[j] = mu[j] - achieved[j] + ridge * lambda[j];
            }
            return g;
        }

        /**
         * The largest violation of the optimality conditions: |g_j + C·sign λ_j| where λ_j ≠ 0, and
         * (|g_j| − C)₊ where λ_j = 0 (the projected gradient of the split problem).
         */
        double kktResidual(double[] lambda) {
            double[] g = smoothGradient(lambda);
            double worst = 0;
            for (int j = 0; j < m; j++) {
                double r = lambda[j] != 0 ? Math.abs(g[j] + c * Math.signum(lambda[j])) : Math.max(0, Math.abs(g[j]) - c);
                worst = Math.max(worst, r);
            }
            return worst;
        }

        /**
         * Newton steps on the variables with λ_j ≠ 0 (all of them when C = 0), signs held, from
         * gradients alone: near the optimum f changes below its rounding level, which stops a line
         * search on f, while the gradient is still accurate. Hessian Φ_Fᵀ(diag w − wwᵀ)Φ_F + rI,
         * n·k² + k³/3 flops per step for k free anchors; skipped above 5·10⁸. Updates λ in place;
         * returns the steps taken.
         */
        int polish(double[] lambda, double tol, int maxSteps) {
            int[] free = java.util.stream.IntStream.range(0, m).filter(j -> c == 0 || lambda[j] != 0).toArray();
            int k = free.length;
            if (k == 0 || (double) n * k * k > 5e8) {
                return 0;
            }
            double current = kktResidual(lambda);
            int steps = 0;
            for (; steps < maxSteps && current > tol; steps++) {
                double[] g = smoothGradient(lambda); // w at λ
                double[] h = hessian(free);
                double[] rhs = new double[k];
                for (int p = 0; p < k; p++) {
                    h[p * k + p] += ridge + 1e-14;
                    rhs[p] = -(g[free[p]] + c * Math.signum(lambda[free[p]]));
                }
                double[] delta = choleskySolve(h, rhs, k);
                if (delta == null) {
                    break;
                }
                boolean improved = false;
                for (double alpha = 1; alpha > 1e-4 && !improved; alpha /= 2) {
                    double[] trial = lambda.clone();
                    for (int p = 0; p < k; p++) {
                        double v = lambda[free[p]] + alpha * delta[p];
                        // hold the sign: a variable that would cross zero stops at zero (C > 0 only)
                        trial[free[p]] = c > 0 && v * lambda[free[p]] < 0 ? 0.0 : v;
                    }
                    double r = kktResidual(trial);
                    if (r < current) {
                        System.arraycopy(trial, 0, lambda, 0, m);
                        current = r;
                        improved = true;
                    }
                }
                if (!improved) {
                    break;
                }
            }
            return steps;
        }

        /**
         * Proximal Newton steps for C &gt; 0 (Lee, Sun &amp; Saunders, "Proximal Newton-type methods for minimizing
         * composite functions", SIAM J. Optim. 2014), the way glmnet and LIBLINEAR solve L1-regularised problems:
         * each step minimises the quadratic model gᵀδ + ½δᵀHδ + C‖λ + δ‖₁ of f around λ (g the smooth gradient, H
         * = Φᵀ(diag w − wwᵀ)Φ + rI, all m anchors) by cyclic coordinate descent, each coordinate's minimiser a
         * soft-threshold, then searches along δ for Armijo's decrease of f (sufficient decrease against the model's
         * own decrease gᵀδ + C(‖λ + δ‖₁ − ‖λ‖₁)). Anchors move onto and off zero within one step, and the step
         * is invariant under the near-collinearity of nearby anchors that makes the split L-BFGS stall. Where f
         * has reached its rounding level (a change below 10⁻¹³·(1 + |f|)) a step is kept when it lowers the KKT
         * residual. n·m² + sweeps·m² flops per step; skipped above n·m² = 5·10⁸. A trial point that proves the
         * constraints infeasible ends the solve ({@link #refuteFeasibility}). Updates λ in place; returns the steps
         * taken.
         */
        int proximalNewton(double[] lambda, double tol, int maxSteps) {
            if ((double) n * m * m > 5e8) {
                return 0;
            }
            double fNow = value(lambda);
            double current = kktResidual(lambda);
            int[] all = java.util.stream.IntStream.range(0, m).toArray();
            int steps = 0;
            for (; steps < maxSteps && current > tol; steps++) {
                double[] g = smoothGradient(lambda); // w at λ
                double[] h = hessian(all);
                double trace = 0;
                for (int p = 0; p < m; p++) {
                    trace += h[p * m + p];
                }
                double shift = ridge + 1e-12 * Math.max(trace / m, 1e-300); // keeps every coordinate's curvature > 0
                double[] delta = new double[m];
                double[] hDelta = new double[m];
                for (int sweep = 0; sweep < 10_000; sweep++) {
                    double moved = 0;
                    double size = 0;
                    for (int j = 0; j < m; j++) {
                        double hjj = h[j * m + j] + shift;
                        double b = g[j] + hDelta[j] - hjj * delta[j]; // the model's slope at δ_j = 0
                        double z = lambda[j] - b / hjj;
                        double t = Math.signum(z) * Math.max(Math.abs(z) - c / hjj, 0) - lambda[j];
                        double change = t - delta[j];
                        if (change != 0) {
                            delta[j] = t;
                            for (int r = 0; r < m; r++) {
                                hDelta[r] += h[r * m + j] * change;
                            }
                            hDelta[j] += shift * change;
                            moved = Math.max(moved, Math.abs(change));
                        }
                        size = Math.max(size, Math.abs(lambda[j] + delta[j]));
                    }
                    if (moved <= 1e-13 * Math.max(size, 1e-300)) {
                        break;
                    }
                }
                refineOnSupport(h, shift, g, lambda, delta);
                double model = 0; // gᵀδ + C(‖λ + δ‖₁ − ‖λ‖₁): negative unless λ is already optimal
                for (int j = 0; j < m; j++) {
                    model += g[j] * delta[j] + c * (Math.abs(lambda[j] + delta[j]) - Math.abs(lambda[j]));
                }
                boolean improved = false;
                for (double alpha = 1; alpha >= 0x1p-30 && !improved; alpha /= 2) {
                    double[] trial = lambda.clone();
                    for (int j = 0; j < m; j++) {
                        trial[j] += alpha * delta[j];
                    }
                    double f = value(trial);
                    refuteFeasibility(f, trial);
                    boolean flat = Math.abs(f - fNow) <= 1e-13 * (1 + Math.abs(fNow));
                    double r = flat ? kktResidual(trial) : Double.NaN;
                    if ((!flat && f <= fNow + 1e-4 * alpha * Math.min(model, 0)) || (flat && r < current)) {
                        System.arraycopy(trial, 0, lambda, 0, m);
                        fNow = f;
                        current = flat ? r : kktResidual(lambda);
                        improved = true;
                    }
                }
                if (!improved) {
                    break;
                }
            }
            return steps;
        }

        /**
         * Coordinate descent converges slowly on the model when H is ill-conditioned, but it finds the model's
         * support early: on the anchors F where λ + δ ≠ 0, with those signs σ held and the others at zero, the
         * model's minimiser solves H_FF·δ_F = −(g_F + C·σ_F) − H_FN·δ_N (δ_N = −λ_N). When that solution keeps
         * every sign of F, it replaces δ (an exact solve of the model on that support); otherwise δ stays.
         */
        private void refineOnSupport(double[] h, double shift, double[] g, double[] lambda, double[] delta) {
            int k = 0;
            for (int j = 0; j < m; j++) {
                k += lambda[j] + delta[j] != 0 ? 1 : 0;
            }
            if (k == 0) {
                return;
            }
            int[] free = new int[k];
            for (int j = 0, p = 0; j < m; j++) {
                if (lambda[j] + delta[j] != 0) {
                    free[p++] = j;
                }
            }
            double[] hf = new double[k * k];
            double[] rhs = new double[k];
            for (int p = 0; p < k; p++) {
                int j = free[p];
                double sign = Math.signum(lambda[j] + delta[j]);
                double r = -(g[j] + c * sign);
                for (int t = 0; t < m; t++) {
                    if (lambda[t] + delta[t] == 0) {
                        r += h[j * m + t] * lambda[t]; // δ_t = −λ_t
                    }
                }
                rhs[p] = r;
                for (int q = 0; q < k; q++) {
                    hf[p * k + q] = h[j * m + free[q]];
                }
                hf[p * k + p] += shift;
            }
            double[] d = choleskySolve(hf, rhs, k);
            if (d == null) {
                return;
            }
            for (int p = 0; p < k; p++) {
                int j = free[p];
                if ((lambda[j] + d[p]) * (lambda[j] + delta[j]) <= 0) {
                    return; // a sign changed: not the model's minimiser on this support
                }
            }
            for (int p = 0; p < k; p++) {
                delta[free[p]] = d[p];
            }
        }

        /**
         * The dual's Hessian without the ridge on the anchors {@code free}, Φ_Fᵀ(diag w − wwᵀ)Φ_F (k×k, row-major),
         * at the weights w of the last evaluation; n·k² flops.
         */
        private double[] hessian(int[] free) {
            int k = free.length;
            double[] a = phiTw(w);
            double[] h = new double[k * k];
            for (int i = 0; i < n; i++) {
                double wi = w[i];
                int base = i * m;
                for (int p = 0; p < k; p++) {
                    double v = wi * phi[base + free[p]];
                    for (int r = 0; r <= p; r++) {
                        h[p * k + r] += v * phi[base + free[r]];
                    }
                }
            }
            for (int p = 0; p < k; p++) {
                for (int r = 0; r <= p; r++) {
                    h[p * k + r] -= a[free[p]] * a[free[r]];
                    h[r * k + p] = h[p * k + r];
                }
            }
            return h;
        }

        /**
         * Without a ridge, a dual value f(λ) with −f above log(1/min q), the largest KL of any weighting, proves by weak
         * duality that no weights meet the constraints: records λ in {@link #lastLambda} and throws {@link Infeasible}.
         */
        private void refuteFeasibility(double f, double[] lambda) {
            if (ridge == 0 && -f > bound + 1e-9 * Math.max(1, bound)) {
                lastLambda = lambda;
                throw new Infeasible();
            }
        }

        /** Solves the k×k SPD system h·x = b by Cholesky; null when h is not positive definite. */
        private static double[] choleskySolve(double[] h, double[] b, int k) {
            double[] l = new double[k * k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j <= i; j++) {
                    double sum = h[i * k + j];
                    for (int t = 0; t < j; t++) {
                        sum -= l[i * k + t] * l[j * k + t];
                    }
                    if (i == j) {
                        if (!(sum > 0)) {
                            return null;
                        }
                        l[i * k + i] = Math.sqrt(sum);
                    } else {
                        l[i * k + j] = sum / l[j * k + j];
                    }
                }
            }
            double[] y = new double[k];
            for (int i = 0; i < k; i++) {
                double sum = b[i];
                for (int t = 0; t < i; t++) {
                    sum -= l[i * k + t] * y[t];
                }
                y[i] = sum / l[i * k + i];
            }
            for (int i = k - 1; i >= 0; i--) {
                double sum = y[i];
                for (int t = i + 1; t < k; t++) {
                    sum -= l[t * k + i] * y[t];
                }
                y[i] = sum / l[i * k + i];
            }
            return y;
        }

        @Override
        public double valueAndGradient(double[] x, double[] gradient) {
            double[] lambda = lambdaOf(x);
            double f = weightsAt(lambda);
            if (!Double.isFinite(f)) {
                return Double.NaN;
            }
            double[] achieved = phiTw(w);
            double l1 = 0;
            double l2 = 0;
            for (int j = 0; j < m; j++) {
                f += lambda[j] * mu[j];
                l1 += Math.abs(lambda[j]);
                l2 += lambda[j] * lambda[j];
                double g = mu[j] - achieved[j] + ridge * lambda[j];
                if (c == 0) {
                    gradient[j] = g;
                } else {
                    gradient[j] = g + c;
                    gradient[m + j] = -g + c;
                }
            }
            if (c > 0) {
                l1 = 0;
                for (double v : x) {
                    l1 += v; // Σ(λ⁺ + λ⁻): equals ‖λ‖₁ at the optimum, and is what the split problem minimises
                }
            }
            f += c * l1 + 0.5 * ridge * l2;
            refuteFeasibility(f, lambda);
            return f;
        }
    }
}
