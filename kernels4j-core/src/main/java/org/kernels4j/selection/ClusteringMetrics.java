package org.kernels4j.selection;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Scores of a partition: agreement with reference labels (adjusted Rand index, normalised mutual
 * information) and the modularity of a partition of a weighted graph. Labels are any int values;
 * only equality matters, so renaming the clusters of either partition changes no score.
 *
 * <p>With the contingency table n_ij (points in cluster i of {@code a} and j of {@code b}), row sums
 * a_i, column sums b_j and n points:
 * <ul>
 *   <li>ARI (Hubert &amp; Arabie, 1985) = (Σ C(n_ij,2) − E) / (½(Σ C(a_i,2) + Σ C(b_j,2)) − E) with
 *       E = Σ C(a_i,2)·Σ C(b_j,2) / C(n,2): 1 for identical partitions, 0 in expectation for random
 *       ones (it can be negative). When both partitions are trivial in the same way (both one cluster,
 *       or both all singletons) the denominator is 0 and the score is 1, as scikit-learn's.</li>
 *   <li>NMI = I(a; b) / mean(H(a), H(b)) with the <b>arithmetic</b> mean (scikit-learn's default
 *       {@code average_method='arithmetic'}), natural logarithms (the ratio does not depend on the
 *       base); 1 when both partitions have one cluster (H = 0), as scikit-learn's.</li>
 * </ul>
 * Cost O(n + r·c) for r and c clusters.
 */
public final class ClusteringMetrics {
    private ClusteringMetrics() {
    }

    /** The adjusted Rand index of two partitions of the same n ≥ 1 points (see the class notes). */
    public static double adjustedRandIndex(int[] a, int[] b) {
        long[][] table = contingency(a, b);
        double sumCells = 0;
        double sumRows = 0;
        double sumCols = 0;
        long[] cols = new long[table[0].length];
        for (long[] row : table) {
            long r = 0;
            for (int j = 0; j < row.length; j++) {
                sumCells += pairs(row[j]);
                r += row[j];
                cols[j] += row[j];
            }
            sumRows += pairs(r);
        }
        for (long c : cols) {
            sumCols += pairs(c);
        }
        double expected = a.length < 2 ? 0 : sumRows * sumCols / pairs(a.length);
        double max = 0.5 * (sumRows + sumCols);
        if (max == expected) {
            return 1.0; // both partitions trivial in the same way (or n = 1): nothing to adjust against
        }
        return (sumCells - expected) / (max - expected);
    }

    /** Normalised mutual information with the arithmetic mean of the entropies (see the class notes). */
    public static double normalizedMutualInformation(int[] a, int[] b) {
        long[][] table = contingency(a, b);
        double n = a.length;
        long[] cols = new long[table[0].length];
        long[] rows = new long[table.length];
        for (int i = 0; i < table.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                rows[i] += table[i][j];
                cols[j] += table[i][j];
            }
        }
        double mutual = 0;
        for (int i = 0; i < table.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                long nij = table[i][j];
                if (nij > 0) {
                    mutual += nij / n * Math.log(n * nij / ((double) rows[i] * cols[j]));
                }
            }
        }
        double mean = 0.5 * (entropy(rows, n) + entropy(cols, n));
        if (mean == 0) {
            return 1.0; // both partitions have a single cluster
        }
        return Math.max(0, mutual) / mean;
    }

    /**
     * Newman's modularity Q = (1/2m)·Σ_ij (A_ij − k_i·k_j/2m)·δ(c_i, c_j) of the partition
     * {@code labels} of the weighted undirected graph with symmetric adjacency A (n×n, non-negative,
     * symmetric to 1e-10 of its largest entry, self-loops counted as given on the diagonal), where
     * k_i = Σ_j A_ij and 2m = Σ_ij A_ij.
     * Computed per cluster as Σ_c (e_c/2m − (K_c/2m)²) with e_c the weight inside c (both
     * directions) and K_c its total degree: O(n²).
     */
    public static double modularity(Matrix adjacency, int[] labels) {
        int n = adjacency.rows();
        if (adjacency.cols() != n) {
            throw new Kernels4jException("modularity needs a square adjacency matrix, got " + adjacency.shape());
        }
        if (labels.length != n) {
            throw new Kernels4jException("modularity: " + labels.length + " labels for a graph of " + n + " nodes");
        }
        int[] dense = relabel(labels);
        int k = Arrays.stream(dense).max().orElse(-1) + 1;
        double[] inside = new double[k];
        double[] degree = new double[k];
        double total = 0;
        double[] a = adjacency.data();
        double max = 0;
        for (double w : a) {
            max = Math.max(max, Math.abs(w));
        }
        double asymmetry = 1e-10 * max; // rounding from a computed adjacency, not a directed graph
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double w = a[i * n + j];
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new Kernels4jException("modularity needs finite non-negative edge weights; A[" + i + "," + j
                            + "] = " + w);
                }
                if (Math.abs(w - a[j * n + i]) > asymmetry) {
                    throw new Kernels4jException("modularity needs a symmetric adjacency matrix; A[" + i + "," + j
                            + "] = " + w + " but A[" + j + "," + i + "] = " + a[j * n + i]);
                }
                total += w;
                degree[dense[i]] += w;
                if (dense[i] == dense[j]) {
                    inside[dense[i]] += w;
                }
            }
        }
        if (total == 0) {
            throw new Kernels4jException("modularity is undefined for a graph without edges");
        }
        double q = 0;
        for (int c = 0; c < k; c++) {
            double share = degree[c] / total;
            q += inside[c] / total - share * share;
        }
        return q;
    }

    /** Labels renamed 0, 1, … in order of first appearance. */
    static int[] relabel(int[] labels) {
        java.util.HashMap<Integer, Integer> names = new java.util.HashMap<>();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = names.computeIfAbsent(labels[i], key -> names.size());
        }
        return out;
    }

    private static long[][] contingency(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new Kernels4jException("cannot compare partitions of " + a.length + " and " + b.length + " points");
        }
        if (a.length == 0) {
            throw new Kernels4jException("cannot compare partitions of zero points");
        }
        int[] ra = relabel(a);
        int[] rb = relabel(b);
        int r = Arrays.stream(ra).max().getAsInt() + 1;
        int c = Arrays.stream(rb).max().getAsInt() + 1;
        long[][] table = new long[r][c];
        for (int i = 0; i < ra.length; i++) {
            table[ra[i]][rb[i]]++;
        }
        return table;
    }

    private static double pairs(long m) {
        return m * (m - 1) / 2.0;
    }

    private static double entropy(long[] counts, double n) {
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                h -= c / n * Math.log(c / n);
            }
        }
        return h;
    }
}
