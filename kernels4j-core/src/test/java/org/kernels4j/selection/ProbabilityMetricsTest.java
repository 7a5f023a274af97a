package org.kernels4j.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/** Log-loss, Brier score, ECE and the reliability bins against values computed by hand. */
class ProbabilityMetricsTest {

    @Test
    void twoClassesByHand() {
        double[] p1 = {0.9, 0.2, 0.6, 0.65};
        Matrix p = new Matrix(4, 2);
        for (int i = 0; i < 4; i++) {
            p.set(i, 0, 1 - p1[i]);
            p.set(i, 1, p1[i]);
        }
        ProbabilityMetrics m = ProbabilityMetrics.of(new double[] {0, 1}, new double[] {1, 0, 1, 0}, p, 2);
        assertEquals(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.35)) / 4, m.logLoss(), 1e-15);
        assertEquals((0.01 + 0.04 + 0.16 + 0.4225) / 4, m.brier(), 1e-15);
        // bin [0, .5): 0.2 (class 0); bin [.5, 1]: 0.9, 0.6, 0.65 with classes 1, 1, 0
        assertEquals(0.25 * 0.2 + 0.75 * Math.abs(2.0 / 3 - 2.15 / 3), m.expectedCalibrationError(), 1e-15);
        assertArrayEquals(new long[] {1, 3}, m.reliability().counts());
        assertArrayEquals(new double[] {0.2, 2.15 / 3}, m.reliability().predicted(), 1e-15);
        assertArrayEquals(new double[] {0, 2.0 / 3}, m.reliability().observed(), 1e-15);
        assertTrue(!m.reliability().topLabel());
    }

    @Test
    void threeClassesUseTheTopLabel() {
        Matrix p = Matrix.wrap(3, 3, new double[] {0.7, 0.2, 0.1, 0.5, 0.4, 0.1, 0.2, 0.18, 0.62});
        ProbabilityMetrics m = ProbabilityMetrics.of(new double[] {1, 2, 3}, new double[] {1, 2, 3}, p, 10);
        assertEquals(-(Math.log(0.7) + Math.log(0.4) + Math.log(0.62)) / 3, m.logLoss(), 1e-15);
        assertEquals((0.14 + 0.62 + 0.04 + 0.0324 + 0.1444) / 3, m.brier(), 1e-15);
        assertEquals((0.3 + 0.5 + 0.38) / 3, m.expectedCalibrationError(), 1e-15);
        assertEquals(10, m.reliability().bins());
        assertEquals(1, m.reliability().counts()[5]);
        assertEquals(0.0, m.reliability().observed()[5]);
        assertTrue(Double.isNaN(m.reliability().predicted()[0]));
        assertTrue(m.reliability().topLabel());
    }

    @Test
    void aCertainMistakeCostsTheClipAndBadInputIsRefused() {
        Matrix p = Matrix.wrap(2, 2, new double[] {1, 0, 0, 1});
        ProbabilityMetrics m = ProbabilityMetrics.of(new double[] {0, 1}, new double[] {1, 1}, p, 5);
        assertEquals(-Math.log(1e-15) / 2, m.logLoss(), 1e-12);
        assertEquals(0.5, m.brier(), 1e-15); // ((1)² + 0)/2 rows
        assertEquals(0.5, m.expectedCalibrationError(), 1e-15);
        assertThrows(Kernels4jException.class, () -> ProbabilityMetrics.of(new double[] {0, 1}, new double[] {2, 1}, p, 5));
        assertThrows(Kernels4jException.class, () -> ProbabilityMetrics.of(new double[] {0, 1}, new double[] {0, 1},
                Matrix.wrap(2, 2, new double[] {1.5, -0.5, 0, 1}), 5));
    }
}
