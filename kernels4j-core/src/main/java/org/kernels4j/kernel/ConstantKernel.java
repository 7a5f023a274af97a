package org.kernels4j.kernel;

import java.util.Arrays;

/** Constant kernel {@code k(x, z) = c} for c ≥ 0 (a bias term in sums). Spec: {@code constant(value=1)}. */
public final class ConstantKernel implements Kernel {
    /** c ≥ 0, learnable while positive. */
    public static final KernelCatalog.Param VALUE = KernelCatalog.Param.nonNegative("value", 1, "the constant, >= 0");
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("constant", "k(x,z) = value")
            .params(VALUE).examples("constant(value=2)", "constant(value=0)")
            .factory(a -> new ConstantKernel(a.number(VALUE)));

    private final double value;

    /** c ≥ 0. */
    public ConstantKernel(double value) {
        this.value = VALUE.check(TYPE.name(), value);
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
        return value > 0 ? java.util.List.of(VALUE.hyperparameter(TYPE, value)) : java.util.List.of();
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
        return TYPE.spec(value);
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
