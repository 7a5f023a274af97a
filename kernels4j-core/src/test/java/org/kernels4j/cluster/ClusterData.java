package org.kernels4j.cluster;

import java.util.Random;
import org.kernels4j.linalg.Matrix;

/** Test data with planted clusters. */
final class ClusterData {
    private ClusterData() {
    }

    /** k Gaussian blobs of {@code size} points in d dimensions, centres 10 apart along the axes, sd 0.5. */
    static Matrix blobs(int k, int size, int d, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(k * size, d);
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < size; i++) {
                for (int a = 0; a < d; a++) {
                    double centre = a == c % d ? 10 * (1 + c / d) : 0;
                    x.set(c * size + i, a, centre + 0.5 * r.nextGaussian());
                }
            }
        }
        return x;
    }

    /** The planted labels of {@link #blobs}: block c of {@code size} rows is cluster c. */
    static int[] planted(int k, int size) {
        int[] labels = new int[k * size];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / size;
        }
        return labels;
    }

    /** A symmetric 0/1 adjacency with k blocks of {@code size} nodes: edge probability pIn inside, pOut across. */
    static Matrix plantedBlocks(int k, int size, double pIn, double pOut, long seed) {
        Random r = new Random(seed);
        int n = k * size;
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double p = i / size == j / size ? pIn : pOut;
                if (r.nextDouble() < p) {
                    a.set(i, j, 1);
                    a.set(j, i, 1);
                }
            }
        }
        return a;
    }

    /** The forest kernel (I + L)⁻¹ of an adjacency (L = D − A), by a dense Cholesky inverse. */
    static Matrix forestKernel(Matrix a) {
        int n = a.rows();
        Matrix m = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            double degree = 0;
            for (int j = 0; j < n; j++) {
                degree += a.get(i, j);
                m.set(i, j, -a.get(i, j));
            }
            m.set(i, i, 1 + degree);
        }
        try (org.kernels4j.linalg.Cholesky c = org.kernels4j.linalg.Cholesky.factor(m, "I + L")) {
            Matrix inv = c.inverse();
            // symmetrise exactly: the inverse is symmetric up to rounding
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    double v = 0.5 * (inv.get(i, j) + inv.get(j, i));
                    inv.set(i, j, v);
                    inv.set(j, i, v);
                }
            }
            return inv;
        }
    }

    /** Within-cluster sum of squares of explicit points: Σ_c Σ_{i∈c} ‖x_i − mean_c‖². */
    static double withinSumOfSquares(Matrix x, int[] labels) {
        int k = java.util.Arrays.stream(labels).max().getAsInt() + 1;
        int d = x.cols();
        double[][] mean = new double[k][d];
        int[] count = new int[k];
        for (int i = 0; i < x.rows(); i++) {
            count[labels[i]]++;
            for (int a = 0; a < d; a++) {
                mean[labels[i]][a] += x.get(i, a);
            }
        }
        double ss = 0;
        for (int i = 0; i < x.rows(); i++) {
            for (int a = 0; a < d; a++) {
                double t = x.get(i, a) - mean[labels[i]][a] / count[labels[i]];
                ss += t * t;
            }
        }
        return ss;
    }

    /** X·Xᵀ written out (the linear kernel), independently of the Gram engine. */
    static Matrix linearGram(Matrix x) {
        int n = x.rows();
        Matrix k = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int a = 0; a < x.cols(); a++) {
                    s += x.get(i, a) * x.get(j, a);
                }
                k.set(i, j, s);
            }
        }
        return k;
    }
}
