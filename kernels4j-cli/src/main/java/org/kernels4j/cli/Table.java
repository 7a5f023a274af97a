package org.kernels4j.cli;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.kernels4j.io.AtomicFiles;

/** A CSV file of text cells (row ids, node names, labels beside numbers), written atomically. */
final class Table {
    private Table() {
    }

    /** Writes the header and the rows (each as long as the header); quoting by CSV rules. */
    static void write(Path file, List<String> header, List<String[]> rows) {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
            csv.printRecord(header);
            for (String[] r : rows) {
                csv.printRecord((Object[]) r);
            }
            csv.flush();
        });
    }
}
