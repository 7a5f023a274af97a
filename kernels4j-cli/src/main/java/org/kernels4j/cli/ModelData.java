package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.DataFormat;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.LibSvmReader;
import org.kernels4j.io.SavedModel;
import org.kernels4j.linalg.Matrix;

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
        return read(options, file, saved.model().features(), saved.featureNames(), saved.targetName(), requireTarget);
    }

    /** {@link #read(DataOptions, Path, SavedModel, boolean)} for a model with d input columns and a target name. */
    static Dataset read(DataOptions options, Path file, int d, String targetName, boolean requireTarget) {
        return read(options, file, d, null, targetName, requireTarget);
    }

    private static Dataset read(DataOptions options, Path file, int d, List<String> featureNames, String targetName,
            boolean requireTarget) {
        if (options.formatOf(file) == DataFormat.LIBSVM) {
            Dataset ds = LibSvmReader.read(file, d);
            if (ds.features().cols() != d) {
                throw new Kernels4jException(file + ": has feature indices up to " + ds.features().cols()
                        + " but the model was trained on " + d + " features");
            }
            return ds;
        }
        Dataset all = options.readCsv(file, null);
        boolean fileHeader = !generatedNames(all.featureNames(), "x", 0);
        boolean modelNames = featureNames != null && featureNames.size() == d && !generatedNames(featureNames, "x", 0)
                && !generatedNames(featureNames, "f", 1);
        if (fileHeader && modelNames) {
            return byName(file, all, featureNames, targetName, requireTarget);
        }
        int cols = all.features().cols();
        String what = fileHeader ? "" : " (the file has no header, so columns are matched by position)";
        if (cols == d) {
            if (requireTarget) {
                throw new Kernels4jException(file + ": has the model's " + d + " feature columns but no target column"
                        + (targetName != null ? " '" + targetName + "'" : "") + " to evaluate against" + what);
            }
            return all;
        }
        if (cols == d + 1) {
            int index = targetName == null ? -1 : all.featureNames().indexOf(targetName);
            return all.withTargetColumn(index >= 0 ? index : d);
        }
        throw new Kernels4jException(file + ": has " + cols + " columns but the model expects " + d + " features"
                + " (or " + (d + 1) + " columns with the target" + (targetName != null ? " '" + targetName + "'" : "")
                + ")" + what);
    }

    /** Columns by the model's names: features reordered to the model's order, the target by its name. */
    private static Dataset byName(Path file, Dataset all, List<String> featureNames, String targetName,
            boolean requireTarget) {
        List<String> header = all.featureNames();
        int d = featureNames.size();
        int[] columns = new int[d];
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            columns[j] = header.indexOf(featureNames.get(j));
            if (columns[j] < 0) {
                missing.add(featureNames.get(j));
            }
        }
        int target = targetName == null || featureNames.contains(targetName) ? -1 : header.indexOf(targetName);
        if (targetName == null && header.size() == d + 1 && !featureNames.contains(header.get(d))) {
            target = d; // a model that recorded no target name: the last column, as by position
        }
        List<String> extra = new ArrayList<>();
        for (int j = 0; j < header.size(); j++) {
            if (j != target && !featureNames.contains(header.get(j))) {
                extra.add(header.get(j));
            }
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            StringBuilder m = new StringBuilder(file + ": columns do not match the model's features:");
            if (!missing.isEmpty()) {
                m.append(" missing ").append(quoted(missing));
            }
            if (!extra.isEmpty()) {
                m.append(missing.isEmpty() ? "" : ";").append(" unknown ").append(quoted(extra));
            }
            m.append(" (the model needs its ").append(d).append(" features ").append(quoted(featureNames))
                    .append(targetName != null ? ", optionally with the target '" + targetName + "'" : "").append(')');
            throw new Kernels4jException(m.toString());
        }
        if (requireTarget && target < 0) {
            throw new Kernels4jException(file + ": has the model's " + d + " feature columns but no target column"
                    + (targetName != null ? " '" + targetName + "'" : "") + " to evaluate against");
        }
        Matrix x = all.features().selectColumns(columns);
        Matrix y = target < 0 ? null : Matrix.column(all.features().column(target));
        return new Dataset(x, y, featureNames, target < 0 ? null : targetName, all.source());
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
