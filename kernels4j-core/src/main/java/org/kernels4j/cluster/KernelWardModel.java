package org.kernels4j.cluster;

import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;

/**
 * A kernel Ward hierarchy ({@link KernelWard}): the n − 1 merges with their costs (a dendrogram, in
 * SciPy's linkage numbering), the labels of its cut at m clusters, and J at that cut. New points go
 * to the nearest centroid in feature space of the m clusters, as for {@link KernelKMeansModel}
 * (from their kernel rows against the training points). A cut of the hierarchy is not a Voronoi partition of its
 * centroids, so a training point may be assigned to another cluster than its label (greedy merges made before the
 * centroids moved; 1 of the 150 iris rows at m = 3, standardized, rbf): {@link #labels()} are the fit's clusters,
 * {@link #predict} the rule for new points. Immutable.
 */
public final class KernelWardModel implements ClusterModel {

    /**
     * Merge s of the tree: clusters {@code left} and {@code right} (ids below n are points, id n + t the
     * cluster made by merge t) become cluster n + s of {@code size} points, raising J by {@code cost}.
     */
    public record Merge(int left, int right, double cost, int size) {
    }

    private final List<Merge> merges;
    private final int n;
    private final int clusters;
    private final int[] labels;
    private final double objective;
    private final KernelCentroids centroids;
    private final Kernel kernel;
    private final Matrix trainingRows;
    private final FitReport report;

    KernelWardModel(List<Merge> merges, int n, int clusters, int[] labels, double objective, KernelCentroids centroids,
            Kernel kernel, Matrix trainingRows, FitReport report) {
        this.merges = List.copyOf(merges);
        this.n = n;
        this.clusters = clusters;
        this.labels = labels;
        this.objective = objective;
        this.centroids = centroids;
        this.kernel = kernel;
        this.trainingRows = trainingRows;
        this.report = report;
    }

    /** T_c per cluster of the cut, for model files. */
    double[] within() {
        return centroids.within();
    }

    /** The kernel (null for a fit on a kernel matrix). */
    Kernel kernel() {
        return kernel;
    }

    /** X (n×d), or null for a fit on a kernel matrix. */
    Matrix trainingRows() {
        return trainingRows;
    }

    /** The n − 1 merges, cheapest first (unmodifiable). */
    public List<Merge> merges() {
        return merges;
    }

    /**
     * The labels (0..m−1, numbered by first appearance in point order) of the tree cut at m clusters:
     * the partition after the n − m cheapest merges. O(n).
     */
    public int[] cut(int m) {
        if (m < 1 || m > n) {
            throw new Kernels4jException("kernel Ward: cannot cut a tree of " + n + " points into " + m + " clusters");
        }
        return cut(merges, n, m);
    }

    static int[] cut(List<Merge> merges, int n, int m) {
        int[] owner = new int[2 * n - 1]; // cluster id → the id it was merged into (itself while on top)
        for (int i = 0; i < owner.length; i++) {
            owner[i] = i;
        }
        for (int s = 0; s < n - m; s++) {
            Merge g = merges.get(s);
            owner[g.left()] = n + s;
            owner[g.right()] = n + s;
        }
        int[] name = new int[2 * n - 1];
        java.util.Arrays.fill(name, -1);
        int next = 0;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int r = i;
            while (owner[r] != r) {
                r = owner[r];
            }
            if (name[r] < 0) {
                name[r] = next++;
            }
            out[i] = name[r];
        }
        return out;
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public int clusters() {
        return clusters;
    }

    /** J at the model's cut: the sum of the costs of its n − m merges. */
    public double objective() {
        return objective;
    }

    /** The clusters of new rows x (m×d), nearest feature-space centroid (needs a model fitted on data). */
    @Override
    public Matrix predict(Matrix x) {
        if (trainingRows == null) {
            throw new Kernels4jException("this kernel Ward model was fitted on a kernel matrix: predict from "
                    + "kernel rows with predictFromKernelRows(K(x_new, X))");
        }
        if (x.cols() != trainingRows.cols()) {
            throw new Kernels4jException("kernel Ward model expects " + trainingRows.cols() + " columns, got "
                    + x.cols());
        }
        x.requireFinite("the data to assign");
        return KernelMatrices.column(centroids.assign(GramEngine.cross(kernel, x, trainingRows)));
    }

    /** The clusters of points with kernel rows {@code cross} (m×n) against the training points: nearest centroid. */
    public int[] predictFromKernelRows(Matrix cross) {
        return centroids.assign(cross);
    }

    /** The number of input columns predict expects (0 for a model fitted on a kernel matrix). */
    @Override
    public int features() {
        return trainingRows == null ? 0 : trainingRows.cols();
    }

    @Override
    public FitReport report() {
        return report;
    }
}
