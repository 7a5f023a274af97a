package org.kernels4j.neighbors;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.TrainingData;
import org.kernels4j.regression.NtkPredictor;
import org.kernels4j.regression.RegressionClassifier;

/**
 * What the NTK classifier becomes as the network deepens (Radhakrishnan, Belkin &amp; Uhler,
 * "Wide and deep neural networks achieve optimality for classification", PNAS 2023): for each
 * depth L the ridgeless NTK classifier — the infinitely wide network trained to convergence on
 * one-hot targets, ŷ(x) = argmax_c (Θ_L(x, X)·Θ_L(X, X)⁺·Y)_c with {@link NtkPredictor} at t = ∞
 * (eigenvalues below 1e-12 of the largest dropped) — is compared on the test rows with the three
 * limits the paper finds: 1-nearest neighbour, majority vote and the singular-kernel classifier
 * ‖x − x_i‖^(−α) ({@link SingularKernelClassifier}). Agreement is the fraction of test rows with
 * equal predicted labels. The paper's theory is for inputs on the unit sphere; normalise rows
 * first to match it.
 *
 * <p>Cost per depth: two n×n kernel matrices, one eigendecomposition (≈ 9n³ flops) and O(m·n)
 * kernel values for m test rows; the three reference classifiers cost O(m·n·d) once.
 */
public final class NtkDepthSweep {
    private NtkDepthSweep() {
    }

    /** One depth: the NTK classifier's test accuracy (NaN without test labels) and its agreement with each limit. */
    public record Row(int depth, double ntkAccuracy, double agreesWithNearestNeighbour, double agreesWithMajority,
            double agreesWithSingularKernel) {
    }

    /**
     * The sweep, and the reference classifiers' own test accuracies (NaN without test labels).
     *
     * @param alpha the singular kernel's exponent
     */
    public record Result(List<Row> rows, double nearestNeighbourAccuracy, double majorityAccuracy,
            double singularKernelAccuracy, double alpha) {
    }

    /**
     * Sweeps the depth of {@code architecture} (its activation, variances and parameterization; its
     * own depth is ignored).
     *
     * @param depths L ≥ 0 for each row
     * @param yTest m×1 test labels, or null
     * @param alpha the singular kernel's exponent; NaN: the input dimension d
     */
    public static Result run(NeuralKernel architecture, int[] depths, Matrix xTrain, Matrix yTrain, Matrix xTest,
            Matrix yTest, double alpha) {
        TrainingData.requireLabels(xTrain, yTrain);
        TrainingData.requirePredictionInputs(xTest, xTrain.cols());
        if (yTest != null && (yTest.rows() != xTest.rows() || yTest.cols() != 1)) {
            throw new Kernels4jException("test labels must be " + xTest.rows() + "x1, got " + yTest.shape());
        }
        if (depths.length == 0) {
            throw new Kernels4jException("no depths to sweep");
        }
        double a = Double.isNaN(alpha) ? xTrain.cols() : alpha;
        Matrix nearest = SingularKernelClassifier.nearestNeighbour().fit(xTrain, yTrain).predict(xTest);
        Matrix majority = SingularKernelClassifier.majorityVote().fit(xTrain, yTrain).predict(xTest);
        Matrix singular = SingularKernelClassifier.builder().alpha(a).build().fit(xTrain, yTrain).predict(xTest);
        List<Row> rows = new ArrayList<>();
        for (int depth : depths) {
            if (depth < 0 || depth > 10_000) {
                throw new Kernels4jException("depths must be in [0, 10000] (the ntk spec's range), got " + depth);
            }
            NeuralKernel ntk = architecture.standardParameterization()
                    ? NeuralKernel.ntkStandard(depth, architecture.activation(), architecture.weightVariance(),
                            architecture.biasVariance(), architecture.width())
                    : NeuralKernel.ntk(depth, architecture.activation(), architecture.weightVariance(),
                            architecture.biasVariance());
            Matrix pred = RegressionClassifier.of(NtkPredictor.builder(ntk).build()).fit(xTrain, yTrain).predict(xTest);
            rows.add(new Row(depth, agreement(pred, yTest), agreement(pred, nearest), agreement(pred, majority),
                    agreement(pred, singular)));
        }
        return new Result(List.copyOf(rows), agreement(nearest, yTest), agreement(majority, yTest),
                agreement(singular, yTest), a);
    }

    /** The fraction of rows where a and b are equal (NaN when b is null). */
    public static double agreement(Matrix a, Matrix b) {
        if (b == null) {
            return Double.NaN;
        }
        int same = 0;
        for (int i = 0; i < a.rows(); i++) {
            same += a.get(i, 0) == b.get(i, 0) ? 1 : 0;
        }
        return (double) same / a.rows();
    }

    /** Rows scaled to unit Euclidean norm (zero rows stay zero), as the paper's inputs on the sphere. */
    public static Matrix normalizeRows(Matrix x) {
        Matrix out = x.copy();
        int d = x.cols();
        for (int i = 0; i < x.rows(); i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += x.get(i, k) * x.get(i, k);
            }
            if (s > 0) {
                double inv = 1 / Math.sqrt(s);
                for (int k = 0; k < d; k++) {
                    out.set(i, k, x.get(i, k) * inv);
                }
            }
        }
        return out;
    }
}
