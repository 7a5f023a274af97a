package org.kernels4j.cli;

import java.nio.file.Path;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.DataFormat;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.LibSvmReader;
import org.kernels4j.io.SavedModel;

/**
 * Reads a data file for an existing model, by one rule: a CSV file has the model's d feature
 * columns, or d + 1 columns where the extra one is the target (the column with the model's target
 * name when the file has a header, else the last column). A LibSVM file always carries its label.
 */
final class ModelData {
    private ModelData() {
    }

    static Dataset read(DataOptions options, Path file, SavedModel saved, boolean requireTarget) {
        return read(options, file, saved.model().features(), saved.targetName(), requireTarget);
    }

    /** {@link #read(DataOptions, Path, SavedModel, boolean)} for a model with d input columns and a target name. */
    static Dataset read(DataOptions options, Path file, int d, String targetName, boolean requireTarget) {
        if (options.formatOf(file) == DataFormat.LIBSVM) {
            Dataset ds = LibSvmReader.read(file, d);
            if (ds.features().cols() != d) {
                throw new Kernels4jException(file + ": has feature indices up to " + ds.features().cols()
                        + " but the model was trained on " + d + " features");
            }
            return ds;
        }
        Dataset all = options.readCsv(file, null);
        int cols = all.features().cols();
        if (cols == d) {
            if (requireTarget) {
                throw new Kernels4jException(file + ": has the model's " + d + " feature columns but no target column"
                        + (targetName != null ? " '" + targetName + "'" : "") + " to evaluate against");
            }
            return all;
        }
        if (cols == d + 1) {
            int index = targetName == null ? -1 : all.featureNames().indexOf(targetName);
            return all.withTargetColumn(index >= 0 ? index : d);
        }
        throw new Kernels4jException(file + ": has " + cols + " columns but the model expects " + d + " features"
                + " (or " + (d + 1) + " columns with the target" + (targetName != null ? " '" + targetName + "'" : "")
                + ")");
    }
}
