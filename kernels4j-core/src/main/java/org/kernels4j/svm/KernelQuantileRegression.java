package org.kernels4j.svm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;

/**
 * Kernel quantile regression (Takeuchi, Le, Sears &amp; Smola, JMLR 2006; kernlab's {@code kqr}): for each level
 * τ ∈ (0, 1) the function {@code q_τ(x) = f(x) + b}, f in the RKHS, minimising
 *
 * <pre>  C·Σ_i ρ_τ(y_i − f(x_i) − b) + ½‖f‖²_H,     ρ_τ(r) = τ·r for r ≥ 0, (τ − 1)·r for r &lt; 0 (the pinball loss). </pre>
 *
 * <p>Its dual is the box-constrained QP
 * {@code max_α yᵀα − ½αᵀKα} subject to {@code C(τ−1) ≤ α_i ≤ Cτ} and {@code Σ_i α_i = 0}, with
 * {@code f = Σ_i α_i·k(x_i, ·)} and b the multiplier of the equality. Writing α = α⁺ − α⁻ with
 * 0 ≤ α⁺ ≤ Cτ and 0 ≤ α⁻ ≤ C(1−τ) turns it into ε-SVR's dual with ε = 0 and unequal upper bounds, which the
 * shared SMO solver ({@code SmoSolver}: LIBSVM's working-set selection, shrinking, a kernel-row cache, batched
 * kernel rows) solves to LIBSVM's KKT tolerance. That is why this is SMO and not a projected-gradient method: the
 * problem is exactly one the solver already handles, with its stopping rule (m − M &lt; ε) a certificate of
 * optimality. At the optimum, residuals are ≥ 0 where α_i = Cτ, ≤ 0 where α_i = C(τ−1) and 0 in between, so at
 * most a fraction τ of the training targets lies strictly below q_τ and at least τ at or below it (the quantile
 * property, up to the interpolated points).
 *
 * <p><b>Several levels and non-crossing.</b> Each τ is solved separately (so the estimated quantile curves may
 * cross, which no quantile function can). The model therefore applies the <i>monotone rearrangement</i> of
 * Chernozhukov, Fernández-Val &amp; Galichon (Econometrica 2010) at every prediction point: the values
 * q_τ1(x), …, q_τm(x) for ascending τ are sorted. For a finite set of levels this is exactly their rearrangement
 * operator; it never increases the pinball-loss (or any Lp) distance to the true quantiles and leaves uncrossed
 * curves unchanged. {@link KernelQuantileRegressionModel#rawPredictions(Matrix)} gives the curves before it.
 *
 * <p>Cost per level: SMO on 2n variables, typically O(n²·d) kernel work (the n×n Gram matrix is computed once
 * and shared by all levels when it fits the 512 MiB kernel cache), memory O(n) besides it.
 */
public final class KernelQuantileRegression implements Estimator<KernelQuantileRegressionModel> {
    private static final long CACHE_BYTES = 512L << 20;
    private final Kernel kernel;
    private final double[] taus;
    private final double c;
    private final double tolerance;
    private final ProgressListener progress;

    private KernelQuantileRegression(Builder b) {
        this.kernel = b.kernel;
        this.taus = b.taus.clone();
        this.c = b.c;
        this.tolerance = b.tolerance;
        this.progress = b.progress;
    }

    /** A builder; by default τ = 0.5 (the median), C = 1, tolerance 10⁻³. */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options for {@link KernelQuantileRegression}; validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private double[] taus = {0.5};
        private double c = 1;
        private double tolerance = 1e-3;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("kernel quantile regression needs a kernel");
            }
            this.kernel = kernel;
        }

        /** The quantile levels τ, each in (0, 1), distinct; fitted in ascending order (default 0.5). */
        public Builder quantiles(double... levels) {
            this.taus = levels.clone();
            return this;
        }

        /** The weight C &gt; 0 of the pinball loss against ½‖f‖² (kernlab's C; default 1). */
        public Builder c(double value) {
            this.c = value;
            return this;
        }

        /** The SMO stopping tolerance on the KKT violation, &gt; 0 (default 10⁻³, as LIBSVM). */
        public Builder tolerance(double value) {
            this.tolerance = value;
            return this;
        }

        /** Receives the solver's progress. */
        public Builder progress(ProgressListener value) {
            this.progress = value == null ? ProgressListener.NONE : value;
            return this;
        }

        /** @throws Kernels4jException for a τ outside (0, 1), a repeated τ, C ≤ 0 or tolerance ≤ 0 */
        public KernelQuantileRegression build() {
            if (taus.length == 0) {
                throw new Kernels4jException("kernel quantile regression needs at least one quantile level");
            }
            double[] sorted = taus.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                if (!(sorted[i] > 0 && sorted[i] < 1)) {
                    throw new Kernels4jException("quantile level tau must lie strictly between 0 and 1, got " + sorted[i]);
                }
                if (i > 0 && sorted[i] == sorted[i - 1]) {
                    throw new Kernels4jException("quantile level " + sorted[i] + " is given twice");
                }
            }
            taus = sorted;
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new Kernels4jException("kernel quantile regression: C must be a positive finite number, got " + c);
            }
            if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
                throw new Kernels4jException("kernel quantile regression: tolerance must be positive, got " + tolerance);
            }
            return new KernelQuantileRegression(this);
        }
    }

    /**
     * Fits one quantile function per level.
     *
     * @param x n×d inputs
     * @param y n×1 targets
     */
    @Override
    public KernelQuantileRegressionModel fit(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        if (y.cols() != 1) {
            throw new Kernels4jException("kernel quantile regression takes one target column, got " + y.cols());
        }
        int n = x.rows();
        KernelSource src = 8L * n * n <= CACHE_BYTES ? KernelSource.precomputed(GramEngine.gram(kernel, x))
                : KernelSource.of(kernel, x);
        int l = 2 * n;
        int[] sample = new int[l];
        double[] sign = new double[l];
        double[] p = new double[l];
        for (int i = 0; i < n; i++) {
            sample[i] = i;
            sample[i + n] = i;
            sign[i] = 1;
            sign[i + n] = -1;
            p[i] = -y.get(i, 0);
            p[i + n] = y.get(i, 0);
        }
        Matrix coef = new Matrix(n, taus.length);
        double[] intercept = new double[taus.length];
        List<FitReport> parts = new ArrayList<>();
        SmoSolver.Options options = new SmoSolver.Options(tolerance, CACHE_BYTES, 512, true,
                Math.max(10_000_000L, 100L * l), progress);
        for (int q = 0; q < taus.length; q++) {
            double[] upper = new double[l];
            Arrays.fill(upper, 0, n, c * taus[q]);
            Arrays.fill(upper, n, l, c * (1 - taus[q]));
            SmoSolver.Result r = SmoSolver.solve(src, sample, sign, p, upper, new double[l], options);
            int free = 0;
            for (int i = 0; i < n; i++) {
                double a = r.alpha()[i] - r.alpha()[i + n];
                coef.set(i, q, a);
                free += a > c * (taus[q] - 1) && a < c * taus[q] ? 1 : 0;
            }
            // SMO's decision is Σ coef·k − ρ, so the intercept is −ρ
            intercept[q] = -r.rho();
            parts.add(FitReport.builder().add("tau", taus[q]).add("objective", r.objective())
                    .add("iterations", r.iterations()).add("gap", r.gap()).add("converged", r.converged())
                    .add("free_coefficients", (long) free).build());
        }
        FitReport report = FitReport.builder().add("c", c).add("quantiles", taus).add("levels", parts).build();
        return new KernelQuantileRegressionModel(kernel, x.copy(), coef, intercept, taus, c, report);
    }

    /** The levels τ, ascending. */
    public double[] quantiles() {
        return taus.clone();
    }

    @Override
    public String toString() {
        return "KernelQuantileRegression(kernel=" + kernel.toSpec() + ", C=" + c + ", quantiles=" + Arrays.toString(taus)
                + ")";
    }
}
