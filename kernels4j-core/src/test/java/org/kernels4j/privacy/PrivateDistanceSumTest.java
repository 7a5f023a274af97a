package org.kernels4j.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.privacy.PrivateDistanceSum.Norm;
import org.kernels4j.linalg.Matrix;

class PrivateDistanceSumTest {
    private static Matrix uniform(int n, int d, long seed) {
        Random r = new Random(seed);
        Matrix m = new Matrix(n, d);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = 4 * r.nextDouble() - 2;
        }
        return m;
    }

    private static double exactL1(Matrix x, double[] q) {
        double s = 0;
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < q.length; j++) {
                s += Math.abs(x.get(i, j) - q[j]);
            }
        }
        return s;
    }

    private static double exactL2(Matrix x, double[] q) {
        double s = 0;
        for (int i = 0; i < x.rows(); i++) {
            double t = 0;
            for (int j = 0; j < q.length; j++) {
                t += (x.get(i, j) - q[j]) * (x.get(i, j) - q[j]);
            }
            s += Math.sqrt(t);
        }
        return s;
    }

    @Test
    void l1AnswersAreExactUpToTheCellWidthWithoutNoiseAndUnbiasedWithIt() {
        Matrix x = uniform(400, 3, 1);
        Matrix q = uniform(6, 3, 2);
        int levels = 12;
        PrivateDistanceSum quiet = PrivateDistanceSum.release(Norm.L1, x, -2, 2, levels, 0, 1e15, 0, TestNoise.seeded(0));
        double[] got = quiet.sums(q);
        double cell = 4.0 / (1 << levels);
        for (int i = 0; i < 6; i++) {
            assertEquals(exactL1(x, q.row(i)), got[i], 3 * 400 * 2 * cell, "query " + i); // ≤ 2·cell per point and coordinate
        }
        double eps = 2;
        PrivateDistanceSum one = PrivateDistanceSum.release(Norm.L1, x, -2, 2, levels, 0, eps, 0, TestNoise.seeded(1));
        assertEquals(2.0 * 3 * (levels + 1) / (eps / 2), one.countNoiseScale(), 1e-12);
        assertEquals(2.0 * 3 * (levels + 1) * 4 / (eps / 2), one.sumNoiseScale(), 1e-12);
        int draws = 300;
        double[] mean = new double[6];
        double[] sq = new double[6];
        for (int t = 0; t < draws; t++) {
            double[] s = PrivateDistanceSum.release(Norm.L1, x, -2, 2, levels, 0, eps, 0, TestNoise.seeded(10 + t)).sums(q);
            for (int i = 0; i < 6; i++) {
                mean[i] += s[i] / draws;
                sq[i] += (s[i] - got[i]) * (s[i] - got[i]) / draws;
            }
        }
        for (int i = 0; i < 6; i++) {
            double bound = one.noiseStandardDeviation(q.row(i));
            assertEquals(got[i], mean[i], 4 * bound / Math.sqrt(draws), "unbiased, query " + i);
            assertTrue(Math.sqrt(sq[i]) <= 1.15 * bound, "the spread stays below the stated bound");
        }
    }

    @Test
    void errorFallsAsOneOverEpsilon() {
        Matrix x = uniform(300, 2, 3);
        Matrix q = uniform(4, 2, 4);
        double[] quiet = PrivateDistanceSum.release(Norm.L1, x, -2, 2, 10, 0, 1e15, 0, TestNoise.seeded(0)).sums(q);
        double[] spread = new double[2];
        double[] eps = {0.5, 5};
        for (int e = 0; e < 2; e++) {
            double sq = 0;
            for (int t = 0; t < 300; t++) {
                double[] s = PrivateDistanceSum.release(Norm.L1, x, -2, 2, 10, 0, eps[e], 0, TestNoise.seeded(100 + t)).sums(q);
                for (int i = 0; i < 4; i++) {
                    sq += (s[i] - quiet[i]) * (s[i] - quiet[i]);
                }
            }
            spread[e] = Math.sqrt(sq / 1200);
        }
        assertEquals(10.0, spread[0] / spread[1], 1.2);
    }

    @Test
    void l2ByRandomProjectionsIsUnbiasedOverTheProjection() {
        Matrix x = uniform(200, 4, 5);
        Matrix q = uniform(3, 4, 6);
        int draws = 200;
        double[] mean = new double[3];
        double[] sq = new double[3];
        for (int t = 0; t < draws; t++) {
            // a wide public range for the projections (|gᵀx| ≤ 4·√4·4 here), no noise
            double[] s = PrivateDistanceSum.release(Norm.L2, x, -40, 40, 14, 8, 1e15, 7 + t, TestNoise.seeded(0)).sums(q);
            for (int i = 0; i < 3; i++) {
                mean[i] += s[i] / draws;
                sq[i] += s[i] * s[i] / draws;
            }
        }
        for (int i = 0; i < 3; i++) {
            double se = Math.sqrt((sq[i] - mean[i] * mean[i]) / draws);
            assertEquals(exactL2(x, q.row(i)), mean[i], 5 * se + 1.0, "query " + i);
        }
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.release(Norm.L1, x, 2, -2, 10, 0, 1, 0, TestNoise.seeded(0)));
        assertThrows(Kernels4jException.class, () -> PrivateDistanceSum.release(Norm.L2, x, -2, 2, 10, 0, 1, 0, TestNoise.seeded(0)));
    }
}
