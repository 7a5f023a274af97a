package org.kernels4j.kernel;

import org.kernels4j.Kernels4jException;

/**
 * The skewed multiplicative chi-squared kernel (Li, Ionescu &amp; Sminchisescu, "Random Fourier approximations
 * for skewed multiplicative histogram kernels", 2010), for features above −c:
 * k(x, z) = Π_f 2·√(x_f + c)·√(z_f + c)/(x_f + z_f + 2c), c &gt; 0 the skewedness. With u = log(x + c) each
 * factor is sech((u_f − v_f)/2), a shift-invariant kernel in log space whose spectral density is the
 * hyperbolic secant sech(π ω), so k is positive semi-definite and scikit-learn's {@code SkewedChi2Sampler}
 * (here {@link org.kernels4j.approx.SkewedChi2Sampler}) approximates it by random Fourier features.
 * k(x, x) = 1; a larger c makes the kernel flatter. A feature ≤ −c (or NaN) is refused with a
 * {@link Kernels4jException} naming it. Cost: d square roots and divisions per pair. c is fixed (not learned).
 */
public final class SkewedChi2Kernel implements Kernel {
    /** The skewedness c &gt; 0 (scikit-learn's {@code skewedness}). */
    public static final KernelCatalog.Param C = KernelCatalog.Param.positive("c", 1,
            "skewedness, > 0; features must exceed -c").fixed();
    /** The declaration of {@code skewed_chi2}. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("skewed_chi2",
            "k(x,z) = prod_f 2 sqrt(x_f + c) sqrt(z_f + c)/(x_f + z_f + 2c)")
            .params(C)
            .caveat("needs features > -c (histograms, counts)")
            .nonNegativeInputs()
            .examples("skewed_chi2(c=0.5)", "skewed_chi2(c=3)")
            .factory(a -> of(a.number(C)));

    private final double c;

    private SkewedChi2Kernel(double c) {
        this.c = c;
    }

    /**
     * {@code skewed_chi2(c)}.
     *
     * @throws Kernels4jException for c ≤ 0 or not finite
     */
    public static SkewedChi2Kernel of(double c) {
        return new SkewedChi2Kernel(C.check(TYPE.name(), c));
    }

    /** The skewedness c. */
    public double c() {
        return c;
    }

    @Override
    public double value(double[] x, double[] z) {
        Specs.requireSameLength(x, z);
        requireAbove(x, 0, x.length, -1, "");
        requireAbove(z, 0, z.length, -1, "");
        return product(x, 0, z, 0, x.length);
    }

    private double product(double[] x, int xo, double[] z, int zo, int d) {
        double p = 1;
        for (int f = 0; f < d; f++) {
            double a = x[xo + f] + c;
            double b = z[zo + f] + c;
            p *= 2 * Math.sqrt(a * b) / (a + b);
        }
        return p;
    }

    private void requireAbove(double[] v, int offset, int d, int row, String which) {
        for (int f = 0; f < d; f++) {
            double t = v[offset + f];
            if (!(t > -c)) {
                throw new Kernels4jException(TYPE.name() + "(c=" + Specs.num(c) + ") needs features > -c, got "
                        + Specs.num(t) + (row >= 0 ? " at row " + row + which + "," : " in") + " feature " + f
                        + " (counted from 0)");
            }
        }
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        int d = block.features();
        boolean same = block.isSymmetric();
        for (int r = block.rowStart(); r < block.rowStart() + block.rows(); r++) {
            requireAbove(block.leftInputs().data(), r * d, d, r, same ? "" : " of the first input");
        }
        for (int r = block.colStart(); r < block.colStart() + block.cols(); r++) {
            requireAbove(block.rightInputs().data(), r * d, d, r, same ? "" : " of the second input");
        }
        block.pairwise(this::product, out);
    }

    @Override
    public String toSpec() {
        return TYPE.spec(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SkewedChi2Kernel && ((SkewedChi2Kernel) o).c == c;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(c);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
