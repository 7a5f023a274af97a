package org.kernels4j.kernel;

import org.kernels4j.linalg.ElementOps;

/**
 * Periodic (exp-sine-squared) kernel of MacKay,
 * {@code k(x, z) = exp(−2·Σ_f sin²(π·(x_f − z_f)/p)/ℓ²)}: a product over features of the 1-D
 * periodic kernel, hence positive semi-definite in any dimension. For one feature it equals
 * scikit-learn's {@code ExpSineSquared}; for d &gt; 1 scikit-learn applies the sine to the Euclidean
 * distance instead, which is not positive semi-definite (its Gram matrices can have large negative
 * eigenvalues), so kernels4j uses this form (as GPyTorch does). Spec:
 * {@code periodic(length=1, period=1)}; alias {@code exp_sine_squared}.
 *
 * <p>Fast path: with ω = 2π/p, {@code Σ_f sin²(ω(x_f − z_f)/2) = (d − ⟨φ(x), φ(z)⟩)/2} where
 * {@code φ(x) = (cos ωx_f, sin ωx_f)_f}, so a tile is one GEMM on 2d-wide rows plus one exp.
 */
public final class PeriodicKernel implements Kernel {
    private final double length;
    private final double period;

    /** ℓ &gt; 0, p &gt; 0. */
    public PeriodicKernel(double length, double period) {
        this.length = Specs.positive("periodic", "length", length);
        this.period = Specs.positive("periodic", "period", period);
    }

    @Override
    public double value(double[] x, double[] z) {
        Specs.requireSameLength(x, z);
        double sum = 0;
        for (int f = 0; f < x.length; f++) {
            double s = Math.sin(Math.PI * (x[f] - z[f]) / period);
            sum += s * s;
        }
        return Math.exp(-2 * sum / (length * length));
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        int len = block.rows() * block.cols();
        block.gemm(FeatureView.periodic(2 * Math.PI / period), out);
        double d = block.features();
        double l2 = length * length;
        // exp(-(2/l²)·Σ sin²) = exp((<φ,φ> - d)/l²); the subtraction comes first so nothing overflows
        for (int k = 0; k < len; k++) {
            out[k] -= d;
        }
        ElementOps.get().expScaled(out, 0, len, 1.0 / l2);
        block.setSameSampleEntries(out, 1.0);
    }

    @Override
    public String toSpec() {
        return "periodic(length=" + Specs.num(length) + ", period=" + Specs.num(period) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeriodicKernel && ((PeriodicKernel) o).length == length
                && ((PeriodicKernel) o).period == period;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(length) * 31 + Double.hashCode(period);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
