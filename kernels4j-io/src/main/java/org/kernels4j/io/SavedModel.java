package org.kernels4j.io;

import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.model.Model;
import org.kernels4j.model.ModelCodecs;

/**
 * A model together with what a model file records about the data it was trained on.
 *
 * @param model any model with a registered codec
 * @param featureNames names of the d input columns, in order (for a precomputed-kernel SVM: one
 *     per training row)
 * @param targetName name of the target column (for prediction files and evaluation), or null
 */
public record SavedModel(Model model, List<String> featureNames, String targetName) {
    /** Copies the names. */
    public SavedModel {
        if (model == null) {
            throw new Kernels4jException("no model to save");
        }
        featureNames = List.copyOf(featureNames);
    }

    /** The model as a {@code type}, or a clear error naming {@code what} was expected. */
    public <M> M as(Class<M> type, String what) {
        if (!type.isInstance(model)) {
            throw new Kernels4jException("this is a '" + ModelCodecs.kindOf(model) + "' model, not " + what);
        }
        return type.cast(model);
    }
}
