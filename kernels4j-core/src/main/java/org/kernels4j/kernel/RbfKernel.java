package org.kernels4j.kernel;

import java.util.Arrays;
import org.kernels4j.linalg.ElementOps;

/**
 * Gaussian (RBF) kernel {@code k(x, z) = exp(−γ·‖x − z‖²)}, equivalently
 * {@code exp(−‖x − z‖² / (2ℓ²))} with γ = 1/(2ℓ²). With per-feature length scales (automatic
 * relevance determination) {@code k(x, z) = exp(−½·Σ_f (x_f − z_f)²/ℓ_f²)}.
 *
 * <p>Specs: {@code rbf(gamma=0.5)}, {@code rbf(length=1.2)}, {@code rbf(length=[1, 2, 0.5])};
 * alias {@code gaussian}. Cost per pair: the GEMM plus one exp.
 */
public final class RbfKernel implements Kernel {
    private final double gamma;
    private final double length;
    private final double[] lengthScales;

    private RbfKernel(double gamma, double length, double[] lengthScales) {
        this.gamma = gamma;
        this.length = length;
        this.lengthScales = lengthScales;
    }

    /** {@code exp(−γ‖x − z‖²)}. */
    public static RbfKernel withGamma(double gamma) {
        return new RbfKernel(Specs.positive("rbf", "gamma", gamma), 0.0, null);
    }

    /** {@code exp(−‖x − z‖²/(2ℓ²))}. */
    public static RbfKernel withLength(double length) {
        Specs.positive("rbf", "length", length);
        return new RbfKernel(1.0 / (2 * length * length), length, null);
    }

    /** ARD: {@code exp(−½·Σ_f (x_f − z_f)²/ℓ_f²)}; the number of scales must equal the number of features. */
    public static RbfKernel withLengths(double[] lengths) {
        if (lengths.length == 1) {
            return withLength(lengths[0]);
        }
        return new RbfKernel(0.5, 0.0, Specs.positive("rbf", "length", lengths));
    }

    /** γ (0.5 for ARD kernels, whose scales are in {@link #lengthScales()}). */
    public double gamma() {
        return gamma;
    }

    /** Per-feature length scales, or null when the kernel is isotropic. */
    public double[] lengthScales() {
        return lengthScales == null ? null : lengthScales.clone();
    }

    @Override
    public double value(double[] x, double[] z) {
        return Math.exp(-gamma * Specs.squaredDistance(x, z, lengthScales));
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        block.squaredDistances(lengthScales, out);
        ElementOps.get().expScaled(out, 0, block.rows() * block.cols(), -gamma);
    }

    @Override
    public String toSpec() {
        if (lengthScales != null) {
            return "rbf(length=" + Specs.nums(lengthScales) + ")";
        }
        if (length > 0) {
            return "rbf(length=" + Specs.num(length) + ")";
        }
        return "rbf(gamma=" + Specs.num(gamma) + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RbfKernel)) {
            return false;
        }
        RbfKernel k = (RbfKernel) o;
        return k.gamma == gamma && k.length == length && Arrays.equals(k.lengthScales, lengthScales);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lengthScales) * 31 + Double.hashCode(gamma);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
