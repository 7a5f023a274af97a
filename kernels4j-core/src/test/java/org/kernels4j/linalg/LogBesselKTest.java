package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.linalg.BesselReference.halfInteger;
import static org.kernels4j.linalg.BesselReference.quadrature;

import org.apache.commons.numbers.gamma.LogGamma;
import org.junit.jupiter.api.Test;

/**
 * {@link SpecialFunctions#logBesselK} against references computed by other routes
 * ({@link BesselReference}: quadrature of the integral representation, exact half-integer sums), the
 * closed form at ν = ½, the small- and large-x limits and the three-term recurrence across the
 * method boundaries. The error measure is |Δ log K|/max(1, |log K|), the relative error of K where
 * |log K| ≤ 1.
 */
class LogBesselKTest {
    /** Orders on both sides of every switch: μ = ±½ rounding, the Debye order 25, huge orders. */
    private static final double[] ORDERS = {0, 1e-9, 0.1, 0.3, 0.5, 0.7, 1, 1.5, 2.3, 4.5, 7, 10.5, 17.2, 24.9,
        25, 25.5, 31, 50.5, 100, 1e3, 1e4, 1e5};
    /** Arguments on both sides of x = 2 (Temme/Steed) and 10⁴ (Steed/Hankel), tiny and huge. */
    private static final double[] ARGUMENTS = {1e-300, 1e-100, 1e-12, 1e-3, 0.1, 0.5, 1, 1.99, 2, 2.01, 3.7, 10, 24,
        30, 77, 250, 1e3, 9999, 1.0001e4, 1e5, 1e8, 1e12, 1e100};

    private static double error(double computed, double reference) {
        return Math.abs(computed - reference) / Math.max(1, Math.abs(reference));
    }

    @Test
    void matchesQuadratureOverTheWholeRangeTo1e12() {
        double worst = 0;
        String where = "";
        for (double nu : ORDERS) {
            for (double x : ARGUMENTS) {
                double e = error(SpecialFunctions.logBesselK(nu, x), quadrature(nu, x));
                if (e > worst) {
                    worst = e;
                    where = "nu=" + nu + ", x=" + x;
                }
            }
        }
        assertTrue(worst < 1e-12, "worst error " + worst + " at " + where);
    }

    @Test
    void matchesTheExactHalfIntegerSums() {
        for (int n : new int[] {0, 1, 2, 3, 7, 24, 25, 40, 150}) {
            for (double x : new double[] {1e-5, 0.3, 1.7, 2.5, 9, 60, 400, 2e4}) {
                double ref = halfInteger(n, x);
                assertEquals(0, error(SpecialFunctions.logBesselK(n + 0.5, x), ref), 1e-13, "n=" + n + ", x=" + x);
            }
        }
    }

    @Test
    void orderOneHalfIsTheClosedForm() {
        for (double x : new double[] {1e-200, 1e-3, 0.7, 2, 5, 1e4 + 1, 1e200}) {
            double ref = 0.5 * Math.log(Math.PI / (2 * x)) - x;
            assertEquals(0, error(SpecialFunctions.logBesselK(0.5, x), ref), 2e-15, "x=" + x);
            assertEquals(0, error(SpecialFunctions.logBesselK(-0.5, x), ref), 2e-15, "K_{-nu} = K_nu at x=" + x);
        }
    }

    /**
     * Small x: K_ν(x) ~ ½Γ(ν)(2/x)^ν for ν &gt; 0 (next term relative O(x^{2min(ν,1)})), K_0(x) ~ −log(x/2) − γ;
     * large x: K_ν(x) ~ √(π/2x)e^{−x}(1 + (4ν² − 1)/(8x)).
     */
    @Test
    void followsTheKnownLimits() {
        double x = 1e-250;
        for (double nu : new double[] {0.2, 1, 3.3, 24, 60, 5000}) {
            double ref = LogGamma.value(nu) + (nu - 1) * Math.log(2) - nu * Math.log(x);
            assertEquals(0, error(SpecialFunctions.logBesselK(nu, x), ref), 1e-14, "small x, nu=" + nu);
        }
        assertEquals(Math.log(-Math.log(x / 2) - 0.5772156649015329), SpecialFunctions.logBesselK(0, x), 1e-14);
        double big = 1e9;
        for (double nu : new double[] {0, 0.3, 7, 30}) {
            double ref = 0.5 * Math.log(Math.PI / (2 * big)) - big + Math.log1p((4 * nu * nu - 1) / (8 * big));
            assertEquals(0, error(SpecialFunctions.logBesselK(nu, big), ref), 1e-15, "large x, nu=" + nu);
        }
    }

    /**
     * K_{ν+1}(x) = K_{ν−1}(x) + (2ν/x)·K_ν(x) with the three orders computed by different methods (ν − 1 below
     * the Debye order, ν + 1 above it), and on either side of x = 2 and x = 10⁴. A wrong term in any
     * method breaks the identity far beyond the tolerance.
     */
    @Test
    void threeTermRecurrenceHoldsAcrossTheMethodBoundaries() {
        for (double nu : new double[] {24.5, 24.2, 25, 1.3, 0.6}) {
            for (double x : new double[] {0.4, 1.999, 2.001, 8, 9999.5, 10000.5, 3e4}) {
                double lo = SpecialFunctions.logBesselK(nu - 1, x);
                double mid = SpecialFunctions.logBesselK(nu, x);
                double hi = SpecialFunctions.logBesselK(nu + 1, x);
                // divide through by K_{ν+1}: exp(lo − hi) + (2ν/x)·exp(mid − hi) = 1
                double lhs = Math.exp(lo - hi) + 2 * nu / x * Math.exp(mid - hi);
                // each log is good to ~1e-16·|log K|, so the exponentials of differences to that much
                assertEquals(1, lhs, 1e-14 + 1e-15 * Math.abs(hi), "nu=" + nu + ", x=" + x);
            }
        }
    }

    @Test
    void edgeArguments() {
        assertEquals(Double.POSITIVE_INFINITY, SpecialFunctions.logBesselK(1.3, 0));
        assertEquals(Double.NEGATIVE_INFINITY, SpecialFunctions.logBesselK(1.3, Double.POSITIVE_INFINITY));
        assertTrue(Double.isNaN(SpecialFunctions.logBesselK(1.3, -1)));
        assertTrue(Double.isNaN(SpecialFunctions.logBesselK(Double.NaN, 1)));
        assertEquals(SpecialFunctions.logBesselK(3.7, 2.2), SpecialFunctions.logBesselK(-3.7, 2.2));
        // finite at the extremes of the double range
        assertTrue(Double.isFinite(SpecialFunctions.logBesselK(1e5, Double.MIN_VALUE)));
        assertTrue(Double.isFinite(SpecialFunctions.logBesselK(0.4, Double.MAX_VALUE)));
        assertTrue(Double.isFinite(SpecialFunctions.logBesselK(1e300, 1e-300)));
    }
}
