package org.kernels4j.calibration;

import java.util.Arrays;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.FitReport;

/**
 * A fitted {@link CalibratedClassifier}: the base classifier (fitted on all rows) and one calibrator
 * for two classes, or one per class for more. Immutable.
 */
public final class CalibratedClassifierModel implements Classifier {
    private final Classifier base;
    private final double[] classes;
    private final Scores source;
    private final double orientation;
    private final CalibratedClassifier.Method method;
    private final List<Calibrator> calibrators;
    private final int folds;
    private final long seed;

    CalibratedClassifierModel(Classifier base, double[] classes, Scores source, double orientation,
            CalibratedClassifier.Method method, List<Calibrator> calibrators, int folds, long seed) {
        int expected = classes.length == 2 ? 1 : classes.length;
        if (calibrators.size() != expected) {
            throw new Kernels4jException(classes.length + " classes need " + expected + " calibrators, got "
                    + calibrators.size());
        }
        if (orientation != 1 && orientation != -1) {
            throw new Kernels4jException("the score orientation must be 1 or -1, got " + orientation);
        }
        for (Calibrator c : calibrators) {
            if ((method == CalibratedClassifier.Method.SIGMOID) != (c instanceof SigmoidCalibrator)) {
                throw new Kernels4jException("a " + method.label() + " calibration holds a " + c.getClass().getSimpleName());
            }
        }
        this.base = base;
        this.classes = classes.clone();
        this.source = source;
        this.orientation = orientation;
        this.method = method;
        this.calibrators = List.copyOf(calibrators);
        this.folds = folds;
        this.seed = seed;
    }

    /** The base classifier, fitted on all rows. */
    public Classifier base() {
        return base;
    }

    /** Where the scores come from. */
    public Scores scores() {
        return source;
    }

    /** 1, or −1 when a two-class decision value is negated before calibration. */
    public double orientation() {
        return orientation;
    }

    /** The calibration map. */
    public CalibratedClassifier.Method method() {
        return method;
    }

    /** The calibrators: one for two classes (of the second class), else one per class. */
    public List<Calibrator> calibrators() {
        return calibrators;
    }

    /** Cross-validation folds used for the out-of-fold scores. */
    public int folds() {
        return folds;
    }

    /** Seed of the folds. */
    public long seed() {
        return seed;
    }

    @Override
    public double[] classes() {
        return classes.clone();
    }

    /** Calibrated probabilities, m×C; rows sum to 1. */
    @Override
    public Matrix probabilities(Matrix x) {
        Matrix s = source.of(base, x);
        int m = x.rows();
        int c = classes.length;
        Matrix p = new Matrix(m, c);
        for (int i = 0; i < m; i++) {
            if (c == 2) {
                double p1 = calibrators.get(0).probability(orientation * s.get(i, 0));
                p.set(i, 0, 1 - p1);
                p.set(i, 1, p1);
                continue;
            }
            double sum = 0;
            for (int k = 0; k < c; k++) {
                double v = calibrators.get(k).probability(s.get(i, k));
                p.set(i, k, v);
                sum += v;
            }
            for (int k = 0; k < c; k++) {
                p.set(i, k, sum > 0 ? p.get(i, k) / sum : 1.0 / c);
            }
        }
        return p;
    }

    /** The class of the largest calibrated probability (ties to the smaller label), m×1. */
    @Override
    public Matrix predict(Matrix x) {
        Matrix p = probabilities(x);
        Matrix out = new Matrix(p.rows(), 1);
        for (int i = 0; i < p.rows(); i++) {
            int best = 0;
            for (int k = 1; k < p.cols(); k++) {
                if (p.get(i, k) > p.get(i, best)) {
                    best = k;
                }
            }
            out.set(i, 0, classes[best]);
        }
        return out;
    }

    @Override
    public int features() {
        return base.features();
    }

    @Override
    public FitReport report() {
        return FitReport.builder().add("calibration", method.label()).add("scores", source.name().toLowerCase(java.util.Locale.ROOT))
                .add("folds", folds).add("calibrators", calibrators.size()).add("base", List.of(base.report())).build();
    }

    @Override
    public String toString() {
        return "CalibratedClassifierModel(" + method.label() + ", classes " + Arrays.toString(classes) + ", base " + base + ")";
    }
}
