package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Split R̂ and the bulk ESS against the textbook definitions written out here from Gelman et al.,
 * <i>Bayesian Data Analysis</i> 3rd ed. §11.4 (split R̂: eq. 11.2–11.4) and §11.5 (ESS: eq. 11.7–11.8,
 * Geyer's initial positive sequence made monotone), with Stan's bounds on τ (τ ≥ 1/log₁₀(MN), so
 * ESS ≤ MN·log₁₀(MN)). The reference computes every half-chain's statistics separately and the
 * whole autocorrelation sequence before summing it, and is compared on many random chain sets:
 * one to four chains, even and odd lengths (the odd middle draw is dropped), short chains where
 * the Geyer sum runs to the last lag, and antithetic chains where the lower bound on τ binds.
 */
class ChainDiagnosticsReferenceTest {

    /** The 2M half-chains: the first ⌊N/2⌋ and the last ⌊N/2⌋ draws of each chain. */
    private static List<double[]> halves(double[][] chains) {
        List<double[]> out = new ArrayList<>();
        for (double[] c : chains) {
            int n = c.length / 2;
            double[] first = new double[n];
            double[] last = new double[n];
            for (int i = 0; i < n; i++) {
                first[i] = c[i];
                last[i] = c[c.length - n + i];
            }
            out.add(first);
            out.add(last);
        }
        return out;
    }

    private static double average(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** {R̂, ESS, 1 when every lag pair was summed} by BDA3 eq. 11.2–11.8 with Stan's bounds. */
    private static double[] reference(double[][] chains) {
        List<double[]> h = halves(chains);
        int m = h.size();
        int n = h.get(0).length;
        double[] means = new double[m];
        double[] s2 = new double[m];
        for (int j = 0; j < m; j++) {
            means[j] = average(h.get(j));
            double ss = 0;
            for (double x : h.get(j)) {
                ss += (x - means[j]) * (x - means[j]);
            }
            s2[j] = ss / (n - 1); // eq. 11.3: s_j² with divisor n − 1
        }
        double grand = average(means);
        double between = 0; // eq. 11.2: B = n/(m−1)·Σ (θ̄_j − θ̄)²
        for (double mu : means) {
            between += (mu - grand) * (mu - grand);
        }
        between = m > 1 ? n * between / (m - 1) : 0;
        double within = average(s2); // W
        double varPlus = (n - 1) * within / n + between / n; // eq. 11.3
        double rHat = Math.sqrt(varPlus / within); // eq. 11.4
        // eq. 11.7: ρ_t = 1 − (W − mean_j γ_{j,t}) / var⁺, γ with divisor n, for every lag 0 … n−1
        double[] rho = new double[n];
        for (int t = 0; t < n; t++) {
            double gamma = 0;
            for (int j = 0; j < m; j++) {
                double[] c = h.get(j);
                double g = 0;
                for (int i = t; i < n; i++) {
                    g += (c[i - t] - means[j]) * (c[i] - means[j]);
                }
                gamma += g / n / m;
            }
            rho[t] = 1 - (within - gamma) / varPlus;
        }
        // eq. 11.8 with Geyer: P_k = ρ_2k + ρ_2k+1 (both lags < n) while positive, each capped by the previous
        double sum = 0;
        double cap = Double.MAX_VALUE;
        double toTheEnd = 1;
        for (int k = 0; 2 * k + 1 <= n - 1; k++) {
            double pk = rho[2 * k] + rho[2 * k + 1];
            if (pk <= 0) {
                toTheEnd = 0;
                break;
            }
            cap = Math.min(cap, pk);
            sum += cap;
        }
        double tau = -1 + 2 * sum;
        double draws = (double) m * n;
        double log10 = Math.log10(Math.max(draws, 10));
        tau = Math.max(tau, 1 / log10); // Stan: ESS ≤ MN·log₁₀(MN)
        return new double[] {rHat, draws / tau, toTheEnd};
    }

    private static double[][] ar1(int chains, int n, double phi, double drift, Random r) {
        double[][] out = new double[chains][n];
        for (int c = 0; c < chains; c++) {
            double x = r.nextGaussian() + 0.3 * c;
            for (int i = 0; i < n; i++) {
                x = phi * x + Math.sqrt(1 - phi * phi) * r.nextGaussian();
                out[c][i] = x + drift * i / n;
            }
        }
        return out;
    }

    @Test
    void splitRHatAndEssEqualTheTextbookDefinitions() {
        Random r = new Random(2026);
        int compared = 0;
        int boundBinds = 0;
        int sumReachesLastLag = 0;
        for (int chains = 1; chains <= 4; chains++) {
            for (int n : new int[] {4, 5, 6, 7, 9, 12, 31, 200, 401}) {
                for (double phi : new double[] {-0.9, -0.3, 0, 0.5, 0.95}) {
                    for (double drift : new double[] {0, 2}) {
                        double[][] x = ar1(chains, n, phi, drift, r);
                        double[] ref = reference(x);
                        assertEquals(ref[0], ChainDiagnostics.splitRHat(x), 1e-12 * ref[0],
                                "R-hat, M " + chains + " N " + n + " phi " + phi);
                        assertEquals(ref[1], ChainDiagnostics.effectiveSampleSize(x), 1e-9 * ref[1],
                                "ESS, M " + chains + " N " + n + " phi " + phi + " drift " + drift);
                        compared++;
                        double total = 2.0 * chains * (n / 2);
                        if (Math.abs(ref[1] - total * Math.log10(Math.max(total, 10))) < 1e-9 * ref[1]) {
                            boundBinds++;
                        }
                        sumReachesLastLag += (int) ref[2];
                    }
                }
            }
        }
        assertEquals(360, compared);
        assertTrue(boundBinds >= 5, "the lower bound on tau binds in " + boundBinds + " cases");
        assertTrue(sumReachesLastLag >= 5, "the Geyer sum reaches the last lag pair in " + sumReachesLastLag + " cases");
    }

    /**
     * Two chains with the same values in a different order have the same W and var⁺ but different
     * autocorrelations; and one chain alone has B = 0, so var⁺ = (n−1)/n·W and R̂ = √((n−1)/n)
     * for chains whose halves agree exactly.
     */
    @Test
    void oneChainWithEqualHalvesHasRHatOfItsDegreesOfFreedom() {
        double[] half = {0.3, -1.2, 2.5, 0.7, -0.4, 1.1};
        double[] chain = new double[12];
        for (int i = 0; i < 6; i++) {
            chain[i] = half[i];
            chain[6 + i] = half[i];
        }
        assertEquals(Math.sqrt(5.0 / 6), ChainDiagnostics.splitRHat(new double[][] {chain}), 1e-14);
        // with a middle draw, which is dropped
        double[] odd = new double[13];
        System.arraycopy(half, 0, odd, 0, 6);
        odd[6] = 1e6;
        System.arraycopy(half, 0, odd, 7, 6);
        assertEquals(Math.sqrt(5.0 / 6), ChainDiagnostics.splitRHat(new double[][] {odd}), 1e-14);
    }

    /** With every draw equal W = 0: the ESS is undefined (NaN), as R̂ is. */
    @Test
    void constantChainsHaveNoEffectiveSampleSize() {
        assertTrue(Double.isNaN(ChainDiagnostics.effectiveSampleSize(new double[][] {{2, 2, 2, 2, 2}, {2, 2, 2, 2, 2}})));
        assertTrue(Double.isNaN(ChainDiagnostics.splitRHat(new double[][] {{2, 2, 2, 2, 2}, {2, 2, 2, 2, 2}})));
    }

    /**
     * R̂ and the ESS are invariant to adding a constant to every draw (BDA3's W, B and ρ_t use
     * deviations from means only); with draws near 10⁸ and unit spread they must stay within 10⁻⁶
     * of the unshifted values (deviations are then known to about 10⁻⁸).
     */
    @Test
    void shiftingEveryDrawLeavesBothUnchanged() {
        double[][] x = ar1(3, 60, 0.4, 1, new Random(77));
        double[][] shifted = new double[3][60];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 60; i++) {
                shifted[c][i] = x[c][i] + 1e8;
            }
        }
        double r = ChainDiagnostics.splitRHat(x);
        double e = ChainDiagnostics.effectiveSampleSize(x);
        assertEquals(r, ChainDiagnostics.splitRHat(shifted), 1e-6 * r);
        assertEquals(e, ChainDiagnostics.effectiveSampleSize(shifted), 1e-6 * e);
    }
}
