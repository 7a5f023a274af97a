package org.kernels4j.svm;

import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.DecisionFunction;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;

/**
 * A fitted least-squares SVM (immutable): {@code f_p(x) = Σ_i α_ip·k(x_i, x) + b_p}, p = 0 … P−1, over all n
 * training rows (an LS-SVM has no sparsity). A classifier ({@link #classes()} non-null) predicts the larger of two
 * labels where f_0 &gt; 0, or with c &gt; 2 classes the class of the largest f_p (one-vs-rest); a regression
 * predicts f (m×P). Prediction costs one kernel product, O(m·n·(d + P)), in row blocks.
 */
public final class LeastSquaresSvmModel implements Classifier, DecisionFunction {
    private final Kernel kernel;
    private final Matrix trainX;
    private final Matrix alpha;
    private final double[] bias;
    private final double[] classes;
    private final double gamma;
    private final FitReport report;

    /**
     * Assembles a model (the estimator and model-file loading call this).
     *
     * @param alpha n×P dual coefficients
     * @param bias the P biases b
     * @param classes sorted class labels of a classifier, or null for a regression
     */
    public LeastSquaresSvmModel(Kernel kernel, Matrix trainX, Matrix alpha, double[] bias, double[] classes,
            double gamma, FitReport report) {
        if (alpha.rows() != trainX.rows()) {
            throw new Kernels4jException("least-squares SVM model: " + trainX.rows() + " training rows but "
                    + alpha.rows() + " rows of coefficients");
        }
        if (bias.length != alpha.cols()) {
            throw new Kernels4jException("least-squares SVM model: " + alpha.cols() + " decision functions but "
                    + bias.length + " biases");
        }
        if (classes != null) {
            int expected = classes.length == 2 ? 1 : classes.length;
            if (classes.length < 2 || alpha.cols() != expected) {
                throw new Kernels4jException("least-squares SVM model: " + classes.length + " classes need " + expected
                        + " decision functions, got " + alpha.cols());
            }
        }
        this.kernel = kernel;
        this.trainX = trainX;
        this.alpha = alpha;
        this.bias = bias.clone();
        this.classes = classes == null ? null : classes.clone();
        this.gamma = gamma;
        this.report = report;
    }

    /** "b vs a" for two classes a &lt; b (f_0 &gt; 0 means b), else "c vs rest" per class. */
    @Override
    public String problemName(int p, java.util.function.DoubleFunction<String> label) {
        return DecisionFunction.oneVersusRestName(classes, p, label);
    }

    /** The decision values {@code K(X, X_train)·α + b} (m×P). */
    @Override
    public Matrix decisionValues(Matrix x) {
        TrainingData.requirePredictionInputs(x, trainX.cols());
        Matrix f = GramEngine.crossTimes(kernel, x, trainX, alpha, ProgressListener.NONE);
        int p = f.cols();
        double[] d = f.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += bias[i % p];
        }
        return f;
    }

    /** Class labels (m×1) for a classifier, f(x) (m×P) for a regression. */
    @Override
    public Matrix predict(Matrix x) {
        Matrix f = decisionValues(x);
        if (classes == null) {
            return f;
        }
        Matrix labels = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            int best;
            if (f.cols() == 1) {
                best = f.get(i, 0) > 0 ? 1 : 0;
            } else {
                best = 0;
                for (int q = 1; q < f.cols(); q++) {
                    if (f.get(i, q) > f.get(i, best)) {
                        best = q;
                    }
                }
            }
            labels.set(i, 0, classes[best]);
        }
        return labels;
    }

    /** The class labels (ascending), or null for a regression. */
    @Override
    public double[] classes() {
        return classes == null ? null : classes.clone();
    }

    /** An LS-SVM gives decision values, not probabilities. */
    @Override
    public boolean hasProbabilities() {
        return false;
    }

    @Override
    public Matrix probabilities(Matrix x) {
        throw new Kernels4jException("a least-squares SVM has no probabilities; use its decision values");
    }

    /** Whether this is a classifier. */
    public boolean isClassifier() {
        return classes != null;
    }

    /** γ, the weight of the squared errors. */
    public double gamma() {
        return gamma;
    }

    /** The kernel. */
    public Kernel kernel() {
        return kernel;
    }

    /** A copy of the training inputs (n×d). */
    public Matrix trainingInputs() {
        return trainX.copy();
    }

    /** A copy of α (n×P). */
    public Matrix dualCoefficients() {
        return alpha.copy();
    }

    /** The biases b (length P). */
    public double[] bias() {
        return bias.clone();
    }

    @Override
    public int features() {
        return trainX.cols();
    }

    @Override
    public FitReport report() {
        return report;
    }
}
