package org.kernels4j.kernel.graph;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * A k-nearest-neighbour graph over points (rows of an n×d matrix), so graph measures and heat-geodesic distances
 * apply to point clouds. Nodes are named "0" … "n−1" (row order). Node i is joined to each of its k nearest
 * other points by Euclidean distance with the Gaussian weight w_ij = exp(−‖x_i − x_j‖²/(2h²)); the graph is
 * symmetrised by union (i–j is an edge when either is among the other's k nearest; the weight is the same both
 * ways). Bandwidth h: given, or (when not positive) the median over points of the distance to the k-th neighbour.
 * Brute force, O(n²d) time; ties broken by row order.
 */
public final class NearestNeighborGraph {
    private NearestNeighborGraph() {
    }

    /**
     * The symmetrised Gaussian kNN graph.
     *
     * @param points n×d, finite, n ≥ 2
     * @param k neighbours per point, 1 ≤ k ≤ n − 1
     * @param bandwidth h &gt; 0, or 0 for the median k-th-neighbour distance
     */
    public static Graph gaussian(Matrix points, int k, double bandwidth) {
        int n = points.rows();
        points.requireFinite("points");
        if (n < 2 || k < 1 || k > n - 1) {
            throw new Kernels4jException("a kNN graph needs n >= 2 points and 1 <= k <= n-1, got n = " + n + ", k = " + k);
        }
        if (!(bandwidth >= 0) || Double.isInfinite(bandwidth)) {
            throw new Kernels4jException("kNN graph bandwidth must be positive (or 0 for automatic), got " + bandwidth);
        }
        int d = points.cols();
        double[] x = points.data();
        int[][] nearest = new int[n][k];
        double[][] dist = new double[n][k];
        double[] kth = new double[n];
        Integer[] order = new Integer[n];
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double diff = x[i * d + c] - x[j * d + c];
                    s += diff * diff;
                }
                row[j] = j == i ? Double.POSITIVE_INFINITY : s;
                order[j] = j;
            }
            Arrays.sort(order, (p, q) -> Double.compare(row[p], row[q]));
            for (int q = 0; q < k; q++) {
                nearest[i][q] = order[q];
                dist[i][q] = row[order[q]];
            }
            kth[i] = Math.sqrt(dist[i][k - 1]);
        }
        double h = bandwidth;
        if (h == 0) {
            double[] sorted = kth.clone();
            Arrays.sort(sorted);
            h = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
            if (!(h > 0)) {
                throw new Kernels4jException("kNN graph: the median distance to the " + k
                        + "-th neighbour is 0 (repeated points); give a bandwidth");
            }
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < k; q++) {
                int j = nearest[i][q];
                double w = Math.exp(-dist[i][q] / (2 * h * h));
                a[i * n + j] = w;
                a[j * n + i] = w;
            }
        }
        return Graph.fromAdjacency(null, Matrix.wrap(n, n, a));
    }
}
