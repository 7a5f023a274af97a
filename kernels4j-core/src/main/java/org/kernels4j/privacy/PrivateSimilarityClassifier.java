package org.kernels4j.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.FitReport;

/**
 * Classification by average similarity under differential privacy (Backurs et al., ICLR 2024): one
 * {@link PrivateKernelSum} per class over that class's private rows, each with the full ε (every row
 * belongs to exactly one class, so parallel composition makes the whole release ε-DP under
 * replace-one neighbours with public labels and class sizes), and the prediction
 * argmax_c (1/n_c)·Σ_(x∈X_c) k(x, y) from the released structures only. Configured by
 * {@link PrivateKernelSum#builder} and built with {@link PrivateKernelSum.Builder#buildClassifier()}.
 *
 * <p><b>Composition.</b> Neighbouring datasets replace one row's features within its class (labels and
 * class sizes n_c are public). Such a change moves only that class's structure, whose release is ε-DP on
 * its own rows; the other classes' structures have the same distribution on both datasets (their noise is
 * drawn independently, and how many random bits a draw consumes does not depend on the data). By
 * parallel composition the whole classifier is ε-DP, not (number of classes)·ε. If a row may also change
 * its label, two classes' structures and their sizes change: that relation is not covered (it would
 * cost 2ε with the sizes made private by other means).
 */
public final class PrivateSimilarityClassifier implements Classifier {
    private final double[] classes;
    private final List<PrivateKernelSum> perClass;

    /** Assembles a classifier from released per-class structures (model files call this). */
    public PrivateSimilarityClassifier(double[] classes, List<PrivateKernelSum> perClass) {
        if (classes.length < 2 || classes.length != perClass.size()) {
            throw new Kernels4jException("a private similarity classifier needs one structure per class and at least two"
                    + " classes, got " + classes.length + " classes and " + perClass.size() + " structures");
        }
        for (int c = 1; c < classes.length; c++) {
            if (!(classes[c] > classes[c - 1])) {
                throw new Kernels4jException("classes must be distinct and ascending");
            }
            if (perClass.get(c).features() != perClass.get(0).features()) {
                throw new Kernels4jException("the per-class structures disagree on the number of features");
            }
        }
        this.classes = classes;
        this.perClass = perClass;
    }

    /**
     * Releases one structure per class.
     *
     * @param labels class labels, one per row of x (at least two classes)
     * @param frequencySeed seeds the public frequencies, shared by all classes
     * @param noise the noise of every class's release, drawn in class order ({@link NoiseSource#secure()})
     */
    static PrivateSimilarityClassifier release(Kernel kernel, Matrix x, double[] labels, int features,
            double epsilon, long frequencySeed, NoiseSource noise) {
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
            sums.add(PrivateKernelSum.release(kernel, xc, features, epsilon, frequencySeed, noise));
        }
        return new PrivateSimilarityClassifier(classes, List.copyOf(sums));
    }

    /** The class labels, ascending. */
    @Override
    public double[] classes() {
        return classes.clone();
    }

    /** The released structure of each class, in {@link #classes()} order. */
    public List<PrivateKernelSum> structures() {
        return perClass;
    }

    @Override
    public boolean hasProbabilities() {
        return false;
    }

    @Override
    public Matrix probabilities(Matrix queries) {
        throw new Kernels4jException("a private similarity classifier gives scores, not probabilities");
    }

    @Override
    public int features() {
        return perClass.get(0).features();
    }

    /** What the release spent: ε in total by parallel composition; per class, that structure's accounting. */
    @Override
    public FitReport report() {
        double eps = 0;
        List<FitReport> parts = new ArrayList<>();
        for (PrivateKernelSum p : perClass) {
            eps = Math.max(eps, p.epsilon());
            parts.add(p.report());
        }
        return FitReport.builder().add("epsilon", eps).add("classes", classes.length)
                .add("mechanism", "one release per class: " + perClass.get(0).mechanism())
                .add("neighbours", NEIGHBOURS).add("composition", COMPOSITION)
                .add("queries", PrivateKernelSum.QUERIES).add("per_class", parts).build();
    }

    /** The neighbouring relation the classifier's ε holds for. */
    public static final String NEIGHBOURS = "replace one row's features within its class (labels, class sizes public)";
    /** How the per-class releases compose. */
    public static final String COMPOSITION = "parallel over classes: total epsilon = max over classes";

    /** The total ε of the release: the largest per-class ε (parallel composition, class notes). */
    public double epsilon() {
        double eps = 0;
        for (PrivateKernelSum p : perClass) {
            eps = Math.max(eps, p.epsilon());
        }
        return eps;
    }

    /** The class with the highest estimated average similarity, per query row (m×1). */
    @Override
    public Matrix predict(Matrix queries) {
        return Matrix.column(labels(queries));
    }

    private double[] labels(Matrix queries) {
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
