package org.kernels4j.cluster;

import java.util.Locale;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.approx.Nystrom;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.UnsupervisedEstimator;
import org.kernels4j.selection.ClusteringMetrics;

/**
 * Kernel k-means (Fouss, Saerens &amp; Shimbo, "Algorithms and Models for Network Data and Link
 * Analysis", Alg. 7.2, batch, then Alg. 7.3, single-node moves; pygkernels' {@code KKMeans} and
 * {@code KKMeans_iterative} run one or the other): a partition of n points into k clusters that
 * minimises the within-cluster sum of squared feature-space distances
 * <pre>
 *   J = Σ_c Σ_{i∈c} ‖φ(x_i) − μ_c‖²,   ‖φ(x_i) − μ_c‖² = (e_i − h_c)ᵀK(e_i − h_c) = K_ii − 2(K·h_c)_i + h_cᵀKh_c
 * </pre>
 * with h_c the indicator of c divided by its size n_c. K may be a data kernel or any positive
 * semi-definite similarity on graph nodes (a graph node kernel); on an indefinite K the
 * "distances" can be negative and J need not have a meaningful minimum.
 *
 * <p>Each of {@code restarts} runs seeds k centres (k-means++ on feature-space squared distances,
 * or uniformly), makes Lloyd batch passes, then exact single-node moves with
 * ΔJ = n_c/(n_c + 1)·d(i, c) − n_l/(n_l − 1)·d(i, l); empty clusters get the point farthest from its
 * centroid (see {@code KMeansRun}). J never increases within a run. The best run is the one of least
 * J, or of largest modularity on a given graph ({@link Builder#selectByModularity}).
 *
 * <p>Cost: the n×n Gram matrix (O(n²d), memory 8n² bytes), then per run an O(n²) set-up of the
 * sums K·h_c (n×k) and h_cᵀKh_c; a Lloyd or move pass is O(n·k) and each moved point updates the
 * sums in O(n).
 *
 * <p>Large n ({@link Builder#nystrom}): with m landmarks the kernel is replaced by its Nyström
 * approximation K̃ = ΦΦᵀ, Φ = K(X, C)·U·Λ^{−1/2} (n×D, D ≤ m, {@link Nystrom}); kernel k-means on
 * K̃ is exactly Euclidean k-means on the rows of Φ, which is what runs: centroids in ℝ^D, passes
 * O(n·k·D), memory O(n·m), no n×n matrix.
 *
 * <p>Estimator contract: {@code builder(kernel).clusters(k).build().fit(x)} → {@link KernelKMeansModel}
 * (labels, inertia, report, {@code predict} of new rows); {@link #fitKernelMatrix} takes K itself
 * (a graph kernel, say), and its model predicts from kernel rows K(x_new, X).
 *
 * <pre>{@code
 * KernelKMeansModel m = KernelKMeans.builder(RbfKernel.withGamma(0.5)).clusters(3).seed(7).build().fit(x);
 * int[] labels = m.labels();
 * }</pre>
 */
public final class KernelKMeans implements UnsupervisedEstimator<KernelKMeansModel> {
    private static final String NAME = "kernel k-means";

    /** How the k starting centres are drawn. */
    public enum Init {
        /**
         * Greedy k-means++ on squared feature-space distances (Arthur &amp; Vassilvitskii, 2007;
         * scikit-learn's default): each centre the best of 2 + ⌊ln k⌋ draws with probability ∝ d².
         * (pygkernels' {@code kmeanspp} takes one draw, ∝ d⁴: it squares the squared distances again.)
         */
        KMEANS_PLUS_PLUS,
        /** k distinct points uniformly at random (pygkernels' {@code init='one'}). */
        RANDOM;

        /** Parses {@code kmeans++} (or {@code k-means++}) and {@code random}. */
        public static Init parse(String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "kmeans++":
                case "k-means++":
                    return KMEANS_PLUS_PLUS;
                case "random":
                    return RANDOM;
                default:
                    throw new Kernels4jException("unknown k-means initialisation '" + s + "'; known: kmeans++, random");
            }
        }
    }

    private final Kernel kernel;
    private final int clusters;
    private final Init init;
    private final int restarts;
    private final int maxIterations;
    private final boolean singleNodeMoves;
    private final long seed;
    private final Matrix adjacency;
    private final int landmarks;

    private KernelKMeans(Builder b) {
        this.kernel = b.kernel;
        this.clusters = b.clusters;
        this.init = b.init;
        this.restarts = b.restarts;
        this.maxIterations = b.maxIterations;
        this.singleNodeMoves = b.singleNodeMoves;
        this.seed = b.seed;
        this.adjacency = b.adjacency;
        this.landmarks = b.landmarks;
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

    /** The options; defaults: k-means++, 10 restarts, 300 passes per phase, single-node moves on, seed 0. */
    public static final class Builder {
        private final Kernel kernel;
        private int clusters;
        private Init init = Init.KMEANS_PLUS_PLUS;
        private int restarts = 10;
        private int maxIterations = 300;
        private boolean singleNodeMoves = true;
        private long seed;
        private Matrix adjacency;
        private int landmarks;

        private Builder(Kernel kernel) {
            this.kernel = kernel;
        }

        /** The number of clusters k ≥ 1 (required; k ≤ n is checked at fit). */
        public Builder clusters(int k) {
            this.clusters = KernelMatrices.checkedClusters(k, NAME);
            return this;
        }

        /** How the centres are seeded (default k-means++). */
        public Builder init(Init value) {
            this.init = java.util.Objects.requireNonNull(value, "init");
            return this;
        }

        /** Independent seeded runs, the best kept (default 10, at least 1). */
        public Builder restarts(int value) {
            if (value < 1) {
                throw new Kernels4jException(NAME + ": restarts must be at least 1, got " + value);
            }
            this.restarts = value;
            return this;
        }

        /** The most Lloyd passes, and the most single-node-move passes, per run (default 300, at least 1). */
        public Builder maxIterations(int value) {
            if (value < 1) {
                throw new Kernels4jException(NAME + ": maxIterations must be at least 1, got " + value);
            }
            this.maxIterations = value;
            return this;
        }

        /** Whether Lloyd passes are followed by exact single-node moves (default true); false: plain Lloyd. */
        public Builder singleNodeMoves(boolean value) {
            this.singleNodeMoves = value;
            return this;
        }

        /** The seed of the centre draws (default 0); same seed, same result. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Keeps the run whose partition has the largest modularity on this graph (n×n symmetric
         * non-negative adjacency over the points being clustered) instead of the least J.
         */
        public Builder selectByModularity(Matrix graphAdjacency) {
            KernelMatrices.requireSymmetric(graphAdjacency, NAME + ": the adjacency matrix for modularity");
            this.adjacency = graphAdjacency.copy();
            return this;
        }

        /**
         * Runs in the m-dimensional Nyström feature space over m uniformly drawn landmarks (seeded by
         * {@link #seed}) instead of on the exact n×n kernel matrix (0, the default: exact). Only for
         * {@link #fit}; needs a kernel.
         */
        public Builder nystrom(int m) {
            if (m < 0) {
                throw new Kernels4jException(NAME + ": the number of Nystrom landmarks must be positive, got " + m);
            }
            this.landmarks = m;
            return this;
        }

        /** Validates the options. */
        public KernelKMeans build() {
            if (clusters == 0) {
                throw new Kernels4jException(NAME + ": set the number of clusters with clusters(k)");
            }
            if (landmarks > 0 && kernel == null) {
                throw new Kernels4jException(NAME + ": the Nystrom variant needs a kernel (builder(kernel))");
            }
            return new KernelKMeans(this);
        }
    }

    /**
     * Clusters the n×d rows of x: on the exact Gram matrix K(x, x), or in the Nyström feature space
     * when {@link Builder#nystrom} was set. The model keeps x (and the Nyström map) to predict.
     */
    @Override
    public KernelKMeansModel fit(Matrix x) {
        if (kernel == null) {
            throw new Kernels4jException(NAME + " was built without a kernel: use fitKernelMatrix(K)");
        }
        if (x.rows() == 0 || x.cols() == 0) {
            throw new Kernels4jException(NAME + " needs at least one point and one feature, got " + x.shape());
        }
        x.requireFinite("the data to cluster");
        KernelMatrices.requireClusters(clusters, x.rows(), NAME);
        if (landmarks > 0) {
            if (landmarks > x.rows()) {
                throw new Kernels4jException(NAME + ": cannot take " + landmarks + " Nystrom landmarks from "
                        + x.rows() + " points");
            }
            Nystrom map = Nystrom.fit(kernel, x, landmarks, Landmarks.Sampler.UNIFORM, 0, seed);
            Matrix phi = map.transform(x);
            Geometry.Features g = new Geometry.Features(phi);
            Best best = runAll(g, x.rows());
            g.reset(best.run.labels.clone(), clusters);
            FitReport extra = FitReport.builder().add("nystrom landmarks", (long) landmarks)
                    .add("nystrom features", (long) phi.cols()).build();
            return KernelKMeansModel.onFeatures(best.run.labels, clusters, best.run.objective, map, g.centroids(),
                    best.report(extra));
        }
        Matrix gram = GramEngine.gram(kernel, x);
        return fitGram(gram, x.copy());
    }

    /**
     * Clusters the n points whose kernel matrix is K (n×n, symmetric, finite; positive semi-definite
     * for J to be a sum of squares). The model predicts from kernel rows
     * ({@link KernelKMeansModel#predictFromKernelRows}). The Nyström option does not apply here.
     */
    public KernelKMeansModel fitKernelMatrix(Matrix gram) {
        int n = KernelMatrices.requireSymmetric(gram, "the kernel matrix");
        KernelMatrices.requireClusters(clusters, n, NAME);
        return fitGram(gram, null);
    }

    private KernelKMeansModel fitGram(Matrix gram, Matrix trainingRows) {
        Geometry.Kernel g = new Geometry.Kernel(gram);
        Best best = runAll(g, gram.rows());
        double[] within = KernelCentroids.within(gram, best.run.labels, clusters);
        return KernelKMeansModel.onKernel(best.run.labels, clusters, best.run.objective,
                new KernelCentroids(best.run.labels, clusters, within), kernel, trainingRows,
                best.report(FitReport.EMPTY));
    }

    private Best runAll(Geometry g, int n) {
        if (adjacency != null && adjacency.rows() != n) {
            throw new Kernels4jException(NAME + ": the adjacency matrix for modularity has " + adjacency.rows()
                    + " nodes but there are " + n + " points");
        }
        Random master = new Random(seed);
        double[] inertias = new double[restarts];
        double[] modularities = adjacency == null ? null : new double[restarts];
        KMeansRun best = null;
        int bestIndex = -1;
        for (int r = 0; r < restarts; r++) {
            KMeansRun run = KMeansRun.run(g, clusters, init, maxIterations, singleNodeMoves,
                    new Random(master.nextLong()));
            inertias[r] = run.objective;
            boolean better;
            if (modularities != null) {
                modularities[r] = ClusteringMetrics.modularity(adjacency, run.labels);
                better = best == null || modularities[r] > modularities[bestIndex]
                        || (modularities[r] == modularities[bestIndex] && run.objective < best.objective);
            } else {
                better = best == null || run.objective < best.objective;
            }
            if (better) {
                best = run;
                bestIndex = r;
            }
        }
        return new Best(best, bestIndex, inertias, modularities);
    }

    private final class Best {
        final KMeansRun run;
        final int index;
        final double[] inertias;
        final double[] modularities;

        Best(KMeansRun run, int index, double[] inertias, double[] modularities) {
            this.run = run;
            this.index = index;
            this.inertias = inertias;
            this.modularities = modularities;
        }

        FitReport report(FitReport extra) {
            FitReport.Builder b = FitReport.builder().add("method", NAME).add("clusters", (long) clusters)
                    .add("init", init == Init.RANDOM ? "random" : "kmeans++").add("restarts", (long) restarts)
                    .add("selected by", modularities == null ? "inertia" : "modularity")
                    .add("best restart", (long) index).add("inertia", run.objective);
            if (modularities != null) {
                b.add("modularity", modularities[index]).add("modularity per restart", modularities);
            }
            return b.add("lloyd passes", (long) run.lloydPasses).add("move passes", (long) run.movePasses)
                    .add("single-node moves", run.moves).add("objective history", run.history)
                    .add("inertia per restart", inertias).addAll(extra).build();
        }
    }

    /** The kernel (null when built with {@link #builder()}). */
    public Kernel kernel() {
        return kernel;
    }

    /** The number of clusters k. */
    public int clusters() {
        return clusters;
    }
}
