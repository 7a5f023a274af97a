package org.kernels4j.model;

import org.kernels4j.linalg.Matrix;

/**
 * A model with real-valued decision functions f_p(x), p = 0 … P−1, from which its predictions
 * are derived (an SVM's signed margins).
 */
public interface DecisionFunction extends Model {

    /** The m×P decision values. */
    Matrix decisionValues(Matrix x);

    /**
     * What decision function p separates, for column names: "a vs b" when f_p &gt; 0 means class a against class b,
     * "a vs rest" for one class against the others; {@code label} names a class code. The default is p itself
     * (a regression's outputs). Classifiers whose binary function is positive for the LARGER label (least-squares
     * SVM, relevance vector machine) say so here, so that a single column is never read as the first class's score.
     */
    default String problemName(int p, java.util.function.DoubleFunction<String> label) {
        return String.valueOf(p);
    }

    /**
     * {@link #problemName} for the usual one-vs-rest classifier with classes {@code c}: one function f_0 &gt; 0 for
     * the larger of two labels, else one per class.
     */
    static String oneVersusRestName(double[] c, int p, java.util.function.DoubleFunction<String> label) {
        if (c == null) {
            return String.valueOf(p);
        }
        return c.length == 2 ? label.apply(c[1]) + " vs " + label.apply(c[0]) : label.apply(c[p]) + " vs rest";
    }
}
