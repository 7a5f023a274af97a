package org.kernels4j.regression;

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
 * A fitted relevance vector classifier (immutable): the union of the relevance vectors r_j of its P binary
 * problems and the posterior modes w (m×P, zero where a problem pruned r_j). Decision values
 * {@code f_p(x) = Σ_j w_jp·k(r_j, x)}; for two classes {@code P(larger label) = σ(f_0)}; with c &gt; 2 classes
 * (one-vs-rest, P = c) the c values σ(f_p) normalised to sum to 1. The prediction is the most probable class.
 */
public final class RelevanceVectorClassifierModel implements Classifier, DecisionFunction {
    private final Kernel kernel;
    private final Matrix vectors;
    private final int[] rows;
    private final Matrix weights;
    private final double[] classes;
    private final FitReport report;

    /**
     * Assembles a model.
     *
     * @param vectors m×d relevance vectors
     * @param rows their training rows
     * @param weights m×P posterior modes, P = 1 for two classes, else P = number of classes
     * @param classes the sorted class labels
     */
    public RelevanceVectorClassifierModel(Kernel kernel, Matrix vectors, int[] rows, Matrix weights, double[] classes,
            FitReport report) {
        int m = vectors.rows();
        if (classes == null || classes.length < 2) {
            throw new Kernels4jException("relevance vector classifier: needs at least two classes");
        }
        int p = classes.length == 2 ? 1 : classes.length;
        if (rows.length != m || weights.rows() != m || weights.cols() != p) {
            throw new Kernels4jException("relevance vector classifier: " + m + " relevance vectors and "
                    + classes.length + " classes need " + m + " rows and " + m + "x" + p + " weights, got "
                    + rows.length + " and " + weights.shape());
        }
        for (int c = 1; c < classes.length; c++) {
            if (!(classes[c] > classes[c - 1])) {
                throw new Kernels4jException("relevance vector classifier: classes must be distinct and ascending");
            }
        }
        this.kernel = kernel;
        this.vectors = vectors;
        this.rows = rows.clone();
        this.weights = weights;
        this.classes = classes.clone();
        this.report = report;
    }

    /** "b vs a" for two classes a &lt; b (f_0 &gt; 0 means b), else "c vs rest" per class. */
    @Override
    public String problemName(int p, java.util.function.DoubleFunction<String> label) {
        return DecisionFunction.oneVersusRestName(classes, p, label);
    }

    /** f_p(x), m×P. */
    @Override
    public Matrix decisionValues(Matrix x) {
        TrainingData.requirePredictionInputs(x, vectors.cols());
        if (vectors.rows() == 0) {
            return new Matrix(x.rows(), weights.cols());
        }
        return GramEngine.crossTimes(kernel, x, vectors, weights, ProgressListener.NONE);
    }

    @Override
    public Matrix probabilities(Matrix x) {
        Matrix f = decisionValues(x);
        int c = classes.length;
        Matrix p = new Matrix(x.rows(), c);
        for (int i = 0; i < x.rows(); i++) {
            if (c == 2) {
                double s = RelevanceVectorMachine.sigmoid(f.get(i, 0));
                p.set(i, 0, 1 - s);
                p.set(i, 1, s);
            } else {
                double sum = 0;
                for (int q = 0; q < c; q++) {
                    double s = RelevanceVectorMachine.sigmoid(f.get(i, q));
                    p.set(i, q, s);
                    sum += s;
                }
                for (int q = 0; q < c; q++) {
                    p.set(i, q, p.get(i, q) / sum);
                }
            }
        }
        return p;
    }

    @Override
    public Matrix predict(Matrix x) {
        Matrix p = probabilities(x);
        Matrix labels = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            int best = 0;
            for (int q = 1; q < classes.length; q++) {
                if (p.get(i, q) > p.get(i, best)) {
                    best = q;
                }
            }
            labels.set(i, 0, classes[best]);
        }
        return labels;
    }

    @Override
    public double[] classes() {
        return classes.clone();
    }

    /** The relevance vectors' training rows, ascending. */
    public int[] relevanceRows() {
        return rows.clone();
    }

    /** A copy of the relevance vectors (m×d). */
    public Matrix relevanceVectors() {
        return vectors.copy();
    }

    /** The posterior modes of the weights (m×P). */
    public Matrix weights() {
        return weights.copy();
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
