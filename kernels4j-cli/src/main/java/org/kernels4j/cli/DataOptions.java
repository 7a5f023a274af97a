package org.kernels4j.cli;

import java.nio.file.Path;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.DataFormat;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.LibSvmReader;
import picocli.CommandLine.Option;

/** Options shared by commands that read a data file (CSV or LibSVM, detected by content or forced). */
final class DataOptions {
    @Option(names = "--format", defaultValue = "auto", paramLabel = "auto|csv|libsvm",
            description = "Data file format (default: ${DEFAULT-VALUE}: LibSVM when the lines look like "
                    + "'label index:value ...', else CSV).")
    String format = "auto";

    @Option(names = "--header", defaultValue = "auto", paramLabel = "auto|yes|no",
            description = "Whether the CSV's first row is a header (default: ${DEFAULT-VALUE}, detected).")
    String header = "auto"; // the initial values serve code that builds DataOptions without picocli

    /**
     * Read NaN and Inf cells instead of refusing the file. Only {@code balance} and {@code effect} can use it (rows
     * whose outcome they never read may hold nan; their help says so): every other command needs every cell
     * finite, so there it is a usage error ({@link #csv}) rather than a flag that lets the file be read only for
     * the command to refuse the cell afterwards with a worse message (no file or line). Hidden from the shared
     * option list for that reason.
     */
    @Option(names = "--allow-nonfinite", hidden = true,
            description = "Accept NaN and Inf cells in cells the command never reads (balance, effect).")
    boolean allowNonFinite;

    @Option(names = "--delimiter", defaultValue = ",", paramLabel = "CHAR", description = "CSV cell delimiter (default: ',').")
    char delimiter = ',';

    /** Reads a file that must have a numeric target column (for training and cross-validation). */
    Dataset readWithTarget(Path file, String target) {
        return readWithTarget(file, target, false);
    }

    /**
     * Reads a file that must have a target column; with {@code classLabels} the target may hold text
     * class labels ({@link CsvReader.Builder#classLabels}).
     */
    Dataset readWithTarget(Path file, String target, boolean classLabels) {
        Dataset ds = isLibSvm(file) ? LibSvmReader.read(file, 0)
                : csv(target).classLabels(classLabels).build().read(file);
        if (!ds.hasTarget()) {
            throw new org.kernels4j.Kernels4jException(file + ": no target column selected");
        }
        return ds;
    }

    /**
     * Whether {@code file} is read as LibSVM; if so, refuses --header and --delimiter, which only a CSV file reads
     * (a usage error rather than options silently ignored).
     */
    boolean isLibSvm(Path file) {
        if (formatOf(file) != DataFormat.LIBSVM) {
            return false;
        }
        if (header() != CsvReader.Header.AUTO) {
            throw new UsageException("--header applies to CSV files; " + file + " is LibSVM, which has no header");
        }
        if (delimiter != ',') {
            throw new UsageException("--delimiter applies to CSV files; " + file + " is LibSVM, whose cells are "
                    + "separated by spaces");
        }
        return true;
    }

    /**
     * Refuses --target (given on the command line, {@code targetGiven}) for a LibSVM file, whose target is always
     * its label.
     */
    void checkTarget(Path file, boolean targetGiven) {
        if (targetGiven && java.nio.file.Files.isRegularFile(file) && isLibSvm(file)) {
            throw new UsageException("--target names a CSV column; " + file + " is LibSVM, whose target is always "
                    + "its label");
        }
    }

    /** The format {@code file} is read in: the one --format forces, else the one its content shows. */
    DataFormat formatOf(Path file) {
        return UsageException.of(() -> DataFormat.parse(format)).resolve(file);
    }

    /**
     * Reads {@code file} with the target column spec ("none" or null for no target; a LibSVM file
     * always has its label as target).
     */
    Dataset read(Path file, String target, int minFeatures) {
        if (isLibSvm(file)) {
            return LibSvmReader.read(file, minFeatures);
        }
        return readCsv(file, target);
    }

    /** Reads {@code file} as CSV whatever its content, with the target column spec ("none" or null for none). */
    Dataset readCsv(Path file, String target) {
        return csv(target).build().read(file);
    }

    /** The CSV reader these options describe, with the target column spec ("none" or null for none). */
    CsvReader.Builder csv(String target) {
        if (allowNonFinite) {
            throw new UsageException("--allow-nonfinite applies to balance and effect only (rows whose unread cells "
                    + "may be nan); this command needs every cell finite: drop or impute the rows with NaN or Inf "
                    + "cells (without the flag the reader names each one by file and line)");
        }
        return csvKeepingNonFinite(target);
    }

    /**
     * {@link #csv} for a command that may hold NaN cells it never reads, and checks the cells it uses itself
     * ({@link BalanceData}): --allow-nonfinite is honoured here.
     */
    CsvReader.Builder csvKeepingNonFinite(String target) {
        return CsvReader.builder().header(header()).target(target == null || target.equalsIgnoreCase("none") ? null
                : target).allowNonFinite(allowNonFinite).delimiter(delimiter);
    }

    /** The --header option. */
    CsvReader.Header header() {
        switch (header.toLowerCase(java.util.Locale.ROOT)) {
            case "auto":
                return CsvReader.Header.AUTO;
            case "yes": case "true":
                return CsvReader.Header.YES;
            case "no": case "false":
                return CsvReader.Header.NO;
            default:
                throw new UsageException("--header must be auto, yes or no, got '" + header + "'");
        }
    }
}
