package org.kernels4j.cli;

import java.nio.file.Path;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.SavedModel;

/** Reads a data file for an existing model: the target column is dropped when the file has it. */
final class ModelData {
    private ModelData() {
    }

    static Dataset read(DataOptions options, Path file, SavedModel saved, boolean requireTarget) {
        int d = saved.featureNames().size();
        Dataset all = options.read(file, "none", d);
        int cols = all.features().cols();
        if (cols == d && !requireTarget) {
            return all;
        }
        if (cols == d + 1 || (requireTarget && all.hasTarget())) {
            String target = saved.targetName() != null && all.featureNames().contains(saved.targetName())
                    ? saved.targetName() : "-1";
            Dataset withTarget = options.read(file, target, d);
            if (withTarget.features().cols() == d) {
                return withTarget;
            }
        }
        if (cols == d && requireTarget) {
            // LibSVM files always carry their label
            if (all.hasTarget()) {
                return all;
            }
            throw new Kernels4jException(file + ": has " + cols + " columns, the model's " + d
                    + " features and no target column '" + saved.targetName() + "' to evaluate against");
        }
        throw new Kernels4jException(file + ": has " + cols + " columns but the model expects " + d + " features"
                + (saved.targetName() != null ? " (plus optionally the target '" + saved.targetName() + "')" : ""));
    }
}
