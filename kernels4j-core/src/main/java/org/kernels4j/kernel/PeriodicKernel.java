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
    /** ℓ &gt; 0, learnable. */
    public static final KernelCatalog.Param LENGTH = KernelCatalog.Param.positive("length", 1, "length scale, > 0");
    /** p &gt; 0, learnable. */
    public static final KernelCatalog.Param PERIOD = KernelCatalog.Param.positive("period", 1, "period, > 0");
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("periodic",
            "k(x,z) = exp(-2 sin^2(pi |x-z| / period) / length^2)")
            .aliases("exp_sine_squared").params(LENGTH, PERIOD)
            .examples("periodic(length=1.1, period=2.5)", "periodic(length=0.7, period=4)")
            .factory(a -> new PeriodicKernel(a.number(LENGTH), a.number(PERIOD)));

    private final double length;
    private final double period;

    /** ℓ &gt; 0, p &gt; 0. */
    public PeriodicKernel(double length, double period) {
        this.length = LENGTH.check(TYPE.name(), length);
        this.period = PERIOD.check(TYPE.name(), period);
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

    /**
     * {@code periodic.length} and {@code periodic.period}. With S = Σ_f sin²(πΔ_f/p), Δ = x − z:
     * ∂k/∂log ℓ = k·4S/ℓ² and ∂k/∂log p = k·(2/ℓ²)·Σ_f (πΔ_f/p)·sin(2πΔ_f/p). The gradient pass
     * evaluates the sines per feature, O(rows·cols·d).
     */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        return java.util.List.of(LENGTH.hyperparameter(TYPE, length), PERIOD.hyperparameter(TYPE, period));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, 2);
        return new PeriodicKernel(values[0], values[1]);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int len = block.rows() * block.cols();
        computeBlock(block, out);
        double[] gl = gradients[0];
        double[] gp = gradients[1];
        java.util.Arrays.fill(gl, 0, len, 0.0);
        java.util.Arrays.fill(gp, 0, len, 0.0);
        double[] diff = block.borrow();
        try {
            for (int f = 0; f < block.features(); f++) {
                block.featureDifferences(f, diff);
                for (int k = 0; k < len; k++) {
                    double a = Math.PI * diff[k] / period;
                    double s = Math.sin(a);
                    gl[k] += s * s;
                    gp[k] += a * 2 * s * Math.cos(a);
                }
            }
        } finally {
            block.giveBack(diff);
        }
        double il2 = 1.0 / (length * length);
        for (int k = 0; k < len; k++) {
            gl[k] = out[k] * 4 * gl[k] * il2;
            gp[k] = out[k] * 2 * gp[k] * il2;
        }
    }

    @Override
    public String toSpec() {
        return TYPE.spec(length, period);
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
