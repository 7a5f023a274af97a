package org.kernels4j.kernel;

import java.util.Arrays;
import org.kernels4j.linalg.ElementOps;

/**
 * Matérn kernel of any smoothness ν &gt; 0, with r = ‖x − z‖/ℓ (or the ARD distance
 * {@code sqrt(Σ_f (x_f − z_f)²/ℓ_f²)}) and t = √(2ν)·r:
 * <pre>
 *   k(x, z) = 2^{1−ν}/Γ(ν) · t^ν · K_ν(t),   k(x, x) = 1,
 * </pre>
 * K_ν the modified Bessel function of the second kind. The half-integers have closed forms, used
 * as such (vectorized):
 * <ul>
 *   <li>ν = 1/2: {@code exp(−r)}</li>
 *   <li>ν = 3/2: {@code (1 + √3·r)·exp(−√3·r)}</li>
 *   <li>ν = 5/2: {@code (1 + √5·r + 5r²/3)·exp(−√5·r)}</li>
 * </ul>
 * Other ν go through {@link org.kernels4j.linalg.SpecialFunctions#logBesselK} in log space (no
 * overflow at small r or large ν; relative error about 10⁻¹⁴ of each value) and, from ν = 25 on, a
 * Stirling–Debye form that tends continuously to the RBF kernel exp(−r²/2) as ν → ∞ (see
 * {@code MaternFunction}); cost a few hundred flops per entry instead of one exp. ν is a fixed
 * choice, not a hyperparameter; the learnable parameters are the length scales.
 * Spec: {@code matern(nu=2.5, length=1.2)}, {@code matern(nu=0.8, length=[1, 2])}.
 */
public final class MaternKernel implements StationaryKernel {
    /** ν &gt; 0 (fixed, not a hyperparameter); 0.5, 1.5 and 2.5 use closed forms. */
    public static final KernelCatalog.Param NU = KernelCatalog.Param.positive("nu", 1.5,
            "smoothness, > 0 (0.5, 1.5, 2.5 are closed forms; large nu tends to rbf)").fixed();
    /** ℓ &gt; 0, or one ℓ_f per feature; learnable. */
    public static final KernelCatalog.Param LENGTH = KernelCatalog.Param.positive("length", 1,
            "length scale, or a list for one per feature").perFeature();
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("matern",
            "2^(1-nu)/Gamma(nu) t^nu K_nu(t), t = sqrt(2 nu)|x-z|/length; nu=0.5: exp(-r), 1.5: (1+sqrt3 r)exp(-sqrt3 r)")
            .params(NU, LENGTH)
            .examples("matern(nu=0.5, length=2)", "matern(nu=2.5, length=0.8)", "matern(nu=1.5, length=[1, 2, 0.5])",
                    "matern(nu=2.5, length=[0.7, 1.5, 3])", "matern(nu=0.8, length=1.3)", "matern(nu=3.7, length=[0.7, 1.5, 3])",
                    "matern(nu=40, length=0.9)")
            .factory(a -> {
                double[] l = a.numbers(LENGTH);
                return l.length == 1 ? new MaternKernel(a.number(NU), l[0]) : new MaternKernel(a.number(NU), l);
            });

    private final double nu;
    private final double length;
    private final double[] lengthScales;
    /** M_ν and its radial factor; null for the closed forms. */
    private final MaternFunction general;

    /** Isotropic Matérn; ν &gt; 0 and ℓ &gt; 0. */
    public MaternKernel(double nu, double length) {
        this(nu, LENGTH.check(TYPE.name(), length), null);
    }

    /** ARD Matérn with one length scale per feature. */
    public MaternKernel(double nu, double[] lengthScales) {
        this(nu, lengthScales.length == 1 ? LENGTH.check(TYPE.name(), lengthScales[0]) : 1.0,
                lengthScales.length == 1 ? null : LENGTH.check(TYPE.name(), lengthScales));
    }

    private MaternKernel(double nu, double length, double[] lengthScales) {
        this.nu = NU.check(TYPE.name(), nu);
        this.length = length;
        this.lengthScales = lengthScales;
        this.general = closedForm(nu) ? null : new MaternFunction(nu);
    }

    private static boolean closedForm(double nu) {
        return nu == 0.5 || nu == 1.5 || nu == 2.5;
    }

    /** ν. */
    public double nu() {
        return nu;
    }

    /** The isotropic length scale ℓ (1 for ARD kernels, whose scales are in {@link #lengthScales()}). */
    public double length() {
        return length;
    }

    /** Per-feature length scales, or null when the kernel is isotropic. */
    public double[] lengthScales() {
        return lengthScales == null ? null : lengthScales.clone();
    }

    @Override
    public double value(double[] x, double[] z) {
        double r = Math.sqrt(Specs.squaredDistance(x, z, lengthScales)) / length;
        double t = Math.sqrt(2 * nu) * r; // √1, √3, √5 exactly for the closed forms
        return general != null ? general.value(t) : MaternFunction.closedForm(nu, t);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        int len = block.rows() * block.cols();
        block.squaredDistances(lengthScales, out);
        ElementOps ops = ElementOps.get();
        if (general != null) {
            ops.sqrtScaled(out, 0, len, Math.sqrt(2 * nu) / length);
            for (int k = 0; k < len; k++) {
                out[k] = general.value(out[k]);
            }
        } else if (nu == 0.5) {
            ops.sqrtScaled(out, 0, len, -1.0 / length);
            ops.expScaled(out, 0, len, 1.0);
        } else if (nu == 1.5) {
            ops.sqrtScaled(out, 0, len, Math.sqrt(3) / length);
            ops.matern32(out, 0, len);
        } else {
            ops.sqrtScaled(out, 0, len, Math.sqrt(5) / length);
            ops.matern52(out, 0, len);
        }
    }

    /**
     * The length scale {@code matern.length}, or per-feature {@code matern.length[f]}. With
     * t = √(2ν)·r (r the scaled distance) and g(t) = −k'(t)/t = 2^{1−ν}/Γ(ν)·t^{ν−1}·K_{ν−1}(t),
     * ∂k/∂log ℓ = t²·g(t); for ARD, ∂k/∂log ℓ_f = g(t)·2ν·((x_f − z_f)/ℓ_f)² (these sum over f to the
     * isotropic form). In closed form g(t) = e^(−t)/t, e^(−t) and (1 + t)e^(−t)/3 for ν = ½, 3/2, 5/2,
     * and g = M_{ν−1}/(2(ν − 1)) for ν &gt; 1 in general.
     */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        return lengthScales != null ? LENGTH.hyperparameters(TYPE, lengthScales)
                : java.util.List.of(LENGTH.hyperparameter(TYPE, length));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, lengthScales != null ? lengthScales.length : 1);
        return lengthScales != null ? new MaternKernel(nu, values) : new MaternKernel(nu, values[0]);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int len = block.rows() * block.cols();
        computeBlock(block, out);
        double c2 = 2 * nu; // (√(2ν))², the factor between t² and the squared scaled distance
        double[] t = block.borrow();
        try {
            block.squaredDistances(lengthScales, t);
            ElementOps.get().sqrtScaled(t, 0, len, Math.sqrt(c2) / length);
            if (lengthScales == null) {
                double[] g = gradients[0];
                for (int k = 0; k < len; k++) {
                    double tk = t[k];
                    g[k] = tk * radialFactor(tk) * tk;
                }
                return;
            }
            for (int k = 0; k < len; k++) {
                t[k] = radialFactor(t[k]) * c2; // from here on t holds g(t)·2ν
            }
            for (int f = 0; f < lengthScales.length; f++) {
                double[] g = gradients[f];
                block.featureDifferences(f, g);
                double inv = 1.0 / (lengthScales[f] * lengthScales[f]);
                for (int k = 0; k < len; k++) {
                    g[k] = g[k] * g[k] * inv * t[k];
                }
            }
        } finally {
            block.giveBack(t);
        }
    }

    /** g(t) = −k'(t)/t, finite at t = 0 except for ν ≤ 1, where its product with t² is 0. */
    private double radialFactor(double t) {
        if (general != null) {
            return general.radialFactor(t);
        }
        double e = Math.exp(-t);
        if (nu == 0.5) {
            return t > 0 ? e / t : 0.0;
        }
        return nu == 1.5 ? e : (1 + t) * e / 3;
    }

    /** The ARD length scales, or null (isotropic: s = ‖x − z‖², the length inside g). */
    @Override
    public double[] distanceScales() {
        return lengthScales();
    }

    /**
     * 2g'(s) = −radial(t)·2ν/ℓ² with t = √(2ν·s)/ℓ (ℓ = 1 for ARD), where radial(t) = −φ'(t)/t as in
     * the gradient; for ν ≤ 1 the derivative is unbounded as s → 0 and is taken as 0 at s = 0.
     */
    @Override
    public void computeRadialDerivativeBlock(GramBlock block, double[] out) {
        int len = block.rows() * block.cols();
        block.squaredDistances(lengthScales, out);
        double c2 = 2 * nu;
        ElementOps.get().sqrtScaled(out, 0, len, Math.sqrt(c2) / length);
        double f = -c2 / (length * length);
        for (int k = 0; k < len; k++) {
            out[k] = f * radialFactor(out[k]);
        }
    }

    @Override
    public String toSpec() {
        return TYPE.spec(nu, lengthScales != null ? lengthScales : new double[] {length});
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MaternKernel)) {
            return false;
        }
        MaternKernel k = (MaternKernel) o;
        return k.nu == nu && k.length == length && Arrays.equals(k.lengthScales, lengthScales);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(nu) * 31 + Double.hashCode(length) + Arrays.hashCode(lengthScales);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
