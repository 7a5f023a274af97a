package org.kernels4j.gp;

import org.kernels4j.Kernels4jException;

/**
 * Convergence diagnostics for Markov chains of one scalar quantity, {@code chains[m][i]} (M chains
 * of N draws each, after warm-up), as Gelman et al., <i>Bayesian Data Analysis</i> 3rd ed. §11.4–11.5
 * and Stan define them. Each chain is first split in halves (2M chains of ⌊N/2⌋), so that a chain
 * that drifts also shows up. With chain means x̄_m, W the mean within-chain variance (divisor
 * N−1), B/N the variance of the chain means (divisor M−1) and var⁺ = (N−1)/N·W + B/N:
 * <pre>
 *   split R̂ = √(var⁺ / W)
 *   ρ_t     = 1 − (W − mean_m γ_{m,t}) / var⁺        (γ_{m,t}: chain m's autocovariance at lag t, divisor N)
 *   ESS     = M·N / τ,   τ = −1 + 2·Σ_k P_k,   P_k = ρ_{2k} + ρ_{2k+1}
 * </pre>
 * summing Geyer's initial positive sequence (stop at the first negative P_k) made monotone
 * (P_k ≤ P_{k−1}). R̂ near 1 (below 1.01) and an ESS in the hundreds mean the chains agree and
 * averages over them have small Monte-Carlo error. Cost O(M·N·T) for T lags (T ≤ N).
 */
public final class ChainDiagnostics {
    private ChainDiagnostics() {
    }

    /**
     * Split R̂ of {@code chains} (at least one chain of at least 4 draws, all the same length): √(var⁺/W). NaN when every
     * draw is equal (nothing to diagnose); +∞ when each half-chain is constant but they differ (W = 0 < var⁺: the chains
     * have not mixed at all), as Stan's {@code compute_split_rhat} does.
     */
    public static double splitRHat(double[][] chains) {
        double[][] s = split(chains);
        double[] wb = withinAndBetween(s);
        double w = wb[0];
        double varPlus = wb[1];
        if (w > 0) {
            return Math.sqrt(varPlus / w);
        }
        return varPlus > 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    }

    /** The bulk effective sample size of {@code chains} (split halves), at most M·N·log₁₀(M·N) as Stan caps it. */
    public static double effectiveSampleSize(double[][] chains) {
        double[][] s = split(chains);
        int m = s.length;
        int n = s[0].length;
        double[] wb = withinAndBetween(s);
        double w = wb[0];
        double varPlus = wb[1];
        if (!(w > 0)) {
            return Double.NaN;
        }
        double[] means = new double[m];
        for (int c = 0; c < m; c++) {
            means[c] = mean(s[c]);
        }
        double tau = -1;
        double previousPair = Double.POSITIVE_INFINITY;
        for (int t = 0; t + 1 < n; t += 2) {
            double pair = rho(s, means, t, w, varPlus) + rho(s, means, t + 1, w, varPlus);
            if (!(pair > 0)) {
                break;
            }
            pair = Math.min(pair, previousPair);
            previousPair = pair;
            tau += 2 * pair;
        }
        double total = (double) m * n;
        return Math.min(total / Math.max(tau, 1.0 / Math.log10(Math.max(total, 10))), total * Math.log10(Math.max(total, 10)));
    }

    private static double rho(double[][] s, double[] means, int lag, double w, double varPlus) {
        double acov = 0;
        int n = s[0].length;
        for (int c = 0; c < s.length; c++) {
            double sum = 0;
            for (int i = 0; i + lag < n; i++) {
                sum += (s[c][i] - means[c]) * (s[c][i + lag] - means[c]);
            }
            acov += sum / n;
        }
        acov /= s.length;
        return 1 - (w - acov) / varPlus;
    }

    /** [W, var⁺]. */
    private static double[] withinAndBetween(double[][] s) {
        int m = s.length;
        int n = s[0].length;
        double[] means = new double[m];
        double w = 0;
        for (int c = 0; c < m; c++) {
            means[c] = mean(s[c]);
            double v = 0;
            for (double x : s[c]) {
                v += (x - means[c]) * (x - means[c]);
            }
            w += v / (n - 1);
        }
        w /= m;
        double grand = mean(means);
        double b = 0;
        for (double mu : means) {
            b += (mu - grand) * (mu - grand);
        }
        double bOverN = m > 1 ? b / (m - 1) : 0;
        return new double[] {w, (n - 1.0) / n * w + bOverN};
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Each chain's first and second halves as separate chains (an odd middle draw is dropped). */
    private static double[][] split(double[][] chains) {
        if (chains == null || chains.length == 0) {
            throw new Kernels4jException("chain diagnostics need at least one chain");
        }
        int n = chains[0].length;
        for (double[] c : chains) {
            if (c.length != n) {
                throw new Kernels4jException("chain diagnostics need chains of equal length, got " + n + " and " + c.length);
            }
        }
        if (n < 4) {
            throw new Kernels4jException("chain diagnostics need at least 4 draws per chain, got " + n);
        }
        int half = n / 2;
        double[][] s = new double[2 * chains.length][];
        for (int c = 0; c < chains.length; c++) {
            s[2 * c] = java.util.Arrays.copyOfRange(chains[c], 0, half);
            s[2 * c + 1] = java.util.Arrays.copyOfRange(chains[c], n - half, n);
        }
        return s;
    }
}
