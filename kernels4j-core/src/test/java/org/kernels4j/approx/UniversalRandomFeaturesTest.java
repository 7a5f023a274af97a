package org.kernels4j.approx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.linalg.Matrix;

/**
 * {@link UniversalRandomFeatures}: the unbiasedness E[Φ(x)ᵀΨ(w,b)] = f(wᵀx + b) by Monte Carlo over
 * m = 40000 features, tolerance 4.5 standard errors of the mean of the m per-feature products
 * m·Φ_jΨ_j, against f written here (and the arc-cosine closed form for RELU); and the bundled
 * closed form against a least-squares solve of the stacked system [Φ; √λ I]Θ = [Y; 0] by modified
 * Gram–Schmidt QR written here.
 */
class UniversalRandomFeaturesTest {

    private static double reference(UniversalRandomFeatures.Layer layer, double[] x, double[] w, double b) {
        double z = b;
        double xx = 1;
        double ww = b * b;
        for (int k = 0; k < x.length; k++) {
            z += x[k] * w[k];
            xx += x[k] * x[k];
            ww += w[k] * w[k];
        }
        switch (layer) {
            case EXP:
                return Math.exp(z);
            case COS:
                return Math.cos(z);
            case SIN:
                return Math.sin(z);
            case GAUSSIAN:
                return Math.exp(-z * z / 2);
            default: // arc-cosine order 1 (Cho & Saul): (1/π)|x||w|(sin t + (π − t) cos t)
                double t = Math.acos(z / Math.sqrt(xx * ww));
                return Math.sqrt(xx * ww) / Math.PI * (Math.sin(t) + (Math.PI - t) * Math.cos(t));
        }
    }

    @Test
    void featuresAreUnbiasedForTheLayer() {
        Matrix x = TestData.gaussian(2, 3, 0.4, 61);
        Matrix w = TestData.gaussian(2, 3, 0.5, 62);
        double[] b = {0.3, -0.7};
        int m = 40_000;
        for (UniversalRandomFeatures.Layer layer : UniversalRandomFeatures.Layer.values()) {
            UniversalRandomFeatures urf = UniversalRandomFeatures.of(layer, 3, m, 1.0, 7);
            Matrix phi = urf.inputFeatures(x);
            Matrix psi = urf.weightFeatures(w, b);
            Matrix approx = urf.approximateLayer(x, w, b);
            Matrix exact = urf.exactLayer(x, w, b);
            for (int i = 0; i < 2; i++) {
                for (int u = 0; u < 2; u++) {
                    double sum = 0;
                    double sum2 = 0;
                    for (int j = 0; j < m; j++) {
                        double p = m * phi.get(i, j) * psi.get(u, j);
                        sum += p;
                        sum2 += p * p;
                    }
                    double mean = sum / m;
                    double se = Math.sqrt((sum2 / m - mean * mean) / (m - 1));
                    double f = reference(layer, x.row(i), w.row(u), b[u]);
                    assertEquals(f, exact.get(i, u), 1e-12, layer + " exact layer");
                    assertEquals(mean, approx.get(i, u), 1e-9 * Math.max(1, Math.abs(mean)));
                    assertTrue(Math.abs(mean - f) < 4.5 * se, layer + ": " + mean + " +/- " + se + " vs " + f);
                }
            }
        }
    }

    /** argmin ‖AΘ − B‖ by modified Gram–Schmidt QR (A of full column rank). */
    private static Matrix leastSquares(Matrix a, Matrix b) {
        int n = a.rows();
        int m = a.cols();
        double[][] q = new double[m][n];
        double[][] r = new double[m][m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < n; i++) {
                q[j][i] = a.get(i, j);
            }
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += q[p][i] * q[j][i];
                }
                r[p][j] = dot;
                for (int i = 0; i < n; i++) {
                    q[j][i] -= dot * q[p][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q[j][i] * q[j][i];
            }
            r[j][j] = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[j][i] /= r[j][j];
            }
        }
        Matrix theta = new Matrix(m, b.cols());
        for (int c = 0; c < b.cols(); c++) {
            double[] qtb = new double[m];
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < n; i++) {
                    qtb[j] += q[j][i] * b.get(i, c);
                }
            }
            for (int j = m - 1; j >= 0; j--) {
                double s = qtb[j];
                for (int p = j + 1; p < m; p++) {
                    s -= r[j][p] * theta.get(p, c);
                }
                theta.set(j, c, s / r[j][j]);
            }
        }
        return theta;
    }

    @Test
    void bundledClosedFormEqualsLeastSquares() {
        Matrix x = TestData.gaussian(60, 4, 0.5, 63);
        Matrix y = TestData.gaussian(60, 2, 1, 64);
        for (UniversalRandomFeatures.Layer layer : new UniversalRandomFeatures.Layer[] {
            UniversalRandomFeatures.Layer.COS, UniversalRandomFeatures.Layer.RELU}) {
            UniversalRandomFeatures urf = UniversalRandomFeatures.of(layer, 4, 12, 0.8, 3);
            // λ = 0 only for COS: a ReLU feature can be zero on every row, and ΦᵀΦ singular
            for (double lambda : new double[] {layer == UniversalRandomFeatures.Layer.COS ? 0 : 1e-3, 0.3}) {
                Matrix phi = urf.inputFeatures(x);
                Matrix stacked = new Matrix(60 + 12, 12);
                Matrix rhs = new Matrix(60 + 12, 2);
                for (int i = 0; i < 60; i++) {
                    for (int j = 0; j < 12; j++) {
                        stacked.set(i, j, phi.get(i, j));
                    }
                    rhs.set(i, 0, y.get(i, 0));
                    rhs.set(i, 1, y.get(i, 1));
                }
                for (int j = 0; j < 12; j++) {
                    stacked.set(60 + j, j, Math.sqrt(lambda));
                }
                Matrix expect = leastSquares(stacked, rhs);
                Matrix theta = urf.fitBundled(x, y, lambda);
                assertTrue(theta.maxAbsDifference(expect) < 1e-8 * Math.max(1, maxAbs(expect)),
                        layer + " lambda " + lambda + ": " + theta.maxAbsDifference(expect));
                Matrix pred = urf.predictBundled(x.rowRange(0, 3), theta);
                for (int i = 0; i < 3; i++) {
                    double s = 0;
                    for (int j = 0; j < 12; j++) {
                        s += phi.get(i, j) * theta.get(j, 1);
                    }
                    assertEquals(s, pred.get(i, 1), 1e-12);
                }
            }
        }
        UniversalRandomFeatures urf = UniversalRandomFeatures.of(UniversalRandomFeatures.Layer.EXP, 4, 12, 1, 3);
        assertThrows(Kernels4jException.class, () -> urf.fitBundled(x, y.rowRange(0, 5), 0.1));
        assertThrows(Kernels4jException.class, () -> urf.weightFeatures(new Matrix(2, 4), new double[3]));
        assertThrows(Kernels4jException.class, () -> UniversalRandomFeatures.of(UniversalRandomFeatures.Layer.EXP, 4, 0,
                1, 3));
        assertThrows(Kernels4jException.class, () -> UniversalRandomFeatures.Layer.parse("tanh"));
    }

    private static double maxAbs(Matrix m) {
        double s = 0;
        for (double v : m.data()) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }
}
