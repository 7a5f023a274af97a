package org.kernels4j.gp;

import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.PredictiveVariance;
import org.kernels4j.model.TrainingData;
import org.kernels4j.regression.KernelRidgeModel;

/**
 * A fitted sparse GP (see {@link SparseGaussianProcess}): immutable, on the heap. It keeps the
 * inducing inputs Z (m×d), the mean weights β (m×k), the m×m matrix M⁻¹ − Σ that gives variances,
 * and the per-output target shift and scale. Cost: mean O(t·m·(d + k)), variances O(t·m²).
 */
public final class SparseGaussianProcessModel implements PredictiveVariance {
    private final Kernel kernel;
    private final Kernel signal;
    private final Matrix z;
    private final Matrix beta;
    private final Matrix cov;
    private final double[] shift;
    private final double[] scale;
    private final double bound;
    private final HyperparameterSearch.Result search;

    SparseGaussianProcessModel(Kernel kernel, Kernel signal, Matrix z, Matrix beta, Matrix cov, double[] shift, double[] scale,
            double bound, HyperparameterSearch.Result search) {
        this.kernel = kernel;
        this.signal = signal;
        this.z = z;
        this.beta = beta;
        this.cov = cov;
        this.shift = shift;
        this.scale = scale;
        this.bound = bound;
        this.search = search;
    }

    SparseGaussianProcessModel(SparseGaussianProcessModel m, HyperparameterSearch.Result search) {
        this(m.kernel, m.signal, m.z, m.beta, m.cov, m.shift, m.scale, m.bound, search);
    }

    /** The full kernel (signal plus white noise) with the learned hyperparameters. */
    public Kernel kernel() {
        return kernel;
    }

    /** The inducing inputs Z (m×d, a copy). */
    public Matrix inducingInputs() {
        return z.copy();
    }

    /** The evidence lower bound F at the fitted state (of the normalized targets when normalizing). */
    public double bound() {
        return bound;
    }

    /** The hyperparameter search, or null when the model was fitted with fixed hyperparameters. */
    public HyperparameterSearch.Result search() {
        return search;
    }

    /** Predictive mean m×k. */
    @Override
    public Matrix predict(Matrix xTest) {
        return toKernelRidgeModel().predict(xTest);
    }

    @Override
    public int features() {
        return z.cols();
    }

    /** Number of outputs k. */
    public int outputs() {
        return beta.cols();
    }

    /** The fixed signal part of the kernel (the kernel without its white noise). */
    public Kernel signal() {
        return signal;
    }

    /** A copy of β (m×k, of the normalized targets). */
    public Matrix meanWeights() {
        return beta.copy();
    }

    /** A copy of M⁻¹ − Σ (m×m). */
    public Matrix varianceMatrix() {
        return cov.copy();
    }

    /** Per-output target shifts (0 when not normalizing). */
    public double[] targetShifts() {
        return shift.clone();
    }

    /** Per-output target scales (1 when not normalizing). */
    public double[] targetScales() {
        return scale.clone();
    }

    @Override
    public FitReport report() {
        FitReport.Builder r = FitReport.builder().add("bound", bound).add("inducing", z.rows())
                .add("noise", SparseGaussianProcess.noiseOf(kernel));
        if (search != null) {
            r.add("search", search.toString());
        }
        return r.build();
    }

    /**
     * Var[f(x*)] plus the white-noise variance σ² of the kernel, per output (times its scale² when
     * normalizing): the same quantity as {@link GaussianProcessModel#predictiveVariance} for a
     * kernel with a {@code white(…)} term, which {@code predict --std} reports.
     */
    @Override
    public Matrix predictiveVariance(Matrix xTest) {
        Matrix v = new Matrix(xTest.rows(), outputs());
        double noise = SparseGaussianProcess.noiseOf(kernel);
        for (int o = 0; o < outputs(); o++) {
            double[] c = variance(xTest, o);
            double s2 = scale[o] * scale[o];
            for (int i = 0; i < c.length; i++) {
                v.set(i, o, c[i] + noise * s2);
            }
        }
        return v;
    }

    /**
     * Predictive variance of the latent f(x*) for output o, without the white noise (times its
     * scale² when normalizing); {@link #predictiveVariance} adds the noise, as the exact GP's does.
     */
    public double[] variance(Matrix xTest, int output) {
        TrainingData.requirePredictionInputs(xTest, z.cols());
        if (output < 0 || output >= outputs()) {
            throw new org.kernels4j.Kernels4jException("output " + output + " does not exist; the model has " + outputs());
        }
        Matrix kz = GramEngine.cross(signal, xTest, z); // t×m
        Matrix kc = kz.times(cov);
        double[] prior = GramEngine.diagonal(signal, xTest);
        double[] var = new double[xTest.rows()];
        int m = z.rows();
        for (int i = 0; i < var.length; i++) {
            double q = 0;
            for (int j = 0; j < m; j++) {
                q += kc.get(i, j) * kz.get(i, j);
            }
            var[i] = Math.max(prior[i] - q, 0) * scale[output] * scale[output];
        }
        return var;
    }

    /**
     * The mean as a kernel ridge model over the inducing inputs, f(x) = K(x, Z)·β·scale + shift
     * (λ recorded as the noise σ²), for saving and for every tool that takes such a model.
     */
    public KernelRidgeModel toKernelRidgeModel() {
        Matrix b = beta.copy();
        for (int i = 0; i < b.rows(); i++) {
            for (int o = 0; o < b.cols(); o++) {
                b.set(i, o, b.get(i, o) * scale[o]);
            }
        }
        return new KernelRidgeModel(signal, z, b, shift, SparseGaussianProcess.noiseOf(kernel), null);
    }
}
