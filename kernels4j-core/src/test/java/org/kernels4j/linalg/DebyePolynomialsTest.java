package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The Debye polynomials behind {@link SpecialFunctions#logBesselK}'s uniform expansion, against
 * their closed forms in DLMF 10.41.10. They are computed once in a static initializer, where
 * PIT's mutants cannot be told apart (the class is initialized before the mutant is loaded), so
 * the recursion is checked here by calling it directly.
 */
class DebyePolynomialsTest {

    @Test
    void theFirstFourEqualDlmf104110() {
        double[][] u = SpecialFunctions.debyePolynomials(4);
        assertEquals(4, u.length);
        assertArrayEquals(new double[] {1}, u[0], 0);
        // u_1(p) = (3p − 5p³)/24
        assertArrayEquals(new double[] {0, 3.0 / 24, 0, -5.0 / 24}, u[1], 1e-15);
        // u_2(p) = (81p² − 462p⁴ + 385p⁶)/1152
        assertArrayEquals(new double[] {0, 0, 81.0 / 1152, 0, -462.0 / 1152, 0, 385.0 / 1152}, u[2], 1e-15);
        // u_3(p) = (30375p³ − 369603p⁵ + 765765p⁷ − 425425p⁹)/414720
        assertArrayEquals(new double[] {0, 0, 0, 30375.0 / 414720, 0, -369603.0 / 414720, 0, 765765.0 / 414720, 0,
            -425425.0 / 414720}, u[3], 1e-14);
        assertEquals(1, SpecialFunctions.debyePolynomials(1).length);
    }
}
