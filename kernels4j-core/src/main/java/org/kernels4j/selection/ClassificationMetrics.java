package org.kernels4j.selection;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;

/**
 * Classification measures from true and predicted labels: accuracy, and per class c (over the sorted
 * union of labels seen in either) precision = TP/(TP + FP), recall = TP/(TP + FN) and
 * F1 = 2·P·R/(P + R), each 0 when its denominator is 0 (scikit-learn's zero_division=0), with the
 * confusion matrix {@code confusion[true][predicted]} of row counts.
 *
 * @param classes sorted labels
 * @param confusion k×k counts, rows the true class, columns the predicted one
 * @param accuracy fraction of rows predicted correctly
 * @param precision per class
 * @param recall per class
 * @param f1 per class
 * @param support rows whose true class is c
 */
public record ClassificationMetrics(double[] classes, long[][] confusion, double accuracy, double[] precision,
        double[] recall, double[] f1, long[] support) {

    /** Compares true labels with predictions (same length, at least one row). */
    public static ClassificationMetrics of(double[] truth, double[] predicted) {
        if (truth.length != predicted.length) {
            throw new Kernels4jException(truth.length + " true labels but " + predicted.length + " predictions");
        }
        if (truth.length == 0) {
            throw new Kernels4jException("cannot evaluate on zero rows");
        }
        double[] classes = java.util.stream.DoubleStream.concat(Arrays.stream(truth), Arrays.stream(predicted))
                .distinct().sorted().toArray();
        int k = classes.length;
        long[][] confusion = new long[k][k];
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            int t = Arrays.binarySearch(classes, truth[i]);
            int p = Arrays.binarySearch(classes, predicted[i]);
            confusion[t][p]++;
            correct += t == p ? 1 : 0;
        }
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        long[] support = new long[k];
        for (int c = 0; c < k; c++) {
            long tp = confusion[c][c];
            long predictedC = 0;
            for (int t = 0; t < k; t++) {
                predictedC += confusion[t][c];
                support[c] += confusion[c][t];
            }
            precision[c] = predictedC == 0 ? 0 : tp / (double) predictedC;
            recall[c] = support[c] == 0 ? 0 : tp / (double) support[c];
            f1[c] = precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
        }
        return new ClassificationMetrics(classes, confusion, correct / (double) truth.length, precision, recall, f1,
                support);
    }
}
