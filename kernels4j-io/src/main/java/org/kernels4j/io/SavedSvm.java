package org.kernels4j.io;

import java.util.List;
import org.kernels4j.svm.SvmModel;

/**
 * A support vector machine with what its model file records about the training data.
 *
 * @param model the trained SVM
 * @param featureNames names of the input columns (for a precomputed kernel: one per training row)
 * @param targetName the target column's name, or null
 */
public record SavedSvm(SvmModel model, List<String> featureNames, String targetName) {
}
