package org.kernels4j.decomposition;

import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.Model;
import org.kernels4j.model.TrainingData;

/**
 * Fitted kernel CCA (immutable): the training rows of both views, the coefficients α (n×k) and β (n×k) of the k
 * canonical pairs and their correlations ρ (descending). {@link #predict} projects first-view rows onto the
 * canonical directions f_1 … f_k (m×k), {@link #transformSecond} second-view rows onto g_1 … g_k; both with the
 * centring of the training Grams (see {@link KernelCca}). Cost O(m·n·(d + k)) per call.
 */
public final class KernelCcaModel implements Model {
    private final Kernel kernelX;
    private final Kernel kernelY;
    private final Matrix trainX;
    private final Matrix trainY;
    private final Matrix alpha;
    private final Matrix beta;
    private final double[] correlations;
    private final double[] meansX;
    private final double[] meansY;
    private final boolean center;
    private final double kappa;
    private final FitReport report;

    /**
     * Assembles a model.
     *
     * @param meansX the row means of K_x followed by its grand mean (n + 1 values; zeros when not centred)
     * @param meansY likewise for K_y
     */
    public KernelCcaModel(Kernel kernelX, Kernel kernelY, Matrix trainX, Matrix trainY, Matrix alpha, Matrix beta,
            double[] correlations, double[] meansX, double[] meansY, boolean center, double kappa, FitReport report) {
        int n = trainX.rows();
        int k = correlations.length;
        if (trainY.rows() != n || alpha.rows() != n || beta.rows() != n || alpha.cols() != k || beta.cols() != k
                || meansX.length != n + 1 || meansY.length != n + 1) {
            throw new Kernels4jException("kernel CCA model: " + n + " rows and " + k + " components do not fit "
                    + "second view " + trainY.shape() + ", alpha " + alpha.shape() + ", beta " + beta.shape()
                    + " and " + meansX.length + "/" + meansY.length + " kernel means");
        }
        this.kernelX = kernelX;
        this.kernelY = kernelY;
        this.trainX = trainX;
        this.trainY = trainY;
        this.alpha = alpha;
        this.beta = beta;
        this.correlations = correlations.clone();
        this.meansX = meansX.clone();
        this.meansY = meansY.clone();
        this.center = center;
        this.kappa = kappa;
        this.report = report;
    }

    /** The canonical variates of first-view rows, m×k. */
    @Override
    public Matrix predict(Matrix x) {
        return project(kernelX, trainX, x, alpha, meansX);
    }

    /** The canonical variates of second-view rows, m×k. */
    public Matrix transformSecond(Matrix y) {
        return project(kernelY, trainY, y, beta, meansY);
    }

    private Matrix project(Kernel kernel, Matrix train, Matrix x, Matrix coef, double[] means) {
        TrainingData.requirePredictionInputs(x, train.cols());
        Matrix k = GramEngine.cross(kernel, x, train);
        int n = train.rows();
        if (center) {
            double grand = means[n];
            for (int i = 0; i < x.rows(); i++) {
                double rowMean = 0;
                for (int j = 0; j < n; j++) {
                    rowMean += k.get(i, j);
                }
                rowMean /= n;
                for (int j = 0; j < n; j++) {
                    k.set(i, j, k.get(i, j) - rowMean - means[j] + grand);
                }
            }
        }
        return k.times(coef);
    }

    /** The canonical correlations ρ_1 ≥ … ≥ ρ_k. */
    public double[] correlations() {
        return correlations.clone();
    }

    /** α (n×k), the first view's coefficients. */
    public Matrix firstCoefficients() {
        return alpha.copy();
    }

    /** β (n×k), the second view's coefficients. */
    public Matrix secondCoefficients() {
        return beta.copy();
    }

    /** The first view's training rows. */
    public Matrix firstInputs() {
        return trainX.copy();
    }

    /** The second view's training rows. */
    public Matrix secondInputs() {
        return trainY.copy();
    }

    /** The first view's kernel. */
    public Kernel kernel() {
        return kernelX;
    }

    /** The second view's kernel. */
    public Kernel secondKernel() {
        return kernelY;
    }

    /** The row means and grand mean of K_x (n + 1 values). */
    public double[] firstKernelMeans() {
        return meansX.clone();
    }

    /** The row means and grand mean of K_y (n + 1 values). */
    public double[] secondKernelMeans() {
        return meansY.clone();
    }

    /** Whether the Grams were centred. */
    public boolean centered() {
        return center;
    }

    /** κ. */
    public double kappa() {
        return kappa;
    }

    /** Number of columns of the first view. */
    @Override
    public int features() {
        return trainX.cols();
    }

    @Override
    public FitReport report() {
        return report;
    }
}
