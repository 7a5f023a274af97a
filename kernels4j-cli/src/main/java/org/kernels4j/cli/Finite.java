package org.kernels4j.cli;

import java.util.Locale;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/** Refuses results that left double range instead of writing Inf or NaN into a file. */
final class Finite {
    private Finite() {
    }

    /** A Gram matrix with an Inf or NaN entry: names the kernel, the entry and what to change. */
    static void requireGram(Matrix g, Kernel k) {
        double[] v = g.data();
        long bad = 0;
        int first = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        if (bad > 0) {
            throw new Kernels4jException(String.format(Locale.ROOT, "the Gram matrix of %s has %d non-finite entries "
                    + "(first K[%d, %d] = %s): the kernel's values leave double range; scale the data (standardize the "
                    + "columns) or lower the kernel's degree, gamma or variance", k.toSpec(), bad, first / g.cols(),
                    first % g.cols(), v[first]));
        }
    }

    /** Predictions with an Inf or NaN: the model is refused before it is saved. */
    static void requirePredictions(Matrix p, String what) {
        double[] v = p.data();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new Kernels4jException(what + " overflow (row " + (i / p.cols() + 1) + " gives " + v[i] + "); the "
                        + "model is not saved: scale the target (e.g. to unit variance) or the features, or regularize "
                        + "more (a larger lambda, noise or smaller C)");
            }
        }
    }

    /** A training error that overflows (squares of huge targets): the model is refused before it is saved. */
    static void requireError(double rmse, Matrix y) {
        if (!Double.isFinite(rmse)) {
            double max = 0;
            for (double v : y.data()) {
                max = Math.max(max, Math.abs(v));
            }
            throw new Kernels4jException(String.format(Locale.ROOT, "the training error overflows (rmse = %s): the target "
                    + "reaches |y| = %.3g, whose squares leave double range; the model is not saved: scale the target "
                    + "(e.g. to unit variance)", rmse, max));
        }
    }
}
