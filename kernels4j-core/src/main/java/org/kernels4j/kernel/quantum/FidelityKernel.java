package org.kernels4j.kernel.quantum;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelCatalog;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.Specs;

/**
 * The quantum fidelity kernel K(x, z) = |⟨Φ(x)|Φ(z)⟩|² of a {@link PauliFeatureMap} (Havlíček et al.
 * 2019; qiskit-machine-learning's {@code FidelityStatevectorKernel}), computed exactly by statevector
 * simulation. Specs: {@code zz(reps=2, entanglement=full, alpha=2)} (Qiskit's {@code ZZFeatureMap}) and
 * {@code pauli(paulis=[Z, ZZ], reps=2, entanglement=full, alpha=2)} (its {@code PauliFeatureMap}); one
 * qubit per feature. K(x, x) = 1 and every Gram matrix is positive semi-definite (a Gram matrix of
 * the states, squared entry-wise: Schur).
 *
 * <p><b>Gram matrices</b>: every point's state (2ⁿ complex amplitudes) is computed once per Gram
 * computation, on all threads, then each tile is one complex GEMM ({@code zgemm}, 8·t²·2ⁿ flops for a
 * t×t tile) and one pass |·|². Memory: the states, 16·2ⁿ bytes per point (e.g. 64 KiB at 12 qubits,
 * 1 MiB at 16; a 20-qubit state takes 16 MiB), plus one t×t complex tile per thread; more qubits than
 * memory allows are refused with the amount needed.
 *
 * <p><b>Finite shots</b> ({@code shots=S > 0}): each off-diagonal entry is replaced by the estimate a
 * device would make from S shots of the compute–uncompute circuit, Binomial(S, K)/S (unbiased, variance
 * K(1 − K)/S), drawn from a generator seeded by {@code seed} and the two points' values, so the same
 * pair gets the same estimate in Gram, cross kernel and {@link #value}; K(x, x) stays 1 (Qiskit's
 * {@code evaluate_duplicates="off_diagonal"}). Such a Gram matrix is generally not PSD: repair it with
 * {@link QuantumKernels#clipNegativeEigenvalues} before a Cholesky-based learner.
 *
 * <p>No hyperparameters: α is tuned by kernel–target alignment ({@link QuantumKernels#alignAlpha}).
 */
public final class FidelityKernel implements Kernel {
    /** Repetitions of the feature map. */
    public static final KernelCatalog.Param REPS = KernelCatalog.Param.integer("reps", 2, 1, 1000,
            "repetitions of (Hadamard layer, phase layer), >= 1");
    /** Entanglement strategy or explicit qubit tuples. */
    public static final KernelCatalog.Param ENTANGLEMENT = KernelCatalog.Param.word("entanglement", "full",
            "qubit tuples of each multi-qubit Pauli term: full, linear, reverse_linear, circular, sca, pairwise,"
                    + " or a list such as [[0, 1], [1, 2]]", PauliFeatureMap.STRATEGIES).orIntegerLists();
    /** Data-map scale α. */
    public static final KernelCatalog.Param ALPHA = KernelCatalog.Param.number("alpha", 2,
            "scale of the data map: each term is exp(-i*alpha*phi_S(x)/2 * P_S)");
    /** The Pauli strings of the general map. */
    public static final KernelCatalog.Param PAULIS = KernelCatalog.Param.wordList("paulis", List.of("Z", "ZZ"),
            "Pauli strings applied in order, e.g. [Z, ZZ] or [Z, XX, YY]");
    /** Shots per entry; 0 for the exact kernel. */
    public static final KernelCatalog.Param SHOTS = KernelCatalog.Param.integer("shots", 0, 0, 1_000_000_000,
            "measurement shots per kernel entry; 0 = exact statevector value");
    /** Seed of the shot noise. */
    public static final KernelCatalog.Param SEED = KernelCatalog.Param.integer("seed", 0, 0, Integer.MAX_VALUE,
            "seed of the shot-noise generator (with shots > 0)");
    /** {@code zz(...)}: Qiskit's ZZFeatureMap. */
    public static final KernelCatalog.Type ZZ_TYPE = KernelCatalog.Type.builder("zz",
            "k(x,z) = |<Phi(x)|Phi(z)>|^2, Phi = ZZ feature map (Havlicek 2019; Qiskit ZZFeatureMap), one qubit per feature")
            .params(REPS, ENTANGLEMENT, ALPHA, SHOTS, SEED)
            .caveat("one qubit per feature: 2^d complex amplitudes per point; with shots > 0 the Gram matrix is "
                    + "noisy and not PSD")
            .examples("zz(reps=1, entanglement=linear, alpha=1.3)", "zz(reps=3, entanglement=[[0, 2], [2, 1]])",
                    "zz(entanglement=circular, alpha=0.4)")
            .factory(a -> new FidelityKernel(true, map(a, List.of("Z", "ZZ")), a.integer(SHOTS), a.integer(SEED)));
    /** {@code pauli(...)}: Qiskit's PauliFeatureMap. */
    public static final KernelCatalog.Type PAULI_TYPE = KernelCatalog.Type.builder("pauli",
            "k(x,z) = |<Phi(x)|Phi(z)>|^2, Phi = Pauli feature map with the given Pauli strings (Qiskit PauliFeatureMap)")
            .params(PAULIS, REPS, ENTANGLEMENT, ALPHA, SHOTS, SEED)
            .caveat("one qubit per feature: 2^d complex amplitudes per point; with shots > 0 the Gram matrix is "
                    + "noisy and not PSD")
            .examples("pauli(paulis=[Z, XX, YY], reps=1, entanglement=linear, alpha=1.1)",
                    "pauli(paulis=[Y, XZ, ZZZ], reps=2, entanglement=sca, alpha=0.6)")
            .factory(a -> new FidelityKernel(false, map(a, a.wordList(PAULIS)), a.integer(SHOTS),
                    a.integer(SEED)));

    private final boolean zzSpec;
    private final PauliFeatureMap featureMap;
    private final StateMap states;
    private final int shots;
    private final int seed;

    /** The exact fidelity kernel of {@code featureMap}. */
    public FidelityKernel(PauliFeatureMap featureMap) {
        this(featureMap, 0, 0);
    }

    /** The fidelity kernel of {@code featureMap} estimated from {@code shots} shots per entry (0: exact). */
    public FidelityKernel(PauliFeatureMap featureMap, int shots, int seed) {
        this(isZz(featureMap), featureMap, shots, seed);
    }

    private FidelityKernel(boolean zzSpec, PauliFeatureMap featureMap, int shots, int seed) {
        this.zzSpec = zzSpec;
        KernelCatalog.Type type = zzSpec ? ZZ_TYPE : PAULI_TYPE;
        this.featureMap = Objects.requireNonNull(featureMap, "featureMap");
        this.states = new StateMap(featureMap);
        this.shots = SHOTS.check(type.name(), shots);
        this.seed = SEED.check(type.name(), seed);
    }

    private static boolean isZz(PauliFeatureMap m) {
        return m.paulis().equals(List.of("Z", "ZZ"));
    }

    static PauliFeatureMap map(KernelSpec.Args a, List<String> paulis) {
        int reps = a.integer(REPS);
        double alpha = a.number(ALPHA);
        int[][] tuples = a.integerLists(ENTANGLEMENT);
        try {
            return tuples != null ? PauliFeatureMap.of(paulis, reps, tuples, alpha)
                    : PauliFeatureMap.of(paulis, reps, a.word(ENTANGLEMENT), alpha);
        } catch (Kernels4jException e) {
            throw a.error(tuples != null ? ENTANGLEMENT : PAULIS, e.getMessage());
        }
    }

    /** The feature map. */
    public PauliFeatureMap featureMap() {
        return featureMap;
    }

    /** Shots per entry (0: exact). */
    public int shots() {
        return shots;
    }

    /** The same kernel with another data-map scale α. */
    public FidelityKernel withAlpha(double alpha) {
        return new FidelityKernel(zzSpec, featureMap.withAlpha(alpha), shots, seed);
    }

    /** The same kernel estimated with {@code newShots} shots per entry (0: exact) and this seed. */
    public FidelityKernel withShots(int newShots, int newSeed) {
        return new FidelityKernel(zzSpec, featureMap, newShots, newSeed);
    }

    @Override
    public double value(double[] x, double[] z) {
        Specs.requireSameLength(x, z);
        double[] a = featureMap.state(x);
        double[] b = featureMap.state(z);
        double re = 0;
        double im = 0;
        for (int k = 0; k < a.length; k += 2) {
            re += a[k] * b[k] + a[k + 1] * b[k + 1];
            im += a[k] * b[k + 1] - a[k + 1] * b[k];
        }
        double exact = re * re + im * im;
        return shots == 0 ? exact : estimate(exact, rowHash(x, 0, x.length), rowHash(z, 0, z.length));
    }

    @Override
    public double selfValue(double[] x) {
        return 1.0;
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        double[] im = block.borrow();
        try {
            block.complexInnerProducts(states, out, im);
            int len = block.rows() * block.cols();
            for (int k = 0; k < len; k++) {
                out[k] = out[k] * out[k] + im[k] * im[k];
            }
        } finally {
            block.giveBack(im);
        }
        if (shots > 0) {
            addShotNoise(block, out);
        }
        block.setSameSampleEntries(out, 1.0);
    }

    private void addShotNoise(GramBlock block, double[] out) {
        int d = block.features();
        double[] left = block.leftInputs().data();
        double[] right = block.rightInputs().data();
        long[] colHash = new long[block.cols()];
        for (int j = 0; j < colHash.length; j++) {
            colHash[j] = rowHash(right, (block.colStart() + j) * d, d);
        }
        for (int i = 0; i < block.rows(); i++) {
            long h = rowHash(left, (block.rowStart() + i) * d, d);
            for (int j = 0; j < colHash.length; j++) {
                int k = i * colHash.length + j;
                out[k] = estimate(out[k], h, colHash[j]);
            }
        }
    }

    /** Binomial(S, p)/S from a generator seeded by the seed and the unordered pair of row hashes. */
    private double estimate(double p, long h1, long h2) {
        long lo = Math.min(h1, h2);
        long hi = Math.max(h1, h2);
        long s = mix(mix(seed * 0x9E3779B97F4A7C15L + lo) ^ hi);
        double u = new SplittableRandom(s).nextDouble();
        double q = Math.min(1.0, Math.max(0.0, p));
        return BinomialDistribution.of(shots, q).inverseCumulativeProbability(u) / (double) shots;
    }

    private static long rowHash(double[] v, int offset, int d) {
        long h = 0x243F6A8885A308D3L;
        for (int f = 0; f < d; f++) {
            h = mix(h ^ Double.doubleToLongBits(v[offset + f] + 0.0)); // +0.0: −0 and 0 are the same point
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toSpec() {
        Integer shotsText = shots == 0 ? null : shots;
        Integer seedText = shots == 0 ? null : seed;
        if (zzSpec) {
            return ZZ_TYPE.spec(featureMap.reps(), featureMap.entanglementSpec(), featureMap.alpha(), shotsText, seedText);
        }
        return PAULI_TYPE.spec("[" + String.join(", ", featureMap.paulis()) + "]", featureMap.reps(),
                featureMap.entanglementSpec(), featureMap.alpha(), shotsText, seedText);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FidelityKernel && ((FidelityKernel) o).featureMap.equals(featureMap)
                && ((FidelityKernel) o).shots == shots && ((FidelityKernel) o).seed == seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(featureMap, shots, seed);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
