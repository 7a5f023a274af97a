package org.kernels4j.selection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;

/**
 * k-fold cross-validation of kernel ridge regression, for regression (score: RMSE) or
 * classification (score: accuracy). Classification regresses one-hot targets, one output per
 * class, and predicts the class of the largest output: the "kernel regression" classifier used to
 * compare NNGP/NTK with other kernels (e.g. Arora et al., 2019).
 *
 * <p>Folds are seeded shuffles, stratified by class for classification (each class is dealt
 * round-robin over the folds, so class proportions agree to within one point per fold).
 * Standardization, when asked, is fitted on each training fold only (mean 0, variance 1 per
 * feature; constant features are only centred) and applied to the held-out fold, so no
 * information leaks from the held-out rows. λ selection (if the learner selects λ) also sees only
 * the training fold.
 *
 * <p>Cost: one fit and one prediction per fold.
 */
public final class CrossValidation {
    /** What the target means. */
    public enum Task {
        /** Real-valued targets, scored by root mean squared error. */
        REGRESSION,
        /** Class labels (any numbers), scored by accuracy. */
        CLASSIFICATION
    }

    /**
     * Per-fold scores and their summary.
     *
     * @param scores one per fold: RMSE (regression) or accuracy in [0, 1] (classification)
     * @param lambdas λ used in each fold
     * @param mean mean of the scores
     * @param standardDeviation sample standard deviation of the scores over folds
     * @param seconds total wall-clock time of the fits and predictions
     */
    public record Result(double[] scores, double[] lambdas, double mean, double standardDeviation, double seconds) {
    }

    private CrossValidation() {
    }

    /**
     * Cross-validates {@code learner} on (x, y), y one column.
     *
     * @param folds number of folds, 2 ≤ folds ≤ n
     * @param standardize whether to standardize features per training fold
     */
    public static Result run(KernelRidge learner, Matrix x, Matrix y, Task task, int folds, long seed,
            boolean standardize) {
        int n = x.rows();
        if (y.rows() != n || y.cols() != 1) {
            throw new Kernels4jException("cross-validation needs one target column with " + n + " rows, got "
                    + y.shape());
        }
        checkFolds(n, folds);
        x.requireFinite("features");
        y.requireFinite("targets");
        double[] classes = task == Task.CLASSIFICATION ? classes(y) : null;
        if (classes != null && classes.length < 2) {
            throw new Kernels4jException("classification needs at least two classes, found " + classes.length);
        }
        int[] fold = task == Task.CLASSIFICATION ? stratifiedFolds(y, folds, seed) : shuffledFolds(n, folds, seed);
        double[] scores = new double[folds];
        double[] lambdas = new double[folds];
        long start = System.nanoTime();
        for (int f = 0; f < folds; f++) {
            int[] trainIdx = foldRows(fold, f, false);
            int[] testIdx = foldRows(fold, f, true);
            Matrix xTrain = x.selectRows(trainIdx);
            Matrix xTest = x.selectRows(testIdx);
            if (standardize) {
                standardize(xTrain, xTest);
            }
            Matrix yTrain = y.selectRows(trainIdx);
            Matrix yTest = y.selectRows(testIdx);
            KernelRidgeModel model = learner.fit(xTrain, classes == null ? yTrain : oneHot(yTrain, classes));
            lambdas[f] = model.lambda();
            Matrix pred = model.predict(xTest);
            scores[f] = classes == null ? RegressionMetrics.of(yTest, pred).rmse() : accuracy(pred, yTest, classes);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double mean = Arrays.stream(scores).average().orElse(Double.NaN);
        double ss = 0;
        for (double s : scores) {
            ss += (s - mean) * (s - mean);
        }
        return new Result(scores, lambdas, mean, Math.sqrt(ss / (folds - 1)), seconds);
    }

    /** Throws unless 2 ≤ folds ≤ rows. */
    public static void checkFolds(int rows, int folds) {
        if (folds < 2 || folds > rows) {
            throw new Kernels4jException("folds must be between 2 and the number of rows (" + rows + "), got " + folds);
        }
    }

    /** Sorted distinct labels. */
    static double[] classes(Matrix y) {
        return Arrays.stream(y.data()).distinct().sorted().toArray();
    }

    /** fold[i] ∈ [0, folds) for n rows: a seeded shuffle dealt round-robin. */
    public static int[] shuffledFolds(int n, int folds, long seed) {
        int[] order = Landmarks.permutation(n, new Random(seed));
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) {
            fold[order[i]] = i % folds;
        }
        return fold;
    }

    /**
     * fold[i] ∈ [0, folds) for labels y (n×1): each class shuffled (seeded) and dealt round-robin,
     * continuing where the previous class stopped, so class proportions agree to within one row per fold.
     */
    public static int[] stratifiedFolds(Matrix y, int folds, long seed) {
        TreeMap<Double, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < y.rows(); i++) {
            byClass.computeIfAbsent(y.get(i, 0), c -> new ArrayList<>()).add(i);
        }
        Random r = new Random(seed);
        int[] fold = new int[y.rows()];
        int next = 0;
        for (List<Integer> members : byClass.values()) {
            int[] order = Landmarks.permutation(members.size(), r);
            for (int i : order) {
                fold[members.get(i)] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }

    /** The rows in fold f (inFold) or in every other fold (not inFold), in increasing order. */
    public static int[] foldRows(int[] fold, int f, boolean inFold) {
        return IntStream.range(0, fold.length).filter(i -> (fold[i] == f) == inFold).toArray();
    }

    /**
     * Standardizes both matrices in place with the first one's column means and deviations (constant
     * columns are only centred).
     */
    public static void standardize(Matrix train, Matrix test) {
        double[] mean = train.columnMeans();
        double[] scale = train.columnStandardDeviations(mean);
        for (int j = 0; j < scale.length; j++) {
            scale[j] = scale[j] > 0 ? scale[j] : 1;
        }
        train.standardizeColumns(mean, scale);
        test.standardizeColumns(mean, scale);
    }

    private static Matrix oneHot(Matrix y, double[] classes) {
        Matrix t = new Matrix(y.rows(), classes.length);
        for (int i = 0; i < y.rows(); i++) {
            t.set(i, Arrays.binarySearch(classes, y.get(i, 0)), 1);
        }
        return t;
    }

    private static double accuracy(Matrix scores, Matrix y, double[] classes) {
        int correct = 0;
        for (int i = 0; i < scores.rows(); i++) {
            int best = 0;
            for (int c = 1; c < classes.length; c++) {
                if (scores.get(i, c) > scores.get(i, best)) {
                    best = c;
                }
            }
            if (classes[best] == y.get(i, 0)) {
                correct++;
            }
        }
        return correct / (double) scores.rows();
    }
}
