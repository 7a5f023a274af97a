package org.kernels4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.RegularizationPath;
import org.kernels4j.selection.CrossValidation;

/**
 * {@code bench kernels}: kernels compared by k-fold cross-validated kernel ridge classification, each
 * kernel's Gram matrix computed ONCE on all n rows (timed: that time is the kernel's cost) and every
 * fold's training block K(train, train) and test block K(test, train) taken from it, instead of
 * {@code cv}'s Gram per fold and kernel (5× the pairs for 5 folds, which the convolutional kernels
 * cannot afford on all 1,797 digits). The learner is exactly {@code cv --task classification}'s
 * kernel ridge: one-hot targets, an intercept, λ chosen per training fold by exact leave-one-out over
 * a log grid ({@link KernelRidge#fitPredict}, {@link RegularizationPath.Criterion#LOO}), predicted
 * class = largest output; folds stratified by class ({@link CrossValidation#stratifiedFolds}).
 */
public final class KernelComparisonBenchmark {
    private KernelComparisonBenchmark() {
    }

    /**
     * One kernel's result.
     *
     * @param spec the kernel
     * @param gramSeconds wall time of the n×n Gram matrix (after a warm-up Gram of 24 rows)
     * @param accuracy per fold
     */
    public record Row(String spec, double gramSeconds, double[] accuracy) {
        /** Mean accuracy over the folds. */
        public double mean() {
            double s = 0;
            for (double a : accuracy) {
                s += a;
            }
            return s / accuracy.length;
        }

        /** Sample standard deviation over the folds (n − 1 in the denominator, as {@code cv}). */
        public double sd() {
            double m = mean();
            double s = 0;
            for (double a : accuracy) {
                s += (a - m) * (a - m);
            }
            return Math.sqrt(s / (accuracy.length - 1));
        }
    }

    /**
     * Runs every kernel on rows x with integer class labels.
     *
     * @param lambdas the λ grid searched by leave-one-out on each training fold
     * @param each called with each finished row (progress), may be null
     */
    public static List<Row> run(List<Kernel> kernels, Matrix x, double[] labels, int folds, long seed, double[] lambdas,
            java.util.function.Consumer<Row> each) {
        if (labels.length != x.rows()) {
            throw new Kernels4jException(x.rows() + " rows but " + labels.length + " labels");
        }
        CrossValidation.checkFolds(x.rows(), folds);
        TreeMap<Double, Integer> classes = new TreeMap<>();
        for (double l : labels) {
            classes.putIfAbsent(l, 0);
        }
        int c = 0;
        for (var e : classes.entrySet()) {
            e.setValue(c++);
        }
        Matrix y = new Matrix(x.rows(), classes.size());
        for (int i = 0; i < labels.length; i++) {
            y.set(i, classes.get(labels[i]), 1);
        }
        int[] fold = CrossValidation.stratifiedFolds(Matrix.column(labels), folds, seed);
        List<Row> rows = new ArrayList<>();
        int[] warm = java.util.stream.IntStream.range(0, Math.min(x.rows(), 24)).toArray();
        for (Kernel k : kernels) {
            // a small Gram first, so the timed one does not include class loading and JIT compilation
            GramEngine.gram(k, x.selectRows(warm));
            long t0 = System.nanoTime();
            Matrix g = GramEngine.gram(k, x);
            double seconds = (System.nanoTime() - t0) * 1e-9;
            double[] acc = new double[folds];
            for (int f = 0; f < folds; f++) {
                int[] train = CrossValidation.foldRows(fold, f, false);
                int[] test = CrossValidation.foldRows(fold, f, true);
                Matrix ktr = g.selectRows(train).selectColumns(train);
                Matrix kte = g.selectRows(test).selectColumns(train);
                KernelRidge krr = KernelRidge.builder(k).selectLambda(lambdas, RegularizationPath.Criterion.LOO)
                        .fitIntercept(true).build();
                Matrix p = krr.fitPredict(ktr, y.selectRows(train), kte).values();
                int right = 0;
                for (int i = 0; i < test.length; i++) {
                    right += argmax(p, i) == argmax(y, test[i]) ? 1 : 0;
                }
                acc[f] = right / (double) test.length;
            }
            Row r = new Row(k.toSpec(), seconds, acc);
            rows.add(r);
            if (each != null) {
                each.accept(r);
            }
        }
        return rows;
    }

    private static int argmax(Matrix m, int row) {
        int best = 0;
        for (int j = 1; j < m.cols(); j++) {
            if (m.get(row, j) > m.get(row, best)) {
                best = j;
            }
        }
        return best;
    }
}
