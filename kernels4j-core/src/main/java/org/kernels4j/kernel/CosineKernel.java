package org.kernels4j.kernel;

import org.kernels4j.linalg.ElementOps;

/**
 * Cosine similarity {@code k(x, z) = ⟨x, z⟩ / (‖x‖·‖z‖)}, defined as 0 when either vector is zero.
 * Spec: {@code cosine()}.
 */
public final class CosineKernel implements Kernel {
    /** The declaration: no parameters. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("cosine", "k(x,z) = <x,z> / (|x| |z|)")
            .factory(a -> new CosineKernel());

    @Override
    public double value(double[] x, double[] z) {
        double nx = Math.sqrt(Specs.dot(x, x));
        double nz = Math.sqrt(Specs.dot(z, z));
        return nx == 0 || nz == 0 ? 0.0 : Specs.dot(x, z) / (nx * nz);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        block.innerProducts(out);
        double[] nl = block.leftSquaredNorms();
        double[] nr = block.rightSquaredNorms();
        int rows = block.rows();
        int cols = block.cols();
        double[] inv = new double[cols];
        for (int j = 0; j < cols; j++) {
            double s = nr[block.colStart() + j];
            inv[j] = s == 0 ? 0.0 : 1.0 / Math.sqrt(s);
        }
        ElementOps ops = ElementOps.get();
        for (int i = 0; i < rows; i++) {
            double s = nl[block.rowStart() + i];
            ops.scaleOuter(out, i * cols, cols, s == 0 ? 0.0 : 1.0 / Math.sqrt(s), inv, 0);
        }
    }

    @Override
    public String toSpec() {
        return TYPE.spec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineKernel;
    }

    @Override
    public int hashCode() {
        return 2;
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
