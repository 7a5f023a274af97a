package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.LibSvmReader;
import org.kernels4j.io.LibSvmWriter;
import org.kernels4j.io.SavedModel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ClassLabels;

/**
 * Reads a data file for an existing model.
 *
 * <ul>
 *   <li>A CSV file with a header, for a model that recorded real column names: columns are matched
 *       by name, in any order. Every model feature must be present; the target column (by the
 *       model's target name; for a model that recorded none, the last column) may be; any other column is refused by name, so a file that lacks a
 *       feature but holds the target never has its target read as a feature.</li>
 *   <li>A CSV file without a header (or a model trained without one): by position, the model's d
 *       feature columns, or d + 1 columns where the extra one is the target (the column with the
 *       model's target name when that name is a position such as {@code x0}, else the last).</li>
 *   <li>A LibSVM file always carries its label.</li>
 * </ul>
 */
final class ModelData {
    private ModelData() {
    }

    static Dataset read(DataOptions options, Path file, SavedModel saved, boolean requireTarget) {
        if (saved.targetName() == null && withoutTarget(saved.model())) {
            return read(options, file, saved.model().features(), saved.featureNames(), null, null, false, true);
        }
        return read(options, file, saved.model().features(), saved.featureNames(), saved.targetName(),
                saved.classLabels(), requireTarget, false);
    }

    /**
     * A one-class SVM, fitted without any target: a file column beyond its features is never read as a target; it
     * is refused like any other column it does not know. (A density's predict still skips a trailing column, as
     * 'kde score --ignore' would: the files it is fitted from usually carry one.)
     */
    private static boolean withoutTarget(org.kernels4j.model.Model m) {
        return m instanceof org.kernels4j.svm.SvmModel s && s.type() == org.kernels4j.svm.SvmModel.Type.ONE_CLASS;
    }

    /** {@link #read(DataOptions, Path, SavedModel, boolean)} for a model with d input columns and a target name. */
    static Dataset read(DataOptions options, Path file, int d, String targetName, boolean requireTarget) {
        return read(options, file, d, null, targetName, null, requireTarget, false);
    }

    private static Dataset read(DataOptions options, Path file, int d, List<String> featureNames, String targetName,
            ClassLabels labels, boolean requireTarget, boolean noTarget) {
        if (options.isLibSvm(file)) {
            Dataset ds = LibSvmReader.read(file, d);
            if (ds.features().cols() != d) {
                throw new Kernels4jException(file + ": has feature indices up to " + ds.features().cols()
                        + " but the model was trained on " + d + " features");
            }
            return labels == null ? ds : byLabelText(ds, labels);
        }
        boolean modelNames = featureNames != null && featureNames.size() == d && !generatedNames(featureNames, "x", 0)
                && !generatedNames(featureNames, "f", 1);
        List<String> first = options.csv(null).build().firstRow(file);
        boolean fileHeader = hasHeader(options.header(), first, d, modelNames ? featureNames : List.of(), targetName,
                labels != null);
        int target = noTarget ? -1 : targetColumn(first, fileHeader, d, modelNames ? featureNames : null, targetName);
        Dataset ds = options.csv(target < 0 ? null : String.valueOf(target))
                .header(fileHeader ? CsvReader.Header.YES : CsvReader.Header.NO).knownLabels(labels).build().read(file);
        if (fileHeader && modelNames) {
            return byName(file, ds, featureNames, targetName, requireTarget);
        }
        int cols = ds.features().cols();
        String what = fileHeader ? "" : " (the file has no header, so columns are matched by position)";
        if (cols == d && (ds.hasTarget() || !requireTarget)) {
            return ds;
        }
        if (cols == d) {
            throw new Kernels4jException(file + ": has the model's " + d + " feature columns but no target column"
                    + (targetName != null ? " '" + targetName + "'" : "") + " to evaluate against" + what);
        }
        int width = cols + (ds.hasTarget() ? 1 : 0);
        if (noTarget) {
            throw new Kernels4jException(file + ": has " + width + " columns but the model expects " + d + " features"
                    + what);
        }
        throw new Kernels4jException(file + ": has " + width + " columns but the model expects " + d + " features"
                + " (or " + (d + 1) + " columns with the target" + (targetName != null ? " '" + targetName + "'" : "")
                + ")" + what);
    }

    /**
     * Whether the first row is a header: as forced, else when it names one of the model's columns, or
     * (for a model with class names, whose target may be text) when a cell outside the target column
     * is not a number, or (otherwise) when any cell is not a number.
     */
    private static boolean hasHeader(CsvReader.Header option, List<String> first, int d, List<String> featureNames,
            String targetName, boolean textTarget) {
        if (option != CsvReader.Header.AUTO) {
            return option == CsvReader.Header.YES;
        }
        if (targetName != null && first.contains(targetName) || featureNames.stream().anyMatch(first::contains)) {
            return true;
        }
        int skip = textTarget ? targetColumn(first, false, d, null, targetName) : -1;
        for (int j = 0; j < first.size(); j++) {
            if (j != skip && !CsvReader.isNumber(first.get(j))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The 0-based target column of a file whose first row is {@code first}, or −1: in a header that
     * holds the model's target name, that column; in a header of a model with real feature names
     * (given as {@code featureNames}, else null), for a model that recorded no target name the last of
     * d + 1 columns when it is not a feature, else none; otherwise by position: of d + 1 columns the one
     * the target name is a position of (such as {@code x3}), else the last.
     */
    private static int targetColumn(List<String> first, boolean header, int d, List<String> featureNames,
            String targetName) {
        int width = first.size();
        if (header && targetName != null && first.contains(targetName)
                && (featureNames == null || !featureNames.contains(targetName))) {
            return first.indexOf(targetName);
        }
        if (header && featureNames != null) {
            boolean lastIsFeature = width > 0 && featureNames.contains(first.get(width - 1));
            return targetName == null && width == d + 1 && !lastIsFeature ? d : -1;
        }
        if (width != d + 1) {
            return -1;
        }
        if (targetName != null && targetName.matches("x[0-9]{1,9}")) {
            int k = Integer.parseInt(targetName.substring(1));
            return k <= d ? k : d;
        }
        return d;
    }

    /** A LibSVM file's numeric labels read as text and encoded by the model's class names. */
    private static Dataset byLabelText(Dataset ds, ClassLabels labels) {
        List<String> text = new ArrayList<>();
        for (double v : ds.target().data()) {
            text.add(LibSvmWriter.label(v));
        }
        ClassLabels all = labels.extendedWith(text);
        Matrix y = all.encode(text);
        return new Dataset(ds.features(), y, ds.featureNames(), ds.targetName(), ds.source(), all);
    }

    /**
     * The rows of a second file paired with those of a first ({@code gram --data2}, {@code test mmd}): when both
     * files have headers and as many feature columns, columns are matched by name as a model's are (the second
     * file's reordered to the first's; names the first lacks are refused), else they stay by position.
     */
    static Dataset sameColumns(Path reference, Dataset first, Path file, Dataset ds) {
        List<String> names = first.featureNames();
        List<String> other = ds.featureNames();
        if (names == null || other == null || names.size() != other.size() || names.equals(other)
                || !realNames(names) || !realNames(other)) {
            return ds;
        }
        return byName(file, ds, names, null, false, reference);
    }

    /**
     * Rows already read (a density's queries, with any {@code --ignore}d column left out) for a model with these
     * feature names: by name when both the file and the model have real names (reordered to the model's order;
     * a missing or unknown name is refused), else as they are (by position; the caller checks the count).
     */
    static Dataset byModelNames(Path file, Dataset ds, List<String> modelNames) {
        List<String> names = ds.featureNames();
        if (modelNames == null || names == null || !realNames(modelNames) || !realNames(names)) {
            return ds;
        }
        return byName(file, ds, modelNames, null, false);
    }

    /** Names from a header: neither the x0, x1, … of a CSV file without one nor the f1, f2, … of a LibSVM file. */
    private static boolean realNames(List<String> names) {
        return !generatedNames(names, "x", 0) && !generatedNames(names, "f", 1);
    }

    private static Dataset byName(Path file, Dataset ds, List<String> featureNames, String targetName,
            boolean requireTarget) {
        return byName(file, ds, featureNames, targetName, requireTarget, null);
    }

    /**
     * Columns by the model's names (or, with {@code reference}, by that file's): features reordered to the model's
     * order; any other column is refused.
     */
    private static Dataset byName(Path file, Dataset ds, List<String> featureNames, String targetName,
            boolean requireTarget, Path reference) {
        List<String> header = ds.featureNames();
        int d = featureNames.size();
        int[] columns = new int[d];
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            columns[j] = header.indexOf(featureNames.get(j));
            if (columns[j] < 0) {
                missing.add(featureNames.get(j));
            }
        }
        List<String> extra = new ArrayList<>();
        for (String h : header) {
            if (!featureNames.contains(h)) {
                extra.add(h);
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            StringBuilder m = new StringBuilder(file + ": columns do not match "
                    + (reference == null ? "the model's features:" : "the features of " + reference + ":"));
            if (!missing.isEmpty()) {
                m.append(" missing ").append(quoted(missing));
            }
            if (!extra.isEmpty()) {
                m.append(missing.isEmpty() ? "" : ";").append(" unknown ").append(quoted(extra));
            }
            if (reference != null) {
                m.append(" (").append(reference).append(" has the ").append(d).append(" features ")
                        .append(quoted(featureNames)).append("; files with headers are matched by column name)");
                throw new Kernels4jException(m.toString());
            }
            m.append(" (the model needs its ").append(d).append(" features ").append(quoted(featureNames))
                    .append(targetName != null ? ", optionally with the target '" + targetName + "'" : "").append(')');
            throw new Kernels4jException(m.toString());
        }
        if (requireTarget && !ds.hasTarget()) {
            throw new Kernels4jException(file + ": has the model's " + d + " feature columns but no target column"
                    + (targetName != null ? " '" + targetName + "'" : "") + " to evaluate against");
        }
        return new Dataset(ds.features().selectColumns(columns), ds.target(), featureNames, ds.targetName(),
                ds.source(), ds.classLabels());
    }

    /** True when the names are prefix + (first, first + 1, …): what a file without a header is given. */
    private static boolean generatedNames(List<String> names, String prefix, int first) {
        for (int j = 0; j < names.size(); j++) {
            if (!names.get(j).equals(prefix + (j + first))) {
                return false;
            }
        }
        return true;
    }

    private static String quoted(List<String> names) {
        StringBuilder b = new StringBuilder();
        int shown = Math.min(names.size(), 10);
        for (int i = 0; i < shown; i++) {
            b.append(i == 0 ? "" : ", ").append('\'').append(names.get(i)).append('\'');
        }
        if (names.size() > shown) {
            b.append(" and ").append(names.size() - shown).append(" more");
        }
        return b.toString();
    }
}
