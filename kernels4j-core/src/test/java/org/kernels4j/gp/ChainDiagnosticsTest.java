package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

class ChainDiagnosticsTest {

    /** M chains of a stationary AR(1) process x_t = φ·x_{t−1} + e_t (unit marginal variance). */
    private static double[][] ar1(int chains, int n, double phi, long seed) {
        Random r = new Random(seed);
        double[][] out = new double[chains][n];
        for (int c = 0; c < chains; c++) {
            double x = r.nextGaussian();
            for (int i = 0; i < n; i++) {
                x = phi * x + Math.sqrt(1 - phi * phi) * r.nextGaussian();
                out[c][i] = x;
            }
        }
        return out;
    }

    /**
     * For AR(1) the integrated autocorrelation time is τ = (1 + φ)/(1 − φ), so ESS ≈ M·N/τ; the
     * estimate's relative standard error at these lengths is at most about 6% (20% allowed).
     */
    @Test
    void effectiveSampleSizeOfAutoregressiveChains() {
        for (double phi : new double[] {0.0, 0.5, 0.8}) {
            double[][] chains = ar1(4, 8000, phi, 31);
            double expected = 4 * 8000 * (1 - phi) / (1 + phi);
            double ess = ChainDiagnostics.effectiveSampleSize(chains);
            assertEquals(expected, ess, 0.2 * expected, "phi " + phi);
        }
        // antithetic draws (φ < 0) are worth more than independent ones, within Stan's cap
        double ess = ChainDiagnostics.effectiveSampleSize(ar1(4, 4000, -0.5, 32));
        assertTrue(ess > 16000, "ess " + ess);
    }

    /**
     * Split R̂ against its definition written out here for two chains of four draws, then its
     * behaviour: ≈ 1 for agreeing chains, well above 1 when one chain sits elsewhere or drifts.
     */
    /** Constant chains: NaN when every draw is equal, +∞ when the chains sit at different values (Stan's convention). */
    @Test
    void splitRHatOfConstantChains() {
        assertTrue(Double.isNaN(ChainDiagnostics.splitRHat(new double[][] {{2, 2, 2, 2}, {2, 2, 2, 2}})));
        assertEquals(Double.POSITIVE_INFINITY, ChainDiagnostics.splitRHat(new double[][] {{2, 2, 2, 2}, {3, 3, 3, 3}}));
        // one chain whose halves are constant at different values: the split catches it too
        assertEquals(Double.POSITIVE_INFINITY, ChainDiagnostics.splitRHat(new double[][] {{1, 1, 5, 5}}));
    }

    @Test
    void splitRHat() {
        double[][] tiny = {{1, 2, 3, 5}, {2, 2, 4, 1}};
        // halves: {1,2}, {3,5}, {2,2}, {4,1}: means 1.5, 4, 2, 2.5; variances (n−1 divisor) 0.5, 2, 0, 4.5
        double w = (0.5 + 2 + 0 + 4.5) / 4;
        double grand = (1.5 + 4 + 2 + 2.5) / 4;
        double b = ((1.5 - grand) * (1.5 - grand) + (4 - grand) * (4 - grand) + (2 - grand) * (2 - grand)
                + (2.5 - grand) * (2.5 - grand)) / 3;
        double varPlus = 0.5 * w + b;
        assertEquals(Math.sqrt(varPlus / w), ChainDiagnostics.splitRHat(tiny), 1e-12);

        double[][] good = ar1(4, 2000, 0.3, 33);
        assertEquals(1.0, ChainDiagnostics.splitRHat(good), 0.01);
        double[][] shifted = ar1(4, 2000, 0.3, 34);
        for (int i = 0; i < 2000; i++) {
            shifted[3][i] += 2;
        }
        assertTrue(ChainDiagnostics.splitRHat(shifted) > 1.2);
        double[][] drifting = ar1(1, 2000, 0.3, 35);
        for (int i = 0; i < 2000; i++) {
            drifting[0][i] += 3.0 * i / 2000;
        }
        assertTrue(ChainDiagnostics.splitRHat(drifting) > 1.2, "one drifting chain is caught by the split");
    }

    @Test
    void badChainsAreClearErrors() {
        assertThrows(Kernels4jException.class, () -> ChainDiagnostics.splitRHat(new double[0][]));
        var e = assertThrows(Kernels4jException.class, () -> ChainDiagnostics.splitRHat(new double[][] {{1, 2, 3}}));
        assertTrue(e.getMessage().contains("4 draws"));
        e = assertThrows(Kernels4jException.class,
                () -> ChainDiagnostics.effectiveSampleSize(new double[][] {{1, 2, 3, 4}, {1, 2, 3, 4, 5}}));
        assertTrue(e.getMessage().contains("equal length"));
        assertTrue(Double.isNaN(ChainDiagnostics.splitRHat(new double[][] {{1, 1, 1, 1}})));
    }
}
