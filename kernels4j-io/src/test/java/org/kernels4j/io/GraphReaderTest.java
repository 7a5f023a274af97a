package org.kernels4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.graph.Graph;
import org.kernels4j.linalg.Matrix;

class GraphReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private String error(Path p) {
        return assertThrows(Kernels4jException.class, () -> GraphReader.read(p)).getMessage();
    }

    @Test
    void edgeListsWithHeadersCommentsWeightsAndWhitespace() throws IOException {
        Graph g = GraphReader.read(write("e.csv", "# a comment\nsource,target,weight\nalice,bob,2\n\nbob,\"carol\",0.5 # late\nbob,alice,1\n"));
        assertEquals(List.of("alice", "bob", "carol"), g.names());
        assertEquals(3.0, g.weight(0, 1), "duplicate in the other direction summed");
        assertEquals(0.5, g.weight(1, 2));
        assertTrue(g.notes().get(0).contains("1 duplicate edge"), g.notes().toString());
        Graph w = GraphReader.read(write("e.txt", "x y\ny z\n  z   w\n"));
        assertEquals(List.of("x", "y", "z", "w"), w.names());
        assertEquals(1.0, w.weight(2, 3));
        Graph h = GraphReader.read(write("h.csv", "from,to\n1,2\n2,3\n"));
        assertEquals(List.of("1", "2", "3"), h.names());
    }

    @Test
    void edgeListErrorsNameFileAndLine() throws IOException {
        Path p = write("bad.csv", "a,b,1\nc,d,-2\n");
        assertEquals(p + ":2: weight -2 must be positive and finite", error(p));
        Path q = write("nan.csv", "a,b,1\nc,d,x\n");
        assertEquals(q + ":2: weight 'x' is not a number", error(q));
        Path r = write("mixed.csv", "a,b,1\nc,d\n");
        assertTrue(error(r).startsWith(r + ":2: has no weight but line 1 has one"), error(r));
        Path s = write("one.csv", "a,a\n");
        assertEquals(s + ": a graph needs at least 2 nodes, got 1", error(s));
        Path t = write("cells.txt", "a\n");
        assertEquals(t + ":1: expected source,target[,weight], got 1 cell", error(t));
        Path u = write("empty.csv", "# nothing\n");
        assertEquals(u + ": empty graph file", error(u));
        assertTrue(error(dir.resolve("missing.csv")).endsWith("no such file"));
    }

    @Test
    void adjacencyFromCsvWithNamesAndFromNpy() throws IOException {
        Graph g = GraphReader.read(write("a.csv", "p,q,r,s\n0,1,0,0\n1,0,2,0\n0,2,0,1\n0,0,1,0\n"));
        assertEquals(List.of("p", "q", "r", "s"), g.names());
        assertEquals(2.0, g.weight(1, 2));
        Graph small = GraphReader.readAdjacency(write("t.csv", "0,1\n1,0\n"));
        assertEquals(List.of("0", "1"), small.names());
        Path npy = dir.resolve("a.npy");
        Npy.write(Matrix.of(new double[][] {{0, 1, 3}, {1, 0, 0}, {0, 0, 0}}), npy);
        Graph n = GraphReader.read(npy);
        assertEquals(1.5, n.weight(0, 2));
        assertTrue(n.notes().get(0).contains("not symmetric"), n.notes().toString());
        Path neg = write("neg.csv", "a,b,c,d\n0,1,0,0\n1,0,-1,0\n0,0,0,1\n0,0,1,0\n");
        assertEquals(neg + ":3:3: negative weight -1.0", error(neg));
        Path rect = write("rect.csv", "0,1,0,1\n1,0,1,0\n");
        assertEquals(rect + ": an adjacency matrix must be square, got 2x4", error(rect));
    }

    @Test
    void automaticFormatReadsSmallSquareNumericBlocksAsMatricesAndEverythingElseAsEdgeLists() throws IOException {
        // "0,1 / 1,0" as a matrix: 2 nodes joined with weight 1; as an edge list the two directions would sum to 2
        Path two = write("two.csv", "# 2 nodes\n0,1\n\n1,0\n");
        Graph m = GraphReader.read(two);
        assertEquals(List.of("0", "1"), m.names());
        assertEquals(1.0, m.weight(0, 1));
        Graph e = GraphReader.read(two, GraphReader.Format.EDGE_LIST);
        assertEquals(2.0, e.weight(0, 1));
        Graph named = GraphReader.read(write("named.csv", "a,b,c\n0,1,2\n1,0,0\n2,0,0\n"));
        assertEquals(List.of("a", "b", "c"), named.names());
        assertEquals(2.0, named.weight(0, 2));
        assertEquals(0.0, named.weight(1, 2));
        // a triangle as 3 unweighted edges with numeric names: 3 lines of 2 cells is no square block
        Graph triangle = GraphReader.read(write("tri.csv", "1,2\n2,3\n3,1\n"));
        assertEquals(List.of("1", "2", "3"), triangle.names());
        assertEquals(3, triangle.edgeCount());
        // 3 weighted numeric edges without a header: the documented ambiguous case, a matrix unless told
        Path weighted = write("w.csv", "1,2,0.5\n2,3,1\n3,1,2\n");
        Graph asMatrix = GraphReader.read(weighted);
        assertEquals(List.of("0", "1", "2"), asMatrix.names());
        Graph asEdges = GraphReader.read(weighted, GraphReader.Format.EDGE_LIST);
        assertEquals(List.of("1", "2", "3"), asEdges.names());
        assertEquals(0.5, asEdges.weight(0, 1));
        assertEquals(List.of("1", "2", "3"),
                GraphReader.read(write("wh.csv", "source,target,weight\n1,2,0.5\n2,3,1\n3,1,2\n")).names());
        // an edge-list header word in a 3-cell first line is never a names row
        Graph headed = GraphReader.read(write("hd.csv", "from,to,w\n0,1,1\n1,2,1\n2,0,1\n"));
        assertEquals(List.of("0", "1", "2"), headed.names());
        assertEquals(1.0, headed.weight(0, 1));
        // 4 or more cells: a matrix; forcing the other format reports the mismatch
        Path four = write("four.csv", "0,1,0,0\n1,0,1,0\n0,1,0,1\n0,0,1,0\n");
        assertEquals(3, GraphReader.read(four, GraphReader.Format.ADJACENCY).edgeCount());
        String msg = assertThrows(Kernels4jException.class,
                () -> GraphReader.read(four, GraphReader.Format.EDGE_LIST)).getMessage();
        assertEquals(four + ":1: expected source,target[,weight], got 4 cells", msg);
    }

    /** Quoted names follow RFC 4180: doubled quotes, commas and '#' inside quotes are part of the name. */
    @org.junit.jupiter.api.Test
    void quotedNamesAreReadAsCsv() throws java.io.IOException {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("quoted", ".csv");
        java.nio.file.Files.writeString(f, "\"O'Hare\",\"say \"\"hi\"\"\",1\n\"a, b\",\"c#1\",2 # a comment\n\"c#1\",\"O'Hare\",1\n");
        org.kernels4j.kernel.graph.Graph g = GraphReader.read(f);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("O'Hare", "say \"hi\"", "a, b", "c#1"), g.names());
        org.junit.jupiter.api.Assertions.assertEquals(2.0, g.weight(2, 3));
        java.nio.file.Files.writeString(f, "a,b,1\n\"c,d,1\n");
        org.kernels4j.Kernels4jException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.kernels4j.Kernels4jException.class, () -> GraphReader.read(f));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(":2: "), e.getMessage());
        java.nio.file.Files.delete(f);
    }
}
