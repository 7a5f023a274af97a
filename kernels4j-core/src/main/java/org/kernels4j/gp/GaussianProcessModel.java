package org.kernels4j.gp;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.PredictiveVariance;
import org.kernels4j.model.TrainingData;
import org.kernels4j.regression.KernelRidgeModel;

/**
 * An exact Gaussian process conditioned on (X, y) (see {@link GaussianProcess} for the formulas):
 * immutable, on the heap, nothing to close. It keeps X (n×d), α = A⁻¹y (n×k, of the normalized
 * targets), the lower Cholesky factor L of A = K(X, X) + σ²I (+ jitter) (n×n) and the per-output
 * shift and scale of the targets.
 *
 * <p>Cost: mean O(m·n·(d + k)); variances O(m·n² + m·n·d) (one triangular solve against a copy of
 * L made for the call, O(n²)); full covariance O(m·n² + m²·n).
 */
public final class GaussianProcessModel implements PredictiveVariance {
    private final Kernel kernel;
    private final double noise;
    private final Matrix x;
    private final Matrix lower;
    private final double jitter;
    private final Matrix alpha;
    private final double[] shift;
    private final double[] scale;
    private final double logMarginalLikelihood;
    private final FitReport report;
    private final HyperparameterSearch.Result search;

    /**
     * Assembles a model (the estimator and model files call this); arguments are validated.
     *
     * @param lower the lower Cholesky factor of K(X, X) + (noise + jitter)·I, n×n
     * @param alpha A⁻¹·(y − shift)/scale, n×k
     * @param logMarginalLikelihood NaN when unknown
     */
    public GaussianProcessModel(Kernel kernel, double noise, Matrix x, Matrix lower, double jitter, Matrix alpha,
            double[] shift, double[] scale, double logMarginalLikelihood, FitReport report,
            HyperparameterSearch.Result search) {
        int n = x.rows();
        if (lower.rows() != n || lower.cols() != n) {
            throw new Kernels4jException("the Cholesky factor has shape " + lower.shape() + ", expected " + n + "x" + n);
        }
        if (alpha.rows() != n) {
            throw new Kernels4jException("alpha has " + alpha.rows() + " rows for " + n + " training rows");
        }
        int k = alpha.cols();
        if (shift.length != k || scale.length != k) {
            throw new Kernels4jException("the model has " + k + " outputs but " + shift.length + " shifts and "
                    + scale.length + " scales");
        }
        for (double s : scale) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new Kernels4jException("target scales must be positive and finite, got " + s);
            }
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new Kernels4jException("the noise variance must be >= 0 and finite, got " + noise);
        }
        Cholesky.requireFactor(lower);
        this.kernel = kernel;
        this.noise = noise;
        this.x = x;
        this.lower = lower;
        this.jitter = jitter;
        this.alpha = alpha;
        this.shift = shift.clone();
        this.scale = scale.clone();
        this.logMarginalLikelihood = logMarginalLikelihood;
        this.report = report;
        this.search = search;
    }

    GaussianProcessModel withSearch(HyperparameterSearch.Result result) {
        FitReport r = FitReport.builder().addAll(report).add("search", result.toString()).build();
        return new GaussianProcessModel(kernel, noise, x, lower, jitter, alpha, shift, scale, logMarginalLikelihood,
                r, result);
    }

    /** The covariance kernel (the learned one when a search ran). */
    public Kernel kernel() {
        return kernel;
    }

    /** The fixed noise variance σ². */
    public double noise() {
        return noise;
    }

    /** The hyperparameter search that ran before the fit, or null. */
    public HyperparameterSearch.Result search() {
        return search;
    }

    @Override
    public FitReport report() {
        return report;
    }

    @Override
    public int features() {
        return x.cols();
    }

    /** Number of outputs k. */
    public int outputs() {
        return alpha.cols();
    }

    /** A copy of the training inputs X. */
    public Matrix trainingInputs() {
        return x.copy();
    }

    /** A copy of L, the lower Cholesky factor of K(X, X) + σ²I (+ jitter). */
    public Matrix choleskyFactor() {
        return lower.copy();
    }

    /** A copy of α = A⁻¹·(y − shift)/scale. */
    public Matrix alpha() {
        return alpha.copy();
    }

    /** Per-output shifts subtracted from the targets (0 when not normalizing). */
    public double[] targetShifts() {
        return shift.clone();
    }

    /** Per-output scales the targets were divided by (1 when not normalizing). */
    public double[] targetScales() {
        return scale.clone();
    }

    /** log p(y | X, θ), summed over outputs (of the normalized targets when normalizing); NaN when unknown. */
    public double logMarginalLikelihood() {
        return logMarginalLikelihood;
    }

    /** The diagonal jitter the Cholesky needed beyond the noise (0 normally). */
    public double jitter() {
        return jitter;
    }

    /**
     * The predictive mean as a kernel ridge model f(x) = Σ_i β_i·k(x_i, x) + b with β = α·scale,
     * b = shift and λ = σ² (the same predictions as {@link #predict}).
     */
    public KernelRidgeModel toKernelRidgeModel() {
        return new KernelRidgeModel(kernel, x, scaledAlpha(), shift, noise, null);
    }

    private Matrix scaledAlpha() {
        Matrix beta = alpha.copy();
        for (int i = 0; i < beta.rows(); i++) {
            for (int o = 0; o < beta.cols(); o++) {
                beta.set(i, o, beta.get(i, o) * scale[o]);
            }
        }
        return beta;
    }

    /** Predictive mean, m × k. */
    @Override
    public Matrix predict(Matrix xTest) {
        TrainingData.requirePredictionInputs(xTest, x.cols());
        Matrix m = GramEngine.cross(kernel, xTest, x).times(alpha);
        for (int i = 0; i < m.rows(); i++) {
            for (int o = 0; o < m.cols(); o++) {
                m.set(i, o, m.get(i, o) * scale[o] + shift[o]);
            }
        }
        return m;
    }

    /** V = L⁻¹K(X, X*), n × m. */
    private Matrix whitenedCross(Matrix xTest) {
        TrainingData.requirePredictionInputs(xTest, x.cols());
        try (Cholesky c = Cholesky.ofFactor(lower, jitter)) {
            return c.solveLower(GramEngine.cross(kernel, x, xTest));
        }
    }

    /** Predictive variances of f(x*) for each test row, of output o (times its variance when normalizing). */
    public double[] variance(Matrix xTest, int output) {
        return predictiveVariance(xTest).column(checkOutput(output));
    }

    @Override
    public Matrix predictiveVariance(Matrix xTest) {
        Matrix v = whitenedCross(xTest);
        double[] prior = GramEngine.diagonal(kernel, xTest);
        int m = xTest.rows();
        Matrix var = new Matrix(m, outputs());
        for (int j = 0; j < m; j++) {
            double q = 0;
            for (int i = 0; i < v.rows(); i++) {
                q += v.get(i, j) * v.get(i, j);
            }
            double f = Math.max(prior[j] - q, 0);
            for (int o = 0; o < outputs(); o++) {
                var.set(j, o, f * scale[o] * scale[o]);
            }
        }
        return var;
    }

    private int checkOutput(int output) {
        if (output < 0 || output >= outputs()) {
            throw new Kernels4jException("output " + output + " does not exist; the model has " + outputs());
        }
        return output;
    }

    /** Full predictive covariance of f(X*), m × m (output o's scale when normalizing). */
    public Matrix covariance(Matrix xTest, int output) {
        double s2 = scale[checkOutput(output)] * scale[output];
        Matrix v = whitenedCross(xTest);
        Matrix c = GramEngine.gram(kernel, xTest);
        Matrix vtv = v.transpose().times(v);
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
        return draw(predict(xTest), output, covariance(xTest, output), count, seed);
    }

    /** Draws from the prior GP(0, k) at X* (unnormalized scale), m × count. */
    public Matrix samplePrior(Matrix xTest, int count, long seed) {
        TrainingData.requirePredictionInputs(xTest, x.cols());
        return draw(null, 0, GramEngine.gram(kernel, xTest), count, seed);
    }

    private static Matrix draw(Matrix mean, int output, Matrix cov, int count, long seed) {
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
}
