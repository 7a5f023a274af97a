package org.kernels4j.io;

import java.util.List;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.regression.KernelRidgeModel;

/**
 * A model together with what a model file records about the data it was trained on.
 *
 * @param kind model kind: "krr", or "gp" for a Gaussian process, whose predictive mean is
 *     {@code model} (λ being the GP's fixed noise σ²) and whose variances need {@code targetScales}
 * @param model the fitted kernel ridge model, or the GP's mean
 * @param featureNames names of the d input features, in order
 * @param targetName name of the target column (for prediction files and evaluation)
 * @param targetScales for "gp": the per-output scales targets were divided by (1 without
 *     normalization); null for "krr"
 */
public record SavedModel(String kind, KernelRidgeModel model, List<String> featureNames, String targetName,
        double[] targetScales) {
    /** Kinds this version reads and writes. */
    public static final List<String> KINDS = List.of("krr", "gp");

    /** A kernel ridge regression model. */
    public SavedModel(KernelRidgeModel model, List<String> featureNames, String targetName) {
        this("krr", model, featureNames, targetName, null);
    }

    /** A Gaussian process, saved through its mean and target scales. */
    public static SavedModel of(GaussianProcess.Model gp, List<String> featureNames, String targetName) {
        return new SavedModel("gp", gp.toKernelRidgeModel(), featureNames, targetName, gp.targetScales());
    }

    /** Whether this is a Gaussian process (predictive variances available). */
    public boolean isGaussianProcess() {
        return kind.equals("gp");
    }

    /** The GP, refactored from the saved mean; close it after use. Only for {@link #isGaussianProcess()}. */
    public GaussianProcess.Model gaussianProcess() {
        if (!isGaussianProcess()) {
            throw new org.kernels4j.Kernels4jException("a '" + kind + "' model has no predictive variance; "
                    + "fit with --model gp for one");
        }
        return GaussianProcess.restore(model, targetScales);
    }
}
