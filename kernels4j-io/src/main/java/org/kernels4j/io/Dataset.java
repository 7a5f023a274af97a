package org.kernels4j.io;

import java.util.List;
import org.kernels4j.linalg.Matrix;

/**
 * A table read from a file: features (n×d), optionally a numeric target (n×1), and names.
 *
 * @param features n×d feature matrix
 * @param target n×1 target column, or null when the file has none
 * @param featureNames one name per feature ("x0", "x1", … when the file has no header)
 * @param targetName the target column's name, or null
 * @param source file name, for messages
 */
public record Dataset(Matrix features, Matrix target, List<String> featureNames, String targetName, String source) {
    /** Number of rows. */
    public int rows() {
        return features.rows();
    }

    /** True when a target column was read. */
    public boolean hasTarget() {
        return target != null;
    }
}
