package org.kernels4j.svm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.selection.ClassificationMetrics;
import org.kernels4j.selection.CrossValidation;
import org.kernels4j.selection.RegressionMetrics;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * Model selection for SVMs: k-fold cross-validation over a grid of kernels × C values, scored by
 * accuracy (classifiers) or RMSE (ε-SVR).
 *
 * <p>Kernel work is shared where the kernel does not change: for each fold and kernel the training
 * Gram matrix K(X_tr, X_tr) and the cross matrix K(X_te, X_tr) are computed once (one tiled GEMM
 * pass each, all threads) and every C value is then trained from them as a precomputed kernel, the
 * C values solved in parallel (one solve per thread). When the fold's Gram matrix would exceed
 * {@code gramBytes}, each (C, fold) trains from the kernel directly instead (rows computed on demand).
 *
 * <p>Folds are seeded and stratified by class for classifiers. With {@code standardize}, features
 * are standardized with each training fold's means and deviations only.
 *
 * <p>Cost per fold and kernel: O(n²·d) for the kernel matrices plus one SVM solve per C.
 */
public final class SvmGridSearch {
    /**
     * One grid point's scores.
     *
     * @param kernel the kernel
     * @param c the C value
     * @param scores one per fold: accuracy in [0, 1] (classifiers) or RMSE (regression)
     * @param mean mean score
     * @param standardDeviation sample standard deviation over folds
     */
    public record Point(Kernel kernel, double c, double[] scores, double mean, double standardDeviation) {
    }

    /**
     * All grid points, in kernel-major order, and the best one (highest accuracy or lowest RMSE; ties
     * go to the earlier point).
     */
    public record Result(List<Point> points, int best, double seconds) {
        /** The best grid point. */
        public Point bestPoint() {
            return points.get(best);
        }
    }

    private final SupportVectorMachine estimator;
    private final List<Kernel> kernels;
    private final double[] cs;
    private final int folds;
    private final long seed;
    private final boolean standardize;
    private final long gramBytes;

    /**
     * @param estimator the SVM to tune (classifier or regression; its other options are kept)
     * @param kernels the kernels to try (at least one)
     * @param cs the C values to try (at least one, each &gt; 0)
     * @param folds number of folds, 2 ≤ folds ≤ n
     * @param seed seed of the fold assignment
     * @param standardize whether to standardize features per training fold
     * @param gramBytes largest training Gram matrix to precompute and share across C values
     */
    public SvmGridSearch(SupportVectorMachine estimator, List<Kernel> kernels, double[] cs, int folds, long seed,
            boolean standardize, long gramBytes) {
        if (estimator.type() == SvmModel.Type.ONE_CLASS) {
            throw new Kernels4jException("grid search needs labels to score against; a one-class SVM has none");
        }
        if (kernels.isEmpty() || cs.length == 0) {
            throw new Kernels4jException("grid search needs at least one kernel and one C value");
        }
        for (double c : cs) {
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new Kernels4jException("C values must be positive numbers, got " + c);
            }
        }
        this.estimator = estimator;
        this.kernels = List.copyOf(kernels);
        this.cs = cs.clone();
        this.folds = folds;
        this.seed = seed;
        this.standardize = standardize;
        this.gramBytes = gramBytes;
    }

    /** Cross-validates every (kernel, C) on (x, y). */
    public Result run(Matrix x, double[] y) {
        int n = x.rows();
        if (y.length != n) {
            throw new Kernels4jException("grid search: " + n + " rows but " + y.length + " targets");
        }
        CrossValidation.checkFolds(n, folds);
        x.requireFinite("features");
        boolean classify = estimator.type() == SvmModel.Type.C_SVC;
        int[] fold = classify ? CrossValidation.stratifiedFolds(Matrix.column(y.clone()), folds, seed)
                : CrossValidation.shuffledFolds(n, folds, seed);
        double[][][] scores = new double[kernels.size()][cs.length][folds];
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
            double[] yTr = Arrays.stream(tr).mapToDouble(i -> y[i]).toArray();
            double[] yTe = Arrays.stream(te).mapToDouble(i -> y[i]).toArray();
            for (int k = 0; k < kernels.size(); k++) {
                Kernel kernel = kernels.get(k);
                boolean share = 8.0 * tr.length * tr.length <= gramBytes;
                Matrix gram = share ? GramEngine.gram(kernel, xTr) : null;
                Matrix cross = share ? GramEngine.cross(kernel, xTe, xTr) : null;
                double[][] row = scores[k];
                Parallelism.forEachBlock(cs.length, j -> {
                    SupportVectorMachine svm = estimator.withKernel(kernel).withC(cs[j]);
                    double[] pred = share ? svm.fitPrecomputed(gram, yTr).predict(cross) : svm.fit(xTr, yTr).predict(xTe);
                    row[j][ff] = classify ? ClassificationMetrics.of(yTe, pred).accuracy()
                            : RegressionMetrics.of(Matrix.column(yTe), Matrix.column(pred)).rmse();
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Point> points = new ArrayList<>();
        int best = 0;
        for (int k = 0; k < kernels.size(); k++) {
            for (int j = 0; j < cs.length; j++) {
                double[] s = scores[k][j];
                double mean = Arrays.stream(s).average().orElse(Double.NaN);
                double ss = 0;
                for (double v : s) {
                    ss += (v - mean) * (v - mean);
                }
                points.add(new Point(kernels.get(k), cs[j], s, mean, Math.sqrt(ss / (folds - 1))));
                Point b = points.get(best);
                if (classify ? mean > b.mean() : mean < b.mean()) {
                    best = points.size() - 1;
                }
            }
        }
        return new Result(List.copyOf(points), best, seconds);
    }
}
