package org.kernels4j.kernel.quantum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelAlignment;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

class QuantumKernelsTest {

    private static Matrix points(int n, int d, long seed) {
        Random rng = new Random(seed);
        Matrix x = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                x.set(i, f, 2 * Math.PI * rng.nextDouble());
            }
        }
        return x;
    }

    /** |⟨a|b⟩|² from two explicit states, written out here. */
    private static double fidelity(double[] a, double[] b) {
        double re = 0;
        double im = 0;
        for (int k = 0; k < a.length; k += 2) {
            re += a[k] * b[k] + a[k + 1] * b[k + 1];
            im += a[k] * b[k + 1] - a[k + 1] * b[k];
        }
        return re * re + im * im;
    }

    @Test
    void gramAndCrossKernelsEqualStateOverlapsAndArePsdWithUnitDiagonal() {
        PauliFeatureMap map = PauliFeatureMap.of(List.of("Z", "ZZ", "XY"), 2, "linear", 1.3);
        FidelityKernel k = new FidelityKernel(map);
        Matrix x = points(300, 4, 1); // more than one 256-tile
        Matrix z = points(7, 4, 2);
        Matrix gram = GramEngine.gram(k, x);
        Matrix cross = GramEngine.cross(k, z, x);
        double[][] states = new double[x.rows()][];
        for (int i = 0; i < x.rows(); i++) {
            states[i] = map.state(x.row(i));
        }
        for (int i = 0; i < x.rows(); i += 7) {
            for (int j = 0; j < x.rows(); j += 5) {
                double expected = i == j ? 1.0 : fidelity(states[i], states[j]);
                assertEquals(expected, gram.get(i, j), 1e-13, "K(" + i + ", " + j + ")");
            }
            assertEquals(1.0, gram.get(i, i), 0.0);
        }
        for (int a = 0; a < z.rows(); a++) {
            double[] sa = map.state(z.row(a));
            for (int j = 0; j < x.rows(); j += 3) {
                assertEquals(fidelity(sa, states[j]), cross.get(a, j), 1e-13);
            }
        }
        double[] eig = SymmetricEigen.of(gram).values();
        for (double v : eig) {
            assertTrue(v > -1e-10 * x.rows(), "eigenvalue " + v);
        }
    }

    @Test
    void specsParseToTheFeatureMapTheyName() {
        FidelityKernel zz = (FidelityKernel) KernelSpec.parse("zz(reps=3, entanglement=[[0, 2], [2, 1]], alpha=0.5)");
        assertEquals(PauliFeatureMap.of(List.of("Z", "ZZ"), 3, new int[][] {{0, 2}, {2, 1}}, 0.5), zz.featureMap());
        assertEquals("zz(reps=3, entanglement=[[0, 2], [2, 1]], alpha=0.5)", zz.toSpec());
        FidelityKernel pauli = (FidelityKernel) KernelSpec.parse("pauli(paulis=[z, XX, YY], entanglement=linear)");
        assertEquals(List.of("Z", "XX", "YY"), pauli.featureMap().paulis());
        assertEquals(2, pauli.featureMap().reps());
        assertEquals(2.0, pauli.featureMap().alpha());
        assertEquals(pauli, KernelSpec.parse(pauli.toSpec()));
        FidelityKernel noisy = (FidelityKernel) KernelSpec.parse("zz(shots=128, seed=9)");
        assertEquals(128, noisy.shots());
        assertEquals(noisy, KernelSpec.parse(noisy.toSpec()));
        assertNotEquals(noisy, KernelSpec.parse("zz(shots=128, seed=10)"));
        Kernel projected = KernelSpec.parse("projected(paulis=[Z, YY], gamma=0.25)");
        assertEquals(projected, KernelSpec.parse(projected.toSpec()));
    }

    @Test
    void badSpecsNameTheProblem() {
        assertSpecError("pauli(paulis=[Z, ZQ])", "not a Pauli string");
        assertSpecError("zz(entanglement=ring)", "entanglement");
        assertSpecError("zz(entanglement=[[0, 1.5]])", "non-negative integers");
        assertSpecError("zz(entanglement=[[0, [1]]])", "nest at most two deep");
        assertSpecError("zz(entanglement=[[0, 1], 2])", "only numbers, only names or only lists");
        assertSpecError("zz(reps=0)", "reps");
        assertSpecError("zz(shots=-5)", "shots");
        assertSpecError("projected(gamma=-1)", "gamma");
        assertSpecError("zz(paulis=[Z])", "has no parameter 'paulis'");
    }

    private static void assertSpecError(String spec, String part) {
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> KernelSpec.parse(spec));
        assertTrue(e.getMessage().contains(part), spec + ": " + e.getMessage());
    }

    /**
     * Shot estimates over many seeds: their mean is K (unbiased) and their variance K(1 − K)/S, each
     * within 5 standard errors (the standard error of a sample variance of m Binomial/S draws is
     * about σ²·√(2/(m−1)), that of the mean σ/√m).
     */
    @Test
    void shotEstimatesAreUnbiasedWithBinomialVariance() {
        PauliFeatureMap map = PauliFeatureMap.zz(2, "full", 1.0);
        double[] x = {0.4, 1.1, 2.0};
        double[] z = {0.6, 0.9, 2.4};
        double p = new FidelityKernel(map).value(x, z);
        assertTrue(p > 0.1 && p < 0.9, "a pair with a kernel value away from 0 and 1: " + p);
        int shots = 50;
        int m = 4000;
        double sum = 0;
        double sumSq = 0;
        for (int s = 0; s < m; s++) {
            double v = new FidelityKernel(map, shots, s).value(x, z);
            assertEquals(Math.rint(v * shots), v * shots, 1e-9, "a count over the shots");
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / m;
        double var = (sumSq - m * mean * mean) / (m - 1);
        double sigma2 = p * (1 - p) / shots;
        assertEquals(p, mean, 5 * Math.sqrt(sigma2 / m));
        assertEquals(sigma2, var, 5 * sigma2 * Math.sqrt(2.0 / (m - 1)));
    }

    @Test
    void shotNoiseIsTheSameForAPairInGramCrossAndValueAndSymmetric() {
        FidelityKernel k = (FidelityKernel) KernelSpec.parse("zz(reps=2, alpha=1.5, shots=64, seed=3)");
        Matrix x = points(40, 3, 5);
        Matrix gram = GramEngine.gram(k, x);
        Matrix cross = GramEngine.cross(k, x.rowRange(0, 10), x);
        FidelityKernel exact = k.withShots(0, 0);
        double maxDiff = 0;
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < x.rows(); j++) {
                assertEquals(gram.get(i, j), gram.get(j, i), 0.0);
                if (i != j) {
                    assertEquals(gram.get(i, j), cross.get(i, j), 0.0);
                    assertEquals(gram.get(i, j), k.value(x.row(i), x.row(j)), 0.0);
                    assertEquals(Math.rint(gram.get(i, j) * 64), gram.get(i, j) * 64, 1e-9);
                    maxDiff = Math.max(maxDiff, Math.abs(gram.get(i, j) - exact.value(x.row(i), x.row(j))));
                }
            }
            assertEquals(1.0, gram.get(i, i), 0.0);
        }
        assertTrue(maxDiff > 0, "shot noise changes some entries");
        assertTrue(maxDiff < 0.5, "but not beyond any plausible binomial deviation: " + maxDiff);
    }

    @Test
    void clippingNegativeEigenvaluesGivesTheNearestPsdMatrix() {
        Random rng = new Random(8);
        int n = 12;
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = rng.nextGaussian();
                a.set(i, j, v);
                a.set(j, i, v);
            }
        }
        Matrix clipped = QuantumKernels.clipNegativeEigenvalues(a);
        SymmetricEigen before = SymmetricEigen.of(a);
        SymmetricEigen after = SymmetricEigen.of(clipped);
        double[] expected = before.values().clone();
        for (int i = 0; i < n; i++) {
            expected[i] = Math.max(0, expected[i]);
        }
        java.util.Arrays.sort(expected);
        double[] actual = after.values().clone();
        java.util.Arrays.sort(actual);
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], actual[i], 1e-10);
        }
        // ‖A − clip(A)‖²_F = Σ of the squared negative eigenvalues (Eckart–Young for the PSD cone)
        double dist = 0;
        for (int i = 0; i < n * n; i++) {
            double d = a.data()[i] - clipped.data()[i];
            dist += d * d;
        }
        double neg = 0;
        for (double v : before.values()) {
            neg += v < 0 ? v * v : 0;
        }
        assertEquals(neg, dist, 1e-9);
        Matrix asym = a.copy();
        asym.set(0, 1, asym.get(0, 1) + 0.1);
        assertThrows(Kernels4jException.class, () -> QuantumKernels.clipNegativeEigenvalues(asym));
    }

    @Test
    void concentrationSummarisesTheOffDiagonalEntries() {
        Matrix k = Matrix.of(new double[][] {{1, 0.2, 0.4}, {0.2, 1, 0.9}, {0.4, 0.9, 1}});
        QuantumKernels.Concentration c = QuantumKernels.concentration(k);
        double mean = (0.2 + 0.4 + 0.9) / 3;
        double var = (Math.pow(0.2 - mean, 2) + Math.pow(0.4 - mean, 2) + Math.pow(0.9 - mean, 2)) / 3;
        assertEquals(mean, c.mean(), 1e-15);
        assertEquals(var, c.variance(), 1e-15);
        assertEquals(0.2, c.min());
        assertEquals(0.9, c.max());
        assertEquals(6, c.pairs());
    }

    /** Fidelity kernels concentrate: the off-diagonal variance falls as qubits are added (here 2 → 8). */
    @Test
    void fidelityValuesConcentrateAsQubitsAreAdded() {
        double previous = Double.POSITIVE_INFINITY;
        for (int n = 2; n <= 8; n += 3) {
            Matrix gram = GramEngine.gram(new FidelityKernel(PauliFeatureMap.zz(2, "full", 2)), points(60, n, n));
            double v = QuantumKernels.concentration(gram).variance();
            assertTrue(v < previous / 2, n + " qubits: variance " + v + " vs " + previous);
            previous = v;
        }
    }

    @Test
    void alignmentMatchesItsDefinition() {
        Matrix x = points(25, 2, 11);
        Matrix k = GramEngine.gram(new FidelityKernel(PauliFeatureMap.zz(1, "full", 1)), x);
        double[] y = new double[25];
        for (int i = 0; i < 25; i++) {
            y[i] = x.get(i, 0) > Math.PI ? 1 : -1;
        }
        int n = 25;
        // plain: ⟨K, yyᵀ⟩ / (‖K‖·‖yyᵀ‖)
        double num = 0;
        double kk = 0;
        double yy = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                num += k.get(i, j) * y[i] * y[j];
                kk += k.get(i, j) * k.get(i, j);
                yy += y[i] * y[i] * y[j] * y[j];
            }
        }
        assertEquals(num / Math.sqrt(kk * yy), KernelAlignment.of(k, y), 1e-12);
        // centred: the same on HKH and (Hy)(Hy)ᵀ, with H built as a matrix here
        Matrix h = Matrix.identity(n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                h.set(i, j, h.get(i, j) - 1.0 / n);
            }
        }
        Matrix kc = h.times(k).times(h);
        double[] yc = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                yc[i] += h.get(i, j) * y[j];
            }
        }
        num = 0;
        kk = 0;
        yy = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                num += kc.get(i, j) * yc[i] * yc[j];
                kk += kc.get(i, j) * kc.get(i, j);
                yy += yc[i] * yc[i] * yc[j] * yc[j];
            }
        }
        assertEquals(num / Math.sqrt(kk * yy), KernelAlignment.centered(k, y), 1e-12);
    }

    @Test
    void alphaSearchFindsTheBestAlignmentOnAFineGrid() {
        Matrix x = points(40, 2, 21);
        double[] y = new double[40];
        for (int i = 0; i < 40; i++) {
            y[i] = Math.sin(x.get(i, 0)) * Math.cos(x.get(i, 1)) > 0 ? 1 : -1;
        }
        FidelityKernel k = new FidelityKernel(PauliFeatureMap.zz(2, "full", 2));
        QuantumKernels.AlphaSearch found = QuantumKernels.alignAlpha(k, x, y, 0.05, 3, 7);
        double best = Double.NEGATIVE_INFINITY;
        for (int g = 0; g <= 200; g++) {
            double alpha = 0.05 * Math.pow(3 / 0.05, g / 200.0);
            best = Math.max(best, KernelAlignment.centered(GramEngine.gram(k.withAlpha(alpha), x), y));
        }
        assertTrue(found.alignment() >= best - 2e-3, found.alignment() + " vs the fine grid's " + best);
        assertEquals(KernelAlignment.centered(GramEngine.gram(k.withAlpha(found.alpha()), x), y), found.alignment(),
                1e-12);
        assertEquals(found.tried().length, found.alignments().length);
        // a coarse 3-point grid never reports an α worse than the kernel's own (α = 2 lies in the range)
        QuantumKernels.AlphaSearch coarse = QuantumKernels.alignAlpha(k, x, y, 0.05, 30, 3);
        assertTrue(coarse.alignment() >= KernelAlignment.centered(GramEngine.gram(k, x), y),
                coarse.alignment() + " vs the kernel's own α");
        assertTrue(java.util.Arrays.stream(coarse.tried()).anyMatch(a -> Math.abs(a - 2) < 1e-12), "α = 2 was tried");
    }

    /** The projected kernel against reduced density matrices traced out explicitly from the state. */
    @Test
    void projectedKernelComparesReducedDensityMatrices() {
        PauliFeatureMap map = PauliFeatureMap.of(List.of("Z", "YY", "XZ"), 2, "circular", 1.2);
        ProjectedKernel k = new ProjectedKernel(map, 0.7);
        Matrix x = points(30, 3, 13);
        Matrix gram = GramEngine.gram(k, x);
        for (int i = 0; i < 30; i += 4) {
            for (int j = 0; j < 30; j += 3) {
                double[][][] ri = reduced(map.state(x.row(i)), 3);
                double[][][] rj = reduced(map.state(x.row(j)), 3);
                double s = 0;
                for (int q = 0; q < 3; q++) {
                    for (int r = 0; r < 2; r++) {
                        for (int e = 0; e < 4; e++) {
                            double d = ri[q][r][e] - rj[q][r][e];
                            s += d * d;
                        }
                    }
                }
                assertEquals(Math.exp(-0.7 * s), gram.get(i, j), 1e-12);
            }
        }
    }

    /** ρ_q[(r, c)] as {re, im} pairs: Σ over the other qubits' bits of ψ_{…r…}·conj(ψ_{…c…}). */
    private static double[][][] reduced(double[] psi, int n) {
        double[][][] out = new double[n][2][4];
        for (int q = 0; q < n; q++) {
            for (int b = 0; b < 1 << n; b++) {
                for (int c = 0; c < 2; c++) {
                    int r = (b >> q) & 1;
                    int bc = (b & ~(1 << q)) | (c << q);
                    double ar = psi[2 * b];
                    double ai = psi[2 * b + 1];
                    double br = psi[2 * bc];
                    double bi = psi[2 * bc + 1];
                    out[q][r][2 * c] += ar * br + ai * bi;
                    out[q][r][2 * c + 1] += ai * br - ar * bi;
                }
            }
        }
        return out;
    }

    /** ⟨P_k⟩ = ⟨ψ|P_k|ψ⟩ with P_k a Pauli matrix on qubit k, applied here entry by entry to the state. */
    private static double expectation(double[] psi, int n, int k, char pauli) {
        double re = 0;
        for (int b = 0; b < 1 << n; b++) {
            int bit = (b >> k) & 1;
            int source = pauli == 'Z' ? b : b ^ (1 << k);
            int sourceBit = (source >> k) & 1;
            // (Pψ)_b = Σ_c P[bit][c] ψ_{…c…}: X = [[0,1],[1,0]], Y = [[0,−i],[i,0]], Z = diag(1,−1)
            double pr;
            double pi;
            if (pauli == 'X') {
                pr = 1;
                pi = 0;
            } else if (pauli == 'Y') {
                pr = 0;
                pi = bit == 0 ? -1 : 1;
            } else {
                pr = bit == 0 ? 1 : -1;
                pi = 0;
            }
            assertEquals(pauli == 'Z' ? bit : 1 - bit, sourceBit);
            double sr = psi[2 * source];
            double si = psi[2 * source + 1];
            double qr = pr * sr - pi * si;
            double qi = pr * si + pi * sr;
            re += psi[2 * b] * qr + psi[2 * b + 1] * qi; // Re(conj(ψ_b)·(Pψ)_b)
        }
        return re;
    }

    @Test
    void blochVectorsAreThePauliExpectationsOfEachQubit() {
        PauliFeatureMap map = PauliFeatureMap.of(List.of("Z", "XY", "ZZ"), 2, "full", 1.4);
        ProjectedKernel k = new ProjectedKernel(map, 1);
        double[] x = {0.3, 2.2, -1.0};
        double[] psi = map.state(x);
        double[] r = k.blochVectors(x);
        for (int q = 0; q < 3; q++) {
            assertEquals(expectation(psi, 3, q, 'X'), r[3 * q], 1e-12, "<X" + q + ">");
            assertEquals(expectation(psi, 3, q, 'Y'), r[3 * q + 1], 1e-12, "<Y" + q + ">");
            assertEquals(expectation(psi, 3, q, 'Z'), r[3 * q + 2], 1e-12, "<Z" + q + ">");
        }
        assertTrue(Math.abs(r[0]) > 1e-3 && Math.abs(r[1]) > 1e-3, "a state with X and Y components");
    }

    /**
     * Different pairs draw independent shot noise: with one seed, the standardised errors (K̂ − K)/√(K(1 − K)/S)
     * over m pairs have mean 0 within 5/√m (were the generator's seed the same for every pair, they would
     * all sit at one quantile).
     */
    @Test
    void shotNoiseIsIndependentAcrossPairs() {
        FidelityKernel exact = new FidelityKernel(PauliFeatureMap.zz(2, "full", 1.0));
        FidelityKernel noisy = exact.withShots(40, 5);
        Matrix x = points(60, 3, 17);
        Matrix k = GramEngine.gram(exact, x);
        Matrix kh = GramEngine.gram(noisy, x);
        double sum = 0;
        double sumSq = 0;
        int m = 0;
        for (int i = 0; i < 60; i++) {
            for (int j = i + 1; j < 60; j++) {
                double p = k.get(i, j);
                if (p < 0.05 || p > 0.95) {
                    continue;
                }
                double zscore = (kh.get(i, j) - p) / Math.sqrt(p * (1 - p) / 40);
                sum += zscore;
                sumSq += zscore * zscore;
                m++;
            }
        }
        assertTrue(m > 300, "enough pairs: " + m);
        assertEquals(0, sum / m, 5 / Math.sqrt(m));
        assertEquals(1, sumSq / m, 0.25, "standardised errors have unit variance");
    }

    /**
     * Shot noise is independent across pairs also for inputs whose doubles have few bits set: all 64 points of
     * {0, 1, 2, 3}³ (small integers and zeros, where a weak hash of rows or pairs gives many pairs the same
     * pseudo-random stream). Reference: if the counts k_ij ~ Binomial(S, p_ij) of the pairs i &lt; j are independent,
     * their randomised probability integral transforms v_ij = F(k_ij − 1) + U_ij·P(k_ij) — F and P the
     * Binomial(S, p_ij) distribution and mass functions at the exact p_ij, U_ij uniform from a generator of the test —
     * are i.i.d. uniform on [0, 1). Pairs that share a stream have v within one mass step of each other (S = 10⁵
     * shots: steps below 0.006) and pile up in the same bins. Pearson's χ² over 20 equal bins must stay below the
     * χ²(19) quantile at 1 − 10⁻⁶, for two seeds of the kernel.
     */
    @Test
    void shotNoiseIsIndependentAcrossPairsOfSmallIntegerPoints() {
        int shots = 100_000;
        Matrix x = new Matrix(64, 3);
        for (int i = 0; i < 64; i++) {
            x.set(i, 0, i / 16);
            x.set(i, 1, (i / 4) % 4);
            x.set(i, 2, i % 4);
        }
        FidelityKernel exact = new FidelityKernel(PauliFeatureMap.zz(2, "full", 1.0));
        Matrix k = GramEngine.gram(exact, x);
        int bins = 20;
        double limit = ChiSquaredDistribution.of(bins - 1).inverseSurvivalProbability(1e-6);
        for (int seed : new int[] {3, 11}) {
            Matrix kh = GramEngine.gram(exact.withShots(shots, seed), x);
            Random uniform = new Random(100 + seed);
            int[] count = new int[bins];
            int m = 0;
            for (int i = 0; i < 64; i++) {
                for (int j = i + 1; j < 64; j++) {
                    double p = k.get(i, j);
                    if (p < 0.05 || p > 0.95) {
                        continue;
                    }
                    BinomialDistribution law = BinomialDistribution.of(shots, p);
                    int c = (int) Math.rint(kh.get(i, j) * shots);
                    double v = law.cumulativeProbability(c - 1) + uniform.nextDouble() * law.probability(c);
                    count[Math.min(bins - 1, (int) (v * bins))]++;
                    m++;
                }
            }
            assertTrue(m > 1000, "enough pairs: " + m);
            double chi2 = 0;
            for (int b = 0; b < bins; b++) {
                chi2 += (count[b] - m / (double) bins) * (count[b] - m / (double) bins) / (m / (double) bins);
            }
            assertTrue(chi2 < limit, "seed " + seed + ": chi2 " + chi2 + " over " + m + " pairs, limit " + limit);
        }
    }

    @Test
    void theExactKernelOfAPointWithItselfIsOneAndLengthsMustAgree() {
        FidelityKernel k = new FidelityKernel(PauliFeatureMap.zz(2, "full", 2));
        assertEquals(1.0, k.selfValue(new double[] {0.2, 1.5}), 0.0);
        assertEquals(1.0, k.value(new double[] {0.2, 1.5}, new double[] {0.2, 1.5}), 1e-14);
        assertThrows(Kernels4jException.class, () -> k.value(new double[] {1, 2}, new double[] {1, 2, 3}));
        assertThrows(Kernels4jException.class,
                () -> new ProjectedKernel(k.featureMap(), 1).value(new double[] {1, 2}, new double[] {1, 2, 3}));
    }

    @Test
    void kernelsPrintTheSpecOfTheirFeatureMap() {
        assertEquals("zz(reps=2, entanglement=full, alpha=2)", new FidelityKernel(PauliFeatureMap.zz(2, "full", 2)).toSpec());
        assertEquals("pauli(paulis=[Z, XX], reps=1, entanglement=linear, alpha=0.5)",
                new FidelityKernel(PauliFeatureMap.of(List.of("Z", "XX"), 1, "linear", 0.5)).toSpec());
        assertEquals("zz(reps=1, entanglement=full, alpha=2, shots=10, seed=4)",
                new FidelityKernel(PauliFeatureMap.zz(1, "full", 2), 10, 4).toSpec());
        assertEquals("projected(paulis=[Z, ZZ], reps=2, entanglement=[[1, 0]], alpha=2, gamma=0.5)",
                new ProjectedKernel(PauliFeatureMap.of(List.of("Z", "ZZ"), 2, new int[][] {{1, 0}}, 2), 0.5).toSpec());
        assertEquals("full", PauliFeatureMap.zz(2, "FULL", 2).entanglement());
        assertEquals(null, PauliFeatureMap.zz(2, "full", 2).tuples());
        assertEquals(2, PauliFeatureMap.of(List.of("ZZ"), 1, new int[][] {{0, 1}, {1, 2}}, 2).tuples().length);
    }

    @Test
    void aBadPauliStringIsReportedWhereItWasWritten() {
        org.kernels4j.kernel.KernelSpecException e = assertThrows(org.kernels4j.kernel.KernelSpecException.class,
                () -> KernelSpec.parse("pauli(reps=1, paulis=[Z, Q])"));
        assertTrue(e.getMessage().contains("column 15"), e.getMessage());
        org.kernels4j.kernel.KernelSpecException f = assertThrows(org.kernels4j.kernel.KernelSpecException.class,
                () -> KernelSpec.parse("zz(reps=1, entanglement=[[0, 0]])"));
        assertTrue(f.getMessage().contains("column 12") && f.getMessage().contains("twice"), f.getMessage());
    }
}
