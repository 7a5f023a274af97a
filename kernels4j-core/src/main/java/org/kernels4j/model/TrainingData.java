package org.kernels4j.model;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/** The checks every estimator runs on its inputs, so that each mistake has one message everywhere. */
public final class TrainingData {
    private TrainingData() {
    }

    /** Checks (x, y) as training data: non-empty, same rows, at least one target, all finite. */
    public static void require(Matrix x, Matrix y) {
        requireInputs(x);
        if (y.rows() != x.rows()) {
            throw new Kernels4jException("training data has " + x.rows() + " rows but the targets have " + y.rows());
        }
        if (y.cols() == 0) {
            throw new Kernels4jException("no target columns");
        }
        y.requireFinite("training targets");
    }

    /** Checks inputs alone: at least one row and all finite. */
    public static void requireInputs(Matrix x) {
        if (x.rows() == 0) {
            throw new Kernels4jException("training data is empty");
        }
        x.requireFinite("training data");
    }

    /** Checks that prediction inputs have the model's number of features and are finite. */
    public static void requirePredictionInputs(Matrix x, int features) {
        if (x.cols() != features) {
            throw new Kernels4jException("the model was trained on " + features + " features but the data has "
                    + x.cols());
        }
        x.requireFinite("prediction data");
    }

    /**
     * Checks class labels for a classifier: (x, y) as training data with y a single column, and
     * returns the distinct labels, ascending.
     */
    public static double[] requireLabels(Matrix x, Matrix y) {
        require(x, y);
        if (y.cols() != 1) {
            throw new Kernels4jException("class labels must be one column, got " + y.cols());
        }
        return Arrays.stream(y.data()).distinct().sorted().toArray();
    }
}
