package org.kernels4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Platt's fit against its optimality conditions written here from the definition: with
 * p_i = 1/(1 + exp(A·f_i + B)) and Platt's targets t_i = (N₊+1)/(N₊+2) or 1/(N₋+2), the smoothed
 * log-loss is stationary where Σ(t_i − p_i)·f_i = 0 and Σ(t_i − p_i) = 0, and its Hessian there is
 * positive definite, so that point is the unique minimum. The loss is also checked against a brute
 * force scan of a neighbourhood.
 */
class PlattSigmoidFitTest {
    private static final PlattSigmoid.Stop TIGHT = new PlattSigmoid.Stop(1e-12, 200, 1e-14, true);

    private static double[] targets(boolean[] pos) {
        int np = 0;
        for (boolean p : pos) {
            np += p ? 1 : 0;
        }
        int nn = pos.length - np;
        double[] t = new double[pos.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = pos[i] ? (np + 1.0) / (np + 2.0) : 1.0 / (nn + 2.0);
        }
        return t;
    }

    private static double loss(double[] f, double[] t, double a, double b) {
        double v = 0;
        for (int i = 0; i < f.length; i++) {
            double p = 1 / (1 + Math.exp(a * f[i] + b));
            v -= t[i] * Math.log(p) + (1 - t[i]) * Math.log(1 - p);
        }
        return v;
    }

    @Test
    void theFitSatisfiesTheOptimalityConditions() {
        Random r = new Random(3);
        for (int trial = 0; trial < 3; trial++) {
            int n = 30 + 20 * trial;
            double[] f = new double[n];
            boolean[] pos = new boolean[n];
            for (int i = 0; i < n; i++) {
                pos[i] = r.nextDouble() < 0.3 + 0.2 * trial;
                f[i] = (pos[i] ? 1 : -1) * (0.5 + trial) + r.nextGaussian() + 0.4 * trial;
            }
            double[] t = targets(pos);
            double[] ab = PlattSigmoid.fit(f, pos, TIGHT);
            double ga = 0;
            double gb = 0;
            double scale = 0;
            for (int i = 0; i < n; i++) {
                double p = 1 / (1 + Math.exp(ab[0] * f[i] + ab[1]));
                ga += (t[i] - p) * f[i];
                gb += t[i] - p;
                scale += Math.abs(f[i]);
            }
            // stationary to rounding: the gradient is a sum of n terms of size ≤ |f_i|
            assertEquals(0.0, ga, 1e-9 * scale, "∂/∂A, trial " + trial);
            assertEquals(0.0, gb, 1e-9 * n, "∂/∂B, trial " + trial);
            double best = loss(f, t, ab[0], ab[1]);
            for (double da = -0.02; da <= 0.02; da += 0.01) {
                for (double db = -0.02; db <= 0.02; db += 0.01) {
                    assertTrue(best <= loss(f, t, ab[0] + da, ab[1] + db) + 1e-12, "a neighbour is lower, trial " + trial);
                }
            }
            assertTrue(ab[0] < 0, "higher scores mean the positive class");
            // LIBSVM's looser rule stops within |∇| < 1e-5 of the same point
            double[] lib = PlattSigmoid.fit(f, pos, PlattSigmoid.LIBSVM);
            assertEquals(ab[0], lib[0], 1e-3 * Math.max(1, Math.abs(ab[0])));
            assertEquals(ab[1], lib[1], 1e-3 * Math.max(1, Math.abs(ab[1])));
        }
    }

    @Test
    void withoutIterationsTheFitIsPlattsStartingPoint() {
        // A = 0, B = log((N₋ + 1)/(N₊ + 1)): 3 positives and 5 negatives give log(6/4)
        double[] f = {1, 2, 3, -1, -2, -3, -4, 0.5};
        boolean[] pos = {true, true, true, false, false, false, false, false};
        double[] ab = PlattSigmoid.fit(f, pos, new PlattSigmoid.Stop(1e-5, 0, 1e-10, false));
        assertArrayEquals(new double[] {0, Math.log(6.0 / 4.0)}, ab, 1e-15);
        // one Newton step from there must lower the loss
        double[] t = targets(pos);
        double[] one = PlattSigmoid.fit(f, pos, new PlattSigmoid.Stop(1e-5, 1, 1e-10, false));
        assertTrue(loss(f, t, one[0], one[1]) < loss(f, t, ab[0], ab[1]));
        // with an impossibly small gradient tolerance but a step floor above 1, nothing moves
        double[] stuck = PlattSigmoid.fit(f, pos, new PlattSigmoid.Stop(0, 50, 2, false));
        assertArrayEquals(ab, stuck, 0.0);
    }

    @Test
    void separableScoresStillGiveAFiniteFit() {
        // perfectly separated classes: the smoothed targets keep the optimum finite
        double[] f = {-3, -2, -1, 1, 2, 3};
        boolean[] pos = {false, false, false, true, true, true};
        double[] ab = PlattSigmoid.fit(f, pos, TIGHT);
        assertTrue(Double.isFinite(ab[0]) && Double.isFinite(ab[1]));
        double[] t = targets(pos);
        double ga = 0;
        double gb = 0;
        for (int i = 0; i < 6; i++) {
            double p = 1 / (1 + Math.exp(ab[0] * f[i] + ab[1]));
            ga += (t[i] - p) * f[i];
            gb += t[i] - p;
        }
        assertEquals(0.0, ga, 1e-9);
        assertEquals(0.0, gb, 1e-9);
        assertEquals(0.0, ab[1], 1e-9, "symmetric data: B = 0");
    }

    @Test
    void probabilityIsTheLogisticWithoutOverflow() {
        for (double z : new double[] {-30, -2.5, -1e-3, 0, 1e-3, 0.7, 4, 30}) {
            assertEquals(1 / (1 + Math.exp(z)), PlattSigmoid.probability(z), 1e-16, "z = " + z);
        }
        assertEquals(0.5, PlattSigmoid.probability(0), 0.0);
        assertEquals(0.0, PlattSigmoid.probability(800), 1e-300);
        assertEquals(1.0, PlattSigmoid.probability(-800), 0.0);
        assertTrue(PlattSigmoid.probability(800) >= 0 && !Double.isNaN(PlattSigmoid.probability(800)));
    }

    @Test
    void oneIterationIsOneFullNewtonStep() {
        // From Platt's start (0, log((N₋+1)/(N₊+1))), one iteration with only the full step allowed (min step 1) is
        // (A, B) − H⁻¹∇ for the smoothed loss. Gradient and Hessian are taken here by central differences of the
        // loss written above (step 1e-4: error ~1e-8 relative), not from the code's analytic formulas.
        Random r = new Random(12);
        int n = 40;
        double[] f = new double[n];
        boolean[] pos = new boolean[n];
        for (int i = 0; i < n; i++) {
            pos[i] = r.nextDouble() < 0.4;
            f[i] = (pos[i] ? 1.2 : -0.8) + r.nextGaussian(); // shifted, so ∇ and H have off-diagonal coupling
        }
        double[] t = targets(pos);
        double[] start = PlattSigmoid.fit(f, pos, new PlattSigmoid.Stop(0, 0, 1, false));
        double h = 1e-4;
        double a = start[0];
        double b = start[1];
        double ga = (loss(f, t, a + h, b) - loss(f, t, a - h, b)) / (2 * h);
        double gb = (loss(f, t, a, b + h) - loss(f, t, a, b - h)) / (2 * h);
        double l0 = loss(f, t, a, b);
        double haa = (loss(f, t, a + h, b) - 2 * l0 + loss(f, t, a - h, b)) / (h * h);
        double hbb = (loss(f, t, a, b + h) - 2 * l0 + loss(f, t, a, b - h)) / (h * h);
        double hab = (loss(f, t, a + h, b + h) - loss(f, t, a + h, b - h) - loss(f, t, a - h, b + h)
                + loss(f, t, a - h, b - h)) / (4 * h * h);
        double det = haa * hbb - hab * hab;
        double wantA = a - (hbb * ga - hab * gb) / det;
        double wantB = b - (haa * gb - hab * ga) / det;
        double[] one = PlattSigmoid.fit(f, pos, new PlattSigmoid.Stop(0, 1, 1, false));
        assertEquals(wantA, one[0], 1e-5 * Math.max(1, Math.abs(wantA)), "A after one Newton step");
        assertEquals(wantB, one[1], 1e-5 * Math.max(1, Math.abs(wantB)), "B after one Newton step");
        assertTrue(Math.abs(one[0] - a) > 0.1, "the step is not negligible: " + (one[0] - a));
    }
}
