package org.kernels4j.thinning;

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

/** MMD against double loops, and the Gaussian closed form against quadrature and Monte Carlo. */
class MmdTest {

    /** MMD² of Σ w_r δ_{x_{i_r}} to the uniform distribution on x, straight from the definition. */
    static double bruteForceSquared(Kernel k, Matrix x, int[] idx, double[] w) {
        int n = x.rows();
        double a = 0;
        for (int r = 0; r < idx.length; r++) {
            for (int q = 0; q < idx.length; q++) {
                a += w[r] * w[q] * k.value(x.row(idx[r]), x.row(idx[q]));
            }
        }
        double b = 0;
        for (int r = 0; r < idx.length; r++) {
            for (int i = 0; i < n; i++) {
                b += w[r] * k.value(x.row(idx[r]), x.row(i)) / n;
            }
        }
        double c = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c += k.value(x.row(i), x.row(j));
            }
        }
        return a - 2 * b + c / ((double) n * n);
    }

    @Test
    void rowMeansOverSymmetricTilesMatchTheDoubleLoop() {
        // 600 rows: three row tiles of 256, the last one ragged, so the mirrored off-diagonal sums are exercised
        Matrix x = TestData.gaussian(600, 2, 1, 8);
        Kernel k = KernelSpec.parse("matern(nu=2.5, length=0.9)");
        double[] means = Mmd.rowMeans(k, x);
        for (int i : new int[] {0, 1, 255, 256, 300, 511, 512, 599}) {
            double s = 0;
            for (int j = 0; j < 600; j++) {
                s += k.value(x.row(i), x.row(j));
            }
            assertEquals(s / 600, means[i], 1e-12, "row " + i);
        }
    }

    @Test
    void sampleMmdMatchesTheDoubleLoopForWeightedAndUniformCoresets() {
        Matrix x = TestData.gaussian(70, 3, 1, 5);
        for (String spec : new String[] {"rbf(gamma=0.4)", "laplacian(gamma=0.7)", "matern(nu=1.5, length=0.8)",
            "2*rbf(length=[0.5, 1, 2])"}) {
            Kernel k = KernelSpec.parse(spec);
            int[] idx = {3, 17, 17, 40, 69, 0};
            double[] w = {0.1, 0.2, 0.05, 0.3, 0.25, 0.1};
            Coreset weighted = new Coreset(idx, w, Double.NaN, "test");
            // tiled Gram values (GEMM distances) differ from the pairwise formula by ~1e-11 for laplacian
            assertEquals(bruteForceSquared(k, x, idx, w), Mmd.squared(k, x, weighted), 1e-9, spec);
            double[] u = new double[idx.length];
            java.util.Arrays.fill(u, 1.0 / idx.length);
            Coreset uniform = new Coreset(idx, null, Double.NaN, "test");
            assertEquals(bruteForceSquared(k, x, idx, u), Mmd.sample(k, x).squared(uniform), 1e-9, spec);
            assertEquals(Math.sqrt(bruteForceSquared(k, x, idx, u)), Mmd.of(k, x, uniform), 1e-9, spec);
        }
        // every row once: the coreset is the sample, MMD 0 up to round-off
        int[] all = new int[70];
        for (int i = 0; i < 70; i++) {
            all[i] = i;
        }
        assertEquals(0, Mmd.squared(KernelSpec.parse("rbf(gamma=0.4)"), x, new Coreset(all, null, Double.NaN, "all")),
                1e-13);
    }

    /** E k(z, Y) for Y ~ N(m, s²) in one dimension by the trapezoid rule on ±12 sd. */
    private static double quadrature(double gamma, double z, double m, double s) {
        return quadrature(gamma, z, m, s, 20_000);
    }

    private static double quadrature(double gamma, double z, double m, double s, int steps) {
        double lo = m - 12 * s;
        double h = 24 * s / steps;
        double sum = 0;
        for (int t = 0; t <= steps; t++) {
            double y = lo + t * h;
            double f = Math.exp(-gamma * (z - y) * (z - y)) * Math.exp(-0.5 * (y - m) * (y - m) / (s * s))
                    / (s * Math.sqrt(2 * Math.PI));
            sum += (t == 0 || t == steps ? 0.5 : 1) * f;
        }
        return sum * h;
    }

    @Test
    void gaussianClosedFormMatchesQuadratureInOneDimension() {
        double gamma = 0.7;
        double m = 0.3;
        double s = 1.4;
        Mmd.GaussianTarget t = Mmd.gaussianTarget(KernelSpec.parse("rbf(gamma=0.7)"), new double[] {m},
                Matrix.of(new double[][] {{s * s}}));
        for (double z : new double[] {-2, 0, 0.3, 1.7, 5}) {
            assertEquals(quadrature(gamma, z, m, s), t.meanEmbedding(new double[] {z}), 1e-10, "z = " + z);
        }
        // E k(Y, Y') = ∫ p(y) E k(y, Y') dy, again by quadrature (outer trapezoid over ±12 sd)
        int steps = 4000;
        double lo = m - 12 * s;
        double h = 24 * s / steps;
        double outer = 0;
        for (int q = 0; q <= steps; q++) {
            double y = lo + q * h;
            double p = Math.exp(-0.5 * (y - m) * (y - m) / (s * s)) / (s * Math.sqrt(2 * Math.PI));
            outer += (q == 0 || q == steps ? 0.5 : 1) * p * quadrature(gamma, y, m, s, 2000);
        }
        assertEquals(outer * h, t.selfTerm(), 1e-8);
        // a three-point weighted coreset: the MMD² from the definition with quadrature terms
        double[] zs = {-0.5, 0.2, 1.9};
        double[] w = {0.2, 0.5, 0.3};
        double expected = outer * h;
        for (int r = 0; r < 3; r++) {
            expected -= 2 * w[r] * quadrature(gamma, zs[r], m, s);
            for (int q = 0; q < 3; q++) {
                expected += w[r] * w[q] * Math.exp(-gamma * (zs[r] - zs[q]) * (zs[r] - zs[q]));
            }
        }
        Matrix pts = Matrix.of(new double[][] {{zs[0]}, {zs[1]}, {zs[2]}});
        assertEquals(expected, t.squared(pts, w), 1e-8);
    }

    @Test
    void gaussianClosedFormMatchesMonteCarloWithACorrelatedCovarianceAndAScaledKernel() {
        // Σ = L Lᵀ with L = [[1, 0], [0.6, 0.5]]; kernel 1.5·exp(-0.3‖x − y‖²); mean (0.4, -1)
        double[][] l = {{1, 0}, {0.6, 0.5}};
        Matrix cov = Matrix.of(new double[][] {{1, 0.6}, {0.6, 0.61}});
        double[] mean = {0.4, -1};
        Kernel k = KernelSpec.parse("1.5*rbf(gamma=0.3)");
        Mmd.GaussianTarget t = Mmd.gaussianTarget(k, mean, cov);
        Random r = new Random(11);
        int draws = 200_000;
        double[] z = {1.1, -0.2};
        double sum = 0;
        double sumSq = 0;
        double self = 0;
        double selfSq = 0;
        for (int i = 0; i < draws; i++) {
            double[] y = draw(r, l, mean);
            double[] y2 = draw(r, l, mean);
            double v = k.value(z, y);
            sum += v;
            sumSq += v * v;
            double u = k.value(y, y2);
            self += u;
            selfSq += u * u;
        }
        double mc = sum / draws;
        double se = Math.sqrt((sumSq / draws - mc * mc) / draws);
        assertEquals(mc, t.meanEmbedding(z), 5 * se, "E k(z, Y): 5 standard errors");
        double mcSelf = self / draws;
        double seSelf = Math.sqrt((selfSq / draws - mcSelf * mcSelf) / draws);
        assertEquals(mcSelf, t.selfTerm(), 5 * seSelf, "E k(Y, Y'): 5 standard errors");
    }

    private static double[] draw(Random r, double[][] l, double[] mean) {
        double a = r.nextGaussian();
        double b = r.nextGaussian();
        return new double[] {mean[0] + l[0][0] * a, mean[1] + l[1][0] * a + l[1][1] * b};
    }

    @Test
    void gaussianTargetRefusesOtherKernelsAndBadCovariances() {
        Matrix id = Matrix.identity(2);
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> Mmd.gaussianTarget(KernelSpec.parse("laplacian(gamma=1)"), new double[2], id));
        assertTrue(e.getMessage().contains("isotropic Gaussian kernel"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> Mmd.gaussianTarget(KernelSpec.parse("rbf(gamma=1)"), new double[3], id));
        assertTrue(e.getMessage().contains("mean has 3 entries"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> Mmd.gaussianTarget(KernelSpec.parse("rbf(gamma=1)"),
                new double[2], Matrix.of(new double[][] {{1, 2}, {2, 1}})));
        assertTrue(e.getMessage().contains("not positive semi-definite"), e.getMessage());
    }
}
