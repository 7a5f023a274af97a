package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * erf, erfc and Φ against published values (Abramowitz &amp; Stegun, table 7.1 and 26.1, to the digits
 * given; the full 17-digit values are those of the C library's erf/erfc, which agree with the tables),
 * against the Maclaurin series for small x and the asymptotic series for large x. The implementation
 * claims ~1e-15; the tolerances (2e-15 relative, 1e-13 relative deep in the tail) let a 1 % error in any
 * part of the formula fail by many orders of magnitude.
 */
class SpecialFunctionsTest {

    private static void rel(double want, double got, double tol, String what) {
        assertEquals(want, got, tol * Math.abs(want), what);
    }

    @Test
    void erfMatchesTableValues() {
        double[][] table = {{0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1, 0.8427007929497149},
            {2, 0.9953222650189527}, {3, 0.9999779095030014}, {-0.7, -0.6778011938374184}};
        for (double[] t : table) {
            rel(t[1], SpecialFunctions.erf(t[0]), 2e-15, "erf(" + t[0] + ")");
            rel(-t[1], SpecialFunctions.erf(-t[0]), 2e-15, "erf is odd, erf(" + -t[0] + ")");
        }
        // erf(0) = 1 − erfc(0) is 1.1e-16, not 0: the absolute error the fit claims, not a relative one
        assertEquals(0.0, SpecialFunctions.erf(0), 3e-16);
    }

    @Test
    void erfcMatchesTableValuesIntoTheFarTail() {
        double[][] table = {{0.3, 0.6713732405408726}, {1.5, 0.033894853524689274}, {3, 2.2090496998585438e-05},
            {5, 1.5374597944280351e-12}, {10, 2.088487583762545e-45}, {26, 5.663192408856143e-296},
            {-2, 1.9953222650189528}, {0, 1}};
        for (double[] t : table) {
            rel(t[1], SpecialFunctions.erfc(t[0]), t[0] > 4 ? 1e-13 : 2e-15, "erfc(" + t[0] + ")");
        }
    }

    @Test
    void erfAgreesWithItsMaclaurinSeries() {
        // erf x = 2/√π · Σ_n (−1)ⁿ x^(2n+1) / (n!·(2n+1)); 40 terms are exact to rounding for |x| ≤ 1.5
        for (double x = -1.5; x <= 1.5; x += 0.0625) {
            double term = x;
            double sum = 0;
            for (int n = 0; n < 40; n++) {
                sum += term / (2 * n + 1);
                term *= -x * x / (n + 1);
            }
            double want = 2 / Math.sqrt(Math.PI) * sum;
            assertEquals(want, SpecialFunctions.erf(x), 3e-16 + 2e-15 * Math.abs(want), "erf(" + x + ")");
        }
    }

    @Test
    void erfcAgreesWithItsAsymptoticSeries() {
        // erfc x = e^(−x²)/(x√π) · Σ_n (−1)ⁿ (2n−1)!!/(2x²)ⁿ; for x ≥ 6 the smallest term is below 1e-16
        for (double x = 6; x <= 25; x += 0.75) {
            double term = 1;
            double sum = 0;
            for (int n = 0; n < 30 && Math.abs(term) > 1e-18; n++) {
                sum += term;
                term *= -(2 * n + 1) / (2 * x * x);
            }
            double want = Math.exp(-x * x) / (x * Math.sqrt(Math.PI)) * sum;
            rel(want, SpecialFunctions.erfc(x), 1e-13, "erfc(" + x + ")");
        }
    }

    @Test
    void normalCdfMatchesTableValues() {
        double[][] table = {{1.96, 0.9750021048517795}, {-1, 0.15865525393145707}, {0, 0.5},
            {-5, 2.866515718791946e-07}, {3.5, 0.9997673709209645}};
        for (double[] t : table) {
            rel(t[1], SpecialFunctions.normalCdf(t[0]), 2e-14, "Φ(" + t[0] + ")");
        }
    }
}
