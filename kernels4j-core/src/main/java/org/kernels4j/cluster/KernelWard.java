package org.kernels4j.cluster;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.UnsupervisedEstimator;

/**
 * Kernel Ward clustering (pygkernels' {@code KWard}): agglomerative, from n singletons, each step
 * merging the two clusters whose union raises the within-cluster sum of squares in feature space
 * J = Σ_c Σ_{i∈c} ‖φ(x_i) − μ_c‖² the least. Merging k and l raises J by exactly
 * <pre>
 *   ΔJ(k, l) = n_k·n_l/(n_k + n_l) · ‖μ_k − μ_l‖² = n_k·n_l/(n_k + n_l) · (h_k − h_l)ᵀK(h_k − h_l)
 * </pre>
 * (h_c the indicator of c divided by n_c), so J after n − m merges is the sum of their costs.
 *
 * <p>Algorithm: ΔJ starts as ½(K_ii + K_jj − 2K_ij) between singletons and is updated after each
 * merge of i and j into u by the Lance–Williams recurrence, exact for Ward in any inner-product space:
 * ΔJ(u, k) = ((n_i + n_k)·ΔJ(i, k) + (n_j + n_k)·ΔJ(j, k) − n_k·ΔJ(i, j)) / (n_i + n_j + n_k).
 * The merges are found by the nearest-neighbour chain (Müllner, "Modern hierarchical, agglomerative
 * clustering algorithms", 2011, as SciPy's {@code linkage(method='ward')}) and sorted by cost: since
 * Ward's costs never decrease along the greedy order (it is reducible), this is the greedy cheapest-pair
 * hierarchy, ties apart, in O(n²) time instead of O(n³), with O(n²) memory: n(n − 1)/2 doubles for ΔJ
 * beside the n×n kernel matrix. On an indefinite K the "squared distances" can be negative and the
 * chain's guarantee is lost; use a positive semi-definite kernel.
 *
 * <p>The fit keeps the whole merge tree ({@link KernelWardModel#merges}) and cuts it at the
 * configured number of clusters; {@link KernelWardModel#cut} cuts it anywhere else.
 */
public final class KernelWard implements UnsupervisedEstimator<KernelWardModel> {
    private static final String NAME = "kernel Ward";

    private final Kernel kernel;
    private final int clusters;

    private KernelWard(Kernel kernel, int clusters) {
        this.kernel = kernel;
        this.clusters = clusters;
    }

    /** Options for clustering rows of data with this kernel. */
    public static Builder builder(Kernel kernel) {
        if (kernel == null) {
            throw new Kernels4jException(NAME + " needs a kernel (use builder() for a precomputed kernel matrix)");
        }
        return new Builder(kernel);
    }

    /** Options for clustering with a precomputed kernel matrix only ({@link #fitKernelMatrix}). */
    public static Builder builder() {
        return new Builder(null);
    }

    /** The options: the number of clusters m at which the tree is cut (required). */
    public static final class Builder {
        private final Kernel kernel;
        private int clusters;

        private Builder(Kernel kernel) {
            this.kernel = kernel;
        }

        /** The number of clusters m ≥ 1 the model's labels have (m ≤ n is checked at fit). */
        public Builder clusters(int m) {
            this.clusters = KernelMatrices.checkedClusters(m, NAME);
            return this;
        }

        /** Validates the options. */
        public KernelWard build() {
            if (clusters == 0) {
                throw new Kernels4jException(NAME + ": set the number of clusters with clusters(m)");
            }
            return new KernelWard(kernel, clusters);
        }
    }

    /** Clusters the n×d rows of x on their Gram matrix; the model keeps x to predict. */
    @Override
    public KernelWardModel fit(Matrix x) {
        if (kernel == null) {
            throw new Kernels4jException(NAME + " was built without a kernel: use fitKernelMatrix(K)");
        }
        if (x.rows() == 0 || x.cols() == 0) {
            throw new Kernels4jException(NAME + " needs at least one point and one feature, got " + x.shape());
        }
        x.requireFinite("the data to cluster");
        KernelMatrices.requireClusters(clusters, x.rows(), NAME);
        return fitGram(GramEngine.gram(kernel, x), x.copy());
    }

    /** Clusters the n points whose kernel matrix is K (n×n, symmetric, finite, positive semi-definite). */
    public KernelWardModel fitKernelMatrix(Matrix gram) {
        int n = KernelMatrices.requireSymmetric(gram, "the kernel matrix");
        KernelMatrices.requireClusters(clusters, n, NAME);
        return fitGram(gram, null);
    }

    private KernelWardModel fitGram(Matrix gram, Matrix trainingRows) {
        List<KernelWardModel.Merge> merges = mergeTree(gram);
        int[] labels = KernelWardModel.cut(merges, gram.rows(), clusters);
        double objective = 0;
        for (int s = 0; s < gram.rows() - clusters; s++) {
            objective += merges.get(s).cost();
        }
        FitReport report = FitReport.builder().add("method", NAME).add("clusters", (long) clusters)
                .add("objective", objective).add("merges", (long) merges.size()).build();
        KernelCentroids centroids = new KernelCentroids(labels, clusters,
                KernelCentroids.within(gram, labels, clusters));
        return new KernelWardModel(merges, gram.rows(), clusters, labels, objective, centroids, kernel, trainingRows,
                report);
    }

    /** The n − 1 merges in order of cost (SciPy linkage numbering: cluster n + s is made by merge s). */
    static List<KernelWardModel.Merge> mergeTree(Matrix gram) {
        int n = gram.rows();
        double[] k = gram.data();
        double[] cost = new double[n * (n - 1) / 2]; // condensed upper triangle
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                cost[index(n, i, j)] = 0.5 * (k[i * n + i] + k[j * n + j] - 2 * k[i * n + j]);
            }
        }
        int[] size = new int[n];
        java.util.Arrays.fill(size, 1);
        int[] chain = new int[n];
        int top = 0;
        int[] left = new int[n - 1];
        int[] right = new int[n - 1];
        double[] mergeCost = new double[n - 1];
        for (int step = 0; step < n - 1; step++) {
            if (top == 0) {
                for (int i = 0; i < n; i++) {
                    if (size[i] > 0) {
                        chain[top++] = i;
                        break;
                    }
                }
            }
            int x;
            int y;
            double best;
            while (true) {
                x = chain[top - 1];
                y = -1;
                best = Double.POSITIVE_INFINITY;
                if (top > 1) {
                    y = chain[top - 2];
                    best = cost[index(n, x, y)];
                }
                for (int i = 0; i < n; i++) {
                    if (size[i] > 0 && i != x) {
                        double c = cost[index(n, x, i)];
                        if (c < best) { // strict: a tie keeps the previous link, so the chain cannot cycle
                            best = c;
                            y = i;
                        }
                    }
                }
                if (top > 1 && y == chain[top - 2]) {
                    break;
                }
                chain[top++] = y;
            }
            top -= 2;
            if (x > y) {
                int t = x;
                x = y;
                y = t;
            }
            left[step] = x;
            right[step] = y;
            mergeCost[step] = best;
            int nx = size[x];
            int ny = size[y];
            size[x] = 0;
            size[y] = nx + ny;
            for (int i = 0; i < n; i++) {
                if (size[i] > 0 && i != y) {
                    int nk = size[i];
                    double updated = ((nx + nk) * cost[index(n, i, x)] + (ny + nk) * cost[index(n, i, y)] - nk * best)
                            / (nx + ny + nk);
                    cost[index(n, i, y)] = updated;
                }
            }
        }
        return relabel(n, left, right, mergeCost);
    }

    private static int index(int n, int i, int j) {
        if (i > j) {
            int t = i;
            i = j;
            j = t;
        }
        return i * n - i * (i + 1) / 2 + (j - i - 1);
    }

    /**
     * Sorts the chain's merges by cost (stable) and names the clusters as SciPy does: merge s joins
     * the clusters named left and right (below n: a point) into cluster n + s.
     */
    private static List<KernelWardModel.Merge> relabel(int n, int[] left, int[] right, double[] cost) {
        // sort key: the cost, raised to the key of the merges that made the two parts, so that a merge
        // always comes after its children even where rounding (or an indefinite K) breaks monotonicity
        double[] key = new double[n - 1];
        int[] lastStep = new int[n];
        java.util.Arrays.fill(lastStep, -1);
        Integer[] order = new Integer[n - 1];
        for (int s = 0; s < n - 1; s++) {
            order[s] = s;
            key[s] = cost[s];
            for (int part : new int[] {left[s], right[s]}) {
                if (lastStep[part] >= 0) {
                    key[s] = Math.max(key[s], key[lastStep[part]]);
                }
            }
            lastStep[left[s]] = s;
            lastStep[right[s]] = s;
        }
        java.util.Arrays.sort(order, (a, b) -> a.equals(b) ? 0 : key[a] != key[b] ? Double.compare(key[a], key[b])
                : Integer.compare(a, b));
        int[] parent = new int[2 * n - 1];
        int[] sizes = new int[2 * n - 1];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
            sizes[i] = i < n ? 1 : 0;
        }
        List<KernelWardModel.Merge> out = new ArrayList<>(n - 1);
        for (int s = 0; s < n - 1; s++) {
            int o = order[s];
            int a = find(parent, left[o]);
            int b = find(parent, right[o]);
            int made = n + s;
            parent[a] = made;
            parent[b] = made;
            sizes[made] = sizes[a] + sizes[b];
            out.add(new KernelWardModel.Merge(Math.min(a, b), Math.max(a, b), cost[o], sizes[made]));
        }
        return out;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}
