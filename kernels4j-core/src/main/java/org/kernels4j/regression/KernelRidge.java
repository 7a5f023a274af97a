package org.kernels4j.regression;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.MixedPrecisionCholesky;
import org.kernels4j.linalg.NativeMatrix;
import org.kernels4j.linalg.Precision;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.model.KernelMatrixEstimator;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;
import org.kernels4j.spectral.SpectralFilter;

/**
 * Exact kernel ridge regression: the minimiser over the RKHS of
 * {@code Σ_i ‖y_i − f(x_i)‖² + λ·‖f‖²_H}, which is {@code f(x) = Σ_i α_i k(x_i, x)} with
 * {@code α = (K + λI)⁻¹·Y} (the same convention as scikit-learn's {@code KernelRidge(alpha=λ)}, which has
 * no intercept). Y may have several columns (multi-output); they share one factorization.
 *
 * <p>With {@link Builder#fitIntercept} the model is {@code f(x) + b} with an unpenalized constant b per
 * output: the minimiser of {@code Σ_i ‖y_i − b − f(x_i)‖² + λ·‖f‖²_H}. With {@code A = K + λI} and
 * {@code u = A⁻¹·1} it is {@code b = 1ᵀA⁻¹y / 1ᵀu} and {@code α = A⁻¹y − b·u} (so {@code 1ᵀα = 0}): the
 * generalized-least-squares mean, which tends to mean(y) as λ grows. Because this is still a penalized
 * least-squares fit, the closed-form leave-one-out errors of {@link RegularizationPath} stay exact.
 *
 * <p>With a fixed λ the fit builds the n×n Gram matrix (n²·d flops via GEMM) and factors it by
 * Cholesky (n³/3 flops); memory one n×n matrix. {@link Builder#precision} {@code MIXED} factors in float32 and refines
 * to float64 accuracy instead ({@link MixedPrecisionCholesky}: about half the factorization time, 1.5× the memory,
 * and the float64 path when the conditioning does not allow it, recorded in the report). With a grid of λ values, one symmetric
 * eigendecomposition (≈ 9n³ flops) gives the leave-one-out error and GCV score of every λ in
 * closed form (see {@link RegularizationPath}) and the fit at the chosen λ, with no refits.
 *
 * <p>Other spectral regularisations replace ridge's {@code 1/(μ+λ)} on the eigenvalues μ of K by another
 * filter (iterated Tikhonov, spectral cut-off, Landweber iteration, gradient flow, the ν-method,
 * self-distillation; see {@link SpectralFilter}) with {@link Builder#filter(SpectralFilter, double)}, or choose
 * the filter's parameter (λ, the number of steps or the time) by GCV with
 * {@link Builder#filter(SpectralFilter, double[], RegularizationPath.Criterion)}. They are computed from one
 * eigendecomposition (≈ 9n³ flops), the filter applied in the eigenbasis; the constant, with an intercept, is
 * then the target's mean (see {@link RegularizationPath}).
 *
 * <p>With sample weights w_i &gt; 0 ({@link #fit(Matrix, Matrix, double[])}) the objective is
 * {@code Σ_i w_i·‖y_i − b − f(x_i)‖² + λ·‖f‖²_H}, solved by the same formulas with {@code A = K + λ·W⁻¹}: a
 * weight of 2 is the same fit as the row given twice. This is how a weighted coreset (kernel herding,
 * {@link org.kernels4j.thinning.Coreset}) stands in for its whole sample ({@link #fit(org.kernels4j.thinning.Coreset,
 * Matrix, Matrix)}).
 *
 * <pre>{@code
 * KernelRidgeModel m = KernelRidge.builder(KernelSpec.parse("rbf(gamma=0.5)")).lambda(1e-3).build().fit(x, y);
 * Matrix yHat = m.predict(xTest);
 * }</pre>
 */
public final class KernelRidge implements KernelMatrixEstimator<KernelRidgeModel> {
    private final Kernel kernel;
    private final SpectralFilter filter;
    private final double lambda;
    private final double[] lambdaGrid;
    private final RegularizationPath.Criterion criterion;
    private final ProgressListener progress;
    private final boolean fitIntercept;
    private final Precision precision;

    private KernelRidge(Builder b) {
        this.fitIntercept = b.fitIntercept;
        this.precision = b.precision;
        this.kernel = b.kernel;
        this.filter = b.filter;
        this.lambda = b.lambda;
        this.lambdaGrid = b.lambdaGrid;
        this.criterion = b.criterion;
        this.progress = b.progress;
    }

    /** Starts a builder for the given kernel; by default λ = 1 (scikit-learn's default). */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options for {@link KernelRidge}; validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private SpectralFilter filter = SpectralFilter.tikhonov();
        private double lambda = 1.0;
        private double[] lambdaGrid;
        private RegularizationPath.Criterion criterion = RegularizationPath.Criterion.LOO;
        private ProgressListener progress = ProgressListener.NONE;
        private boolean fitIntercept;
        private Precision precision = Precision.DOUBLE;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("kernel ridge regression needs a kernel");
            }
            this.kernel = kernel;
        }

        /** Kernel ridge with a fixed regularization λ &gt; 0. */
        public Builder lambda(double lambda) {
            return filter(SpectralFilter.tikhonov(), lambda);
        }

        /** Kernel ridge with λ chosen from this grid by {@code criterion}, from one eigendecomposition. */
        public Builder selectLambda(double[] grid, RegularizationPath.Criterion criterion) {
            return filter(SpectralFilter.tikhonov(), grid, criterion);
        }

        /** A spectral filter with a fixed parameter (λ, iterations, time or rounds: {@link SpectralFilter}). */
        public Builder filter(SpectralFilter filter, double parameter) {
            this.filter = filter;
            this.lambda = parameter;
            this.lambdaGrid = null;
            return this;
        }

        /**
         * A spectral filter whose parameter is chosen from the grid by {@code criterion} (GCV; LOO for ridge
         * only), from one eigendecomposition.
         */
        public Builder filter(SpectralFilter filter, double[] grid, RegularizationPath.Criterion criterion) {
            this.filter = filter;
            this.lambdaGrid = grid.clone();
            this.criterion = criterion;
            return this;
        }

        /** Fit an unpenalized constant b per output (see the class comment); off by default. */
        public Builder fitIntercept(boolean fit) {
            this.fitIntercept = fit;
            return this;
        }

        /**
         * The arithmetic of the fixed-λ Cholesky solve: {@code DOUBLE} (default), {@code MIXED} (float32 factor,
         * float64 iterative refinement, float64 fallback when it does not contract; see
         * {@link MixedPrecisionCholesky}) or {@code AUTO} (mixed from n = {@value MixedPrecisionCholesky#AUTO_MIN_SIZE}
         * on). The report records {@code precision} (the path taken), {@code refinement_steps},
         * {@code relative_residual} ‖[Y,1] − A·[α̃,u]‖_F/‖[Y,1]‖_F and, after a fallback, {@code precision_fallback}.
         * Only for ridge at a fixed λ: the λ grid and other filters go through an eigendecomposition.
         */
        public Builder precision(Precision precision) {
            if (precision == null) {
                throw new Kernels4jException("kernel ridge regression: precision must be double, mixed or auto, not null");
            }
            this.precision = precision;
            return this;
        }

        /** Receives progress of the Gram matrix and factorization. */
        public Builder progress(ProgressListener progress) {
            this.progress = progress == null ? ProgressListener.NONE : progress;
            return this;
        }

        /**
         * @throws Kernels4jException for λ ≤ 0, a parameter the filter cannot take, an empty grid, or LOO with a
         *     filter other than ridge
         */
        public KernelRidge build() {
            if (filter == null) {
                throw new Kernels4jException("kernel ridge regression needs a spectral filter");
            }
            if (precision != Precision.DOUBLE && (lambdaGrid != null || filter.kind() != SpectralFilter.Kind.TIKHONOV)) {
                throw new Kernels4jException("kernel ridge regression: precision " + precision.toSpec() + " applies to "
                        + "the Cholesky solve at a fixed lambda, not to a parameter grid or the " + filter.toSpec()
                        + " filter (they use an eigendecomposition)");
            }
            if (lambdaGrid == null) {
                if (filter.kind() == SpectralFilter.Kind.TIKHONOV && (!(lambda > 0) || Double.isInfinite(lambda))) {
                    throw new Kernels4jException("lambda must be a positive finite number, got " + lambda);
                }
                filter.checkParameter(lambda);
            } else {
                if (lambdaGrid.length == 0) {
                    throw new Kernels4jException("the " + filter.parameterName() + " grid is empty");
                }
                for (double l : lambdaGrid) {
                    if (filter.kind() == SpectralFilter.Kind.TIKHONOV && (!(l > 0) || Double.isInfinite(l))) {
                        throw new Kernels4jException("every lambda in the grid must be positive and finite, got " + l);
                    }
                    filter.checkParameter(l);
                }
                if (criterion == RegularizationPath.Criterion.LOO && !filter.hasExactLeaveOneOut()) {
                    throw new Kernels4jException("leave-one-out has no closed form for the " + filter.toSpec()
                            + " filter (only for ridge); select its " + filter.parameterName() + " by GCV");
                }
            }
            return new KernelRidge(this);
        }
    }

    /**
     * Fits the model.
     *
     * @param x n×d training inputs
     * @param y n×k targets
     */
    @Override
    public KernelRidgeModel fit(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        int n = x.rows();
        if (usesEigen()) {
            Matrix gram = new Matrix(n, n);
            GramEngine.gram(kernel, x, gram, progress);
            double trace = 0;
            for (int i = 0; i < n; i++) {
                trace += gram.get(i, i);
            }
            Solution s = solve(gram, y);
            if (filter.parameterName().equals("lambda") && s.lambda < 0x1p-52 * trace) {
                throw new Kernels4jException("kernel ridge regression: the chosen lambda = " + s.lambda + " is below the "
                        + "rounding level of the kernel matrix's eigenvalues (eps * trace(K) = " + 0x1p-52 * trace + "), so "
                        + "its coefficients are rounding noise; start the lambda grid at " + String.format("%.1g",
                        Math.max(1e-300, 1e3 * 0x1p-52 * trace)) + " or above");
            }
            requireFinite(s, y);
            return new KernelRidgeModel(kernel, x.copy(), s.alpha, s.intercept, s.lambda, s.path, s.report);
        }
        // The Gram matrix is written off the heap and factored there in place: no n×n copy anywhere.
        NativeMatrix gram = new NativeMatrix(n, n);
        try {
            GramEngine.gram(kernel, x, gram, progress);
        } catch (RuntimeException | Error e) {
            gram.close();
            throw e;
        }
        Solution s = solveNative(gram, y, null);
        requireFinite(s, y);
        return new KernelRidgeModel(kernel, x.copy(), s.alpha, s.intercept, s.lambda, null, s.report);
    }

    /**
     * Fits with sample weights: the minimiser of {@code Σ_i w_i·‖y_i − b − f(x_i)‖² + λ·‖f‖²_H}, i.e.
     * {@code α = (K + λ·W⁻¹)⁻¹·(Y − b)} with the intercept as in the unweighted fit. Integer weights give the
     * fit of the data with each row repeated w_i times; all-ones weights give {@link #fit(Matrix, Matrix)}.
     * Only for ridge at a fixed λ (a λ grid or another spectral filter is refused). Same cost as the
     * unweighted fit.
     *
     * @param weights one finite weight &gt; 0 per row
     */
    public KernelRidgeModel fit(Matrix x, Matrix y, double[] weights) {
        TrainingData.require(x, y);
        int n = x.rows();
        if (usesEigen()) {
            throw new Kernels4jException("kernel ridge regression: sample weights are supported for ridge at a fixed "
                    + "lambda only, not with a lambda grid or another spectral filter");
        }
        if (weights.length != n) {
            throw new Kernels4jException("kernel ridge regression: got " + weights.length + " sample weights for " + n
                    + " rows");
        }
        double[] diagonal = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(weights[i] > 0) || Double.isInfinite(weights[i])) {
                throw new Kernels4jException("kernel ridge regression: sample weight " + (i + 1) + " is " + weights[i]
                        + "; weights must be finite and > 0 (drop rows instead of giving them weight 0)");
            }
            diagonal[i] = lambda / weights[i];
        }
        NativeMatrix gram = new NativeMatrix(n, n);
        try {
            GramEngine.gram(kernel, x, gram, progress);
        } catch (RuntimeException | Error e) {
            gram.close();
            throw e;
        }
        Solution s = solveNative(gram, y, diagonal);
        requireFinite(s, y);
        return new KernelRidgeModel(kernel, x.copy(), s.alpha, s.intercept, s.lambda, null, s.report);
    }

    /**
     * Fits on a coreset of (x, y): its rows, each weighted by s·w_r for the coreset's weights w (so a
     * uniform coreset gives the plain fit on its rows, and the weights' scale matches λ as for s rows); rows of
     * weight 0 are left out.
     */
    public KernelRidgeModel fit(org.kernels4j.thinning.Coreset coreset, Matrix x, Matrix y) {
        int[] rows = coreset.indices();
        for (int r : rows) {
            if (r >= x.rows()) {
                throw new Kernels4jException("coreset row " + r + " is outside the " + x.rows() + " rows of the data");
            }
        }
        double[] w = coreset.weightsOrUniform();
        // rows of weight 0 carry nothing: they are left out rather than given an infinite λ/w
        int kept = 0;
        for (double v : w) {
            kept += v > 0 ? 1 : 0;
        }
        int[] keptRows = new int[kept];
        double[] scaled = new double[kept];
        for (int i = 0, j = 0; i < w.length; i++) {
            if (w[i] > 0) {
                keptRows[j] = rows[i];
                scaled[j++] = w.length * w[i];
            }
        }
        return fit(x.selectRows(keptRows), y.selectRows(keptRows), scaled);
    }

    /** From kernel values alone: α and b from K(X, X), then K(X*, X)·α + b. */
    @Override
    public Prediction fitPredict(Matrix gram, Matrix y, Matrix cross) {
        TrainingData.require(gram, y);
        if (gram.cols() != gram.rows() || cross.cols() != gram.rows()) {
            throw new Kernels4jException("kernel matrices of shapes " + gram.shape() + " and " + cross.shape()
                    + " do not fit together");
        }
        Solution s = usesEigen() ? solve(gram.copy(), y) : solveNative(NativeMatrix.copyOf(gram), y, null);
        Matrix p = cross.times(s.alpha);
        int k = p.cols();
        double[] d = p.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += s.intercept[i % k];
        }
        return new Prediction(p, s.report);
    }

    /** "(the target reaches |y| = 1e+300) " when the target is that large, else "". */
    private static String targetHint(Matrix y) {
        double max = 0;
        for (double v : y.data()) {
            max = Math.max(max, Math.abs(v));
        }
        return max > 1e100 ? String.format(java.util.Locale.ROOT, " (the target reaches |y| = %.3g)", max) : "";
    }

    /** Refuses a fit whose dual coefficients or intercept overflowed: a model that would predict Inf or NaN. */
    private void requireFinite(Solution s, Matrix y) {
        boolean finite = true;
        for (double v : s.alpha.data()) {
            finite &= Double.isFinite(v);
        }
        for (double v : s.intercept == null ? new double[0] : s.intercept) {
            finite &= Double.isFinite(v);
        }
        if (!finite) {
            throw new Kernels4jException("kernel ridge regression: the dual coefficients overflowed to Inf or NaN"
                    + targetHint(y) + " at " + filter.parameterName() + " = " + s.lambda + "; scale the target (e.g. to "
                    + "unit variance) or regularise more");
        }
    }

    private record Solution(Matrix alpha, double[] intercept, double lambda, RegularizationPath path, FitReport report) {
    }

    /** Whether the fit goes through an eigendecomposition: a parameter grid, or a filter other than ridge. */
    private boolean usesEigen() {
        return lambdaGrid != null || filter.kind() != SpectralFilter.Kind.TIKHONOV;
    }

    /** The parameter path from a heap Gram matrix (overwritten by its eigenvectors). */
    private Solution solve(Matrix gram, Matrix y) {
        progress.progress(0, 1, "eigen");
        SymmetricEigen eig = SymmetricEigen.ofInPlace(gram);
        progress.progress(1, 1, "eigen");
        double[] grid = lambdaGrid != null ? lambdaGrid : new double[] {lambda};
        RegularizationPath path = RegularizationPath.compute(eig, y, filter, grid,
                lambdaGrid != null ? criterion : RegularizationPath.Criterion.GCV, fitIntercept);
        return new Solution(path.coefficients(), path.intercept(), path.chosenParameter(),
                lambdaGrid != null ? path : null, report(path.chosenParameter(), 0, lambdaGrid != null ? path : null,
                null));
    }

    /**
     * The fixed-λ solution from an off-heap Gram matrix, which the Cholesky takes over and frees; {@code diagonal}
     * (λ/w_i for sample weights) replaces λ on the diagonal when given.
     */
    private Solution solveNative(NativeMatrix gram, Matrix y, double[] diagonal) {
        int n = gram.rows();
        if (diagonal == null) {
            gram.addToDiagonal(lambda);
        } else {
            for (int i = 0; i < n; i++) {
                gram.set(i, i, gram.get(i, i) + diagonal[i]);
            }
        }
        int k = y.cols();
        double[] intercept = new double[k];
        // with an intercept one solve with [Y, 1]: columns 0..k-1 give A⁻¹Y, column k gives u = A⁻¹1
        Matrix rhs = y;
        if (fitIntercept) {
            rhs = new Matrix(n, k + 1);
            for (int i = 0; i < n; i++) {
                System.arraycopy(y.data(), i * k, rhs.data(), i * (k + 1), k);
                rhs.set(i, k, 1.0);
            }
        }
        progress.progress(0, 1, "cholesky");
        Matrix sol;
        FitReport report;
        if (precision.mixedFor(n)) {
            MixedPrecisionCholesky.Result r = MixedPrecisionCholesky.solveInPlace(gram, rhs, "K + lambda*I");
            if (r.factor() != null) {
                r.factor().close();
            }
            sol = r.solution();
            report = report(lambda, r.jitter(), null, r);
        } else {
            try (Cholesky chol = Cholesky.factorInPlace(gram, "K + lambda*I", true)) {
                sol = chol.solve(rhs);
                report = report(lambda, chol.jitter(), null, null);
            }
        }
        progress.progress(1, 1, "cholesky");
        if (!fitIntercept) {
            return new Solution(sol, intercept, lambda, null, report);
        }
        double sumU = 0;
        for (int i = 0; i < n; i++) {
            sumU += sol.get(i, k);
            for (int o = 0; o < k; o++) {
                intercept[o] += sol.get(i, o);
            }
        }
        Matrix alpha = new Matrix(n, k);
        for (int o = 0; o < k; o++) {
            intercept[o] /= sumU;
        }
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < k; o++) {
                alpha.set(i, o, sol.get(i, o) - intercept[o] * sol.get(i, k));
            }
        }
        return new Solution(alpha, intercept, lambda, null, report);
    }

    /** Logarithmically spaced values from {@code from} to {@code to} inclusive. */
    public static double[] logGrid(double from, double to, int count) {
        if (!(from > 0) || !(to >= from) || count < 1) {
            throw new Kernels4jException("a log grid needs 0 < from <= to and count >= 1");
        }
        double[] g = new double[count];
        for (int i = 0; i < count; i++) {
            g[i] = count == 1 ? from : Math.exp(Math.log(from) + (Math.log(to) - Math.log(from)) * i / (count - 1));
        }
        return g;
    }

    private FitReport report(double chosen, double jitter, RegularizationPath path,
            MixedPrecisionCholesky.Result mixed) {
        FitReport.Builder r = FitReport.builder();
        if (filter.kind() != SpectralFilter.Kind.TIKHONOV) {
            r.add("filter", filter.toSpec());
            if (!filter.parameterName().equals("lambda")) {
                r.add(filter.parameterName(), chosen);
            }
        }
        r.add("lambda", chosen);
        if (path != null) {
            r.add("lambda_selection", path.criterion().name().toLowerCase(java.util.Locale.ROOT));
        }
        r.add("intercept", fitIntercept).add("jitter", jitter);
        if (mixed != null) {
            r.add("precision", mixed.mixed() ? "mixed" : "double").add("refinement_steps", (long) mixed.steps())
                    .add("relative_residual", mixed.relativeResidual()).add("precision_fallback", mixed.fallbackReason());
        }
        return r.build();
    }

    /** The kernel. */
    @Override
    public Kernel kernel() {
        return kernel;
    }

    /** The spectral filter (ridge unless set). */
    public SpectralFilter filter() {
        return filter;
    }

    @Override
    public String toString() {
        String p = filter.parameterName();
        return "KernelRidge(kernel=" + kernel.toSpec() + ", "
                + (precision == Precision.DOUBLE ? "" : "precision=" + precision.toSpec() + ", ")
                + (filter.kind() == SpectralFilter.Kind.TIKHONOV ? "" : "filter=" + filter.toSpec() + ", ")
                + (lambdaGrid == null ? p + "=" + lambda : p + "Grid=" + Arrays.toString(lambdaGrid) + " by " + criterion)
                + ")";
    }
}
