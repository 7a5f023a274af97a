package org.kernels4j.gram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * Kᵀ(K·V) and Kᵀ·Y without storing K: the same bits on 1, 2 and 5 threads, and equal (to rounding)
 * to the products of the explicit kernel matrix computed by a double loop in this test.
 */
class GramDeterminismTest {
    private final int threads = Parallelism.threads();

    @AfterEach
    void restore() {
        Parallelism.setThreads(threads);
    }

    private static Matrix random(int n, int d, long seed) {
        Random r = new Random(seed);
        Matrix m = new Matrix(n, d);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = r.nextGaussian();
        }
        return m;
    }

    @Test
    void crossNormalTimesIsTheSameOnAnyNumberOfThreadsAndMatchesTheExplicitProduct() {
        Kernel k = KernelSpec.parse("rbf(gamma=0.3)");
        int n = 1500;
        int m = 70;
        Matrix x = random(n, 3, 1);
        Matrix z = random(m, 3, 2);
        Matrix v = random(m, 2, 3);
        Matrix y = random(n, 2, 4);
        Matrix[] kv = new Matrix[3];
        Matrix[] ky = new Matrix[3];
        int[] counts = {1, 2, 5};
        for (int t = 0; t < counts.length; t++) {
            Parallelism.setThreads(counts[t]);
            kv[t] = GramEngine.crossNormalTimes(k, x, z, v, null, org.kernels4j.ProgressListener.NONE);
            ky[t] = GramEngine.crossNormalTimes(k, x, z, null, y, org.kernels4j.ProgressListener.NONE);
        }
        for (int t = 1; t < counts.length; t++) {
            assertArrayEquals(kv[0].data(), kv[t].data(), 0.0, "Kᵀ(K V) on " + counts[t] + " threads");
            assertArrayEquals(ky[0].data(), ky[t].data(), 0.0, "Kᵀ Y on " + counts[t] + " threads");
        }
        // reference: K by a double loop over k(x_i, z_j), then plain products
        double[][] kk = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int f = 0; f < 3; f++) {
                    double dlt = x.get(i, f) - z.get(j, f);
                    s += dlt * dlt;
                }
                kk[i][j] = Math.exp(-0.3 * s);
            }
        }
        for (int o = 0; o < 2; o++) {
            for (int j = 0; j < m; j++) {
                double refV = 0;
                double refY = 0;
                for (int i = 0; i < n; i++) {
                    double kvi = 0;
                    for (int l = 0; l < m; l++) {
                        kvi += kk[i][l] * v.get(l, o);
                    }
                    refV += kk[i][j] * kvi;
                    refY += kk[i][j] * y.get(i, o);
                }
                assertEquals(refV, kv[0].get(j, o), 1e-10 * (1 + Math.abs(refV)), "Kᵀ(K V) " + j + "," + o);
                assertEquals(refY, ky[0].get(j, o), 1e-10 * (1 + Math.abs(refY)), "Kᵀ Y " + j + "," + o);
            }
        }
    }
}
