package org.kernels4j.io;

import java.nio.file.Path;
import java.util.Locale;
import org.kernels4j.Kernels4jException;

/**
 * The text formats a data file can be read in: {@link #CSV}, {@link #LIBSVM}, or {@link #AUTO}
 * to decide by the file's content ({@link LibSvmReader#looksLikeLibSvm(Path)}), whatever its name.
 */
public enum DataFormat {
    /** Decided by content: LibSVM when the lines look like {@code label index:value …}, else CSV. */
    AUTO,
    /** Comma-separated (or other delimiter) numeric table, read by {@link CsvReader}. */
    CSV,
    /** LibSVM / svmlight sparse text, read by {@link LibSvmReader}. */
    LIBSVM;

    /**
     * Parses {@code auto}, {@code csv} or {@code libsvm} (any case; {@code svmlight} is a synonym
     * of {@code libsvm}).
     *
     * @throws Kernels4jException for anything else
     */
    public static DataFormat parse(String text) {
        switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return AUTO;
            case "csv":
                return CSV;
            case "libsvm": case "svmlight":
                return LIBSVM;
            default:
                throw new Kernels4jException("--format must be auto, csv or libsvm, got '" + text + "'");
        }
    }

    /**
     * The format to read {@code file} in: this one, or for {@link #AUTO} the one its content shows
     * ({@link #LIBSVM} or {@link #CSV}; never {@link #AUTO}).
     */
    public DataFormat resolve(Path file) {
        if (this != AUTO) {
            return this;
        }
        return LibSvmReader.looksLikeLibSvm(file) ? LIBSVM : CSV;
    }
}
