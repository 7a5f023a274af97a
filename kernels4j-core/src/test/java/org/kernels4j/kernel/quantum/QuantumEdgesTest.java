package org.kernels4j.kernel.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.linalg.Matrix;

/**
 * The quantum kernels' less used entry points and the ends of their argument ranges: fidelity and projected
 * values from the statevector by brute-force sums written here (⟨ψ|φ⟩, and the one-qubit reduced density
 * matrices' Bloch vectors), the α search's grid, the ad-hoc data's sampling and its one-class message, and the
 * feature map's tuples, sizes and equality.
 */
class QuantumEdgesTest {
    private static String message(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(Kernels4jException.class, call).getMessage();
    }

    private static double[] point(Random r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * Math.PI * r.nextDouble();
        }
        return x;
    }

    /** Σ_k ‖r_k(x) − r_k(z)‖², r_k the Bloch vector of qubit k from ρ_k = Tr_{others}|ψ⟩⟨ψ| (bit k of b is qubit k). */
    private static double blochDistance(double[] psi, double[] phi, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            double[] a = bloch(psi, n, k);
            double[] b = bloch(phi, n, k);
            for (int c = 0; c < 3; c++) {
                s += (a[c] - b[c]) * (a[c] - b[c]);
            }
        }
        return s;
    }

    private static double[] bloch(double[] psi, int n, int k) {
        double p0 = 0;
        double p1 = 0;
        double offRe = 0; // ρ_01 = Σ_{b: bit k = 0} ψ_b · conj(ψ_{b + 2^k})
        double offIm = 0;
        for (int b = 0; b < 1 << n; b++) {
            double re = psi[2 * b];
            double im = psi[2 * b + 1];
            if ((b >> k & 1) == 0) {
                p0 += re * re + im * im;
                int u = b | 1 << k;
                double ur = psi[2 * u];
                double ui = psi[2 * u + 1];
                offRe += re * ur + im * ui;
                offIm += im * ur - re * ui;
            } else {
                p1 += re * re + im * im;
            }
        }
        return new double[] {2 * offRe, -2 * offIm, p0 - p1};
    }

    @Test
    void fidelityAndProjectedValuesFromTheStatevector() {
        PauliFeatureMap map = PauliFeatureMap.of(List.of("Z", "YY", "XZ"), 2, "linear", 1.3);
        FidelityKernel fidelity = new FidelityKernel(map);
        ProjectedKernel projected = new ProjectedKernel(map, 0.7);
        Random r = new Random(5);
        Matrix x = new Matrix(4, 3);
        for (int i = 0; i < 4; i++) {
            double[] p = point(r, 3);
            for (int c = 0; c < 3; c++) {
                x.set(i, c, p[c]);
            }
        }
        Matrix[] gradient = GramEngine.gramGradients(projected, x);
        assertEquals(1, gradient.length);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double[] a = map.state(x.row(i));
                double[] b = map.state(x.row(j));
                double re = 0;
                double im = 0;
                for (int q = 0; q < a.length; q += 2) {
                    re += a[q] * b[q] + a[q + 1] * b[q + 1];
                    im += a[q] * b[q + 1] - a[q + 1] * b[q];
                }
                assertEquals(re * re + im * im, fidelity.value(x.row(i), x.row(j)), 1e-12);
                double d = blochDistance(a, b, 3) / 2; // ‖ρ − ρ′‖²_F = ‖r − r′‖²/2
                double k = Math.exp(-0.7 * d);
                assertEquals(k, projected.value(x.row(i), x.row(j)), 1e-12);
                assertEquals(-0.7 * d * k, gradient[0].get(i, j), 1e-12, "∂K/∂log γ");
            }
        }
        assertTrue(projected.featureMap() == map);
        assertEquals(0.7, projected.gamma(), 0);
        assertEquals(1, projected.hyperparameters().size());
        assertEquals(0.7, projected.hyperparameters().get(0).value(), 0);
        assertEquals(new ProjectedKernel(map, 0.3), projected.withHyperparameters(new double[] {0.3}));
        assertNotEquals(new ProjectedKernel(map, 0.3), projected);
        assertEquals(new ProjectedKernel(map, 0.7).hashCode(), projected.hashCode());
        assertEquals(projected.toSpec(), projected.toString());
        assertEquals(fidelity.toSpec(), fidelity.toString());
        assertEquals(new FidelityKernel(map).hashCode(), fidelity.hashCode());
        // shot noise is seeded by the points: −0 and +0 are the same point, so the same estimate
        FidelityKernel noisy = new FidelityKernel(map, 50, 3);
        double[] z = point(r, 3);
        for (int trial = 0; trial < 5; trial++) {
            double[] plus = point(r, 3);
            plus[1] = 0.0;
            double[] minus = plus.clone();
            minus[1] = -0.0;
            assertEquals(noisy.value(plus, z), noisy.value(minus, z), 0, "trial " + trial);
        }
    }

    @Test
    void projectedGramFillsAWholeTile() {
        // GramEngine's tiles are tileSize() × tileSize(): with exactly that many points the block is full
        int n = GramEngine.tileSize();
        ProjectedKernel k = new ProjectedKernel(PauliFeatureMap.zz(1, "full", 1.1), 0.9);
        Random r = new Random(13);
        Matrix x = new Matrix(n, 2);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, 3 * r.nextDouble());
            x.set(i, 1, 3 * r.nextDouble());
        }
        Matrix g = GramEngine.gram(k, x);
        Matrix d = GramEngine.gramGradients(k, x)[0];
        for (int i = 0; i < n; i += 37) {
            double v = k.value(x.row(i), x.row(n - 1));
            assertEquals(v, g.get(i, n - 1), 1e-12);
            assertEquals(v * Math.log(v), d.get(i, n - 1), 1e-12); // ∂K/∂log γ = −γD·K = K·ln K
        }
        assertThrows(Kernels4jException.class, () -> k.withHyperparameters(new double[] {0.3, 0.4}));
    }

    @Test
    void clippingAndConcentrationArguments() {
        Matrix zero = new Matrix(3, 3);
        assertEquals(0.0, QuantumKernels.clipNegativeEigenvalues(zero).maxAbsDifference(zero), 0);
        // asymmetry is judged against the largest entry: 1e−10 on entries of 1000 is within 10⁻¹²·1000
        Matrix big = Matrix.of(new double[][] {{1000, 1}, {1 + 1e-10, 1000}});
        assertEquals(1000, QuantumKernels.clipNegativeEigenvalues(big).get(0, 0), 1e-9);
        assertEquals("the kernel matrix is not symmetric: entry (2, 3) is 0.5 but (3, 2) is 0.7",
                message(() -> QuantumKernels.clipNegativeEigenvalues(
                        Matrix.of(new double[][] {{1, 0, 0}, {0, 1, 0.5}, {0, 0.7, 1}}))));
        QuantumKernels.Concentration c = QuantumKernels.concentration(Matrix.of(new double[][] {{1, 0.25}, {0.25, 1}}));
        assertEquals(0.25, c.mean(), 0);
        assertEquals(0.25, c.min(), 0);
        assertEquals(2, c.pairs());
    }

    @Test
    void alphaSearchGridSpansTheRangeAndTriesTheOwnAlphaAtEitherEnd() {
        Random r = new Random(9);
        Matrix x = new Matrix(8, 2);
        double[] y = new double[8];
        for (int i = 0; i < 8; i++) {
            x.set(i, 0, 2 * r.nextDouble());
            x.set(i, 1, 2 * r.nextDouble());
            y[i] = i % 2 == 0 ? 1 : -1;
        }
        assertTrue(message(() -> QuantumKernels.alignAlpha(new FidelityKernel(PauliFeatureMap.zz(1, "full", 1)), x, y, 0,
                1, 3)).contains("0 < lo < hi"));
        assertTrue(message(() -> QuantumKernels.alignAlpha(new FidelityKernel(PauliFeatureMap.zz(1, "full", 1)), x, y, 1,
                1, 3)).contains("0 < lo < hi"));
        for (double own : new double[] {0.5, 2.0}) {
            FidelityKernel k = new FidelityKernel(PauliFeatureMap.zz(1, "full", own));
            QuantumKernels.AlphaSearch s = QuantumKernels.alignAlpha(k, x, y, 0.5, 2.0, 4);
            double[] tried = s.tried();
            // grid: 0.5·4^{g/3}, g = 0..3, then the kernel's own α (an end of the range here), then golden section
            for (int g = 0; g < 4; g++) {
                assertEquals(0.5 * Math.pow(4, g / 3.0), tried[g], 1e-12, "grid point " + g);
            }
            assertEquals(own, tried[4], 1e-12, "the own alpha is tried at an end of the range");
        }
    }

    @Test
    void adHocSamplesSpreadOverTheGridAndTheOneClassMessageNamesTheEmptyClass() {
        for (int n : new int[] {2, 3}) {
            AdHocData data = AdHocData.generate(n, 0.3, 30, 5, 3);
            Matrix x = data.trainFeatures();
            double[] y = data.trainLabels();
            Set<Double> first = new HashSet<>();
            for (int i = 0; i < x.rows(); i++) {
                first.add(x.get(i, 0));
                assertTrue(data.expectation(x.row(i)) * y[i] > 0.3, "row " + i);
            }
            assertTrue(first.size() > 10, n + " qubits: first coordinates " + first);
            assertEquals(n, data.qubits());
            assertEquals(0.3, data.gap(), 0);
            assertEquals(3, data.seed());
            assertEquals("AdHocData(qubits=" + n + ", gap=0.3, seed=3, train=60, test=10)", data.toString());
        }
        assertEquals(100, AdHocData.gridSize(2));
        assertEquals(20, AdHocData.gridSize(3));
        // the range of m over the 100×100 grid (V depends on the seed only), then a gap between |min| and max: one
        // class is empty, and the message names that one; seeds until both sides have been seen
        boolean[] seen = new boolean[2];
        for (long seed = 1; seed <= 20 && !(seen[0] && seen[1]); seed++) {
            AdHocData any = AdHocData.generate(2, 0, 1, 1, seed);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < 100 * 100; p++) {
                double m = any.expectation(new double[] {2 * Math.PI * (p / 100) / 100, 2 * Math.PI * (p % 100) / 100});
                min = Math.min(min, m);
                max = Math.max(max, m);
            }
            boolean plusSide = max > -min;
            double gap = (max - min) / 2;
            long s = seed;
            String m = message(() -> AdHocData.generate(2, gap, 5, 5, s));
            String want = plusSide ? String.format(Locale.ROOT, "< %.4g", -gap) : String.format(Locale.ROOT, "> %.4g", gap);
            assertTrue(m.contains("<psi|O|psi> " + want), want + " in: " + m);
            seen[plusSide ? 0 : 1] = true;
        }
        assertTrue(seen[0] && seen[1], "both sides");
    }

    @Test
    void featureMapSizesTuplesAndEquality() {
        assertTrue(message(() -> PauliFeatureMap.stateLength(0)).contains("at least one feature"));
        assertEquals(2L << PauliFeatureMap.MAX_QUBITS, PauliFeatureMap.stateLength(PauliFeatureMap.MAX_QUBITS));
        assertEquals("1.0 GiB", PauliFeatureMap.bytesText(1L << 30));
        assertEquals("1.0 MiB", PauliFeatureMap.bytesText(1L << 20));
        assertEquals("1.5 MiB", PauliFeatureMap.bytesText(3L << 19));
        assertEquals("0.5 KiB", PauliFeatureMap.bytesText(512));
        // 16·2^q bytes: 16 GiB at 30 qubits, 2^38 GiB at 64 (the QA report's "0.0 KiB": 16L << 64 wraps to 16)
        assertEquals("16.0 GiB", PauliFeatureMap.stateBytesText(30));
        assertEquals("2.75e+11 GiB", PauliFeatureMap.stateBytesText(64));
        assertTrue(message(() -> PauliFeatureMap.stateLength(65)).contains("one state needs 5.50e+11 GiB"));
        // pairwise: single-qubit strings on every qubit, pairs as Qiskit's pairwise (even pairs, then odd ones)
        PauliFeatureMap pairwise = PauliFeatureMap.zz(1, "pairwise", 2);
        List<int[]> ones = pairwise.tuples(4, 1, 0);
        assertEquals(4, ones.size());
        for (int q = 0; q < 4; q++) {
            assertEquals(q, ones.get(q)[0]);
        }
        PauliFeatureMap explicit = PauliFeatureMap.of(List.of("ZZ"), 1, new int[][] {{0, 2}}, 2);
        assertEquals("the entanglement tuple [0, 2] names qubit 2, but the data has 2 features (qubits 0 to 1)",
                message(() -> explicit.tuples(2, 2, 0)));
        PauliFeatureMap a = PauliFeatureMap.zz(2, "linear", 2);
        assertTrue(!a.equals("linear"));
        assertNotEquals(a, PauliFeatureMap.zz(2, "linear", 1.5));
        assertEquals(a, PauliFeatureMap.zz(2, "linear", 2));
        assertTrue(a.toString().startsWith("PauliFeatureMap(paulis=[Z, ZZ], reps=2, entanglement=linear, alpha=2"),
                a.toString());
    }
}
