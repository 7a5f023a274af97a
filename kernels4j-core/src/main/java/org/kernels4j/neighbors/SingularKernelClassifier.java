package org.kernels4j.neighbors;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.TrainingData;

/**
 * The singular-kernel (Hilbert-kernel) classifier: a Nadaraya–Watson vote with the weights
 * w_i(x) = ‖x − x_i‖^(−α),
 * <pre>
 *   score_c(x) = Σ_{i: y_i = c} w_i(x) / Σ_i w_i(x),      ŷ(x) = argmax_c score_c(x)
 * </pre>
 * (ties to the smaller label). The weight is infinite at a training point, so the classifier
 * interpolates: a query equal to training rows takes their (majority) label. With α = d, the input
 * dimension (the default), this is the Hilbert kernel estimate of Devroye, Györfi &amp; Krzyżak
 * (1998), consistent although it interpolates; Radhakrishnan, Belkin &amp; Uhler (PNAS 2023) show
 * that infinitely wide and deep NTK classifiers become such a singular-kernel classifier for
 * some activations. The same family holds the other two limits they find: α = 0 is the majority
 * vote, α = ∞ the 1-nearest-neighbour rule (ties among equally near points by their vote).
 *
 * <p>Fitting stores the training rows (O(n·d) memory); prediction costs O(m·n·d) for m queries,
 * distances computed exactly (not by the GEMM expansion, which could turn a zero distance into a
 * tiny positive one), weights in the log domain so that no power overflows.
 */
public final class SingularKernelClassifier implements Estimator<SingularKernelClassifierModel> {
    private final double alpha; // NaN: the input dimension

    private SingularKernelClassifier(double alpha) {
        this.alpha = alpha;
    }

    /** A builder; default α = d, the number of input columns at fit time. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private double alpha = Double.NaN;

        private Builder() {
        }

        /** The exponent α ≥ 0 (0: majority vote; {@code Double.POSITIVE_INFINITY}: 1-nearest neighbour). */
        public Builder alpha(double value) {
            if (Double.isNaN(value)) {
                throw new Kernels4jException("alpha must be a number >= 0 (or infinity), got NaN");
            }
            this.alpha = value;
            return this;
        }

        /** @throws Kernels4jException for α &lt; 0 */
        public SingularKernelClassifier build() {
            if (alpha < 0) {
                throw new Kernels4jException("alpha must be >= 0 (0: majority vote, infinity: 1-nearest neighbour), "
                        + "got " + alpha);
            }
            return new SingularKernelClassifier(alpha);
        }
    }

    /** The nearest-neighbour limit α = ∞. */
    public static SingularKernelClassifier nearestNeighbour() {
        return new SingularKernelClassifier(Double.POSITIVE_INFINITY);
    }

    /** The majority-vote limit α = 0. */
    public static SingularKernelClassifier majorityVote() {
        return new SingularKernelClassifier(0);
    }

    @Override
    public SingularKernelClassifierModel fit(Matrix x, Matrix y) {
        double[] classes = TrainingData.requireLabels(x, y);
        double a = Double.isNaN(alpha) ? x.cols() : alpha;
        return new SingularKernelClassifierModel(x.copy(), y.copy(), classes, a);
    }

    /** α, or NaN when it is the input dimension of the data fitted. */
    public double alpha() {
        return alpha;
    }
}
