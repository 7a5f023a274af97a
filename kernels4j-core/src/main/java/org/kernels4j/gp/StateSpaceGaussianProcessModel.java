package org.kernels4j.gp;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.PredictiveVariance;
import org.kernels4j.model.TrainingData;

/**
 * A state-space GP conditioned on (t, y) (see {@link StateSpaceGaussianProcess}): immutable, on the
 * heap. It keeps the sorted training times (n×1), the normalized targets (n×k) and their per-output
 * shift and scale; each prediction call runs the filter and smoother over the training and test
 * times interleaved, O((n + m)·d³ + m log m), and gives exactly the dense GP's posterior mean and
 * latent variance.
 */
public final class StateSpaceGaussianProcessModel implements PredictiveVariance {
    private final StateSpaceKernel kernel;
    private final double noise;
    private final Matrix t;
    private final Matrix y;
    private final double[] shift;
    private final double[] scale;
    private final double logMarginalLikelihood;
    private final FitReport report;
    private final HyperparameterSearch.Result search;

    /**
     * Assembles a model (the estimator and model files call this); arguments are validated.
     *
     * @param t training times, n×1, ascending
     * @param y normalized targets (y − shift)/scale in the order of t, n×k
     */
    public StateSpaceGaussianProcessModel(StateSpaceKernel kernel, double noise, Matrix t, Matrix y, double[] shift,
            double[] scale, double logMarginalLikelihood, FitReport report, HyperparameterSearch.Result search) {
        if (t.cols() != 1 || y.rows() != t.rows() || t.rows() == 0) {
            throw new Kernels4jException("a state-space GP needs n×1 times and n×k targets, got " + t.shape() + " and "
                    + y.shape());
        }
        for (int i = 1; i < t.rows(); i++) {
            if (!(t.get(i, 0) >= t.get(i - 1, 0))) {
                throw new Kernels4jException("training times must be ascending (row " + i + ")");
            }
        }
        if (shift.length != y.cols() || scale.length != y.cols()) {
            throw new Kernels4jException("the model has " + y.cols() + " outputs but " + shift.length + " shifts and "
                    + scale.length + " scales");
        }
        for (double s : scale) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new Kernels4jException("target scales must be positive and finite, got " + s);
            }
        }
        if (!(noise > 0) || Double.isInfinite(noise)) {
            throw new Kernels4jException("the noise variance must be > 0 and finite, got " + noise);
        }
        t.requireFinite("training times");
        y.requireFinite("training targets");
        this.kernel = kernel;
        this.noise = noise;
        this.t = t;
        this.y = y;
        this.shift = shift.clone();
        this.scale = scale.clone();
        this.logMarginalLikelihood = logMarginalLikelihood;
        this.report = report;
        this.search = search;
    }

    StateSpaceGaussianProcessModel withSearch(HyperparameterSearch.Result result) {
        FitReport r = FitReport.builder().addAll(report).add("search", result.toString()).build();
        return new StateSpaceGaussianProcessModel(kernel, noise, t, y, shift, scale, logMarginalLikelihood, r, result);
    }

    /** The kernel (the learned one when a search ran). */
    public StateSpaceKernel kernel() {
        return kernel;
    }

    /** The noise variance σ² (learned when a search ran). */
    public double noise() {
        return noise;
    }

    /** The hyperparameter search that ran before the fit, or null. */
    public HyperparameterSearch.Result search() {
        return search;
    }

    /** log p(y | t, θ) of the normalized targets, summed over outputs; NaN when unknown. */
    public double logMarginalLikelihood() {
        return logMarginalLikelihood;
    }

    /** A copy of the sorted training times, n×1. */
    public Matrix trainingTimes() {
        return t.copy();
    }

    /** A copy of the normalized targets in time order, n×k. */
    public Matrix normalizedTargets() {
        return y.copy();
    }

    /** Per-output shifts (0 when not normalizing). */
    public double[] targetShifts() {
        return shift.clone();
    }

    /** Per-output scales (1 when not normalizing). */
    public double[] targetScales() {
        return scale.clone();
    }

    /** Number of outputs k. */
    public int outputs() {
        return y.cols();
    }

    @Override
    public int features() {
        return 1;
    }

    @Override
    public FitReport report() {
        return report;
    }

    @Override
    public Matrix predict(Matrix x) {
        return posterior(x)[0];
    }

    @Override
    public Matrix predictiveVariance(Matrix x) {
        return posterior(x)[1];
    }

    /** Mean and variance, m×k each, in the units of the targets. */
    private Matrix[] posterior(Matrix x) {
        TrainingData.requirePredictionInputs(x, 1);
        int n = t.rows();
        int m = x.rows();
        int k = outputs();
        int[] order = StateSpaceGaussianProcess.order(x.data());
        double[] times = new double[n + m];
        boolean[] observed = new boolean[n + m];
        double[] values = new double[(n + m) * k];
        int[] testAt = new int[m];
        int i = 0;
        int j = 0;
        for (int at = 0; at < n + m; at++) {
            if (j >= m || (i < n && t.get(i, 0) <= x.get(order[j], 0))) {
                times[at] = t.get(i, 0);
                observed[at] = true;
                System.arraycopy(y.data(), i * k, values, at * k, k);
                i++;
            } else {
                times[at] = x.get(order[j], 0);
                testAt[order[j]] = at;
                j++;
            }
        }
        double[][] post = KalmanRecursions.posterior(kernel, noise, times, observed, values, k);
        Matrix mean = new Matrix(m, k);
        Matrix var = new Matrix(m, k);
        for (int r = 0; r < m; r++) {
            int at = testAt[r];
            for (int o = 0; o < k; o++) {
                mean.set(r, o, post[0][at * k + o] * scale[o] + shift[o]);
                var.set(r, o, post[1][at] * scale[o] * scale[o]);
            }
        }
        return new Matrix[] {mean, var};
    }
}
