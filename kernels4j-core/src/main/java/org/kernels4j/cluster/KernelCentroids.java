package org.kernels4j.cluster;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Nearest feature-space centroid from kernel rows: for a point x with kernel values k_j = k(x, x_j)
 * against the n training points, ‖φ(x) − μ_c‖² = k(x, x) − (2/n_c)·Σ_{j∈c} k_j + T_c/n_c² with
 * T_c = Σ_{i,j∈c} K_ij, and k(x, x) is the same for every c, so the argmin needs only the rows.
 * O(m·n) for m points.
 */
final class KernelCentroids {
    private final int[] labels;
    private final int[] counts;
    private final double[] within;

    KernelCentroids(int[] labels, int k, double[] within) {
        this.labels = labels.clone();
        this.counts = new int[k];
        for (int l : labels) {
            counts[l]++;
        }
        this.within = within.clone();
    }

    /** T_c (a copy), for model files. */
    double[] within() {
        return within.clone();
    }

    /** T_c = Σ_{i,j∈c} K_ij from the training kernel matrix. */
    static double[] within(Matrix gram, int[] labels, int k) {
        int n = labels.length;
        double[] t = new double[k];
        double[] a = gram.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (labels[i] == labels[j]) {
                    t[labels[i]] += a[i * n + j];
                }
            }
        }
        return t;
    }

    int[] assign(Matrix cross) {
        int n = labels.length;
        if (cross.cols() != n) {
            throw new Kernels4jException("kernel rows must have one column per training point (" + n + "), got "
                    + cross.shape());
        }
        cross.requireFinite("kernel rows");
        int k = counts.length;
        int[] out = new int[cross.rows()];
        double[] sums = new double[k];
        double[] a = cross.data();
        for (int r = 0; r < out.length; r++) {
            java.util.Arrays.fill(sums, 0);
            for (int j = 0; j < n; j++) {
                sums[labels[j]] += a[r * n + j];
            }
            int best = 0;
            double bestScore = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double nc = counts[c];
                double score = within[c] / (nc * nc) - 2 * sums[c] / nc;
                if (score < bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            out[r] = best;
        }
        return out;
    }
}
