package org.kernels4j.kernel;

import org.kernels4j.linalg.ElementOps;

/**
 * Rational quadratic kernel {@code k(x, z) = (1 + ‖x − z‖²/(2αℓ²))^(−α)}, a scale mixture of RBF
 * kernels. Spec: {@code rq(alpha=1, length=1)}; alias {@code rational_quadratic}.
 */
public final class RationalQuadraticKernel implements StationaryKernel {
    /** α &gt; 0, learnable. */
    public static final KernelCatalog.Param ALPHA = KernelCatalog.Param.positive("alpha", 1, "shape, > 0");
    /** ℓ &gt; 0, learnable. */
    public static final KernelCatalog.Param LENGTH = KernelCatalog.Param.positive("length", 1, "length scale, > 0");
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("rq",
            "k(x,z) = (1 + |x-z|^2 / (2 alpha length^2))^(-alpha)")
            .aliases("rational_quadratic").params(ALPHA, LENGTH)
            .examples("rq(alpha=0.7, length=1.3)", "rq(alpha=3, length=0.6)")
            .factory(a -> new RationalQuadraticKernel(a.number(ALPHA), a.number(LENGTH)));

    private final double alpha;
    private final double length;

    /** α &gt; 0, ℓ &gt; 0. */
    public RationalQuadraticKernel(double alpha, double length) {
        this.alpha = ALPHA.check(TYPE.name(), alpha);
        this.length = LENGTH.check(TYPE.name(), length);
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

    /**
     * {@code rq.alpha} and {@code rq.length}. With b = 1 + r²/(2αℓ²):
     * ∂k/∂log α = k·α·((b − 1)/b − log b) and ∂k/∂log ℓ = k·2α(b − 1)/b.
     */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        return java.util.List.of(ALPHA.hyperparameter(TYPE, alpha), LENGTH.hyperparameter(TYPE, length));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, 2);
        return new RationalQuadraticKernel(values[0], values[1]);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int len = block.rows() * block.cols();
        double[] ga = gradients[0];
        double[] gl = gradients[1];
        block.squaredDistances(null, gl);
        double s = 1.0 / (2 * alpha * length * length);
        for (int k = 0; k < len; k++) {
            double u = gl[k] * s; // b − 1
            double b = 1 + u;
            double v = Math.exp(-alpha * Math.log1p(u));
            out[k] = v;
            ga[k] = v * alpha * (u / b - Math.log1p(u));
            gl[k] = v * 2 * alpha * u / b;
        }
    }

    /** Null: s = ‖x − z‖². */
    @Override
    public double[] distanceScales() {
        return null;
    }

    /** With u = s/(2αℓ²): 2g'(s) = −(1 + u)^(−α−1)/ℓ². */
    @Override
    public void computeRadialDerivativeBlock(GramBlock block, double[] out) {
        int len = block.rows() * block.cols();
        block.squaredDistances(null, out);
        double s = 1.0 / (2 * alpha * length * length);
        double f = -1.0 / (length * length);
        for (int k = 0; k < len; k++) {
            out[k] = f * Math.exp(-(alpha + 1) * Math.log1p(out[k] * s));
        }
    }

    @Override
    public String toSpec() {
        return TYPE.spec(alpha, length);
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
