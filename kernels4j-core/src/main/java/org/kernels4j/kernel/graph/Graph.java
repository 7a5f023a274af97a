package org.kernels4j.kernel.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * An immutable weighted undirected graph on n ≥ 2 named nodes: a symmetric n×n adjacency matrix A with
 * A_ij = A_ji ≥ 0 (0 = no edge), zero diagonal, and the node names in a fixed order (row i of every matrix
 * computed from the graph is node {@code name(i)}). Dense storage, n² doubles: meant for n up to a few thousand.
 *
 * <p>Derived matrices: degrees d = A·1, Laplacian L = D − A, normalised Laplacian
 * L_sym = I − D^{−½}AD^{−½} (an isolated node's row and column of L_sym are zero), volume vol = Σ_ij A_ij = Σ_i d_i.
 *
 * <p>Repair policies (each repair adds a line to {@link #notes()}, for a command line to show):
 * <ul>
 *   <li><b>Self-loops</b> (A_ii ≠ 0, or an edge i–i) are dropped: the node kernels here are defined for
 *       simple graphs, and a loop would change A-based kernels (Walk, Communicability) but not L = D − A,
 *       so keeping it would make the families disagree about the same graph.</li>
 *   <li><b>Duplicate edges</b> (the same unordered pair given again, in either direction) are summed:
 *       parallel edges are parallel conductances. An edge list that lists each edge in both directions
 *       therefore gets doubled weights (kernels are then those of 2A; the note says how many pairs were merged).</li>
 *   <li><b>Directed input</b> (an adjacency matrix with A ≠ Aᵀ) is symmetrised as (A + Aᵀ)/2.</li>
 *   <li><b>Isolated nodes</b> are kept (a node listed with no edge); they make the graph disconnected.</li>
 *   <li><b>Several connected components</b> are allowed; measures that need a connected graph call
 *       {@link #requireConnected} and name the components.</li>
 * </ul>
 * Refused, with one message each: fewer than 2 nodes, no edge, a negative, NaN or infinite weight, a zero
 * weight in an edge list, a non-square matrix, names that do not match the matrix, duplicate node names.
 */
public final class Graph {
    private final List<String> names;
    private final Matrix adjacency;
    private final double[] degrees;
    private final int[] component;
    private final int componentCount;
    private final List<String> notes;

    private Graph(List<String> names, Matrix adjacency, List<String> notes) {
        this.names = List.copyOf(names);
        this.adjacency = adjacency;
        this.notes = List.copyOf(notes);
        int n = names.size();
        this.degrees = new double[n];
        double[] a = adjacency.data();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += a[i * n + j];
            }
            degrees[i] = s;
        }
        this.component = new int[n];
        this.componentCount = labelComponents(a, n, component);
    }

    /** A builder that collects nodes and edges. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A graph from an n×n adjacency matrix (copied). Self-loops are dropped and a non-symmetric matrix is
     * symmetrised as (A + Aᵀ)/2, each with a note.
     *
     * @param names n distinct node names, or null for "0", "1", …, "n−1"
     * @throws Kernels4jException on a non-square matrix, a name count that differs from n, duplicate names,
     *     a negative, NaN or infinite entry, n &lt; 2 or no edge
     */
    public static Graph fromAdjacency(List<String> names, Matrix adjacency) {
        int n = adjacency.rows();
        if (adjacency.cols() != n) {
            throw new Kernels4jException("an adjacency matrix must be square, got " + adjacency.shape());
        }
        List<String> nodeNames = names == null ? defaultNames(n) : names;
        if (nodeNames.size() != n) {
            throw new Kernels4jException("the adjacency matrix is " + n + "x" + n + " but " + nodeNames.size()
                    + " node names were given");
        }
        requireDistinct(nodeNames);
        double[] in = adjacency.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = in[i * n + j];
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new Kernels4jException("adjacency entry (" + nodeNames.get(i) + ", " + nodeNames.get(j)
                            + ") is " + v + "; weights must be finite and non-negative");
                }
            }
        }
        List<String> notes = new ArrayList<>();
        double[] a = new double[n * n];
        int loops = 0;
        int asymmetric = 0;
        for (int i = 0; i < n; i++) {
            if (in[i * n + i] != 0) {
                loops++;
            }
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    double v = in[i * n + j];
                    double w = in[j * n + i];
                    if (i < j && v != w) {
                        asymmetric++;
                    }
                    a[i * n + j] = v == w ? v : 0.5 * (v + w);
                }
            }
        }
        if (loops > 0) {
            notes.add("dropped " + loops + " self-loop" + (loops == 1 ? "" : "s") + " (diagonal entries)");
        }
        if (asymmetric > 0) {
            notes.add("the adjacency matrix is not symmetric (" + asymmetric + " pair" + (asymmetric == 1 ? "" : "s")
                    + " differ); used (A + A^T)/2");
        }
        return finish(nodeNames, Matrix.wrap(n, n, a), notes);
    }

    private static Graph finish(List<String> names, Matrix a, List<String> notes) {
        int n = names.size();
        if (n < 2) {
            throw new Kernels4jException("a graph needs at least 2 nodes, got " + n);
        }
        boolean anyEdge = false;
        int isolated = 0;
        double[] d = a.data();
        for (int i = 0; i < n; i++) {
            boolean has = false;
            for (int j = 0; j < n && !has; j++) {
                has = d[i * n + j] > 0;
            }
            anyEdge |= has;
            if (!has) {
                isolated++;
            }
        }
        if (!anyEdge) {
            throw new Kernels4jException("the graph has " + n + " nodes but no edge");
        }
        if (isolated > 0) {
            notes.add(isolated + " isolated node" + (isolated == 1 ? "" : "s") + " (no edge) kept");
        }
        return new Graph(names, a, notes);
    }

    private static List<String> defaultNames(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Integer.toString(i));
        }
        return out;
    }

    private static void requireDistinct(List<String> names) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Integer before = seen.put(names.get(i), i);
            if (before != null) {
                throw new Kernels4jException("node name '" + names.get(i) + "' is given twice (positions " + before
                        + " and " + i + ")");
            }
        }
    }

    /** Union-find free labelling by breadth-first search; components numbered by their first node. */
    private static int labelComponents(double[] a, int n, int[] label) {
        Arrays.fill(label, -1);
        int[] queue = new int[n];
        int count = 0;
        for (int s = 0; s < n; s++) {
            if (label[s] >= 0) {
                continue;
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = s;
            label[s] = count;
            while (head < tail) {
                int u = queue[head++];
                for (int v = 0; v < n; v++) {
                    if (label[v] < 0 && a[u * n + v] > 0) {
                        label[v] = count;
                        queue[tail++] = v;
                    }
                }
            }
            count++;
        }
        return count;
    }

    /** Number of nodes n. */
    public int size() {
        return names.size();
    }

    /** The node names, in matrix order (unmodifiable). */
    public List<String> names() {
        return names;
    }

    /** Name of node i. */
    public String name(int i) {
        return names.get(i);
    }

    /** Index of the node called {@code name}, or −1. O(n). */
    public int indexOf(String name) {
        return names.indexOf(name);
    }

    /** What was repaired while building (self-loops dropped, duplicates summed, …), one line each. */
    public List<String> notes() {
        return notes;
    }

    /** A copy of the symmetric adjacency matrix A (n×n, zero diagonal). */
    public Matrix adjacency() {
        return adjacency.copy();
    }

    /** A_ij. */
    public double weight(int i, int j) {
        return adjacency.get(i, j);
    }

    /** Degrees d_i = Σ_j A_ij (a copy). */
    public double[] degrees() {
        return degrees.clone();
    }

    /** Volume vol(G) = Σ_ij A_ij (each undirected edge counted twice, as pygkernels' {@code np.sum(A)}). */
    public double volume() {
        double s = 0;
        for (double d : degrees) {
            s += d;
        }
        return s;
    }

    /** Number of undirected edges (pairs i &lt; j with A_ij &gt; 0). O(n²). */
    public int edgeCount() {
        int n = size();
        double[] a = adjacency.data();
        int m = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (a[i * n + j] > 0) {
                    m++;
                }
            }
        }
        return m;
    }

    /** Laplacian L = D − A (n×n, new matrix). */
    public Matrix laplacian() {
        int n = size();
        Matrix l = new Matrix(n, n);
        double[] a = adjacency.data();
        double[] o = l.data();
        for (int k = 0; k < n * n; k++) {
            o[k] = -a[k];
        }
        for (int i = 0; i < n; i++) {
            o[i * n + i] = degrees[i];
        }
        return l;
    }

    /**
     * Normalised Laplacian L_sym = I − D^{−½}AD^{−½} (n×n, new matrix); the row and column of an isolated node
     * are zero (its degree has no inverse square root, and it has no neighbour to diffuse to).
     */
    public Matrix normalizedLaplacian() {
        int n = size();
        Matrix s = normalizedAdjacency();
        double[] o = s.data();
        for (int k = 0; k < n * n; k++) {
            o[k] = -o[k];
        }
        for (int i = 0; i < n; i++) {
            o[i * n + i] = degrees[i] > 0 ? 1 : 0;
        }
        return s;
    }

    /** S = D^{−½}AD^{−½} (n×n, new matrix), the symmetric matrix similar to P = D⁻¹A; zero rows for isolated nodes. */
    public Matrix normalizedAdjacency() {
        int n = size();
        double[] r = inverseSqrtDegrees();
        Matrix s = new Matrix(n, n);
        double[] a = adjacency.data();
        double[] o = s.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                o[i * n + j] = r[i] * a[i * n + j] * r[j];
            }
        }
        return s;
    }

    /** d_i^{−½}, and 0 for an isolated node. */
    double[] inverseSqrtDegrees() {
        double[] r = new double[size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = degrees[i] > 0 ? 1 / Math.sqrt(degrees[i]) : 0;
        }
        return r;
    }

    /** Number of connected components (an isolated node is one). */
    public int componentCount() {
        return componentCount;
    }

    /** Whether the graph is connected. */
    public boolean isConnected() {
        return componentCount == 1;
    }

    /** Component index of each node (components numbered in order of their first node; a copy). */
    public int[] componentLabels() {
        return component.clone();
    }

    /** The connected components as lists of node names, in order of their first node. */
    public List<List<String>> components() {
        List<List<String>> out = new ArrayList<>();
        for (int c = 0; c < componentCount; c++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < size(); i++) {
            out.get(component[i]).add(names.get(i));
        }
        List<List<String>> frozen = new ArrayList<>();
        for (List<String> c : out) {
            frozen.add(List.copyOf(c));
        }
        return List.copyOf(frozen);
    }

    /**
     * Throws unless the graph is connected, naming the components (at most 5 names each, at most 4 components
     * shown), e.g. "the graph has 2 connected components ({a, b, c}, {d}); commute-time distances need a
     * connected graph".
     *
     * @param what the measure, as the message's subject (e.g. "commute-time distances")
     */
    public void requireConnected(String what) {
        if (componentCount == 1) {
            return;
        }
        StringBuilder sb = new StringBuilder("the graph has " + componentCount + " connected components (");
        List<List<String>> comps = components();
        for (int c = 0; c < Math.min(4, comps.size()); c++) {
            List<String> members = comps.get(c);
            sb.append(c > 0 ? ", " : "").append('{');
            for (int k = 0; k < Math.min(5, members.size()); k++) {
                sb.append(k > 0 ? ", " : "").append(members.get(k));
            }
            if (members.size() > 5) {
                sb.append(", … ").append(members.size() - 5).append(" more");
            }
            sb.append('}');
        }
        if (comps.size() > 4) {
            sb.append(", … ").append(comps.size() - 4).append(" more");
        }
        sb.append("); ").append(what).append(" need a connected graph");
        throw new Kernels4jException(sb.toString());
    }

    /**
     * Collects nodes (in first-seen order) and undirected weighted edges. Not thread-safe; {@link #build} copies
     * everything, so the graph does not change when the builder does.
     */
    public static final class Builder {
        private final LinkedHashMap<String, Integer> index = new LinkedHashMap<>();
        private final Map<Long, Double> weights = new HashMap<>();
        private int loops;
        private int duplicates;

        private Builder() {
        }

        /** Adds a node (no-op when it exists); use it for isolated nodes or to fix the node order. */
        public Builder node(String name) {
            if (name == null || name.isEmpty()) {
                throw new Kernels4jException("a node name must not be empty");
            }
            index.putIfAbsent(name, index.size());
            return this;
        }

        /** Adds the undirected edge a–b with weight 1. */
        public Builder edge(String a, String b) {
            return edge(a, b, 1.0);
        }

        /**
         * Adds the undirected edge a–b with a positive finite weight (a strength: a larger weight is a closer tie).
         * A self-loop is dropped (counted in the notes); a pair seen before gets the weights summed (noted).
         *
         * @throws Kernels4jException for a weight that is not positive and finite
         */
        public Builder edge(String a, String b, double weight) {
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new Kernels4jException("edge " + a + " - " + b + " has weight " + weight
                        + "; weights must be positive and finite");
            }
            node(a);
            node(b);
            int i = index.get(a);
            int j = index.get(b);
            if (i == j) {
                loops++;
                return this;
            }
            long key = (long) Math.min(i, j) << 32 | Math.max(i, j);
            Double before = weights.put(key, weight);
            if (before != null) {
                duplicates++;
                weights.put(key, before + weight);
            }
            return this;
        }

        /** The graph. @throws Kernels4jException for fewer than 2 nodes or no edge */
        public Graph build() {
            List<String> names = new ArrayList<>(index.keySet());
            int n = names.size();
            if (n < 2) {
                throw new Kernels4jException("a graph needs at least 2 nodes, got " + n);
            }
            double[] a = new double[n * n];
            for (Map.Entry<Long, Double> e : weights.entrySet()) {
                int i = (int) (e.getKey() >>> 32);
                int j = (int) (e.getKey() & 0xffffffffL);
                a[i * n + j] = e.getValue();
                a[j * n + i] = e.getValue();
            }
            List<String> notes = new ArrayList<>();
            if (loops > 0) {
                notes.add("dropped " + loops + " self-loop" + (loops == 1 ? "" : "s"));
            }
            if (duplicates > 0) {
                notes.add(duplicates + " duplicate edge" + (duplicates == 1 ? "" : "s")
                        + " (a pair given again, in either direction): weights summed");
            }
            return finish(names, Matrix.wrap(n, n, a), notes);
        }
    }
}
