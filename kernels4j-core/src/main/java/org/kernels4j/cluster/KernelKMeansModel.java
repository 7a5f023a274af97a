package org.kernels4j.cluster;

import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Nystrom;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;

/**
 * A kernel k-means partition ({@link KernelKMeans}): the training labels, the inertia J, and the rule
 * for new points, the nearest centroid in feature space. Fitted on data with the exact kernel it
 * keeps the training rows X (predict: the kernel rows K(x_new, X), then {@link #predictFromKernelRows});
 * fitted on a kernel matrix it predicts from kernel rows only; fitted in a Nyström feature space it
 * keeps the map and the k centroids (predict: φ(x_new), then the nearest centroid, O(m·(n_L·d + n_L·D + k·D))
 * for m rows and n_L landmarks). Immutable.
 */
public final class KernelKMeansModel implements ClusterModel {
    private final int[] labels;
    private final int clusters;
    private final double inertia;
    private final KernelCentroids kernelCentroids; // exact-kernel fits
    private final Kernel kernel;
    private final Matrix trainingRows; // data fits with the exact kernel
    private final Nystrom map; // Nyström fits
    private final Matrix featureCentroids; // k×D, Nyström fits
    private final FitReport report;

    private KernelKMeansModel(int[] labels, int clusters, double inertia, KernelCentroids kernelCentroids,
            Kernel kernel, Matrix trainingRows, Nystrom map, Matrix featureCentroids, FitReport report) {
        this.labels = labels.clone();
        this.clusters = clusters;
        this.inertia = inertia;
        this.kernelCentroids = kernelCentroids;
        this.kernel = kernel;
        this.trainingRows = trainingRows;
        this.map = map;
        this.featureCentroids = featureCentroids;
        this.report = report;
    }

    static KernelKMeansModel onKernel(int[] labels, int k, double inertia, KernelCentroids centroids, Kernel kernel,
            Matrix trainingRows, FitReport report) {
        return new KernelKMeansModel(labels, k, inertia, centroids, kernel, trainingRows, null, null, report);
    }

    static KernelKMeansModel onFeatures(int[] labels, int k, double inertia, Nystrom map, Matrix centroids,
            FitReport report) {
        return new KernelKMeansModel(labels, k, inertia, null, map.kernel(), null, map, centroids, report);
    }

    /** A model read back from a file ({@link KernelKMeansCodec}). */
    static KernelKMeansModel decoded(int[] labels, int k, double inertia, double[] within, Kernel kernel,
            Matrix trainingRows, Nystrom map, Matrix featureCentroids, FitReport report) {
        return new KernelKMeansModel(labels, k, inertia, within == null ? null : new KernelCentroids(labels, k, within),
                kernel, trainingRows, map, featureCentroids, report);
    }

    /** T_c per cluster (exact-kernel fits; null for Nyström), for model files. */
    double[] within() {
        return kernelCentroids == null ? null : kernelCentroids.within();
    }

    /** The kernel (null for a fit on a kernel matrix). */
    Kernel kernel() {
        return kernel;
    }

    /** X (n×d), null unless fitted on data with the exact kernel. */
    Matrix trainingRows() {
        return trainingRows;
    }

    /** The Nyström map, or null. */
    Nystrom map() {
        return map;
    }

    /** The k×D centroids in the Nyström feature space, or null. */
    Matrix featureCentroids() {
        return featureCentroids;
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public int clusters() {
        return clusters;
    }

    /** J = Σ_i ‖φ(x_i) − μ_{c_i}‖², in the Nyström feature space for a Nyström fit. */
    public double inertia() {
        return inertia;
    }

    /** Whether the fit ran in a Nyström feature space. */
    public boolean isNystrom() {
        return map != null;
    }

    /** The clusters of new rows x (m×d): m×1, values 0..k−1 (needs a model fitted on data). */
    @Override
    public Matrix predict(Matrix x) {
        if (trainingRows == null && map == null) {
            throw new Kernels4jException("this kernel k-means model was fitted on a kernel matrix: predict from "
                    + "kernel rows with predictFromKernelRows(K(x_new, X))");
        }
        int d = features();
        if (x.cols() != d) {
            throw new Kernels4jException("kernel k-means model expects " + d + " columns, got " + x.cols());
        }
        x.requireFinite("the data to assign");
        if (map != null) {
            return KernelMatrices.column(nearestCentroid(map.transform(x)));
        }
        return KernelMatrices.column(kernelCentroids.assign(GramEngine.cross(kernel, x, trainingRows)));
    }

    /**
     * The clusters of m new points given their kernel values against the n training points (m×n,
     * row r = k(x_r, x_j) for j = 0..n−1): the nearest centroid in feature space (see the class
     * notes). Exact-kernel fits only.
     */
    public int[] predictFromKernelRows(Matrix cross) {
        if (kernelCentroids == null) {
            throw new Kernels4jException(
                    "this kernel k-means model was fitted in a Nystrom feature space: use predict(x)");
        }
        return kernelCentroids.assign(cross);
    }

    private int[] nearestCentroid(Matrix phi) {
        int dim = featureCentroids.cols();
        int[] out = new int[phi.rows()];
        for (int r = 0; r < out.length; r++) {
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < clusters; c++) {
                double s = 0;
                for (int a = 0; a < dim; a++) {
                    double t = phi.get(r, a) - featureCentroids.get(c, a);
                    s += t * t;
                }
                if (s < bestD) {
                    bestD = s;
                    best = c;
                }
            }
            out[r] = best;
        }
        return out;
    }

    /** The number of input columns predict expects (0 for a model fitted on a kernel matrix). */
    @Override
    public int features() {
        return map != null ? map.inputDimension() : trainingRows == null ? 0 : trainingRows.cols();
    }

    @Override
    public FitReport report() {
        return report;
    }
}
