package org.kernels4j.cluster;

import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;

/**
 * A spectral clustering ({@link SpectralClustering}): the labels, the k eigenvalues (largest of
 * D^{−½}WD^{−½} first for the normalised Laplacians, smallest of D − W first for the unnormalised),
 * the n×k spectral embedding (before row normalisation), and the k-means centroids in it.
 *
 * <p>New points: with affinities w_j = W(x, x_j) to the training points and d_x = Σ_j w_j, the
 * Nyström extension of each eigenvector (Bengio et al., 2003) is
 * v_a(x) = Σ_j w_j·V_ja/√(d_x·d_j) / λ_a (symmetric), u_a(x) = Σ_j w_j·U_ja / (d_x·λ_a) (random walk),
 * u_a(x) = Σ_j w_j·U_ja / (d_x − λ_a) (unnormalised); the symmetric embedding's row is then
 * normalised, and the point goes to the nearest centroid. For a training point this differs from
 * its fitted embedding only by its self-affinity (the fit ignores W_ii). O(m·n·k) for m points.
 */
public final class SpectralClusteringModel implements ClusterModel {
    private final int[] labels;
    private final int clusters;
    private final SpectralClustering.Laplacian laplacian;
    private final double[] eigenvalues;
    private final Matrix embedding;
    private final double[] degree;
    private final Matrix centroids;
    private final Kernel kernel;
    private final Matrix trainingRows;
    private final FitReport report;

    SpectralClusteringModel(int[] labels, int clusters, SpectralClustering.Laplacian laplacian, double[] eigenvalues,
            Matrix embedding, double[] degree, Matrix centroids, Kernel kernel, Matrix trainingRows, FitReport report) {
        this.labels = labels.clone();
        this.clusters = clusters;
        this.laplacian = laplacian;
        this.eigenvalues = eigenvalues.clone();
        this.embedding = embedding;
        this.degree = degree;
        this.centroids = centroids;
        this.kernel = kernel;
        this.trainingRows = trainingRows;
        this.report = report;
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public int clusters() {
        return clusters;
    }

    /** The k eigenvalues behind the embedding, most significant first (a copy). */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** The n×k embedding: eigenvectors as columns, D^{−½}-scaled for random walk, rows not normalised (a copy). */
    public Matrix embedding() {
        return embedding.copy();
    }

    /** The clusters of new rows x (needs a model fitted on data): see the class notes. */
    @Override
    public Matrix predict(Matrix x) {
        if (trainingRows == null) {
            throw new Kernels4jException("this spectral clustering was fitted on an affinity matrix: predict from "
                    + "affinity rows with predictFromAffinityRows(W(x_new, X))");
        }
        if (x.cols() != trainingRows.cols()) {
            throw new Kernels4jException("spectral clustering model expects " + trainingRows.cols() + " columns, got "
                    + x.cols());
        }
        x.requireFinite("the data to assign");
        return KernelMatrices.column(predictFromAffinityRows(GramEngine.cross(kernel, x, trainingRows)));
    }

    /** The clusters of m new points given their non-negative affinities to the n training points (m×n). */
    public int[] predictFromAffinityRows(Matrix cross) {
        int n = labels.length;
        if (cross.cols() != n) {
            throw new Kernels4jException("affinity rows must have one column per training point (" + n + "), got "
                    + cross.shape());
        }
        cross.requireFinite("affinity rows");
        int m = cross.rows();
        Matrix points = new Matrix(m, clusters);
        for (int r = 0; r < m; r++) {
            double dx = 0;
            for (int j = 0; j < n; j++) {
                double w = cross.get(r, j);
                if (w < 0) {
                    throw new Kernels4jException("spectral clustering needs non-negative affinities; row " + r
                            + " has " + w + " at column " + j);
                }
                dx += w;
            }
            for (int a = 0; a < clusters; a++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    double w = cross.get(r, j);
                    s += laplacian == SpectralClustering.Laplacian.SYMMETRIC ? w * embedding.get(j, a)
                            / Math.sqrt(degree[j]) : w * embedding.get(j, a);
                }
                double lambda = eigenvalues[a];
                double scale;
                switch (laplacian) {
                    case SYMMETRIC:
                        scale = Math.sqrt(dx) * lambda;
                        break;
                    case RANDOM_WALK:
                        scale = dx * lambda;
                        break;
                    default:
                        scale = dx - lambda;
                }
                points.set(r, a, scale == 0 ? 0 : s / scale);
            }
        }
        if (laplacian == SpectralClustering.Laplacian.SYMMETRIC) {
            points = SpectralClustering.normalizedRows(points);
        }
        int[] out = new int[m];
        for (int r = 0; r < m; r++) {
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < clusters; c++) {
                double s = 0;
                for (int a = 0; a < clusters; a++) {
                    double t = points.get(r, a) - centroids.get(c, a);
                    s += t * t;
                }
                if (s < bestD) {
                    bestD = s;
                    out[r] = c;
                }
            }
        }
        return out;
    }

    /** The number of input columns predict expects (0 for a model fitted on an affinity matrix). */
    @Override
    public int features() {
        return trainingRows == null ? 0 : trainingRows.cols();
    }

    @Override
    public FitReport report() {
        return report;
    }
}
