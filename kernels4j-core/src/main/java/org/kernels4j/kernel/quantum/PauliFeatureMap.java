package org.kernels4j.kernel.quantum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Specs;

/**
 * The Pauli feature map of Havlíček et al. (Nature 567, 2019), with Qiskit's {@code PauliFeatureMap}
 * / {@code ZZFeatureMap} conventions, simulated exactly: x ∈ ℝⁿ ↦ the n-qubit state |Φ(x)⟩, one
 * qubit per feature.
 *
 * <p><b>The circuit.</b> {@code reps} times: a Hadamard on every qubit, then for each Pauli string
 * P in {@code paulis} (in order) and each qubit tuple S of P's length chosen by {@code entanglement}
 * (in order), the evolution exp(−i·α·φ_S(x)/2 · P_S) with the data map φ_{i}(x) = x_i and
 * φ_S(x) = Π_{j∈S}(π − x_j) for |S| ≥ 2. Qiskit builds that evolution from a basis change (H for X,
 * RX(π/2) for Y), a CX chain, P(α·φ_S) on the last qubit and the inverse; P(λ) = e^{iλ/2}·RZ(λ), so
 * the state computed here also carries Qiskit's global phase e^{i·Σ α·φ_S/2} and equals
 * {@code Statevector(feature_map.assign_parameters(x))} entry by entry. A Pauli string's characters
 * act right to left on the tuple (Qiskit's order): "XY" on (i, j) puts Y on qubit i and X on j.
 * Basis index b holds qubit k in bit k (Qiskit's little-endian order). The ZZ feature map is
 * {@code paulis = [Z, ZZ]}; the defaults reps = 2, entanglement = full, α = 2 are Qiskit's.
 *
 * <p><b>Entanglement</b> (tuples for strings of length m on n qubits, as Qiskit's
 * {@code get_entangler_map}): {@code full} all m-subsets in lexicographic order; {@code linear}
 * (0..m−1), (1..m), …; {@code reverse_linear} the same in reverse order; {@code circular} the n
 * cyclic windows starting at index n−m+1 (linear when m = 1 or m = n); {@code sca} circular shifted
 * by the repetition index r, each tuple reversed in odd repetitions; {@code pairwise} (m ≤ 2) the
 * even pairs (0,1), (2,3), … then the odd ones. Explicit tuples such as [[0, 1], [1, 2]] apply to the
 * Pauli strings of their length; strings of a length no tuple has act on all {@code full} tuples of
 * that length (single-qubit strings: every qubit). Strings longer than the qubit count act nowhere.
 *
 * <p><b>Algorithm</b> (O(reps·2ⁿ·(n + t)) per state for t non-diagonal terms): the state starts
 * uniform; a Hadamard layer is a fast Walsh–Hadamard transform; a run of consecutive diagonal
 * (Z-only) terms multiplies amplitude b by e^{−iθ(b)} where θ = Σ_S (α·φ_S/2)·(−1)^{|b ∧ mask_S|}
 * is itself one fast Walsh–Hadamard transform of the coefficients placed at the masks (O(n·2ⁿ) for
 * any number of terms); a term with X or Y factors applies cos(θ/2)·ψ − i·sin(θ/2)·Pψ in one O(2ⁿ)
 * pass. Memory: one state, 2ⁿ⁺¹ doubles, plus 3·2ⁿ doubles of scratch.
 *
 * <p>Immutable and thread-safe.
 */
public final class PauliFeatureMap {
    /** The most qubits a state may have: 2³⁰ complex amplitudes exceed a Java array. */
    public static final int MAX_QUBITS = 29;
    /** The entanglement strategies by name. */
    public static final List<String> STRATEGIES = List.of("full", "linear", "reverse_linear", "circular", "sca",
            "pairwise");

    private final List<String> paulis;
    private final int reps;
    private final String strategy;
    private final int[][] tuples;
    private final double alpha;
    private final transient Map<Integer, Circuit> circuits = new ConcurrentHashMap<>();

    private PauliFeatureMap(List<String> paulis, int reps, String strategy, int[][] tuples, double alpha) {
        if (paulis.isEmpty()) {
            throw new Kernels4jException("paulis must name at least one Pauli string, e.g. [Z, ZZ]");
        }
        List<String> upper = new ArrayList<>();
        for (String p : paulis) {
            String u = p.toUpperCase(Locale.ROOT);
            if (u.isEmpty() || !u.matches("[IXYZ]+")) {
                throw new Kernels4jException("'" + p + "' is not a Pauli string: use the letters I, X, Y and Z, e.g. ZZ");
            }
            if (u.chars().allMatch(c -> c == 'I')) {
                throw new Kernels4jException("the Pauli string '" + p + "' is all identities and does nothing");
            }
            upper.add(u);
        }
        if (reps < 1) {
            throw new Kernels4jException("reps must be a positive integer, got " + reps);
        }
        if (!Double.isFinite(alpha)) {
            throw new Kernels4jException("alpha must be a finite number, got " + Specs.num(alpha));
        }
        if (strategy != null && !STRATEGIES.contains(strategy)) {
            throw new Kernels4jException("unknown entanglement '" + strategy + "'; use one of "
                    + String.join(", ", STRATEGIES) + " or a list of qubit tuples such as [[0, 1], [1, 2]]");
        }
        if (tuples != null) {
            for (int[] t : tuples) {
                if (t.length == 0) {
                    throw new Kernels4jException("an entanglement tuple is empty");
                }
                for (int a = 0; a < t.length; a++) {
                    for (int b = a + 1; b < t.length; b++) {
                        if (t[a] == t[b]) {
                            throw new Kernels4jException("the entanglement tuple " + Arrays.toString(t)
                                    + " names qubit " + t[a] + " twice");
                        }
                    }
                }
            }
        }
        this.paulis = List.copyOf(upper);
        this.reps = reps;
        this.strategy = strategy;
        this.tuples = tuples == null ? null : deepCopy(tuples);
        this.alpha = alpha;
    }

    /** The ZZ feature map: {@code paulis = [Z, ZZ]}. */
    public static PauliFeatureMap zz(int reps, String entanglement, double alpha) {
        return of(List.of("Z", "ZZ"), reps, entanglement, alpha);
    }

    /** A Pauli feature map with a named entanglement strategy ({@link #STRATEGIES}). */
    public static PauliFeatureMap of(List<String> paulis, int reps, String entanglement, double alpha) {
        return new PauliFeatureMap(paulis, reps, entanglement.toLowerCase(Locale.ROOT), null, alpha);
    }

    /** A Pauli feature map with explicit qubit tuples, e.g. {@code {{0, 1}, {1, 2}}}. */
    public static PauliFeatureMap of(List<String> paulis, int reps, int[][] tuples, double alpha) {
        return new PauliFeatureMap(paulis, reps, null, Objects.requireNonNull(tuples, "tuples"), alpha);
    }

    /** The Pauli strings, upper case, in application order. */
    public List<String> paulis() {
        return paulis;
    }

    /** Number of repetitions. */
    public int reps() {
        return reps;
    }

    /** The named entanglement strategy, or null when explicit tuples are given. */
    public String entanglement() {
        return strategy;
    }

    /** The explicit qubit tuples (a copy), or null for a named strategy. */
    public int[][] tuples() {
        return tuples == null ? null : deepCopy(tuples);
    }

    /** The scale α of the data map. */
    public double alpha() {
        return alpha;
    }

    /** The same map with another α. */
    public PauliFeatureMap withAlpha(double newAlpha) {
        return new PauliFeatureMap(paulis, reps, strategy, tuples, newAlpha);
    }

    /** The entanglement as spec text: a strategy name or {@code [[0, 1], [1, 2]]}. */
    public String entanglementSpec() {
        if (strategy != null) {
            return strategy;
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < tuples.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('[');
            for (int j = 0; j < tuples[i].length; j++) {
                sb.append(j > 0 ? ", " : "").append(tuples[i][j]);
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    /**
     * The qubit tuples a Pauli string of length {@code m} acts on in repetition {@code rep}
     * (0-based), on {@code qubits} qubits, in application order.
     *
     * A string longer than the qubit count has no tuples (so {@code zz} on one feature is the Z map).
     *
     * @throws Kernels4jException when an explicit tuple names a qubit that does not exist
     */
    public List<int[]> tuples(int qubits, int m, int rep) {
        if (m > qubits) {
            return new ArrayList<>();
        }
        if (strategy == null) {
            List<int[]> out = new ArrayList<>();
            for (int[] t : tuples) {
                if (t.length == m) {
                    for (int q : t) {
                        if (q >= qubits) {
                            throw new Kernels4jException("the entanglement tuple " + Arrays.toString(t) + " names qubit "
                                    + q + ", but the data has " + qubits + " features (qubits 0 to " + (qubits - 1) + ")");
                        }
                    }
                    out.add(t.clone());
                }
            }
            return out.isEmpty() ? full(qubits, m) : out;
        }
        switch (strategy) {
            case "full":
                return full(qubits, m);
            case "linear":
                return linear(qubits, m);
            case "reverse_linear": {
                List<int[]> l = linear(qubits, m);
                java.util.Collections.reverse(l);
                return l;
            }
            case "circular":
                return circular(qubits, m);
            case "sca":
                return shiftedCircularAlternating(qubits, m, rep);
            case "pairwise":
                if (m > 2) {
                    throw new Kernels4jException("pairwise entanglement takes Pauli strings of at most 2 qubits, got "
                            + m);
                }
                if (m == 1) {
                    return linear(qubits, 1);
                }
                List<int[]> l = linear(qubits, 2);
                List<int[]> out = new ArrayList<>();
                for (int i = 0; i < l.size(); i += 2) {
                    out.add(l.get(i));
                }
                for (int i = 1; i < l.size(); i += 2) {
                    out.add(l.get(i));
                }
                return out;
            default:
                throw new IllegalStateException(strategy);
        }
    }

    private static List<int[]> full(int n, int m) {
        List<int[]> out = new ArrayList<>();
        int[] c = new int[m];
        for (int i = 0; i < m; i++) {
            c[i] = i;
        }
        while (true) {
            out.add(c.clone());
            int i = m - 1;
            while (i >= 0 && c[i] == n - m + i) {
                i--;
            }
            if (i < 0) {
                return out;
            }
            c[i]++;
            for (int j = i + 1; j < m; j++) {
                c[j] = c[j - 1] + 1;
            }
        }
    }

    private static List<int[]> linear(int n, int m) {
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s + m <= n; s++) {
            int[] t = new int[m];
            for (int i = 0; i < m; i++) {
                t[i] = s + i;
            }
            out.add(t);
        }
        return out;
    }

    private static List<int[]> circular(int n, int m) {
        if (m == 1 || m == n) {
            return linear(n, m);
        }
        List<int[]> out = new ArrayList<>();
        int offset = n - m + 1;
        for (int s = 0; s < n; s++) {
            int[] t = new int[m];
            for (int i = 0; i < m; i++) {
                t[i] = (offset + s + i) % n;
            }
            out.add(t);
        }
        return out;
    }

    private static List<int[]> shiftedCircularAlternating(int n, int m, int rep) {
        List<int[]> c = circular(n, m);
        int size = c.size();
        int split = (size - (rep % size)) % size;
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int[] t = c.get((split + i) % size).clone();
            if (rep % 2 == 1) {
                for (int a = 0, b = t.length - 1; a < b; a++, b--) {
                    int tmp = t[a];
                    t[a] = t[b];
                    t[b] = tmp;
                }
            }
            out.add(t);
        }
        return out;
    }

    /** Number of doubles in a state of {@code qubits} qubits: 2·2ⁿ. */
    public static int stateLength(int qubits) {
        requireQubits(qubits);
        return 2 << qubits;
    }

    static void requireQubits(int qubits) {
        if (qubits < 1) {
            throw new Kernels4jException("a quantum feature map needs at least one feature (one qubit per feature)");
        }
        if (qubits > MAX_QUBITS) {
            throw new Kernels4jException("the data has " + qubits + " features, so the states would have " + qubits
                    + " qubits: one state needs " + stateBytesText(qubits) + " and at most " + MAX_QUBITS
                    + " qubits (" + bytesText(16L << MAX_QUBITS) + " per state) are simulated; reduce the features (e.g. PCA)");
        }
    }

    /** 16·2^q bytes (2^q complex amplitudes) in words, for any q: the long shift would wrap from q = 60 on. */
    static String stateBytesText(int qubits) {
        double gib = Math.scalb(16.0, qubits - 30);
        return gib >= 1e6 ? String.format(Locale.ROOT, "%.3g GiB", gib) : bytesText((long) Math.scalb(16.0, qubits));
    }

    static String bytesText(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    /**
     * |Φ(x)⟩ as 2ⁿ interleaved (re, im) pairs, amplitude of basis state b at {@code [2b, 2b+1]}.
     *
     * @throws Kernels4jException for non-finite features or too many qubits
     */
    public double[] state(double[] x) {
        double[] out = new double[stateLength(x.length)];
        state(x, 0, x.length, out);
        return out;
    }

    /** Writes |Φ(x)⟩ for the row {@code x[offset, offset + n)} into {@code out[0, 2ⁿ⁺¹)}. */
    void state(double[] x, int offset, int n, double[] out) {
        requireQubits(n);
        for (int k = 0; k < n; k++) {
            if (!Double.isFinite(x[offset + k])) {
                throw new Kernels4jException("feature " + (k + 1) + " is " + x[offset + k]
                        + "; quantum feature maps need finite features");
            }
        }
        Circuit c = circuit(n);
        int dim = 1 << n;
        double[] re = new double[dim];
        double[] im = new double[dim];
        Arrays.fill(re, 1.0 / Math.sqrt(dim));
        double[] scratch = new double[dim];
        double[] cos = new double[dim];
        double[] sin = new double[dim];
        double globalPhase = 0;
        List<Term> cached = null;
        for (int r = 0; r < reps; r++) {
            if (r > 0) {
                hadamardAll(re, im, n);
            }
            for (List<Term> group : c.groups.get(r)) {
                Term first = group.get(0);
                if (first.diagonal()) {
                    if (!group.equals(cached)) {
                        diagonalPhases(group, x, offset, n, scratch, cos, sin);
                        cached = group;
                    }
                    for (Term t : group) {
                        globalPhase += alpha * t.dataMap(x, offset) / 2;
                    }
                    for (int b = 0; b < dim; b++) {
                        double a = re[b];
                        double bb = im[b];
                        re[b] = a * cos[b] + bb * sin[b];
                        im[b] = bb * cos[b] - a * sin[b];
                    }
                } else {
                    double theta = alpha * first.dataMap(x, offset);
                    globalPhase += theta / 2;
                    applyPauliRotation(first, theta, re, im);
                }
            }
        }
        double gc = Math.cos(globalPhase);
        double gs = Math.sin(globalPhase);
        for (int b = 0; b < dim; b++) {
            out[2 * b] = re[b] * gc - im[b] * gs;
            out[2 * b + 1] = re[b] * gs + im[b] * gc;
        }
    }

    /** cos/sin of θ(b) = Σ_t (α·φ_t/2)·(−1)^{|b ∧ mask_t|} for a run of Z-only terms: one Walsh–Hadamard transform. */
    private void diagonalPhases(List<Term> group, double[] x, int offset, int n, double[] w, double[] cos,
            double[] sin) {
        Arrays.fill(w, 0.0);
        for (Term t : group) {
            w[t.zMask] += alpha * t.dataMap(x, offset) / 2;
        }
        walshHadamard(w, n);
        for (int b = 0; b < w.length; b++) {
            cos[b] = Math.cos(w[b]);
            sin[b] = Math.sin(w[b]);
        }
    }

    /** ψ ← cos(θ/2)·ψ − i·sin(θ/2)·Pψ, with (Pψ)[b ⊕ flip] = i^{#Y}·(−1)^{|b ∧ (Z ∨ Y)|}·ψ[b]. */
    private static void applyPauliRotation(Term t, double theta, double[] re, double[] im) {
        double c = Math.cos(theta / 2);
        double s = Math.sin(theta / 2);
        int flip = t.xMask | t.yMask;
        int signMask = t.zMask | t.yMask;
        // κ = −i·i^{#Y}, one of ±1, ±i: (kr, ki)
        int power = (Integer.bitCount(t.yMask) + 1) & 3;
        double kr = -(power == 0 ? 1 : power == 2 ? -1 : 0);
        double ki = -(power == 1 ? 1 : power == 3 ? -1 : 0);
        for (int b = 0; b < re.length; b++) {
            int u = b ^ flip;
            if (u < b) {
                continue;
            }
            double sb = (Integer.bitCount(b & signMask) & 1) == 0 ? s : -s;
            double su = (Integer.bitCount(u & signMask) & 1) == 0 ? s : -s;
            double rb = re[b];
            double ib = im[b];
            double ru = re[u];
            double iu = im[u];
            // new ψ[u] = c·ψ[u] + s·sign(b)·κ·ψ[b]; new ψ[b] = c·ψ[b] + s·sign(u)·κ·ψ[u]
            re[u] = c * ru + sb * (kr * rb - ki * ib);
            im[u] = c * iu + sb * (kr * ib + ki * rb);
            re[b] = c * rb + su * (kr * ru - ki * iu);
            im[b] = c * ib + su * (kr * iu + ki * ru);
        }
    }

    /** H on every qubit: the normalised fast Walsh–Hadamard transform of the state. */
    private static void hadamardAll(double[] re, double[] im, int n) {
        walshHadamard(re, n);
        walshHadamard(im, n);
        double scale = Math.pow(2, -n / 2.0);
        for (int b = 0; b < re.length; b++) {
            re[b] *= scale;
            im[b] *= scale;
        }
    }

    /** In place, unnormalised: v[b] ← Σ_m v[m]·(−1)^{|b ∧ m|}. O(n·2ⁿ). */
    static void walshHadamard(double[] v, int n) {
        int dim = 1 << n;
        for (int h = 1; h < dim; h <<= 1) {
            for (int i = 0; i < dim; i += h << 1) {
                for (int j = i; j < i + h; j++) {
                    double a = v[j];
                    double b = v[j + h];
                    v[j] = a + b;
                    v[j + h] = a - b;
                }
            }
        }
    }

    private Circuit circuit(int n) {
        return circuits.computeIfAbsent(n, this::build);
    }

    private Circuit build(int n) {
        List<List<List<Term>>> groups = new ArrayList<>();
        List<List<Term>> previous = null;
        List<Term> previousTerms = null;
        for (int r = 0; r < reps; r++) {
            List<Term> terms = new ArrayList<>();
            for (String p : paulis) {
                for (int[] t : tuples(n, p.length(), r)) {
                    terms.add(new Term(p, t));
                }
            }
            if (terms.equals(previousTerms)) {
                groups.add(previous); // same terms: same groups, so cached diagonal phases are reused
                continue;
            }
            List<List<Term>> g = new ArrayList<>();
            List<Term> run = new ArrayList<>();
            for (Term t : terms) {
                if (t.diagonal()) {
                    run.add(t);
                } else {
                    if (!run.isEmpty()) {
                        g.add(List.copyOf(run));
                        run.clear();
                    }
                    g.add(List.of(t));
                }
            }
            if (!run.isEmpty()) {
                g.add(List.copyOf(run));
            }
            groups.add(g);
            previous = g;
            previousTerms = terms;
        }
        return new Circuit(groups);
    }

    /** Per repetition, the terms in runs: a run of Z-only terms, or one term with X or Y factors. */
    private static final class Circuit {
        final List<List<List<Term>>> groups;

        Circuit(List<List<List<Term>>> groups) {
            this.groups = groups;
        }
    }

    /** One evolution exp(−i·α·φ_S/2·P_S): the Pauli factor on each qubit of the tuple as masks. */
    private static final class Term {
        final int[] qubits;
        final int xMask;
        final int yMask;
        final int zMask;

        Term(String pauli, int[] qubits) {
            this.qubits = qubits.clone();
            int x = 0;
            int y = 0;
            int z = 0;
            int m = pauli.length();
            for (int k = 0; k < m; k++) {
                char c = pauli.charAt(m - 1 - k); // Qiskit applies the string right to left
                int bit = 1 << qubits[k];
                if (c == 'X') {
                    x |= bit;
                } else if (c == 'Y') {
                    y |= bit;
                } else if (c == 'Z') {
                    z |= bit;
                }
            }
            this.xMask = x;
            this.yMask = y;
            this.zMask = z;
        }

        boolean diagonal() {
            return (xMask | yMask) == 0;
        }

        /** φ_S(x): x_i for one qubit, Π(π − x_j) otherwise (over the whole tuple, identities included). */
        double dataMap(double[] x, int offset) {
            if (qubits.length == 1) {
                return x[offset + qubits[0]];
            }
            double p = 1;
            for (int q : qubits) {
                p *= Math.PI - x[offset + q];
            }
            return p;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Term && Arrays.equals(((Term) o).qubits, qubits) && ((Term) o).xMask == xMask
                    && ((Term) o).yMask == yMask && ((Term) o).zMask == zMask;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(qubits) * 31 + xMask * 7 + yMask * 3 + zMask;
        }
    }

    private static int[][] deepCopy(int[][] a) {
        int[][] out = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PauliFeatureMap)) {
            return false;
        }
        PauliFeatureMap m = (PauliFeatureMap) o;
        return m.paulis.equals(paulis) && m.reps == reps && Objects.equals(m.strategy, strategy)
                && Arrays.deepEquals(m.tuples, tuples) && Double.compare(m.alpha, alpha) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(paulis, reps, strategy, Arrays.deepHashCode(tuples), alpha);
    }

    @Override
    public String toString() {
        return "PauliFeatureMap(paulis=" + paulis + ", reps=" + reps + ", entanglement=" + entanglementSpec()
                + ", alpha=" + Specs.num(alpha) + ")";
    }
}
