package org.kernels4j.approx;

import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * An explicit feature map φ: ℝ^d → ℝ^D whose inner products approximate a kernel,
 * φ(x)·φ(z) ≈ k(x, z). Random feature maps are unbiased, E[φ(x)·φ(z)] = k(x, z), with error
 * O(1/√D); Nyström maps are exact on their landmarks. Immutable once built (all randomness is
 * drawn from the seed at construction), so the same map transforms training and test data.
 * Any linear model on φ(X) is then an approximate kernel method costing O(n·D) memory.
 */
public interface FeatureMap {
    /** The kernel approximated. */
    Kernel kernel();

    /** d, the input dimension. */
    int inputDimension();

    /** D, the number of features produced. */
    int outputDimension();

    /** φ(X): n × D for n × d inputs. */
    Matrix transform(Matrix x);
}
