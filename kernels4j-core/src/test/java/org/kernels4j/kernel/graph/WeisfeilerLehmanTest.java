package org.kernels4j.kernel.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * The graph-level Weisfeiler–Lehman subtree kernel against the definition written out here by a
 * different route: the label of a node after i iterations is spelled out as the full string of its
 * depth-i subtree unfolding (no compression dictionary), and k counts pairs of nodes with equal
 * strings, summed over i = 0..h.
 */
class WeisfeilerLehmanTest {
    /** MUTAG-like tiny molecules: rings and chains with C/N/O atom labels. */
    private static List<LabeledGraph> molecules(int count, long seed) {
        Random r = new Random(seed);
        String[] atoms = {"C", "C", "C", "N", "O"};
        List<LabeledGraph> out = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            int n = 3 + r.nextInt(6);
            List<int[]> edges = new ArrayList<>();
            for (int v = 1; v < n; v++) {
                edges.add(new int[] {v, r.nextInt(v)}); // a random tree
            }
            if (n > 3 && r.nextBoolean()) {
                edges.add(new int[] {0, n - 1}); // sometimes close a ring
            }
            List<String> labels = new ArrayList<>();
            for (int v = 0; v < n; v++) {
                labels.add(atoms[r.nextInt(atoms.length)]);
            }
            out.add(LabeledGraph.of(n, edges.toArray(new int[0][]), labels));
        }
        return out;
    }

    /** Unfolding strings of depth 0..h for every node. */
    private static List<List<String>> unfoldings(LabeledGraph g, int h) {
        int[][] nb = g.neighbours();
        List<List<String>> byDepth = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (int v = 0; v < g.size(); v++) {
            cur.add(g.labels() != null ? "<" + g.labels().get(v) + ">" : "<" + nb[v].length + ">");
        }
        byDepth.add(cur);
        for (int i = 1; i <= h; i++) {
            List<String> prev = cur;
            cur = new ArrayList<>();
            for (int v = 0; v < g.size(); v++) {
                List<String> kids = new ArrayList<>();
                for (int u : nb[v]) {
                    kids.add(prev.get(u));
                }
                java.util.Collections.sort(kids);
                cur.add(prev.get(v) + "(" + String.join(",", kids) + ")");
            }
            byDepth.add(cur);
        }
        return byDepth;
    }

    private static double brute(LabeledGraph a, LabeledGraph b, int h) {
        List<List<String>> ua = unfoldings(a, h);
        List<List<String>> ub = unfoldings(b, h);
        double k = 0;
        for (int i = 0; i <= h; i++) {
            for (String x : ua.get(i)) {
                for (String y : ub.get(i)) {
                    k += x.equals(y) ? 1 : 0;
                }
            }
        }
        return k;
    }

    @Test
    void gramAndCrossEqualTheCountOfNodePairsWithEqualSubtreeUnfoldings() {
        List<LabeledGraph> train = molecules(12, 1);
        List<LabeledGraph> test = molecules(5, 2);
        for (int h = 0; h <= 3; h++) {
            Matrix g = WeisfeilerLehman.of(h).gram(train);
            Matrix c = WeisfeilerLehman.of(h).cross(test, train);
            Matrix cn = WeisfeilerLehman.of(h).normalized(true).cross(test, train);
            for (int i = 0; i < train.size(); i++) {
                for (int j = 0; j < train.size(); j++) {
                    assertEquals(brute(train.get(i), train.get(j), h), g.get(i, j), 0, "h=" + h);
                }
                for (int t = 0; t < test.size(); t++) {
                    double want = brute(test.get(t), train.get(i), h);
                    assertEquals(want, c.get(t, i), 0, "h=" + h);
                    assertEquals(want / Math.sqrt(brute(test.get(t), test.get(t), h) * brute(train.get(i), train.get(i), h)),
                            cn.get(t, i), 1e-14);
                }
            }
        }
    }

    @Test
    void unlabelledGraphsStartFromDegrees() {
        List<LabeledGraph> plain = new ArrayList<>();
        for (LabeledGraph g : molecules(8, 3)) {
            plain.add(new LabeledGraph(g.neighbours(), null));
        }
        Matrix g = WeisfeilerLehman.of(2).gram(plain);
        for (int i = 0; i < plain.size(); i++) {
            for (int j = 0; j < plain.size(); j++) {
                assertEquals(brute(plain.get(i), plain.get(j), 2), g.get(i, j), 0);
            }
        }
    }

    @Test
    void handWorkedPathAndTriangle() {
        // path 0-1-2 and triangle, unlabelled. h = 0: degrees {1,2,1} vs {2,2,2}: one matching degree-2 node
        // times three = 3. h = 1: path nodes (1;2), (2;1,1), (1;2); triangle (2;2,2) x3: no match. k = 3.
        LabeledGraph path = LabeledGraph.of(3, new int[][] {{0, 1}, {1, 2}}, null);
        LabeledGraph triangle = LabeledGraph.of(3, new int[][] {{0, 1}, {1, 2}, {2, 0}}, null);
        Matrix k = WeisfeilerLehman.of(1).gram(List.of(path, triangle));
        assertEquals(3.0, k.get(0, 1), 0);
        assertEquals(5.0 + 5.0, k.get(0, 0), 0); // each iteration: 2² + 1² = 5
        assertEquals(9.0 + 9.0, k.get(1, 1), 0);
        // a single node and an edgeless pair are valid graphs
        LabeledGraph dot = LabeledGraph.of(1, new int[0][], List.of("C"));
        LabeledGraph pair = LabeledGraph.of(2, new int[0][], List.of("C", "C"));
        assertEquals(2.0 * 2, WeisfeilerLehman.of(1).gram(List.of(dot, pair)).get(0, 1), 0);
    }

    @Test
    void gramIsPositiveSemiDefiniteAndIsomorphismInvariant() {
        List<LabeledGraph> set = molecules(40, 4);
        Matrix g = WeisfeilerLehman.of(3).gram(set);
        double min = Double.MAX_VALUE;
        for (double v : SymmetricEigen.of(g).values()) {
            min = Math.min(min, v);
        }
        assertTrue(min > -1e-9 * g.get(0, 0) * set.size(), "smallest eigenvalue " + min);
        // relabel the nodes of graph 0 by a permutation: same kernel values against everything
        LabeledGraph a = set.get(0);
        int n = a.size();
        int[] perm = new int[n];
        for (int v = 0; v < n; v++) {
            perm[v] = (v + 2) % n;
        }
        List<int[]> edges = new ArrayList<>();
        List<String> labels = new ArrayList<>(java.util.Collections.nCopies(n, ""));
        for (int v = 0; v < n; v++) {
            labels.set(perm[v], a.labels().get(v));
            for (int u : a.neighboursOf(v)) {
                edges.add(new int[] {perm[v], perm[u]});
            }
        }
        LabeledGraph b = LabeledGraph.of(n, edges.toArray(new int[0][]), labels);
        Matrix ca = WeisfeilerLehman.of(3).cross(List.of(a), set);
        Matrix cb = WeisfeilerLehman.of(3).cross(List.of(b), set);
        assertEquals(0.0, ca.maxAbsDifference(cb), 0);
    }

    @Test
    void badInputIsRefused() {
        LabeledGraph plain = LabeledGraph.of(2, new int[][] {{0, 1}}, null);
        LabeledGraph labelled = LabeledGraph.of(2, new int[][] {{0, 1}}, List.of("a", "b"));
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> WeisfeilerLehman.of(1).gram(List.of(labelled, plain)));
        assertTrue(e.getMessage().contains("graph 1 has no node labels"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> WeisfeilerLehman.of(-1));
        assertTrue(e.getMessage().contains("iterations must be >= 0, got -1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> LabeledGraph.of(2, new int[][] {{0, 2}}, null));
        assertTrue(e.getMessage().contains("edge [0, 2] is not a pair of nodes in [0, 2)"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> LabeledGraph.of(3, new int[0][], List.of("a")));
        assertTrue(e.getMessage().contains("a graph with 3 nodes has 1 node labels"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> WeisfeilerLehman.of(1).gram(List.of()));
        assertTrue(e.getMessage().contains("no graphs"), e.getMessage());
    }

    @Test
    void subtreesWithEqualArrayHashesStayApart() {
        // label ids follow first appearance: graph 0 numbers L0..L31 as 0..31. The relabelling signatures
        // (0; 31) of "L0 next to L31" and (1; 0) of "L1 next to L0" have the same Arrays.hashCode,
        // 31·(31 + 0) + 31 = 31·(31 + 1) + 0 = 992, but are different depth-1 subtrees
        List<String> all = new ArrayList<>();
        for (int l = 0; l < 32; l++) {
            all.add("L" + l);
        }
        LabeledGraph numbering = LabeledGraph.of(32, new int[0][], all);
        LabeledGraph a = LabeledGraph.of(2, new int[][] {{0, 1}}, List.of("L0", "L31"));
        LabeledGraph b = LabeledGraph.of(2, new int[][] {{0, 1}}, List.of("L1", "L0"));
        List<LabeledGraph> set = List.of(numbering, a, b);
        Matrix g = WeisfeilerLehman.of(1).gram(set);
        for (int i = 0; i < set.size(); i++) {
            for (int j = 0; j < set.size(); j++) {
                assertEquals(brute(set.get(i), set.get(j), 1), g.get(i, j), 0, i + "," + j);
            }
        }
        assertEquals(1.0, g.get(1, 2), 0); // only the initial L0 matches
    }

    @Test
    void mixedLabellingIsNamedEitherWay() {
        LabeledGraph plain = LabeledGraph.of(2, new int[][] {{0, 1}}, null);
        LabeledGraph labelled = LabeledGraph.of(2, new int[][] {{0, 1}}, List.of("a", "b"));
        assertEquals("Weisfeiler-Lehman: graph 1 has no node labels but graph 0 has; label all graphs or none",
                assertThrows(Kernels4jException.class, () -> WeisfeilerLehman.of(1).gram(List.of(labelled, plain)))
                        .getMessage());
        assertEquals("Weisfeiler-Lehman: graph 2 has node labels but graph 0 has none; label all graphs or none",
                assertThrows(Kernels4jException.class,
                        () -> WeisfeilerLehman.of(1).cross(List.of(plain, plain), List.of(labelled))).getMessage());
    }

    @Test
    void accessorsAndText() {
        WeisfeilerLehman wl = WeisfeilerLehman.of(2);
        assertEquals(2, wl.iterations());
        assertTrue(!wl.isNormalized());
        assertTrue(wl.normalized(true).isNormalized());
        assertEquals("weisfeiler-lehman(iterations=2)", wl.toString());
        assertEquals("weisfeiler-lehman(iterations=2, normalized=true)", wl.normalized(true).toString());
    }

    @Test
    void labeledGraphRefusesBadListsAndReadsAWeightedGraphsStructure() {
        for (int[][] lists : new int[][][] {{{1}, {0, 2}}, {{1, 1}, {0}}, {{1, 0}, {0}}, {{0}, {}}, {{-1}, {}}}) {
            Kernels4jException e = assertThrows(Kernels4jException.class, () -> new LabeledGraph(lists, null));
            assertTrue(e.getMessage().contains("must be sorted, distinct, in [0, 2) and without the node itself"),
                    e.getMessage());
        }
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> LabeledGraph.of(2, new int[][] {{2, 0}}, null));
        assertTrue(e.getMessage().contains("edge [2, 0] is not a pair of nodes in [0, 2)"), e.getMessage());
        // weights are ignored (an absent pair has weight 0), an isolated node keeps an empty list
        Graph g = Graph.builder().edge("a", "b", 2).edge("b", "c", 0.5).node("d").build();
        LabeledGraph lg = LabeledGraph.of(g, List.of("x", "y", "z", "w"));
        int[][] nb = lg.neighbours();
        assertEquals(4, nb.length);
        assertTrue(java.util.Arrays.deepEquals(new int[][] {{1}, {0, 2}, {1}, {}}, nb), java.util.Arrays.deepToString(nb));
        assertEquals(List.of("x", "y", "z", "w"), lg.labels());
    }
}
