package org.kernels4j.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/** F1 and the probability metrics' edges (bins = 1, ties, bin edges, row numbers), worked out by hand. */
class MetricsEdgesTest {

    @Test
    void f1IsTheHarmonicMeanOfPrecisionAndRecall() {
        // class 0: P = 1, R = 1/2, F1 = 2/3; class 1: P = 2/3, R = 1, F1 = 4/5
        ClassificationMetrics m = ClassificationMetrics.of(new double[] {0, 0, 1, 1}, new double[] {0, 1, 1, 1});
        assertArrayEquals(new double[] {1, 2.0 / 3}, m.precision(), 1e-15);
        assertArrayEquals(new double[] {0.5, 1}, m.recall(), 1e-15);
        assertArrayEquals(new double[] {2.0 / 3, 0.8}, m.f1(), 1e-15);
        // precision = recall = 1/2 for both classes: F1 = 1/2
        ClassificationMetrics e = ClassificationMetrics.of(new double[] {0, 0, 1, 1}, new double[] {0, 1, 1, 0});
        assertArrayEquals(new double[] {0.5, 0.5}, e.f1(), 1e-15);
    }

    @Test
    void oneBinIsAllowedAndBinEdgesAreEvenlySpaced() {
        Matrix p = Matrix.of(new double[][] {{0.8, 0.2}, {0.3, 0.7}});
        ProbabilityMetrics one = ProbabilityMetrics.of(new double[] {0, 1}, new double[] {0, 1}, p, 1);
        assertEquals(1, one.reliability().bins());
        // one bin: predicted mean of P(class 1) = 0.45, observed 1/2
        assertEquals(0.05, one.expectedCalibrationError(), 1e-15);
        ProbabilityMetrics four = ProbabilityMetrics.of(new double[] {0, 1}, new double[] {0, 1}, p, 4);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75}, four.reliability().lower(), 0);
        assertThrows(Kernels4jException.class, () -> ProbabilityMetrics.of(new double[] {0, 1}, new double[] {0, 1}, p, 0));
    }

    @Test
    void aTieGoesToTheFirstClassInTheTopLabelReliability() {
        // three classes, row probabilities (0.4, 0.4, 0.2), truth class 0: the top label is class 0 (first of
        // the tie), so the row is a hit
        Matrix p = Matrix.of(new double[][] {{0.4, 0.4, 0.2}});
        ProbabilityMetrics m = ProbabilityMetrics.of(new double[] {0, 1, 2}, new double[] {0}, p, 5);
        assertTrue(m.reliability().topLabel());
        assertEquals(1.0, m.reliability().observed()[2], 0);
        assertEquals(0.6, m.expectedCalibrationError(), 1e-15);
    }

    @Test
    void errorsNameTheOneBasedRow() {
        Matrix p = Matrix.of(new double[][] {{0.5, 0.5}, {1.5, -0.5}});
        var e = assertThrows(Kernels4jException.class,
                () -> ProbabilityMetrics.of(new double[] {0, 1}, new double[] {0, 1}, p, 2));
        assertTrue(e.getMessage().startsWith("row 2: probability 1.5"), e.getMessage());
        Matrix q = Matrix.of(new double[][] {{0.5, 0.5}, {0.5, 0.5}});
        e = assertThrows(Kernels4jException.class,
                () -> ProbabilityMetrics.of(new double[] {0, 1}, new double[] {0, 7}, q, 2));
        assertTrue(e.getMessage().startsWith("row 2: label 7.0"), e.getMessage());
    }
}
