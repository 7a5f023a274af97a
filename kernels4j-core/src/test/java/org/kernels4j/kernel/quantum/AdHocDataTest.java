package org.kernels4j.kernel.quantum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

class AdHocDataTest {

    /** Dense complex matrices as {re, im} row-major, written out here independently of the library. */
    private static double[][] mul(double[][] a, double[][] b, int dim) {
        double[] re = new double[dim * dim];
        double[] im = new double[dim * dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                for (int k = 0; k < dim; k++) {
                    double ar = a[0][i * dim + k];
                    double ai = a[1][i * dim + k];
                    double br = b[0][k * dim + j];
                    double bi = b[1][k * dim + j];
                    re[i * dim + j] += ar * br - ai * bi;
                    im[i * dim + j] += ar * bi + ai * br;
                }
            }
        }
        return new double[][] {re, im};
    }

    private static double[][] adjoint(double[][] a, int dim) {
        double[] re = new double[dim * dim];
        double[] im = new double[dim * dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                re[j * dim + i] = a[0][i * dim + j];
                im[j * dim + i] = -a[1][i * dim + j];
            }
        }
        return new double[][] {re, im};
    }

    private static double[][] apply(double[][] a, double[][] v, int dim) {
        double[] re = new double[dim];
        double[] im = new double[dim];
        for (int i = 0; i < dim; i++) {
            for (int k = 0; k < dim; k++) {
                re[i] += a[0][i * dim + k] * v[0][k] - a[1][i * dim + k] * v[1][k];
                im[i] += a[0][i * dim + k] * v[1][k] + a[1][i * dim + k] * v[0][k];
            }
        }
        return new double[][] {re, im};
    }

    /**
     * ad_hoc.py's route with dense matrices: psi = U H U psi0, U = diag(exp(-i theta)) (Qiskit's circuit
     * sign), H = H^{⊗n} as an explicit matrix, then <psi| V† D V |psi> with the observable formed densely.
     */
    private static double directExpectation(double[] x, double[][] v, int n) {
        int dim = 1 << n;
        double[][] h = {new double[dim * dim], new double[dim * dim]};
        for (int r = 0; r < dim; r++) {
            for (int c = 0; c < dim; c++) {
                h[0][r * dim + c] = (Integer.bitCount(r & c) % 2 == 0 ? 1 : -1) / Math.sqrt(dim);
            }
        }
        double[][] u = {new double[dim * dim], new double[dim * dim]};
        double[][] d = {new double[dim * dim], new double[dim * dim]};
        for (int b = 0; b < dim; b++) {
            double theta = 0;
            for (int i = 0; i < n; i++) {
                double zi = ((b >> i) & 1) == 0 ? 1 : -1;
                theta += x[i] * zi;
                for (int j = i + 1; j < n; j++) {
                    double zj = ((b >> j) & 1) == 0 ? 1 : -1;
                    theta += (Math.PI - x[i]) * (Math.PI - x[j]) * zi * zj;
                }
            }
            u[0][b * dim + b] = Math.cos(theta);
            u[1][b * dim + b] = -Math.sin(theta);
            int ones = 0;
            for (int i = 0; i < n; i++) {
                ones += (b >> i) & 1;
            }
            d[0][b * dim + b] = n == 2 ? (ones % 2 == 0 ? 1 : -1) : (ones > 1 ? -1 : 1);
        }
        double[][] psi0 = {new double[dim], new double[dim]};
        java.util.Arrays.fill(psi0[0], 1 / Math.sqrt(dim));
        double[][] psi = apply(u, apply(h, apply(u, psi0, dim), dim), dim);
        double[][] o = mul(adjoint(v, dim), mul(d, v, dim), dim);
        double[][] opsi = apply(o, psi, dim);
        double re = 0;
        double im = 0;
        for (int k = 0; k < dim; k++) {
            re += psi[0][k] * opsi[0][k] + psi[1][k] * opsi[1][k];
            im += psi[0][k] * opsi[1][k] - psi[1][k] * opsi[0][k];
        }
        assertEquals(0, im, 1e-12, "a Hermitian observable has a real expectation");
        return re;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void labelsAreTheSignOfTheDenseExpectationBeyondTheGap(int n) {
        double gap = 0.3;
        AdHocData data = AdHocData.generate(n, gap, 25, 10, 7);
        double[][] v = data.unitary();
        Random rng = new Random(3);
        for (int t = 0; t < 20; t++) {
            double[] x = new double[n];
            for (int k = 0; k < n; k++) {
                x[k] = 2 * Math.PI * rng.nextDouble();
            }
            assertEquals(directExpectation(x, v, n), data.expectation(x), 1e-12);
        }
        Matrix[] xs = {data.trainFeatures(), data.testFeatures()};
        double[][] ys = {data.trainLabels(), data.testLabels()};
        int count = AdHocData.gridSize(n);
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < xs[s].rows(); i++) {
                double[] x = xs[s].row(i);
                for (double f : x) {
                    double k = f * count / (2 * Math.PI);
                    assertEquals(Math.rint(k), k, 1e-9, "a grid point");
                    assertTrue(f >= 0 && f < 2 * Math.PI);
                }
                double m = directExpectation(x, v, n);
                assertTrue(Math.abs(m) > gap, "gap respected: " + m);
                assertEquals(Math.signum(m), ys[s][i], 0.0);
            }
        }
    }

    @Test
    void classCountsSizesAndSeeds() {
        AdHocData a = AdHocData.generate(2, 0.2, 12, 5, 11);
        assertEquals(24, a.trainFeatures().rows());
        assertEquals(2, a.trainFeatures().cols());
        assertEquals(10, a.testFeatures().rows());
        for (double[] y : new double[][] {a.trainLabels(), a.testLabels()}) {
            int plus = 0;
            for (double v : y) {
                assertTrue(v == 1 || v == -1);
                plus += v == 1 ? 1 : 0;
            }
            assertEquals(y.length / 2, plus);
        }
        AdHocData b = AdHocData.generate(2, 0.2, 12, 5, 11);
        assertArrayEquals(a.trainFeatures().data(), b.trainFeatures().data(), 0.0);
        assertArrayEquals(a.testLabels(), b.testLabels(), 0.0);
        AdHocData c = AdHocData.generate(2, 0.2, 12, 5, 12);
        assertFalse(java.util.Arrays.equals(a.trainFeatures().data(), c.trainFeatures().data()));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void theRandomRotationIsUnitary(int n) {
        int dim = 1 << n;
        double[][] v = AdHocData.generate(n, 0, 1, 1, 5).unitary();
        double[][] p = mul(adjoint(v, dim), v, dim);
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                assertEquals(i == j ? 1 : 0, p[0][i * dim + j], 1e-13);
                assertEquals(0, p[1][i * dim + j], 1e-13);
            }
        }
    }

    /*
     * The law of the random unitary. The class documents V as Haar-distributed, built from i.i.d. standard complex
     * Gaussians. Every documented property of the data set (V unitary, labels = sign of m beyond the gap) holds for any
     * unitary, so the law is checked on the private generators themselves (by reflection: a whole data set evaluates
     * its 10 000-point grid, far too slow for thousands of draws), against closed forms of the standard normal and
     * of Haar measure written here. Tolerances are 5 standard errors of the sample moment (a correct generator fails
     * one with probability below 10⁻⁶) and, for the Kolmogorov–Smirnov distances, 2.8/√m (asymptotic tail
     * 2·exp(−2·2.8²) < 10⁻⁶); fixed seeds, so each check is deterministic.
     */

    private static final double KS = 2.8;

    private static Method privateMethod(String name, Class<?>... types) throws ReflectiveOperationException {
        Method m = AdHocData.class.getDeclaredMethod(name, types);
        m.setAccessible(true);
        return m;
    }

    /** Kolmogorov–Smirnov distance of a sample from a distribution function. */
    private static double ksDistance(double[] sample, java.util.function.DoubleUnaryOperator cdf) {
        double[] s = sample.clone();
        Arrays.sort(s);
        double d = 0;
        for (int i = 0; i < s.length; i++) {
            double f = cdf.applyAsDouble(s[i]);
            d = Math.max(d, Math.max((i + 1.0) / s.length - f, f - (double) i / s.length));
        }
        return d;
    }

    @Test
    void theGaussianDrawsAreStandardNormal() throws ReflectiveOperationException {
        Method gaussian = privateMethod("gaussian", SplittableRandom.class);
        SplittableRandom rng = new SplittableRandom(41);
        int m = 200_000;
        double[] x = new double[m];
        double s1 = 0;
        double s2 = 0;
        double s4 = 0;
        for (int i = 0; i < m; i++) {
            x[i] = (double) gaussian.invoke(null, rng);
            s1 += x[i];
            s2 += x[i] * x[i];
            s4 += x[i] * x[i] * x[i] * x[i];
        }
        // N(0, 1): E x = 0 (Var 1), E x² = 1 (Var 2), E x⁴ = 3 (Var E x⁸ − 9 = 105 − 9 = 96)
        assertEquals(0, s1 / m, 5 * Math.sqrt(1.0 / m), "mean");
        assertEquals(1, s2 / m, 5 * Math.sqrt(2.0 / m), "second moment");
        assertEquals(3, s4 / m, 5 * Math.sqrt(96.0 / m), "fourth moment");
        NormalDistribution normal = NormalDistribution.of(0, 1);
        assertTrue(ksDistance(x, normal::cumulativeProbability) < KS / Math.sqrt(m), "Kolmogorov-Smirnov distance");
    }

    /**
     * For Haar V on U(d): |V_rc|² ~ Beta(1, d − 1) for every entry, so E|V_rc|⁴ = 2/(d(d + 1)) and
     * E|V_rc|⁸ = 24/(d(d + 1)(d + 2)(d + 3)); the phase of V_rc is uniform and independent of its modulus, so
     * E V_rc = 0 and E V_rc² = 0 (Var Re V_rc = Var Im V_rc = 1/(2d)); E|tr V|² = 1 and E|tr V|⁴ = 2 for d ≥ 2
     * (Diaconis–Shahshahani). Checked on the first and the last entry of the diagonal (the last column goes through
     * the whole Gram–Schmidt sweep) and on an off-diagonal entry.
     */
    @ParameterizedTest
    @ValueSource(ints = {4, 8})
    void theRandomUnitaryIsHaarDistributed(int d) throws ReflectiveOperationException {
        Method haar = privateMethod("haarUnitary", int.class, SplittableRandom.class);
        SplittableRandom rng = new SplittableRandom(1000 + d);
        int m = 12_000;
        int[][] entries = {{0, 0}, {d - 1, d - 1}, {1, d - 1}};
        double[][] modulus2 = new double[entries.length][m];
        double[][] re = new double[entries.length][m];
        double[][] im = new double[entries.length][m];
        double trace2 = 0;
        for (int t = 0; t < m; t++) {
            double[][] v = (double[][]) haar.invoke(null, d, rng);
            for (int e = 0; e < entries.length; e++) {
                int k = entries[e][0] * d + entries[e][1];
                re[e][t] = v[0][k];
                im[e][t] = v[1][k];
                modulus2[e][t] = v[0][k] * v[0][k] + v[1][k] * v[1][k];
            }
            double tr = 0;
            double ti = 0;
            for (int i = 0; i < d; i++) {
                tr += v[0][i * d + i];
                ti += v[1][i * d + i];
            }
            trace2 += tr * tr + ti * ti;
        }
        double m2 = 2.0 / (d * (d + 1.0));
        double m4 = 24.0 / (d * (d + 1.0) * (d + 2.0) * (d + 3.0));
        for (int e = 0; e < entries.length; e++) {
            String at = "entry " + Arrays.toString(entries[e]) + ", d = " + d;
            double sr = 0;
            double si = 0;
            double sq = 0;
            double cross = 0;
            double sq2 = 0;
            for (int t = 0; t < m; t++) {
                sr += re[e][t];
                si += im[e][t];
                sq += re[e][t] * re[e][t] - im[e][t] * im[e][t];
                cross += re[e][t] * im[e][t];
                sq2 += modulus2[e][t] * modulus2[e][t];
            }
            double sdPart = Math.sqrt(1.0 / (2 * d) / m);
            assertEquals(0, sr / m, 5 * sdPart, "E Re V " + at);
            assertEquals(0, si / m, 5 * sdPart, "E Im V " + at);
            // Re V² − Im V² = |V|²·cos 2φ and Re V·Im V = |V|²·sin(2φ)/2: variances m2/2 and m2/8
            assertEquals(0, sq / m, 5 * Math.sqrt(m2 / 2 / m), "E Re V^2 " + at);
            assertEquals(0, cross / m, 5 * Math.sqrt(m2 / 8 / m), "E Re V Im V " + at);
            assertEquals(m2, sq2 / m, 5 * Math.sqrt((m4 - m2 * m2) / m), "E |V|^4 " + at);
            assertTrue(ksDistance(modulus2[e], u -> 1 - Math.pow(1 - Math.min(1, Math.max(0, u)), d - 1))
                    < KS / Math.sqrt(m), "|V|^2 against Beta(1, d - 1), " + at);
        }
        assertEquals(1, trace2 / m, 5 * Math.sqrt(1.0 / m), "E |tr V|^2, d = " + d);
    }

    @Test
    void badInputIsRefusedClearly() {
        assertMessage("2 or 3 qubits", () -> AdHocData.generate(4, 0.3, 5, 5, 1));
        assertMessage("gap must be in [0, 1)", () -> AdHocData.generate(2, 1.0, 5, 5, 1));
        assertMessage("gap must be in [0, 1)", () -> AdHocData.generate(2, Double.NaN, 5, 5, 1));
        assertMessage("at least 1 per class", () -> AdHocData.generate(2, 0.3, 0, 5, 1));
        assertMessage("no grid point", () -> AdHocData.generate(2, 0.999999, 5, 5, 1));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        Kernels4jException e = assertThrows(Kernels4jException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
