package org.kernels4j.kernel;

import java.util.Arrays;

/**
 * White noise {@code k(x, z) = σ²·[x and z are the same sample]}: it adds σ² to the diagonal of
 * K(X, X) and contributes nothing between different samples, including to K(X_test, X_train).
 * Spec: {@code white(noise=0.1)}.
 */
public final class WhiteNoiseKernel implements Kernel {
    private final double noise;

    /** σ² ≥ 0. */
    public WhiteNoiseKernel(double noise) {
        this.noise = Specs.nonNegative("white", "noise", noise);
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

    @Override
    public String toSpec() {
        return "white(noise=" + Specs.num(noise) + ")";
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
