package org.kernels4j.neighbors;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;

/** A fitted {@link SingularKernelClassifier}: the training rows, their labels and α. */
public final class SingularKernelClassifierModel implements Classifier {
    private final Matrix points;
    private final Matrix labels;
    private final double[] classes;
    private final int[] classOf; // index into classes per training row
    private final double alpha;

    SingularKernelClassifierModel(Matrix points, Matrix labels, double[] classes, double alpha) {
        if (!(alpha >= 0)) {
            throw new Kernels4jException("alpha must be >= 0, got " + alpha);
        }
        if (labels.rows() != points.rows() || labels.cols() != 1) {
            throw new Kernels4jException("the labels must be " + points.rows() + "x1, got " + labels.shape());
        }
        this.points = points;
        this.labels = labels;
        this.classes = classes.clone();
        this.alpha = alpha;
        this.classOf = new int[points.rows()];
        for (int i = 0; i < classOf.length; i++) {
            classOf[i] = Arrays.binarySearch(this.classes, labels.get(i, 0));
            if (classOf[i] < 0) {
                throw new Kernels4jException("training label " + labels.get(i, 0) + " is not one of the classes");
            }
        }
    }

    /** The exponent α (∞: 1-nearest neighbour, 0: majority vote). */
    public double alpha() {
        return alpha;
    }

    /** The training rows, n×d (a copy). */
    public Matrix points() {
        return points.copy();
    }

    /** The training labels, n×1 (a copy). */
    public Matrix labels() {
        return labels.copy();
    }

    @Override
    public double[] classes() {
        return classes.clone();
    }

    /** score_c(x) = Σ_{y_i = c} w_i / Σ_i w_i, m×C, columns in {@link #classes()} order. */
    @Override
    public Matrix probabilities(Matrix x) {
        TrainingData.requirePredictionInputs(x, points.cols());
        int m = x.rows();
        int n = points.rows();
        int d = points.cols();
        int c = classes.length;
        Matrix out = new Matrix(m, c);
        double[] p = points.data();
        double[] q = x.data();
        int block = 64;
        Parallelism.forEachBlock((m + block - 1) / block, b -> {
            double[] logW = new double[n];
            for (int r = b * block; r < Math.min(m, (b + 1) * block); r++) {
                double best = Double.NEGATIVE_INFINITY;
                boolean exact = false;
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        double e = q[r * d + k] - p[i * d + k];
                        s += e * e;
                    }
                    if (s == 0) {
                        exact = true;
                    }
                    // log w = −(α/2)·log ‖x − x_i‖²; α = 0 gives 0 even at distance 0 (the majority vote)
                    logW[i] = alpha == 0 ? 0 : s == 0 ? Double.POSITIVE_INFINITY : -0.5 * alpha * Math.log(s);
                    if (Double.isInfinite(alpha)) {
                        logW[i] = -s; // only the order matters: the nearest get weight 1 below, the rest 0
                    }
                    best = Math.max(best, logW[i]);
                }
                double total = 0;
                for (int i = 0; i < n; i++) {
                    double w;
                    if ((exact && alpha > 0) || Double.isInfinite(alpha)) {
                        w = logW[i] == best ? 1 : 0;
                    } else {
                        w = Math.exp(logW[i] - best);
                    }
                    out.data()[r * c + classOf[i]] += w;
                    total += w;
                }
                for (int k = 0; k < c; k++) {
                    out.data()[r * c + k] /= total;
                }
            }
        });
        return out;
    }

    @Override
    public Matrix predict(Matrix x) {
        Matrix p = probabilities(x);
        Matrix y = new Matrix(x.rows(), 1);
        for (int r = 0; r < x.rows(); r++) {
            int best = 0;
            for (int k = 1; k < classes.length; k++) {
                if (p.get(r, k) > p.get(r, best)) {
                    best = k;
                }
            }
            y.set(r, 0, classes[best]);
        }
        return y;
    }

    @Override
    public int features() {
        return points.cols();
    }

    @Override
    public FitReport report() {
        return FitReport.builder().add("alpha", alpha).add("training_rows", (long) points.rows()).build();
    }
}
