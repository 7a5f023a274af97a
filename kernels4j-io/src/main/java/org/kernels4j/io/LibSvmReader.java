package org.kernels4j.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Reads the LibSVM / svmlight sparse text format into a dense {@link Dataset}:
 * one sample per line, {@code label index:value index:value …} with 1-based, strictly increasing
 * indices; {@code qid:…} tokens are skipped and {@code #} starts a comment. Missing indices are 0.
 * The number of features is the largest index seen, or a given minimum (so test files with fewer
 * trailing features line up with the training file).
 */
public final class LibSvmReader {
    private LibSvmReader() {
    }

    /** Reads a file; {@code minFeatures} pads the feature count (0 for none). */
    public static Dataset read(Path file, int minFeatures) {
        String name = file.toString();
        List<double[]> values = new ArrayList<>();
        List<int[]> indices = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        int maxIndex = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String raw;
            int line = 0;
            while ((raw = in.readLine()) != null) {
                line++;
                if (line == 1) {
                    raw = TextFiles.withoutByteOrderMark(raw);
                }
                int hash = raw.indexOf('#');
                String text = hash >= 0 ? raw.substring(0, hash) : raw;
                if (text.isBlank()) {
                    continue;
                }
                // tokens by hand rather than split("\\s+"): the regex and its substrings cost more than the numbers
                int len = text.length();
                int p = 0;
                while (p < len && Character.isWhitespace(text.charAt(p))) {
                    p++;
                }
                int e = p;
                while (e < len && !Character.isWhitespace(text.charAt(e))) {
                    e++;
                }
                String first = text.substring(p, e);
                Double label = CsvReader.parseNumber(first);
                if (label == null || !Double.isFinite(label)) {
                    throw new Kernels4jException(name + ":" + line + ":1: cannot read label '" + first + "' as a number");
                }
                int[] idx = new int[8];
                double[] val = new double[8];
                int count = 0;
                int prev = 0;
                p = e;
                while (true) {
                    while (p < len && Character.isWhitespace(text.charAt(p))) {
                        p++;
                    }
                    if (p >= len) {
                        break;
                    }
                    e = p;
                    int colon = -1;
                    while (e < len && !Character.isWhitespace(text.charAt(e))) {
                        if (colon < 0 && text.charAt(e) == ':') {
                            colon = e;
                        }
                        e++;
                    }
                    int column = p + 1;
                    int start = p;
                    p = e;
                    if (text.startsWith("qid:", start)) {
                        continue;
                    }
                    if (colon <= start || colon == e - 1) {
                        throw new Kernels4jException(name + ":" + line + ":" + column + ": expected index:value but found '"
                                + text.substring(start, e) + "'");
                    }
                    int index = parseIndex(text, start, colon);
                    if (index == Integer.MIN_VALUE) {
                        String indexText = text.substring(start, colon);
                        throw new Kernels4jException(name + ":" + line + ":" + column + ": feature index '" + indexText
                                + "' " + (indexText.matches("\\d+") ? "is larger than the largest index supported, "
                                        + Integer.MAX_VALUE : "is not an integer"));
                    }
                    if (index < 1) {
                        throw new Kernels4jException(name + ":" + line + ":" + column + ": feature indices start at 1, found "
                                + index);
                    }
                    if (index <= prev) {
                        throw new Kernels4jException(name + ":" + line + ":" + column + ": feature indices must increase, "
                                + index + " follows " + prev);
                    }
                    double v = CsvReader.plainDecimal(text, colon + 1, e);
                    if (v != v) { // not a plain decimal: the general rule, or the error
                        String value = text.substring(colon + 1, e);
                        Double w = CsvReader.parseNumber(value);
                        if (w == null || !Double.isFinite(w)) {
                            throw new Kernels4jException(name + ":" + line + ":" + column + ": cannot read value '"
                                    + value + "' as a finite number");
                        }
                        v = w;
                    }
                    prev = index;
                    if (count == idx.length) {
                        idx = java.util.Arrays.copyOf(idx, 2 * count);
                        val = java.util.Arrays.copyOf(val, 2 * count);
                    }
                    idx[count] = index - 1;
                    val[count] = v;
                    count++;
                }
                maxIndex = Math.max(maxIndex, prev);
                indices.add(java.util.Arrays.copyOf(idx, count));
                values.add(java.util.Arrays.copyOf(val, count));
                labels.add(label);
            }
        } catch (IOException e) {
            throw TextFiles.unreadable(name, e);
        }
        if (labels.isEmpty()) {
            throw new Kernels4jException(name + ": no data rows (the file is empty)");
        }
        int d = Math.max(maxIndex, minFeatures);
        if (d == 0) {
            throw new Kernels4jException(name + ": no features in any row");
        }
        int n = labels.size();
        long cells = (long) n * d;
        if (cells > Integer.MAX_VALUE - 8 || cells * 8 > Runtime.getRuntime().maxMemory() / 2) {
            throw new Kernels4jException(String.format(java.util.Locale.ROOT, "%s: the largest feature index is %d, so its "
                    + "%d rows are a dense %d x %d matrix of %.3g GB, more than this JVM can hold (at most %.3g GB of heap; "
                    + "set KERNELS4J_JAVA_OPTS=-Xmx...); are the indices right?", name, maxIndex, n, n, d, cells * 8e-9,
                    Runtime.getRuntime().maxMemory() * 1e-9));
        }
        Matrix x = new Matrix(n, d);
        Matrix y = new Matrix(n, 1);
        for (int i = 0; i < n; i++) {
            int[] idx = indices.get(i);
            double[] val = values.get(i);
            for (int k = 0; k < idx.length; k++) {
                x.set(i, idx[k], val[k]);
            }
            y.set(i, 0, labels.get(i));
        }
        List<String> names = new ArrayList<>();
        for (int f = 0; f < d; f++) {
            names.add("f" + (f + 1));
        }
        return new Dataset(x, y, List.copyOf(names), "label", name);
    }

    /**
     * The integer in text[from, to), as Integer.parseInt reads it (an optional sign, then decimal digits), or
     * Integer.MIN_VALUE when it is not one or overflows.
     */
    private static int parseIndex(String text, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        if (i >= to) {
            return Integer.MIN_VALUE;
        }
        long v = 0;
        for (; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Integer.MIN_VALUE;
            }
            v = 10 * v + (c - '0');
            if (v > Integer.MAX_VALUE + 1L) {
                return Integer.MIN_VALUE;
            }
        }
        v = negative ? -v : v;
        return v > Integer.MAX_VALUE || v <= Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) v;
    }

    /** At most this many leading label-only lines are read while looking for a deciding line. */
    private static final int SNIFF_LINES = 10_000;

    /**
     * True when the file's content is LibSVM, whatever its name. Blank lines and {@code #} comments
     * are skipped, and so are lines holding only a number (a LibSVM row without features, but also a
     * row of a one-column CSV file); the first other line decides: LibSVM when its first token is a
     * number and every following token is {@code index:value} (digits, a colon, a number) or
     * {@code qid:…}, with at least one {@code index:value}. When no line decides (an empty file, or
     * only single numbers in the first {@value #SNIFF_LINES} lines) the name decides: {@code .libsvm},
     * {@code .svm} and {@code .svmlight} are LibSVM.
     *
     * @throws Kernels4jException when the file is missing or cannot be read as UTF-8 text
     */
    public static boolean looksLikeLibSvm(Path file) {
        String name = file.toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String raw;
            int labelOnly = 0;
            boolean first = true;
            while (labelOnly < SNIFF_LINES && (raw = in.readLine()) != null) {
                if (first) {
                    raw = TextFiles.withoutByteOrderMark(raw);
                    first = false;
                }
                switch (classify(raw)) {
                    case BLANK:
                        break;
                    case LABEL_ONLY:
                        labelOnly++;
                        break;
                    case ROW:
                        return true;
                    default:
                        return false;
                }
            }
        } catch (IOException e) {
            throw TextFiles.unreadable(name, e);
        }
        return hasLibSvmExtension(file);
    }

    /** True when the file name ends in .libsvm, .svm or .svmlight. */
    static boolean hasLibSvmExtension(Path file) {
        Path fileName = file.getFileName();
        String n = fileName == null ? "" : fileName.toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".libsvm") || n.endsWith(".svm") || n.endsWith(".svmlight");
    }

    /** What one line of text is, seen as LibSVM. */
    enum LineKind {
        /** Blank or only a comment. */
        BLANK,
        /** A single number: a LibSVM row without features, or a one-column CSV row. */
        LABEL_ONLY,
        /** A number followed by index:value tokens. */
        ROW,
        /** Anything else. */
        OTHER
    }

    /** Classifies one line of text ({@code #} starts a comment). */
    static LineKind classify(String raw) {
        int hash = raw.indexOf('#');
        String text = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
        if (text.isEmpty()) {
            return LineKind.BLANK;
        }
        String[] tokens = text.split("\\s+");
        if (CsvReader.parseNumber(tokens[0]) == null) {
            return LineKind.OTHER;
        }
        boolean pairs = false;
        for (int t = 1; t < tokens.length; t++) {
            String tok = tokens[t];
            if (tok.startsWith("qid:")) {
                continue;
            }
            int colon = tok.indexOf(':');
            if (colon <= 0 || !isDigits(tok, colon) || CsvReader.parseNumber(tok.substring(colon + 1)) == null) {
                return LineKind.OTHER;
            }
            pairs = true;
        }
        return pairs ? LineKind.ROW : LineKind.LABEL_ONLY;
    }

    private static boolean isDigits(String s, int end) {
        for (int i = 0; i < end; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
