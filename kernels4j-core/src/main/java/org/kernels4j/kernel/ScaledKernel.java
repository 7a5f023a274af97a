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
