package org.kernels4j.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

class ClassificationMetricsTest {
    /** A hand-worked case: truth 0 0 0 1 1 2, predicted 0 1 0 1 2 2. */
    @Test
    void handWorkedConfusionAndScores() {
        ClassificationMetrics m = ClassificationMetrics.of(new double[] {0, 0, 0, 1, 1, 2},
                new double[] {0, 1, 0, 1, 2, 2});
        assertArrayEquals(new double[] {0, 1, 2}, m.classes());
        assertArrayEquals(new long[] {2, 1, 0}, m.confusion()[0]);
        assertArrayEquals(new long[] {0, 1, 1}, m.confusion()[1]);
        assertArrayEquals(new long[] {0, 0, 1}, m.confusion()[2]);
        assertEquals(4 / 6.0, m.accuracy(), 1e-15);
        assertArrayEquals(new double[] {1, 0.5, 0.5}, m.precision(), 1e-15);
        assertArrayEquals(new double[] {2 / 3.0, 0.5, 1}, m.recall(), 1e-15);
        assertEquals(0.8, m.f1()[0], 1e-15);
        assertArrayEquals(new long[] {3, 2, 1}, m.support());
    }

    @Test
    void aClassNeverPredictedHasZeroPrecision() {
        ClassificationMetrics m = ClassificationMetrics.of(new double[] {1, 2}, new double[] {1, 1});
        assertEquals(0, m.precision()[1]);
        assertEquals(0, m.f1()[1]);
        assertThrows(Kernels4jException.class, () -> ClassificationMetrics.of(new double[2], new double[3]));
    }
}
