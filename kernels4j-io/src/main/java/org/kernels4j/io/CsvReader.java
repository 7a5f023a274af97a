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
        try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(new LineRecords(in, format()), name);
        } catch (QuotedLineBreak e) {
            // a quoted cell spans lines: only the full CSV grammar reads that, so read the file again with it
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return read(in, name);
            } catch (IOException io) {
                throw TextFiles.unreadable(name, io);
            }
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
        try (CSVParser parser = CSVParser.parse(in, format())) {
            return read(new ParserRecords(parser), name);
        }
    }

    /** The records of a file: each one's cells (trimmed) and the line it ends on. */
    private interface Records {
        /** Moves to the next record; false at the end. */
        boolean advance(String name) throws IOException;

        /** The current record's number of cells. */
        int size();

        /** Cell j of the current record, trimmed. */
        String cell(int j);

        /** Cell j as a finite number when it is a plain decimal one ({@link #plainDecimal}), NaN otherwise. */
        double number(int j);

        /** The line number of the current record (1-based, counting every physical line). */
        long line();

        /** All cells of the current record. */
        default String[] cells() {
            String[] c = new String[size()];
            for (int j = 0; j < c.length; j++) {
                c[j] = cell(j);
            }
            return c;
        }
    }

    /**
     * s[from, to) as a finite double when it is a plain decimal number (an optional sign, digits with an optional
     * point, an optional exponent), NaN otherwise: then {@link #parseNumber} decides, with its words, its errors
     * and its infinities. Exact: FastDoubleParser rounds as {@link Double#parseDouble} does.
     */
    static double plainDecimal(CharSequence s, int from, int to) {
        if (to <= from) {
            return Double.NaN;
        }
        char first = s.charAt(from);
        int digit = from;
        if (first == '-' || first == '+') {
            digit++;
            if (digit >= to) {
                return Double.NaN;
            }
            first = s.charAt(digit);
        }
        char last = s.charAt(to - 1);
        if (!(first >= '0' && first <= '9' || first == '.') || !(last >= '0' && last <= '9' || last == '.')
                || first == '0' && digit + 1 < to && (s.charAt(digit + 1) == 'x' || s.charAt(digit + 1) == 'X')) {
            return Double.NaN;
        }
        try {
            double v = ch.randelshofer.fastdoubleparser.JavaDoubleParser.parseDouble(s, from, to - from);
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Records through Commons CSV's full grammar (quoted cells, quoted line breaks). */
    private static final class ParserRecords implements Records {
        private final CSVParser parser;
        private final Iterator<CSVRecord> it;

        ParserRecords(CSVParser parser) {
            this.parser = parser;
            this.it = parser.iterator();
        }

        private String[] values;

        @Override
        public boolean advance(String name) {
            try {
                values = it.hasNext() ? it.next().values() : null;
                return values != null;
            } catch (java.io.UncheckedIOException | IllegalStateException e) {
                throw new Kernels4jException(name + ":" + parser.getCurrentLineNumber() + ": malformed CSV: "
                        + rootMessage(e));
            }
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public String cell(int j) {
            return values[j];
        }

        @Override
        public double number(int j) {
            return plainDecimal(values[j], 0, values[j].length());
        }

        @Override
        public long line() {
            return parser.getCurrentLineNumber();
        }
    }

    /** Thrown by {@link LineRecords} on a quoted cell that spans lines, which it leaves to {@link ParserRecords}. */
    private static final class QuotedLineBreak extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QuotedLineBreak() {
            super(null, null, false, false);
        }
    }

    /**
     * Records line by line, for speed: a line without a quote character is split at the delimiter and its cells
     * trimmed, with no per-record objects beyond the cells (hand-written because Commons CSV's general lexer costs
     * as much as parsing the numbers; `bench read` measures both against NumPy's loadtxt). A line with a quote
     * character, or holding only blanks, goes through Commons CSV alone, so quoted headers and quoted cells read as
     * before; a quote left open at the end of a line (a quoted line break) throws {@link QuotedLineBreak}.
     * Empty lines and lines starting with {@code #} are skipped, as in {@link #format()}.
     */
    private static final class LineRecords implements Records {
        private final java.io.BufferedReader in;
        private final CSVFormat format;
        private final char delimiter;
        private long line;
        private String text;
        private String[] values; // set when the line went through Commons CSV, else the bounds below hold
        private int[] starts = new int[16];
        private int[] ends = new int[16];
        private int count;

        LineRecords(java.io.BufferedReader in, CSVFormat format) {
            this.in = in;
            this.format = format;
            this.delimiter = format.getDelimiterString().charAt(0);
        }

        @Override
        public boolean advance(String name) throws IOException {
            while ((text = in.readLine()) != null) {
                line++;
                if (line == 1) {
                    text = TextFiles.withoutByteOrderMark(text);
                }
                if (text.isEmpty() || text.charAt(0) == '#') {
                    continue;
                }
                if (text.indexOf('"') >= 0 || text.isBlank()) {
                    values = alone(text, name);
                    if (values == null) {
                        continue;
                    }
                    return true;
                }
                values = null;
                count = 0;
                int start = 0;
                int len = text.length();
                while (true) {
                    int end = text.indexOf(delimiter, start);
                    int stop = end < 0 ? len : end;
                    add(start, stop);
                    if (end < 0) {
                        break;
                    }
                    start = end + 1;
                }
                return true;
            }
            return false;
        }

        /** Records the cell text[from, to) with blanks (chars up to ' ', as String.trim) cut from both ends. */
        private void add(int from, int to) {
            while (from < to && text.charAt(from) <= ' ') {
                from++;
            }
            while (to > from && text.charAt(to - 1) <= ' ') {
                to--;
            }
            if (count == starts.length) {
                starts = java.util.Arrays.copyOf(starts, 2 * count);
                ends = java.util.Arrays.copyOf(ends, 2 * count);
            }
            starts[count] = from;
            ends[count] = to;
            count++;
        }

        @Override
        public int size() {
            return values != null ? values.length : count;
        }

        @Override
        public String cell(int j) {
            return values != null ? values[j] : text.substring(starts[j], ends[j]);
        }

        @Override
        public double number(int j) {
            return values != null ? plainDecimal(values[j], 0, values[j].length()) : plainDecimal(text, starts[j], ends[j]);
        }

        private String[] alone(String text, String name) throws IOException {
            try (CSVParser p = CSVParser.parse(text, format)) {
                List<CSVRecord> records = p.getRecords();
                if (records.size() > 1) {
                    throw new QuotedLineBreak();
                }
                return records.isEmpty() ? null : records.get(0).values();
            } catch (java.io.UncheckedIOException | IllegalStateException e) {
                if (rootMessage(e) != null && rootMessage(e).contains("EOF reached before encapsulated token finished")) {
                    throw new QuotedLineBreak();
                }
                throw new Kernels4jException(name + ":" + line + ": malformed CSV: " + rootMessage(e));
            }
        }

        @Override
        public long line() {
            return line;
        }
    }

    private Dataset read(Records records, String name) throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<String> labels = classLabels ? new ArrayList<>() : null;
        List<Long> labelLines = classLabels ? new ArrayList<>() : null;
        List<String> names = null;
        int width = -1;
        int targetIndex = -1;
        {
            boolean first = true;
            while (true) {
                if (!records.advance(name)) {
                    break;
                }
                long line = records.line();
                if (first) {
                    String[] rec = records.cells();
                    first = false;
                    width = rec.length;
                    boolean isHeader = header == Header.YES || (header == Header.AUTO && looksLikeHeader(rec));
                    if (isHeader) {
                        names = new ArrayList<>();
                        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
                        for (String s : rec) {
                            Integer before = seen.putIfAbsent(s, names.size());
                            if (before != null) { // columns are matched by name (--target, predict): one name, one column
                                throw new Kernels4jException(name + ":" + line + ": the header names column '" + s
                                        + "' twice (columns " + (before + 1) + " and " + (names.size() + 1)
                                        + "); give each column its own name");
                            }
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
                if (records.size() != width) {
                    throw new Kernels4jException(name + ":" + line + ": expected " + width + " cells but found "
                            + records.size());
                }
                double[] row = new double[width];
                for (int j = 0; j < width; j++) {
                    if (labels != null && j == targetIndex) {
                        labels.add(records.cell(j));
                        labelLines.add(line);
                    } else {
                        double v = records.number(j);
                        row[j] = v == v ? v : parseCell(records.cell(j), name, line, j, names.get(j), j == targetIndex);
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
    private boolean looksLikeHeader(String[] rec) {
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
            skip = idx < 0 ? rec.length + idx : idx;
        } catch (NumberFormatException e) {
            return !allNumeric(rec);
        }
        for (int j = 0; j < rec.length; j++) {
            if (j != skip && parseNumber(rec[j]) == null) {
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

    private static boolean allNumeric(String[] rec) {
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
        double plain = plainDecimal(s, 0, s.length());
        if (plain == plain) {
            return plain; // the common case, without the lower-casing below
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
            String other = otherDelimiter(cell);
            if (other != null) { // the whole row landed in one cell: the file is split by another character
                throw new Kernels4jException(where + "cannot read '" + abbreviate(cell) + "' as a number: the cells "
                        + "seem to be separated by " + other + ", not by '" + delimiter + "' (use --delimiter "
                        + (other.equals("tabs") ? "$'\\t'" : other) + ")");
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

    /**
     * The delimiter a cell that is not a number seems to hide, when every piece it splits into is a number (';', tab,
     * '|' or a space: "1;2;3"); null otherwise.
     */
    private String otherDelimiter(String cell) {
        for (String d : new String[] {";", "\t", "|", " "}) {
            if (d.charAt(0) == delimiter || !cell.contains(d)) {
                continue;
            }
            String[] parts = cell.trim().split(java.util.regex.Pattern.quote(d) + "+");
            if (parts.length > 1 && java.util.Arrays.stream(parts).allMatch(CsvReader::isNumber)) {
                return d.equals("\t") ? "tabs" : "'" + d + "'";
            }
        }
        return null;
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
