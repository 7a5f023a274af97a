package org.kernels4j.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.graph.LabeledGraph;

/**
 * Reads a data set of small graphs in the TU Dortmund format (Morris et al., "TUDataset", the format
 * of MUTAG, PROTEINS, NCI1 …): in one directory, for a data set DS,
 * <ul>
 *   <li>{@code DS_A.txt}: one edge per line, {@code i, j}, global node numbers counted from 1 (each
 *       undirected edge usually listed in both directions; repeats are merged);</li>
 *   <li>{@code DS_graph_indicator.txt}: line i holds the graph number (from 1) of node i; nodes of a
 *       graph are consecutive and graphs numbered 1, 2, … in order;</li>
 *   <li>{@code DS_node_labels.txt} (optional): line i holds node i's label (any text);</li>
 *   <li>{@code DS_graph_labels.txt} (optional): line g holds graph g's class.</li>
 * </ul>
 * Messages name the file and line.
 */
public final class GraphDatasetReader {
    private GraphDatasetReader() {
    }

    /**
     * The graphs and, when the data set has them, their class labels.
     *
     * @param graphs the graphs in file order, node labels from {@code DS_node_labels.txt} or none
     * @param graphLabels one class per graph as written in the file, or null
     */
    public record GraphDataset(List<LabeledGraph> graphs, List<String> graphLabels) {
        /** Copies. */
        public GraphDataset {
            graphs = List.copyOf(graphs);
            graphLabels = graphLabels == null ? null : List.copyOf(graphLabels);
        }
    }

    /**
     * Reads the TU data set in {@code location}: a directory holding exactly one {@code *_A.txt}, or
     * that {@code DS_A.txt} file itself.
     *
     * @throws Kernels4jException naming the file (and line) for a missing file or a bad line
     */
    public static GraphDataset readTu(Path location) {
        Path a = edgeFile(location);
        String name = a.getFileName().toString();
        String prefix = name.substring(0, name.length() - "A.txt".length());
        Path dir = a.toAbsolutePath().getParent();
        Path indicatorFile = dir.resolve(prefix + "graph_indicator.txt");
        if (!Files.isRegularFile(indicatorFile)) {
            throw new Kernels4jException(indicatorFile + ": not found (the TU format needs it beside " + a + ")");
        }
        List<String> indicator = lines(indicatorFile);
        int nodes = indicator.size();
        int[] graphOf = new int[nodes];
        int graphs = 0;
        for (int i = 0; i < nodes; i++) {
            int g = integer(indicator.get(i), indicatorFile, i + 1);
            if (g != graphs && g != graphs + 1) {
                throw new Kernels4jException(indicatorFile + ":" + (i + 1) + ": graph " + g + " after graph " + graphs
                        + "; graphs must be numbered 1, 2, ... with their nodes consecutive");
            }
            graphs = g;
            graphOf[i] = g - 1;
        }
        if (nodes == 0) {
            throw new Kernels4jException(indicatorFile + ": no nodes");
        }
        int[] first = new int[graphs + 1];
        for (int i = nodes - 1; i >= 0; i--) {
            first[graphOf[i]] = i;
        }
        first[graphs] = nodes;
        List<List<int[]>> edges = new ArrayList<>();
        for (int g = 0; g < graphs; g++) {
            edges.add(new ArrayList<>());
        }
        List<String> edgeLines = lines(a);
        for (int l = 0; l < edgeLines.size(); l++) {
            String[] cells = edgeLines.get(l).split(",");
            if (cells.length != 2) {
                throw new Kernels4jException(a + ":" + (l + 1) + ": expected 'i, j' (two node numbers), got '"
                        + edgeLines.get(l) + "'");
            }
            int u = integer(cells[0], a, l + 1) - 1;
            int v = integer(cells[1], a, l + 1) - 1;
            for (int w : new int[] {u, v}) {
                if (w < 0 || w >= nodes) {
                    throw new Kernels4jException(a + ":" + (l + 1) + ": node " + (w + 1) + " is not in 1.." + nodes
                            + " (the nodes of " + indicatorFile.getFileName() + ")");
                }
            }
            if (graphOf[u] != graphOf[v]) {
                throw new Kernels4jException(a + ":" + (l + 1) + ": edge " + (u + 1) + ", " + (v + 1)
                        + " joins graphs " + (graphOf[u] + 1) + " and " + (graphOf[v] + 1));
            }
            int base = first[graphOf[u]];
            edges.get(graphOf[u]).add(new int[] {u - base, v - base});
        }
        List<String> nodeLabels = null;
        Path nodeLabelFile = dir.resolve(prefix + "node_labels.txt");
        if (Files.isRegularFile(nodeLabelFile)) {
            nodeLabels = lines(nodeLabelFile);
            if (nodeLabels.size() != nodes) {
                throw new Kernels4jException(nodeLabelFile + ": " + nodeLabels.size() + " labels for " + nodes + " nodes");
            }
        }
        List<String> graphLabels = null;
        Path graphLabelFile = dir.resolve(prefix + "graph_labels.txt");
        if (Files.isRegularFile(graphLabelFile)) {
            graphLabels = lines(graphLabelFile);
            if (graphLabels.size() != graphs) {
                throw new Kernels4jException(graphLabelFile + ": " + graphLabels.size() + " labels for " + graphs + " graphs");
            }
        }
        List<LabeledGraph> out = new ArrayList<>();
        for (int g = 0; g < graphs; g++) {
            int n = first[g + 1] - first[g];
            out.add(LabeledGraph.of(n, edges.get(g).toArray(new int[0][]),
                    nodeLabels == null ? null : nodeLabels.subList(first[g], first[g + 1])));
        }
        return new GraphDataset(out, graphLabels);
    }

    private static Path edgeFile(Path location) {
        if (Files.isRegularFile(location)) {
            if (!location.getFileName().toString().endsWith("_A.txt")) {
                throw new Kernels4jException(location + ": not a TU data set file (expected DS_A.txt or its directory)");
            }
            return location;
        }
        if (!Files.isDirectory(location)) {
            throw new Kernels4jException(location + ": no such file or directory");
        }
        List<Path> found;
        try (Stream<Path> s = Files.list(location)) {
            found = s.filter(p -> p.getFileName().toString().endsWith("_A.txt")).sorted().toList();
        } catch (IOException e) {
            throw new Kernels4jException(location + ": cannot list: " + e.getMessage(), e);
        }
        if (found.size() != 1) {
            throw new Kernels4jException(location + ": expected one DS_A.txt (the TU format), found "
                    + (found.isEmpty() ? "none" : found.stream().map(p -> p.getFileName().toString()).toList()));
        }
        return found.get(0);
    }

    /** The non-blank lines, trimmed (TU files have no comments or headers). */
    private static List<String> lines(Path file) {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            int blank = 0; // the first blank line so far: fine at the end, an error before data (it shifts the numbering)
            while ((line = r.readLine()) != null) {
                number++;
                String t = line.strip();
                if (t.isEmpty()) {
                    blank = blank == 0 ? number : blank;
                    continue;
                }
                if (blank != 0) {
                    throw new Kernels4jException(file + ":" + blank + ": empty line (line numbers are node or graph numbers)");
                }
                out.add(t);
            }
        } catch (IOException e) {
            throw new Kernels4jException(file + ": cannot read: " + e.getMessage(), e);
        }
        return out;
    }

    private static int integer(String cell, Path file, int line) {
        try {
            return Integer.parseInt(cell.strip());
        } catch (NumberFormatException e) {
            throw new Kernels4jException(file + ":" + line + ": '" + cell.strip() + "' is not a node or graph number");
        }
    }
}
