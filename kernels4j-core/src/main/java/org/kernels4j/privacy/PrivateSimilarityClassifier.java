package org.kernels4j.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * Classification by average similarity under differential privacy (Backurs et al., ICLR 2024): one
 * {@link PrivateKernelSum} per class over that class's private rows, each with the full ε (every row
 * belongs to exactly one class, so parallel composition makes the whole release ε-DP under
 * replace-one neighbours with public labels and class sizes), and the prediction
 * argmax_c (1/n_c)·Σ_(x∈X_c) k(x, y) from the released structures only.
 */
public final class PrivateSimilarityClassifier {
    private final double[] classes;
    private final List<PrivateKernelSum> perClass;

    private PrivateSimilarityClassifier(double[] classes, List<PrivateKernelSum> perClass) {
        this.classes = classes;
        this.perClass = perClass;
    }

    /**
     * Releases one structure per class.
     *
     * @param labels class labels, one per row of x (at least two classes)
     * @param seed seeds the public frequencies (shared by all classes) and, offset per class, the noise
     */
    public static PrivateSimilarityClassifier release(Kernel kernel, Matrix x, double[] labels, int features,
            double epsilon, long seed) {
        if (labels.length != x.rows()) {
            throw new Kernels4jException("got " + labels.length + " labels for " + x.rows() + " rows");
        }
        TreeSet<Double> distinct = new TreeSet<>();
        for (double v : labels) {
            distinct.add(v);
        }
        if (distinct.size() < 2) {
            throw new Kernels4jException("classification needs at least two classes, got " + distinct);
        }
        double[] classes = distinct.stream().mapToDouble(Double::doubleValue).toArray();
        List<PrivateKernelSum> sums = new ArrayList<>();
        for (int c = 0; c < classes.length; c++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == classes[c]) {
                    rows.add(i);
                }
            }
            Matrix xc = x.selectRows(rows.stream().mapToInt(Integer::intValue).toArray());
            sums.add(PrivateKernelSum.release(kernel, xc, features, epsilon, seed, seed * 7919 + 31 * (c + 1)));
        }
        return new PrivateSimilarityClassifier(classes, List.copyOf(sums));
    }

    /** The class labels, ascending. */
    public double[] classes() {
        return classes.clone();
    }

    /** The released structure of each class, in {@link #classes()} order. */
    public List<PrivateKernelSum> structures() {
        return perClass;
    }

    /** The class with the highest estimated average similarity, per query row. */
    public double[] predict(Matrix queries) {
        double[][] scores = new double[classes.length][];
        for (int c = 0; c < classes.length; c++) {
            scores[c] = perClass.get(c).means(queries);
        }
        double[] out = new double[queries.rows()];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int c = 1; c < classes.length; c++) {
                if (scores[c][i] > scores[best][i]) {
                    best = c;
                }
            }
            out[i] = classes[best];
        }
        return out;
    }
}
