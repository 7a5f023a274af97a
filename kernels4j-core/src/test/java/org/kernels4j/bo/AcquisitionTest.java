package org.kernels4j.bo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

/** Acquisition closed forms against Monte Carlo (tolerance 4 standard errors) and their partials against differences. */
class AcquisitionTest {
    private static final int DRAWS = 400_000;

    /** Standard normal draws by Box–Muller (independent of the code's Φ and φ). */
    private static double[] normals(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] z = new double[DRAWS];
        for (int i = 0; i < DRAWS; i += 2) {
            double u1 = 1 - r.nextDouble();
            double u2 = r.nextDouble();
            double rad = Math.sqrt(-2 * Math.log(u1));
            z[i] = rad * Math.cos(2 * Math.PI * u2);
            z[i + 1] = rad * Math.sin(2 * Math.PI * u2);
        }
        return z;
    }

    @Test
    void expectedImprovementMatchesMonteCarlo() {
        double[] z = normals(1);
        double[][] cases = {{0.3, 0.49, 0.5}, {1.2, 0.04, 0.5}, {-1, 2.25, 0.7}, {0, 1, 0}};
        for (double[] c : cases) {
            double mu = c[0];
            double sd = Math.sqrt(c[1]);
            double tau = c[2];
            double sum = 0;
            double sq = 0;
            for (double v : z) {
                double imp = Math.max(mu + sd * v - tau, 0);
                sum += imp;
                sq += imp * imp;
            }
            double mean = sum / DRAWS;
            double se = Math.sqrt((sq / DRAWS - mean * mean) / DRAWS);
            double ei = Acquisition.expectedImprovement(mu, c[1], tau);
            assertEquals(mean, ei, 4 * se, "EI at " + java.util.Arrays.toString(c));
        }
        // σ = 0: the improvement itself
        assertEquals(0.7, Acquisition.expectedImprovement(1.2, 0, 0.5), 1e-15);
        assertEquals(0, Acquisition.expectedImprovement(0.2, 0, 0.5), 0);
    }

    @Test
    void probabilityOfImprovementMatchesMonteCarlo() {
        double[] z = normals(2);
        double[][] cases = {{0.3, 0.49, 0.5}, {1.2, 0.04, 0.5}, {-1, 2.25, 0.7}};
        for (double[] c : cases) {
            double sd = Math.sqrt(c[1]);
            int above = 0;
            for (double v : z) {
                if (c[0] + sd * v > c[2]) {
                    above++;
                }
            }
            double p = (double) above / DRAWS;
            double se = Math.sqrt(p * (1 - p) / DRAWS);
            assertEquals(p, Acquisition.probabilityOfImprovement(c[0], c[1], c[2]), 4 * se + 1e-12);
        }
        assertEquals(1, Acquisition.probabilityOfImprovement(0.6, 0, 0.5), 0);
        assertEquals(0, Acquisition.probabilityOfImprovement(0.4, 0, 0.5), 0);
    }

    @Test
    void upperConfidenceBoundIsAQuantile() {
        // μ + 2σ is the 97.725% quantile: P(f > UCB) = 1 − Φ(2) = 0.0227501319...
        double[] z = normals(3);
        double mu = 0.4;
        double var = 0.81;
        double ucb = Acquisition.upperConfidenceBound(mu, var, 2);
        assertEquals(0.4 + 2 * 0.9, ucb, 1e-15);
        int above = 0;
        for (double v : z) {
            if (mu + 0.9 * v > ucb) {
                above++;
            }
        }
        double p = (double) above / DRAWS;
        assertEquals(0.0227501319, p, 4 * Math.sqrt(0.0227 * 0.9773 / DRAWS));
        assertEquals(0.4 + 3 * 0.9, Acquisition.upperConfidenceBound(mu, var, 3), 1e-15);
    }

    @Test
    void partialsMatchDifferences() {
        double h = 1e-6;
        double[][] cases = {{0.3, 0.49, 0.5}, {1.2, 0.04, 0.5}, {-1, 2.25, 0.7}};
        for (double[] c : cases) {
            double mu = c[0];
            double v = c[1];
            double tau = c[2];
            double[] ei = Acquisition.expectedImprovementPartials(mu, v, tau);
            assertEquals((Acquisition.expectedImprovement(mu + h, v, tau) - Acquisition.expectedImprovement(mu - h, v, tau))
                    / (2 * h), ei[1], 1e-7);
            assertEquals((Acquisition.expectedImprovement(mu, v + h, tau) - Acquisition.expectedImprovement(mu, v - h, tau))
                    / (2 * h), ei[2], 1e-7);
            double[] pi = Acquisition.probabilityOfImprovementPartials(mu, v, tau);
            assertEquals((Acquisition.probabilityOfImprovement(mu + h, v, tau)
                    - Acquisition.probabilityOfImprovement(mu - h, v, tau)) / (2 * h), pi[1], 1e-7);
            assertEquals((Acquisition.probabilityOfImprovement(mu, v + h, tau)
                    - Acquisition.probabilityOfImprovement(mu, v - h, tau)) / (2 * h), pi[2], 1e-7);
            double[] ucb = Acquisition.upperConfidenceBoundPartials(mu, v, 1.5);
            assertEquals(1, ucb[1], 0);
            assertEquals((Acquisition.upperConfidenceBound(mu, v + h, 1.5) - Acquisition.upperConfidenceBound(mu, v - h, 1.5))
                    / (2 * h), ucb[2], 1e-7);
            assertEquals(ei[0], Acquisition.expectedImprovement(mu, v, tau), 0);
        }
    }

    /** E[max_i(a_i + b_i Z)] by the trapezoid rule on [−12, 12] (brute force over the lines at each node). */
    private static double quadrature(double[] a, double[] b) {
        int nodes = 200_000;
        double lo = -12;
        double step = 24.0 / nodes;
        double sum = 0;
        for (int k = 0; k <= nodes; k++) {
            double z = lo + k * step;
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < a.length; i++) {
                best = Math.max(best, a[i] + b[i] * z);
            }
            double w = (k == 0 || k == nodes) ? 0.5 : 1;
            sum += w * best * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
        }
        return sum * step;
    }

    @Test
    void expectedMaximumOfLinesMatchesQuadrature() {
        double[][][] cases = {
            {{0.0}, {1.0}},
            {{0.0, 0.0}, {-1.0, 1.0}},
            {{0.1, 0.5, -0.2, 0.3}, {0.2, -0.4, 1.1, 0.2}}, // two equal slopes: the lower one never wins
            {{1.0, 0.0, -5.0}, {0.0, 0.1, 0.05}}, // a dominated line in the middle
            {{0.3, 0.2, 0.1, 0.4, -0.1}, {-1.0, -0.3, 0.0, 0.5, 2.0}},
        };
        for (double[][] c : cases) {
            assertEquals(quadrature(c[0], c[1]), Acquisition.expectedMaximumOfLines(c[0], c[1]), 1e-7,
                    java.util.Arrays.deepToString(c));
        }
        // E[max(Z, −Z)] = E|Z| = √(2/π)
        assertEquals(Math.sqrt(2 / Math.PI), Acquisition.expectedMaximumOfLines(new double[] {0, 0},
                new double[] {1, -1}), 1e-15);
        SplittableRandom r = new SplittableRandom(5);
        for (int t = 0; t < 5; t++) {
            int m = 2 + r.nextInt(12);
            double[] a = new double[m];
            double[] b = new double[m];
            for (int i = 0; i < m; i++) {
                a[i] = r.nextGaussian();
                b[i] = r.nextInt(4) == 0 ? 0.5 : r.nextGaussian();
            }
            assertEquals(quadrature(a, b), Acquisition.expectedMaximumOfLines(a, b), 1e-7);
        }
        assertThrows(Kernels4jException.class, () -> Acquisition.expectedMaximumOfLines(new double[0], new double[0]));
    }

    @Test
    void parsesNamesAndChecksOptions() {
        assertEquals(Acquisition.Kind.EXPECTED_IMPROVEMENT, Acquisition.parse("EI").kind());
        assertEquals(Acquisition.Kind.PROBABILITY_OF_IMPROVEMENT, Acquisition.parse("pi").kind());
        assertEquals(0.01, Acquisition.parse("pi").margin(), 0);
        assertEquals(2, Acquisition.parse("ucb").beta(), 0);
        assertEquals(64, Acquisition.parse("kg").candidates());
        assertEquals(Acquisition.Kind.NOISY_EXPECTED_IMPROVEMENT, Acquisition.parse(" nei ").kind());
        assertEquals(0, Acquisition.parse("ei").margin(), 0);
        assertTrue(Acquisition.parse("ei").hasAnalyticGradient());
        assertTrue(!Acquisition.parse("kg").hasAnalyticGradient());
        String msg = assertThrows(Kernels4jException.class, () -> Acquisition.parse("lcb")).getMessage();
        assertTrue(msg.contains("lcb") && msg.contains("ei, pi, ucb, kg or nei"), msg);
        assertThrows(Kernels4jException.class, () -> Acquisition.upperConfidenceBound(0));
        assertThrows(Kernels4jException.class, () -> Acquisition.expectedImprovement(-1e-9));
        assertThrows(Kernels4jException.class, () -> Acquisition.probabilityOfImprovement(Double.NaN));
        assertThrows(Kernels4jException.class, () -> Acquisition.knowledgeGradient(0));
        assertEquals(1, Acquisition.knowledgeGradient(1).candidates());
    }
}
