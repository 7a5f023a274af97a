package org.kernels4j.kernel.quantum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kernels4j.Kernels4jException;

/**
 * The statevector simulation against an independent one: the circuit Qiskit builds (H, P, CX, RX
 * gates, each expanded to a dense 2ⁿ×2ⁿ matrix by Kronecker products with identities and multiplied
 * into the state), to 1e-12, global phase included.
 */
class PauliFeatureMapTest {

    /** A dense complex matrix, row-major, interleaved (re, im). */
    private static double[] dense(int dim) {
        return new double[2 * dim * dim];
    }

    /** The 2ⁿ×2ⁿ matrix of a one-qubit gate g (2×2 interleaved) on qubit q: entry (r, c) = g[r_q][c_q] if the other bits agree. */
    private static double[] oneQubit(double[] g, int q, int n) {
        int dim = 1 << n;
        double[] u = dense(dim);
        for (int r = 0; r < dim; r++) {
            for (int c = 0; c < dim; c++) {
                if ((r & ~(1 << q)) != (c & ~(1 << q))) {
                    continue;
                }
                int gr = (r >> q) & 1;
                int gc = (c >> q) & 1;
                u[2 * (r * dim + c)] = g[2 * (gr * 2 + gc)];
                u[2 * (r * dim + c) + 1] = g[2 * (gr * 2 + gc) + 1];
            }
        }
        return u;
    }

    /** CX with control c and target t: the permutation |b⟩ ↦ |b ⊕ (b_c·2^t)⟩. */
    private static double[] cx(int c, int t, int n) {
        int dim = 1 << n;
        double[] u = dense(dim);
        for (int b = 0; b < dim; b++) {
            int image = ((b >> c) & 1) == 1 ? b ^ (1 << t) : b;
            u[2 * (image * dim + b)] = 1;
        }
        return u;
    }

    private static double[] hadamard() {
        double s = 1 / Math.sqrt(2);
        return new double[] {s, 0, s, 0, s, 0, -s, 0};
    }

    private static double[] phase(double lambda) {
        return new double[] {1, 0, 0, 0, 0, 0, Math.cos(lambda), Math.sin(lambda)};
    }

    private static double[] rx(double theta) {
        double c = Math.cos(theta / 2);
        double s = Math.sin(theta / 2);
        return new double[] {c, 0, 0, -s, 0, -s, c, 0};
    }

    private static double[] apply(double[] u, double[] psi) {
        int dim = psi.length / 2;
        double[] out = new double[psi.length];
        for (int r = 0; r < dim; r++) {
            double re = 0;
            double im = 0;
            for (int c = 0; c < dim; c++) {
                double ur = u[2 * (r * dim + c)];
                double ui = u[2 * (r * dim + c) + 1];
                re += ur * psi[2 * c] - ui * psi[2 * c + 1];
                im += ur * psi[2 * c + 1] + ui * psi[2 * c];
            }
            out[2 * r] = re;
            out[2 * r + 1] = im;
        }
        return out;
    }

    /** Qiskit's PauliFeatureMap circuit, gate by gate, as dense matrices. */
    static double[] referenceState(PauliFeatureMap map, double[] x) {
        int n = x.length;
        int dim = 1 << n;
        double[] psi = new double[2 * dim];
        psi[0] = 1;
        for (int r = 0; r < map.reps(); r++) {
            for (int q = 0; q < n; q++) {
                psi = apply(oneQubit(hadamard(), q, n), psi);
            }
            for (String pauli : map.paulis()) {
                for (int[] tuple : map.tuples(n, pauli.length(), r)) {
                    double phi;
                    if (tuple.length == 1) {
                        phi = x[tuple[0]];
                    } else {
                        phi = 1;
                        for (int q : tuple) {
                            phi *= Math.PI - x[q];
                        }
                    }
                    String reversed = new StringBuilder(pauli).reverse().toString();
                    List<Integer> idx = new ArrayList<>();
                    for (int i = 0; i < reversed.length(); i++) {
                        char c = reversed.charAt(i);
                        if (c == 'X') {
                            psi = apply(oneQubit(hadamard(), tuple[i], n), psi);
                        } else if (c == 'Y') {
                            psi = apply(oneQubit(rx(Math.PI / 2), tuple[i], n), psi);
                        }
                        if (c != 'I') {
                            idx.add(tuple[i]);
                        }
                    }
                    for (int j = 0; j + 1 < idx.size(); j++) {
                        psi = apply(cx(idx.get(j), idx.get(j + 1), n), psi);
                    }
                    psi = apply(oneQubit(phase(map.alpha() * phi), idx.get(idx.size() - 1), n), psi);
                    for (int j = idx.size() - 2; j >= 0; j--) {
                        psi = apply(cx(idx.get(j), idx.get(j + 1), n), psi);
                    }
                    for (int i = 0; i < reversed.length(); i++) {
                        char c = reversed.charAt(i);
                        if (c == 'X') {
                            psi = apply(oneQubit(hadamard(), tuple[i], n), psi);
                        } else if (c == 'Y') {
                            psi = apply(oneQubit(rx(-Math.PI / 2), tuple[i], n), psi);
                        }
                    }
                }
            }
        }
        return psi;
    }

    static Stream<Arguments> maps() {
        List<Arguments> out = new ArrayList<>();
        List<String> strategies = List.of("full", "linear", "circular", "reverse_linear", "sca", "pairwise");
        for (int n = 2; n <= 6; n++) {
            for (int reps = 1; reps <= 3; reps++) {
                String strategy = strategies.get((n + reps) % strategies.size());
                out.add(Arguments.of(n, PauliFeatureMap.zz(reps, strategy, 2.0)));
            }
            out.add(Arguments.of(n, PauliFeatureMap.zz(2, "full", 0.7)));
            out.add(Arguments.of(n, PauliFeatureMap.zz(2, "linear", 1.9)));
            out.add(Arguments.of(n, PauliFeatureMap.zz(3, "circular", 1.3)));
            out.add(Arguments.of(n, PauliFeatureMap.zz(3, "sca", 2.0)));
            out.add(Arguments.of(n, PauliFeatureMap.of(List.of("Z", "XX", "YY"), 2, "linear", 2.0)));
            out.add(Arguments.of(n, PauliFeatureMap.of(List.of("Y", "XY", "ZX"), 3, "circular", 1.1)));
            out.add(Arguments.of(n, PauliFeatureMap.of(List.of("X", "IZ", "ZI", "YZ"), 1, "full", 0.8)));
            out.add(Arguments.of(n, PauliFeatureMap.of(List.of("ZZ", "X"), 2, new int[][] {{1, 0}}, 1.5)));
            if (n >= 3) {
                out.add(Arguments.of(n, PauliFeatureMap.of(List.of("Z", "ZZ", "XYZ", "ZZZ"), 2, "sca", 1.2)));
                out.add(Arguments.of(n, PauliFeatureMap.of(List.of("Z", "ZZ"), 2, new int[][] {{0, 2}, {2, 1}}, 2.0)));
                // two-qubit strings only, rotating with the repetition: no term repeats between repetitions
                out.add(Arguments.of(n, PauliFeatureMap.of(List.of("ZZ"), 3, "sca", 1.4)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} qubits: {1}")
    @MethodSource("maps")
    void stateEqualsTheGateByGateCircuitIncludingItsGlobalPhase(int n, PauliFeatureMap map) {
        Random rng = new Random(31L * n + map.hashCode());
        for (int trial = 0; trial < 2; trial++) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = 2 * Math.PI * rng.nextDouble();
            }
            double[] expected = referenceState(map, x);
            double[] actual = map.state(x);
            assertArrayEquals(expected, actual, 1e-12, map + " at x");
        }
    }

    /** reps = 1, ZZ map, α = 2: |Φ(x)⟩ = e^{iγ}·2^{−n/2}·Σ_b e^{−iθ_x(b)}|b⟩, so K = |2^{−n} Σ_b e^{i(θ_x(b) − θ_z(b))}|². */
    @Test
    void oneRepetitionKernelHasItsClosedForm() {
        Random rng = new Random(4);
        for (int n = 1; n <= 5; n++) {
            FidelityKernel k = new FidelityKernel(PauliFeatureMap.zz(1, "full", 2.0));
            for (int trial = 0; trial < 3; trial++) {
                double[] x = new double[n];
                double[] z = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = 2 * Math.PI * rng.nextDouble();
                    z[i] = 2 * Math.PI * rng.nextDouble();
                }
                double re = 0;
                double im = 0;
                for (int b = 0; b < 1 << n; b++) {
                    double d = theta(x, b) - theta(z, b);
                    re += Math.cos(d);
                    im += Math.sin(d);
                }
                double expected = (re * re + im * im) / Math.pow(4, n);
                assertEquals(expected, k.value(x, z), 1e-13);
            }
        }
    }

    private static double theta(double[] x, int b) {
        int n = x.length;
        double t = 0;
        for (int i = 0; i < n; i++) {
            double zi = ((b >> i) & 1) == 0 ? 1 : -1;
            t += x[i] * zi;
            for (int j = i + 1; j < n; j++) {
                double zj = ((b >> j) & 1) == 0 ? 1 : -1;
                t += (Math.PI - x[i]) * (Math.PI - x[j]) * zi * zj;
            }
        }
        return t;
    }

    /** Qiskit's entangler maps, as its documentation lists them. */
    @Test
    void entanglementTuplesFollowQiskit() {
        PauliFeatureMap full = PauliFeatureMap.zz(1, "full", 2);
        assertTuples(new int[][] {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}, full.tuples(4, 2, 0));
        assertTuples(new int[][] {{0, 1, 2}, {0, 1, 3}, {0, 2, 3}, {1, 2, 3}}, full.tuples(4, 3, 0));
        PauliFeatureMap linear = PauliFeatureMap.zz(1, "linear", 2);
        assertTuples(new int[][] {{0, 1}, {1, 2}, {2, 3}}, linear.tuples(4, 2, 0));
        assertTuples(new int[][] {{0}, {1}, {2}, {3}}, linear.tuples(4, 1, 0));
        PauliFeatureMap reverse = PauliFeatureMap.zz(1, "reverse_linear", 2);
        assertTuples(new int[][] {{2, 3}, {1, 2}, {0, 1}}, reverse.tuples(4, 2, 0));
        PauliFeatureMap circular = PauliFeatureMap.zz(1, "circular", 2);
        assertTuples(new int[][] {{2, 3, 0}, {3, 0, 1}, {0, 1, 2}, {1, 2, 3}}, circular.tuples(4, 3, 0));
        assertTuples(new int[][] {{3, 0}, {0, 1}, {1, 2}, {2, 3}}, circular.tuples(4, 2, 0));
        assertTuples(new int[][] {{0, 1}}, circular.tuples(2, 2, 0));
        PauliFeatureMap sca = PauliFeatureMap.zz(1, "sca", 2);
        assertTuples(new int[][] {{2, 3, 0}, {3, 0, 1}, {0, 1, 2}, {1, 2, 3}}, sca.tuples(4, 3, 0));
        assertTuples(new int[][] {{3, 2, 1}, {0, 3, 2}, {1, 0, 3}, {2, 1, 0}}, sca.tuples(4, 3, 1));
        assertTuples(new int[][] {{0, 1, 2}, {1, 2, 3}, {2, 3, 0}, {3, 0, 1}}, sca.tuples(4, 3, 2));
        PauliFeatureMap pairwise = PauliFeatureMap.zz(1, "pairwise", 2);
        assertTuples(new int[][] {{0, 1}, {2, 3}, {4, 5}, {1, 2}, {3, 4}}, pairwise.tuples(6, 2, 0));
        PauliFeatureMap explicit = PauliFeatureMap.of(List.of("Z", "ZZ"), 1, new int[][] {{2, 0}}, 2);
        assertTuples(new int[][] {{2, 0}}, explicit.tuples(3, 2, 0));
        assertTuples(new int[][] {{0}, {1}, {2}}, explicit.tuples(3, 1, 0));
    }

    private static void assertTuples(int[][] expected, List<int[]> actual) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual.get(i), "tuple " + i);
        }
    }

    @Test
    void statesAreUnitVectors() {
        PauliFeatureMap map = PauliFeatureMap.of(List.of("Z", "XY", "ZZ"), 2, "full", 1.7);
        double[] psi = map.state(new double[] {0.3, -1.2, 2.5, 4.0, 0.1});
        double s = 0;
        for (double v : psi) {
            s += v * v;
        }
        assertEquals(1.0, s, 1e-12);
    }

    @Test
    void badMapsAndDataAreRefusedClearly() {
        assertMessage("not a Pauli string", () -> PauliFeatureMap.of(List.of("ZQ"), 1, "full", 2));
        assertMessage("all identities", () -> PauliFeatureMap.of(List.of("II"), 1, "full", 2));
        assertMessage("unknown entanglement 'ring'", () -> PauliFeatureMap.of(List.of("Z"), 1, "ring", 2));
        assertMessage("reps must be a positive integer", () -> PauliFeatureMap.zz(0, "full", 2));
        assertMessage("names qubit 1 twice", () -> PauliFeatureMap.of(List.of("ZZ"), 1, new int[][] {{1, 1}}, 2));
        PauliFeatureMap explicit = PauliFeatureMap.of(List.of("ZZ"), 1, new int[][] {{0, 3}}, 2);
        assertMessage("names qubit 3, but the data has 2 features", () -> explicit.state(new double[] {1, 2}));
        assertArrayEquals(PauliFeatureMap.of(List.of("Z"), 2, "full", 2).state(new double[] {1, 2}),
                PauliFeatureMap.of(List.of("Z", "ZZZ"), 2, "full", 2).state(new double[] {1, 2}), 0.0,
                "a string longer than the qubit count acts nowhere");
        assertMessage("feature 2 is NaN", () -> PauliFeatureMap.zz(1, "full", 2).state(new double[] {1, Double.NaN}));
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> PauliFeatureMap.zz(1, "full", 2).state(new double[34]));
        assertTrue(e.getMessage().contains("34 qubits") && e.getMessage().contains("256.0 GiB"), e.getMessage());
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        Kernels4jException e = assertThrows(Kernels4jException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
