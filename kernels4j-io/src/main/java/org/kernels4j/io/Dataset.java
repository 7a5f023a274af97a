package org.kernels4j.io;

import java.util.List;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ClassLabels;

/**
 * A table read from a file: features (n×d), optionally a numeric target (n×1), and names.
 *
 * @param features n×d feature matrix
 * @param target n×1 target column, or null when the file has none
 * @param featureNames one name per feature ("x0", "x1", … when the file has no header)
 * @param targetName the target column's name, or null
 * @param source file name, for messages
 * @param classLabels when the target column held text class labels: their names, the target holding
 *     each row's class index ({@link ClassLabels}); null for a numeric target
 */
public record Dataset(Matrix features, Matrix target, List<String> featureNames, String targetName, String source,
        ClassLabels classLabels) {
    /** A table with a numeric target (or none). */
    public Dataset(Matrix features, Matrix target, List<String> featureNames, String targetName, String source) {
        this(features, target, featureNames, targetName, source, null);
    }

    /** The text of class label {@code code}: its name when the labels were text, else the number as LibSVM writes it. */
    public String label(double code) {
        return classLabels != null ? classLabels.name(code) : LibSvmWriter.label(code);
    }

    /** Number of rows. */
    public int rows() {
        return features.rows();
    }

    /** True when a target column was read. */
    public boolean hasTarget() {
        return target != null;
    }

    /**
     * This table with feature column {@code index} moved out as the target (for data read without a
     * target).
     *
     * @throws IllegalStateException when a target is already set
     */
    public Dataset withTargetColumn(int index) {
        if (target != null) {
            throw new IllegalStateException(source + " already has a target column");
        }
        int n = features.rows();
        int d = features.cols();
        java.util.Objects.checkIndex(index, d);
        Matrix x = new Matrix(n, d - 1);
        Matrix y = new Matrix(n, 1);
        double[] src = features.data();
        double[] dst = x.data();
        for (int i = 0; i < n; i++) {
            System.arraycopy(src, i * d, dst, i * (d - 1), index);
            System.arraycopy(src, i * d + index + 1, dst, i * (d - 1) + index, d - 1 - index);
            y.set(i, 0, src[i * d + index]);
        }
        List<String> names = new java.util.ArrayList<>(featureNames);
        String name = names.remove(index);
        return new Dataset(x, y, List.copyOf(names), name, source);
    }
}
