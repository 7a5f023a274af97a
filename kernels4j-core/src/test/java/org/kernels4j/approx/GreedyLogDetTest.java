package org.kernels4j.approx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * {@link GreedyLogDet} against brute-force greedy selection: at every step each remaining point is
 * tried and log det(I + K_SS/ε) (or log det K_SS) is computed from scratch by a Gaussian
 * elimination written here; the chosen sequence and objective must agree.
 */
class GreedyLogDetTest {

    /** log det of a small SPD matrix by Gaussian elimination without pivoting (its pivots are the Schur complements). */
    private static double logDet(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        double s = 0;
        for (int p = 0; p < n; p++) {
            s += Math.log(m[p][p]);
            for (int i = p + 1; i < n; i++) {
                double f = m[i][p] / m[p][p];
                for (int j = p; j < n; j++) {
                    m[i][j] -= f * m[p][j];
                }
            }
        }
        return s;
    }

    private static double objective(Matrix k, int[] set, int size, double eps) {
        double[][] a = new double[size][size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                a[i][j] = eps > 0 ? (i == j ? 1 : 0) + k.get(set[i], set[j]) / eps : k.get(set[i], set[j]);
            }
        }
        return logDet(a);
    }

    private static int[] bruteForceGreedy(Matrix k, int m, double eps, double[] objectiveOut) {
        int n = k.rows();
        int[] set = new int[m];
        boolean[] used = new boolean[n];
        double best = 0;
        for (int t = 0; t < m; t++) {
            int arg = -1;
            best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (used[i]) {
                    continue;
                }
                set[t] = i;
                double f = objective(k, set, t + 1, eps);
                if (f > best + 1e-12) {
                    best = f;
                    arg = i;
                }
            }
            set[t] = arg;
            used[arg] = true;
        }
        objectiveOut[0] = best;
        return set;
    }

    @Test
    void greedySelectionMatchesBruteForceGreedy() {
        Matrix x = TestData.gaussian(30, 3, 1, 41);
        Kernel rbf = KernelSpec.parse("rbf(gamma=0.4)");
        Matrix k = GramEngine.gram(rbf, x);
        for (double eps : new double[] {0.05, 1.0, 0}) {
            double[] ref = new double[1];
            int[] expect = bruteForceGreedy(k, 8, eps, ref);
            GreedyLogDet.Selection s = GreedyLogDet.select(k, 8, eps);
            assertArrayEquals(expect, s.order(), "eps " + eps);
            assertEquals(ref[0], s.objective(), 1e-9 * Math.max(1, Math.abs(ref[0])), "eps " + eps);
            double sum = Arrays.stream(s.gains()).sum();
            assertEquals(s.objective(), sum, 1e-12);
            // the kernel route computes columns on demand and must choose the same points
            assertArrayEquals(expect, GreedyLogDet.select(rbf, x, 8, eps).order(), "kernel route, eps " + eps);
        }
    }

    @Test
    void landmarkSamplerReturnsTheGreedySetSorted() {
        Matrix x = TestData.gaussian(40, 2, 1, 42);
        Kernel k = KernelSpec.parse("rbf(gamma=1)");
        int[] greedy = GreedyLogDet.select(k, x, 10, 0.01).order().clone();
        Arrays.sort(greedy);
        assertArrayEquals(greedy, Landmarks.select(Landmarks.Sampler.LOGDET, k, x, 10, 0.01, 123));
        assertEquals(Landmarks.Sampler.LOGDET, Landmarks.Sampler.parse("coding-rate"));
        assertThrows(Kernels4jException.class, () -> GreedyLogDet.select(k, x, 41, 0.1));
        assertThrows(Kernels4jException.class, () -> GreedyLogDet.select(k, x, 3, -1));
        assertThrows(Kernels4jException.class, () -> GreedyLogDet.select(new Matrix(3, 2), 1, 1));
    }
}
