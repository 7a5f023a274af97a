package org.kernels4j.dkm;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.TrainingData;

/**
 * Deep kernel machine classification by <b>one-hot label regression</b>: the c classes become c target
 * columns T_ik = 1[y_i = k] − 1/c (one-hot, centred on the uniform prior so that the zero-mean
 * likelihood fits them), and a {@link DeepKernelMachine} is fitted to T with its Gaussian likelihood,
 * the c columns sharing the learned Gram matrices:
 * <pre>
 *   log P(T | G_L) = Σ_k log N(t_k; 0, K(G_L) + σ²I)
 * </pre>
 * This is the choice of the DKM authors' UCI experiments and of NNGP/NTK classification generally, and
 * the only one that keeps the DKM objective exact: a softmax or probit likelihood has no closed-form
 * marginal given G_L and would need an inner approximation (Laplace, EP or Monte Carlo) of its own. So
 * this is <em>not</em> a categorical likelihood: it is a Gaussian likelihood on class indicators.
 *
 * <p>Prediction ({@link DeepKernelMachineClassifierModel}): the label is the class with the largest
 * predictive mean; the probability of class k is the probability that f_k is the largest of the c
 * outputs under the predictive distribution f_j ~ N(μ_j, s²) (independent, one s² = latent variance + σ²
 * shared by the columns), a one-dimensional integral,
 * <pre>
 *   P(k) = ∫ φ(z)·Π_{j≠k} Φ((μ_k − μ_j)/s + z) dz,
 * </pre>
 * by 64-point Gauss–Hermite quadrature (rows renormalised to sum to 1). As ν → ∞ the classifier is the
 * NNGP label-regression classifier. Cost: that of the DKM with c outputs (O(L·n³) per evaluation; the
 * c columns add O(n²·c)).
 */
public final class DeepKernelMachineClassifier implements Estimator<DeepKernelMachineClassifierModel> {
    private final DeepKernelMachine machine;

    private DeepKernelMachineClassifier(DeepKernelMachine machine) {
        this.machine = machine;
    }

    /** The classifier that fits {@code machine} (its map, L, ν, σ², iteration limits) to one-hot targets. */
    public static DeepKernelMachineClassifier of(DeepKernelMachine machine) {
        if (machine == null) {
            throw new Kernels4jException("a deep kernel machine classifier needs a DeepKernelMachine");
        }
        return new DeepKernelMachineClassifier(machine);
    }

    /** The underlying regression machine. */
    public DeepKernelMachine machine() {
        return machine;
    }

    /**
     * Fits on labels y (n×1, any distinct numbers; at least two classes).
     *
     * @throws Kernels4jException for fewer than two classes or more than 1000, or bad shapes
     */
    @Override
    public DeepKernelMachineClassifierModel fit(Matrix x, Matrix y) {
        double[] classes = TrainingData.requireLabels(x, y);
        if (classes.length < 2) {
            throw new Kernels4jException("classification needs at least two classes, got only " + classes[0]);
        }
        if (classes.length > 1000) {
            throw new Kernels4jException("the one-hot DKM classifier takes at most 1000 classes, got " + classes.length
                    + " distinct labels (is the target a continuous column? use regression)");
        }
        return new DeepKernelMachineClassifierModel(machine.fit(x, oneHot(y, classes)), classes);
    }

    /** T_ik = 1[y_i = classes[k]] − 1/c. */
    static Matrix oneHot(Matrix y, double[] classes) {
        int c = classes.length;
        Matrix t = new Matrix(y.rows(), c);
        for (int i = 0; i < y.rows(); i++) {
            int k = java.util.Arrays.binarySearch(classes, y.get(i, 0));
            for (int j = 0; j < c; j++) {
                t.set(i, j, (j == k ? 1.0 : 0.0) - 1.0 / c);
            }
        }
        return t;
    }
}
