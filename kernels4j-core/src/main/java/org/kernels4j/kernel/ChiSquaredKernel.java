package org.kernels4j.kernel;

import org.kernels4j.Kernels4jException;

/**
 * The chi-squared kernels on non-negative features (histograms, counts, bag-of-words), with
 * D(x, z) = Σ_f (x_f − z_f)²/(x_f + z_f), a term with x_f + z_f = 0 counting as 0:
 * <ul>
 *   <li>{@code chi2(gamma=1)}: k(x, z) = exp(−γ·D(x, z)), scikit-learn's {@code chi2_kernel(gamma)};
 *       positive semi-definite on non-negative inputs (D is conditionally negative definite);</li>
 *   <li>{@code additive_chi2()}: k(x, z) = −D(x, z), scikit-learn's {@code additive_chi2_kernel}.
 *       <b>Not positive semi-definite</b>: k(x, x) = 0, so any Gram matrix with a non-zero entry has
 *       a negative eigenvalue; it is only conditionally positive definite (Σ c_i = 0 ⇒ cᵀKc ≥ 0).
 *       Usable by the SVM (as in scikit-learn, whose SVC accepts it as a precomputed kernel), not by
 *       learners that factor K by Cholesky. (Not to be confused with the PSD kernel Σ 2x_f z_f/(x_f + z_f)
 *       that scikit-learn's {@code AdditiveChi2Sampler} approximates.)</li>
 * </ul>
 * Both reject a negative (or NaN) feature with a {@link Kernels4jException} naming the value, and
 * in a Gram computation the row and feature. Cost: d divisions per pair (no GEMM path).
 * Hyperparameter of {@code chi2}: ∂k/∂log γ = −γ·D·k.
 */
public final class ChiSquaredKernel implements Kernel {
    /** γ &gt; 0 of the exponential form, learnable. */
    public static final KernelCatalog.Param GAMMA = KernelCatalog.Param.positive("gamma", 1, "rate, > 0");
    /** The declaration of {@code chi2}. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("chi2",
            "k(x,z) = exp(-gamma sum_f (x_f - z_f)^2/(x_f + z_f)), terms with x_f + z_f = 0 are 0")
            .aliases("chi_squared").params(GAMMA)
            .caveat("needs non-negative features (histograms, counts)")
            .nonNegativeInputs()
            .examples("chi2(gamma=0.3)", "chi2(gamma=2)")
            .factory(a -> exponential(a.number(GAMMA)));
    /** The declaration of {@code additive_chi2}. */
    public static final KernelCatalog.Type ADDITIVE_TYPE = KernelCatalog.Type.builder("additive_chi2",
            "k(x,z) = -sum_f (x_f - z_f)^2/(x_f + z_f), terms with x_f + z_f = 0 are 0")
            .indefinite("NOT positive semi-definite (k(x,x) = 0; conditionally PD only): Cholesky-based learners"
                    + " fail, svc/svr accept it; needs non-negative features")
            .nonNegativeInputs()
            .factory(a -> additive());

    private static final ChiSquaredKernel ADDITIVE = new ChiSquaredKernel(true, 0.0);

    private final boolean additive;
    private final double gamma;

    private ChiSquaredKernel(boolean additive, double gamma) {
        this.additive = additive;
        this.gamma = gamma;
    }

    /**
     * {@code chi2(gamma)}: exp(−γ·D(x, z)).
     *
     * @throws Kernels4jException for γ ≤ 0
     */
    public static ChiSquaredKernel exponential(double gamma) {
        return new ChiSquaredKernel(false, GAMMA.check(TYPE.name(), gamma));
    }

    /** {@code additive_chi2()}: −D(x, z), not positive semi-definite. */
    public static ChiSquaredKernel additive() {
        return ADDITIVE;
    }

    /** Whether this is the additive (indefinite) form. */
    public boolean isAdditive() {
        return additive;
    }

    /** γ of the exponential form (0 for the additive one). */
    public double gamma() {
        return gamma;
    }

    private String name() {
        return additive ? ADDITIVE_TYPE.name() : TYPE.name();
    }

    @Override
    public double value(double[] x, double[] z) {
        Specs.requireSameLength(x, z);
        for (int f = 0; f < x.length; f++) {
            if (!(x[f] >= 0) || !(z[f] >= 0)) {
                double bad = !(x[f] >= 0) ? x[f] : z[f];
                throw new Kernels4jException(name() + " needs non-negative features (histograms, counts), got "
                        + Specs.num(bad) + " in feature " + f);
            }
        }
        return finish(distance(x, 0, z, 0, x.length));
    }

    private static double distance(double[] x, int xo, double[] z, int zo, int d) {
        double s = 0;
        for (int f = 0; f < d; f++) {
            double a = x[xo + f];
            double b = z[zo + f];
            double sum = a + b;
            if (sum > 0) {
                double t = a - b;
                s += t * t / sum;
            }
        }
        return s;
    }

    private double finish(double dist) {
        return additive ? -dist : Math.exp(-gamma * dist);
    }

    /** Throws if rows [start, start+count) of x hold a negative or NaN value, naming row and feature. */
    private void requireNonNegative(double[] x, int d, int start, int count, String which) {
        for (int r = start; r < start + count; r++) {
            for (int f = 0; f < d; f++) {
                double v = x[r * d + f];
                if (!(v >= 0)) {
                    throw new Kernels4jException(name() + " needs non-negative features (histograms, counts), got "
                            + Specs.num(v) + " at row " + r + which + ", feature " + f + " (counted from 0)");
                }
            }
        }
    }

    private void checkBlock(GramBlock block) {
        int d = block.features();
        boolean same = block.isSymmetric();
        requireNonNegative(block.leftInputs().data(), d, block.rowStart(), block.rows(), same ? "" : " of the first input");
        requireNonNegative(block.rightInputs().data(), d, block.colStart(), block.cols(),
                same ? "" : " of the second input");
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        checkBlock(block);
        block.pairwise((xl, xo, xr, zo, d) -> finish(distance(xl, xo, xr, zo, d)), out);
    }

    /** {@code chi2.gamma} for the exponential form; none for the additive one. */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        return additive ? java.util.List.of() : java.util.List.of(GAMMA.hyperparameter(TYPE, gamma));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, additive ? 0 : 1);
        return additive ? this : exponential(values[0]);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        if (additive) {
            computeBlock(block, out);
            return;
        }
        checkBlock(block);
        block.pairwise(ChiSquaredKernel::distance, out);
        double[] g = gradients[0];
        for (int t = 0; t < block.rows() * block.cols(); t++) {
            double dist = out[t];
            double k = Math.exp(-gamma * dist);
            out[t] = k;
            g[t] = -gamma * dist * k;
        }
    }

    @Override
    public String toSpec() {
        return additive ? ADDITIVE_TYPE.spec() : TYPE.spec(gamma);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChiSquaredKernel && ((ChiSquaredKernel) o).additive == additive
                && ((ChiSquaredKernel) o).gamma == gamma;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(gamma) * 2 + (additive ? 1 : 0);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
