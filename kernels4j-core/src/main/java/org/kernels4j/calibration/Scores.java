package org.kernels4j.calibration;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.DecisionFunction;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.privacy.PrivateKernelSum;
import org.kernels4j.privacy.PrivateSimilarityClassifier;
import org.kernels4j.svm.SvmModel;

/**
 * Where the calibrated scores come from, and how a base classifier's outputs become one score per
 * calibrator: K = 1 score for two classes (larger means the second class, after the orientation
 * found in fitting), K = C per-class scores for more.
 */
public enum Scores {
    /**
     * Decision values ({@link DecisionFunction}): one function for two classes (an SVM's f), or one per
     * class (a one-vs-rest SVM, a {@code RegressionClassifier}'s outputs; for two classes their
     * difference f₁ − f₀).
     */
    DECISION,
    /**
     * A one-vs-one SVM over C &gt; 2 classes: its C(C−1)/2 pairwise values become per-class scores
     * votes_c + s_c/(3(|s_c| + 1)), s_c the summed margins in favour of c (scikit-learn's
     * {@code decision_function_shape="ovr"}).
     */
    DECISION_ONE_VS_ONE,
    /** A private similarity classifier's per-class average similarities (for two classes their difference). */
    SIMILARITY,
    /** The base model's own probabilities (for two classes the second class's). */
    PROBABILITY;

    /**
     * The source for a base model: decision values when it has them, else similarity scores, else
     * probabilities.
     *
     * @throws Kernels4jException when the model has none of them, or is not a classifier
     */
    public static Scores of(Classifier m) {
        double[] classes = m.classes();
        if (classes == null || classes.length < 2) {
            throw new Kernels4jException("cannot calibrate a " + describe(m) + ": it is not a classifier of two or more classes");
        }
        if (m instanceof DecisionFunction) {
            return m instanceof SvmModel svm && svm.multiclass() == SvmModel.Multiclass.ONE_VS_ONE && classes.length > 2
                    ? DECISION_ONE_VS_ONE : DECISION;
        }
        if (m instanceof PrivateSimilarityClassifier) {
            return SIMILARITY;
        }
        if (m.hasProbabilities()) {
            return PROBABILITY;
        }
        throw new Kernels4jException("cannot calibrate a " + describe(m) + ": it has neither decision values, similarity "
                + "scores nor probabilities");
    }

    /** The m×K scores of the rows of x (K = 1 for two classes, else C). */
    Matrix of(Classifier m, Matrix x) {
        int c = m.classes().length;
        Matrix s;
        switch (this) {
            case DECISION -> {
                Matrix f = ((DecisionFunction) m).decisionValues(x);
                if (c == 2 && f.cols() == 1) {
                    return f;
                }
                if (f.cols() != c) {
                    throw new Kernels4jException("cannot calibrate a " + describe(m) + ": it gives " + f.cols()
                            + " decision values per row for " + c + " classes (expected 1 or " + c + ")");
                }
                s = f;
            }
            case DECISION_ONE_VS_ONE -> s = oneVsOneToPerClass(((DecisionFunction) m).decisionValues(x), c);
            case SIMILARITY -> {
                var structures = ((PrivateSimilarityClassifier) m).structures();
                s = new Matrix(x.rows(), c);
                for (int k = 0; k < c; k++) {
                    PrivateKernelSum p = structures.get(k);
                    double[] means = p.means(x);
                    for (int i = 0; i < x.rows(); i++) {
                        s.set(i, k, means[i]);
                    }
                }
            }
            case PROBABILITY -> s = m.probabilities(x);
            default -> throw new IllegalStateException();
        }
        if (c > 2) {
            return s;
        }
        Matrix one = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            one.set(i, 0, this == PROBABILITY ? s.get(i, 1) : s.get(i, 1) - s.get(i, 0));
        }
        return one;
    }

    /** Pairs (i, j), i &lt; j, in LIBSVM's order, f &gt; 0 voting for i: votes plus squashed summed margins. */
    static Matrix oneVsOneToPerClass(Matrix f, int c) {
        if (f.cols() != c * (c - 1) / 2) {
            throw new Kernels4jException("a one-vs-one model over " + c + " classes must give " + c * (c - 1) / 2
                    + " decision values per row, got " + f.cols());
        }
        Matrix out = new Matrix(f.rows(), c);
        for (int r = 0; r < f.rows(); r++) {
            double[] votes = new double[c];
            double[] margin = new double[c];
            int p = 0;
            for (int i = 0; i < c; i++) {
                for (int j = i + 1; j < c; j++, p++) {
                    double v = f.get(r, p);
                    votes[v > 0 ? i : j] += 1;
                    margin[i] += v;
                    margin[j] -= v;
                }
            }
            for (int k = 0; k < c; k++) {
                out.set(r, k, votes[k] + margin[k] / (3 * (Math.abs(margin[k]) + 1)));
            }
        }
        return out;
    }

    private static String describe(Classifier m) {
        try {
            return "'" + ModelCodecs.kindOf(m) + "' model";
        } catch (Kernels4jException e) {
            return m.getClass().getSimpleName();
        }
    }
}
