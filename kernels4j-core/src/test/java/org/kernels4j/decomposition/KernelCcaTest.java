package org.kernels4j.decomposition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/** Kernel CCA against classical CCA (linear kernel) and against its generalised eigenproblem by direct products. */
class KernelCcaTest {

    private static Matrix views(int n, long seed, Matrix y) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, 2);
        for (int i = 0; i < n; i++) {
            double z1 = r.nextGaussian();
            double z2 = r.nextGaussian();
            x.set(i, 0, z1 + 0.5 * r.nextGaussian());
            x.set(i, 1, z2 + r.nextGaussian());
            y.set(i, 0, z1 + 0.3 * z2 + 0.7 * r.nextGaussian());
            y.set(i, 1, z2 - 0.6 * r.nextGaussian() + 0.2 * x.get(i, 0));
        }
        return x;
    }

    /** Centred Gram matrix by direct evaluation and centring formulas. */
    private static Matrix centredGram(Kernel k, Matrix x, boolean center) {
        int n = x.rows();
        Matrix g = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g.set(i, j, k.value(x.row(i), x.row(j)));
            }
        }
        if (!center) {
            return g;
        }
        Matrix h = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h.set(i, j, (i == j ? 1 : 0) - 1.0 / n);
            }
        }
        return TestData.naiveProduct(TestData.naiveProduct(h, g), h);
    }

    @Test
    void linearKernelGivesClassicalCanonicalCorrelations() {
        int n = 60;
        Matrix y = new Matrix(n, 2);
        Matrix x = views(n, 1, y);
        KernelCcaModel m = KernelCca.builder(KernelSpec.parse("linear()")).kappa(1e-9).components(2).build().fit(x, y);
        // classical CCA: ρ² are the eigenvalues of Sxx⁻¹·Sxy·Syy⁻¹·Syx (2×2, by trace and determinant)
        double[][] s = new double[4][4];
        double[] mean = new double[4];
        for (int i = 0; i < n; i++) {
            double[] v = {x.get(i, 0), x.get(i, 1), y.get(i, 0), y.get(i, 1)};
            for (int a = 0; a < 4; a++) {
                mean[a] += v[a] / n;
            }
        }
        for (int i = 0; i < n; i++) {
            double[] v = {x.get(i, 0) - mean[0], x.get(i, 1) - mean[1], y.get(i, 0) - mean[2], y.get(i, 1) - mean[3]};
            for (int a = 0; a < 4; a++) {
                for (int b = 0; b < 4; b++) {
                    s[a][b] += v[a] * v[b];
                }
            }
        }
        double[][] sxxInv = inv2(s[0][0], s[0][1], s[1][1]);
        double[][] syyInv = inv2(s[2][2], s[2][3], s[3][3]);
        double[][] sxy = {{s[0][2], s[0][3]}, {s[1][2], s[1][3]}};
        double[][] syx = {{s[2][0], s[2][1]}, {s[3][0], s[3][1]}};
        double[][] mm = mul(mul(sxxInv, sxy), mul(syyInv, syx));
        double tr = mm[0][0] + mm[1][1];
        double det = mm[0][0] * mm[1][1] - mm[0][1] * mm[1][0];
        double disc = Math.sqrt(tr * tr / 4 - det);
        double rho1 = Math.sqrt(tr / 2 + disc);
        double rho2 = Math.sqrt(tr / 2 - disc);
        double[] got = m.correlations();
        assertEquals(rho1, got[0], 1e-6);
        assertEquals(rho2, got[1], 1e-6);
        assertTrue(rho1 > 0.5 && rho2 < rho1);
        // the first canonical variates are correlated by ρ_1 (empirically, with centring)
        Matrix f = m.predict(x);
        Matrix g = m.transformSecond(y);
        assertEquals(rho1, Math.abs(correlation(f.column(0), g.column(0))), 1e-6);
    }

    private static double correlation(double[] a, double[] b) {
        double ma = java.util.Arrays.stream(a).average().orElse(0);
        double mb = java.util.Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static double[][] inv2(double a, double b, double d) {
        double det = a * d - b * b;
        return new double[][] {{d / det, -b / det}, {-b / det, a / det}};
    }

    private static double[][] mul(double[][] p, double[][] q) {
        double[][] r = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                r[i][j] = p[i][0] * q[0][j] + p[i][1] * q[1][j];
            }
        }
        return r;
    }

    @Test
    void rbfPairsSolveTheGeneralisedEigenproblem() {
        for (boolean center : new boolean[] {true, false}) {
            int n = 35;
            Matrix y = new Matrix(n, 2);
            Matrix x = views(n, 2, y);
            Kernel kx = KernelSpec.parse("rbf(gamma=0.4)");
            Kernel ky = KernelSpec.parse("laplacian(gamma=0.3)");
            double kappa = 0.5;
            KernelCcaModel m = KernelCca.builder(kx).secondKernel(ky).kappa(kappa).components(3).center(center).build()
                    .fit(x, y);
            Matrix gx = centredGram(kx, x, center);
            Matrix gy = centredGram(ky, y, center);
            Matrix rx = TestData.naiveProduct(gx, gx);
            Matrix ry = TestData.naiveProduct(gy, gy);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    rx.set(i, j, rx.get(i, j) + kappa * gx.get(i, j));
                    ry.set(i, j, ry.get(i, j) + kappa * gy.get(i, j));
                }
            }
            Matrix a = m.firstCoefficients();
            Matrix b = m.secondCoefficients();
            double[] rho = m.correlations();
            Matrix left1 = TestData.naiveProduct(gx, TestData.naiveProduct(gy, b));
            Matrix right1 = TestData.naiveProduct(rx, a);
            Matrix left2 = TestData.naiveProduct(gy, TestData.naiveProduct(gx, a));
            Matrix right2 = TestData.naiveProduct(ry, b);
            double scale = 0;
            for (double v : right1.data()) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int j = 0; j < 3; j++) {
                assertTrue(rho[j] > 0 && rho[j] < 1 && (j == 0 || rho[j] <= rho[j - 1] + 1e-12), "rho " + rho[j]);
                for (int i = 0; i < n; i++) {
                    assertEquals(rho[j] * right1.get(i, j), left1.get(i, j), 1e-7 * scale, center + " x-side " + j);
                    assertEquals(rho[j] * right2.get(i, j), left2.get(i, j), 1e-7 * scale, center + " y-side " + j);
                }
                double na = 0;
                double nb = 0;
                for (int i = 0; i < n; i++) {
                    na += a.get(i, j) * right1.get(i, j);
                    nb += b.get(i, j) * right2.get(i, j);
                }
                assertEquals(1, na, 1e-7, "normalised");
                assertEquals(1, nb, 1e-7, "normalised");
            }
            // the training rows project to K̃α
            Matrix px = TestData.naiveProduct(gx, a);
            Matrix py = TestData.naiveProduct(gy, b);
            assertEquals(0, m.predict(x).maxAbsDifference(px), 1e-7 * (1 + maxAbs(px)));
            assertEquals(0, m.transformSecond(y).maxAbsDifference(py), 1e-7 * (1 + maxAbs(py)));
        }
    }

    private static double maxAbs(Matrix m) {
        double s = 0;
        for (double v : m.data()) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }

    @Test
    void badInputHasClearMessages() {
        Kernel k = KernelSpec.parse("rbf()");
        var e = assertThrows(Kernels4jException.class, () -> KernelCca.builder(k).kappa(0).build());
        assertTrue(e.getMessage().contains("kappa must be a positive"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelCca.builder(k).components(0).build());
        assertTrue(e.getMessage().contains("components must be >= 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelCca.builder(k).build().fit(new Matrix(5, 1), new Matrix(4, 1)));
        assertTrue(e.getMessage().contains("5 rows but the targets have 4"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelCca.builder(k).components(6).build()
                .fit(new Matrix(5, 1), new Matrix(5, 1)));
        assertTrue(e.getMessage().contains("6 components asked for but only 5 rows"), e.getMessage());
    }
}
