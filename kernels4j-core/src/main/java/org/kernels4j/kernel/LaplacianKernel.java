package org.kernels4j.kernel;

import org.kernels4j.linalg.ElementOps;

/**
 * Laplacian (exponential) kernel {@code k(x, z) = exp(−γ·‖x − z‖)} with the Euclidean norm, or with
 * the L1 norm {@code exp(−γ·Σ_f |x_f − z_f|)} (the variant scikit-learn's {@code laplacian_kernel}
 * computes). Specs: {@code laplacian(gamma=1)}, {@code laplacian(gamma=1, norm=l1)}.
 *
 * <p>The L2 form uses the GEMM path; the L1 form cannot be written through inner products and
 * costs d scalar operations per pair.
 */
public final class LaplacianKernel implements Kernel {
    /** γ &gt; 0, learnable. */
    public static final KernelCatalog.Param GAMMA = KernelCatalog.Param.positive("gamma", 1, "rate, > 0");
    /** The norm, l2 or l1. */
    public static final KernelCatalog.Param NORM = KernelCatalog.Param.word("norm", "l2", "l2 or l1",
            java.util.List.of("l2", "l1"));
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("laplacian",
            "k(x,z) = exp(-gamma |x-z|), norm l2 (default) or l1")
            .aliases("exponential").params(GAMMA, NORM)
            .examples("laplacian(gamma=0.4)", "laplacian(gamma=0.4, norm=l1)")
            .factory(a -> new LaplacianKernel(a.number(GAMMA), a.word(NORM).equals("l1")));

    private final double gamma;
    private final boolean l1;

    /**
     * @param gamma γ &gt; 0
     * @param l1 use the L1 norm instead of the Euclidean one
     */
    public LaplacianKernel(double gamma, boolean l1) {
        this.gamma = GAMMA.check(TYPE.name(), gamma);
        this.l1 = l1;
    }

    /** γ. */
    public double gamma() {
        return gamma;
    }

    /** Whether the L1 norm is used. */
    public boolean isL1() {
        return l1;
    }

    @Override
    public double value(double[] x, double[] z) {
        return Math.exp(-gamma * (l1 ? l1Distance(x, 0, z, 0, x.length) : Math.sqrt(Specs.squaredDistance(x, z, null))));
    }

    private static double l1Distance(double[] x, int xo, double[] z, int zo, int d) {
        double s = 0;
        for (int f = 0; f < d; f++) {
            s += Math.abs(x[xo + f] - z[zo + f]);
        }
        return s;
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        int rows = block.rows();
        int cols = block.cols();
        ElementOps ops = ElementOps.get();
        if (l1) {
            block.pairwise(LaplacianKernel::l1Distance, out);
            ops.expScaled(out, 0, rows * cols, -gamma);
        } else {
            block.squaredDistances(null, out);
            ops.sqrtScaled(out, 0, rows * cols, -gamma);
            ops.expScaled(out, 0, rows * cols, 1.0);
        }
    }

    /** {@code laplacian.gamma}; ∂k/∂log γ = −γ·‖x − z‖·k (in the kernel's norm). */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        return java.util.List.of(GAMMA.hyperparameter(TYPE, gamma));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, 1);
        return new LaplacianKernel(values[0], l1);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int len = block.rows() * block.cols();
        computeBlock(block, out);
        double[] g = gradients[0];
        for (int k = 0; k < len; k++) {
            // out = exp(−γ·dist), so −γ·dist = log(out) exactly where out > 0; recomputing the
            // distance would cost a second GEMM
            g[k] = out[k] > 0 ? out[k] * Math.log(out[k]) : 0.0;
        }
    }

    @Override
    public String toSpec() {
        return TYPE.spec(gamma, l1 ? "l1" : null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LaplacianKernel && ((LaplacianKernel) o).gamma == gamma && ((LaplacianKernel) o).l1 == l1;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(gamma) * 2 + (l1 ? 1 : 0);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
