package org.kernels4j.kernel;

import org.kernels4j.gram.GramEngine;

/**
 * A kernel k(x, z) on real feature vectors, positive semi-definite except where its type says
 * otherwise ({@link KernelCatalog.Type#positiveSemiDefinite()}: e.g. {@code sigmoid}, {@code additive_chi2}).
 *
 * <p>Kernels are immutable. Each one has two implementations of the same function: the direct
 * formula {@link #value} on two vectors (the reference, used for single evaluations and in tests)
 * and {@link #computeBlock}, which fills a whole tile of a Gram matrix through one GEMM plus one
 * element-wise pass (see {@link GramEngine}). Every kernel prints itself as a spec
 * ({@link #toSpec()}) that {@link KernelSpec#parse} turns back into an equal kernel.
 */
public interface Kernel {

    /** k(x, z) for two distinct samples, from the defining formula. */
    double value(double[] x, double[] z);

    /**
     * k(x, x) for a sample with itself. Equal to {@code value(x, x)} except for kernels that
     * depend on sample identity, such as white noise, which is non-zero only here.
     */
    default double selfValue(double[] x) {
        return value(x, x);
    }

    /**
     * Fills {@code out[0 .. block.rows()·block.cols())} with the tile's kernel values, row-major.
     * Implementations call {@link GramBlock#innerProducts} or {@link GramBlock#squaredDistances}
     * (one GEMM) and then transform the values in place with vectorized element-wise passes.
     */
    void computeBlock(GramBlock block, double[] out);

    /**
     * The kernel's tunable positive parameters θ, in a fixed order (composite kernels list their
     * parts' parameters in spec order). Empty for kernels with none, e.g. {@code linear}.
     */
    default java.util.List<Hyperparameter> hyperparameters() {
        return java.util.List.of();
    }

    /**
     * The same kind of kernel with its hyperparameters set to {@code values} (θ, not log θ), in
     * {@link #hyperparameters()} order; everything else is unchanged.
     */
    default Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, 0);
        return this;
    }

    /**
     * Like {@link #computeBlock}, and also fills {@code gradients[p][0 .. rows·cols)} with
     * {@code ∂k/∂log θ_p = θ_p·∂k/∂θ_p} for every hyperparameter p (same layout as {@code out}).
     * The arrays in {@code gradients} must not alias {@code out} or one another. Cost: the value's
     * cost plus one element-wise pass per parameter (per-feature length scales also read the d
     * feature differences, O(rows·cols·d)).
     */
    default void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        computeBlock(block, out);
    }

    /** The text spec, e.g. {@code rbf(gamma=0.5)}; parsing it gives an equal kernel. */
    String toSpec();

    /** {@code this + other}. */
    default Kernel plus(Kernel other) {
        return new SumKernel(java.util.List.of(this, other));
    }

    /** {@code this · other} (element-wise product of kernels, again PSD by Schur's theorem). */
    default Kernel times(Kernel other) {
        return new ProductKernel(java.util.List.of(this, other));
    }

    /** {@code c · this} for c &gt; 0. */
    default Kernel scaled(double c) {
        return new ScaledKernel(c, this);
    }
}
