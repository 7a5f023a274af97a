package org.kernels4j.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/** RMSE, MAE and (column-averaged) R² against values worked out by hand. */
class RegressionMetricsTest {

    @Test
    void oneColumnByHand() {
        // y = 1, 2, 3, 6 (mean 3, SST = 4 + 1 + 0 + 9 = 14); residuals 1, −1, 0, 2: SSE = 6, SAE = 4
        Matrix y = Matrix.column(new double[] {1, 2, 3, 6});
        Matrix p = Matrix.column(new double[] {0, 3, 3, 4});
        RegressionMetrics m = RegressionMetrics.of(y, p);
        assertEquals(Math.sqrt(6.0 / 4), m.rmse(), 1e-15);
        assertEquals(1.0, m.mae(), 1e-15);
        assertEquals(1 - 6.0 / 14, m.r2(), 1e-15);
    }

    @Test
    void twoColumnsAverageR2AndPoolErrors() {
        // column 0 as above; column 1: y = 0, 0, 4, 4 (SST 16), residuals 0, −2, 0, 0 (SSE 4, SAE 2)
        Matrix y = Matrix.of(new double[][] {{1, 0}, {2, 0}, {3, 4}, {6, 4}});
        Matrix p = Matrix.of(new double[][] {{0, 0}, {3, 2}, {3, 4}, {4, 4}});
        RegressionMetrics m = RegressionMetrics.of(y, p);
        assertEquals(Math.sqrt(10.0 / 8), m.rmse(), 1e-15);
        assertEquals(6.0 / 8, m.mae(), 1e-15);
        assertEquals(((1 - 6.0 / 14) + (1 - 4.0 / 16)) / 2, m.r2(), 1e-15);
    }

    @Test
    void constantTargetsGiveR2OneWhenExactAndZeroOtherwise() {
        Matrix y = Matrix.column(new double[] {5, 5, 5});
        assertEquals(1.0, RegressionMetrics.of(y, Matrix.column(new double[] {5, 5, 5})).r2());
        RegressionMetrics off = RegressionMetrics.of(y, Matrix.column(new double[] {5, 6, 5}));
        assertEquals(0.0, off.r2());
        assertEquals(Math.sqrt(1.0 / 3), off.rmse(), 1e-15);
        // a worse-than-the-mean prediction has negative R²
        assertEquals(1 - 18.0 / 2, RegressionMetrics.of(Matrix.column(new double[] {0, 2}),
                Matrix.column(new double[] {3, -1})).r2(), 1e-15);
    }

    @Test
    void mismatchedShapesAndNoRowsAreRefused() {
        var e = assertThrows(Kernels4jException.class, () -> RegressionMetrics.of(new Matrix(3, 1), new Matrix(2, 1)));
        assertTrue(e.getMessage().contains("different shapes"), e.getMessage());
        // more predictions than targets must not pass silently either
        assertThrows(Kernels4jException.class, () -> RegressionMetrics.of(new Matrix(2, 1), new Matrix(3, 1)));
        assertThrows(Kernels4jException.class, () -> RegressionMetrics.of(new Matrix(0, 1), new Matrix(0, 1)));
    }
}
