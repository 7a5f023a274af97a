package org.kernels4j.kernel.string;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Specs;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.linalg.SparseCounts;

/**
 * Kernels on strings (texts, DNA or protein sequences), as kernlab's {@code stringdot} and the
 * bioinformatics string kernels define them. With φ_u(s) the number of occurrences of the string u
 * in s as a substring (contiguous), the substring kernels are k(s, t) = Σ_u w(|u|) φ_u(s) φ_u(t)
 * with the weight w by type:
 * <ul>
 * <li>{@code spectrum(length=4)}: w(l) = 1 if l = length, else 0 (the k-spectrum kernel, Leslie et
 * al. 2002); {@code k} is an alias of {@code length};</li>
 * <li>{@code boundrange(length=4)}: w(l) = 1 if l ≤ length;</li>
 * <li>{@code constant()}: w(l) = 1 for every length;</li>
 * <li>{@code exponential(lambda=1.1)}: w(l) = λ^(−l), λ &gt; 1 (longer matches count less, as
 * kernlab's "exponential decay");</li>
 * <li>{@code subsequence(k=3, lambda=0.5)}: the gap-weighted subsequence kernel of Lodhi et al.
 * (2002), k(s, t) = Σ_{u ∈ Σ^k} Σ_{i: s[i] = u} Σ_{j: t[j] = u} λ^(l(i) + l(j)) over index
 * tuples i_1 &lt; … &lt; i_k with l(i) = i_k − i_1 + 1, 0 &lt; λ ≤ 1;</li>
 * <li>{@code mismatch(k=5, m=1, alphabet=ACGT)}: the (k, m)-mismatch kernel of Leslie et al.
 * (2004), φ_β(s) = number of k-mers of s within Hamming distance m of β, k(s, t) = Σ_{β ∈ Σ^k}
 * φ_β(s) φ_β(t); every character must be in the alphabet.</li>
 * </ul>
 * Every type is positive semi-definite (an inner product of feature vectors). By default the value
 * is normalized as kernlab does, k(s, t)/√(k(s, s) k(t, t)) ∈ [0, 1]; {@code normalized=false}
 * gives the raw value.
 * <p>Cost: spectrum, boundrange and mismatch build sparse count vectors in O(L·r) per string
 * (r = 1, length, and the mismatch neighbourhood size Σ_{i ≤ m} C(k, i)(|Σ| − 1)^i) and take sparse dot
 * products, O(nnz) per pair; constant and exponential cost O(|s|·|t|) per pair (a longest common
 * prefix table: k(s, t) = Σ_{i, j} W(lcp(s[i..], t[j..])), W(L) = Σ_{l ≤ L} w(l)); subsequence costs
 * O(k·|s|·|t|) per pair (Lodhi's dynamic programme). Rows of a Gram matrix run in parallel
 * ({@link Parallelism}).
 * <p>Immutable and thread-safe.
 */
public final class StringKernel {
    /** The string kernel types. */
    public enum Type {
        /** Substrings of exactly {@code length} characters. */
        SPECTRUM,
        /** Substrings of 1 to {@code length} characters. */
        BOUNDRANGE,
        /** All common substrings, weight 1. */
        CONSTANT,
        /** All common substrings, weight λ^(−length). */
        EXPONENTIAL,
        /** Gap-weighted subsequences of {@code length} characters. */
        SUBSEQUENCE,
        /** k-mers with up to m mismatches. */
        MISMATCH;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The default alphabet of {@code mismatch}: DNA. */
    public static final String DNA = "ACGT";

    /** Largest mismatch neighbourhood per k-mer (a guard against k, m, |Σ| that would take hours). */
    private static final long MAX_NEIGHBOURHOOD = 1_000_000;

    private final Type type;
    private final int length;
    private final double lambda;
    private final int mismatches;
    private final String alphabet;
    private final boolean normalized;

    private StringKernel(Type type, int length, double lambda, int mismatches, String alphabet, boolean normalized) {
        this.type = type;
        this.length = length;
        this.lambda = lambda;
        this.mismatches = mismatches;
        this.alphabet = alphabet;
        this.normalized = normalized;
    }

    /** The k-spectrum kernel (kernlab {@code stringdot(type="spectrum", length=k)}), normalized; k ≥ 1. */
    public static StringKernel spectrum(int k) {
        return new StringKernel(Type.SPECTRUM, positiveLength("spectrum", "length", k), 0, 0, null, true);
    }

    /** Substrings of 1 to {@code length} characters (kernlab "boundrange"), normalized; length ≥ 1. */
    public static StringKernel boundRange(int length) {
        return new StringKernel(Type.BOUNDRANGE, positiveLength("boundrange", "length", length), 0, 0, null, true);
    }

    /** All common substrings with weight 1 (kernlab "constant"), normalized. */
    public static StringKernel constant() {
        return new StringKernel(Type.CONSTANT, 0, 0, 0, null, true);
    }

    /** All common substrings with weight λ^(−length) (kernlab "exponential"), normalized; λ &gt; 1. */
    public static StringKernel exponential(double lambda) {
        if (!(lambda > 1) || Double.isInfinite(lambda)) {
            throw new Kernels4jException("exponential: lambda must be a finite number > 1, got " + lambda);
        }
        return new StringKernel(Type.EXPONENTIAL, 0, lambda, 0, null, true);
    }

    /** Lodhi's gap-weighted subsequence kernel of order k ≥ 1 with decay 0 &lt; λ ≤ 1, normalized. */
    public static StringKernel subsequence(int k, double lambda) {
        if (!(lambda > 0 && lambda <= 1)) {
            throw new Kernels4jException("subsequence: lambda must be in (0, 1], got " + lambda);
        }
        return new StringKernel(Type.SUBSEQUENCE, positiveLength("subsequence", "k", k), lambda, 0, null, true);
    }

    /**
     * The (k, m)-mismatch kernel over {@code alphabet} (distinct characters), normalized; 0 ≤ m &lt; k
     * and |Σ|^k &lt; 2^63.
     */
    public static StringKernel mismatch(int k, int m, String alphabet) {
        positiveLength("mismatch", "k", k);
        if (m < 0 || m >= k) {
            throw new Kernels4jException("mismatch: m must be in [0, k - 1] = [0, " + (k - 1) + "], got " + m);
        }
        if (alphabet == null || alphabet.isEmpty()) {
            throw new Kernels4jException("mismatch: the alphabet is empty");
        }
        for (int i = 0; i < alphabet.length(); i++) {
            if (alphabet.indexOf(alphabet.charAt(i)) != i) {
                throw new Kernels4jException("mismatch: the alphabet repeats '" + alphabet.charAt(i) + "'");
            }
        }
        if (k * Math.log(alphabet.length()) >= 63 * Math.log(2)) {
            throw new Kernels4jException("mismatch: " + alphabet.length() + "^" + k + " k-mers do not fit a 64-bit code; "
                    + "use a smaller k");
        }
        long hood = 0;
        for (int i = 0; i <= m; i++) {
            hood += binomial(k, i) * (long) Math.pow(alphabet.length() - 1, i);
        }
        if (hood > MAX_NEIGHBOURHOOD) {
            throw new Kernels4jException("mismatch: each k-mer has " + hood + " neighbours within m = " + m
                    + " mismatches (more than " + MAX_NEIGHBOURHOOD + "); use a smaller m or k");
        }
        return new StringKernel(Type.MISMATCH, k, 0, m, alphabet, true);
    }

    /** The same kernel, normalized k(s, t)/√(k(s, s) k(t, t)) or raw. */
    public StringKernel normalized(boolean normalize) {
        return new StringKernel(type, length, lambda, mismatches, alphabet, normalize);
    }

    /**
     * Parses a spec: {@code spectrum(length=4)} (or {@code k=4}), {@code boundrange(length=4)},
     * {@code constant()}, {@code exponential(lambda=1.1)}, {@code subsequence(k=3, lambda=0.5)},
     * {@code mismatch(k=5, m=1, alphabet=ACGT)}; each also takes {@code normalized=true|false}.
     * Defaults are kernlab's: length 4, λ 1.1 (exponential); subsequence λ 0.5; mismatch m 1, alphabet ACGT.
     *
     * @throws Kernels4jException naming the spec and the problem
     */
    public static StringKernel parse(String spec) {
        if (spec == null) {
            throw new Kernels4jException("no string kernel spec");
        }
        String s = spec.trim();
        int open = s.indexOf('(');
        String name = (open < 0 ? s : s.substring(0, open)).trim().toLowerCase(Locale.ROOT);
        Map<String, String> args = new LinkedHashMap<>();
        if (open >= 0) {
            if (!s.endsWith(")")) {
                throw bad(spec, "missing ')'");
            }
            String inner = s.substring(open + 1, s.length() - 1).trim();
            if (!inner.isEmpty()) {
                for (String part : inner.split(",")) {
                    int eq = part.indexOf('=');
                    if (eq < 0) {
                        throw bad(spec, "expected name=value, got '" + part.trim() + "'");
                    }
                    String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                    if (key.equals("k") && !name.equals("mismatch") && !name.equals("subsequence")) {
                        key = "length";
                    } else if (key.equals("length") && (name.equals("mismatch") || name.equals("subsequence"))) {
                        key = "k";
                    }
                    if (args.put(key, part.substring(eq + 1).trim()) != null) {
                        throw bad(spec, "'" + key + "' is given twice");
                    }
                }
            }
        }
        boolean norm = Boolean.parseBoolean(args.getOrDefault("normalized", "true"));
        if (args.containsKey("normalized") && !args.get("normalized").matches("(?i)true|false")) {
            throw bad(spec, "normalized must be true or false, got '" + args.get("normalized") + "'");
        }
        args.remove("normalized");
        StringKernel k;
        try {
            k = switch (name) {
                case "spectrum" -> spectrum(integer(spec, take(args, "length", "4")));
                case "boundrange" -> boundRange(integer(spec, take(args, "length", "4")));
                case "constant" -> constant();
                case "exponential" -> exponential(number(spec, take(args, "lambda", "1.1")));
                case "subsequence" -> subsequence(integer(spec, take(args, "k", "3")),
                        number(spec, take(args, "lambda", "0.5")));
                case "mismatch" -> mismatch(integer(spec, take(args, "k", "5")), integer(spec, take(args, "m", "1")),
                        take(args, "alphabet", DNA));
                default -> throw bad(spec, "unknown string kernel '" + name
                        + "' (spectrum, boundrange, constant, exponential, subsequence, mismatch)");
            };
        } catch (Kernels4jException e) {
            if (e.getMessage().startsWith("invalid string kernel spec")) {
                throw e;
            }
            throw bad(spec, e.getMessage());
        }
        if (!args.isEmpty()) {
            throw bad(spec, "unknown parameter '" + args.keySet().iterator().next() + "' for " + name);
        }
        return k.normalized(norm);
    }

    /** Whether {@code spec} names a string kernel (its name before '(' is one of the types). */
    public static boolean isStringKernelSpec(String spec) {
        if (spec == null) {
            return false;
        }
        String s = spec.trim();
        int open = s.indexOf('(');
        String name = (open < 0 ? s : s.substring(0, open)).trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(Type.values()).anyMatch(t -> t.name().equals(name));
    }

    /** The spec that {@link #parse} reads back to an equal kernel. */
    public String toSpec() {
        String n = normalized ? "" : ", normalized=false";
        return switch (type) {
            case SPECTRUM, BOUNDRANGE -> type.label() + "(length=" + length + n + ")";
            case CONSTANT -> normalized ? "constant()" : "constant(normalized=false)";
            case EXPONENTIAL -> "exponential(lambda=" + Specs.num(lambda) + n + ")";
            case SUBSEQUENCE -> "subsequence(k=" + length + ", lambda=" + Specs.num(lambda) + n + ")";
            case MISMATCH -> "mismatch(k=" + length + ", m=" + mismatches + ", alphabet=" + alphabet + n + ")";
        };
    }

    @Override
    public String toString() {
        return toSpec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StringKernel k && k.toSpec().equals(toSpec());
    }

    @Override
    public int hashCode() {
        return toSpec().hashCode();
    }

    /** The type. */
    public Type type() {
        return type;
    }

    /** Substring length (spectrum, boundrange) or k (subsequence, mismatch); 0 for constant and exponential. */
    public int length() {
        return length;
    }

    /** The decay λ (exponential, subsequence), 0 otherwise. */
    public double lambda() {
        return lambda;
    }

    /** The mismatches m allowed (mismatch), 0 otherwise. */
    public int mismatches() {
        return mismatches;
    }

    /** The alphabet (mismatch), null otherwise. */
    public String alphabet() {
        return alphabet;
    }

    /** Whether values are normalized to k(s, t)/√(k(s, s) k(t, t)). */
    public boolean isNormalized() {
        return normalized;
    }

    /** k(s, t) (normalized when this kernel is). */
    public double value(String s, String t) {
        return cross(Arrays.asList(s), Arrays.asList(t)).get(0, 0); // asList: a null text gets the message, not an NPE
    }

    /** The n×n Gram matrix K_ij = k(texts_i, texts_j); symmetric, positive semi-definite. */
    public Matrix gram(List<String> texts) {
        check(texts, "");
        int n = texts.size();
        if (sparse()) {
            return SparseCounts.gram(features(texts, List.of()).get(0), normalized);
        }
        Matrix k = new Matrix(n, n);
        double[] a = k.data();
        char[][] c = chars(texts);
        Parallelism.forEachBlock(n, i -> {
            for (int j = 0; j <= i; j++) {
                a[i * n + j] = pair(c[i], c[j]);
            }
        });
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i * n + i];
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = normalized ? a[i * n + j] / Math.sqrt(d[i] * d[j]) : a[i * n + j];
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        return k;
    }

    /** The m×n cross matrix K_ij = k(rows_i, cols_j), e.g. test texts against training texts. */
    public Matrix cross(List<String> rows, List<String> cols) {
        check(rows, "");
        check(cols, " of the second list");
        int m = rows.size();
        int n = cols.size();
        if (sparse()) {
            List<SparseCounts[]> f = features(rows, cols);
            return SparseCounts.cross(f.get(0), f.get(1), normalized);
        }
        Matrix k = new Matrix(m, n);
        double[] a = k.data();
        double[] dr = new double[m];
        double[] dc = new double[n];
        char[][] cr = chars(rows);
        char[][] cc = chars(cols);
        Parallelism.forEachBlock(m, i -> {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = pair(cr[i], cc[j]);
            }
        });
        if (normalized) {
            Parallelism.forEachPreparation(m, i -> dr[i] = pair(cr[i], cr[i]));
            Parallelism.forEachPreparation(n, j -> dc[j] = pair(cc[j], cc[j]));
        }
        if (normalized) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    a[i * n + j] /= Math.sqrt(dr[i] * dc[j]);
                }
            }
        }
        return k;
    }

    // ---- input checks ----

    private void check(List<String> texts, String which) {
        if (texts == null || texts.isEmpty()) {
            throw new Kernels4jException(type.label() + ": no texts" + which);
        }
        int minimum = switch (type) {
            case SPECTRUM, SUBSEQUENCE, MISMATCH -> length;
            default -> 1;
        };
        for (int i = 0; i < texts.size(); i++) {
            String s = texts.get(i);
            if (s == null || s.isEmpty()) {
                throw new Kernels4jException(type.label() + ": text " + i + which + " is empty");
            }
            if (s.length() < minimum) {
                // its feature vector would be 0: no similarity to anything, and 0/0 once normalized
                throw new Kernels4jException(toSpec() + ": text " + i + which + " has " + s.length()
                        + " characters, fewer than k = " + minimum);
            }
            if (type == Type.MISMATCH) {
                for (int p = 0; p < s.length(); p++) {
                    if (alphabet.indexOf(s.charAt(p)) < 0) {
                        throw new Kernels4jException(toSpec() + ": text " + i + which + " has '" + s.charAt(p)
                                + "' at position " + p + ", which is not in the alphabet " + alphabet);
                    }
                }
            }
        }
    }

    private boolean sparse() {
        return type == Type.SPECTRUM || type == Type.BOUNDRANGE || type == Type.MISMATCH;
    }

    private static char[][] chars(List<String> texts) {
        char[][] c = new char[texts.size()][];
        for (int i = 0; i < c.length; i++) {
            c[i] = texts.get(i).toCharArray();
        }
        return c;
    }

    // ---- sparse feature vectors: spectrum, boundrange, mismatch ----

    /** Feature vectors of both lists in one key space. */
    private List<SparseCounts[]> features(List<String> a, List<String> b) {
        if (type == Type.MISMATCH) {
            SparseCounts[] fa = new SparseCounts[a.size()];
            SparseCounts[] fb = new SparseCounts[b.size()];
            Parallelism.forEachPreparation(a.size(), i -> fa[i] = mismatchFeatures(a.get(i)));
            Parallelism.forEachPreparation(b.size(), i -> fb[i] = mismatchFeatures(b.get(i)));
            return List.of(fa, fb);
        }
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        int lo = type == Type.SPECTRUM ? length : 1;
        // Exact integer codes without building substrings: number the characters that occur 1..σ and read a
        // substring as a base-(σ + 1) numeral (no zero digit, so lengths never collide). When σ and the length
        // make that overflow 63 bits, substrings get ids from a shared dictionary instead.
        int[] digit = new int[Character.MAX_VALUE + 1];
        int sigma = 0;
        for (String s : all) {
            for (int p = 0; p < s.length(); p++) {
                if (digit[s.charAt(p)] == 0) {
                    digit[s.charAt(p)] = ++sigma;
                }
            }
        }
        SparseCounts[] f = new SparseCounts[all.size()];
        if (length * Math.log(sigma + 1.0) < 62 * Math.log(2)) {
            long base = sigma + 1;
            Parallelism.forEachPreparation(all.size(), i -> {
                String s = all.get(i);
                long[] keys = new long[Math.max(1, (length - lo + 1) * s.length())];
                int size = 0;
                for (int p = 0; p + lo <= s.length(); p++) {
                    long code = 0;
                    for (int l = 1; l <= length && p + l <= s.length(); l++) {
                        code = code * base + digit[s.charAt(p + l - 1)];
                        if (l >= lo) {
                            keys[size++] = code;
                        }
                    }
                }
                f[i] = SparseCounts.ofOccurrences(keys, size);
            });
        } else {
            Map<String, Integer> ids = new HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                String s = all.get(i);
                long[] keys = new long[Math.max(1, (length - lo + 1) * s.length())];
                int size = 0;
                for (int l = lo; l <= length; l++) {
                    for (int p = 0; p + l <= s.length(); p++) {
                        Integer id = ids.putIfAbsent(s.substring(p, p + l), ids.size());
                        keys[size++] = id == null ? ids.size() - 1 : id;
                    }
                }
                f[i] = SparseCounts.ofOccurrences(keys, size);
            }
        }
        return List.of(Arrays.copyOfRange(f, 0, a.size()), Arrays.copyOfRange(f, a.size(), all.size()));
    }

    /** φ(s) of the mismatch kernel: every k-mer adds 1 to each code within Hamming distance m. */
    private SparseCounts mismatchFeatures(String s) {
        int sigma = alphabet.length();
        int k = length;
        int[] digits = new int[s.length()];
        for (int p = 0; p < digits.length; p++) {
            digits[p] = alphabet.indexOf(s.charAt(p));
        }
        long[] power = new long[k];
        power[k - 1] = 1;
        for (int i = k - 2; i >= 0; i--) {
            power[i] = power[i + 1] * sigma;
        }
        long[] out = new long[1024];
        int size = 0;
        int[] kmer = new int[k];
        for (int p = 0; p + k <= digits.length; p++) {
            long code = 0;
            for (int i = 0; i < k; i++) {
                kmer[i] = digits[p + i];
                code += kmer[i] * power[i];
            }
            long[][] holder = {out};
            int[] sz = {size};
            neighbours(kmer, power, sigma, 0, mismatches, code, holder, sz);
            out = holder[0];
            size = sz[0];
        }
        return SparseCounts.ofOccurrences(out, size);
    }

    /** Appends every code within {@code left} substitutions at positions ≥ {@code from} of {@code code}. */
    private static void neighbours(int[] kmer, long[] power, int sigma, int from, int left, long code, long[][] out,
            int[] size) {
        if (size[0] == out[0].length) {
            out[0] = Arrays.copyOf(out[0], 2 * out[0].length);
        }
        out[0][size[0]++] = code;
        if (left == 0) {
            return;
        }
        for (int i = from; i < kmer.length; i++) {
            long base = code - kmer[i] * power[i];
            for (int c = 0; c < sigma; c++) {
                if (c != kmer[i]) {
                    neighbours(kmer, power, sigma, i + 1, left - 1, base + c * power[i], out, size);
                }
            }
        }
    }

    // ---- pairwise dynamic programmes: constant, exponential, subsequence ----

    private double pair(char[] s, char[] t) {
        return type == Type.SUBSEQUENCE ? subsequencePair(s, t) : lcpPair(s, t);
    }

    /** Σ_{i,j} W(lcp(s[i..], t[j..])), one row of the lcp table at a time, O(|s||t|). */
    private double lcpPair(char[] s, char[] t) {
        int longest = Math.min(s.length, t.length);
        double[] w = new double[longest + 1]; // W(L) = Σ_{l=1}^{L} w(l)
        for (int l = 1; l <= longest; l++) {
            w[l] = w[l - 1] + (type == Type.CONSTANT ? 1 : Math.pow(lambda, -l));
        }
        int[] next = new int[t.length + 1]; // lcp of s[i+1..] and t[j..]
        int[] cur = new int[t.length + 1];
        double sum = 0;
        for (int i = s.length - 1; i >= 0; i--) {
            for (int j = t.length - 1; j >= 0; j--) {
                int v = s[i] == t[j] ? next[j + 1] + 1 : 0;
                cur[j] = v;
                sum += w[v];
            }
            int[] swap = next;
            next = cur;
            cur = swap;
        }
        return sum;
    }

    /**
     * Lodhi et al.'s recursion over prefixes: K'_0 = 1, K''_i(sa, tb) = λK''_i(sa, t) + [a = b]λ²K'_{i−1}(s, t),
     * K'_i(sa, t) = λK'_i(s, t) + K''_i(sa, t), and K_k = Σ_{a, b: s_a = t_b} λ² K'_{k−1}(s_{&lt;a}, t_{&lt;b}).
     */
    private double subsequencePair(char[] s, char[] t) {
        int ls = s.length;
        int lt = t.length;
        double l2 = lambda * lambda;
        double[][] kp = new double[ls + 1][lt + 1];
        for (double[] row : kp) {
            Arrays.fill(row, 1.0);
        }
        for (int i = 1; i < length; i++) {
            double[][] next = new double[ls + 1][lt + 1];
            for (int a = 1; a <= ls; a++) {
                double kpp = 0;
                for (int b = 1; b <= lt; b++) {
                    kpp = lambda * kpp + (s[a - 1] == t[b - 1] ? l2 * kp[a - 1][b - 1] : 0);
                    next[a][b] = lambda * next[a - 1][b] + kpp;
                }
            }
            kp = next;
        }
        double sum = 0;
        for (int a = 1; a <= ls; a++) {
            for (int b = 1; b <= lt; b++) {
                if (s[a - 1] == t[b - 1]) {
                    sum += l2 * kp[a - 1][b - 1];
                }
            }
        }
        return sum;
    }

    // ---- helpers ----

    private static int positiveLength(String kernel, String param, int v) {
        if (v < 1) {
            throw new Kernels4jException(kernel + ": " + param + " must be an integer >= 1, got " + v);
        }
        return v;
    }

    private static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    private static String take(Map<String, String> args, String key, String fallback) {
        String v = args.remove(key);
        return v == null ? fallback : v;
    }

    private static int integer(String spec, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(spec, "expected an integer, got '" + v + "'");
        }
    }

    private static double number(String spec, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw bad(spec, "expected a number, got '" + v + "'");
        }
    }

    private static Kernels4jException bad(String spec, String problem) {
        return new Kernels4jException("invalid string kernel spec '" + spec + "': " + problem);
    }
}
