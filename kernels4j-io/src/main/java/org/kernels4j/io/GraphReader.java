package org.kernels4j.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.graph.Graph;
import org.kernels4j.linalg.Matrix;

/**
 * Reads a {@link Graph} from a file: an edge list or an adjacency matrix. Messages name the file and, for text, the line.
 * <ul>
 *   <li><b>Edge list</b>: one edge per line, {@code source,target[,weight]} separated by commas, or by whitespace when
 *       a line has no comma; node names are strings (surrounding quotes removed); weight 1 when the column is absent
 *       (every line has it or none does); '#' starts a comment; blank lines are skipped. The first line is a header
 *       when its third cell is not a number or its first cell is one of source, src, from, node1, u (any case).
 *       Node order: first appearance. Duplicates, self-loops: see {@link Graph} (summed, dropped, noted).</li>
 *   <li><b>Adjacency</b>: {@code .npy} (nodes "0" … "n−1"), or CSV read by {@link CsvReader} (no target column);
 *       a first row with a non-numeric cell holds the node names.</li>
 * </ul>
 * {@link #read(Path)} ({@link Format#AUTO}) picks: {@code .npy} → adjacency; text whose first data line (comments and
 * blank lines aside) has 4 or more cells → adjacency (an edge list has 2 or 3); with 2 or 3 cells (c), adjacency only
 * when the data lines form a square numeric block — exactly c lines of c numbers, or a first line of c cells with a
 * non-number that is not an edge-list header word (the names) and then exactly c lines of c numbers — otherwise an edge
 * list. So a 2- or 3-node matrix is read as a matrix, and the one ambiguous file — 2 unweighted or 3 weighted edges
 * whose node names are all numbers and no header — is read as a matrix too: pass {@link Format#EDGE_LIST} (or add a
 * header line such as {@code source,target}) for that.
 */
public final class GraphReader {
    private static final Set<String> HEADER_WORDS = Set.of("source", "src", "from", "node1", "u");

    private GraphReader() {
    }

    /** How {@link #read(Path, Format)} interprets a file. */
    public enum Format {
        /** Chosen from the file name and content, as described in the class comment. */
        AUTO,
        /** {@code source,target[,weight]} lines ({@link #readEdgeList}). */
        EDGE_LIST,
        /** An n×n matrix ({@link #readAdjacency}). */
        ADJACENCY
    }

    /** Reads an edge list or adjacency matrix, chosen as described above ({@link Format#AUTO}). */
    public static Graph read(Path file) {
        return read(file, Format.AUTO);
    }

    /** Reads a graph in the given format ({@link Format#AUTO}: chosen as described in the class comment). */
    public static Graph read(Path file, Format format) {
        return switch (format) {
            case EDGE_LIST -> readEdgeList(file);
            case ADJACENCY -> readAdjacency(file);
            case AUTO -> looksLikeAdjacency(file) ? readAdjacency(file) : readEdgeList(file);
        };
    }

    /** The AUTO rule; reads at most the first c + 2 data lines (c ≤ 3) of a text file. */
    private static boolean looksLikeAdjacency(Path file) {
        String name = file.toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            return true;
        }
        List<List<String>> lines = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            boolean first = true;
            while ((line = in.readLine()) != null) {
                if (first) {
                    line = TextFiles.withoutByteOrderMark(line);
                    first = false;
                }
                String t = stripComment(line).trim();
                if (t.isEmpty()) {
                    continue;
                }
                List<String> cells;
                try {
                    cells = split(t);
                } catch (Kernels4jException e) {
                    return false; // read as an edge list, whose reader reports the line
                }
                if (lines.isEmpty() && cells.size() >= 4) {
                    return true;
                }
                lines.add(cells);
                if (lines.size() > lines.get(0).size() + 1) {
                    return false; // more lines than a c×c block with a names row: an edge list
                }
            }
        } catch (IOException e) {
            throw TextFiles.unreadable(name, e);
        }
        if (lines.isEmpty()) {
            throw new Kernels4jException(name + ": empty graph file");
        }
        int c = lines.get(0).size();
        boolean names = !allNumbers(lines.get(0));
        if (names && HEADER_WORDS.contains(lines.get(0).get(0).toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (lines.size() != c + (names ? 1 : 0)) {
            return false;
        }
        for (int r = names ? 1 : 0; r < lines.size(); r++) {
            if (lines.get(r).size() != c || !allNumbers(lines.get(r))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allNumbers(List<String> cells) {
        for (String c : cells) {
            if (CsvReader.parseNumber(c) == null) {
                return false;
            }
        }
        return true;
    }

    /** Reads an edge list. */
    public static Graph readEdgeList(Path file) {
        String name = file.toString();
        Graph.Builder b = Graph.builder();
        int lineNo = 0;
        int edges = 0;
        Boolean weighted = null;
        int weightLine = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            boolean headerPossible = true;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1) {
                    line = TextFiles.withoutByteOrderMark(line);
                }
                String t = stripComment(line).trim();
                if (t.isEmpty()) {
                    continue;
                }
                String where = name + ":" + lineNo + ": ";
                List<String> cells;
                try {
                    cells = split(t);
                } catch (Kernels4jException e) {
                    throw new Kernels4jException(where + e.getMessage());
                }
                if (headerPossible) {
                    headerPossible = false;
                    boolean header = HEADER_WORDS.contains(cells.get(0).toLowerCase(Locale.ROOT))
                            || (cells.size() == 3 && CsvReader.parseNumber(cells.get(2)) == null);
                    if (header) {
                        continue;
                    }
                }
                if (cells.size() < 2 || cells.size() > 3) {
                    throw new Kernels4jException(where + "expected source,target[,weight], got " + cells.size()
                            + " cell" + (cells.size() == 1 ? "" : "s"));
                }
                boolean hasWeight = cells.size() == 3;
                if (weighted == null) {
                    weighted = hasWeight;
                    weightLine = lineNo;
                } else if (weighted != hasWeight) {
                    throw new Kernels4jException(where + (hasWeight ? "has a weight but line " : "has no weight but line ")
                            + weightLine + (weighted ? " has one" : " has none") + "; give a weight on every line or none");
                }
                double w = 1;
                if (hasWeight) {
                    Double v = CsvReader.parseNumber(cells.get(2));
                    if (v == null) {
                        throw new Kernels4jException(where + "weight '" + cells.get(2) + "' is not a number");
                    }
                    if (!(v > 0) || v.isInfinite()) {
                        throw new Kernels4jException(where + "weight " + cells.get(2)
                                + " must be positive and finite");
                    }
                    w = v;
                }
                if (cells.get(0).isEmpty() || cells.get(1).isEmpty()) {
                    throw new Kernels4jException(where + "empty node name");
                }
                b.edge(cells.get(0), cells.get(1), w);
                edges++;
            }
        } catch (IOException e) {
            throw TextFiles.unreadable(name, e);
        }
        if (edges == 0) {
            throw new Kernels4jException(name + ": no edge in the edge list");
        }
        try {
            return b.build();
        } catch (Kernels4jException e) {
            throw new Kernels4jException(name + ": " + e.getMessage(), e);
        }
    }

    /** Reads an adjacency matrix (.npy, or CSV with an optional first row of names). */
    public static Graph readAdjacency(Path file) {
        String name = file.toString();
        Matrix a;
        List<String> names = null;
        if (name.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            a = Npy.read(file);
        } else {
            CsvReader reader = CsvReader.builder().target(null).build();
            Dataset d = reader.read(file);
            a = d.features();
            List<String> first = reader.firstRow(file);
            boolean header = false;
            for (String c : first) {
                header |= !CsvReader.isNumber(c);
            }
            if (header) {
                names = d.featureNames();
            }
            if (a.rows() == a.cols()) {
                long[] lines = reader.recordLines(file);
                int offset = header ? 1 : 0;
                for (int i = 0; i < a.rows(); i++) {
                    for (int j = 0; j < a.cols(); j++) {
                        if (a.get(i, j) < 0) {
                            throw new Kernels4jException(name + ":" + lines[i + offset] + ":" + (j + 1)
                                    + ": negative weight " + a.get(i, j));
                        }
                    }
                }
            }
        }
        try {
            return Graph.fromAdjacency(names, a);
        } catch (Kernels4jException e) {
            throw new Kernels4jException(name + ": " + e.getMessage(), e);
        }
    }

    /** The line up to a '#' that is not inside a double-quoted name. */
    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /**
     * The cells of a line: RFC 4180 CSV when it has a comma outside quotes (quoted names may hold commas, '#'
     * and doubled quotes, read by commons-csv), else whitespace-separated with surrounding quotes removed.
     */
    private static List<String> split(String t) {
        List<String> out = new ArrayList<>();
        if (t.indexOf(',') >= 0) {
            try (org.apache.commons.csv.CSVParser p = org.apache.commons.csv.CSVParser.parse(t,
                    org.apache.commons.csv.CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).build())) {
                for (org.apache.commons.csv.CSVRecord r : p) {
                    for (String c : r) {
                        out.add(c.trim());
                    }
                    return out;
                }
            } catch (java.io.IOException | java.io.UncheckedIOException | IllegalStateException e) {
                throw new org.kernels4j.Kernels4jException("malformed CSV quoting: " + e.getMessage());
            }
            return out;
        }
        for (String p : t.split("\\s+")) {
            String c = p.trim();
            if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
                c = c.substring(1, c.length() - 1);
            }
            out.add(c);
        }
        return out;
    }
}
