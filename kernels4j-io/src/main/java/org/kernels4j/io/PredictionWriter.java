package org.kernels4j.io;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ClassLabels;

/**
 * Writes predictions as CSV (a header row, then one row per sample, full double precision),
 * atomically. Names are quoted by CSV rules (Apache Commons CSV) when they hold a delimiter, quote or
 * line break.
 */
public final class PredictionWriter {
    private PredictionWriter() {
    }

    /** Writes {@code values} with the given column names to {@code file}. */
    public static void write(Path file, List<String> columns, Matrix values) {
        write(file, columns, values, null);
    }

    /**
     * Writes {@code values} with the given column names to {@code file}; when {@code labels} is not
     * null the first column holds class codes and is written as their names.
     */
    public static void write(Path file, List<String> columns, Matrix values, ClassLabels labels) {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
            csv.printRecord(columns);
            String[] cells = new String[values.cols()];
            for (int i = 0; i < values.rows(); i++) {
                for (int j = 0; j < values.cols(); j++) {
                    double v = values.get(i, j);
                    cells[j] = j == 0 && labels != null ? labels.name(v) : Double.toString(v);
                }
                csv.printRecord((Object[]) cells);
            }
            csv.flush();
        });
    }
}
