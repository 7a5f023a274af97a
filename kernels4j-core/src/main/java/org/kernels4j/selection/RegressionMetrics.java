package org.kernels4j.selection;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Regression error measures over all entries of an n×k prediction matrix:
 * RMSE = sqrt(mean (y − ŷ)²), MAE = mean |y − ŷ|, and R² = 1 − Σ(y − ŷ)²/Σ(y − ȳ)² computed per
 * output column and averaged uniformly over columns (scikit-learn's default).
 *
 * @param rmse root mean squared error
 * @param mae mean absolute error
 * @param r2 coefficient of determination
 */
public record RegressionMetrics(double rmse, double mae, double r2) {
    /** Compares truth y and predictions ŷ of the same shape. */
    public static RegressionMetrics of(Matrix y, Matrix predicted) {
        y.requireSameShape(predicted, "targets and predictions");
        int n = y.rows();
        int k = y.cols();
        if (n == 0) {
            throw new Kernels4jException("cannot evaluate on zero rows");
        }
        double sse = 0;
        double sae = 0;
        double r2 = 0;
        for (int o = 0; o < k; o++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += y.get(i, o) / n;
            }
            double colSse = 0;
            double sst = 0;
            for (int i = 0; i < n; i++) {
                double r = y.get(i, o) - predicted.get(i, o);
                colSse += r * r;
                sae += Math.abs(r);
                double c = y.get(i, o) - mean;
                sst += c * c;
            }
            sse += colSse;
            r2 += sst == 0 ? (colSse == 0 ? 1.0 : 0.0) : 1 - colSse / sst;
        }
        return new RegressionMetrics(Math.sqrt(sse / ((double) n * k)), sae / ((double) n * k), r2 / k);
    }
}
