package org.kernels4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

class BoundedLbfgsTest {
    private static final double[] FREE_LOW = {-10, -10};
    private static final double[] FREE_HIGH = {10, 10};

    /** Rosenbrock's valley, minimum 0 at (1, 1). */
    private static double rosenbrock(double[] x, double[] g) {
        double a = 1 - x[0];
        double b = x[1] - x[0] * x[0];
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
        return a * a + 100 * b * b;
    }

    @Test
    void findsTheUnconstrainedMinimumOfRosenbrock() {
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(BoundedLbfgsTest::rosenbrock, new double[] {-1.2, 1},
                FREE_LOW, FREE_HIGH);
        assertEquals(1.0, r.x()[0], 1e-4);
        assertEquals(1.0, r.x()[1], 1e-4);
        assertTrue(r.value() < 1e-8, "f = " + r.value());
        assertTrue(r.iterations() < 100, r.iterations() + " iterations");
    }

    @Test
    void stopsOnTheBoundWhenTheMinimumIsOutside() {
        // Rosenbrock restricted to x0 <= 0.5: on the bound the best x1 is 0.25, and the gradient in
        // x0 there is -2(1 - 0.5) = -1 < 0, pointing out of the box
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(BoundedLbfgsTest::rosenbrock, new double[] {-1.2, 1},
                new double[] {-10, -10}, new double[] {0.5, 10});
        assertEquals(0.5, r.x()[0], 0.0);
        assertEquals(0.25, r.x()[1], 1e-5);
        assertEquals(0.25, r.value(), 1e-9);
    }

    @Test
    void solvesABoundedQuadraticExactly() {
        // f = ½ xᵀAx − bᵀx with A = [[4, 1], [1, 3]], b = (1, 2); unconstrained minimum A⁻¹b = (1/11, 7/11).
        // With x1 <= 0.5 the optimum has x1 = 0.5 and x0 = (1 − 0.5)/4 = 0.125.
        BoundedLbfgs.Objective f = (x, g) -> {
            g[0] = 4 * x[0] + x[1] - 1;
            g[1] = x[0] + 3 * x[1] - 2;
            return 0.5 * (4 * x[0] * x[0] + 2 * x[0] * x[1] + 3 * x[1] * x[1]) - x[0] - 2 * x[1];
        };
        BoundedLbfgs.Result free = BoundedLbfgs.defaults().minimize(f, new double[] {3, -3}, FREE_LOW, FREE_HIGH);
        assertEquals(1.0 / 11, free.x()[0], 1e-6);
        assertEquals(7.0 / 11, free.x()[1], 1e-6);
        BoundedLbfgs.Result boxed = BoundedLbfgs.defaults().minimize(f, new double[] {3, -3}, FREE_LOW,
                new double[] {10, 0.5});
        assertEquals(0.125, boxed.x()[0], 1e-6);
        assertEquals(0.5, boxed.x()[1], 0.0);
    }

    @Test
    void backsOffWhereTheObjectiveIsUndefined() {
        // f = (x − 2)² but undefined (NaN) beyond x = 1.5: the minimum over the defined part is at the edge
        BoundedLbfgs.Objective f = (x, g) -> {
            if (x[0] > 1.5) {
                return Double.NaN;
            }
            g[0] = 2 * (x[0] - 2);
            return (x[0] - 2) * (x[0] - 2);
        };
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(f, new double[] {0}, new double[] {-5}, new double[] {5});
        assertTrue(r.x()[0] <= 1.5 && r.x()[0] > 1.4, "x = " + r.x()[0]);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(Kernels4jException.class, () -> BoundedLbfgs.defaults().minimize(BoundedLbfgsTest::rosenbrock,
                new double[] {0, 0}, new double[] {1, 0}, new double[] {0, 1}));
        assertThrows(Kernels4jException.class, () -> BoundedLbfgs.defaults().minimize((x, g) -> Double.NaN,
                new double[] {0}, new double[] {-1}, new double[] {1}));
    }
}
