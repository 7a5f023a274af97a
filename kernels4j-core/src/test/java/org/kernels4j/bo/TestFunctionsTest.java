package org.kernels4j.bo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

/** The test functions' published minima, checked by value at the minimizers and by dense search around them. */
class TestFunctionsTest {
    @Test
    void braninHasItsThreeMinima() {
        TestFunctions.TestFunction f = TestFunctions.branin();
        double min = 0.397887357729738; // 5/(4π)
        assertEquals(min, f.minimum(), 1e-12);
        for (double[] x : new double[][] {{-Math.PI, 12.275}, {Math.PI, 2.275}, {3 * Math.PI, 2.475}}) {
            assertEquals(min, f.value(x), 1e-12);
        }
        // nothing lower on a fine grid of the domain
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 600; i++) {
            for (int j = 0; j <= 600; j++) {
                best = Math.min(best, f.value(new double[] {-5 + 15.0 * i / 600, 15.0 * j / 600}));
            }
        }
        assertTrue(best >= min - 1e-12 && best < min + 1e-3, "grid minimum " + best);
        // a hand evaluation at the origin: (−6)² + 10(1 − 1/(8π)) + 10
        assertEquals(36 + 10 * (1 - 1 / (8 * Math.PI)) + 10, f.value(new double[] {0, 0}), 1e-12);
    }

    @Test
    void hartmannSixIsMinimalAtItsPublishedPoint() {
        TestFunctions.TestFunction f = TestFunctions.hartmann6();
        double[] x = f.minimizer();
        assertEquals(-3.32237, f.value(x), 1e-5);
        SplittableRandom r = new SplittableRandom(1);
        for (int t = 0; t < 2000; t++) {
            double[] y = x.clone();
            for (int j = 0; j < 6; j++) {
                y[j] = Math.min(1, Math.max(0, y[j] + 0.02 * r.nextGaussian()));
            }
            assertTrue(f.value(y) >= f.value(x) - 1e-9);
        }
        assertEquals(6, f.space().dimension());
        // at the origin only the terms' exponentials remain: −Σ α_i exp(−Σ_j A_ij P_ij²)
        double[][] a = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8},
            {17, 8, 0.05, 10, 0.1, 14}};
        double[][] p = {{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886}, {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
            {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650}, {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};
        double[] alpha = {1, 1.2, 3, 3.2};
        double s = 0;
        for (int i = 0; i < 4; i++) {
            double e = 0;
            for (int j = 0; j < 6; j++) {
                e += a[i][j] * p[i][j] * p[i][j];
            }
            s += alpha[i] * Math.exp(-e);
        }
        assertEquals(-s, f.value(new double[6]), 1e-12);
    }

    @Test
    void ackleyIsZeroAtTheOriginAndPositiveElsewhere() {
        TestFunctions.TestFunction f = TestFunctions.ackley(3);
        assertEquals(0, f.value(new double[3]), 1e-14);
        assertEquals(3, f.space().dimension());
        assertEquals(32.768, f.space().parameters().get(2).upper(), 0);
        // at (1, 1, 1): −20 exp(−0.2) − exp(1) + 20 + e = 20(1 − e^−0.2)
        assertEquals(20 * (1 - Math.exp(-0.2)), f.value(new double[] {1, 1, 1}), 1e-12);
        SplittableRandom r = new SplittableRandom(2);
        for (int t = 0; t < 1000; t++) {
            double[] x = {r.nextDouble(-32, 32), r.nextDouble(-32, 32), r.nextDouble(-32, 32)};
            assertTrue(f.value(x) > 0);
        }
        assertThrows(Kernels4jException.class, () -> TestFunctions.ackley(0));
    }
}
