package org.kernels4j.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/** The MMD and HSIC tests: statistics against brute force, level under the null, power under alternatives. */
class KernelTestsTest {
    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.3)");

    private static Matrix shifted(Matrix x, double by) {
        Matrix y = x.copy();
        for (int k = 0; k < y.data().length; k++) {
            y.data()[k] += by;
        }
        return y;
    }

    @Test
    void mmdStatisticsMatchTheirDefinitions() {
        Matrix x = TestData.gaussian(9, 2, 1, 1);
        Matrix y = shifted(TestData.gaussian(13, 2, 1, 2), 0.5);
        Kernel k = KernelSpec.parse("2*laplacian(gamma=0.7)");
        double xx = 0;
        double xxDiag = 0;
        double yy = 0;
        double yyDiag = 0;
        double xy = 0;
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                double v = k.value(x.row(i), x.row(j));
                xxDiag += v;
                xx += i == j ? 0 : v;
            }
            for (int j = 0; j < 13; j++) {
                xy += k.value(x.row(i), y.row(j));
            }
        }
        for (int i = 0; i < 13; i++) {
            for (int j = 0; j < 13; j++) {
                double v = k.value(y.row(i), y.row(j));
                yyDiag += v;
                yy += i == j ? 0 : v;
            }
        }
        Mmd.Result r = Mmd.builder(k).permutations(50).seed(3).build().test(x, y);
        assertEquals(xx / (9 * 8) + yy / (13 * 12) - 2 * xy / (9 * 13), r.unbiased(), 1e-12);
        assertEquals(xxDiag / 81 + yyDiag / 169 - 2 * xy / (9 * 13), r.biased(), 1e-12);
        assertEquals(9, r.m());
        assertEquals(13, r.n());
        assertEquals(k, r.kernel());
        // the permutation p-value is (1 + #exceeding)/(B + 1): a multiple of 1/51
        assertEquals(0, Math.abs(r.pValue() * 51 - Math.rint(r.pValue() * 51)), 1e-9);
        assertTrue(r.nullDescription().contains("50") && r.nullDescription().contains("seed 3"), r.nullDescription());
        // default kernel: rbf with length = the median distance over all pooled pairs, computed here by sorting
        Matrix pooled = new Matrix(22, 2);
        System.arraycopy(x.data(), 0, pooled.data(), 0, 18);
        System.arraycopy(y.data(), 0, pooled.data(), 18, 26);
        double[] d = new double[22 * 21 / 2];
        int t = 0;
        for (int i = 0; i < 22; i++) {
            for (int j = i + 1; j < 22; j++) {
                double dx = pooled.get(i, 0) - pooled.get(j, 0);
                double dy = pooled.get(i, 1) - pooled.get(j, 1);
                d[t++] = Math.hypot(dx, dy);
            }
        }
        Arrays.sort(d);
        double median = d[d.length / 2]; // 231 pairs: odd
        Kernel chosen = Mmd.builder().permutations(10).build().test(x, y).kernel();
        assertEquals(Math.exp(-1.0 / (2 * median * median)), chosen.value(new double[] {0, 0}, new double[] {1, 0}),
                1e-12);
    }

    @Test
    void hsicStatisticsMatchTheirDefinitions() {
        int n = 8;
        Matrix x = TestData.gaussian(n, 2, 1, 4);
        Matrix y = TestData.gaussian(n, 1, 1, 5);
        for (int i = 0; i < n; i++) {
            y.set(i, 0, y.get(i, 0) + x.get(i, 0) * x.get(i, 1));
        }
        Kernel kx = KernelSpec.parse("rbf(gamma=0.4)");
        Kernel ky = KernelSpec.parse("3*matern(nu=1.5, length=0.8)");
        double[][] k = new double[n][n];
        double[][] l = new double[n][n];
        double sumK = 0;
        double sumL = 0;
        double dot = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k[i][j] = kx.value(x.row(i), x.row(j));
                l[i][j] = ky.value(y.row(i), y.row(j));
                sumK += k[i][j];
                sumL += l[i][j];
                dot += k[i][j] * l[i][j];
            }
        }
        double rowProducts = 0;
        for (int i = 0; i < n; i++) {
            double rk = 0;
            double rl = 0;
            for (int j = 0; j < n; j++) {
                rk += k[i][j];
                rl += l[i][j];
            }
            rowProducts += rk * rl;
        }
        // V-statistic form of HSIC_b (Gretton et al. 2005, eq. 4)
        double biased = dot / (n * n) + sumK * sumL / Math.pow(n, 4) - 2 * rowProducts / Math.pow(n, 3);
        // U-statistic over ordered 4-tuples of distinct indices
        double u = 0;
        int tuples = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int q = 0; q < n; q++) {
                    for (int r = 0; r < n; r++) {
                        if (i == j || i == q || i == r || j == q || j == r || q == r) {
                            continue;
                        }
                        u += k[i][j] * l[i][j] + k[i][j] * l[q][r] - 2 * k[i][j] * l[i][q];
                        tuples++;
                    }
                }
            }
        }
        Hsic.Result res = Hsic.builder(kx, ky).permutations(20).build().test(x, y);
        assertEquals(biased, res.biased(), 1e-12);
        assertEquals(u / tuples, res.unbiased(), 1e-12);
        assertEquals(n, res.n());
        assertEquals(kx, res.kernelX());
        assertEquals(ky, res.kernelY());
    }

    /** Rejection rate at 5% under the null, 200 replications: within 3 binomial standard errors of 5%. */
    @Test
    void pValuesAreUniformUnderTheNull() {
        int reps = 200;
        double se = Math.sqrt(0.05 * 0.95 / reps);
        double[][] p = new double[4][reps];
        for (int s = 0; s < reps; s++) {
            Matrix a = TestData.gaussian(20, 2, 1, 1000 + s);
            Matrix b = TestData.gaussian(20, 2, 1, 5000 + s);
            p[0][s] = Mmd.builder(RBF).permutations(99).seed(s).build().test(a, b).pValue();
            Matrix c = TestData.gaussian(50, 2, 1, 9000 + s);
            Matrix e = TestData.gaussian(50, 2, 1, 13000 + s);
            p[1][s] = Mmd.builder().nullDistribution(NullDistribution.GAMMA).build().test(c, e).pValue();
            p[2][s] = Hsic.builder(RBF, RBF).permutations(99).seed(s).build().test(a, b.rowRange(0, 20)).pValue();
            p[3][s] = Hsic.builder().nullDistribution(NullDistribution.GAMMA).build().test(c, e).pValue();
        }
        String[] names = {"mmd permutation", "mmd gamma", "hsic permutation", "hsic gamma"};
        for (int t = 0; t < 4; t++) {
            double rejected = 0;
            double below = 0;
            for (double v : p[t]) {
                assertTrue(v > 0 && v <= 1, names[t] + " p " + v);
                rejected += v <= 0.05 ? 1 : 0;
                below += v <= 0.5 ? 1 : 0;
            }
            assertEquals(0.05, rejected / reps, 3 * se, names[t] + " rejection rate at 5%");
            assertEquals(0.5, below / reps, 3 * Math.sqrt(0.25 / reps) + 0.01, names[t] + " fraction of p <= 0.5");
        }
    }

    @Test
    void bothTestsHavePowerAgainstAlternatives() {
        int reps = 20;
        int[] rejected = new int[4];
        for (int s = 0; s < reps; s++) {
            Matrix a = TestData.gaussian(40, 2, 1, 100 + s);
            Matrix b = shifted(TestData.gaussian(40, 2, 1, 200 + s), 0.8);
            rejected[0] += Mmd.builder().permutations(199).seed(s).build().test(a, b).pValue() <= 0.05 ? 1 : 0;
            rejected[1] += Mmd.builder().nullDistribution(NullDistribution.GAMMA).build().test(a, b).pValue() <= 0.05
                    ? 1 : 0;
            // y = x₁² + noise: uncorrelated with x but dependent
            Matrix y = TestData.gaussian(40, 1, 0.3, 300 + s);
            for (int i = 0; i < 40; i++) {
                y.set(i, 0, y.get(i, 0) + a.get(i, 0) * a.get(i, 0));
            }
            rejected[2] += Hsic.builder().permutations(199).seed(s).build().test(a, y).pValue() <= 0.05 ? 1 : 0;
            rejected[3] += Hsic.builder().nullDistribution(NullDistribution.GAMMA).build().test(a, y).pValue() <= 0.05
                    ? 1 : 0;
        }
        for (int t = 0; t < 4; t++) {
            assertTrue(rejected[t] >= 18, "test " + t + " rejected only " + rejected[t] + " of " + reps);
        }
    }

    @Test
    void badInputGetsOneClearMessage() {
        Matrix x = TestData.gaussian(10, 2, 1, 1);
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> Mmd.builder().build().test(x, TestData.gaussian(10, 3, 1, 2)));
        assertTrue(e.getMessage().contains("2 columns, the second 3"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> Mmd.builder().build().test(x, x.rowRange(0, 1)));
        assertTrue(e.getMessage().contains("at least 2 rows, got 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> Mmd.builder().nullDistribution(NullDistribution.GAMMA).build()
                .test(x, x.rowRange(0, 7)));
        assertTrue(e.getMessage().contains("equal size, got 10 and 7"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> Mmd.builder().permutations(0).build());
        assertTrue(e.getMessage().contains("permutations must be >= 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> Hsic.builder().build().test(x, x.rowRange(0, 9)));
        assertTrue(e.getMessage().contains("x has 10 rows but y has 9"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> Hsic.builder().build().test(x.rowRange(0, 3),
                x.rowRange(0, 3)));
        assertTrue(e.getMessage().contains("at least 4 rows"), e.getMessage());
        Matrix bad = x.copy();
        bad.set(4, 1, Double.NaN);
        assertThrows(Kernels4jException.class, () -> Hsic.builder().build().test(bad, x));
        e = assertThrows(Kernels4jException.class, () -> Mmd.builder(RBF).nullDistribution(NullDistribution.GAMMA)
                .build().test(new Matrix(5, 1), new Matrix(5, 1)));
        assertTrue(e.getMessage().contains("degenerate"), e.getMessage());
        assertEquals(NullDistribution.GAMMA, NullDistribution.parse("Gamma"));
        assertThrows(Kernels4jException.class, () -> NullDistribution.parse("bootstrap"));
    }

    @Test
    void sameSeedSameResultAndLargerShiftsSmallerPValues() {
        Matrix a = TestData.gaussian(15, 2, 1, 7);
        Matrix b = shifted(TestData.gaussian(15, 2, 1, 8), 0.3);
        Mmd t = Mmd.builder(RBF).permutations(300).seed(5).build();
        assertEquals(t.test(a, b), t.test(a, b));
        double small = Mmd.builder(RBF).permutations(300).seed(5).build().test(a, shifted(b, 1.5)).pValue();
        assertTrue(small < t.test(a, b).pValue(), small + " vs " + t.test(a, b).pValue());
    }
}
