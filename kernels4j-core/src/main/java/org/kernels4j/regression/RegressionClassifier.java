package org.kernels4j.regression;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.KernelMatrixEstimator;
import org.kernels4j.model.TrainingData;

/**
 * Classification by regression on one-hot targets (scikit-learn's {@code RidgeClassifier}, or
 * kernel ridge / least-squares SVM classification): labels y ∈ {c_1 … c_C} become the n×C matrix
 * T with T[i, j] = 1 when y_i = c_j, else 0; any multi-output regressor is fitted to T, and the
 * predicted class is the one whose output is largest (ties to the smaller label).
 *
 * <p>When the regressor can learn from kernel matrices, so can this classifier, and model
 * selection then shares them (see {@link KernelMatrixEstimator}).
 */
public final class RegressionClassifier implements KernelMatrixEstimator<RegressionClassifierModel> {
    private final Estimator<?> regressor;

    private RegressionClassifier(Estimator<?> regressor) {
        this.regressor = regressor;
    }

    /** A classifier from a multi-output regressor, e.g. {@code KernelRidge.builder(k).build()}. */
    public static RegressionClassifier of(Estimator<?> regressor) {
        if (regressor == null) {
            throw new Kernels4jException("a regression classifier needs a regressor");
        }
        return new RegressionClassifier(regressor);
    }

    /** The wrapped regressor. */
    public Estimator<?> regressor() {
        return regressor;
    }

    /** The regressor's kernel when it learns from kernel matrices, else null. */
    @Override
    public Kernel kernel() {
        return regressor instanceof KernelMatrixEstimator<?> k ? k.kernel() : null;
    }

    @Override
    public RegressionClassifierModel fit(Matrix x, Matrix y) {
        double[] classes = classes(x, y);
        return new RegressionClassifierModel(regressor.fit(x, oneHot(y, classes)), classes);
    }

    @Override
    public Prediction fitPredict(Matrix gram, Matrix y, Matrix cross) {
        if (!(regressor instanceof KernelMatrixEstimator<?> k)) {
            throw new Kernels4jException("the regressor cannot learn from kernel matrices");
        }
        double[] classes = classes(gram, y);
        Prediction p = k.fitPredict(gram, oneHot(y, classes), cross);
        return new Prediction(argmax(p.values(), classes), p.report());
    }

    private static double[] classes(Matrix x, Matrix y) {
        double[] classes = TrainingData.requireLabels(x, y);
        if (classes.length < 2) {
            throw new Kernels4jException("classification needs at least two classes, found " + classes.length);
        }
        return classes;
    }

    private static Matrix oneHot(Matrix y, double[] classes) {
        Matrix t = new Matrix(y.rows(), classes.length);
        for (int i = 0; i < y.rows(); i++) {
            t.set(i, Arrays.binarySearch(classes, y.get(i, 0)), 1);
        }
        return t;
    }

    static Matrix argmax(Matrix scores, double[] classes) {
        Matrix labels = new Matrix(scores.rows(), 1);
        for (int i = 0; i < scores.rows(); i++) {
            int best = 0;
            for (int c = 1; c < classes.length; c++) {
                if (scores.get(i, c) > scores.get(i, best)) {
                    best = c;
                }
            }
            labels.set(i, 0, classes[best]);
        }
        return labels;
    }
}
