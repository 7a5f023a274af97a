package org.kernels4j.kernel.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kernels4j.Kernels4jException;

/**
 * A small undirected graph with optional node labels, one item of a graph data set (a molecule, a
 * protein): nodes 0..n−1, adjacency lists, and a label per node or none. Unlike {@link Graph} (one
 * large weighted graph whose nodes are the data) it may have one node or no edges, and stores no
 * dense matrix. Immutable.
 *
 * @param neighbours for each node its distinct neighbours, sorted, without itself
 * @param labels one label per node, or null (graph kernels then start from the node degrees)
 */
public record LabeledGraph(int[][] neighbours, List<String> labels) {
    /** Validates and copies. @throws Kernels4jException for an unsorted or out-of-range list or a label count mismatch */
    public LabeledGraph {
        if (neighbours == null || neighbours.length == 0) {
            throw new Kernels4jException("a graph needs at least one node");
        }
        int n = neighbours.length;
        int[][] copy = new int[n][];
        for (int v = 0; v < n; v++) {
            copy[v] = neighbours[v].clone();
            for (int q = 0; q < copy[v].length; q++) {
                int u = copy[v][q];
                if (u < 0 || u >= n || u == v || (q > 0 && u <= copy[v][q - 1])) {
                    throw new Kernels4jException("node " + v + ": neighbour list " + Arrays.toString(copy[v])
                            + " must be sorted, distinct, in [0, " + n + ") and without the node itself");
                }
            }
        }
        neighbours = copy;
        if (labels != null) {
            if (labels.size() != n) {
                throw new Kernels4jException("a graph with " + n + " nodes has " + labels.size() + " node labels");
            }
            labels = List.copyOf(labels);
        }
    }

    /**
     * The graph on {@code nodes} nodes with the undirected {@code edges} (pairs of 0-based node numbers;
     * self-loops and repeats are dropped) and optional labels.
     */
    public static LabeledGraph of(int nodes, int[][] edges, List<String> labels) {
        if (nodes < 1) {
            throw new Kernels4jException("a graph needs at least one node, got " + nodes);
        }
        List<java.util.TreeSet<Integer>> adj = new ArrayList<>();
        for (int v = 0; v < nodes; v++) {
            adj.add(new java.util.TreeSet<>());
        }
        for (int[] e : edges) {
            if (e.length != 2 || e[0] < 0 || e[0] >= nodes || e[1] < 0 || e[1] >= nodes) {
                throw new Kernels4jException("edge " + Arrays.toString(e) + " is not a pair of nodes in [0, " + nodes + ")");
            }
            if (e[0] != e[1]) {
                adj.get(e[0]).add(e[1]);
                adj.get(e[1]).add(e[0]);
            }
        }
        int[][] lists = new int[nodes][];
        for (int v = 0; v < nodes; v++) {
            lists[v] = adj.get(v).stream().mapToInt(Integer::intValue).toArray();
        }
        return new LabeledGraph(lists, labels);
    }

    /** A {@link Graph}'s structure (edge weights ignored) with optional labels in its node order. */
    public static LabeledGraph of(Graph g, List<String> labels) {
        int n = g.size();
        int[][] lists = new int[n][];
        for (int v = 0; v < n; v++) {
            int[] l = new int[n];
            int c = 0;
            for (int u = 0; u < n; u++) {
                if (u != v && g.weight(v, u) != 0) {
                    l[c++] = u;
                }
            }
            lists[v] = Arrays.copyOf(l, c);
        }
        return new LabeledGraph(lists, labels);
    }

    /** The internal lists, not copied (for the kernels in this package, which only read them). */
    int[][] lists() {
        return neighbours;
    }

    /** The number of nodes. */
    public int size() {
        return neighbours.length;
    }

    /** The neighbours of node v (a copy). */
    public int[] neighboursOf(int v) {
        return neighbours[v].clone();
    }

    @Override
    public int[][] neighbours() {
        int[][] c = new int[neighbours.length][];
        for (int v = 0; v < c.length; v++) {
            c[v] = neighbours[v].clone();
        }
        return c;
    }
}
