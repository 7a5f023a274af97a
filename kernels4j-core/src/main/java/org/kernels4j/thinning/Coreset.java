package org.kernels4j.thinning;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * A coreset: rows of an input sample, optional weights, and (when known) its MMD to that sample.
 *
 * <p>{@link #indices()} index rows of the input matrix; an index may repeat when the method allows
 * repeats (KT with {@code unique(false)}). With {@link #weights()} null the coreset stands for the
 * uniform distribution on its rows (each row, repeats counted, weight 1/size); otherwise weight
 * {@code w_r} sits on row {@code indices()[r]}, the weights are non-negative and sum to 1.
 *
 * <p>A coreset is used wherever a data set is: {@code x.selectRows(c.indices())} is a thinned
 * training set for kernel ridge regression or a set of Nyström landmarks, and {@link #select(Matrix)}
 * does the same. Immutable; the arrays are copied in and out.
 */
public final class Coreset {
    private final int[] indices;
    private final double[] weights;
    private final double mmd;
    private final String method;

    /**
     * @param indices rows of the input (at least one)
     * @param weights null (uniform) or one non-negative weight per index, summing to 1
     * @param mmd the MMD to the input sample under the target kernel, or NaN when it was not computed
     * @param method a short name of the method that made it, e.g. {@code kt}
     */
    public Coreset(int[] indices, double[] weights, double mmd, String method) {
        if (indices == null || indices.length == 0) {
            throw new Kernels4jException("a coreset needs at least one row");
        }
        for (int i : indices) {
            if (i < 0) {
                throw new Kernels4jException("coreset row index " + i + " is negative");
            }
        }
        if (weights != null) {
            if (weights.length != indices.length) {
                throw new Kernels4jException("coreset has " + indices.length + " rows but " + weights.length + " weights");
            }
            double sum = 0;
            for (double w : weights) {
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new Kernels4jException("coreset weight " + w + " is not a finite non-negative number");
                }
                sum += w;
            }
            if (Math.abs(sum - 1) > 1e-9) {
                throw new Kernels4jException("coreset weights sum to " + sum + ", not 1");
            }
        }
        this.indices = indices.clone();
        this.weights = weights == null ? null : weights.clone();
        this.mmd = mmd;
        this.method = method;
    }

    /** The rows of the input, in the method's order (may repeat; see the class comment). */
    public int[] indices() {
        return indices.clone();
    }

    /** The weights, or null for uniform weights 1/size. */
    public double[] weights() {
        return weights == null ? null : weights.clone();
    }

    /** The weights, with uniform ones (1/size each) written out when {@link #weights()} is null. */
    public double[] weightsOrUniform() {
        if (weights != null) {
            return weights.clone();
        }
        double[] w = new double[indices.length];
        Arrays.fill(w, 1.0 / indices.length);
        return w;
    }

    /** Whether the coreset carries explicit weights. */
    public boolean isWeighted() {
        return weights != null;
    }

    /** The number of rows, repeats counted. */
    public int size() {
        return indices.length;
    }

    /** MMD to the input sample under the target kernel, or NaN when not computed ({@link #hasMmd()}). */
    public double mmd() {
        return mmd;
    }

    /** Whether {@link #mmd()} was computed. */
    public boolean hasMmd() {
        return !Double.isNaN(mmd);
    }

    /** The method's short name. */
    public String method() {
        return method;
    }

    /** The same coreset with its MMD set. */
    public Coreset withMmd(double value) {
        return new Coreset(indices, weights, value, method);
    }

    /** The coreset's rows of {@code x} (size × d), in {@link #indices()} order. */
    public Matrix select(Matrix x) {
        for (int i : indices) {
            if (i >= x.rows()) {
                throw new Kernels4jException("coreset row " + i + " is outside the data's " + x.rows() + " rows");
            }
        }
        return x.selectRows(indices);
    }

    @Override
    public String toString() {
        return method + " coreset of " + indices.length + " rows" + (weights != null ? " (weighted)" : "")
                + (hasMmd() ? ", MMD " + mmd : "");
    }
}
