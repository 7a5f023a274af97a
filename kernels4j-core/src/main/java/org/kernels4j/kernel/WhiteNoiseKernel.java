package org.kernels4j.kernel;

import java.util.Arrays;

/**
 * White noise {@code k(x, z) = σ²·[x and z are the same sample]}: it adds σ² to the diagonal of
 * K(X, X) and contributes nothing between different samples, including to K(X_test, X_train).
 * Spec: {@code white(noise=0.1)}.
 */
public final class WhiteNoiseKernel implements Kernel {
    /** σ² ≥ 0, learnable while positive. */
    public static final KernelCatalog.Param NOISE = KernelCatalog.Param.nonNegative("noise", 1,
            "variance added to the diagonal, >= 0");
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("white",
            "k(x,z) = noise if x and z are the same sample, else 0")
            .aliases("white_noise").params(NOISE)
            .examples("white(noise=0.25)", "white(noise=0)")
            .factory(a -> new WhiteNoiseKernel(a.number(NOISE)));

    private final double noise;

    /** σ² ≥ 0. */
    public WhiteNoiseKernel(double noise) {
        this.noise = NOISE.check(TYPE.name(), noise);
    }

    /** σ². */
    public double noise() {
        return noise;
    }

    @Override
    public double value(double[] x, double[] z) {
        Specs.requireSameLength(x, z);
        return 0.0;
    }

    @Override
    public double selfValue(double[] x) {
        return noise;
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        int rows = block.rows();
        int cols = block.cols();
        Arrays.fill(out, 0, rows * cols, 0.0);
        block.setSameSampleEntries(out, noise);
    }

    /** {@code white.noise} (none when σ² = 0); ∂k/∂log σ² = σ² on the same-sample entries, 0 elsewhere. */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        return noise > 0 ? java.util.List.of(NOISE.hyperparameter(TYPE, noise)) : java.util.List.of();
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, noise > 0 ? 1 : 0);
        return noise > 0 ? new WhiteNoiseKernel(values[0]) : this;
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        computeBlock(block, out);
        if (noise > 0) {
            System.arraycopy(out, 0, gradients[0], 0, block.rows() * block.cols());
        }
    }

    @Override
    public String toSpec() {
        return TYPE.spec(noise);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WhiteNoiseKernel && ((WhiteNoiseKernel) o).noise == noise;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(noise);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
