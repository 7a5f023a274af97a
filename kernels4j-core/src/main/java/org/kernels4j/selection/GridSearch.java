package org.kernels4j.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.KernelMatrixEstimator;
import org.kernels4j.model.Model;

/**
 * k-fold cross-validation of any number of candidate estimators on the same folds, written once
 * for every learner: each candidate is fitted on each training fold and scored on the held-out
 * fold, by accuracy (classification: the model's predictions are class labels) or by root mean
 * squared error over all outputs (regression). The best candidate has the highest accuracy or the
 * lowest RMSE (ties go to the earlier one).
 *
 * <p>Shared kernel matrices: candidates that are {@link KernelMatrixEstimator}s are grouped by
 * kernel (equal specs); per fold and group, K(X_tr, X_tr) and K(X_te, X_tr) are computed once (one
 * tiled GEMM pass each, all threads) and every candidate in the group learns from them
 * ({@link KernelMatrixEstimator#fitPredict}), the candidates running in parallel, one per thread.
 * That is valid because these estimators see the data only through the kernel. When the fold's
 * Gram matrix would exceed {@code gramBytes}, or for any other estimator, each candidate is fitted
 * from the features.
 *
 * <p>Folds are seeded shuffles, stratified by class for classification (see
 * {@link CrossValidation#stratifiedFolds}). With {@code standardize}, features are standardized
 * with each training fold's means and deviations only, so nothing leaks from the held-out rows.
 *
 * <p>Cost: per fold, one fit and one prediction per candidate, plus O(n²·d) per kernel group.
 */
public final class GridSearch {
    /**
     * One candidate.
     *
     * @param label how reports name it, e.g. {@code rbf(gamma=0.5), C=10}
     * @param estimator the configured estimator
     */
    public record Candidate(String label, Estimator<?> estimator) {
    }

    /**
     * One candidate's scores.
     *
     * @param scores one per fold: accuracy in [0, 1] (classification) or RMSE (regression)
     * @param mean mean score
     * @param standardDeviation sample standard deviation over folds
     * @param reports each fold's fit report
     */
    public record Point(Candidate candidate, double[] scores, double mean, double standardDeviation,
            List<FitReport> reports) {
    }

    /** All candidates' scores, in the order given, the best one's index and the wall-clock time. */
    public record Result(List<Point> points, int best, double seconds) {
        /** The best candidate's scores. */
        public Point bestPoint() {
            return points.get(best);
        }
    }

    private final CrossValidation.Task task;
    private final int folds;
    private final long seed;
    private final boolean standardize;
    private final long gramBytes;

    private GridSearch(Builder b) {
        this.task = b.task;
        this.folds = b.folds;
        this.seed = b.seed;
        this.standardize = b.standardize;
        this.gramBytes = b.gramBytes;
    }

    /** Defaults: regression, 5 folds, seed 0, no standardization, shared Gram matrices up to 512 MiB. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private CrossValidation.Task task = CrossValidation.Task.REGRESSION;
        private int folds = 5;
        private long seed;
        private boolean standardize;
        private long gramBytes = 512L << 20;

        private Builder() {
        }

        /** What the targets mean: how folds are drawn and how predictions are scored. */
        public Builder task(CrossValidation.Task value) {
            this.task = value;
            return this;
        }

        /** Number of folds, ≥ 2 (and at most the number of rows). */
        public Builder folds(int value) {
            this.folds = value;
            return this;
        }

        /** Seed of the fold assignment. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Standardize features with each training fold's statistics. */
        public Builder standardize(boolean on) {
            this.standardize = on;
            return this;
        }

        /** Largest training Gram matrix, in bytes, to compute once and share within a kernel group (0: never). */
        public Builder gramBytes(long value) {
            this.gramBytes = value;
            return this;
        }

        /** @throws Kernels4jException for fewer than 2 folds, a null task or a negative budget */
        public GridSearch build() {
            if (task == null) {
                throw new Kernels4jException("cross-validation needs a task (regression or classification)");
            }
            if (folds < 2) {
                throw new Kernels4jException("folds must be at least 2, got " + folds);
            }
            if (gramBytes < 0) {
                throw new Kernels4jException("the Gram matrix budget must be >= 0, got " + gramBytes);
            }
            return new GridSearch(this);
        }
    }

    /** Cross-validates every candidate on (x, y); y is n×1 labels for classification. */
    public Result run(List<Candidate> candidates, Matrix x, Matrix y) {
        if (candidates.isEmpty()) {
            throw new Kernels4jException("cross-validation needs at least one candidate");
        }
        int n = x.rows();
        if (y.rows() != n) {
            throw new Kernels4jException("cross-validation: " + n + " rows but " + y.rows() + " targets");
        }
        CrossValidation.checkFolds(n, folds);
        x.requireFinite("features");
        y.requireFinite("targets");
        boolean classify = task == CrossValidation.Task.CLASSIFICATION;
        if (classify) {
            if (y.cols() != 1) {
                throw new Kernels4jException("classification needs one label column, got " + y.cols());
            }
            long classes = Arrays.stream(y.data()).distinct().count();
            if (classes < 2) {
                throw new Kernels4jException("classification needs at least two classes, found " + classes);
            }
        }
        double[] classes = Arrays.stream(y.data()).distinct().sorted().toArray();
        int[] fold = classify ? CrossValidation.stratifiedFolds(y, folds, seed)
                : CrossValidation.shuffledFolds(n, folds, seed);
        int count = candidates.size();
        double[][] scores = new double[count][folds];
        FitReport[][] reports = new FitReport[count][folds];
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        List<Integer> alone = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            if (candidates.get(c).estimator() instanceof KernelMatrixEstimator<?> e && e.kernel() != null) {
                groups.computeIfAbsent(e.kernel().toSpec(), s -> new ArrayList<>()).add(c);
            } else {
                alone.add(c);
            }
        }
        long start = System.nanoTime();
        for (int f = 0; f < folds; f++) {
            final int ff = f;
            int[] tr = CrossValidation.foldRows(fold, f, false);
            int[] te = CrossValidation.foldRows(fold, f, true);
            Matrix xTr = x.selectRows(tr);
            Matrix xTe = x.selectRows(te);
            if (standardize) {
                CrossValidation.standardize(xTr, xTe);
            }
            Matrix yTr = y.selectRows(tr);
            Matrix yTe = y.selectRows(te);
            boolean share = 8.0 * tr.length * tr.length <= gramBytes;
            List<Integer> direct = new ArrayList<>(alone);
            for (List<Integer> group : groups.values()) {
                if (!share) {
                    direct.addAll(group);
                    continue;
                }
                KernelMatrixEstimator<?> first = (KernelMatrixEstimator<?>) candidates.get(group.get(0)).estimator();
                Matrix gram = GramEngine.gram(first.kernel(), xTr);
                Matrix cross = GramEngine.cross(first.kernel(), xTe, xTr);
                Parallelism.forEachBlock(group.size(), j -> {
                    int c = group.get(j);
                    KernelMatrixEstimator<?> e = (KernelMatrixEstimator<?>) candidates.get(c).estimator();
                    KernelMatrixEstimator.Prediction p = e.fitPredict(gram, yTr, cross);
                    scores[c][ff] = score(candidates.get(c), p.values(), yTe, classify ? classes : null);
                    reports[c][ff] = p.report();
                });
            }
            for (int c : direct) {
                Model m = candidates.get(c).estimator().fit(xTr, yTr);
                scores[c][ff] = score(candidates.get(c), m.predict(xTe), yTe, classify ? classes : null);
                reports[c][ff] = m.report();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Point> points = new ArrayList<>();
        int best = 0;
        for (int c = 0; c < count; c++) {
            double[] s = scores[c];
            double mean = Arrays.stream(s).average().orElse(Double.NaN);
            double ss = 0;
            for (double v : s) {
                ss += (v - mean) * (v - mean);
            }
            points.add(new Point(candidates.get(c), s, mean, Math.sqrt(ss / (folds - 1)), List.of(reports[c])));
            double bestMean = points.get(best).mean();
            if (classify ? mean > bestMean : mean < bestMean) {
                best = c;
            }
        }
        return new Result(List.copyOf(points), best, seconds);
    }

    /**
     * Accuracy of label predictions (each must be one of the data's classes, so that a regressor
     * given class labels is caught instead of scoring near zero), or RMSE over every output.
     */
    private static double score(Candidate candidate, Matrix prediction, Matrix truth, double[] classes) {
        boolean classify = classes != null;
        if (prediction.rows() != truth.rows() || prediction.cols() != truth.cols()) {
            throw new Kernels4jException("candidate '" + candidate.label() + "' predicted shape " + prediction.shape()
                    + " for targets of shape " + truth.shape()
                    + (classify ? "; classification needs a classifier (one label per row)" : ""));
        }
        if (classify) {
            for (double v : prediction.data()) {
                if (Arrays.binarySearch(classes, v) < 0) {
                    throw new Kernels4jException("candidate '" + candidate.label() + "' predicted " + v + ", which is not "
                            + "a class label; classification needs a classifier (wrap a regressor in RegressionClassifier)");
                }
            }
            return ClassificationMetrics.of(truth.data(), prediction.data()).accuracy();
        }
        return RegressionMetrics.of(truth, prediction).rmse();
    }
}
