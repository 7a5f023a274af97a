package org.kernels4j.regression;

import org.kernels4j.model.TrainingData;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.approx.Nystrom;
import org.kernels4j.spectral.SpectralFilter;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeBuffer;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;

/**
 * Kernel ridge regression restricted to m Nyström centres C ⊂ X, solved by preconditioned
 * conjugate gradient as in Falkon (Rudi, Carratino &amp; Rosasco, 2017; Meanti et al., 2020):
 * f(x) = K(x, C)·α with α minimising ‖y − K_nm·α‖² + λ·αᵀK_mm·α, i.e.
 * <pre>
 *   (K_nmᵀK_nm + λ·K_mm)·α = K_nmᵀ·y.
 * </pre>
 * λ has the same meaning as in {@link KernelRidge}: with C = X the solution is exact kernel ridge
 * regression. (Falkon's papers write λ·n for it.)
 *
 * <p>Preconditioner: with K_mm = TᵀT (Cholesky, jitter if needed) and AᵀA = (n/m)·T·Tᵀ + λ·I, the
 * matrix B = T⁻¹A⁻¹ makes BᵀHB ≈ I for H = K_nmᵀK_nm + λK_mm, because K_nmᵀK_nm ≈ (n/m)·K_mm² when
 * the centres are a uniform sample. CG runs on BᵀHB·β = BᵀK_nmᵀy and α = Bβ. By default the estimate of
 * T⁻ᵀK_nmᵀK_nmT⁻¹ comes from s ≥ m uniformly drawn rows instead of the centres alone, AᵀA = (n/s)·Φ_sᵀΦ_s + λI with
 * Φ_s = K_sm·T⁻¹ ({@link Builder#preconditionerRows}; 2·s·m² flops once), which on issue 32's problem cut the
 * iterations 3–5 fold; the centres' estimate is the case s = m (their features are K_mm·T⁻¹ = Tᵀ).
 *
 * <p>{@link Solver#AUTO} (the default) keeps K_nm when its 8·n·m bytes fit the memory budget
 * ({@link Solver#STORED_CG}: one kernel pass in all, then memory-bound iterations, each one fused pass over it);
 * otherwise it forms and solves the normal equations for m ≤ {@link Solver#DIRECT_MAX_CENTERS}
 * ({@link Solver#DIRECT}, 2·n·m² flops in {@code dtrsm} and {@code dsyrk}, memory O(m² + 8192·m)), and beyond that
 * recomputes K_nm block by block in every iteration ({@link Solver#STREAMING_CG}, {@link GramEngine#crossNormalTimes}:
 * memory O(n·d + m²), time per iteration 2·n·m·d flops for the kernel plus O(n·m·c + m²·c); set-up O(m³)).
 * Iterations stop when the fitted function has settled
 * ({@link Stopping#FUNCTION_CHANGE}, the default: two consecutive steps each below 1e-4 of the fit's norm) or,
 * with {@link Stopping#RESIDUAL}, when every output's relative residual ‖r‖/‖b‖ falls below the tolerance; or at
 * the iteration limit. The model's report records {@code solver}, {@code stopping}, {@code cg_iterations},
 * {@code relative_residuals}, {@code converged}, {@code centers}, {@code center_indices} and (CG)
 * {@code preconditioner_rows} (0: the centres).
 *
 * <p>Multi-output: the c columns of Y run as c independent CG recursions sharing each kernel pass.
 * With {@link Builder#centerTargets} the targets are centred by their mean, which is added back
 * to predictions. This is deliberately not called {@code fitIntercept}: it is centring, not the
 * exact unpenalized intercept of {@link KernelRidge#builder}'s {@code fitIntercept} (the two agree
 * as λ grows).
 *
 * <p>Other spectral filters ({@link Builder#filter(SpectralFilter, double)}; Landweber, gradient flow, cut-off…,
 * and ridge itself with its λ chosen by GCV) run on the Nyström features instead of by CG:
 * φ(x) = K(x, C)·P ({@link Nystrom}), whose D×D moment matrix ΦᵀΦ is accumulated band by band in one
 * pass over K_nm (2·n·m·(d + 2m) flops, memory O(m² + 4096·m)), decomposed (9D³), and filtered as in
 * {@link RegularizationPath#computeFeatures}; the model's coefficients are α = P·w. With ridge this is the same
 * estimator as the CG solution, exactly (‖y − K_nmα‖² + λαᵀK_mmα = ‖y − Φw‖² + λ‖w‖² for α = Pw); the
 * constant, with {@link Builder#centerTargets}, is the target's mean either way.
 *
 * <p>Defaults differ from {@link KernelRidge} on purpose: λ = 1e-3 here against 1 there, because
 * a Nyström fit is used on large n, where the data term Σ‖y − f‖² grows with n and λ = 1 would
 * over-smooth; scikit-learn's KernelRidge default (α = 1) is kept for the exact solver.
 */
public final class NystromKernelRidge implements Estimator<KernelRidgeModel> {
    private final Kernel kernel;
    private final double lambda;
    private final int centers;
    private final Landmarks.Sampler sampler;
    private final int maxIterations;
    private final double tolerance;
    private final Stopping stopping;
    private final Solver solver;
    private final long memoryBudget;
    private final int preconditionerRows;
    private static final System.Logger LOG = System.getLogger(NystromKernelRidge.class.getName());
    private final boolean centerTargets;
    private final long seed;
    private final ProgressListener progress;
    private final SpectralFilter filter;
    private final double[] grid;
    private final RegularizationPath.Criterion criterion;

    private NystromKernelRidge(Builder b) {
        this.filter = b.filter;
        this.grid = b.grid;
        this.criterion = b.criterion;
        this.kernel = b.kernel;
        this.lambda = b.lambda;
        this.centers = b.centers;
        this.sampler = b.sampler;
        this.maxIterations = b.maxIterations;
        this.stopping = b.stopping;
        this.tolerance = b.toleranceSet ? b.tolerance : b.stopping.defaultTolerance;
        this.solver = b.solver;
        this.memoryBudget = b.memoryBudget;
        this.preconditionerRows = b.preconditionerRows;
        this.centerTargets = b.centerTargets;
        this.seed = b.seed;
        this.progress = b.progress;
    }

    /**
     * How the ridge system (K_nmᵀK_nm + λK_mm)·α = K_nmᵀy is solved; all four give the same α up to the CG
     * stopping rule (the direct solve is exact up to rounding).
     */
    public enum Solver {
        /**
         * {@link #STORED_CG} when K_nm (8·n·m bytes) fits the memory budget, else {@link #DIRECT} when
         * m ≤ {@link #DIRECT_MAX_CENTERS}, else {@link #STREAMING_CG}. (Before the sampled-rows preconditioner,
         * AUTO chose DIRECT for every m ≤ 1,024; at n = 100,000 the stored CG now takes a third of its CPU time at
         * m = 500 and m = 1,000.)
         */
        AUTO,
        /**
         * Preconditioned CG recomputing K_nm block by block in every iteration (memory O(n·d + m²); time per
         * iteration 2·n·m·d flops plus one kernel evaluation per entry).
         */
        STREAMING_CG,
        /**
         * Preconditioned CG on K_nm computed once and kept (8·n·m bytes on the heap; n·m &lt; 2³¹): each iteration
         * is one fused, memory-bound pass K_nmᵀ(K_nm·W) over it.
         */
        STORED_CG,
        /**
         * The normal equations formed and solved: with K_mm = LLᵀ, the features Φ = K_nm·L⁻ᵀ are formed band by
         * band ({@code dtrsm}) and S = ΦᵀΦ accumulated ({@code dsyrk}): 2·n·m² flops, memory O(m² + 8192·m); then
         * α = L⁻ᵀ(S + λI)⁻¹ΦᵀY by Cholesky (m³/3 flops). No iteration, no stopping rule.
         */
        DIRECT;

        /**
         * Up to this many centres AUTO forms the normal equations when K_nm does not fit the memory budget: their
         * 2·n·m² flops then cost less than the 10–20 kernel passes of the streaming CG.
         */
        public static final int DIRECT_MAX_CENTERS = 1024;

        /** Parses "auto", "cg" (streaming), "stored" or "direct" (case-insensitive). */
        public static Solver parse(String s) {
            switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "auto":
                    return AUTO;
                case "cg":
                case "streaming":
                    return STREAMING_CG;
                case "stored":
                    return STORED_CG;
                case "direct":
                    return DIRECT;
                default:
                    throw new Kernels4jException("unknown Nystrom solver '" + s + "': use auto, cg, stored or direct");
            }
        }
    }

    /**
     * When conjugate gradient stops. Both work on the preconditioned system M·β = b (M = BᵀHB, α = Bβ), whose
     * energy norm is the fit's own scale: ‖β‖²_M = Σ_i f(x_i)² + λ‖f‖²_H for f = K(·, C)·α (training rows, targets
     * centred as fitted).
     */
    public enum Stopping {
        /**
         * The fitted function has settled: the last two steps each changed f by at most tol·‖f‖ in that norm.
         * Step s moves β by α_s·p_s, whose M-norm α_s·√(p_sᵀMp_s) CG already has; ‖β‖²_M = βᵀ(b − r). Because
         * CG's steps are M-orthogonal, the error left is the root sum of squares of the steps still to come, so a
         * step below tol·‖f‖ means the predictions move by about that fraction (a Hestenes–Stiefel-type estimate,
         * free of extra kernel passes). Default tolerance 1e-4, far below the statistical error of any fit with
         * noise above 1% of the signal.
         */
        FUNCTION_CHANGE(1e-4),
        /** The relative residual ‖r‖/‖b‖ of every output is below tol (the rule before 2026-12; default 1e-7). */
        RESIDUAL(1e-7);

        final double defaultTolerance;

        Stopping(double defaultTolerance) {
            this.defaultTolerance = defaultTolerance;
        }

        /** Parses "change" or "residual" (case-insensitive). */
        public static Stopping parse(String s) {
            switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "change":
                case "function-change":
                    return FUNCTION_CHANGE;
                case "residual":
                    return RESIDUAL;
                default:
                    throw new Kernels4jException("unknown CG stopping rule '" + s + "': use change or residual");
            }
        }
    }

    /**
     * Starts a builder; defaults: λ = 1e-3, 1000 uniform centres, solver AUTO, at most 100 iterations stopped by
     * {@link Stopping#FUNCTION_CHANGE} at 1e-4, memory budget for a stored K_nm: half the heap not in use.
     */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private double lambda = 1e-3;
        private int centers = 1000;
        private Landmarks.Sampler sampler = Landmarks.Sampler.UNIFORM;
        private int maxIterations = 100;
        private double tolerance = Double.NaN;
        private boolean toleranceSet;
        private Stopping stopping = Stopping.FUNCTION_CHANGE;
        private Solver solver = Solver.AUTO;
        private long memoryBudget = -1;
        private int preconditionerRows = -1; // unless set: defaultPreconditionerRows
        private boolean preconditionerRowsSet;
        private boolean centerTargets;
        private long seed = 1;
        private ProgressListener progress = ProgressListener.NONE;
        private SpectralFilter filter;
        private double[] grid;
        private RegularizationPath.Criterion criterion = RegularizationPath.Criterion.GCV;

        private Builder(Kernel kernel) {
            this.kernel = kernel;
        }

        /** λ &gt; 0, as in {@link KernelRidge}; ridge solved by preconditioned CG. */
        public Builder lambda(double l) {
            this.lambda = l;
            this.filter = null;
            this.grid = null;
            return this;
        }

        /**
         * A spectral filter with a fixed parameter, applied to the Nyström features (see the class comment)
         * instead of CG.
         */
        public Builder filter(SpectralFilter f, double parameter) {
            this.filter = f;
            this.grid = new double[] {parameter};
            return this;
        }

        /** A spectral filter whose parameter is chosen from the grid by GCV on the Nyström features. */
        public Builder filter(SpectralFilter f, double[] parameters, RegularizationPath.Criterion c) {
            if (c == RegularizationPath.Criterion.LOO) {
                throw new Kernels4jException("leave-one-out is not available with Nystrom centres; select by GCV");
            }
            this.filter = f;
            this.grid = parameters.clone();
            this.criterion = c;
            return this;
        }

        /** m, the number of centres (capped at n). */
        public Builder centers(int m) {
            this.centers = m;
            return this;
        }

        /** How the centres are chosen (default uniform). */
        public Builder sampler(Landmarks.Sampler s) {
            this.sampler = s;
            return this;
        }

        /** Iteration limit (default 100). */
        public Builder maxIterations(int t) {
            this.maxIterations = t;
            return this;
        }

        /**
         * The stopping rule's tolerance (default: 1e-4 for {@link Stopping#FUNCTION_CHANGE}, 1e-7 for
         * {@link Stopping#RESIDUAL}); 0 runs every iteration.
         */
        public Builder tolerance(double t) {
            this.tolerance = t;
            this.toleranceSet = true;
            return this;
        }

        /** When CG stops (default {@link Stopping#FUNCTION_CHANGE}). */
        public Builder stopping(Stopping s) {
            this.stopping = java.util.Objects.requireNonNull(s, "stopping");
            return this;
        }

        /** How the system is solved (default {@link Solver#AUTO}). */
        public Builder solver(Solver s) {
            this.solver = java.util.Objects.requireNonNull(s, "solver");
            return this;
        }

        /**
         * Bytes that {@link Solver#AUTO} may spend on keeping K_nm (8·n·m); default −1: half of the heap not in use
         * when the fit starts. 0 never keeps it.
         */
        public Builder memoryBudget(long bytes) {
            this.memoryBudget = bytes;
            return this;
        }

        /**
         * How many rows' features estimate K_nmᵀK_nm in the CG preconditioner: s rows drawn uniformly give
         * AᵀA = (n/s)·Φ_sᵀΦ_s + λI with Φ_s = K_sm·L⁻ᵀ (2·s·m² flops once, and s kernel rows); 0 uses the centres,
         * (n/m)·TTᵀ + λI (Falkon's original, free); s ≥ 0. Default: s = min(n, 8·m, 160·n/m), a sketch that costs
         * about five memory-bound passes over K_nm. More rows, a closer estimate and fewer iterations; s ≥ n is the
         * exact normal matrix (CG then converges in a step or two). Does not change the solution, only the way to it.
         */
        public Builder preconditionerRows(int s) {
            this.preconditionerRows = s;
            this.preconditionerRowsSet = true;
            return this;
        }

        /** Centre the targets and add their mean back to predictions (see the class comment). */
        public Builder centerTargets(boolean f) {
            this.centerTargets = f;
            return this;
        }

        /** Seed for the centre sampling. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Told of each CG iteration (stage "cg") and of kernel passes. */
        public Builder progress(ProgressListener p) {
            this.progress = p;
            return this;
        }

        public NystromKernelRidge build() {
            if (filter != null) {
                if (grid.length == 0) {
                    throw new Kernels4jException("the " + filter.parameterName() + " grid is empty");
                }
                for (double p : grid) {
                    filter.checkParameter(p);
                }
            }
            if (!(lambda > 0) || Double.isInfinite(lambda)) {
                throw new Kernels4jException("lambda must be positive and finite, got " + lambda);
            }
            if (centers < 1) {
                throw new Kernels4jException("the number of centres must be >= 1, got " + centers);
            }
            if (maxIterations < 1) {
                throw new Kernels4jException("the iteration limit must be >= 1, got " + maxIterations);
            }
            if (preconditionerRowsSet && preconditionerRows < 0) {
                throw new Kernels4jException("the number of preconditioner rows must be >= 0, got " + preconditionerRows);
            }
            if (toleranceSet && !(tolerance >= 0)) {
                throw new Kernels4jException("the tolerance must be >= 0, got " + tolerance);
            }
            return new NystromKernelRidge(this);
        }
    }

    /**
     * Chooses centres from x and solves for α. The model is a {@link KernelRidgeModel} whose
     * "training inputs" are the m centres.
     */
    @Override
    public KernelRidgeModel fit(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        int n = x.rows();
        int m = Math.min(centers, n);
        int[] idx = Landmarks.select(sampler, kernel, x, m, lambda, seed);
        return fitWithCenters(x, y, x.selectRows(idx), idx);
    }

    /** Solves for α with the given centres (m×d); {@code centerIndices} is only recorded. */
    public KernelRidgeModel fitWithCenters(Matrix x, Matrix y, Matrix c, int[] centerIndices) {
        int n = x.rows();
        int m = c.rows();
        int outs = y.cols();
        double[] mean = centerTargets ? y.columnMeans() : new double[outs];
        double[] unit = new double[outs];
        java.util.Arrays.fill(unit, 1);
        Matrix yc = y.copy();
        yc.standardizeColumns(mean, unit);
        if (filter != null) {
            return filtered(x, yc, c, centerIndices, mean);
        }
        Solver chosen = choose(n, m);
        if (chosen == Solver.DIRECT) {
            return direct(x, yc, c, centerIndices, mean);
        }
        if (chosen == Solver.STORED_CG) {
            if ((long) n * m >= Integer.MAX_VALUE) {
                throw new Kernels4jException("the stored solver keeps K_nm as one array of n*m < 2^31 entries; "
                        + n + " x " + m + " is too many: use the streaming or direct solver");
            }
            Matrix knm = new Matrix(n, m);
            GramEngine.cross(kernel, x, c, knm, ProgressListener.NONE);
            Matrix kty = new Matrix(m, outs);
            Blas.gemm(true, false, 1.0, knm, yc, 0.0, kty);
            int[] rows = sketchRows(n, m);
            return solveByCg(n, c, kty, w -> GramEngine.normalTimes(knm, w), mean, centerIndices, Solver.STORED_CG,
                    rows.length, (r0, r1) -> knm.selectRows(java.util.Arrays.copyOfRange(rows, r0, r1)));
        }
        int[] rows = sketchRows(n, m);
        return solveByCg(n, c, GramEngine.crossNormalTimes(kernel, x, c, null, yc, ProgressListener.NONE),
                w -> GramEngine.crossNormalTimes(kernel, x, c, w, null, ProgressListener.NONE), mean, centerIndices,
                Solver.STREAMING_CG, rows.length,
                (r0, r1) -> GramEngine.cross(kernel, x.selectRows(java.util.Arrays.copyOfRange(rows, r0, r1)), c));
    }

    /**
     * The default s of {@link Builder#preconditionerRows}: min(n, 8·m, 160·n/m). The 2·s·m² flops of the estimate are
     * then at most 320·n·m, about the time of five memory-bound passes over a stored K_nm (8·n·m bytes each) at the
     * 8 flops per byte a 2-core machine sustains, and on issue 32's problem (n = 100,000, rbf, λ = 1e-3) they
     * saved 55 of 68 iterations at m = 1,000 (s = 8m) and 32 of 48 at m = 2,000 (s = 4m). At m ≥ √(160·n) the
     * sketch would be no larger than the centres, which are then used (Falkon's original).
     */
    static long defaultPreconditionerRows(long n, long m) {
        return Math.min(n, Math.min(8 * m, 160 * n / Math.max(1, m)));
    }

    /**
     * The rows whose features build the preconditioner: {@code s} = min(n, preconditionerRows) distinct rows drawn
     * uniformly (seeded), sorted; none (Falkon's centre-based preconditioner) when preconditionerRows is 0 or
     * s ≤ m, where the centres themselves are as good a sample.
     */
    private int[] sketchRows(int n, int m) {
        int s = (int) Math.min(n, preconditionerRows < 0 ? defaultPreconditionerRows(n, m) : preconditionerRows);
        if (s <= m) {
            return new int[0];
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < s; i++) { // partial Fisher–Yates: the first s entries are a uniform sample
            int j = i + r.nextInt(n - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        int[] rows = java.util.Arrays.copyOf(all, s);
        java.util.Arrays.sort(rows); // rows in memory order: the copies walk K_nm forwards
        return rows;
    }

    /** The solver AUTO resolves to for n rows and m centres (see {@link Solver#AUTO}). */
    Solver choose(int n, int m) {
        if (solver != Solver.AUTO) {
            return solver;
        }
        long bytes = 8L * n * m;
        long budget = memoryBudget;
        if (budget < 0) {
            Runtime rt = Runtime.getRuntime();
            budget = (rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) / 2;
        }
        if (bytes <= budget && (long) n * m < Integer.MAX_VALUE) {
            return Solver.STORED_CG;
        }
        return m <= Solver.DIRECT_MAX_CENTERS ? Solver.DIRECT : Solver.STREAMING_CG;
    }

    /**
     * {@link Solver#DIRECT}: with K_mm = LLᵀ, the moments S = ΦᵀΦ of the Nyström features Φ = K_nm·L⁻ᵀ
     * ({@link #featureMoments}, 2·n·m² flops); then (S + λI)·γ = ΦᵀY = L⁻¹K_nmᵀY is solved by Cholesky and
     * α = L⁻ᵀγ.
     */
    private KernelRidgeModel direct(Matrix x, Matrix yc, Matrix c, int[] centerIndices, double[] mean) {
        int n = x.rows();
        int m = c.rows();
        int outs = yc.cols();
        Matrix kty = new Matrix(m, outs);
        Matrix kmm = GramEngine.gram(kernel, c);
        try (Cholesky t = Cholesky.factor(kmm, "kernel matrix of the Nystrom centres")) {
            Matrix sm = featureMoments(t, n, (r0, r1) -> {
                Matrix k = GramEngine.cross(kernel, x.rowRange(r0, r1), c);
                Blas.gemm(true, false, 1.0, k, yc.rowRange(r0, r1), 1.0, kty);
                progress.progress(r1, n, "normal equations");
                return k;
            });
            double[] sd = sm.data();
            for (int i = 0; i < m; i++) {
                sd[i * m + i] += lambda;
            }
            Matrix rhs = t.solveLower(kty); // ΦᵀY
            Matrix gamma;
            double jitter;
            try (Cholesky s2 = Cholesky.factor(sm, "Nystrom normal equations")) {
                gamma = s2.solve(rhs);
                jitter = s2.jitter();
            }
            Matrix alpha = t.solveLowerTransposed(gamma);
            // the residual of the system solved, ‖ΦᵀY − (S + λI)γ‖ / ‖ΦᵀY‖, per output
            Matrix res = rhs.copy();
            Blas.gemm(false, false, -1.0, sm, gamma, 1.0, res);
            double[] resNorm = columnNorms(res);
            double[] rhsNorm = columnNorms(rhs);
            double[] rel = new double[outs];
            for (int o = 0; o < outs; o++) {
                rel[o] = rhsNorm[o] > 0 ? resNorm[o] / rhsNorm[o] : 0;
            }
            FitReport.Builder report = FitReport.builder().add("lambda", lambda).add("centers", m);
            if (centerIndices != null) {
                report.add("center_indices", java.util.Arrays.stream(centerIndices).asDoubleStream().toArray());
            }
            report.add("solver", "direct").add("cg_iterations", 0).add("relative_residuals", rel).add("converged", true)
                    .add("jitter", t.jitter()).add("normal_equations_jitter", jitter);
            return new KernelRidgeModel(kernel, c.copy(), alpha, mean, lambda, null, report.build());
        }
    }

    /** Rows {@code [from, to)} of a kernel matrix K(·, C), (to − from)×m, produced band by band. */
    private interface KernelBands {
        Matrix rows(int from, int to);
    }

    /**
     * S = ΦᵀΦ, m×m and symmetric, for the features Φ = K·L⁻ᵀ of {@code rows} rows of K(·, C) (K_mm = LLᵀ), formed
     * band by band ({@code dtrsm}) and accumulated ({@code dsyrk}): 2·rows·m² flops, memory O(m² + 8192·m). The
     * features, not KᵀK, are what is squared: forming KᵀK first squares K_mm's condition number, and L⁻¹(KᵀK)L⁻ᵀ
     * then loses positive definiteness on RBF problems with close centres, where the triangular solve on each band is
     * backward stable.
     */
    private static Matrix featureMoments(Cholesky t, int rows, KernelBands bands) {
        int m = t.lower().rows();
        Matrix sm = new Matrix(m, m);
        int band = (int) Math.max(256, Math.min(8192, (16L << 20) / m));
        try (NativeBuffer acc = new NativeBuffer((long) m * m); NativeBuffer kb = new NativeBuffer((long) band * m);
                NativeBuffer l = NativeBuffer.copyOf(t.lower().data())) {
            for (int r0 = 0; r0 < rows; r0 += band) {
                int r1 = Math.min(rows, r0 + band);
                Matrix k = bands.rows(r0, r1);
                kb.copyFrom(k.data(), 0, 0, (r1 - r0) * m);
                Blas.trsmRightLowerTransposed(l, m, kb, r1 - r0);
                Blas.syrkUpperTransposed(kb, r1 - r0, m, r0 == 0 ? 0.0 : 1.0, acc);
            }
            acc.copyTo(0, sm.data(), 0, m * m);
        }
        double[] sd = sm.data();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                sd[i * m + j] = sd[j * m + i];
            }
        }
        return sm;
    }

    /**
     * The preconditioned CG solve of {@link #fitWithCenters} with the pass over the data supplied by the caller,
     * for data that does not fit one machine (kernels4j-spark computes both products as a sum over partitions):
     * {@code kernelTimesTargets} = K_nmᵀ(Y − mean), m×c, and {@code normalTimes}(W) = K_nmᵀ(K_nm·W) for an m×c
     * matrix W. Everything else (K_mm, its Cholesky factor, the preconditioner, the iteration, the stopping
     * rule, the progress and the report) is the single-machine code; with the local products it is
     * {@link #fitWithCenters} exactly.
     *
     * @param n the number of data rows behind the two products (it scales the preconditioner)
     * @param c the m centres, m×d
     * @param mean the targets' means that were subtracted (zeros when not centred), added back to predictions
     * @param centerIndices recorded in the report when not null
     * @throws Kernels4jException with a spectral filter configured (that path needs the features' moments)
     */
    public KernelRidgeModel fitWithOperator(long n, Matrix c, Matrix kernelTimesTargets,
            java.util.function.UnaryOperator<Matrix> normalTimes, double[] mean, int[] centerIndices) {
        return solveByCg(n, c, kernelTimesTargets, normalTimes, mean, centerIndices, null, 0, null);
    }

    /**
     * CG on BᵀHB·β = BᵀK_nmᵀy, α = Bβ. The preconditioner's AᵀA = (n/s)·Φ_sᵀΦ_s + λI estimates
     * L⁻¹K_nmᵀK_nmL⁻ᵀ = ΦᵀΦ from s rows' features (sketchRows rows given by {@code sketch}), or, with none,
     * from the centres themselves, whose features are K_mm·L⁻ᵀ = L, so Φ_cᵀΦ_c = LᵀL = TTᵀ (Falkon's original).
     */
    private KernelRidgeModel solveByCg(long n, Matrix c, Matrix kernelTimesTargets,
            java.util.function.UnaryOperator<Matrix> normalTimes, double[] mean, int[] centerIndices, Solver used,
            int sketchRows, KernelBands sketch) {
        if (filter != null) {
            throw new Kernels4jException("a spectral filter needs the Nystrom features' moments; "
                    + "only ridge (lambda) runs with a supplied kernel operator");
        }
        if (n < 1) {
            throw new Kernels4jException("the kernel operator must cover at least one data row, got n = " + n);
        }
        int m = c.rows();
        int outs = kernelTimesTargets.cols();
        if (kernelTimesTargets.rows() != m || mean.length != outs) {
            throw new Kernels4jException("K_nm^T y must be " + m + " x " + mean.length + ", got "
                    + kernelTimesTargets.rows() + " x " + outs);
        }
        Matrix kmm = GramEngine.gram(kernel, c);
        try (Cholesky t = Cholesky.factor(kmm, "kernel matrix of the Nystrom centres")) {
            Matrix ltl;
            if (sketchRows > 0) {
                ltl = featureMoments(t, sketchRows, sketch); // Φ_sᵀΦ_s
                double[] ld = ltl.data();
                for (int i = 0; i < ld.length; i++) {
                    ld[i] *= (double) n / sketchRows;
                }
            } else {
                Matrix l = t.lower(); // K_mm = L·Lᵀ, T = Lᵀ
                ltl = new Matrix(m, m);
                Blas.gemm(true, false, (double) n / m, l, l, 0.0, ltl); // (n/m)·T·Tᵀ
            }
            for (int i = 0; i < m; i++) {
                ltl.set(i, i, ltl.get(i, i) + lambda);
            }
            try (Cholesky a = Cholesky.factor(ltl, "Falkon preconditioner")) {
                // b = A⁻ᵀ T⁻ᵀ K_nmᵀ y
                Matrix b = a.solveLower(t.solveLower(kernelTimesTargets));
                Matrix beta = new Matrix(m, outs);
                Matrix r = b.copy();
                Matrix p = b.copy();
                double[] bNorm = columnNorms(b);
                double[] rs = columnDots(r, r);
                double[] rel = new double[outs];
                int it = 0;
                int settled = 0; // consecutive steps that changed f by at most tol·‖f‖ (FUNCTION_CHANGE)
                double[] step = new double[outs];
                updateResiduals(rel, rs, bNorm);
                while (it < maxIterations && (stopping == Stopping.RESIDUAL ? max(rel) > tolerance
                        : settled < 2 && max(rel) > 0)) {
                    Matrix ap = apply(normalTimes, t, a, p);
                    double[] pap = columnDots(p, ap);
                    for (int o = 0; o < outs; o++) {
                        double alpha = pap[o] > 0 ? rs[o] / pap[o] : 0;
                        step[o] = Math.abs(alpha) * Math.sqrt(Math.max(0, pap[o]));
                        for (int i = 0; i < m; i++) {
                            beta.set(i, o, beta.get(i, o) + alpha * p.get(i, o));
                            r.set(i, o, r.get(i, o) - alpha * ap.get(i, o));
                        }
                    }
                    boolean small = true;
                    for (int o = 0; o < outs; o++) {
                        double energy = 0; // ‖β‖²_M = βᵀ(b − r)
                        for (int i = 0; i < m; i++) {
                            energy += beta.get(i, o) * (b.get(i, o) - r.get(i, o));
                        }
                        small &= step[o] <= tolerance * Math.sqrt(Math.max(0, energy));
                    }
                    settled = small ? settled + 1 : 0;
                    double[] rsNew = columnDots(r, r);
                    for (int o = 0; o < outs; o++) {
                        double g = rs[o] > 0 ? rsNew[o] / rs[o] : 0;
                        for (int i = 0; i < m; i++) {
                            p.set(i, o, r.get(i, o) + g * p.get(i, o));
                        }
                    }
                    rs = rsNew;
                    it++;
                    updateResiduals(rel, rs, bNorm);
                    progress.progress(it, maxIterations, "cg");
                }
                boolean converged = stopping == Stopping.RESIDUAL ? max(rel) <= tolerance
                        : settled >= 2 || max(rel) == 0;
                logConvergence(it, max(rel), converged);
                Matrix alpha = t.solveLowerTransposed(a.solveLowerTransposed(beta)); // α = T⁻¹A⁻¹β
                FitReport.Builder report = FitReport.builder().add("lambda", lambda).add("centers", m);
                if (centerIndices != null) {
                    report.add("center_indices", java.util.Arrays.stream(centerIndices).asDoubleStream().toArray());
                }
                if (used != null) {
                    report.add("solver", used == Solver.STORED_CG ? "stored-cg" : "cg");
                }
                report.add("stopping", stopping == Stopping.RESIDUAL ? "residual" : "change").add("tolerance", tolerance)
                        .add("cg_iterations", it).add("relative_residuals", rel).add("converged", converged)
                        .add("jitter", t.jitter()).add("preconditioner_rows", sketchRows);
                return new KernelRidgeModel(kernel, c.copy(), alpha, mean, lambda, null, report.build());
            }
        }
    }

    /**
     * WARNING when CG stopped at the iteration limit with a residual above the tolerance (the coefficients
     * then solve the system only approximately), DEBUG otherwise.
     */
    private void logConvergence(int iterations, double residual, boolean converged) {
        if (!converged) {
            LOG.log(System.Logger.Level.WARNING, () -> String.format("Nystrom kernel ridge: conjugate gradient did not"
                    + " converge in %d iterations (relative residual %.3g, %s rule, tolerance %.3g); raise"
                    + " maxIterations or lambda", iterations, residual,
                    stopping == Stopping.RESIDUAL ? "residual" : "function-change", tolerance));
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> String.format("Nystrom kernel ridge: conjugate gradient converged"
                    + " in %d iterations (relative residual %.3g)", iterations, residual));
        }
    }

    /** The spectral-filter path on the Nyström features, from their moments accumulated over K_nm. */
    private KernelRidgeModel filtered(Matrix x, Matrix yc, Matrix c, int[] centerIndices, double[] mean) {
        int n = x.rows();
        int outs = yc.cols();
        Nystrom map = Nystrom.of(kernel, c);
        Matrix p = map.projection(); // m × D
        int dim = p.cols();
        // Φ is formed band by band (K_band·P) and its moments accumulated: forming K_nmᵀK_nm first and then
        // Pᵀ(·)P would square K_mm's condition number (P carries Λ^{-1/2}) and lose the small directions.
        Matrix gram = new Matrix(dim, dim);
        Matrix phiTy = new Matrix(dim, outs);
        double[] phiT1 = centerTargets ? new double[dim] : null;
        final int band = 4096;
        for (int r0 = 0; r0 < n; r0 += band) {
            int r1 = Math.min(n, r0 + band);
            Matrix phi = GramEngine.cross(kernel, x.rowRange(r0, r1), c).times(p);
            Blas.gemm(true, false, 1.0, phi, phi, 1.0, gram);
            Blas.gemm(true, false, 1.0, phi, yc.rowRange(r0, r1), 1.0, phiTy);
            if (phiT1 != null) {
                for (int i = 0; i < r1 - r0; i++) {
                    for (int j = 0; j < dim; j++) {
                        phiT1[j] += phi.get(i, j);
                    }
                }
            }
            progress.progress(r1, n, "nystrom features");
        }
        double total = 0;
        for (double v : yc.data()) {
            total += v * v;
        }
        RegularizationPath path = RegularizationPath.fromFeatureMoments(gram, phiTy, phiT1, total, n, filter, grid,
                criterion, mean);
        Matrix alpha = p.times(path.coefficients()); // α = P·w
        FitReport.Builder report = FitReport.builder();
        if (filter.kind() != SpectralFilter.Kind.TIKHONOV) {
            report.add("filter", filter.toSpec());
            if (!filter.parameterName().equals("lambda")) {
                report.add(filter.parameterName(), path.chosenParameter());
            }
        }
        report.add("lambda", path.chosenParameter()).add("centers", c.rows()).add("features", dim);
        if (grid.length > 1) {
            report.add("lambda_selection", "gcv");
        }
        if (centerIndices != null) {
            report.add("center_indices", java.util.Arrays.stream(centerIndices).asDoubleStream().toArray());
        }
        return new KernelRidgeModel(kernel, c.copy(), alpha, mean, path.chosenParameter(), grid.length > 1 ? path : null,
                report.build());
    }

    /** BᵀHB·p = A⁻ᵀ(T⁻ᵀK_nmᵀK_nm·T⁻¹A⁻¹p + λ·A⁻¹p). */
    private Matrix apply(java.util.function.UnaryOperator<Matrix> normalTimes, Cholesky t, Cholesky a, Matrix p) {
        Matrix v = a.solveLowerTransposed(p); // A⁻¹p
        Matrix w = t.solveLowerTransposed(v); // T⁻¹v
        Matrix kk = t.solveLower(normalTimes.apply(w));
        double[] kd = kk.data();
        double[] vd = v.data();
        for (int i = 0; i < kd.length; i++) {
            kd[i] += lambda * vd[i];
        }
        return a.solveLower(kk);
    }

    private static void updateResiduals(double[] rel, double[] rs, double[] bNorm) {
        for (int o = 0; o < rel.length; o++) {
            rel[o] = bNorm[o] > 0 ? Math.sqrt(rs[o]) / bNorm[o] : 0;
        }
    }

    private static double max(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static double[] columnDots(Matrix a, Matrix b) {
        double[] d = new double[a.cols()];
        for (int i = 0; i < a.rows(); i++) {
            for (int o = 0; o < a.cols(); o++) {
                d[o] += a.get(i, o) * b.get(i, o);
            }
        }
        return d;
    }

    private static double[] columnNorms(Matrix a) {
        double[] d = columnDots(a, a);
        for (int o = 0; o < d.length; o++) {
            d[o] = Math.sqrt(d[o]);
        }
        return d;
    }

    /** The kernel. */
    public Kernel kernel() {
        return kernel;
    }
}
