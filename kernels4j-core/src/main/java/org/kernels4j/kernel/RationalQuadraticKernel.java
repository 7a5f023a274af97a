package org.kernels4j.kernel;

import org.kernels4j.linalg.ElementOps;

/**
 * Rational quadratic kernel {@code k(x, z) = (1 + ‖x − z‖²/(2αℓ²))^(−α)}, a scale mixture of RBF
 * kernels. Spec: {@code rq(alpha=1, length=1)}; alias {@code rational_quadratic}.
 */
public final class RationalQuadraticKernel implements Kernel {
    private final double alpha;
    private final double length;

    /** α &gt; 0, ℓ &gt; 0. */
    public RationalQuadraticKernel(double alpha, double length) {
        this.alpha = Specs.positive("rq", "alpha", alpha);
        this.length = Specs.positive("rq", "length", length);
    }

    @Override
    public double value(double[] x, double[] z) {
        return Math.pow(1 + Specs.squaredDistance(x, z, null) / (2 * alpha * length * length), -alpha);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        block.squaredDistances(null, out);
        ElementOps.get().powAffine(out, 0, block.rows() * block.cols(), 1.0 / (2 * alpha * length * length), 1.0,
                -alpha);
    }

    @Override
    public String toSpec() {
        return "rq(alpha=" + Specs.num(alpha) + ", length=" + Specs.num(length) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RationalQuadraticKernel && ((RationalQuadraticKernel) o).alpha == alpha
                && ((RationalQuadraticKernel) o).length == length;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(alpha) * 31 + Double.hashCode(length);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
