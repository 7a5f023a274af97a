package org.kernels4j.gp;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeMatrix;
import org.kernels4j.linalg.NotPositiveDefiniteException;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;

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
 * {@link HyperparameterSearch}. Noise is learned by putting {@code white(noise=…)} in the kernel;
 * the {@code noise} given here stays fixed (scikit-learn's {@code alpha}).
 */
public final class GaussianProcess {
    private final Kernel kernel;
    private final double noise;
    private final boolean normalizeTargets;

    private GaussianProcess(Kernel kernel, double noise, boolean normalizeTargets) {
        this.kernel = kernel;
        this.noise = noise;
        this.normalizeTargets = normalizeTargets;
    }

    /**
     * @param noise observation noise variance σ² ≥ 0 (0 is allowed when the kernel matrix is
     *     positive definite; Cholesky jitter is added only if needed and reported by the model)
     */
    public static GaussianProcess of(Kernel kernel, double noise, boolean normalizeTargets) {
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new Kernels4jException("the noise variance must be >= 0 and finite, got " + noise);
        }
        return new GaussianProcess(kernel, noise, normalizeTargets);
    }

    /** The same GP with another kernel (e.g. the one {@link #optimize} learned). */
    public GaussianProcess withKernel(Kernel other) {
        return new GaussianProcess(other, noise, normalizeTargets);
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

    /** Conditions the prior on (x, y); y is n × k (k independent outputs sharing the kernel). */
    public Model fit(Matrix x, Matrix y) {
        KernelRidge.requireTrainingData(x, y);
        Targets t = normalize(y);
        Cholesky chol = factor(x, true);
        Matrix alpha = chol.solve(t.values);
        return new Model(x.copy(), chol, alpha, logMarginalLikelihood(chol, t.values, alpha), t.shift, t.scale);
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
        KernelRidge.requireTrainingData(x, y);
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
        KernelRidge.requireTrainingData(x, y);
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
    private Cholesky factor(Matrix x, boolean allowJitter) {
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

    /**
     * Rebuilds a fitted GP from its mean written as a kernel ridge model (see
     * {@link Model#toKernelRidgeModel()}) and the per-output target scales: refactors
     * K(X, X) + σ²I with σ² = {@code mean.lambda()} (O(n³/3)), so that variances can be predicted again.
     * The log marginal likelihood is not kept by the mean and is reported as NaN.
     */
    public static Model restore(KernelRidgeModel mean, double[] targetScales) {
        int k = mean.outputs();
        if (targetScales.length != k) {
            throw new Kernels4jException("the model has " + k + " outputs but " + targetScales.length + " target scales");
        }
        for (double s : targetScales) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new Kernels4jException("target scales must be positive and finite, got " + s);
            }
        }
        GaussianProcess gp = of(mean.kernel(), mean.lambda(), false);
        Matrix x = mean.trainingInputs();
        Matrix alpha = mean.dualCoefficients();
        for (int i = 0; i < alpha.rows(); i++) {
            for (int o = 0; o < k; o++) {
                alpha.set(i, o, alpha.get(i, o) / targetScales[o]);
            }
        }
        return gp.new Model(x, gp.factor(x, true), alpha, Double.NaN, mean.intercept(), targetScales.clone());
    }

    /** A fitted GP; holds the Cholesky factor (off-heap) until {@link #close}. */
    public final class Model implements AutoCloseable {
        private final Matrix x;
        private final Cholesky chol;
        private final Matrix alpha;
        private final double logMarginalLikelihood;
        private final double[] shift;
        private final double[] scale;

        private Model(Matrix x, Cholesky chol, Matrix alpha, double lml, double[] shift, double[] scale) {
            this.x = x;
            this.chol = chol;
            this.alpha = alpha;
            this.logMarginalLikelihood = lml;
            this.shift = shift;
            this.scale = scale;
        }

        /** log p(y | X, θ), summed over outputs (of the normalized targets when normalizing). */
        public double logMarginalLikelihood() {
            return logMarginalLikelihood;
        }

        /**
         * The predictive mean as a kernel ridge model f(x) = Σ_i β_i·k(x_i, x) + b with β = α·scale,
         * b = shift and λ = σ² (the same predictions as {@link #mean}), for saving and for every tool
         * that takes such a model.
         */
        public KernelRidgeModel toKernelRidgeModel() {
            Matrix beta = alpha.copy();
            for (int i = 0; i < beta.rows(); i++) {
                for (int o = 0; o < beta.cols(); o++) {
                    beta.set(i, o, beta.get(i, o) * scale[o]);
                }
            }
            return new KernelRidgeModel(kernel, x, beta, shift, noise, null);
        }

        /** Per-output scales the targets were divided by (1 when not normalizing). */
        public double[] targetScales() {
            return scale.clone();
        }

        /** The diagonal jitter the Cholesky needed beyond the noise (0 normally). */
        public double jitter() {
            return chol.jitter();
        }

        /** Predictive mean, m × k. */
        public Matrix mean(Matrix xTest) {
            Matrix m = GramEngine.cross(kernel, xTest, x).times(alpha);
            for (int i = 0; i < m.rows(); i++) {
                for (int o = 0; o < m.cols(); o++) {
                    m.set(i, o, m.get(i, o) * scale[o] + shift[o]);
                }
            }
            return m;
        }

        /** Predictive variances of f(x*) for each test row (of output o when normalizing: times its variance). */
        public double[] variance(Matrix xTest, int output) {
            Matrix v = chol.solveLower(GramEngine.cross(kernel, x, xTest)); // n × m
            double[] prior = GramEngine.diagonal(kernel, xTest);
            double[] var = new double[xTest.rows()];
            double s2 = scale[output] * scale[output];
            for (int j = 0; j < var.length; j++) {
                double q = 0;
                for (int i = 0; i < v.rows(); i++) {
                    q += v.get(i, j) * v.get(i, j);
                }
                var[j] = Math.max(prior[j] - q, 0) * s2;
            }
            return var;
        }

        /** Full predictive covariance of f(X*), m × m (output o's scale when normalizing). */
        public Matrix covariance(Matrix xTest, int output) {
            Matrix v = chol.solveLower(GramEngine.cross(kernel, x, xTest));
            Matrix c = GramEngine.gram(kernel, xTest);
            Matrix vtv = v.transpose().times(v);
            double s2 = scale[output] * scale[output];
            int m = c.rows();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    c.set(i, j, (c.get(i, j) - 0.5 * (vtv.get(i, j) + vtv.get(j, i))) * s2);
                }
            }
            return c;
        }

        /**
         * {@code count} joint draws of f(X*) from the posterior for output o, as columns of an m × count
         * matrix: mean + L*·Z with L*L*ᵀ the predictive covariance (jittered if singular).
         */
        public Matrix samplePosterior(Matrix xTest, int output, int count, long seed) {
            return draw(mean(xTest), output, covariance(xTest, output), count, seed);
        }

        /** Draws from the prior GP(0, k) at X* (unnormalized scale), m × count. */
        public Matrix samplePrior(Matrix xTest, int count, long seed) {
            return draw(null, 0, GramEngine.gram(kernel, xTest), count, seed);
        }

        private Matrix draw(Matrix mean, int output, Matrix cov, int count, long seed) {
            int m = cov.rows();
            Matrix z = new Matrix(m, count);
            Random r = new Random(seed);
            for (int i = 0; i < z.data().length; i++) {
                z.data()[i] = r.nextGaussian();
            }
            Matrix f;
            try (Cholesky c = Cholesky.factor(cov, "GP sample covariance")) {
                f = c.lower().times(z);
            }
            if (mean != null) {
                for (int i = 0; i < m; i++) {
                    for (int s = 0; s < count; s++) {
                        f.set(i, s, f.get(i, s) + mean.get(i, output));
                    }
                }
            }
            return f;
        }

        @Override
        public void close() {
            chol.close();
        }
    }
}
