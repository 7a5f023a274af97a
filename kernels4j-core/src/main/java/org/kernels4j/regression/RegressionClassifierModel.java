package org.kernels4j.regression;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.DecisionFunction;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.Model;

/**
 * The fitted classifier: the regressor's model on one-hot targets and the class labels. Its
 * outputs are scores, not probabilities, so {@link #hasProbabilities()} is false; the scores
 * themselves are its decision values.
 */
public final class RegressionClassifierModel implements Classifier, DecisionFunction {
    private final Model scores;
    private final double[] classes;

    RegressionClassifierModel(Model scores, double[] classes) {
        this.scores = scores;
        this.classes = classes.clone();
    }

    /** The regression model of the one-hot targets. */
    public Model regression() {
        return scores;
    }

    @Override
    public double[] classes() {
        return classes.clone();
    }

    @Override
    public boolean hasProbabilities() {
        return false;
    }

    @Override
    public Matrix probabilities(Matrix x) {
        throw new Kernels4jException("a regression classifier has scores, not probabilities; use decisionValues");
    }

    /** The one-hot regression outputs, m×C (columns in {@link #classes()} order). */
    @Override
    public Matrix decisionValues(Matrix x) {
        return scores.predict(x);
    }

    @Override
    public Matrix predict(Matrix x) {
        return RegressionClassifier.argmax(scores.predict(x), classes);
    }

    @Override
    public int features() {
        return scores.features();
    }

    @Override
    public FitReport report() {
        return scores.report();
    }
}
