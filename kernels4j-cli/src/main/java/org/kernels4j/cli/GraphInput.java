package org.kernels4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.GraphReader;
import org.kernels4j.kernel.graph.Graph;
import org.kernels4j.kernel.graph.GraphMeasure;
import org.kernels4j.kernel.graph.PreparedMeasure;
import org.kernels4j.linalg.Matrix;

/**
 * What the graph commands share: reading the graph (its repair notes printed), the measure and its parameter
 * ({@code --t}, the measure's own, or t′ ∈ (0, 1) with {@code --scaled}), and true labels of the nodes.
 */
final class GraphInput {
    private GraphInput() {
    }

    /** Reads the graph and prints one summary line and its repair notes. */
    static Graph read(Path file, PrintWriter out) {
        Graph g = GraphReader.read(file);
        out.printf(Locale.ROOT, "graph %s: %d nodes, %d edges, %d connected component%s%n", file, g.size(),
                g.edgeCount(), g.componentCount(), g.componentCount() == 1 ? "" : "s");
        for (String note : g.notes()) {
            out.println("note: " + note);
        }
        return g;
    }

    /** The measure named on the command line (a usage error lists the known ids). */
    static GraphMeasure measure(String id) {
        return UsageException.of(() -> GraphMeasure.parse(id));
    }

    /**
     * The measure's own parameter: {@code t} itself, or the scaler's image of t′ = {@code t} with {@code scaled}
     * (NaN for ct and sp, which take none). Whether t is in range is checked by the measure, which names its range.
     */
    static double parameter(PreparedMeasure p, Double t, boolean scaled) {
        GraphMeasure m = p.measure();
        if (!m.hasParameter()) {
            if (t != null) {
                throw new UsageException("--t does not apply to measure " + m.id() + ", which has no parameter");
            }
            return Double.NaN;
        }
        if (t == null) {
            throw new UsageException("measure " + m.id() + " needs --t (" + p.parameterRange()
                    + "; or --scaled with 0 < t' < 1)");
        }
        return scaled ? p.parameter(t) : t;
    }

    /** "log-forest kernel at t = 0.3 (t' = 0.375)", for output lines. */
    static String describe(PreparedMeasure p, double t, Double tPrime, boolean scaled, boolean distance) {
        String what = p.measure().id() + (distance ? " distance" : " kernel");
        if (!p.measure().hasParameter()) {
            return what;
        }
        return what + " at t = " + number(t) + (scaled ? " (t' = " + number(tPrime) + ")" : "");
    }

    /** Up to 6 significant digits, without trailing zeros. */
    static String number(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", v)).stripTrailingZeros().toPlainString();
    }

    /**
     * (H + Hᵀ)/2: ppr's kernel is not symmetric, and the clustering objectives and kernel PCA only see a
     * kernel through quadratic forms vᵀHv, which its symmetric part gives exactly.
     */
    static Matrix symmetricPart(Matrix h) {
        int n = h.rows();
        Matrix s = h.copy();
        double[] a = s.data();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = 0.5 * (a[i * n + j] + a[j * n + i]);
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        return s;
    }

    /** Node labels from a file: one {@code node,label} pair per line (comma or whitespace; a header line allowed). */
    record Truth(int[] codes, List<String> names) {
        String name(int code) {
            return names.get(code);
        }
    }

    /**
     * Reads {@code node,label} lines for every node of g (labels are text, coded 0, 1, … by first appearance). A
     * first line whose node is not in the graph is a header. Refused: a node given twice, a node of the graph
     * without a label, or a name that is not a node (each with the line).
     */
    static Truth truth(Path file, Graph g) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Kernels4jException("cannot read " + file + ": " + e.getMessage());
        }
        int[] codes = new int[g.size()];
        java.util.Arrays.fill(codes, -1);
        Map<String, Integer> index = new LinkedHashMap<>();
        Map<String, Integer> nodes = new java.util.HashMap<>();
        for (int i = 0; i < g.size(); i++) {
            nodes.put(g.name(i), i);
        }
        boolean first = true;
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).strip();
            if (ln == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.contains(",") ? line.split(",", -1) : line.split("\\s+");
            if (cells.length != 2) {
                throw new Kernels4jException(file + ":" + (ln + 1) + ": expected 'node,label', got " + cells.length
                        + " cells");
            }
            String node = unquote(cells[0]);
            Integer i = nodes.get(node);
            if (i == null && first) {
                first = false;
                continue; // a header
            }
            first = false;
            if (i == null) {
                throw new Kernels4jException(file + ":" + (ln + 1) + ": '" + node + "' is not a node of the graph");
            }
            if (codes[i] >= 0) {
                throw new Kernels4jException(file + ":" + (ln + 1) + ": node '" + node + "' is labelled twice");
            }
            codes[i] = index.computeIfAbsent(unquote(cells[1]), k -> index.size());
        }
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0) {
                throw new Kernels4jException(file + ": node '" + g.name(i) + "' has no label");
            }
        }
        return new Truth(codes, new ArrayList<>(index.keySet()));
    }

    private static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
