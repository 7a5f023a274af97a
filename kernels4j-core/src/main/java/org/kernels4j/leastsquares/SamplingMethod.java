package org.kernels4j.leastsquares;

import java.util.Locale;
import org.kernels4j.Kernels4jException;

/** How {@link OptimalSampling} draws the n points of a weighted least-squares fit in an m-dimensional space. */
public enum SamplingMethod {
    /** n i.i.d. points from the reference measure μ, unit weights: plain least squares, the baseline. */
    REFERENCE_IID("reference"),
    /**
     * n i.i.d. points from the optimal density ρ_m = k_m/m·μ with weights w = m/k_m (Cohen–Migliorati);
     * on a pool this is leverage-score sampling. Stable with high probability once n ≳ m·log m.
     */
    OPTIMAL_IID("iid"),
    /** The projection DPP with kernel Σ_j φ_j(x)φ_j(y) w.r.t. μ: exactly n = m distinct points. */
    PROJECTION_DPP("dpp"),
    /**
     * Volume-rescaled sampling of any size n ≥ m: joint density ∝ det G(x_1..x_n) w.r.t. ρ_m^⊗n, drawn
     * as one projection DPP plus n − m i.i.d. points from ρ_m in a uniformly random order. The weighted
     * least-squares estimate is then unbiased for the L²(μ) projection coefficients.
     */
    VOLUME_RESCALED("volume"),
    /** r = n/m independent projection DPPs (n must be a multiple of m). */
    REPEATED_DPP("repeated-dpp");

    private final String label;

    SamplingMethod(String label) {
        this.label = label;
    }

    /** The short name used on the command line. */
    public String label() {
        return label;
    }

    /** Parses a short name (reference, iid, leverage, dpp, volume, repeated-dpp) or an enum name. */
    public static SamplingMethod parse(String name) {
        String s = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (s.equals("leverage") || s.equals("optimal-iid") || s.equals("optimal")) {
            return OPTIMAL_IID;
        }
        for (SamplingMethod m : values()) {
            if (m.label.equals(s) || m.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(s)) {
                return m;
            }
        }
        throw new Kernels4jException("unknown sampling method '" + name
                + "' (expected reference, iid, leverage, dpp, volume or repeated-dpp)");
    }
}
