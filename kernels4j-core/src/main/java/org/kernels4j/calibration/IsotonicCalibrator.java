package org.kernels4j.calibration;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;

/**
 * Isotonic calibration (Zadrozny &amp; Elkan, 2002): the non-decreasing step function of the score
 * closest in least squares to the 0/1 outcomes, found by pool-adjacent-violators (PAVA) after
 * equal scores are merged into one weighted point. Between the fitted points the probability is
 * interpolated linearly, and it is clipped to the end values outside them, as scikit-learn's
 * {@code IsotonicRegression(out_of_bounds="clip")} inside {@code CalibratedClassifierCV(method="isotonic")}.
 *
 * @param thresholds ascending scores (at least one)
 * @param values non-decreasing probabilities in [0, 1] at those scores
 */
public record IsotonicCalibrator(double[] thresholds, double[] values) implements Calibrator {

    /** @throws Kernels4jException when the points are empty, of different lengths, unsorted or out of [0, 1] */
    public IsotonicCalibrator {
        thresholds = thresholds.clone();
        values = values.clone();
        if (thresholds.length == 0 || thresholds.length != values.length) {
            throw new Kernels4jException("isotonic calibration needs as many values as thresholds (at least one), got "
                    + thresholds.length + " and " + values.length);
        }
        for (int i = 0; i < thresholds.length; i++) {
            if (!Double.isFinite(thresholds[i]) || !(values[i] >= 0 && values[i] <= 1)) {
                throw new Kernels4jException("isotonic calibration point " + i + " is invalid: " + thresholds[i] + " -> "
                        + values[i]);
            }
            if (i > 0 && (!(thresholds[i] > thresholds[i - 1]) || values[i] < values[i - 1])) {
                throw new Kernels4jException("isotonic calibration points must ascend in score and not descend in value");
            }
        }
    }

    @Override
    public double[] thresholds() {
        return thresholds.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public double probability(double score) {
        int n = thresholds.length;
        if (score <= thresholds[0]) {
            return values[0];
        }
        if (score >= thresholds[n - 1]) {
            return values[n - 1];
        }
        int i = Arrays.binarySearch(thresholds, score);
        if (i >= 0) {
            return values[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        double w = (score - thresholds[lo]) / (thresholds[hi] - thresholds[lo]);
        return values[lo] + w * (values[hi] - values[lo]);
    }

    /**
     * Fits the calibrator to scores and outcomes (true = positive).
     *
     * @throws Kernels4jException for no rows, mismatched lengths or non-finite scores
     */
    public static IsotonicCalibrator fit(double[] scores, boolean[] positive) {
        Data.check(scores, positive);
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Double.compare(scores[p], scores[q]));
        // merge equal scores into one point weighted by its count
        double[] x = new double[n];
        double[] y = new double[n];
        double[] w = new double[n];
        int u = -1;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            if (u < 0 || scores[i] != x[u]) {
                u++;
                x[u] = scores[i];
            }
            y[u] += positive[i] ? 1 : 0;
            w[u] += 1;
        }
        int m = u + 1;
        x = Arrays.copyOf(x, m);
        w = Arrays.copyOf(w, m);
        y = Arrays.copyOf(y, m);
        for (int i = 0; i < m; i++) {
            y[i] /= w[i];
        }
        double[] fitted = pava(y, w);
        // keep only the ends of each constant run: interpolation between them gives the same function
        double[] tx = new double[m];
        double[] ty = new double[m];
        int kept = 0;
        for (int i = 0; i < m; i++) {
            boolean interior = i > 0 && i < m - 1 && fitted[i] == fitted[i - 1] && fitted[i] == fitted[i + 1];
            if (!interior) {
                tx[kept] = x[i];
                ty[kept] = Math.min(1, Math.max(0, fitted[i]));
                kept++;
            }
        }
        return new IsotonicCalibrator(Arrays.copyOf(tx, kept), Arrays.copyOf(ty, kept));
    }

    /**
     * Weighted isotonic (non-decreasing) least-squares regression by pool-adjacent-violators:
     * minimizes Σ w_i (z_i − y_i)² subject to z_1 ≤ … ≤ z_n. O(n).
     *
     * @param y values in order
     * @param w positive weights
     */
    public static double[] pava(double[] y, double[] w) {
        int n = y.length;
        double[] level = new double[n];
        double[] weight = new double[n];
        int[] end = new int[n]; // last index covered by each block
        int blocks = 0;
        for (int i = 0; i < n; i++) {
            level[blocks] = y[i];
            weight[blocks] = w[i];
            end[blocks] = i;
            blocks++;
            while (blocks > 1 && level[blocks - 2] > level[blocks - 1]) {
                double wt = weight[blocks - 2] + weight[blocks - 1];
                level[blocks - 2] = (weight[blocks - 2] * level[blocks - 2] + weight[blocks - 1] * level[blocks - 1]) / wt;
                weight[blocks - 2] = wt;
                end[blocks - 2] = end[blocks - 1];
                blocks--;
            }
        }
        double[] out = new double[n];
        int start = 0;
        for (int b = 0; b < blocks; b++) {
            for (int i = start; i <= end[b]; i++) {
                out[i] = level[b];
            }
            start = end[b] + 1;
        }
        return out;
    }
}
