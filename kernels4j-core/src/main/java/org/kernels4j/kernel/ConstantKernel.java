package org.kernels4j.kernel;

import java.util.Arrays;

/** Constant kernel {@code k(x, z) = c} for c ≥ 0 (a bias term in sums). Spec: {@code constant(value=1)}. */
public final class ConstantKernel implements Kernel {
    private final double value;

    /** c ≥ 0. */
    public ConstantKernel(double value) {
        this.value = Specs.nonNegative("constant", "value", value);
    }

    /** c. */
    public double constant() {
        return value;
    }

    @Override
    public double value(double[] x, double[] z) {
        Specs.requireSameLength(x, z);
        return value;
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        Arrays.fill(out, 0, block.rows() * block.cols(), value);
    }

    /** {@code constant.value} (none when c = 0); ∂k/∂log c = c. */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        return value > 0 ? java.util.List.of(Hyperparameter.of("constant.value", value)) : java.util.List.of();
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, value > 0 ? 1 : 0);
        return value > 0 ? new ConstantKernel(values[0]) : this;
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        computeBlock(block, out);
        if (value > 0) {
            System.arraycopy(out, 0, gradients[0], 0, block.rows() * block.cols());
        }
    }

    @Override
    public String toSpec() {
        return "constant(value=" + Specs.num(value) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConstantKernel && ((ConstantKernel) o).value == value;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
