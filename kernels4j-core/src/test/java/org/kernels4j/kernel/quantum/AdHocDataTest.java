package org.kernels4j.kernel.quantum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
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
