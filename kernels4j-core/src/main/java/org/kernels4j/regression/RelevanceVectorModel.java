package org.kernels4j.regression;

import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.PredictiveVariance;
import org.kernels4j.model.TrainingData;

/**
 * A fitted relevance vector regression (immutable): the m relevance vectors r_j, the posterior mean μ and
 * covariance Σ of their weights and the noise variance σ² = 1/β. Mean {@code f(x) = Σ_j μ_j·k(r_j, x)}, predictive
 * variance {@code σ² + φ(x)ᵀΣφ(x)} with {@code φ(x)_j = k(r_j, x)}. Cost O(q·m·(d + m)) for q query rows.
 */
public final class RelevanceVectorModel implements PredictiveVariance {
    private final Kernel kernel;
    private final Matrix vectors;
    private final int[] rows;
    private final Matrix mean;
    private final Matrix covariance;
    private final double noiseVariance;
    private final FitReport report;

    /**
     * Assembles a model (the estimator and model-file loading call this).
     *
     * @param vectors m×d relevance vectors
     * @param rows their rows in the training data
     * @param mean m×1 posterior mean of the weights
     * @param covariance m×m posterior covariance of the weights
     * @param noiseVariance σ² ≥ 0
     */
    public RelevanceVectorModel(Kernel kernel, Matrix vectors, int[] rows, Matrix mean, Matrix covariance,
            double noiseVariance, FitReport report) {
        int m = vectors.rows();
        if (rows.length != m || mean.rows() != m || mean.cols() != 1 || covariance.rows() != m
                || covariance.cols() != m) {
            throw new Kernels4jException("relevance vector model: " + m + " relevance vectors need " + m + " rows, an "
                    + m + "x1 mean and an " + m + "x" + m + " covariance, got " + rows.length + ", " + mean.shape()
                    + " and " + covariance.shape());
        }
        if (!(noiseVariance >= 0) || Double.isInfinite(noiseVariance)) {
            throw new Kernels4jException("relevance vector model: noise variance must be finite and >= 0, got "
                    + noiseVariance);
        }
        this.kernel = kernel;
        this.vectors = vectors;
        this.rows = rows.clone();
        this.mean = mean;
        this.covariance = covariance;
        this.noiseVariance = noiseVariance;
        this.report = report;
    }

    @Override
    public Matrix predict(Matrix x) {
        TrainingData.requirePredictionInputs(x, vectors.cols());
        if (vectors.rows() == 0) {
            return new Matrix(x.rows(), 1);
        }
        return GramEngine.crossTimes(kernel, x, vectors, mean, ProgressListener.NONE);
    }

    /** σ² + φ(x)ᵀΣφ(x), m×1. */
    @Override
    public Matrix predictiveVariance(Matrix x) {
        TrainingData.requirePredictionInputs(x, vectors.cols());
        Matrix v = new Matrix(x.rows(), 1);
        if (vectors.rows() == 0) {
            java.util.Arrays.fill(v.data(), noiseVariance);
            return v;
        }
        Matrix phi = GramEngine.cross(kernel, x, vectors);
        Matrix ps = phi.times(covariance);
        int m = vectors.rows();
        for (int i = 0; i < x.rows(); i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                s += ps.get(i, j) * phi.get(i, j);
            }
            v.set(i, 0, noiseVariance + Math.max(0, s));
        }
        return v;
    }

    /** The relevance vectors' rows in the training data, ascending. */
    public int[] relevanceRows() {
        return rows.clone();
    }

    /** A copy of the relevance vectors (m×d). */
    public Matrix relevanceVectors() {
        return vectors.copy();
    }

    /** The posterior mean of their weights (m×1). */
    public Matrix weights() {
        return mean.copy();
    }

    /** The posterior covariance of their weights (m×m). */
    public Matrix covariance() {
        return covariance.copy();
    }

    /** The noise variance σ² = 1/β. */
    public double noiseVariance() {
        return noiseVariance;
    }

    /** The kernel. */
    public Kernel kernel() {
        return kernel;
    }

    @Override
    public int features() {
        return vectors.cols();
    }

    @Override
    public FitReport report() {
        return report;
    }
}
