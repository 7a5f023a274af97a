package org.kernels4j.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.Model;
import org.kernels4j.model.TrainingData;
import org.kernels4j.selection.CrossValidation;

/**
 * Probability calibration of any classifier, fitted on held-out folds: scikit-learn's
 * {@code CalibratedClassifierCV(ensemble=False)}.
 *
 * <ol>
 *   <li>The rows are dealt into {@code folds} stratified, seeded folds
 *       ({@link CrossValidation#stratifiedFolds}). For each fold the base estimator is fitted on the
 *       other folds and scores the held-out rows, so every row gets one out-of-fold score
 *       ({@link Scores}: decision values when the model has them, else similarity scores, else
 *       probabilities).</li>
 *   <li>Two classes: one calibrator maps the score to the probability of the second class; a single
 *       decision value is first oriented (negated when the second class's rows score lower on
 *       average, as an SVM's f &gt; 0 means the first class). More classes: one calibrator per class,
 *       class c against the rest on score c, and the C calibrated values are divided by their sum
 *       (1/C each when all are 0).</li>
 *   <li>The calibrators are {@link Method#SIGMOID} (Platt) or {@link Method#ISOTONIC} (PAVA).</li>
 *   <li>The base estimator is then fitted once more on all rows; that one model predicts.</li>
 * </ol>
 * Why one model (ensemble=False) rather than one calibrated pair per fold (ensemble=True): the
 * model file then holds one base model and its calibrators, prediction costs one base prediction,
 * and every calibrator has seen all n out-of-fold scores rather than n/folds; the price is that the
 * final model's scores come from a model fitted on a little more data than those calibrated on.
 * The model predicts the class of the largest calibrated probability.
 */
public final class CalibratedClassifier implements Estimator<CalibratedClassifierModel> {
    /** The calibration map. */
    public enum Method {
        /** Platt's sigmoid ({@link SigmoidCalibrator}). */
        SIGMOID,
        /** Isotonic regression ({@link IsotonicCalibrator}). */
        ISOTONIC;

        /** "sigmoid" or "isotonic", case-insensitive. */
        public static Method parse(String name) {
            for (Method m : values()) {
                if (m.name().equalsIgnoreCase(name.trim())) {
                    return m;
                }
            }
            throw new Kernels4jException("calibration method must be sigmoid or isotonic, got '" + name + "'");
        }

        /** The lower-case name. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Estimator<? extends Model> base;
    private final Method method;
    private final int folds;
    private final long seed;

    private CalibratedClassifier(Estimator<? extends Model> base, Method method, int folds, long seed) {
        this.base = base;
        this.method = method;
        this.folds = folds;
        this.seed = seed;
    }

    /** Starts a builder around a base estimator whose models are {@link Classifier}s; defaults: sigmoid, 5 folds, seed 1. */
    public static Builder builder(Estimator<? extends Model> base) {
        return new Builder(base);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final Estimator<? extends Model> base;
        private Method method = Method.SIGMOID;
        private int folds = 5;
        private long seed = 1;

        private Builder(Estimator<? extends Model> base) {
            if (base == null) {
                throw new Kernels4jException("a calibrated classifier needs a base estimator");
            }
            this.base = base;
        }

        /** The calibration map (default sigmoid). */
        public Builder method(Method m) {
            this.method = m;
            return this;
        }

        /** Number of cross-validation folds for the out-of-fold scores (≥ 2, default 5). */
        public Builder folds(int k) {
            this.folds = k;
            return this;
        }

        /** Seed of the fold assignment. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** @throws Kernels4jException for fewer than two folds or no method */
        public CalibratedClassifier build() {
            if (method == null) {
                throw new Kernels4jException("the calibration method must be sigmoid or isotonic");
            }
            if (folds < 2) {
                throw new Kernels4jException("calibration needs at least 2 folds, got " + folds);
            }
            return new CalibratedClassifier(base, method, folds, seed);
        }
    }

    /**
     * Fits on inputs x (n×d) and class labels y (n×1, at least two classes, each with at least two
     * rows so that every training fold holds it).
     */
    @Override
    public CalibratedClassifierModel fit(Matrix x, Matrix y) {
        double[] classes = TrainingData.requireLabels(x, y);
        if (classes.length < 2) {
            throw new Kernels4jException("calibration needs at least two classes, got only " + Arrays.toString(classes));
        }
        int n = x.rows();
        CrossValidation.checkFolds(n, folds);
        int[] fold = CrossValidation.stratifiedFolds(y, folds, seed);
        Scores source = null;
        Matrix oof = null;
        for (int f = 0; f < folds; f++) {
            int[] held = CrossValidation.foldRows(fold, f, true);
            if (held.length == 0) {
                continue;
            }
            int[] train = CrossValidation.foldRows(fold, f, false);
            Classifier m = classifier(base.fit(x.selectRows(train), y.selectRows(train)), classes, "fold " + (f + 1));
            Scores s = Scores.of(m);
            if (source != null && s != source) {
                throw new Kernels4jException("the base models of different folds give different scores (" + source + ", " + s + ")");
            }
            source = s;
            Matrix sc = s.of(m, x.selectRows(held));
            if (oof == null) {
                oof = new Matrix(n, sc.cols());
            }
            for (int i = 0; i < held.length; i++) {
                for (int k = 0; k < sc.cols(); k++) {
                    oof.set(held[i], k, sc.get(i, k));
                }
            }
        }
        double[] labels = y.data();
        double orientation = 1;
        if (classes.length == 2 && source == Scores.DECISION) {
            double[] sum = new double[2];
            double[] count = new double[2];
            for (int i = 0; i < n; i++) {
                int c = labels[i] == classes[1] ? 1 : 0;
                sum[c] += oof.get(i, 0);
                count[c]++;
            }
            orientation = sum[1] / count[1] >= sum[0] / count[0] ? 1 : -1;
        }
        List<Calibrator> calibrators = new ArrayList<>();
        int problems = classes.length == 2 ? 1 : classes.length;
        for (int k = 0; k < problems; k++) {
            double positiveLabel = classes.length == 2 ? classes[1] : classes[k];
            double[] scores = new double[n];
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                scores[i] = orientation * oof.get(i, k);
                positive[i] = labels[i] == positiveLabel;
            }
            calibrators.add(method == Method.SIGMOID ? SigmoidCalibrator.fit(scores, positive)
                    : IsotonicCalibrator.fit(scores, positive));
        }
        Classifier all = classifier(base.fit(x, y), classes, "the final fit");
        if (Scores.of(all) != source) {
            throw new Kernels4jException("the final base model gives " + Scores.of(all) + " scores, the folds' gave " + source);
        }
        return new CalibratedClassifierModel(all, classes, source, orientation, method, calibrators, folds, seed);
    }

    private static Classifier classifier(Model m, double[] classes, String where) {
        if (!(m instanceof Classifier c)) {
            throw new Kernels4jException("calibration needs a classifier, but the base estimator made a "
                    + m.getClass().getSimpleName());
        }
        if (!Arrays.equals(c.classes(), classes)) {
            throw new Kernels4jException("the base model of " + where + " knows classes " + Arrays.toString(c.classes())
                    + ", not " + Arrays.toString(classes) + " (each class needs at least two rows)");
        }
        return c;
    }
}
