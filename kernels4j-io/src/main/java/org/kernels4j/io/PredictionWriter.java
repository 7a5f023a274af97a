package org.kernels4j.io;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.kernels4j.linalg.Matrix;

/** Writes predictions as CSV (a header row, then one row per sample, full double precision), atomically. */
public final class PredictionWriter {
    private PredictionWriter() {
    }

    /** Writes {@code values} with the given column names to {@code file}. */
    public static void write(Path file, List<String> columns, Matrix values) {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(String.join(",", columns));
            w.write('\n');
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < values.rows(); i++) {
                sb.setLength(0);
                for (int j = 0; j < values.cols(); j++) {
                    if (j > 0) {
                        sb.append(',');
                    }
                    sb.append(values.get(i, j));
                }
                sb.append('\n');
                w.write(sb.toString());
            }
            w.flush();
        });
    }
}
