package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * {@link SpecialFunctions#besselJ} against independent values: Abramowitz &amp; Stegun, Handbook of
 * Mathematical Functions, Table 9.1 (J_0, J_1, J_2 for x ≤ 17.8), Table 9.2 (J_3…J_9) and Table 9.4
 * (J_n(x) at x = 1, 2, 5, 10, 50, 100), to the digits printed there (10 or more), and, near the
 * switch points between the three methods and at large orders, values from mpmath's
 * {@code besselj} at 30 digits (printed to 17). Tolerance: 10⁻¹³ absolute plus 10⁻¹² relative.
 */
class BesselJTest {
    /** {order, x, J_order(x)}: A&amp;S Tables 9.1, 9.2, 9.4. */
    private static final double[][] ABRAMOWITZ_STEGUN = {
        {0, 1, 0.7651976865579666}, {1, 1, 0.4400505857449335}, {2, 1, 0.1149034849319005},
        {0, 2, 0.2238907791412357}, {1, 2, 0.5767248077568734},
        {0, 5, -0.1775967713143383}, {1, 5, -0.3275791375914652}, {2, 5, 0.04656511627775222},
        {0, 10, -0.2459357644513483}, {1, 10, 0.04347274616886144}, {5, 10, -0.2340615281867936},
        {10, 10, 0.2074861066333589},
        {0, 50, 0.05581232766925182}, {1, 50, -0.09751182812517514},
        {0, 100, 0.01998585030422312}, {1, 100, -0.07714535201411216},
        {3, 0.5, 0.002563729994587244}, {4, 3, 0.1320341839246122},
    };

    /** {order, x, J_order(x)} from mpmath at 30 digits: the method switch points and large orders. */
    private static final double[][] MPMATH = {
        {0, 1.999, 0.22446753611808321}, {3, 1.999, 0.12878387107002284},
        {0, 2.001, 0.22331408663600551}, {3, 2.001, 0.12910270934825477},
        {1, 39.9, 0.1249871016188417}, {1, 40.1, 0.12582993347601846},
        {7, 48.9, 0.11431382431487994}, {7, 49.1, 0.11366639511239101},
        {20, 399.0, -0.038557044663266924}, {20, 401.0, 0.0063551132238740647},
        {12, 0.01, 5.0968546973374898e-37}, {0, 0.001, 0.99999975000001562},
        {50, 60.0, -0.13798273148535212}, {50, 2600.0, -0.00042900057207160717},
        {2, 1000.0, -0.024777229528605996}, {5, 7.5, 0.28347390516255046},
        {20, 30, 0.0048310199934040645}, {7, 25, -0.010168168212703074},
    };

    private static void check(double[][] table, String source) {
        for (double[] row : table) {
            int n = (int) row[0];
            double x = row[1];
            double expected = row[2];
            double tol = 1e-13 + 1e-12 * Math.abs(expected);
            assertEquals(expected, SpecialFunctions.besselJ(n, x), tol, source + ": J_" + n + "(" + x + ")");
        }
    }

    @Test
    void matchesAbramowitzAndStegun() {
        check(ABRAMOWITZ_STEGUN, "A&S");
    }

    @Test
    void matchesMpmathAtTheMethodSwitchesAndLargeOrders() {
        check(MPMATH, "mpmath");
    }

    @Test
    void symmetryAndSpecialPoints() {
        assertEquals(1.0, SpecialFunctions.besselJ(0, 0), 0.0);
        assertEquals(0.0, SpecialFunctions.besselJ(3, 0), 0.0);
        assertEquals(-SpecialFunctions.besselJ(1, 5), SpecialFunctions.besselJ(1, -5), 0.0);
        assertEquals(SpecialFunctions.besselJ(2, 5), SpecialFunctions.besselJ(2, -5), 0.0);
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.besselJ(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.besselJ(51, 1));
    }

    /** The recurrence J_{n−1}(x) + J_{n+1}(x) = (2n/x)·J_n(x) holds across all three methods (A&amp;S 9.1.27). */
    @Test
    void threeTermRecurrenceHolds() {
        for (double x : new double[] {0.3, 1.7, 2.5, 9, 33, 41, 120, 900}) {
            for (int n = 1; n < 20; n++) {
                double lhs = SpecialFunctions.besselJ(n - 1, x) + SpecialFunctions.besselJ(n + 1, x);
                double rhs = 2 * n / x * SpecialFunctions.besselJ(n, x);
                assertEquals(lhs, rhs, 1e-13 * Math.max(1, 2 * n / x), "n=" + n + ", x=" + x);
            }
        }
    }
}
