package org.kernels4j.kernel;

/** Linear kernel {@code k(x, z) = ⟨x, z⟩}. Spec: {@code linear()}. Cost per pair: the GEMM only. */
public final class LinearKernel implements Kernel {
    /** The declaration: no parameters. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("linear", "k(x,z) = <x,z>")
            .factory(a -> new LinearKernel());

    @Override
    public double value(double[] x, double[] z) {
        return Specs.dot(x, z);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        block.innerProducts(out);
    }

    @Override
    public String toSpec() {
        return TYPE.spec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearKernel;
    }

    @Override
    public int hashCode() {
        return 1;
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
