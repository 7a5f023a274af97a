package org.kernels4j.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;

/**
 * Classification by average similarity under differential privacy (Backurs et al., ICLR 2024): one
 * {@link PrivateKernelSum} per class over that class's private rows, each with the full ε (every row
 * belongs to exactly one class, so parallel composition makes the whole release ε-DP under
 * replace-one neighbours with public labels and class sizes), and the prediction
 * argmax_c (1/n_c)·Σ_(x∈X_c) k(x, y) from the released structures only.
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
     * @param seed seeds the public frequencies (shared by all classes) and, offset per class, the noise
     */
    static PrivateSimilarityClassifier release(Kernel kernel, Matrix x, double[] labels, int features,
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

    /**
     * Starts a builder (options as {@link PrivateKernelSum#builder}); the release is the fit on
     * the private rows and their labels (n×1).
     */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options of a release, validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private int features = 1000;
        private double epsilon = 1;
        private Long seed;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("a private similarity classifier needs a kernel");
            }
            this.kernel = kernel;
        }

        /** D = 2m random features per class, even and ≥ 2. */
        public Builder features(int value) {
            this.features = value;
            return this;
        }

        /** ε &gt; 0 (each row is in one class, so the whole release is ε-DP). */
        public Builder epsilon(double value) {
            this.epsilon = value;
            return this;
        }

        /** Seed of the frequencies and the noise, for reproducible tests only; unset, a secure random seed. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** @throws Kernels4jException for an odd or too small D, or ε ≤ 0 */
        public Estimator<PrivateSimilarityClassifier> build() {
            PrivateKernelSum.builder(kernel).features(features).epsilon(epsilon).build(); // validates
            int d = features;
            double e = epsilon;
            Long s = seed;
            return (x, y) -> {
                TrainingData.requireLabels(x, y);
                return release(kernel, x, y.data(), d, e, s != null ? s : new java.security.SecureRandom().nextLong());
            };
        }
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

    @Override
    public FitReport report() {
        return FitReport.builder().add("epsilon", perClass.get(0).epsilon()).add("classes", classes.length)
                .add("mechanism", "one " + PrivateKernelSum.MECHANISM + " release per class (parallel composition)")
                .build();
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
