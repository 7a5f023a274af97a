package org.kernels4j.svm;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.string.StringKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.DecisionFunction;
import org.kernels4j.model.FitReport;

/**
 * An SVM on texts: a {@link StringKernel}, the support-vector texts, and the {@link SvmModel} trained
 * on the precomputed Gram matrix K_ij = k(text_i, text_j) of the n training texts. A new text t is
 * predicted from k(t, sv) against the support texts only (the other training rows have coefficient 0),
 * O(n_SV) kernel evaluations per text.
 * <p>The {@link org.kernels4j.model.Model} methods take kernel values as the precomputed-kernel
 * {@link SvmModel} does (m×n rows of k(text, training text j)); the {@code …Texts} methods take the
 * texts. Immutable.
 */
public final class StringSvmModel implements Classifier, DecisionFunction {
    private final StringKernel kernel;
    private final List<String> supportTexts;
    private final SvmModel svm;
    private final String textColumn;

    /**
     * @param kernel the string kernel the SVM was trained with
     * @param supportTexts the training texts at {@code svm.supportIndices()}, in that order
     * @param svm an SVM trained on the precomputed string-kernel Gram matrix
     * @param textColumn the name of the input column the texts come from (for data files), not empty
     * @throws Kernels4jException when the SVM is not precomputed or the text count differs from its support vectors
     */
    public StringSvmModel(StringKernel kernel, List<String> supportTexts, SvmModel svm, String textColumn) {
        if (textColumn == null || textColumn.isEmpty()) {
            throw new Kernels4jException("a string-kernel SVM needs the name of its text column");
        }
        if (kernel == null || svm == null || !svm.isPrecomputed()) {
            throw new Kernels4jException("a string-kernel SVM needs a string kernel and an SVM trained on its precomputed Gram matrix");
        }
        if (supportTexts.size() != svm.supportIndices().length) {
            throw new Kernels4jException("a string-kernel SVM with " + svm.supportIndices().length + " support vectors has "
                    + supportTexts.size() + " support texts");
        }
        this.kernel = kernel;
        this.supportTexts = List.copyOf(supportTexts);
        this.svm = svm;
        this.textColumn = textColumn;
    }

    /**
     * Trains {@code estimator} (built without a kernel: {@link SupportVectorMachine#classifier()},
     * {@code regression()} or {@code oneClass()}) on the string-kernel Gram matrix of {@code texts}.
     * y as in {@link SupportVectorMachine#fit} (null for one-class). The text column is named "text"
     * ({@link #withTextColumn}).
     */
    public static StringSvmModel fit(SupportVectorMachine estimator, StringKernel kernel, List<String> texts, Matrix y) {
        if (y != null && y.rows() != texts.size()) {
            throw new Kernels4jException(texts.size() + " texts but " + y.rows() + " targets");
        }
        SvmModel m = estimator.fitPrecomputed(kernel.gram(texts), y);
        List<String> sv = new ArrayList<>();
        for (int i : m.supportIndices()) {
            sv.add(texts.get(i));
        }
        return new StringSvmModel(kernel, sv, m, "text");
    }

    /** k(texts_i, training text j), m×n_train, zero in the columns of training texts that are not support vectors. */
    public Matrix kernelValues(List<String> texts) {
        Matrix c = kernel.cross(texts, supportTexts);
        int[] idx = svm.supportIndices();
        Matrix full = new Matrix(texts.size(), svm.trainingRows());
        for (int i = 0; i < texts.size(); i++) {
            for (int s = 0; s < idx.length; s++) {
                full.set(i, idx[s], c.get(i, s));
            }
        }
        return full;
    }

    /** Predicted labels, targets or ±1 (one-class), m×1. */
    public Matrix predictTexts(List<String> texts) {
        return svm.predict(kernelValues(texts));
    }

    /** Decision values f(text), m×P (see {@link SvmModel}). */
    public Matrix decisionValuesOfTexts(List<String> texts) {
        return svm.decisionValues(kernelValues(texts));
    }

    /** Class probabilities (Platt), m×k; needs a model trained with {@code probability(true)}. */
    public Matrix probabilitiesOfTexts(List<String> texts) {
        return svm.probabilities(kernelValues(texts));
    }

    /** The same model reading its texts from the column {@code name}. */
    public StringSvmModel withTextColumn(String name) {
        return new StringSvmModel(kernel, supportTexts, svm, name);
    }

    /** The name of the column the texts come from. */
    public String textColumn() {
        return textColumn;
    }

    /** The string kernel. */
    public StringKernel kernel() {
        return kernel;
    }

    /** The support-vector texts, in the order of {@code svm().supportIndices()}. */
    public List<String> supportTexts() {
        return supportTexts;
    }

    /** The SVM on the precomputed kernel. */
    public SvmModel svm() {
        return svm;
    }

    @Override
    public Matrix predict(Matrix kernelValues) {
        return svm.predict(kernelValues);
    }

    @Override
    public int features() {
        return svm.features();
    }

    @Override
    public FitReport report() {
        return svm.report();
    }

    @Override
    public double[] classes() {
        return svm.classes();
    }

    @Override
    public boolean hasProbabilities() {
        return svm.hasProbabilities();
    }

    @Override
    public Matrix probabilities(Matrix kernelValues) {
        return svm.probabilities(kernelValues);
    }

    @Override
    public Matrix decisionValues(Matrix kernelValues) {
        return svm.decisionValues(kernelValues);
    }
}
