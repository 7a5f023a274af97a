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

    private CsvReader(Builder b) {
        this.header = b.header;
        this.target = b.target;
        this.allowNonFinite = b.allowNonFinite;
        this.delimiter = b.delimiter;
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

    /** Reads CSV text; {@code name} is used in messages. A leading UTF-8 byte order mark is skipped. */
    public Dataset read(Reader text, String name) throws IOException {
        Reader in = TextFiles.skipByteOrderMark(text);
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true)
                .setTrim(true).setCommentMarker('#').get();
        List<double[]> rows = new ArrayList<>();
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
                    boolean isHeader = header == Header.YES || (header == Header.AUTO && !allNumeric(rec));
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
                    row[j] = parseCell(rec.get(j), name, line, j, names.get(j));
                }
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            throw new Kernels4jException(name + ": no data rows" + (names != null ? " (only a header)" : " (the file is empty)"));
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
        return new Dataset(x, y, List.copyOf(featureNames), targetName, name);
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

    private double parseCell(String cell, String file, long line, int col, String colName) {
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
                    + abbreviate(colName) + "')");
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
