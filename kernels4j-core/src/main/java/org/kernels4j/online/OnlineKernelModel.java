package org.kernels4j.online;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.DecisionFunction;
import org.kernels4j.model.FitReport;

/**
 * The state of an {@link OnlineKernelLearner} after some rows (immutable): the buffer of at most
 * {@code budget} rows x_j (oldest first), their coefficients α_j, the offset b, the margin ρ (or tube ε
 * for regression), the number of rows seen and of updates made. Decision value (m×1):
 * Σ_j α_j·k(x_j, x) + b (classification, perceptron, regression) or Σ_j α_j·k(x_j, x) − ρ (novelty).
 * Predictions: the smaller class when the decision value is &gt; 0, else the larger (classifiers); the value
 * (regression); +1 inlier when &gt; 0, else −1 (novelty). Prediction costs one kernel product, O(m·budget·d).
 */
public final class OnlineKernelModel implements Classifier, DecisionFunction {
    private final OnlineKernelLearner learner;
    private final int features;
    private final double[] classes;
    private final Matrix buffer;
    private final double[] alpha;
    private final double offset;
    private final double margin;
    private final long steps;
    private final long updates;

    /**
     * A model from its parts (as read from a file); shapes and finiteness are checked.
     *
     * @param learner the options it learns with
     * @param features d, the columns of an input row
     * @param classes the two sorted class labels (classifiers), else null
     * @param buffer m×d kept rows, oldest first, m ≤ budget
     * @param alpha their m coefficients
     * @param offset b (0 for novelty and the perceptron)
     * @param margin ρ (classification, novelty) or ε (regression), ≥ 0
     * @param steps rows seen
     * @param updates rows that added a term
     */
    public OnlineKernelModel(OnlineKernelLearner learner, int features, double[] classes, Matrix buffer,
            double[] alpha, double offset, double margin, long steps, long updates) {
        this.learner = java.util.Objects.requireNonNull(learner, "learner");
        if (features < 1) {
            throw new Kernels4jException("online model: rows need at least one feature, got " + features);
        }
        if (learner.type().isClassifier() != (classes != null)
                || classes != null && (classes.length != 2 || !(classes[0] < classes[1]))) {
            throw new Kernels4jException("online model: a classifier needs two sorted distinct classes, other types none");
        }
        if (buffer.cols() != features || buffer.rows() != alpha.length || alpha.length > learner.budget()) {
            throw new Kernels4jException("online model: buffer " + buffer.shape() + " and " + alpha.length
                    + " coefficients do not fit " + features + " features and budget " + learner.budget());
        }
        buffer.requireFinite("online model buffer");
        for (double a : alpha) {
            if (!Double.isFinite(a)) {
                throw new Kernels4jException("online model: coefficient " + a + " is not finite");
            }
        }
        if (!Double.isFinite(offset) || !(margin >= 0) || Double.isInfinite(margin) || steps < 0 || updates < 0) {
            throw new Kernels4jException("online model: offset, margin >= 0 and counts must be finite");
        }
        this.features = features;
        this.classes = classes == null ? null : classes.clone();
        this.buffer = buffer.copy();
        this.alpha = alpha.clone();
        this.offset = offset;
        this.margin = margin;
        this.steps = steps;
        this.updates = updates;
    }

    static OnlineKernelModel empty(OnlineKernelLearner learner, int features, double[] classes) {
        return new OnlineKernelModel(learner, features, classes, new Matrix(0, features), new double[0], 0, 0, 0, 0);
    }

    /**
     * The model after one more pass over the rows of x (n×d) in order, targets y as in
     * {@link OnlineKernelLearner#fit}; this model is unchanged. Class labels must be this model's two classes.
     */
    public OnlineKernelModel partialFit(Matrix x, Matrix y) {
        OnlineKernelLearner.Type type = learner.type();
        if (x.cols() != features) {
            throw new Kernels4jException("the online model takes " + features + " features, got " + x.cols());
        }
        x.requireFinite("input data");
        int n = x.rows();
        double[] target = null;
        if (type != OnlineKernelLearner.Type.NOVELTY) {
            if (y == null || y.cols() != 1 || y.rows() != n) {
                throw new Kernels4jException("need one target per row (" + n + "x1), got "
                        + (y == null ? "none" : y.shape()));
            }
            target = y.data().clone();
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(target[i])) {
                    throw new Kernels4jException("target in row " + (i + 1) + " is " + target[i]);
                }
                if (classes != null) {
                    if (target[i] != classes[0] && target[i] != classes[1]) {
                        throw new Kernels4jException("row " + (i + 1) + " has class " + target[i]
                                + "; this online classifier learns classes " + classes[0] + " and " + classes[1]);
                    }
                    target[i] = target[i] == classes[0] ? 1 : -1;
                }
            }
        }
        Kernel kernel = learner.kernel();
        int budget = learner.budget();
        double eta = learner.learningRate();
        double nu = learner.nu();
        boolean perceptron = type == OnlineKernelLearner.Type.PERCEPTRON;
        double shrink = perceptron ? 1 : 1 - eta * learner.lambda();
        // a ring of the kept rows; α_j = raw_j·scale, so that shrinking every α is one multiplication
        double[][] rows = new double[budget][];
        double[] raw = new double[budget];
        int size = alpha.length;
        for (int j = 0; j < size; j++) {
            rows[j] = buffer.row(j);
            raw[j] = alpha[j];
        }
        int head = 0; // the oldest term
        double scale = 1;
        double b = offset;
        double rho = margin;
        long seen = steps;
        long made = updates;
        for (int i = 0; i < n; i++) {
            double[] xi = x.row(i);
            double sum = 0;
            for (int k = 0; k < size; k++) {
                int j = (head + k) % budget;
                sum += raw[j] * kernel.value(rows[j], xi);
            }
            double f = sum * scale;
            double add = 0;
            switch (type) {
                case PERCEPTRON:
                    add = target[i] * f <= 0 ? target[i] : 0;
                    break;
                case CLASSIFICATION:
                    f += b;
                    if (target[i] * f < rho) {
                        add = eta * target[i];
                        b += eta * target[i];
                        rho -= eta * (1 - nu);
                    } else {
                        rho += eta * nu;
                    }
                    break;
                case REGRESSION:
                    f += b;
                    if (Math.abs(target[i] - f) > rho) {
                        add = eta * Math.signum(target[i] - f);
                        b += add;
                        rho += eta * (1 - nu);
                    } else {
                        rho -= eta * nu;
                    }
                    break;
                default: // NOVELTY
                    if (f < rho) {
                        add = eta;
                        rho -= eta * (1 - nu);
                    } else {
                        rho += eta * nu;
                    }
            }
            rho = Math.max(rho, 0);
            scale *= shrink;
            if (scale < 1e-150) { // fold the scale back into the coefficients before it underflows
                for (int k = 0; k < size; k++) {
                    raw[(head + k) % budget] *= scale;
                }
                scale = 1;
            }
            if (add != 0) {
                int slot;
                if (size < budget) {
                    slot = (head + size) % budget;
                    size++;
                } else { // truncation: the oldest term makes room
                    slot = head;
                    head = (head + 1) % budget;
                }
                rows[slot] = xi;
                raw[slot] = add / scale;
                made++;
            }
            seen++;
        }
        Matrix kept = new Matrix(size, features);
        double[] a = new double[size];
        for (int k = 0; k < size; k++) {
            int j = (head + k) % budget;
            System.arraycopy(rows[j], 0, kept.data(), k * features, features);
            a[k] = raw[j] * scale;
        }
        return new OnlineKernelModel(learner, features, classes, kept, a, b, rho, seen, made);
    }

    /** The options it learns with. */
    public OnlineKernelLearner learner() {
        return learner;
    }

    /** The kept rows, oldest first (m×d). */
    public Matrix buffer() {
        return buffer.copy();
    }

    /** Their coefficients α. */
    public double[] coefficients() {
        return alpha.clone();
    }

    /** b. */
    public double offset() {
        return offset;
    }

    /** ρ (classification, novelty) or ε (regression); 0 for the perceptron. */
    public double margin() {
        return margin;
    }

    /** Rows seen. */
    public long steps() {
        return steps;
    }

    /** Rows that added a term (the perceptron's mistakes). */
    public long updates() {
        return updates;
    }

    @Override
    public double[] classes() {
        return classes == null ? null : classes.clone();
    }

    /** "a vs b" for the classes a &lt; b: f &gt; 0 means a, as an SVM's decision value does. */
    @Override
    public String problemName(int p, java.util.function.DoubleFunction<String> label) {
        return classes == null ? String.valueOf(p) : label.apply(classes[0]) + " vs " + label.apply(classes[1]);
    }

    @Override
    public boolean hasProbabilities() {
        return false;
    }

    @Override
    public Matrix probabilities(Matrix x) {
        throw new Kernels4jException("an online kernel model gives no probabilities");
    }

    @Override
    public int features() {
        return features;
    }

    @Override
    public Matrix decisionValues(Matrix x) {
        if (x.cols() != features) {
            throw new Kernels4jException("the online model takes " + features + " features, got " + x.cols());
        }
        x.requireFinite("input data");
        Matrix f = alpha.length == 0 ? new Matrix(x.rows(), 1)
                : GramEngine.crossTimes(learner.kernel(), x, buffer, Matrix.column(alpha.clone()),
                        org.kernels4j.ProgressListener.NONE);
        double shift = learner.type() == OnlineKernelLearner.Type.NOVELTY ? -margin : offset;
        double[] d = f.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += shift;
        }
        return f;
    }

    @Override
    public Matrix predict(Matrix x) {
        double[] f = decisionValues(x).data();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = learner.type() == OnlineKernelLearner.Type.REGRESSION ? f[i]
                    : classes != null ? (f[i] > 0 ? classes[0] : classes[1]) : (f[i] > 0 ? 1 : -1);
        }
        return Matrix.column(out);
    }

    @Override
    public FitReport report() {
        return FitReport.builder().add("type", learner.type().name().toLowerCase(java.util.Locale.ROOT))
                .add("rows_seen", steps).add("updates", updates).add("terms", alpha.length)
                .add("budget", learner.budget())
                .add(learner.type() == OnlineKernelLearner.Type.REGRESSION ? "epsilon" : "rho", margin)
                .add("offset", offset).build();
    }

    @Override
    public String toString() {
        return "OnlineKernelModel" + Arrays.asList(learner.type(), alpha.length, steps);
    }
}
