package org.kernels4j.kernel;

/**
 * Cubic spline kernel, kernlab's {@code splinedot()}: with m_f = min(x_f, z_f),
 * <pre>
 *   k(x, z) = Π_f [ 1 + x_f z_f + x_f z_f m_f − (x_f + z_f)/2 · m_f² + m_f³/3 ]
 * </pre>
 * Spec: {@code spline()}; no parameters.
 *
 * <p>For non-negative features each factor is 1 + x z + ∫₀^m (x − t)(z − t) dt, the reproducing
 * kernel of a cubic smoothing spline on [0, ∞), so the product is positive semi-definite. For
 * negative features the integral changes sign and the kernel is not PSD (at x = z = −4 one factor
 * is 1 + 16 − 64/3 &lt; 0); kernlab computes it anyway and so does this class, but scale the
 * features to [0, 1] first. Costs d scalar operations per pair (no GEMM path).
 */
public final class SplineKernel implements Kernel {
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("spline",
            "k(x,z) = prod_f (1 + x_f z_f + x_f z_f m_f - (x_f + z_f)/2 m_f^2 + m_f^3/3), m_f = min(x_f, z_f)")
            .caveat("positive semi-definite for non-negative features only: scale them to [0, 1] first")
            .nonNegativeInputs()
            .factory(a -> new SplineKernel());

    /** The spline kernel (it has no parameters). */
    public SplineKernel() {
    }

    @Override
    public double value(double[] x, double[] z) {
        Specs.requireSameLength(x, z);
        return product(x, 0, z, 0, x.length);
    }

    private static double product(double[] x, int xo, double[] z, int zo, int d) {
        double p = 1;
        for (int f = 0; f < d; f++) {
            double a = x[xo + f];
            double b = z[zo + f];
            double m = Math.min(a, b);
            p *= 1 + a * b + a * b * m - 0.5 * (a + b) * m * m + m * m * m / 3;
        }
        return p;
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        block.pairwise(SplineKernel::product, out);
    }

    @Override
    public String toSpec() {
        return TYPE.spec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SplineKernel;
    }

    @Override
    public int hashCode() {
        return SplineKernel.class.hashCode();
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
