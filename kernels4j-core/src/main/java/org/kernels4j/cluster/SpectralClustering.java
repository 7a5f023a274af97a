package org.kernels4j.cluster;

import java.util.Locale;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.UnsupervisedEstimator;

/**
 * Spectral clustering of n points from a non-negative symmetric affinity W (a kernel's Gram matrix
 * with non-negative values, or a graph's weighted adjacency). The diagonal of W is ignored (as
 * Ng–Jordan–Weiss's A_ii = 0, and SciPy's graph Laplacian), the degrees are d_i = Σ_{j≠i} W_ij, and
 * the k-dimensional embedding U (n×k) is, by {@link Laplacian}:
 * <ul>
 *   <li>{@code SYMMETRIC} (Ng, Jordan &amp; Weiss, 2002; the default): the top-k eigenvectors V of
 *       M = D^{−½}WD^{−½} (the bottom k of L_sym = I − M), rows normalised to unit length;</li>
 *   <li>{@code RANDOM_WALK} (Shi &amp; Malik, 2000): U = D^{−½}V, the bottom k eigenvectors of
 *       L_rw = I − D^{−1}W, rows not normalised;</li>
 *   <li>{@code UNNORMALIZED}: the bottom k eigenvectors of L = D − W.</li>
 * </ul>
 * then Euclidean k-means on the rows of U (k-means++, seeded restarts, single-node moves; the run of
 * least inertia is kept). Only k eigenpairs (k + 1 to see the gap) are computed, by LAPACK
 * {@code dsyevr} with an index range: about 4n³/3 flops for the tridiagonal reduction, then O(n·k)
 * per eigenvector; O(n²) memory.
 *
 * <p>A graph with more connected components than k has eigenvalue 1 of M (0 of L) with
 * multiplicity above k: the embedding then cannot separate all components and the split among them
 * is arbitrary; the fit says so in its report ({@code warning}) rather than failing. A point of
 * degree 0 (no affinity to any other point) is refused: D^{−½} does not exist.
 *
 * <p>New points ({@link SpectralClusteringModel#predict}) are embedded by the Nyström out-of-sample
 * extension (Bengio et al., "Out-of-sample extensions for LLE, Isomap, MDS, Eigenmaps, and Spectral
 * Clustering", NIPS 2003) and go to the nearest k-means centroid of the embedding.
 */
public final class SpectralClustering implements UnsupervisedEstimator<SpectralClusteringModel> {
    private static final String NAME = "spectral clustering";
    /** Eigenvalues of M within this of 1 count as 1 (one per connected component). */
    static final double COMPONENT_TOLERANCE = 1e-9;

    /** Which graph Laplacian's eigenvectors embed the points. */
    public enum Laplacian {
        /** Ng–Jordan–Weiss: L_sym = I − D^{−½}WD^{−½}, rows normalised. */
        SYMMETRIC,
        /** Shi–Malik: L_rw = I − D^{−1}W. */
        RANDOM_WALK,
        /** L = D − W. */
        UNNORMALIZED;

        /** Parses {@code symmetric} (or {@code njw}), {@code random-walk} (or {@code rw}), {@code unnormalized}. */
        public static Laplacian parse(String s) {
            switch (s.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "symmetric":
                case "njw":
                    return SYMMETRIC;
                case "random-walk":
                case "rw":
                    return RANDOM_WALK;
                case "unnormalized":
                case "unnormalised":
                    return UNNORMALIZED;
                default:
                    throw new Kernels4jException("unknown Laplacian '" + s
                            + "'; known: symmetric, random-walk, unnormalized");
            }
        }
    }

    private final Kernel kernel;
    private final int clusters;
    private final Laplacian laplacian;
    private final int restarts;
    private final long seed;

    private SpectralClustering(Builder b) {
        this.kernel = b.kernel;
        this.clusters = b.clusters;
        this.laplacian = b.laplacian;
        this.restarts = b.restarts;
        this.seed = b.seed;
    }

    /** Options for clustering rows of data with this kernel as the affinity (its values must be ≥ 0). */
    public static Builder builder(Kernel kernel) {
        if (kernel == null) {
            throw new Kernels4jException(NAME + " needs a kernel (use builder() for a precomputed affinity matrix)");
        }
        return new Builder(kernel);
    }

    /** Options for clustering with a precomputed affinity matrix only ({@link #fitAffinity}). */
    public static Builder builder() {
        return new Builder(null);
    }

    /** The options; defaults: symmetric (NJW) Laplacian, 10 k-means restarts, seed 0. */
    public static final class Builder {
        private final Kernel kernel;
        private int clusters;
        private Laplacian laplacian = Laplacian.SYMMETRIC;
        private int restarts = 10;
        private long seed;

        private Builder(Kernel kernel) {
            this.kernel = kernel;
        }

        /** The number of clusters k ≥ 1 (required; k ≤ n is checked at fit), also the embedding's dimension. */
        public Builder clusters(int k) {
            this.clusters = KernelMatrices.checkedClusters(k, NAME);
            return this;
        }

        /** The Laplacian (default SYMMETRIC). */
        public Builder laplacian(Laplacian value) {
            this.laplacian = java.util.Objects.requireNonNull(value, "laplacian");
            return this;
        }

        /** k-means restarts on the embedding (default 10, at least 1). */
        public Builder restarts(int value) {
            if (value < 1) {
                throw new Kernels4jException(NAME + ": restarts must be at least 1, got " + value);
            }
            this.restarts = value;
            return this;
        }

        /** The seed of the k-means restarts (default 0). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Validates the options. */
        public SpectralClustering build() {
            if (clusters == 0) {
                throw new Kernels4jException(NAME + ": set the number of clusters with clusters(k)");
            }
            return new SpectralClustering(this);
        }
    }

    /** Clusters the n×d rows of x with W = K(x, x); the model keeps x to embed new rows. */
    @Override
    public SpectralClusteringModel fit(Matrix x) {
        if (kernel == null) {
            throw new Kernels4jException(NAME + " was built without a kernel: use fitAffinity(W)");
        }
        if (x.rows() == 0 || x.cols() == 0) {
            throw new Kernels4jException(NAME + " needs at least one point and one feature, got " + x.shape());
        }
        x.requireFinite("the data to cluster");
        KernelMatrices.requireClusters(clusters, x.rows(), NAME);
        return fitChecked(GramEngine.gram(kernel, x), x.copy(), "the kernel matrix");
    }

    /** Clusters the n nodes of the affinity W (n×n, symmetric, finite, non-negative; diagonal ignored). */
    public SpectralClusteringModel fitAffinity(Matrix affinity) {
        int n = KernelMatrices.requireSymmetric(affinity, "the affinity matrix");
        KernelMatrices.requireClusters(clusters, n, NAME);
        return fitChecked(affinity, null, "the affinity matrix");
    }

    private SpectralClusteringModel fitChecked(Matrix affinity, Matrix trainingRows, String what) {
        int n = affinity.rows();
        double[] w = affinity.data();
        double[] degree = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = w[i * n + j];
                if (v < 0) {
                    throw new Kernels4jException(NAME + " needs non-negative affinities; " + what + " has " + v
                            + " at (" + i + ", " + j + ")");
                }
                degree[i] += i == j ? 0 : v;
            }
        }
        for (int i = 0; i < n; i++) {
            if (!(degree[i] > 0)) {
                throw new Kernels4jException(NAME + ": point " + i + " has no affinity to any other point (degree 0); "
                        + "remove it or use a wider kernel");
            }
        }
        // the operator whose extreme eigenvectors embed the points, and which end of its spectrum
        Matrix op = new Matrix(n, n);
        double[] o = op.data();
        boolean top = laplacian != Laplacian.UNNORMALIZED;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = i == j ? 0 : w[i * n + j];
                o[i * n + j] = top ? v / Math.sqrt(degree[i] * degree[j]) : (i == j ? degree[i] : 0) - v;
            }
        }
        int extra = clusters < n ? 1 : 0; // one more eigenvalue shows the gap
        org.kernels4j.linalg.SymmetricEigen eig = top ? org.kernels4j.linalg.SymmetricEigen.range(op, n - clusters + 1 - extra, n)
                : org.kernels4j.linalg.SymmetricEigen.range(op, 1, clusters + extra);
        // order: most significant first (largest of M, smallest of L)
        double[] values = new double[clusters];
        Matrix embedding = new Matrix(n, clusters);
        int kept = clusters + extra;
        for (int a = 0; a < clusters; a++) {
            int col = top ? kept - 1 - a : a;
            values[a] = eig.value(col);
            for (int i = 0; i < n; i++) {
                double v = eig.vectors().get(i, col);
                embedding.set(i, a, laplacian == Laplacian.RANDOM_WALK ? v / Math.sqrt(degree[i]) : v);
            }
        }
        double next = extra == 0 ? Double.NaN : eig.value(top ? 0 : clusters);
        double maxDegree = java.util.Arrays.stream(degree).max().getAsDouble();
        boolean tooManyComponents = extra == 1 && (top ? next > 1 - COMPONENT_TOLERANCE
                : next < COMPONENT_TOLERANCE * maxDegree);
        Matrix points = laplacian == Laplacian.SYMMETRIC ? normalizedRows(embedding) : embedding;
        Geometry.Features g = new Geometry.Features(points);
        Random master = new Random(seed);
        KMeansRun best = null;
        for (int r = 0; r < restarts; r++) {
            KMeansRun run = KMeansRun.run(g, clusters, KernelKMeans.Init.KMEANS_PLUS_PLUS, 300, true,
                    new Random(master.nextLong()));
            if (best == null || run.objective < best.objective) {
                best = run;
            }
        }
        g.reset(best.labels.clone(), clusters);
        FitReport.Builder report = FitReport.builder().add("method", NAME).add("clusters", (long) clusters)
                .add("laplacian", laplacian.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .add("eigenvalues", values).add("next eigenvalue", next).add("embedding inertia", best.objective)
                .add("restarts", (long) restarts);
        if (tooManyComponents) {
            report.add("warning", "the graph has more than " + clusters + " connected components (eigenvalue "
                    + (top ? "1" : "0") + " has multiplicity above k): whole components may share a cluster");
        }
        return new SpectralClusteringModel(best.labels, clusters, laplacian, values, embedding, degree, g.centroids(),
                kernel, trainingRows, report.build());
    }

    static Matrix normalizedRows(Matrix u) {
        Matrix out = u.copy();
        for (int i = 0; i < u.rows(); i++) {
            double s = 0;
            for (int a = 0; a < u.cols(); a++) {
                s += u.get(i, a) * u.get(i, a);
            }
            double inv = s > 0 ? 1 / Math.sqrt(s) : 0;
            for (int a = 0; a < u.cols(); a++) {
                out.set(i, a, u.get(i, a) * inv);
            }
        }
        return out;
    }
}
