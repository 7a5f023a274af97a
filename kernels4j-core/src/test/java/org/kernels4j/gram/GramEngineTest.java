package org.kernels4j.gram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.LinearKernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeMatrix;
import org.kernels4j.linalg.Parallelism;

/**
 * The Gram engine against plain double loops over k(x_i, z_j) written here. Sizes are chosen around
 * the tile size t (256 unless {@code kernels4j.tile} is set): 2t + 37 rows give three tile rows with a
 * ragged last one, so diagonal, off-diagonal and edge tiles all occur.
 *
 * <p>Most checks use a probe "kernel" whose value identifies the pair it was computed for,
 * k(x, z) = 4096·x₀ + z₀ with integer first features: every value is an exact double, so the engine's
 * tile placement, transposition and mirroring are checked for EXACT equality, and a probe that is
 * deliberately not symmetric shows which triangle each entry came from. A real kernel (RBF, isotropic
 * and ARD) is checked against its closed form exp(−γ·Σ(x − z)²) with tolerance 1e-12: the GEMM route
 * ‖x‖² + ‖z‖² − 2⟨x, z⟩ on centred inputs of norm ≈ 3 loses ~1e-15·‖x‖² ≈ 1e-14 in the distance,
 * while a 1 % error in γ moves k by up to 0.01·γs·k ≈ 4e-3.
 */
class GramEngineTest {
    private static final int T = GramEngine.tileSize();

    /**
     * k(x, z) = 4096·x₀ + z₀ (or, when symmetric, x₀·z₀ + x₀ + z₀); two hyperparameters with
     * ∂k/∂log θ_p = (p + 1)·k + 7p; selfValue = −x₀ − 0.5, unlike value(x, x), so the places that
     * must use it are visible.
     */
    static final class Probe implements Kernel {
        final boolean symmetric;

        Probe(boolean symmetric) {
            this.symmetric = symmetric;
        }

        double f(double a, double b) {
            return symmetric ? a * b + a + b : 4096 * a + b;
        }

        static double grad(int p, double v) {
            return (p + 1) * v + 7 * p;
        }

        @Override
        public double value(double[] x, double[] z) {
            return f(x[0], z[0]);
        }

        @Override
        public double selfValue(double[] x) {
            return -x[0] - 0.5;
        }

        @Override
        public void computeBlock(GramBlock block, double[] out) {
            Matrix l = block.leftInputs();
            Matrix r = block.rightInputs();
            for (int i = 0; i < block.rows(); i++) {
                for (int j = 0; j < block.cols(); j++) {
                    out[i * block.cols() + j] = f(l.get(block.rowStart() + i, 0), r.get(block.colStart() + j, 0));
                }
            }
        }

        @Override
        public List<Hyperparameter> hyperparameters() {
            return List.of(Hyperparameter.of("probe.a", 1), Hyperparameter.of("probe.b", 2));
        }

        @Override
        public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
            computeBlock(block, out);
            int len = block.rows() * block.cols();
            for (int p = 0; p < 2; p++) {
                for (int k = 0; k < len; k++) {
                    gradients[p][k] = grad(p, out[k]);
                }
            }
        }

        @Override
        public String toSpec() {
            return "probe";
        }
    }

    /** n×d inputs whose first feature is {@code first + step·i} (an exact integer label), the rest Gaussian. */
    private static Matrix labelled(int n, int d, double first, double step, long seed) {
        Matrix x = TestData.gaussian(n, d, 1, seed);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, first + step * i);
        }
        return x;
    }

    private static double rbf(double gamma, double[] lengths, double[] x, double[] z) {
        double s = 0;
        for (int f = 0; f < x.length; f++) {
            double e = (x[f] - z[f]) / (lengths == null ? 1 : lengths[f]);
            s += e * e;
        }
        return Math.exp(-gamma * s);
    }

    private static double[][] rowsOf(Matrix m) {
        double[][] r = new double[m.rows()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.row(i);
        }
        return r;
    }

    /** Exact equality; the message is built only on failure (these loops check ~10⁵ entries). */
    private static void exact(double want, double got, String what, int i, int j) {
        if (want != got) {
            throw new AssertionError(what + "(" + i + ", " + j + ") = " + got + ", want " + want);
        }
    }

    private static void near(double want, double got, double tol, String what, int i, int j) {
        if (!(Math.abs(want - got) <= tol)) {
            throw new AssertionError(what + "(" + i + ", " + j + ") = " + got + ", want " + want + " ± " + tol);
        }
    }

    @Test
    void symmetricGramPlacesAndMirrorsEveryTileExactly() {
        int n = 2 * T + 37;
        Matrix x = labelled(n, 2, 0, 1, 1);
        Probe probe = new Probe(false);
        Matrix k = GramEngine.gram(probe, x);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                // upper-triangle entries are computed as k(x_i, x_j); the lower ones are their mirror
                exact(i <= j ? probe.f(i, j) : probe.f(j, i), k.get(i, j), "K", i, j);
            }
        }
    }

    @Test
    void symmetricGramIntoNativeMatrixAndProgressCountTiles() {
        int n = T + 3; // two tile rows: three upper tiles, the last 3×3 one on the diagonal
        Matrix x = labelled(n, 1, 5, 1, 2);
        Probe probe = new Probe(false);
        List<long[]> calls = new ArrayList<>();
        try (NativeMatrix out = new NativeMatrix(n, n)) {
            GramEngine.gram(probe, x, out, (done, total, stage) -> {
                synchronized (calls) {
                    calls.add(new long[] {done, total});
                }
            });
            Matrix k = out.toMatrix();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double a = 5 + Math.min(i, j);
                    double b = 5 + Math.max(i, j);
                    exact(probe.f(a, b), k.get(i, j), "K", i, j);
                }
            }
        }
        assertEquals(3, calls.size());
        long maxDone = 0;
        for (long[] c : calls) {
            assertEquals(3, c[1]);
            maxDone = Math.max(maxDone, c[0]);
        }
        assertEquals(3, maxDone);
        Matrix wrong = new Matrix(n, n - 1);
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> GramEngine.gram(probe, x, wrong, org.kernels4j.ProgressListener.NONE));
        assertTrue(e.getMessage().contains("Gram output must be " + n + "x" + n), e.getMessage());
        try (NativeMatrix bad = new NativeMatrix(n - 1, n)) {
            assertThrows(Kernels4jException.class, () -> GramEngine.gram(probe, x, bad, org.kernels4j.ProgressListener.NONE));
        }
    }

    @Test
    void rbfGramAndCrossMatchTheClosedFormForEveryThreadCount() {
        int n = 2 * T + 37;
        Matrix x = TestData.gaussian(n, 3, 1, 3);
        Matrix z = TestData.gaussian(T + 19, 3, 1, 4);
        double[][] xr = rowsOf(x);
        double[][] zr = rowsOf(z);
        double[] lengths = {0.7, 1.3, 2.0};
        Kernel[] kernels = {RbfKernel.withGamma(0.4), RbfKernel.withLengths(lengths)};
        double[] gammas = {0.4, 0.5};
        int saved = Parallelism.threads();
        try {
            // one thread runs every tile on the caller; three split them over the pool (kernel 0 with 1, kernel 1 with 3)
            for (int q = 0; q < kernels.length; q++) {
                Parallelism.setThreads(1 + 2 * q);
                double[] ls = q == 0 ? null : lengths;
                Matrix k = GramEngine.gram(kernels[q], x);
                for (int i = 0; i < n; i++) {
                    exact(1.0, k.get(i, i), "the exact diagonal K", i, i);
                    for (int j = 0; j < n; j++) {
                        near(rbf(gammas[q], ls, xr[i], xr[j]), k.get(i, j), 1e-12, "K", i, j);
                        exact(k.get(j, i), k.get(i, j), "exact symmetry K", i, j);
                    }
                }
                Matrix c = GramEngine.cross(kernels[q], x, z);
                assertEquals(n, c.rows());
                assertEquals(z.rows(), c.cols());
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < z.rows(); j++) {
                        near(rbf(gammas[q], ls, xr[i], zr[j]), c.get(i, j), 1e-12, "K(X, Z)", i, j);
                    }
                }
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void crossPlacesEveryTileAndRejectsBadShapes() {
        Matrix x = labelled(T + 45, 2, 0, 1, 5);
        Matrix z = labelled(2 * T + 1, 2, 1000, -1, 6);
        Probe probe = new Probe(false);
        AtomicLong last = new AtomicLong();
        Matrix out = new Matrix(x.rows(), z.rows());
        GramEngine.cross(probe, x, z, out, (done, total, stage) -> last.accumulateAndGet(done, Math::max));
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < z.rows(); j++) {
                exact(probe.f(i, 1000 - j), out.get(i, j), "K(X, Z)", i, j);
            }
        }
        assertEquals(2 * 3, last.get(), "2 row tiles × 3 column tiles");
        Kernels4jException features = assertThrows(Kernels4jException.class, () -> GramEngine.cross(probe, x, new Matrix(3, 3)));
        assertEquals("inputs have different numbers of features: 2 and 3", features.getMessage());
        assertThrows(Kernels4jException.class, () -> GramEngine.cross(probe, x, z, new Matrix(x.rows(), z.rows() + 1),
                org.kernels4j.ProgressListener.NONE));
        assertThrows(Kernels4jException.class, () -> GramEngine.cross(probe, x, z, new Matrix(x.rows() - 1, z.rows()),
                org.kernels4j.ProgressListener.NONE));
        Matrix bad = x.copy();
        bad.set(3, 1, Double.NaN);
        assertThrows(Kernels4jException.class, () -> GramEngine.cross(probe, bad, z));
        assertThrows(Kernels4jException.class, () -> GramEngine.cross(probe, z, bad));
        assertThrows(Kernels4jException.class, () -> GramEngine.gram(probe, bad));
    }

    @Test
    void crossTimesAndNormalTimesMatchPlainProducts() {
        Matrix x = labelled(T + 45, 2, 0, 1, 8);
        Matrix z = labelled(T + 19, 2, 1, 2, 9);
        Probe probe = new Probe(false);
        int n = x.rows();
        int m = z.rows();
        int c = 3;
        Matrix v = TestData.gaussian(m, c, 1, 10);
        Matrix y = TestData.gaussian(n, c, 1, 11);
        double[][] k = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                k[i][j] = probe.f(i, 1 + 2 * j);
            }
        }
        double[][] kv = new double[n][c];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < c; o++) {
                for (int j = 0; j < m; j++) {
                    kv[i][o] += k[i][j] * v.get(j, o);
                }
                scale = Math.max(scale, Math.abs(kv[i][o]));
            }
        }
        AtomicLong progress = new AtomicLong();
        Matrix got = GramEngine.crossTimes(probe, x, z, v, (done, total, stage) -> progress.incrementAndGet());
        assertEquals(2, progress.get(), "one call per band of t rows");
        // sums of m = 275 terms of size ≤ 1.3e6: rounding ~ m·ε·max ≈ 1e-10 relative to the largest entry
        double tol = 1e-12 * scale * m;
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < c; o++) {
                assertEquals(kv[i][o], got.get(i, o), tol, "K·V " + i + ", " + o);
            }
        }
        Matrix ktkv = GramEngine.crossNormalTimes(probe, x, z, v, null, org.kernels4j.ProgressListener.NONE);
        Matrix kty = GramEngine.crossNormalTimes(probe, x, z, null, y, org.kernels4j.ProgressListener.NONE);
        for (int j = 0; j < m; j++) {
            for (int o = 0; o < c; o++) {
                double a = 0;
                double b = 0;
                double sa = 0;
                double sb = 0;
                for (int i = 0; i < n; i++) {
                    a += k[i][j] * kv[i][o];
                    b += k[i][j] * y.get(i, o);
                    sa += Math.abs(k[i][j] * kv[i][o]);
                    sb += Math.abs(k[i][j] * y.get(i, o));
                }
                assertEquals(a, ktkv.get(j, o), 1e-12 * sa * m, "Kᵀ·K·V " + j + ", " + o);
                assertEquals(b, kty.get(j, o), 1e-12 * sb * n, "Kᵀ·Y " + j + ", " + o);
            }
        }
        assertEquals(m, kty.rows());
        assertEquals(c, kty.cols());
        assertThrows(Kernels4jException.class, () -> GramEngine.crossTimes(probe, x, z, new Matrix(m + 1, 1),
                org.kernels4j.ProgressListener.NONE));
        assertThrows(Kernels4jException.class, () -> GramEngine.crossTimes(probe, x, new Matrix(m, 3), v,
                org.kernels4j.ProgressListener.NONE));
        assertThrows(Kernels4jException.class, () -> GramEngine.crossNormalTimes(probe, x, z, new Matrix(m - 1, 1), null,
                org.kernels4j.ProgressListener.NONE));
        assertThrows(Kernels4jException.class, () -> GramEngine.crossNormalTimes(probe, x, z, null, null,
                org.kernels4j.ProgressListener.NONE));
        assertThrows(Kernels4jException.class, () -> GramEngine.crossNormalTimes(probe, x, z, null, new Matrix(n - 1, 1),
                org.kernels4j.ProgressListener.NONE));
        assertThrows(Kernels4jException.class, () -> GramEngine.crossNormalTimes(probe, x, new Matrix(m, 1), v, null,
                org.kernels4j.ProgressListener.NONE));
        Matrix bad = x.copy();
        bad.set(0, 1, Double.POSITIVE_INFINITY);
        assertThrows(Kernels4jException.class, () -> GramEngine.crossTimes(probe, bad, z, v,
                org.kernels4j.ProgressListener.NONE));
        assertThrows(Kernels4jException.class, () -> GramEngine.crossTimes(probe, x, bad.rowRange(0, m), v,
                org.kernels4j.ProgressListener.NONE));
    }

    @Test
    void crossBandsHandOutEveryColumnOfKzx() {
        Matrix z = labelled(T + 19, 2, 0, 1, 12);
        Matrix x = labelled(2 * T + 5, 2, 2000, 1, 13);
        Probe probe = new Probe(false);
        int m = z.rows();
        int n = x.rows();
        double[][] seen = new double[m][n];
        int[] covered = new int[n];
        GramEngine.crossBands(probe, z, x, (c0, w, band) -> {
            synchronized (seen) {
                assertTrue(w <= T && w > 0);
                for (int r = 0; r < m; r++) {
                    for (int c = 0; c < w; c++) {
                        seen[r][c0 + c] = band[r * w + c];
                    }
                }
                for (int c = 0; c < w; c++) {
                    covered[c0 + c]++;
                }
            }
        });
        for (int j = 0; j < n; j++) {
            assertEquals(1, covered[j], "column " + j + " handed out once");
        }
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                exact(probe.f(r, 2000 + j), seen[r][j], "K(Z, X)", r, j);
            }
        }
        assertThrows(Kernels4jException.class, () -> GramEngine.crossBands(probe, z, new Matrix(3, 1), (c0, w, b) -> { }));
        Matrix bad = z.copy();
        bad.set(1, 1, Double.NaN);
        assertThrows(Kernels4jException.class, () -> GramEngine.crossBands(probe, bad, x, (c0, w, b) -> { }));
        assertThrows(Kernels4jException.class, () -> GramEngine.crossBands(probe, x, bad, (c0, w, b) -> { }));
    }

    @Test
    void gramGradientsAndContractionsMatchPlainLoops() {
        int n = T + 40;
        Matrix x = labelled(n, 2, 0, 1, 14);
        Probe asym = new Probe(false);
        Matrix[] g = GramEngine.gramGradients(asym, x);
        assertEquals(2, g.length);
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    exact(Probe.grad(p, asym.f(Math.min(i, j), Math.max(i, j))), g[p].get(i, j), "∂K/∂θ_" + p, i, j);
                }
            }
        }
        // Σ_ij W_ij ∂K_ij for a symmetric W, with a symmetric probe: a plain double loop
        Probe sym = new Probe(true);
        Matrix a = TestData.gaussian(n, n, 1, 15);
        Matrix w = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w.set(i, j, a.get(i, j) + a.get(j, i));
            }
        }
        double[] c = GramEngine.gradientContractions(sym, x, w);
        for (int p = 0; p < 2; p++) {
            double s = 0;
            double abs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double t = w.get(i, j) * Probe.grad(p, sym.f(i, j));
                    s += t;
                    abs += Math.abs(t);
                }
            }
            // n² = 87 616 terms: rounding ≤ n²·ε·Σ|t| in the worst case, ~1e-12·Σ|t| in practice
            assertEquals(s, c[p], 1e-12 * abs, "contraction " + p);
        }
        assertThrows(Kernels4jException.class, () -> GramEngine.gradientContractions(sym, x, new Matrix(n, n - 1)));
        assertThrows(Kernels4jException.class, () -> GramEngine.gradientContractions(sym, x, new Matrix(n - 1, n)));
        double[] diag = GramEngine.diagonalGradientSums(asym, labelled(2 * T + 9, 1, 3, 1, 16));
        for (int p = 0; p < 2; p++) {
            double s = 0;
            for (int i = 0; i < 2 * T + 9; i++) {
                s += Probe.grad(p, asym.f(3 + i, 3 + i));
            }
            assertEquals(s, diag[p], 1e-15 * Math.abs(s), "Σ_i ∂k(x_i, x_i)/∂log θ_" + p);
        }
        Matrix bad = x.copy();
        bad.set(2, 0, Double.NaN);
        assertThrows(Kernels4jException.class, () -> GramEngine.gramGradients(asym, bad));
        assertThrows(Kernels4jException.class, () -> GramEngine.diagonalGradientSums(asym, bad));
    }

    /**
     * 2t + 5 rows: full off-diagonal tiles (t × t), which the gradient sink must not write past; the test above has
     * only a ragged one.
     */
    @Test
    void gramGradientsWithFullOffDiagonalTilesMatchPlainLoops() {
        int n = 2 * T + 5;
        Matrix x = labelled(n, 2, 0, 1, 21);
        Probe asym = new Probe(false);
        Matrix[] g = GramEngine.gramGradients(asym, x);
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    exact(Probe.grad(p, asym.f(Math.min(i, j), Math.max(i, j))), g[p].get(i, j), "∂K/∂θ_" + p, i, j);
                }
            }
        }
    }

    @Test
    void rbfGramGradientsMatchTheClosedForm() {
        // ∂k/∂log γ = −γ·r²·k for exp(−γr²)
        int n = T + 10;
        Matrix x = TestData.gaussian(n, 2, 1, 17);
        double gamma = 0.6;
        Matrix g = GramEngine.gramGradients(RbfKernel.withGamma(gamma), x)[0];
        double[][] xr = rowsOf(x);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double r2 = (xr[i][0] - xr[j][0]) * (xr[i][0] - xr[j][0]) + (xr[i][1] - xr[j][1]) * (xr[i][1] - xr[j][1]);
                near(-gamma * r2 * Math.exp(-gamma * r2), g.get(i, j), 1e-12, "∂K/∂log γ", i, j);
            }
        }
    }

    @Test
    void crossGradientContractionsMatchPlainLoops() {
        int m = T + 21; // two row tiles of Z
        int n = 2 * T + 7; // three bands of X
        Matrix z = labelled(m, 2, 0, 1, 18);
        Matrix x = labelled(n, 2, 500, 1, 19);
        Probe sym = new Probe(true);
        Random r = new Random(20);
        double[] u = new double[m];
        double[] v = new double[n];
        for (int j = 0; j < m; j++) {
            u[j] = r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        // G_ji = 1e-6·K_ji·u_j + v_i: the weights depend on the band they are given
        GramEngine.BandWeights weights = (c0, w, band, out) -> {
            for (int j = 0; j < m; j++) {
                for (int c = 0; c < w; c++) {
                    out[j * w + c] = 1e-6 * band[j * w + c] * u[j] + v[c0 + c];
                }
            }
        };
        GramEngine.CrossGradient cg = GramEngine.crossGradientContractions(sym, z, x, weights, false);
        assertNull(cg.inputs());
        for (int p = 0; p < 2; p++) {
            double s = 0;
            double abs = 0;
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < n; i++) {
                    double k = sym.f(j, 500 + i);
                    double t = (1e-6 * k * u[j] + v[i]) * Probe.grad(p, k);
                    s += t;
                    abs += Math.abs(t);
                }
            }
            assertEquals(s, cg.hyperparameters()[p], 1e-12 * abs, "hyperparameter contraction " + p);
        }
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> GramEngine.crossGradientContractions(sym, z, x, weights, true));
        assertTrue(e.getMessage().contains("stationary"), e.getMessage());
        assertThrows(Kernels4jException.class,
                () -> GramEngine.crossGradientContractions(sym, z, new Matrix(2, 3), weights, false));
    }

    @Test
    void crossInputGradientsMatchTheRbfClosedForm() {
        // ∂k(z, x)/∂z_f = −2γ·(z_f − x_f)/ℓ_f²·k for k = exp(−γ·Σ((z − x)/ℓ)²), written here
        int m = T + 3;
        int n = T + 30;
        Matrix z = TestData.gaussian(m, 3, 1, 21);
        Matrix x = TestData.gaussian(n, 3, 1, 22);
        double[][] zr = rowsOf(z);
        double[][] xr = rowsOf(x);
        Random r = new Random(23);
        double[][] gw = new double[m][n];
        for (double[] row : gw) {
            for (int i = 0; i < n; i++) {
                row[i] = r.nextGaussian();
            }
        }
        double[] lengths = {0.8, 1.5, 1.1};
        Object[][] cases = {{RbfKernel.withGamma(0.3), 0.3, null, 1.0}, {RbfKernel.withLengths(lengths), 0.5, lengths, 1.0},
            {RbfKernel.withGamma(0.3).scaled(2.5), 0.3, null, 2.5}};
        for (Object[] cs : cases) {
            Kernel kernel = (Kernel) cs[0];
            double gamma = (Double) cs[1];
            double[] ls = (double[]) cs[2];
            double amp = (Double) cs[3];
            GramEngine.CrossGradient cg = GramEngine.crossGradientContractions(kernel, z, x, (c0, w, band, out) -> {
                for (int j = 0; j < m; j++) {
                    for (int c = 0; c < w; c++) {
                        out[j * w + c] = gw[j][c0 + c];
                    }
                }
            }, true);
            Matrix in = cg.inputs();
            assertEquals(m, in.rows());
            assertEquals(3, in.cols());
            for (int j = 0; j < m; j++) {
                double[] s = new double[3];
                double[] abs = new double[3];
                for (int i = 0; i < n; i++) {
                    double k = amp * rbf(gamma, ls, zr[j], xr[i]);
                    for (int f = 0; f < 3; f++) {
                        double l2 = ls == null ? 1 : ls[f] * ls[f];
                        double t = gw[j][i] * -2 * gamma * (zr[j][f] - xr[i][f]) / l2 * k;
                        s[f] += t;
                        abs[f] += Math.abs(t);
                    }
                }
                for (int f = 0; f < 3; f++) {
                    // n = 286 terms: rounding ≤ ~1e-13·Σ|t|; 1e-11·Σ|t| is still far below a 1 % error
                    near(s[f], in.get(j, f), 1e-11 * abs[f] + 1e-13, kernel.toSpec() + " ∂/∂z", j, f);
                }
            }
            // the hyperparameter part for the isotropic RBF: ∂k/∂log γ = −γ·r²·k
            if (ls == null && amp == 1.0) {
                double s = 0;
                double abs = 0;
                for (int j = 0; j < m; j++) {
                    for (int i = 0; i < n; i++) {
                        double k = rbf(gamma, null, zr[j], xr[i]);
                        double t = gw[j][i] * Math.log(k) * k;
                        s += t;
                        abs += Math.abs(t);
                    }
                }
                assertEquals(s, cg.hyperparameters()[0], 1e-11 * abs);
            }
        }
    }

    @Test
    void diagonalUsesSelfValues() {
        Matrix x = labelled(7, 2, 4, 1, 24);
        double[] d = GramEngine.diagonal(new Probe(false), x);
        for (int i = 0; i < 7; i++) {
            assertEquals(-(4 + i) - 0.5, d[i], 0.0);
        }
    }

    @Test
    void kernelRowsFillBatchesAndSelfEntries() {
        Matrix cols = labelled(T + 33, 2, 0, 1, 25);
        Matrix rows = labelled(T + 2, 2, 3000, 1, 26);
        Probe probe = new Probe(false);
        int m = cols.rows();
        int b = rows.rows();
        int[] same = new int[b];
        for (int i = 0; i < b; i++) {
            same[i] = i % 3 == 0 ? -1 : (7 * i) % m; // spread over both column tiles
        }
        // the first and last column of each column tile
        same[1] = 0;
        same[2] = T;
        same[4] = T - 1;
        same[5] = m - 1;
        try (KernelRows kr = new KernelRows(probe, cols)) {
            assertEquals(m, kr.columns());
            double[] flat = new double[b * m + 5];
            flat[b * m + 4] = 42;
            kr.compute(rows, same, flat);
            double[][] split = new double[b][m + 1];
            kr.compute(rows, same, split);
            double[] plain = new double[b * m];
            kr.compute(rows, null, plain);
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < m; j++) {
                    double k = probe.f(3000 + i, j);
                    double want = same[i] == j ? -(3000 + i) - 0.5 : k;
                    exact(want, flat[i * m + j], "flat rows", i, j);
                    exact(want, split[i][j], "split rows", i, j);
                    exact(k, plain[i * m + j], "rows without self entries", i, j);
                }
                assertEquals(0.0, split[i][m], "past the row");
            }
            assertEquals(42.0, flat[b * m + 4], "past the rows");
            double[][] exactRows = new double[b][m];
            kr.compute(rows, same, exactRows);
            assertEquals(-(3000 + 2) - 0.5, exactRows[2][T], 0.0);
            Kernels4jException e = assertThrows(Kernels4jException.class, () -> kr.compute(rows, null, new double[b * m - 1]));
            assertEquals("kernel rows: output holds " + (b * m - 1) + " values, needs " + (b * m), e.getMessage());
            assertThrows(Kernels4jException.class, () -> kr.compute(rows, null, new double[b - 1][m]));
            double[][] shortRow = new double[b][m];
            shortRow[b - 1] = new double[m - 1];
            assertThrows(Kernels4jException.class, () -> kr.compute(rows, null, shortRow));
            assertThrows(Kernels4jException.class, () -> kr.compute(new Matrix(2, 3), null, new double[2 * m]));
        }
        Matrix bad = cols.copy();
        bad.set(0, 0, Double.NaN);
        assertThrows(Kernels4jException.class, () -> new KernelRows(probe, bad));
    }

    @Test
    void linearKernelCrossWithOneFeatureMatchesOuterProduct() {
        // a real kernel through KernelRows' GEMM: ⟨x, z⟩ for d = 1 is x·z
        Matrix x = TestData.gaussian(T + 1, 1, 1, 27);
        Matrix z = TestData.gaussian(5, 1, 1, 28);
        Matrix k = GramEngine.cross(new LinearKernel(), x, z);
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(x.get(i, 0) * z.get(j, 0), k.get(i, j), 1e-15);
            }
        }
        assertArrayEquals(new double[0], GramEngine.diagonal(new LinearKernel(), new Matrix(0, 1)));
    }

    @Test
    void tileSizeIsTheDocumentedDefault() {
        // property kernels4j.tile, default 256, never below 16
        assertEquals(Math.max(16, Integer.getInteger("kernels4j.tile", 256)), GramEngine.tileSize());
    }

    /**
     * The stored-K normal product Kᵀ(K·W) against the two plain products written here (K·W first, then Kᵀ·(KW)),
     * for n = 3·256 + 41 rows (four bands of 256, so four chunks, the last ragged): a chunk left out, counted twice or
     * cut at the wrong row moves entries by a whole row's contribution, far above rounding.
     */
    @Test
    void storedNormalTimesMatchesThePlainProducts() {
        int n = 3 * 256 + 41;
        int m = 23;
        int c = 2;
        Matrix k = TestData.gaussian(n, m, 1, 40);
        Matrix w = TestData.gaussian(m, c, 1, 41);
        double[][] kw = new double[n][c];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < c; o++) {
                for (int j = 0; j < m; j++) {
                    kw[i][o] += k.get(i, j) * w.get(j, o);
                }
            }
        }
        Matrix got = GramEngine.normalTimes(k, w);
        assertEquals(m, got.rows());
        assertEquals(c, got.cols());
        for (int j = 0; j < m; j++) {
            for (int o = 0; o < c; o++) {
                double s = 0;
                double abs = 0;
                for (int i = 0; i < n; i++) {
                    s += k.get(i, j) * kw[i][o];
                    abs += Math.abs(k.get(i, j) * kw[i][o]);
                }
                // n·m products in two rounds: rounding ≤ ~(n + m)·ε·Σ|terms|, bounded here by 1e-12·Σ|terms|
                assertEquals(s, got.get(j, o), 1e-12 * abs, "Kᵀ(KW) " + j + ", " + o);
            }
        }
        String msg = assertThrows(Kernels4jException.class, () -> GramEngine.normalTimes(k, new Matrix(m + 1, c)))
                .getMessage();
        assertTrue(msg.contains(m + " columns") && msg.contains((m + 1) + " rows"), msg);
    }

    /**
     * Weighted diagonal contractions Σ_i w_i·∂k(x_i, x_i)/∂log θ_p against the probe's gradient summed here, with
     * distinct weights over three tile rows (so a weight read at the wrong row, or ignored, changes the sum); null
     * weights equal the unweighted sums, and a weight vector of the wrong length is refused.
     */
    @Test
    void weightedDiagonalGradientContractionsMatchAPlainSum() {
        int n = 2 * T + 9;
        Probe asym = new Probe(false);
        Matrix x = labelled(n, 1, 3, 1, 42);
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = 0.5 + (i % 7) - 0.01 * i;
        }
        double[] got = GramEngine.diagonalGradientContractions(asym, x, weights);
        double[] plain = GramEngine.diagonalGradientContractions(asym, x, null);
        for (int p = 0; p < 2; p++) {
            double s = 0;
            double abs = 0;
            double u = 0;
            for (int i = 0; i < n; i++) {
                double gi = Probe.grad(p, asym.f(3 + i, 3 + i));
                s += weights[i] * gi;
                abs += Math.abs(weights[i] * gi);
                u += gi;
            }
            assertEquals(s, got[p], 1e-14 * abs, "Σ_i w_i ∂k(x_i, x_i)/∂log θ_" + p);
            assertEquals(u, plain[p], 1e-15 * Math.abs(u), "unweighted " + p);
        }
        String msg = assertThrows(Kernels4jException.class,
                () -> GramEngine.diagonalGradientContractions(asym, x, new double[n - 1])).getMessage();
        assertTrue(msg.contains((n - 1) + " weights for " + n + " rows"), msg);
    }

    @Test
    void sizesThatAreExactMultiplesOfTheTileMakeNoEmptyTiles() {
        // n = 2t: exactly two tile rows, so three upper tiles, two bands, 2 × 2 cross tiles — no empty extra one
        int n = 2 * T;
        Matrix x = labelled(n, 1, 0, 1, 40);
        Matrix z = labelled(n, 1, 7, 1, 41);
        Probe probe = new Probe(false);
        AtomicLong gramCalls = new AtomicLong();
        AtomicLong gramTotal = new AtomicLong();
        GramEngine.gram(probe, x, new Matrix(n, n), (done, total, stage) -> {
            gramCalls.incrementAndGet();
            gramTotal.set(total);
        });
        assertEquals(3, gramCalls.get());
        assertEquals(3, gramTotal.get());
        AtomicLong crossTotal = new AtomicLong();
        GramEngine.cross(probe, x, z, new Matrix(n, n), (done, total, stage) -> crossTotal.set(total));
        assertEquals(4, crossTotal.get());
        Matrix v = TestData.gaussian(n, 1, 1, 42);
        AtomicLong timesCalls = new AtomicLong();
        GramEngine.crossTimes(probe, x, z, v, (done, total, stage) -> timesCalls.incrementAndGet());
        assertEquals(2, timesCalls.get());
        AtomicLong normalCalls = new AtomicLong();
        GramEngine.crossNormalTimes(probe, x, z, v, null, (done, total, stage) -> normalCalls.incrementAndGet());
        assertEquals(2, normalCalls.get());
        GramEngine.crossBands(probe, z, x, (c0, w, band) -> assertTrue(w > 0, "an empty band"));
        GramEngine.crossGradientContractions(probe, z, x, (c0, w, band, out) -> assertTrue(w > 0, "an empty band"), false);
    }

    @Test
    void rbfThroughEveryStreamingPathMatchesTheClosedForm() {
        // the GEMM-based paths (bands, products, diagonal gradient sums) with a real kernel: exp(−γ‖x − z‖²)
        double gamma = 0.7;
        Kernel rbf = RbfKernel.withGamma(gamma);
        Matrix x = TestData.gaussian(T + 9, 2, 1, 43);
        Matrix z = TestData.gaussian(T + 2, 2, 1, 44);
        double[][] xr = rowsOf(x);
        double[][] zr = rowsOf(z);
        int n = x.rows();
        int m = z.rows();
        double[][] k = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                k[i][j] = rbf(gamma, null, xr[i], zr[j]);
            }
        }
        GramEngine.crossBands(rbf, z, x, (c0, w, band) -> {
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < w; c++) {
                    near(k[c0 + c][r], band[r * w + c], 1e-12, "band K(Z, X)", r, c0 + c);
                }
            }
        });
        Matrix v = TestData.gaussian(m, 2, 1, 45);
        Matrix kv = GramEngine.crossTimes(rbf, x, z, v, org.kernels4j.ProgressListener.NONE);
        double[][] kvRef = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < 2; o++) {
                for (int j = 0; j < m; j++) {
                    kvRef[i][o] += k[i][j] * v.get(j, o);
                }
                // m = 258 terms of size ≤ 3: the sums agree to ~1e-13
                near(kvRef[i][o], kv.get(i, o), 1e-10, "K·V", i, o);
            }
        }
        Matrix ktkv = GramEngine.crossNormalTimes(rbf, x, z, v, null, org.kernels4j.ProgressListener.NONE);
        for (int j = 0; j < m; j++) {
            for (int o = 0; o < 2; o++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += k[i][j] * kvRef[i][o];
                }
                near(s, ktkv.get(j, o), 1e-9, "Kᵀ·K·V", j, o);
            }
        }
        // Σ_i ∂k(x_i, x_i)/∂log γ = 0 for the RBF (r = 0 on the diagonal)
        assertEquals(0.0, GramEngine.diagonalGradientSums(rbf, x)[0], 0.0);
        // for rbf + white noise σ²: ∂k(x, x)/∂log σ² = σ², so the sum is n·σ² exactly
        Kernel withNoise = org.kernels4j.kernel.KernelSpec.parse("rbf(gamma=0.7) + white(noise=0.125)");
        double[] sums = GramEngine.diagonalGradientSums(withNoise, x);
        assertEquals(0.125 * n, sums[sums.length - 1], 1e-12);
    }
    /**
     * Tile buffers are sized to the inputs ({@link GramEngine#tileCapacity}): every product below still sees blocks of
     * its full shape. Checked against k(x, z) entry by entry for shapes below, at and across a tile, including one row
     * against many columns and many rows against one.
     */
    @Test
    void tileBuffersSizedToSmallInputsGiveEveryEntry() {
        int t = GramEngine.TILE;
        assertEquals(1, GramEngine.tileCapacity(0, 0));
        assertEquals(20 * 20, GramEngine.tileCapacity(20, 20));
        assertEquals(3 * t, GramEngine.tileCapacity(3, 10 * t));
        assertEquals(t * t, GramEngine.tileCapacity(t + 1, 5 * t));
        Kernel k = RbfKernel.withGamma(0.3);
        for (int[] shape : new int[][] {{1, 1}, {1, t + 3}, {t + 3, 1}, {5, 7}, {t, 2}, {t + 1, t - 1}}) {
            Matrix x = TestData.gaussian(shape[0], 3, 1.0, 11);
            Matrix z = TestData.gaussian(shape[1], 3, 1.0, 12);
            Matrix cross = GramEngine.cross(k, x, z);
            Matrix v = TestData.gaussian(shape[1], 2, 1.0, 13);
            Matrix kv = GramEngine.crossTimes(k, x, z, v, org.kernels4j.ProgressListener.NONE);
            for (int i = 0; i < shape[0]; i++) {
                double[] sum = new double[2];
                for (int j = 0; j < shape[1]; j++) {
                    double e = k.value(x.row(i), z.row(j));
                    assertEquals(e, cross.get(i, j), 1e-14, "cross " + shape[0] + "x" + shape[1] + " at " + i + "," + j);
                    sum[0] += e * v.get(j, 0);
                    sum[1] += e * v.get(j, 1);
                }
                assertEquals(sum[0], kv.get(i, 0), 1e-12 * shape[1]);
                assertEquals(sum[1], kv.get(i, 1), 1e-12 * shape[1]);
            }
            Matrix g = GramEngine.gram(k, x);
            for (int i = 0; i < shape[0]; i++) {
                for (int j = 0; j < shape[0]; j++) {
                    assertEquals(k.value(x.row(i), x.row(j)), g.get(i, j), 1e-14);
                }
            }
        }
    }
}
