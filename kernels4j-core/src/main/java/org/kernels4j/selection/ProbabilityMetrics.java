package org.kernels4j.selection;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * How good predicted class probabilities are, from true labels and an n×C probability matrix whose
 * columns follow the ascending {@code classes}:
 * <ul>
 *   <li>log-loss = −(1/n)·Σ log p_{i,y_i}, each probability clipped to [1e−15, 1] (so one confident
 *       mistake costs at most 34.5 rather than infinity);</li>
 *   <li>Brier score = (1/n)·Σ_i Σ_c (p_ic − 1[y_i = c])², halved for two classes so that it is the
 *       familiar binary (p − y)² of the second class (scikit-learn's {@code brier_score_loss});</li>
 *   <li>expected calibration error ECE = Σ_b (n_b/n)·|observed_b − predicted_b| over equal-width
 *       bins of [0, 1] (bin b holds [b/B, (b+1)/B), the last one also 1). With two classes the
 *       binned value is the second class's probability and "observed" the fraction of rows of that
 *       class; with more it is the top-label confidence max_c p_ic and "observed" the fraction of
 *       rows whose most probable class is right (Guo et al., 2017). The same bins give the
 *       {@link Reliability} diagram.</li>
 * </ul>
 *
 * @param logLoss mean negative log-probability of the true class
 * @param brier Brier score as above
 * @param expectedCalibrationError ECE over {@code reliability}'s bins
 * @param reliability the bins
 */
public record ProbabilityMetrics(double logLoss, double brier, double expectedCalibrationError, Reliability reliability) {
    /** The clip applied to probabilities in the log-loss. */
    public static final double LOG_LOSS_CLIP = 1e-15;

    /**
     * A reliability diagram: per bin, the mean predicted probability, the observed frequency and the
     * number of rows (NaN means for an empty bin).
     *
     * @param topLabel true when the binned value is the top-label confidence (more than two classes),
     *     false when it is the second class's probability
     * @param lower each bin's lower edge
     * @param predicted mean binned probability per bin
     * @param observed observed frequency per bin
     * @param counts rows per bin
     */
    public record Reliability(boolean topLabel, double[] lower, double[] predicted, double[] observed, long[] counts) {
        /** The number of bins. */
        public int bins() {
            return counts.length;
        }
    }

    /**
     * Scores probabilities against true labels.
     *
     * @param classes the class labels, ascending (the probability columns' order)
     * @param truth n true labels, each among {@code classes}
     * @param probabilities n×C, C = classes.length ≥ 2
     * @param bins number of equal-width bins for the ECE and the reliability diagram (≥ 1)
     */
    public static ProbabilityMetrics of(double[] classes, double[] truth, Matrix probabilities, int bins) {
        int n = truth.length;
        int c = classes.length;
        if (c < 2) {
            throw new Kernels4jException("probability scores need at least two classes, got " + c);
        }
        if (n == 0) {
            throw new Kernels4jException("cannot evaluate on zero rows");
        }
        if (probabilities.rows() != n || probabilities.cols() != c) {
            throw new Kernels4jException("probabilities have shape " + probabilities.shape() + ", expected " + n + "x" + c);
        }
        if (bins < 1) {
            throw new Kernels4jException("the number of bins must be >= 1, got " + bins);
        }
        double logLoss = 0;
        double brier = 0;
        double[] sumPredicted = new double[bins];
        double[] sumObserved = new double[bins];
        long[] counts = new long[bins];
        boolean topLabel = c > 2;
        for (int i = 0; i < n; i++) {
            int y = Arrays.binarySearch(classes, truth[i]);
            if (y < 0) {
                throw new Kernels4jException("row " + (i + 1) + ": label " + truth[i] + " is not one of the model's classes "
                        + Arrays.toString(classes));
            }
            int best = 0;
            for (int k = 0; k < c; k++) {
                double p = probabilities.get(i, k);
                if (!(p >= 0 && p <= 1)) {
                    throw new Kernels4jException("row " + (i + 1) + ": probability " + p + " is not in [0, 1]");
                }
                double e = p - (k == y ? 1 : 0);
                brier += e * e;
                if (p > probabilities.get(i, best)) {
                    best = k;
                }
            }
            logLoss -= Math.log(Math.max(probabilities.get(i, y), LOG_LOSS_CLIP));
            double value = topLabel ? probabilities.get(i, best) : probabilities.get(i, 1);
            double hit = topLabel ? (best == y ? 1 : 0) : (y == 1 ? 1 : 0);
            int b = Math.min(bins - 1, (int) Math.floor(value * bins));
            sumPredicted[b] += value;
            sumObserved[b] += hit;
            counts[b]++;
        }
        double ece = 0;
        double[] lower = new double[bins];
        double[] predicted = new double[bins];
        double[] observed = new double[bins];
        for (int b = 0; b < bins; b++) {
            lower[b] = b / (double) bins;
            predicted[b] = counts[b] == 0 ? Double.NaN : sumPredicted[b] / counts[b];
            observed[b] = counts[b] == 0 ? Double.NaN : sumObserved[b] / counts[b];
            if (counts[b] > 0) {
                ece += counts[b] / (double) n * Math.abs(observed[b] - predicted[b]);
            }
        }
        return new ProbabilityMetrics(logLoss / n, brier / n / (c == 2 ? 2 : 1), ece,
                new Reliability(topLabel, lower, predicted, observed, counts));
    }
}
