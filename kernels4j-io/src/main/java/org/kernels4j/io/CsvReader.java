package org.kernels4j.io;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ClassLabels;

/**
 * Reads numeric CSV files (parsing by Apache Commons CSV) into a {@link Dataset}.
 *
 * <p>Every problem is reported as {@code file:line:column: what is wrong}: non-numeric, empty,
 * NaN or infinite cells (the last two are accepted only with {@link Builder#allowNonFinite}),
 * rows with the wrong number of cells, empty files, unknown target columns.
 *
 * <p>Header: by default detected (the first row is a header when one of its cells is not a
 * number); it can be forced either way. Target: by column name, or by 0-based index where
 * negative counts from the end (−1, the default, is the last column), or none.
 *
 * <p>Class labels ({@link Builder#classLabels}): the target column may then hold text such as
 * {@code spam}/{@code nonspam}. A column whose every cell is a number stays numeric; otherwise every
 * cell is a label, class k is the k-th name in sorted order ({@link ClassLabels#of}) and the target
 * holds class indices ({@link Dataset#classLabels()}). With {@link Builder#knownLabels} the indices
 * are a model's, and labels the model does not know get the next indices, after its own. With
 * automatic header detection a first row counts as a header when it names the target column or
 * when one of its cells outside the target column is not a number.
 */
public final class CsvReader {
    /** Whether the first row is a header. */
    public enum Header {
        /** Header when some first-row cell is not a number. */
        AUTO,
        /** The first row is a header. */
        YES,
        /** There is no header. */
        NO
    }

    private final Header header;
    private final String target;
    private final boolean allowNonFinite;
    private final char delimiter;
    private final boolean classLabels;
    private final ClassLabels knownLabels;

    private CsvReader(Builder b) {
        this.header = b.header;
        this.target = b.target;
        this.allowNonFinite = b.allowNonFinite;
        this.delimiter = b.delimiter;
        this.classLabels = b.classLabels || b.knownLabels != null;
        this.knownLabels = b.knownLabels;
    }

    /** A builder with the defaults: auto header, last column as target, finite values only, comma. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link CsvReader}. */
    public static final class Builder {
        private Header header = Header.AUTO;
        private String target = "-1";
        private boolean allowNonFinite;
        private char delimiter = ',';
        private boolean classLabels;
        private ClassLabels knownLabels;

        /** Whether the target column holds class labels, which may then be text (default: false, numbers only). */
        public Builder classLabels(boolean classLabels) {
            this.classLabels = classLabels;
            return this;
        }

        /**
         * The target holds labels of these classes (implies {@link #classLabels}): every target cell is read as
         * text and encoded by its index among {@code labels}; unknown labels get indices after them.
         */
        public Builder knownLabels(ClassLabels labels) {
            this.knownLabels = labels;
            return this;
        }

        /** Header handling. */
        public Builder header(Header header) {
            this.header = header;
            return this;
        }

        /** Target column by name or 0-based index (negative from the end); null for no target. */
        public Builder target(String target) {
            this.target = target;
            return this;
        }

        /** Accept NaN and ±Inf cells. */
        public Builder allowNonFinite(boolean allow) {
            this.allowNonFinite = allow;
            return this;
        }

        /** Cell delimiter, ',' by default. */
        public Builder delimiter(char delimiter) {
            this.delimiter = delimiter;
            return this;
        }

        /** The reader. */
        public CsvReader build() {
            return new CsvReader(this);
        }
    }

    /** Reads a file. */
    public Dataset read(Path file) {
        String name = file.toString();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, name);
        } catch (IOException e) {
            throw TextFiles.unreadable(name, e);
        }
    }

    /**
     * The cells of the first record of {@code file} (header or data; comments and empty lines skipped),
     * or an empty list for a file without records.
     */
    public List<String> firstRow(Path file) {
        String name = file.toString();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.parse(TextFiles.skipByteOrderMark(in), format())) {
            Iterator<CSVRecord> it = parser.iterator();
            List<String> cells = new ArrayList<>();
            if (it.hasNext()) {
                it.next().forEach(cells::add);
            }
            return cells;
        } catch (IOException e) {
            throw TextFiles.unreadable(name, e);
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            throw new Kernels4jException(name + ": malformed CSV: " + rootMessage(e));
        }
    }

    /**
     * The file line of each record of {@code file}, as {@link #read}'s own messages number it (header
     * record included when there is one; comment and empty lines skipped as {@link #read} skips them), for messages about cells of a
     * file already read. One pass over the file.
     *
     * @throws Kernels4jException when the file cannot be read or is malformed
     */
    public long[] recordLines(Path file) {
        List<Long> lines = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.parse(in, format())) {
            for (Iterator<CSVRecord> it = parser.iterator(); it.hasNext(); ) {
                it.next();
                lines.add(parser.getCurrentLineNumber());
            }
        } catch (IOException e) {
            throw new Kernels4jException(file + ": cannot read: " + rootMessage(e));
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            throw new Kernels4jException(file + ": malformed CSV: " + rootMessage(e));
        }
        return lines.stream().mapToLong(Long::longValue).toArray();
    }

    private CSVFormat format() {
        return CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true).setTrim(true)
                .setCommentMarker('#').get();
    }

    /** Whether {@code cell} reads as a number (decimal or exponent notation, or a nan/inf word). */
    public static boolean isNumber(String cell) {
        return parseNumber(cell) != null;
    }

    /** Reads CSV text; {@code name} is used in messages. A leading UTF-8 byte order mark is skipped. */
    public Dataset read(Reader text, String name) throws IOException {
        Reader in = TextFiles.skipByteOrderMark(text);
        CSVFormat format = format();
        List<double[]> rows = new ArrayList<>();
        List<String> labels = classLabels ? new ArrayList<>() : null;
        List<Long> labelLines = classLabels ? new ArrayList<>() : null;
        List<String> names = null;
        int width = -1;
        int targetIndex = -1;
        try (CSVParser parser = CSVParser.parse(in, format)) {
            Iterator<CSVRecord> it = parser.iterator();
            boolean first = true;
            while (true) {
                CSVRecord rec;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    rec = it.next();
                } catch (java.io.UncheckedIOException | IllegalStateException e) {
                    throw new Kernels4jException(name + ":" + parser.getCurrentLineNumber() + ": malformed CSV: "
                            + rootMessage(e));
                }
                long line = parser.getCurrentLineNumber();
                if (first) {
                    first = false;
                    width = rec.size();
                    boolean isHeader = header == Header.YES || (header == Header.AUTO && looksLikeHeader(rec));
                    if (isHeader) {
                        names = new ArrayList<>();
                        for (String s : rec) {
                            names.add(s);
                        }
                    } else {
                        names = new ArrayList<>();
                        for (int j = 0; j < width; j++) {
                            names.add("x" + j);
                        }
                    }
                    targetIndex = resolveTarget(names, isHeader, name);
                    if (isHeader) {
                        continue;
                    }
                }
                if (rec.size() != width) {
                    throw new Kernels4jException(name + ":" + line + ": expected " + width + " cells but found "
                            + rec.size());
                }
                double[] row = new double[width];
                for (int j = 0; j < width; j++) {
                    if (labels != null && j == targetIndex) {
                        labels.add(rec.get(j));
                        labelLines.add(line);
                    } else {
                        row[j] = parseCell(rec.get(j), name, line, j, names.get(j), j == targetIndex);
                    }
                }
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            throw new Kernels4jException(name + ": no data rows" + (names != null ? " (only a header)" : " (the file is empty)"));
        }
        ClassLabels vocabulary = null;
        if (labels != null && targetIndex >= 0) {
            vocabulary = encodeLabels(labels, labelLines, rows, targetIndex, name, names.get(targetIndex));
        }
        int d = targetIndex >= 0 ? width - 1 : width;
        if (d == 0) {
            throw new Kernels4jException(name + ": no feature columns besides the target");
        }
        int n = rows.size();
        Matrix x = new Matrix(n, d);
        Matrix y = targetIndex >= 0 ? new Matrix(n, 1) : null;
        double[] xd = x.data();
        for (int i = 0; i < n; i++) {
            double[] r = rows.get(i);
            for (int j = 0, f = 0; j < width; j++) {
                if (j == targetIndex) {
                    y.set(i, 0, r[j]);
                } else {
                    xd[i * d + f++] = r[j];
                }
            }
        }
        List<String> featureNames = new ArrayList<>(names);
        String targetName = null;
        if (targetIndex >= 0) {
            targetName = featureNames.remove(targetIndex);
        }
        return new Dataset(x, y, List.copyOf(featureNames), targetName, name, vocabulary);
    }

    /**
     * Writes the target cells into {@code rows}: numbers when every label is one (and no vocabulary is
     * given), else class indices; returns the class names, or null for a numeric target.
     */
    private ClassLabels encodeLabels(List<String> labels, List<Long> lines, List<double[]> rows, int column,
            String file, String columnName) {
        if (knownLabels == null && labels.stream().allMatch(t -> parseNumber(t) != null)) {
            for (int i = 0; i < labels.size(); i++) {
                rows.get(i)[column] = parseCell(labels.get(i), file, lines.get(i), column, columnName, false);
            }
            return null;
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).isEmpty()) {
                throw new Kernels4jException(file + ":" + lines.get(i) + ":" + (column + 1) + ": empty class label in "
                        + "column '" + abbreviate(columnName) + "' (missing values are not supported)");
            }
            if (LibSvmReader.classify(labels.get(i)) == LibSvmReader.LineKind.ROW) {
                parseCell(labels.get(i), file, lines.get(i), column, columnName, false); // says: read it as LibSVM
            }
        }
        ClassLabels vocabulary = knownLabels == null ? ClassLabels.of(labels) : knownLabels.extendedWith(labels);
        for (int i = 0; i < labels.size(); i++) {
            rows.get(i)[column] = vocabulary.indexOf(labels.get(i));
        }
        return vocabulary;
    }

    /** Whether an automatically detected first row is a header (see the class comment for class labels). */
    private boolean looksLikeHeader(CSVRecord rec) {
        if (!classLabels || target == null || target.isEmpty()) {
            return !allNumeric(rec);
        }
        for (String s : rec) {
            if (s.equals(target)) {
                return true;
            }
        }
        int skip;
        try {
            int idx = Integer.parseInt(target.trim());
            skip = idx < 0 ? rec.size() + idx : idx;
        } catch (NumberFormatException e) {
            return !allNumeric(rec);
        }
        for (int j = 0; j < rec.size(); j++) {
            if (j != skip && parseNumber(rec.get(j)) == null) {
                return true;
            }
        }
        return false;
    }

    private int resolveTarget(List<String> names, boolean isHeader, String file) {
        if (target == null || target.isEmpty()) {
            return -1;
        }
        int width = names.size();
        if (isHeader) {
            int byName = names.indexOf(target);
            if (byName >= 0) {
                return byName;
            }
        }
        try {
            int idx = Integer.parseInt(target.trim());
            int resolved = idx < 0 ? width + idx : idx;
            if (resolved < 0 || resolved >= width) {
                throw new Kernels4jException(file + ": target column index " + idx + " is outside the " + width
                        + " columns (use 0.." + (width - 1) + " or -1 for the last)");
            }
            return resolved;
        } catch (NumberFormatException e) {
            throw new Kernels4jException(file + ": no column named '" + target + "'"
                    + (isHeader ? "; columns are " + String.join(", ", names) : "; the file has no header"));
        }
    }

    private static boolean allNumeric(CSVRecord rec) {
        for (String s : rec) {
            if (parseNumber(s) == null) {
                return false;
            }
        }
        return true;
    }

    /** Strict number parsing: decimal or exponent notation, and nan/inf words; null if not a number. */
    static Double parseNumber(String s) {
        if (s.isEmpty()) {
            return null;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "nan":
                return Double.NaN;
            case "inf": case "+inf": case "infinity": case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        char last = lower.charAt(lower.length() - 1);
        if (!(Character.isDigit(last) || last == '.') || lower.startsWith("0x") || lower.contains("p")) {
            return null;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private double parseCell(String cell, String file, long line, int col, String colName, boolean isTarget) {
        Double v = parseNumber(cell);
        String where = file + ":" + line + ":" + (col + 1) + ": ";
        if (v == null) {
            if (cell.isEmpty()) {
                throw new Kernels4jException(where + "empty cell in column '" + abbreviate(colName) + "' (missing values are not supported)");
            }
            if (LibSvmReader.classify(cell) == LibSvmReader.LineKind.ROW) {
                throw new Kernels4jException(where + "cannot read '" + abbreviate(cell) + "' as a number: the line looks"
                        + " like LibSVM (label index:value ...); read it as LibSVM (--format libsvm)");
            }
            throw new Kernels4jException(where + "cannot read '" + abbreviate(cell) + "' as a number (column '"
                    + abbreviate(colName) + "')" + (isTarget ? "; text class labels are read only for classifiers, "
                    + "other models need a numeric target" : ""));
        }
        if (!allowNonFinite && !Double.isFinite(v)) {
            throw new Kernels4jException(where + (Double.isNaN(v) ? "NaN" : "infinite") + " value in column '" + abbreviate(colName)
                    + "' (allow with --allow-nonfinite)");
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
