package org.kernels4j.io;

import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.model.ClassLabels;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.Model;
import org.kernels4j.model.ModelCodecs;

/**
 * A model together with what a model file records about the data it was trained on.
 *
 * @param model any model with a registered codec
 * @param featureNames names of the d input columns, in order (for a precomputed-kernel SVM: one
 *     per training row)
 * @param targetName name of the target column (for prediction files and evaluation), or null
 * @param classLabels for a classifier trained on text labels: the class names, class code k being
 *     named {@code classLabels.names().get(k)}; null when the labels were numbers
 */
public record SavedModel(Model model, List<String> featureNames, String targetName, ClassLabels classLabels) {
    /**
     * Copies the names and checks that class names, when given, name every class of a classifier.
     *
     * @throws Kernels4jException for a missing model, class names on a model that is not a classifier,
     *     or a class code that is not an index into the names
     */
    public SavedModel {
        if (model == null) {
            throw new Kernels4jException("no model to save");
        }
        featureNames = List.copyOf(featureNames);
        if (classLabels != null) {
            if (!(model instanceof Classifier c) || c.classes() == null) {
                throw new Kernels4jException("class names are given for a '" + ModelCodecs.kindOf(model)
                        + "' model, which is not a classifier");
            }
            for (double code : c.classes()) {
                classLabels.name(code);
            }
        }
    }

    /** A model trained on numeric labels (or none). */
    public SavedModel(Model model, List<String> featureNames, String targetName) {
        this(model, featureNames, targetName, null);
    }

    /** The text of class code {@code code}: its name for text labels, else the number as LibSVM writes it. */
    public String label(double code) {
        return classLabels != null ? classLabels.name(code) : LibSvmWriter.label(code);
    }

    /** The model as a {@code type}, or a clear error naming {@code what} was expected. */
    public <M> M as(Class<M> type, String what) {
        if (!type.isInstance(model)) {
            throw new Kernels4jException("this is a '" + ModelCodecs.kindOf(model) + "' model, not " + what);
        }
        return type.cast(model);
    }
}
