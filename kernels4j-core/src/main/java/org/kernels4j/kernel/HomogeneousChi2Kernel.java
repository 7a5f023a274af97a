package org.kernels4j.kernel;

import org.kernels4j.Kernels4jException;

/**
 * The additive homogeneous chi-squared kernel on non-negative features (histograms):
 * k(x, z) = Σ_f 2·x_f·z_f/(x_f + z_f), a term with x_f + z_f = 0 counting as 0 (Vedaldi &amp; Zisserman,
 * "Efficient additive kernels via explicit feature maps", 2012). It is the kernel that scikit-learn's
 * {@code AdditiveChi2Sampler} (here {@link org.kernels4j.approx.AdditiveChi2Sampler}) approximates, and it is
 * positive semi-definite: each term is √(x z)·sech(log(x/z)/2), and sech is the Fourier transform of the
 * probability density sech(π ω). Not to be confused with the indefinite {@code additive_chi2}
 * (−Σ (x − z)²/(x + z), scikit-learn's {@code additive_chi2_kernel}). It is bounded by
 * Σ √(x_f z_f) (a harmonic mean is at most the geometric one), and k(x, x) = Σ x_f. A negative or NaN feature is refused by a
 * {@link Kernels4jException} naming it. Cost: d divisions per pair. No hyperparameters.
 */
public final class HomogeneousChi2Kernel implements Kernel {
    /** The declaration of {@code homogeneous_chi2}. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("homogeneous_chi2",
            "k(x,z) = sum_f 2 x_f z_f/(x_f + z_f), terms with x_f + z_f = 0 are 0 (PSD; AdditiveChi2Sampler's kernel)")
            .aliases("chi2_homogeneous")
            .caveat("needs non-negative features (histograms, counts)")
            .nonNegativeInputs()
            .factory(a -> of());

    private static final HomogeneousChi2Kernel INSTANCE = new HomogeneousChi2Kernel();

    private HomogeneousChi2Kernel() {
    }

    /** {@code homogeneous_chi2()}. */
    public static HomogeneousChi2Kernel of() {
        return INSTANCE;
    }

    @Override
    public double value(double[] x, double[] z) {
        Specs.requireSameLength(x, z);
        requireNonNegative(TYPE.name(), x, 0, x.length, -1, "");
        requireNonNegative(TYPE.name(), z, 0, z.length, -1, "");
        return sum(x, 0, z, 0, x.length);
    }

    private static double sum(double[] x, int xo, double[] z, int zo, int d) {
        double s = 0;
        for (int f = 0; f < d; f++) {
            double a = x[xo + f];
            double b = z[zo + f];
            double t = a + b;
            if (t > 0) {
                s += 2 * a * b / t;
            }
        }
        return s;
    }

    /**
     * Throws if one of the d values from {@code offset} is negative or NaN, naming the value, its feature and
     * (row ≥ 0) its row.
     */
    static void requireNonNegative(String kernel, double[] v, int offset, int d, int row, String which) {
        for (int f = 0; f < d; f++) {
            double t = v[offset + f];
            if (!(t >= 0)) {
                throw new Kernels4jException(kernel + " needs non-negative features (histograms, counts), got "
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
            requireNonNegative(TYPE.name(), block.leftInputs().data(), r * d, d, r, same ? "" : " of the first input");
        }
        for (int r = block.colStart(); r < block.colStart() + block.cols(); r++) {
            requireNonNegative(TYPE.name(), block.rightInputs().data(), r * d, d, r, same ? "" : " of the second input");
        }
        block.pairwise(HomogeneousChi2Kernel::sum, out);
    }

    @Override
    public String toSpec() {
        return TYPE.spec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HomogeneousChi2Kernel;
    }

    @Override
    public int hashCode() {
        return 17;
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
