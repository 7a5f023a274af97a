package org.kernels4j.gp;

import org.kernels4j.model.TrainingData;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeMatrix;
import org.kernels4j.linalg.NotPositiveDefiniteException;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;

/**
 * Exact Gaussian process regression with a fixed kernel (Rasmussen &amp; Williams, 2006, Algorithm
 * 2.1): prior f ~ GP(0, k), observations y = f(X) + ε with ε ~ N(0, σ²I), σ² = {@code noise}.
 * (Noise can also live in the kernel as {@code + white(noise=…)}; then it is part of k and of the
 * predictive variance at new points, as in scikit-learn.) With A = K(X, X) + σ²I = LLᵀ and α = A⁻¹y:
 * <pre>
 *   mean(X*)       = K(X*, X)·α
 *   cov(X*)        = K(X*, X*) − VᵀV,   V = L⁻¹K(X, X*)
 *   log p(y | X)   = −½·yᵀα − Σ_i log L_ii − (n/2)·log 2π      (per output column, summed)
 * </pre>
 * With {@code normalizeTargets}, each output is centred and scaled to unit variance before the
 * fit and predictions are mapped back (means shifted and scaled, covariances scaled by the
 * variance); the log marginal likelihood is then that of the normalized targets, as in
 * scikit-learn's {@code normalize_y}. Cost: fit O(n³/3) (one Cholesky) and O(n²) memory;
 * mean O(m·n), variances O(m·n²), full covariance O(m·n² + m²·n).
 *
 * <p>Hyperparameters: {@link #evidence} gives log p(y | X, θ) and its gradient with respect to
 * log θ for every kernel hyperparameter (R&amp;W eq. 5.9),
 * <pre>
 *   ∂ log p / ∂ log θ_j = ½·tr((ααᵀ − A⁻¹)·∂A/∂log θ_j)
 * </pre>
 * from one Cholesky, A⁻¹ from the factor (LAPACK {@code dpotri}), and one tile-wise pass of the
 * kernel's derivatives that never stores ∂A ({@link GramEngine#gradientContractions}): O(n³) time,
 * O(n²) memory whatever the number of hyperparameters. {@link #optimize} maximizes it with
 * {@link HyperparameterSearch}; with {@link Builder#optimize} the fit does so first and records
 * the search in the model's report. Noise is learned by putting {@code white(noise=…)} in the
 * kernel; the {@code noise} given here stays fixed (scikit-learn's {@code alpha}).
 *
 * <pre>{@code
 * GaussianProcessModel m = GaussianProcess.builder(kernel).noise(1e-2).normalizeTargets(true).build().fit(x, y);
 * Matrix mean = m.predict(xTest);
 * Matrix var = m.predictiveVariance(xTest);
 * }</pre>
 */
public final class GaussianProcess implements Estimator<GaussianProcessModel> {
    private final Kernel kernel;
    private final double noise;
    private final boolean normalizeTargets;
    private final HyperparameterSearch search;

    private GaussianProcess(Kernel kernel, double noise, boolean normalizeTargets, HyperparameterSearch search) {
        this.kernel = kernel;
        this.noise = noise;
        this.normalizeTargets = normalizeTargets;
        this.search = search;
    }

    /** Starts a builder; defaults: noise σ² = 1e-10 (jitter-sized), no target normalization, no search. */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private double noise = 1e-10;
        private boolean normalizeTargets;
        private HyperparameterSearch search;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("a Gaussian process needs a kernel");
            }
            this.kernel = kernel;
        }

        /**
         * The fixed observation noise variance σ² ≥ 0 added to the diagonal (0 is allowed when the
         * kernel matrix is positive definite; Cholesky jitter is added only if needed and reported).
         */
        public Builder noise(double value) {
            this.noise = value;
            return this;
        }

        /** Centre and scale each output to unit variance before fitting (scikit-learn's {@code normalize_y}). */
        public Builder normalizeTargets(boolean on) {
            this.normalizeTargets = on;
            return this;
        }

        /** Learn the kernel's hyperparameters by maximizing the evidence with this search before fitting. */
        public Builder optimize(HyperparameterSearch value) {
            this.search = value;
            return this;
        }

        /** @throws Kernels4jException for a negative or non-finite noise */
        public GaussianProcess build() {
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new Kernels4jException("the noise variance must be >= 0 and finite, got " + noise);
            }
            return new GaussianProcess(kernel, noise, normalizeTargets, search);
        }
    }

    /** The same GP with another kernel (e.g. the one {@link #optimize} learned). */
    public GaussianProcess withKernel(Kernel other) {
        return new GaussianProcess(other, noise, normalizeTargets, search);
    }

    /** The prior covariance kernel. */
    public Kernel kernel() {
        return kernel;
    }

    /** The fixed noise variance σ² added to the diagonal. */
    public double noise() {
        return noise;
    }

    /** Whether targets are normalized before fitting. */
    public boolean normalizesTargets() {
        return normalizeTargets;
    }

    /**
     * Conditions the prior on (x, y), after learning the hyperparameters when a search was set; y
     * is n × k (k independent outputs sharing the kernel). The model keeps the Cholesky factor on
     * the heap (n² doubles), so variances need no refactorization.
     */
    @Override
    public GaussianProcessModel fit(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        if (search != null) {
            HyperparameterSearch.Result learned = optimize(x, y, search);
            GaussianProcessModel m = withKernel(learned.kernel()).withoutSearch().fit(x, y);
            return m.withSearch(learned);
        }
        Targets t = normalize(y);
        try (Cholesky chol = factor(x, true)) {
            Matrix alpha = chol.solve(t.values);
            double lml = logMarginalLikelihood(chol, t.values, alpha);
            for (double v : alpha.data()) {
                if (!Double.isFinite(v) || Double.isNaN(lml)) {
                    throw new Kernels4jException("Gaussian process: the weights K^-1 y overflowed to Inf or NaN"
                            + targetHint(y) + "; scale the target (--normalize) or "
                            + "add noise (white(noise=...))");
                }
            }
            FitReport report = FitReport.builder().add("log_marginal_likelihood", lml).add("noise", noise)
                    .add("jitter", chol.jitter()).build();
            return new GaussianProcessModel(kernel, noise, x.copy(), chol.lower(), chol.jitter(), alpha, t.shift,
                    t.scale, lml, report, null);
        }
    }

    /** "(the target reaches |y| = 1e+300) " when the target is that large, else "". */
    private static String targetHint(Matrix y) {
        double max = 0;
        for (double v : y.data()) {
            max = Math.max(max, Math.abs(v));
        }
        return max > 1e100 ? String.format(java.util.Locale.ROOT, " (the target reaches |y| = %.3g)", max) : "";
    }

    private GaussianProcess withoutSearch() {
        return new GaussianProcess(kernel, noise, normalizeTargets, null);
    }

    /**
     * log p(y | X, θ) at the kernel's current hyperparameters, summed over outputs (of the
     * normalized targets when normalizing), and its gradient with respect to log θ in
     * {@link Kernel#hyperparameters()} order.
     *
     * @throws NotPositiveDefiniteException when K + σ²I is not numerically positive definite (no
     *     jitter is added here, since it would make the gradient inconsistent)
     */
    public HyperparameterSearch.Evidence evidence(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        Matrix yn = normalize(y).values;
        int n = x.rows();
        int k = yn.cols();
        Matrix w;
        double lml;
        try (Cholesky chol = factor(x, false)) {
            Matrix alpha = chol.solve(yn);
            lml = logMarginalLikelihood(chol, yn, alpha);
            w = chol.inverse();
            double[] wd = w.data();
            double[] ad = alpha.data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = -k * wd[i * n + j];
                    for (int o = 0; o < k; o++) {
                        s += ad[i * k + o] * ad[j * k + o];
                    }
                    wd[i * n + j] = s;
                }
            }
        }
        double[] gradient = GramEngine.gradientContractions(kernel, x, w);
        for (int p = 0; p < gradient.length; p++) {
            gradient[p] *= 0.5;
        }
        return new HyperparameterSearch.Evidence(lml, gradient);
    }

    /**
     * Learns the kernel's hyperparameters by maximizing {@link #evidence}; fit the result with
     * {@code withKernel(result.kernel()).fit(x, y)}.
     */
    public HyperparameterSearch.Result optimize(Matrix x, Matrix y, HyperparameterSearch search) {
        TrainingData.require(x, y);
        return search.maximize(kernel, k -> withKernel(k).evidence(x, y));
    }

    /** Targets as fitted: (y − shift)/scale per column, with the shift and scale used. */
    record Targets(Matrix values, double[] shift, double[] scale) {
    }

    private Targets normalize(Matrix y) {
        return normalize(y, normalizeTargets);
    }

    /** Centres and scales each column to unit variance when asked (a constant column keeps scale 1); else copies. */
    static Targets normalize(Matrix y, boolean normalizeTargets) {
        int k = y.cols();
        double[] shift = normalizeTargets ? y.columnMeans() : new double[k];
        double[] scale = normalizeTargets ? y.columnStandardDeviations(shift) : new double[k];
        for (int o = 0; o < k; o++) {
            scale[o] = scale[o] > 0 ? scale[o] : 1;
        }
        Matrix yn = y.copy();
        yn.standardizeColumns(shift, scale);
        return new Targets(yn, shift, scale);
    }

    /** The Cholesky factor of K(X, X) + σ²I, computed off the heap and factored in place. */
    Cholesky factor(Matrix x, boolean allowJitter) {
        int n = x.rows();
        NativeMatrix a = new NativeMatrix(n, n);
        try {
            GramEngine.gram(kernel, x, a, ProgressListener.NONE);
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        a.addToDiagonal(noise);
        return Cholesky.factorInPlace(a, "GP covariance K + noise*I", allowJitter);
    }

    private static double logMarginalLikelihood(Cholesky chol, Matrix yn, Matrix alpha) {
        int n = yn.rows();
        double lml = 0;
        double logDet = chol.logDeterminant();
        for (int o = 0; o < yn.cols(); o++) {
            double fit = 0;
            for (int i = 0; i < n; i++) {
                fit += yn.get(i, o) * alpha.get(i, o);
            }
            lml += -0.5 * fit - 0.5 * logDet - 0.5 * n * Math.log(2 * Math.PI);
        }
        return lml;
    }
}
