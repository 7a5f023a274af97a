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
public final class RbfKernel implements StationaryKernel {
    /** γ &gt; 0, learnable; the default when neither γ nor ℓ is given. */
    public static final KernelCatalog.Param GAMMA = KernelCatalog.Param.positive("gamma", 1,
            "inverse squared scale, > 0 (give gamma or length)");
    /** ℓ &gt; 0, or one ℓ_f per feature; learnable. */
    public static final KernelCatalog.Param LENGTH = KernelCatalog.Param.positive("length",
            "length scale, or a list [l1, ..., ld] for one per feature").perFeature();
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("rbf",
            "k(x,z) = exp(-gamma |x-z|^2) = exp(-|x-z|^2 / (2 length^2))")
            .aliases("gaussian").params(GAMMA, LENGTH)
            .examples("rbf(gamma=0.3)", "rbf(length=1.5)", "rbf(length=[0.5, 1, 2])")
            .factory(a -> {
                if (a.has(GAMMA) && a.has(LENGTH)) {
                    throw a.error(LENGTH, "give either gamma or length, not both");
                }
                return a.has(LENGTH) ? withLengths(a.numbers(LENGTH)) : withGamma(a.number(GAMMA));
            });

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
        return new RbfKernel(GAMMA.check(TYPE.name(), gamma), 0.0, null);
    }

    /** {@code exp(−‖x − z‖²/(2ℓ²))}. */
    public static RbfKernel withLength(double length) {
        LENGTH.check(TYPE.name(), length);
        return new RbfKernel(1.0 / (2 * length * length), length, null);
    }

    /** ARD: {@code exp(−½·Σ_f (x_f − z_f)²/ℓ_f²)}; the number of scales must equal the number of features. */
    public static RbfKernel withLengths(double[] lengths) {
        if (lengths.length == 1) {
            return withLength(lengths[0]);
        }
        return new RbfKernel(0.5, 0.0, LENGTH.check(TYPE.name(), lengths));
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

    /**
     * One parameter: {@code rbf.gamma} (∂k/∂log γ = −γ·r²·k), or {@code rbf.length}
     * (∂k/∂log ℓ = (r²/ℓ²)·k), or with per-feature scales {@code rbf.length[f]}
     * (∂k/∂log ℓ_f = ((x_f − z_f)/ℓ_f)²·k), where r = ‖x − z‖.
     */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        if (lengthScales != null) {
            return LENGTH.hyperparameters(TYPE, lengthScales);
        }
        return java.util.List.of(length > 0 ? LENGTH.hyperparameter(TYPE, length) : GAMMA.hyperparameter(TYPE, gamma));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, lengthScales != null ? lengthScales.length : 1);
        if (lengthScales != null) {
            return withLengths(values);
        }
        return length > 0 ? withLength(values[0]) : withGamma(values[0]);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int len = block.rows() * block.cols();
        if (lengthScales == null) {
            double[] g = gradients[0];
            block.squaredDistances(null, g);
            System.arraycopy(g, 0, out, 0, len);
            ElementOps.get().expScaled(out, 0, len, -gamma);
            double c = length > 0 ? 2 * gamma : -gamma;
            for (int k = 0; k < len; k++) {
                g[k] = c * g[k] * out[k];
            }
            return;
        }
        computeBlock(block, out);
        for (int f = 0; f < lengthScales.length; f++) {
            double[] g = gradients[f];
            block.featureDifferences(f, g);
            double inv = 1.0 / (lengthScales[f] * lengthScales[f]);
            for (int k = 0; k < len; k++) {
                g[k] = g[k] * g[k] * inv * out[k];
            }
        }
    }

    /** The ARD length scales, or null (isotropic: s = ‖x − z‖² and g(s) = exp(−γs)). */
    @Override
    public double[] distanceScales() {
        return lengthScales();
    }

    /** 2g'(s) = −2γ·k. */
    @Override
    public void computeRadialDerivativeBlock(GramBlock block, double[] out) {
        computeBlock(block, out);
        ElementOps.get().scale(out, block.rows() * block.cols(), -2 * gamma);
    }

    @Override
    public String toSpec() {
        if (lengthScales != null) {
            return TYPE.spec(null, lengthScales);
        }
        return length > 0 ? TYPE.spec(null, length) : TYPE.spec(gamma, null);
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
