package org.kernels4j.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;

/**
 * Folds for k-fold cross-validation, and {@link #run}, cross-validation of one estimator (any
 * learner: the engine is {@link GridSearch}), scored by RMSE for regression or accuracy for
 * classification. To compare kernels by kernel regression on class labels (as done for NNGP/NTK,
 * e.g. Arora et al., 2019), wrap the regressor in
 * {@link org.kernels4j.regression.RegressionClassifier}.
 *
 * <p>Folds are seeded shuffles, stratified by class for classification (each class is dealt
 * round-robin over the folds, so class proportions agree to within one point per fold).
 * Standardization, when asked, is fitted on each training fold only (mean 0, variance 1 per
 * feature; constant features are only centred) and applied to the held-out fold, so no
 * information leaks from the held-out rows. λ selection (if the learner selects λ) also sees only
 * the training fold.
 *
 */
public final class CrossValidation {
    /** What the target means. */
    public enum Task {
        /** Real-valued targets, scored by root mean squared error. */
        REGRESSION,
        /** Class labels (any numbers), scored by accuracy. */
        CLASSIFICATION
    }

    private CrossValidation() {
    }

    /**
     * Cross-validates one estimator on (x, y): {@link GridSearch} with a single candidate (see there
     * for the folds, the scores and standardization).
     *
     * @param folds number of folds, 2 ≤ folds ≤ n
     */
    public static GridSearch.Point run(Estimator<?> estimator, Matrix x, Matrix y, Task task, int folds, long seed,
            boolean standardize) {
        return GridSearch.builder().task(task).folds(folds).seed(seed).standardize(standardize).build()
                .run(List.of(new GridSearch.Candidate(String.valueOf(estimator), estimator)), x, y).bestPoint();
    }

    /** Throws unless 2 ≤ folds ≤ rows. */
    public static void checkFolds(int rows, int folds) {
        if (folds < 2 || folds > rows) {
            throw new Kernels4jException("folds must be between 2 and the number of rows (" + rows + "), got " + folds);
        }
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
}
