package org.kernels4j.io;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ClassLabels;

/**
 * Reads a text column (and optionally a target column) from a CSV file with a header row, for the
 * string kernels: one text per row, e.g. a DNA sequence, a protein or a sentence. Cells are taken
 * as written (CSV quoting aside); every other column is ignored. Messages name the file and line.
 */
public final class TextColumnReader {
    private TextColumnReader() {
    }

    /**
     * The texts and targets read.
     *
     * @param texts one text per data row
     * @param textColumn the text column's header name
     * @param target n×1 targets (class codes when {@code classLabels} is set), or null without a target column
     * @param targetName the target column's header name, or null
     * @param classLabels the class names for a classifier's target, or null
     */
    public record TextData(List<String> texts, String textColumn, Matrix target, String targetName,
            ClassLabels classLabels) {
        /** Copies the texts. */
        public TextData {
            texts = List.copyOf(texts);
        }
    }

    /**
     * Reads column {@code textColumn} and, when {@code target} is not null, column {@code target}
     * (a header name or a 0-based index, negative from the end; class labels when {@code classLabels}: any text, coded 0..k−1 in sorted order; numbers
     * otherwise).
     *
     * @throws Kernels4jException naming the file and line for a missing column, an empty text, a
     *     column of numbers only (not text), or a target that is not a number
     */
    public static TextData read(Path file, String textColumn, String target, boolean classLabels) {
        List<String> texts = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        String name = file.toString();
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).get();
        String targetName = null;
        try (Reader in = TextFiles.skipByteOrderMark(Files.newBufferedReader(file, StandardCharsets.UTF_8));
                CSVParser parser = CSVParser.parse(in, format)) {
            int t = -1;
            int y = -1;
            int width = -1;
            for (CSVRecord rec : parser) {
                long line = parser.getCurrentLineNumber();
                if (width < 0) {
                    List<String> header = rec.toList();
                    width = header.size();
                    t = column(header, textColumn, name, "--text-column");
                    y = target == null ? -1 : column(header, target, name, "target");
                    targetName = y >= 0 ? header.get(y) : null; // the header's name, also for a target given by index
                    if (t == y) {
                        throw new Kernels4jException(name + ": the text column '" + textColumn + "' is also the target");
                    }
                    continue;
                }
                if (rec.size() != width) {
                    throw new Kernels4jException(name + ":" + line + ": expected " + width + " cells but found " + rec.size());
                }
                String text = rec.get(t);
                if (text.isEmpty()) {
                    throw new Kernels4jException(name + ":" + line + ": the text in column '" + textColumn + "' is empty");
                }
                texts.add(text);
                if (y >= 0) {
                    targets.add(rec.get(y));
                    lines.add(line);
                }
            }
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            throw new Kernels4jException(name + ": cannot read CSV: " + e.getMessage(), e);
        }
        if (texts.isEmpty()) {
            throw new Kernels4jException(name + ": no data rows (a header row naming the columns, then one text per row)");
        }
        if (texts.stream().allMatch(CsvReader::isNumber)) {
            throw new Kernels4jException(name + ": column '" + textColumn + "' holds only numbers, not text; string "
                    + "kernels compare texts (for numeric features use a kernel spec without --text-column)");
        }
        if (target == null) {
            return new TextData(texts, textColumn, null, null, null);
        }
        Matrix y = new Matrix(targets.size(), 1);
        ClassLabels labels = null;
        if (classLabels) {
            labels = ClassLabels.of(targets);
            y = labels.encode(targets);
        } else {
            for (int i = 0; i < targets.size(); i++) {
                try {
                    y.set(i, 0, Double.parseDouble(targets.get(i)));
                } catch (NumberFormatException e) {
                    throw new Kernels4jException(name + ":" + lines.get(i) + ": target '" + targets.get(i)
                            + "' is not a number");
                }
                if (!Double.isFinite(y.get(i, 0))) {
                    throw new Kernels4jException(name + ":" + lines.get(i) + ": target '" + targets.get(i) + "' is not finite");
                }
            }
        }
        return new TextData(texts, textColumn, y, targetName, labels);
    }

    private static int column(List<String> header, String wanted, String file, String what) {
        int i = header.indexOf(wanted);
        if (i < 0 && wanted.matches("-?\\d+")) { // a 0-based index, negative from the end, as fit --target takes
            int index = Integer.parseInt(wanted);
            i = index < 0 ? header.size() + index : index;
            if (i < 0 || i >= header.size()) {
                throw new Kernels4jException(file + ":1: column index " + wanted + " (" + what + ") is outside the "
                        + header.size() + " columns");
            }
        }
        if (i < 0) {
            throw new Kernels4jException(file + ":1: no column '" + wanted + "' (" + what + ") in the header; columns: "
                    + String.join(", ", header));
        }
        return i;
    }
}
