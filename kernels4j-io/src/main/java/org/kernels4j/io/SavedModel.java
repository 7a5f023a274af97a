package org.kernels4j.io;

import java.util.List;
import org.kernels4j.learn.KernelRidgeModel;

/**
 * A model together with what a model file records about the data it was trained on.
 *
 * @param kind model kind, e.g. "krr"
 * @param model the fitted kernel ridge model
 * @param featureNames names of the d input features, in order
 * @param targetName name of the target column (for prediction files and evaluation)
 */
public record SavedModel(String kind, KernelRidgeModel model, List<String> featureNames, String targetName) {
}
