package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * Two-class SVM probabilities against Platt's sigmoid written here, and the sigmoid fit against a
 * brute-force (grid, then shrinking grid) minimisation of its smoothed-target log-loss.
 */
class PlattSigmoidTest {

    /** Platt's loss with smoothed targets (N₊+1)/(N₊+2), 1/(N₋+2), written directly from the definition. */
    private static double loss(double[] f, boolean[] pos, double a, double b) {
        int np = 0;
        for (boolean p : pos) {
            np += p ? 1 : 0;
        }
        int nn = f.length - np;
        double v = 0;
        for (int i = 0; i < f.length; i++) {
            double t = pos[i] ? (np + 1.0) / (np + 2.0) : 1.0 / (nn + 2.0);
            double p = 1 / (1 + Math.exp(a * f[i] + b));
            v -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
        }
        return v;
    }

    static double[] bruteForce(double[] f, boolean[] pos) {
        double bestA = 0;
        double bestB = 0;
        double best = Double.POSITIVE_INFINITY;
        double span = 20;
        for (int round = 0; round < 40; round++) {
            double ca = bestA;
            double cb = bestB;
            for (int i = -20; i <= 20; i++) {
                for (int j = -20; j <= 20; j++) {
                    double a = ca + span * i / 20;
                    double b = cb + span * j / 20;
                    double v = loss(f, pos, a, b);
                    if (v < best) {
                        best = v;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            span /= 2.5;
        }
        return new double[] {bestA, bestB};
    }

    @Test
    void theSigmoidFitIsTheMinimumOfItsSmoothedLogLoss() {
        Random r = new Random(8);
        for (int trial = 0; trial < 4; trial++) {
            int n = 40 + 30 * trial;
            double[] f = new double[n];
            boolean[] pos = new boolean[n];
            double sep = 0.5 + trial; // from heavily overlapping to well separated classes
            for (int i = 0; i < n; i++) {
                pos[i] = r.nextDouble() < 0.4;
                f[i] = (pos[i] ? sep : -sep) + r.nextGaussian() + (trial == 3 ? 0.7 : 0); // trial 3: shifted, B ≠ 0
            }
            double[] ab = Probabilities.fitSigmoid(f, pos);
            double[] ref = bruteForce(f, pos);
            double fit = loss(f, pos, ab[0], ab[1]);
            double brute = loss(f, pos, ref[0], ref[1]);
            assertTrue(fit <= brute + 1e-8, "trial " + trial + ": Newton loss " + fit + " > brute force " + brute);
            assertEquals(ref[0], ab[0], 1e-3 * Math.max(1, Math.abs(ref[0])), "A, trial " + trial);
            assertEquals(ref[1], ab[1], 1e-3 * Math.max(1, Math.abs(ref[1])), "B, trial " + trial);
            assertTrue(ab[0] < 0, "positive decision values mean the positive class: A < 0");
        }
    }

    @Test
    void twoClassProbabilitiesArePlattsSigmoidOfTheDecisionValue() {
        Random r = new Random(4);
        int n = 80;
        Matrix x = new Matrix(n, 2);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2 == 0 ? 3 : 7;
            double c = y[i] == 3 ? -0.8 : 0.8;
            x.set(i, 0, c + r.nextGaussian());
            x.set(i, 1, r.nextGaussian());
        }
        SvmModel m = SupportVectorMachine.classifier().kernel(KernelSpec.parse("rbf(gamma=0.5)")).c(1).probability(true)
                .seed(2).build().fit(x, Matrix.column(y));
        double[] ab = m.sigmoids()[0];
        Matrix f = m.decisionValues(x);
        Matrix p = m.probabilities(x);
        double[] pred = m.predict(x).data();
        assertEquals(2, p.cols());
        int agree = 0;
        for (int i = 0; i < n; i++) {
            double want = 1 / (1 + Math.exp(ab[0] * f.get(i, 0) + ab[1]));
            want = Math.min(Math.max(want, 1e-7), 1 - 1e-7);
            assertEquals(want, p.get(i, 0), 1e-12, "row " + i);
            assertEquals(1.0, p.get(i, 0) + p.get(i, 1), 1e-12, "row " + i);
            int best = p.get(i, 0) >= p.get(i, 1) ? 0 : 1;
            agree += m.classes()[best] == pred[i] ? 1 : 0;
        }
        assertTrue(agree >= 0.9 * n, "the likelier class is the predicted one on " + agree + " of " + n);
    }
}
