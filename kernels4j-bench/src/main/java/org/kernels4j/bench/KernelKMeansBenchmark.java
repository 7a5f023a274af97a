package org.kernels4j.bench;

import java.util.Random;
import org.kernels4j.cluster.KernelKMeans;
import org.kernels4j.cluster.KernelKMeansModel;
import org.kernels4j.cluster.KernelWard;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.selection.ClusteringMetrics;

/**
 * {@code bench kkmeans}: kernel k-means at a size where the exact n×n kernel matrix does not fit
 * (n = 20,000: 3.2 GB), with the Nyström variant, and on a subsample where it does, exact and Nyström
 * side by side. Data ({@link #plantedClusters}): k Gaussian clusters in d dimensions, centres drawn from
 * N(0, s²·I) and points from N(centre, I), labels planted; kernel rbf with γ = 1/(2d) (the median
 * heuristic's order for unit-variance clusters). Times are wall-clock seconds of the whole fit (Gram
 * matrix or Nyström map included), one run each, all in one JVM run. Kernel Ward on the subsample is
 * listed beside them (same kernel, tree cut at k).
 */
public final class KernelKMeansBenchmark {
    /**
     * What to run.
     *
     * @param n points of the large run (e.g. 20,000)
     * @param d features (e.g. 10)
     * @param k clusters
     * @param centreScale s, the standard deviation of the centres (overlap grows as it shrinks)
     * @param landmarks Nyström landmarks m
     * @param subsample points of the exact-vs-Nyström comparison (e.g. 3,000), drawn from the n
     * @param restarts k-means restarts of every fit
     * @param seed data, landmarks and restarts
     */
    public record Options(int n, int d, int k, double centreScale, int landmarks, int subsample, int restarts,
            long seed) {
    }

    /**
     * The run.
     *
     * @param nystromSeconds the Nyström fit on all n points, s
     * @param nystromAri its ARI against the planted labels
     * @param exactSubSeconds the exact fit on the subsample, s
     * @param nystromSubSeconds the Nyström fit on the subsample, s
     * @param exactSubAri exact on the subsample against the planted labels
     * @param nystromSubAri Nyström on the subsample against the planted labels
     * @param exactVsNystromAri exact against Nyström, both on the subsample
     * @param exactVsLargeAri exact on the subsample against the large Nyström fit's labels of those points
     * @param exactInertia J of the exact fit (exact kernel)
     * @param nystromSubInertia J of the Nyström fit on the subsample (in its feature space)
     * @param wardSubSeconds kernel Ward (exact kernel, cut at k) on the subsample, s
     * @param wardSubAri its ARI against the planted labels
     * @param wardVsExactAri Ward against exact kernel k-means, both on the subsample
     */
    public record Result(double nystromSeconds, double nystromAri, double exactSubSeconds, double nystromSubSeconds,
            double exactSubAri, double nystromSubAri, double exactVsNystromAri, double exactVsLargeAri,
            double exactInertia, double nystromSubInertia, double wardSubSeconds, double wardSubAri,
            double wardVsExactAri) {
    }

    private KernelKMeansBenchmark() {
    }

    /** n points of k planted Gaussian clusters (see the class notes); labels in {@code labels}. */
    public static Matrix plantedClusters(int n, int d, int k, double centreScale, long seed, int[] labels) {
        Random r = new Random(seed);
        double[][] centres = new double[k][d];
        for (double[] c : centres) {
            for (int a = 0; a < d; a++) {
                c[a] = centreScale * r.nextGaussian();
            }
        }
        Matrix x = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(k);
            for (int a = 0; a < d; a++) {
                x.set(i, a, centres[labels[i]][a] + r.nextGaussian());
            }
        }
        return x;
    }

    /** Runs the three fits. */
    public static Result run(Options o) {
        int[] planted = new int[o.n()];
        Matrix x = plantedClusters(o.n(), o.d(), o.k(), o.centreScale(), o.seed(), planted);
        Kernel kernel = RbfKernel.withGamma(1.0 / (2 * o.d()));
        KernelKMeans nystrom = KernelKMeans.builder(kernel).clusters(o.k()).restarts(o.restarts())
                .nystrom(o.landmarks()).seed(o.seed()).build();
        KernelKMeans exact = KernelKMeans.builder(kernel).clusters(o.k()).restarts(o.restarts()).seed(o.seed()).build();
        // warm-up (JIT) on a small slice, untimed
        nystrom.fit(x.rowRange(0, Math.min(o.n(), 2 * o.landmarks())));
        long t0 = System.nanoTime();
        KernelKMeansModel large = nystrom.fit(x);
        double largeSeconds = (System.nanoTime() - t0) / 1e9;
        int[] sub = new int[o.subsample()];
        int[] perm = org.kernels4j.approx.Landmarks.permutation(o.n(), new Random(o.seed() + 1));
        System.arraycopy(perm, 0, sub, 0, sub.length);
        Matrix xs = x.selectRows(sub);
        int[] plantedSub = new int[sub.length];
        int[] largeSub = new int[sub.length];
        int[] largeLabels = large.labels();
        for (int i = 0; i < sub.length; i++) {
            plantedSub[i] = planted[sub[i]];
            largeSub[i] = largeLabels[sub[i]];
        }
        t0 = System.nanoTime();
        KernelKMeansModel e = exact.fit(xs);
        double exactSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        KernelKMeansModel ns = nystrom.fit(xs);
        double nystromSubSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        int[] ward = KernelWard.builder(kernel).clusters(o.k()).build().fit(xs).labels();
        double wardSeconds = (System.nanoTime() - t0) / 1e9;
        return new Result(largeSeconds, ClusteringMetrics.adjustedRandIndex(planted, largeLabels), exactSeconds,
                nystromSubSeconds, ClusteringMetrics.adjustedRandIndex(plantedSub, e.labels()),
                ClusteringMetrics.adjustedRandIndex(plantedSub, ns.labels()),
                ClusteringMetrics.adjustedRandIndex(e.labels(), ns.labels()),
                ClusteringMetrics.adjustedRandIndex(e.labels(), largeSub), e.inertia(), ns.inertia(), wardSeconds,
                ClusteringMetrics.adjustedRandIndex(plantedSub, ward),
                ClusteringMetrics.adjustedRandIndex(e.labels(), ward));
    }
}
