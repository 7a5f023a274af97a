package org.kernels4j.kernel.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

class GraphTest {
    private static String error(Runnable r) {
        return assertThrows(Kernels4jException.class, r::run).getMessage();
    }

    @Test
    void builderSumsDuplicatesInEitherDirectionAndDropsSelfLoops() {
        Graph g = Graph.builder().edge("a", "b", 2).edge("b", "a", 0.5).edge("b", "b", 7).edge("b", "c").build();
        assertEquals(List.of("a", "b", "c"), g.names());
        assertEquals(2.5, g.weight(0, 1));
        assertEquals(2.5, g.weight(1, 0));
        assertEquals(0.0, g.weight(1, 1));
        assertEquals(1.0, g.weight(1, 2));
        assertArrayEquals(new double[] {2.5, 3.5, 1.0}, g.degrees());
        assertEquals(7.0, g.volume());
        assertEquals(2, g.edgeCount());
        assertEquals(2, g.notes().size());
        assertTrue(g.notes().get(0).contains("1 self-loop"), g.notes().toString());
        assertTrue(g.notes().get(1).contains("1 duplicate edge"), g.notes().toString());
    }

    @Test
    void laplacianAndNormalizedLaplacianFollowTheirDefinitions() {
        Graph g = Graph.builder().edge("a", "b", 2).edge("b", "c", 3).edge("a", "c", 1).node("lonely").build();
        Matrix l = g.laplacian();
        Matrix ls = g.normalizedLaplacian();
        double[] d = {3, 5, 4, 0};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double a = g.weight(i, j);
                assertEquals((i == j ? d[i] : 0) - a, l.get(i, j), 1e-15);
                double expected = i == j ? (d[i] > 0 ? 1 : 0) : (d[i] > 0 && d[j] > 0 ? -a / Math.sqrt(d[i] * d[j]) : 0);
                assertEquals(expected, ls.get(i, j), 1e-15);
            }
        }
        assertTrue(g.notes().get(0).startsWith("1 isolated node"), g.notes().toString());
    }

    @Test
    void adjacencyInputIsSymmetrisedWithANoteAndSelfLoopsDropped() {
        Matrix a = Matrix.of(new double[][] {{5, 1, 0}, {3, 0, 2}, {0, 2, 0}});
        Graph g = Graph.fromAdjacency(List.of("x", "y", "z"), a);
        assertEquals(2.0, g.weight(0, 1));
        assertEquals(2.0, g.weight(1, 0));
        assertEquals(0.0, g.weight(0, 0));
        assertEquals(2, g.notes().size());
        assertTrue(g.notes().get(1).contains("(A + A^T)/2"), g.notes().toString());
        assertEquals(5.0, a.get(0, 0), "the input is copied, not changed");
        Graph unnamed = Graph.fromAdjacency(null, Matrix.of(new double[][] {{0, 1}, {1, 0}}));
        assertEquals(List.of("0", "1"), unnamed.names());
        assertTrue(unnamed.notes().isEmpty());
    }

    @Test
    void componentsAreNamedAndConnectedMeasuresRefuse() {
        Graph g = Graph.builder().edge("a", "b").edge("b", "c").edge("d", "e").node("f").build();
        assertEquals(3, g.componentCount());
        assertFalse(g.isConnected());
        assertEquals(List.of(List.of("a", "b", "c"), List.of("d", "e"), List.of("f")), g.components());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2}, g.componentLabels());
        String m = error(() -> g.requireConnected("commute-time distances"));
        assertEquals("the graph has 3 connected components ({a, b, c}, {d, e}, {f}); commute-time distances need a"
                + " connected graph", m);
        String ct = error(() -> GraphMeasure.CT.prepare(g));
        assertTrue(ct.contains("3 connected components") && ct.contains("commute-time"), ct);
        String log = error(() -> GraphMeasure.LOG_FOREST.prepare(g));
        assertTrue(log.contains("logarithmic measures (log-forest)"), log);
        Graph connected = Graph.builder().edge("a", "b").build();
        connected.requireConnected("anything");
        assertTrue(connected.isConnected());
    }

    @Test
    void badInputGetsOneClearMessageEach() {
        assertEquals("a graph needs at least 2 nodes, got 1", error(() -> Graph.builder().node("a").build()));
        assertEquals("a graph needs at least 2 nodes, got 1", error(() -> Graph.builder().edge("a", "a").build()));
        assertEquals("the graph has 3 nodes but no edge",
                error(() -> Graph.fromAdjacency(null, new Matrix(3, 3))));
        assertTrue(error(() -> Graph.builder().edge("a", "b", -1)).contains("weight -1.0"));
        assertTrue(error(() -> Graph.builder().edge("a", "b", Double.NaN)).contains("weight NaN"));
        assertTrue(error(() -> Graph.builder().edge("a", "b", 0)).contains("positive"));
        assertTrue(error(() -> Graph.builder().edge("a", "b", Double.POSITIVE_INFINITY)).contains("Infinity"));
        assertEquals("an adjacency matrix must be square, got 2x3", error(() -> Graph.fromAdjacency(null, new Matrix(2, 3))));
        assertEquals("the adjacency matrix is 2x2 but 3 node names were given",
                error(() -> Graph.fromAdjacency(List.of("a", "b", "c"), Matrix.of(new double[][] {{0, 1}, {1, 0}}))));
        assertTrue(error(() -> Graph.fromAdjacency(List.of("a", "a"), Matrix.of(new double[][] {{0, 1}, {1, 0}})))
                .contains("'a' is given twice"));
        String neg = error(() -> Graph.fromAdjacency(List.of("p", "q"), Matrix.of(new double[][] {{0, -1}, {1, 0}})));
        assertTrue(neg.contains("(p, q) is -1.0"), neg);
        String nan = error(() -> Graph.fromAdjacency(null, Matrix.of(new double[][] {{0, 1}, {Double.NaN, 0}})));
        assertTrue(nan.contains("(1, 0) is NaN"), nan);
        assertTrue(error(() -> Graph.builder().edge("", "b")).contains("empty"));
    }

    @Test
    void notesCountInThePlural() {
        // a..e: loops on a and b, pairs (a, b) and (b, c) asymmetric, d and e isolated
        double[][] a = {{1, 1, 0, 0, 0}, {3, 2, 2, 0, 0}, {0, 1, 0, 0, 0}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}};
        Graph g = Graph.fromAdjacency(List.of("a", "b", "c", "d", "e"), Matrix.of(a));
        assertEquals(List.of("dropped 2 self-loops (diagonal entries)",
                "the adjacency matrix is not symmetric (2 pairs differ); used (A + A^T)/2",
                "2 isolated nodes (no edge) kept"), g.notes());
        assertEquals(2.0, g.weight(0, 1));
        assertEquals(1.5, g.weight(2, 1));
        Graph b = Graph.builder().edge("a", "a").edge("b", "b").edge("a", "b").edge("b", "a").edge("a", "b").build();
        assertEquals(List.of("dropped 2 self-loops",
                "2 duplicate edges (a pair given again, in either direction): weights summed"), b.notes());
        assertEquals(3.0, b.weight(0, 1));
    }

    @Test
    void disconnectedMessagesListAtMostFiveNamesAndFourComponents() {
        Graph four = Graph.builder().edge("a", "b").edge("b", "c").edge("c", "d").edge("d", "e")
                .edge("f", "g").edge("h", "i").edge("j", "k").build();
        assertEquals("the graph has 4 connected components ({a, b, c, d, e}, {f, g}, {h, i}, {j, k}); X need a"
                + " connected graph", error(() -> four.requireConnected("X")));
        Graph five = Graph.builder().edge("a", "b").edge("b", "c").edge("c", "d").edge("d", "e").edge("e", "f")
                .edge("g", "h").edge("i", "j").edge("k", "l").edge("m", "n").build();
        assertEquals("the graph has 5 connected components ({a, b, c, d, e, … 1 more}, {g, h}, {i, j}, {k, l}, … 1"
                + " more); X need a connected graph", error(() -> five.requireConnected("X")));
    }
}
