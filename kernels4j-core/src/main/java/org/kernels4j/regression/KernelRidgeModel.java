package org.kernels4j.regression;

import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.Model;
import org.kernels4j.model.TrainingData;

/**
 * A fitted kernel ridge regression model {@code f(x) = Σ_i α_i·k(x_i, x) + b}: immutable; it owns copies
 * of its training inputs (n×d) and dual coefficients α (n×k).
 */
public final class KernelRidgeModel implements Model {
    private final Kernel kernel;
    private final Matrix trainX;
    private final Matrix dualCoef;
    private final double lambda;
    private final RegularizationPath path;
    private final double[] intercept;
    private final FitReport report;

    /**
     * Assembles a model (used by the estimator and by model-file loading).
     *
     * @param intercept per-output unpenalized constant b added to every prediction (zeros when the
     *     model has no intercept); length k
     * @param path the λ path when λ was selected, or null
     */
    public KernelRidgeModel(Kernel kernel, Matrix trainX, Matrix dualCoef, double[] intercept, double lambda,
            RegularizationPath path) {
        this(kernel, trainX, dualCoef, intercept, lambda, path, FitReport.builder().add("lambda", lambda).build());
    }

    /** As above, with the fit's report. */
    public KernelRidgeModel(Kernel kernel, Matrix trainX, Matrix dualCoef, double[] intercept, double lambda,
            RegularizationPath path, FitReport report) {
        if (trainX.rows() != dualCoef.rows()) {
            throw new Kernels4jException("model has " + trainX.rows() + " training rows but " + dualCoef.rows()
                    + " rows of dual coefficients");
        }
        if (intercept.length != dualCoef.cols()) {
            throw new Kernels4jException("model has " + dualCoef.cols() + " outputs but " + intercept.length
                    + " intercepts");
        }
        this.intercept = intercept.clone();
        this.kernel = kernel;
        this.trainX = trainX;
        this.dualCoef = dualCoef;
        this.lambda = lambda;
        this.path = path;
        this.report = report;
    }

    @Override
    public FitReport report() {
        return report;
    }

    /** The kernel. */
    public Kernel kernel() {
        return kernel;
    }

    /** The regularization λ used for the fit. */
    public double lambda() {
        return lambda;
    }

    /** The λ path with LOO and GCV scores, or null when λ was fixed. */
    public RegularizationPath path() {
        return path;
    }

    /** Number of features d. */
    @Override
    public int features() {
        return trainX.cols();
    }

    /** Number of outputs k. */
    public int outputs() {
        return dualCoef.cols();
    }

    /** A copy of the training inputs (n×d). */
    public Matrix trainingInputs() {
        return trainX.copy();
    }

    /** The constant b added to each output (zeros when fitted without an intercept). */
    public double[] intercept() {
        return intercept.clone();
    }

    /** A copy of α (n×k). */
    public Matrix dualCoefficients() {
        return dualCoef.copy();
    }

    /** Predictions {@code K(X, X_train)·α + b} (m×k), computed in row blocks without storing K. */
    @Override
    public Matrix predict(Matrix x) {
        return predict(x, ProgressListener.NONE);
    }

    /** As {@link #predict(Matrix)}, reporting progress. */
    public Matrix predict(Matrix x, ProgressListener progress) {
        TrainingData.requirePredictionInputs(x, trainX.cols());
        Matrix p = GramEngine.crossTimes(kernel, x, trainX, dualCoef, progress);
        int k = p.cols();
        double[] d = p.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += intercept[i % k];
        }
        return p;
    }
}
