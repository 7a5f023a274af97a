package org.kernels4j.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/** Per-round optimal weights against a scan of the weight with the rounds run by explicit linear solves. */
class SelfDistillationTest {
    private static final Kernel KERNEL = KernelSpec.parse("rbf(gamma=0.5)");

    /** K(K + λI)⁻¹·v by Gaussian elimination. */
    private static double[] smooth(Matrix k, double lambda, double[] v) {
        int n = v.length;
        Matrix a = k.copy();
        for (int i = 0; i < n; i++) {
            a.set(i, i, a.get(i, i) + lambda);
        }
        double[] sol = TestData.gaussSolve(a, Matrix.wrap(n, 1, v.clone())).column(0);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i] += k.get(i, j) * sol[j];
            }
        }
        return out;
    }

    private static double distance(double[] f, double[] r) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            s += (f[i] - r[i]) * (f[i] - r[i]);
        }
        return s / f.length;
    }

    @Test
    void eachRoundsWeightMinimisesTheDistanceToTheReferenceOverAScanOfTheWeight() {
        int n = 30;
        Matrix x = TestData.gaussian(n, 1, 1.5, 3);
        Random rnd = new Random(4);
        double[] truth = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            truth[i] = Math.sin(1.5 * x.get(i, 0));
            y[i] = truth[i] + 0.5 * rnd.nextGaussian();
        }
        double lambda = 0.02; // under-regularised for this noise: distillation has something to do
        int rounds = 4;
        SelfDistillation.Result r = SelfDistillation.withOptimalWeights(KERNEL, x, Matrix.wrap(n, 1, y),
                Matrix.wrap(n, 1, truth), lambda, rounds);
        Matrix k = GramEngine.gram(KERNEL, x);
        double[] fit = smooth(k, lambda, y);
        assertEquals(distance(fit, truth), r.distances()[0], 1e-10);
        boolean interior = false;
        for (int t = 0; t < rounds; t++) {
            // scan a in [0, 1] by steps of 1e-3, each round run by explicit solves
            double best = Double.POSITIVE_INFINITY;
            double bestA = -1;
            double[] ridgeOfFit = smooth(k, lambda, fit);
            double[] ridgeOfGap = new double[n];
            double[] gap = new double[n];
            for (int i = 0; i < n; i++) {
                gap[i] = y[i] - fit[i];
            }
            ridgeOfGap = smooth(k, lambda, gap);
            for (int step = 0; step <= 1000; step++) {
                double a = step / 1000.0;
                double[] f = new double[n];
                for (int i = 0; i < n; i++) {
                    f[i] = ridgeOfFit[i] + a * ridgeOfGap[i];
                }
                double d = distance(f, truth);
                if (d < best) {
                    best = d;
                    bestA = a;
                }
            }
            double a = r.weights()[t];
            assertEquals(bestA, a, 1e-3 + 1e-12, "round " + (t + 1));
            assertTrue(r.distances()[t + 1] <= best + 1e-12, "closed form no worse than the scan");
            interior |= a > 0.01 && a < 0.99;
            double[] target = new double[n];
            for (int i = 0; i < n; i++) {
                target[i] = a * y[i] + (1 - a) * fit[i];
            }
            fit = smooth(k, lambda, target);
            assertEquals(distance(fit, truth), r.distances()[t + 1], 1e-10, "distance after round " + (t + 1));
            assertTrue(r.distances()[t + 1] <= r.distances()[0] + 1e-12, "a = 1 would give ridge's fit again");
        }
        assertTrue(interior, "some weight strictly inside (0, 1): " + java.util.Arrays.toString(r.weights()));
        Matrix pred = r.model().predict(x);
        for (int i = 0; i < n; i++) {
            assertEquals(fit[i], pred.get(i, 0), 1e-9, "the model reproduces the last round at row " + i);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        Matrix x = TestData.gaussian(5, 1, 1, 1);
        Matrix y = new Matrix(5, 1);
        assertThrows(Kernels4jException.class, () -> SelfDistillation.withOptimalWeights(KERNEL, x, y, new Matrix(4, 1), 1, 1));
        assertThrows(Kernels4jException.class, () -> SelfDistillation.withOptimalWeights(KERNEL, x, y, y, 0, 1));
        assertThrows(Kernels4jException.class, () -> SelfDistillation.withOptimalWeights(KERNEL, x, y, y, 1, -1));
        Matrix nan = new Matrix(5, 1);
        nan.set(2, 0, Double.NaN);
        assertThrows(Kernels4jException.class, () -> SelfDistillation.withOptimalWeights(KERNEL, x, y, nan, 1, 1));
        assertThrows(Kernels4jException.class, () -> SelfDistillation.withOptimalWeights(KERNEL, x, nan, y, 1, 1));
        // zero rounds: ridge itself, no weights
        Matrix t = TestData.gaussian(5, 1, 1, 2);
        SelfDistillation.Result zero = SelfDistillation.withOptimalWeights(KERNEL, x, t, t, 0.5, 0);
        assertEquals(0, zero.weights().length);
        Matrix ridge = KernelRidge.builder(KERNEL).lambda(0.5).build().fit(x, t).predict(x);
        for (int i = 0; i < 5; i++) {
            assertEquals(ridge.get(i, 0), zero.model().predict(x).get(i, 0), 1e-12);
        }
    }
}
