package org.kernels4j.kernel.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SparseCounts;

/**
 * The Weisfeiler–Lehman subtree kernel between graphs (Shervashidze et al., JMLR 2011): a kernel on
 * a data set of small graphs, not on the nodes of one graph. Each node starts with its label (or,
 * for unlabelled graphs, its degree); iteration i = 1..h replaces every label by a new one that
 * encodes (own label, sorted multiset of the neighbours' labels), with one relabelling dictionary
 * for all graphs so that equal labels mean isomorphic depth-i subtree unfoldings. With c_i(G, σ)
 * the number of nodes of G with label σ after i iterations,
 * k(G, G') = Σ_{i=0}^{h} Σ_σ c_i(G, σ) c_i(G', σ),
 * a positive semi-definite kernel (an inner product of label-count vectors); normalized,
 * k(G, G')/√(k(G, G) k(G', G')). h = 0 counts matching initial labels only.
 * <p>Cost: O(h·m log d) to relabel N graphs with m edges in all (sorting neighbour labels), then a sparse
 * dot product per pair, O(h·n) for graphs of n nodes. Immutable and thread-safe.
 */
public final class WeisfeilerLehman {
    private final int iterations;
    private final boolean normalized;

    private WeisfeilerLehman(int iterations, boolean normalized) {
        this.iterations = iterations;
        this.normalized = normalized;
    }

    /** The kernel with h ≥ 0 iterations, not normalized (as Shervashidze et al. define it). */
    public static WeisfeilerLehman of(int iterations) {
        if (iterations < 0) {
            throw new Kernels4jException("Weisfeiler-Lehman: iterations must be >= 0, got " + iterations);
        }
        return new WeisfeilerLehman(iterations, false);
    }

    /** The same kernel, normalized to k(G, G')/√(k(G, G) k(G', G')) or not. */
    public WeisfeilerLehman normalized(boolean normalize) {
        return new WeisfeilerLehman(iterations, normalize);
    }

    /** The number of relabelling iterations h. */
    public int iterations() {
        return iterations;
    }

    /** Whether values are normalized. */
    public boolean isNormalized() {
        return normalized;
    }

    /** The N×N Gram matrix over {@code graphs}. */
    public Matrix gram(List<LabeledGraph> graphs) {
        return SparseCounts.gram(features(graphs, List.of()).get(0), normalized);
    }

    /** The m×n matrix k(rows_i, cols_j) (labels relabelled in one dictionary for both lists). */
    public Matrix cross(List<LabeledGraph> rows, List<LabeledGraph> cols) {
        List<SparseCounts[]> f = features(rows, cols);
        return SparseCounts.cross(f.get(0), f.get(1), normalized);
    }

    /** The label-count vectors φ(G) of both lists; key = iteration·2^32 + label id. */
    private List<SparseCounts[]> features(List<LabeledGraph> a, List<LabeledGraph> b) {
        List<LabeledGraph> all = new ArrayList<>(a);
        all.addAll(b);
        if (a.isEmpty()) {
            throw new Kernels4jException("Weisfeiler-Lehman: no graphs");
        }
        boolean labelled = all.get(0).labels() != null;
        for (int g = 0; g < all.size(); g++) {
            if ((all.get(g).labels() != null) != labelled) {
                throw new Kernels4jException("Weisfeiler-Lehman: graph " + g + (labelled ? " has no node labels" : " has node labels")
                        + " but graph 0 " + (labelled ? "has" : "has none") + "; label all graphs or none");
            }
        }
        int[][] current = new int[all.size()][];
        long[][] occurrences = new long[all.size()][];
        int total = 0;
        Map<String, Integer> initial = new HashMap<>();
        for (int g = 0; g < all.size(); g++) {
            LabeledGraph graph = all.get(g);
            int n = graph.size();
            current[g] = new int[n];
            occurrences[g] = new long[(iterations + 1) * n];
            for (int v = 0; v < n; v++) {
                String label = labelled ? graph.labels().get(v) : String.valueOf(graph.lists()[v].length);
                Integer id = initial.putIfAbsent(label, initial.size());
                current[g][v] = id == null ? initial.size() - 1 : id;
                occurrences[g][v] = current[g][v];
            }
            total += n;
        }
        for (int it = 1; it <= iterations; it++) {
            // one dictionary per iteration: a signature is (own label, sorted neighbour labels) of the last iteration
            Map<Signature, Integer> dictionary = new HashMap<>(2 * total);
            int[][] next = new int[all.size()][];
            for (int g = 0; g < all.size(); g++) {
                int[][] nb = all.get(g).lists();
                int n = nb.length;
                next[g] = new int[n];
                for (int v = 0; v < n; v++) {
                    int[] sig = new int[nb[v].length + 1];
                    for (int q = 0; q < nb[v].length; q++) {
                        sig[q + 1] = current[g][nb[v][q]];
                    }
                    Arrays.sort(sig, 1, sig.length);
                    sig[0] = current[g][v];
                    Integer id = dictionary.putIfAbsent(new Signature(sig), dictionary.size());
                    next[g][v] = id == null ? dictionary.size() - 1 : id;
                    occurrences[g][it * n + v] = ((long) it << 32) | next[g][v];
                }
            }
            current = next;
        }
        SparseCounts[] f = new SparseCounts[all.size()];
        for (int g = 0; g < f.length; g++) {
            f[g] = SparseCounts.ofOccurrences(occurrences[g], occurrences[g].length);
        }
        return List.of(Arrays.copyOfRange(f, 0, a.size()), Arrays.copyOfRange(f, a.size(), f.length));
    }

    /** An int array with value equality, as a dictionary key. */
    private record Signature(int[] labels) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s && Arrays.equals(labels, s.labels);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(labels);
        }
    }

    @Override
    public String toString() {
        return "weisfeiler-lehman(iterations=" + iterations + (normalized ? ", normalized=true" : "") + ")";
    }
}
