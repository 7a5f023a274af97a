package org.kernels4j.kernel;

import org.kernels4j.linalg.ElementOps;

/** A kernel times a positive constant, {@code k(x, z) = c·k₀(x, z)}. Spec: {@code 0.5*rbf(gamma=1)}. */
public final class ScaledKernel implements Kernel {
    private final double scale;
    private final Kernel kernel;

    /** c &gt; 0; a scaled kernel inside is folded into one factor. */
    public ScaledKernel(double scale, Kernel kernel) {
        Specs.positive("scale", "factor", scale);
        if (kernel instanceof ScaledKernel) {
            ScaledKernel inner = (ScaledKernel) kernel;
            this.scale = scale * inner.scale;
            this.kernel = inner.kernel;
        } else {
            this.scale = scale;
            this.kernel = kernel;
        }
    }

    /** c. */
    public double scale() {
        return scale;
    }

    /** k₀. */
    public Kernel kernel() {
        return kernel;
    }

    @Override
    public double value(double[] x, double[] z) {
        return scale * kernel.value(x, z);
    }

    @Override
    public double selfValue(double[] x) {
        return scale * kernel.selfValue(x);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        kernel.computeBlock(block, out);
        ElementOps.get().scale(out, block.rows() * block.cols(), scale);
    }

    /** {@code scale} (∂/∂log c = c·k₀), then k₀'s parameters (each derivative times c). */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        java.util.List<Hyperparameter> out = new java.util.ArrayList<>();
        out.add(Hyperparameter.of("scale", scale));
        out.addAll(kernel.hyperparameters());
        return java.util.List.copyOf(out);
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        int inner = kernel.hyperparameters().size();
        Hyperparameter.requireValues(this, values, inner + 1);
        return new ScaledKernel(values[0], kernel.withHyperparameters(java.util.Arrays.copyOfRange(values, 1, inner + 1)));
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int len = block.rows() * block.cols();
        ElementOps ops = ElementOps.get();
        kernel.computeGradientBlock(block, out, java.util.Arrays.copyOfRange(gradients, 1, gradients.length));
        ops.scale(out, len, scale);
        System.arraycopy(out, 0, gradients[0], 0, len);
        for (int p = 1; p < gradients.length; p++) {
            ops.scale(gradients[p], len, scale);
        }
    }

    @Override
    public String toSpec() {
        String inner = kernel.toSpec();
        return Specs.num(scale) + "*" + (kernel instanceof SumKernel ? "(" + inner + ")" : inner);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScaledKernel && ((ScaledKernel) o).scale == scale && ((ScaledKernel) o).kernel.equals(kernel);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(scale) * 31 + kernel.hashCode();
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
