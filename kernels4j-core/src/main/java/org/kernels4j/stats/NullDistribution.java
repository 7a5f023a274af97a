package org.kernels4j.stats;

import java.util.Locale;
import org.kernels4j.Kernels4jException;

/** How a kernel test's p-value is computed: the distribution of its statistic when the null hypothesis holds. */
public enum NullDistribution {
    /**
     * The statistic recomputed on B random relabellings (MMD: the pooled sample split at random; HSIC: the y rows
     * shuffled against the x rows), p = (1 + #{T_b ≥ T})/(1 + B). Exact level at any sample size (the relabellings
     * are exchangeable under the null), O(B·n²) after one Gram matrix.
     */
    PERMUTATION,
    /**
     * A Gamma law matched to the statistic's null mean and variance (Gretton et al.: the MMD test of "A fast,
     * consistent kernel two-sample test", NIPS 2009; the HSIC test of "A kernel statistical test of independence",
     * NIPS 2008). No resampling, O(n²); asymptotic, so its level is only approximate for small n.
     */
    GAMMA;

    /** Parses permutation (or permutations) and gamma. */
    public static NullDistribution parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "permutation", "permutations" -> PERMUTATION;
            case "gamma" -> GAMMA;
            default -> throw new Kernels4jException("unknown null distribution '" + s + "'; available: permutation, gamma");
        };
    }
}
