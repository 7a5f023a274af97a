package org.kernels4j.kernel;

import org.apache.commons.numbers.gamma.LogGamma;
import org.kernels4j.linalg.SpecialFunctions;

/**
 * The Matérn correlation of smoothness ν &gt; 0 as a function of t = √(2ν)·r/ℓ,
 * <pre>
 *   M_ν(t) = 2^{1−ν}/Γ(ν) · t^ν · K_ν(t),   M_ν(0) = 1,
 * </pre>
 * and its radial factor R_ν(t) = −M_ν'(t)/t = 2^{1−ν}/Γ(ν)·t^{ν−1}·K_{ν−1}(t) (from
 * d/dt[t^ν K_ν(t)] = −t^ν K_{ν−1}(t)), which every length-scale derivative is built from. Shared by
 * {@link MaternKernel} and {@link StudentTMixtureKernel}.
 *
 * <p>Evaluation: the closed forms at ν = ½, 3/2, 5/2; for other ν below 25,
 * exp((1−ν)log 2 − log Γ(ν) + ν log t + log K_ν(t)) with {@link SpecialFunctions#logBesselK};
 * from ν = 25 on, the Debye expansion of K_ν combined analytically with Stirling's series for
 * Γ(ν), so that the terms of size ν·log ν that cancel in the first form never appear:
 * <pre>
 *   log M_ν(t) = ν·(log(1 + w/2) − w) − ¼·log(1 + z²) + log Σ_k (−1)^k u_k(p)/ν^k − S(ν),
 *   z = t/ν,  w = √(1+z²) − 1 = z²/(1 + √(1+z²)),  p = 1/√(1+z²),
 * </pre>
 * S(ν) = log Γ(ν) − (ν − ½)log ν + ν − ½log 2π (Stirling's remainder). As ν → ∞ with r fixed,
 * ν(log(1 + w/2) − w) → −t²/(4ν) = −r²/(2ℓ²): the RBF kernel, reached continuously.
 * For ν ≤ 1, R_ν(0) is infinite (M_ν has a cusp at 0); it is reported as 0 there, because every
 * caller multiplies it by a squared difference that is 0 at t = 0.
 */
final class MaternFunction {
    /** Orders from which the Stirling–Debye form is used. */
    static final double LARGE_ORDER = 25;

    private final double nu;
    /** (1 − ν)·log 2 − log Γ(ν). */
    private final double logNorm;
    /** The function of order ν − 1 (or 1 − ν below 1) for the radial factor; null for closed forms. */
    private final MaternFunction lower;

    MaternFunction(double nu) {
        this(nu, true);
    }

    /** {@code withLower}: whether R_ν will be needed (M_{ν−1} needs only its values, not its own R). */
    private MaternFunction(double nu, boolean withLower) {
        this.nu = nu;
        this.logNorm = (1 - nu) * Math.log(2) - LogGamma.value(nu);
        boolean closed = nu == 0.5 || nu == 1.5 || nu == 2.5;
        this.lower = !withLower || closed || nu <= 1 ? null : new MaternFunction(nu - 1, false);
    }

    /**
     * M_ν(t) for the orders with a closed form, ν = 1/2, 3/2, 5/2: e^(−t) times 1, 1 + t, 1 + t + t²/3; 1 at t ≤ 0, and
     * 0 wherever e^(−t) is 0 (far apart, or an overflowed distance, where the product would be ∞·0).
     */
    static double closedForm(double nu, double t) {
        if (t <= 0) {
            return 1.0;
        }
        double e = Math.exp(-t);
        if (e == 0) {
            return 0;
        }
        return nu == 0.5 ? e : nu == 1.5 ? (1 + t) * e : (1 + t + t * t / 3) * e;
    }

    /** ν. */
    double nu() {
        return nu;
    }

    /** M_ν(t) for t ≥ 0. */
    double value(double t) {
        if (nu == 0.5 || nu == 1.5 || nu == 2.5) {
            return closedForm(nu, t);
        }
        if (t <= 0) {
            return 1.0;
        }
        if (t == Double.POSITIVE_INFINITY) {
            return 0.0; // an overflowed distance: the forms below would give log of 0 minus ∞
        }
        if (nu >= LARGE_ORDER) {
            return Math.exp(logLargeOrder(t));
        }
        return Math.exp(logNorm + nu * Math.log(t) + SpecialFunctions.logBesselK(nu, t));
    }

    /**
     * R_ν(t) = −M_ν'(t)/t. For ν &gt; 1 it equals M_{ν−1}(t)/(2(ν − 1)) (so R_ν(0) = 1/(2(ν − 1))); for
     * ν &lt; 1, 2^{1−ν}/Γ(ν)·t^{ν−1}·K_{1−ν}(t), reported as 0 at t = 0 (see the class comment).
     */
    double radialFactor(double t) {
        if (nu == 0.5) {
            return t > 0 ? Math.exp(-t) / t : 0.0;
        } else if (nu == 1.5) {
            return Math.exp(-t);
        } else if (nu == 2.5) {
            return (1 + t) * Math.exp(-t) / 3;
        }
        if (lower != null) {
            return lower.value(t) / (2 * (nu - 1));
        }
        if (t <= 0) {
            return 0.0;
        }
        // K_{ν−1} = K_{1−ν}; at ν = 1 this is K_0
        return Math.exp(logNorm + (nu - 1) * Math.log(t) + SpecialFunctions.logBesselK(1 - nu, t));
    }

    /** log M_ν(t) for ν ≥ 25 from the Stirling–Debye form above. */
    private double logLargeOrder(double t) {
        double z = t / nu;
        double root = Math.hypot(1, z);
        double w = z * z / (1 + root);
        if (Double.isInfinite(w)) {
            w = z; // z beyond 1e154: √(1+z²) − 1 = z to double precision
        }
        return nu * (Math.log1p(w / 2) - w) - 0.5 * Math.log(root) + Math.log(debye(1 / root)) - stirlingRemainder();
    }

    private double debye(double p) {
        return SpecialFunctions.debyeSum(p, nu);
    }

    /**
     * S(ν) = log Γ(ν) − (ν − ½)log ν + ν − ½ log 2π = Σ_k B_{2k}/(2k(2k − 1)ν^{2k−1}) for ν ≥ 25, where
     * seven terms are below 10⁻¹⁹.
     */
    private double stirlingRemainder() {
        double inv = 1 / nu;
        double inv2 = inv * inv;
        return inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 * (1.0 / 1188
                - inv2 * (691.0 / 360360 - inv2 / 156))))));
    }
}
