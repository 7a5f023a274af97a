package org.kernels4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.approx.RandomFourierFeatures;
import org.kernels4j.density.KernelDensity;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.privacy.PrivateKernelSum;

/**
 * Kernel sums and kernel density estimates of a (small, driver-side) query set against a distributed data
 * set, and the ε-differentially private kernel-sum release computed on the executors. Each call is one pass
 * over the data; the queries are broadcast.
 * <ul>
 *   <li>{@link #sums}: s(q) = Σ_x k(x, q), each partition's K(Q, X_p)·1 by the Gram engine
 *       ({@link GramEngine#crossTimes}), added by {@code treeAggregate}. O(n·q·d) flops in all.</li>
 *   <li>{@link #logDensity}: log f(q) of {@link KernelDensity} at scalar bandwidth h over all rows: each
 *       partition fits the single-machine estimator on its rows and returns log(n_p·f_p(q)); the driver adds
 *       them as a log-sum-exp and subtracts log n, so no term underflows.</li>
 *   <li>{@link #privateRelease}: {@link PrivateKernelSum}'s mechanism with the exact integer grid sums of each
 *       partition ({@link PrivateKernelSum#gridSums}) shuffled to one task, which adds them, draws the noise
 *       ({@link PrivateKernelSum#releaseFromGridSums}, secure generator) and returns only the noisy mean: the
 *       un-noised sums never reach the driver. n is counted first (public under replace-one neighbours).</li>
 * </ul>
 */
public final class KernelSums {
    private KernelSums() {
    }

    private static void requireQueries(Matrix queries) {
        if (queries.rows() == 0) {
            throw new IllegalArgumentException("there are no queries");
        }
        if (!Arrays.stream(queries.data()).allMatch(Double::isFinite)) {
            throw new IllegalArgumentException("the queries have a NaN or infinite value");
        }
    }

    /**
     * Σ_x k(x, q) for each row q of {@code queries} (q×d) over every row x of the data set.
     *
     * @throws IllegalArgumentException for a missing or non-vector column, non-finite data or queries, or a
     *     size mismatch
     */
    public static double[] sums(Dataset<?> data, String featuresCol, String kernelSpec, Matrix queries) {
        SparkSupport.requireVector(data.schema(), featuresCol, "features");
        SparkSupport.kernel(kernelSpec);
        requireQueries(queries);
        int q = queries.rows();
        int d = queries.cols();
        JavaRDD<SparkSupport.Block> blocks = SparkSupport.cachedBlocks(data, featuresCol, null);
        Broadcast<double[]> bq = DistributedLandmarks.broadcast(blocks, queries.data());
        try {
            return SparkSupport.action(() -> blocks.treeAggregate(new double[q], (acc, b) -> {
                if (b.rows == 0) {
                    return acc;
                }
                requireSize(b, d);
                double[] ones = new double[b.rows];
                Arrays.fill(ones, 1);
                Matrix part = SparkSupport.withTaskThreads(() -> GramEngine.crossTimes(SparkSupport.kernel(kernelSpec),
                        Matrix.wrap(q, d, bq.value()), b.features(), Matrix.wrap(b.rows, 1, ones),
                        ProgressListener.NONE));
                return SparkSupport.addInto(acc, part.data());
            }, SparkSupport::addInto, 2));
        } finally {
            bq.destroy();
            blocks.unpersist(false);
        }
    }

    private static void requireSize(SparkSupport.Block b, int d) {
        if (b.cols != d) {
            throw new IllegalArgumentException("the data has vectors of size " + b.cols + " but the queries have " + d
                    + " columns");
        }
    }

    /**
     * log f(q) of the kernel density estimate over every row of the data set with the given radial profile
     * (gaussian, tophat, epanechnikov, exponential, linear, cosine) and scalar bandwidth h (H = h²I): equal to
     * {@code KernelDensity.fit(profile, X, null, KernelDensity.scalar(h, d)).logDensity(queries)} on the
     * collected data, to rounding.
     */
    public static double[] logDensity(Dataset<?> data, String featuresCol, String profile, double bandwidth,
            Matrix queries) {
        SparkSupport.requireVector(data.schema(), featuresCol, "features");
        KernelDensity.Profile prof;
        try {
            prof = KernelDensity.Profile.parse(profile);
        } catch (Kernels4jException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!(bandwidth > 0) || Double.isInfinite(bandwidth)) {
            throw new IllegalArgumentException("the bandwidth must be positive and finite, got " + bandwidth);
        }
        requireQueries(queries);
        int q = queries.rows();
        int d = queries.cols();
        JavaRDD<SparkSupport.Block> blocks = SparkSupport.cachedBlocks(data, featuresCol, null);
        Broadcast<double[]> bq = DistributedLandmarks.broadcast(blocks, queries.data());
        double[] start = new double[q + 1]; // log-sum-exp accumulators, and the row count in the last slot
        Arrays.fill(start, 0, q, Double.NEGATIVE_INFINITY);
        try {
            double[] total = SparkSupport.action(() -> blocks.treeAggregate(start, (acc, b) -> {
                if (b.rows == 0) {
                    return acc;
                }
                requireSize(b, d);
                double[] lf = SparkSupport.withTaskThreads(() -> KernelDensity.fit(prof, b.features(), null,
                        KernelDensity.scalar(bandwidth, d)).logDensity(Matrix.wrap(q, d, bq.value())));
                double logRows = Math.log(b.rows);
                double[] part = new double[q + 1];
                for (int j = 0; j < q; j++) {
                    part[j] = lf[j] + logRows;
                }
                part[q] = b.rows;
                return logAdd(acc, part);
            }, KernelSums::logAdd, 2));
            long n = (long) total[q];
            if (n == 0) {
                throw new IllegalArgumentException("the data set has no rows");
            }
            double[] out = Arrays.copyOf(total, q);
            for (int j = 0; j < q; j++) {
                out[j] -= Math.log(n);
            }
            return out;
        } finally {
            bq.destroy();
            blocks.unpersist(false);
        }
    }

    /** a ← log(e^a + e^b) element-wise (the last slot, a count, is added). */
    static double[] logAdd(double[] a, double[] b) {
        int q = a.length - 1;
        for (int j = 0; j < q; j++) {
            double hi = Math.max(a[j], b[j]);
            if (hi != Double.NEGATIVE_INFINITY) {
                a[j] = hi + Math.log1p(Math.exp(Math.min(a[j], b[j]) - hi));
            }
        }
        a[q] += b[q];
        return a;
    }

    /** What the releasing task returns: the noisy mean and the two numbers that size its noise. */
    private static final class Release implements Serializable {
        private static final long serialVersionUID = 1L;
        final double[] noisyMean;
        final double sensitivity;
        final double granularity;

        Release(PrivateKernelSum r) {
            this.noisyMean = r.noisyMean();
            this.sensitivity = r.sensitivity();
            this.granularity = r.granularity();
        }
    }

    /**
     * The ε-DP kernel-sum structure of the data set's rows (see the class comment): D random Fourier features
     * (even, ≥ 2) with frequencies from {@code frequencySeed}, noise from a secure generator on an executor.
     * Answer any number of queries with {@code release.means(...)} or {@code sums(...)}.
     */
    public static PrivateKernelSum privateRelease(Dataset<?> data, String featuresCol, String kernelSpec,
            int features, double epsilon, long frequencySeed) {
        SparkSupport.requireVector(data.schema(), featuresCol, "features");
        Kernel k = SparkSupport.kernel(kernelSpec);
        if (features < 2 || features % 2 != 0) {
            throw new IllegalArgumentException("the number of random features must be even and >= 2, got " + features);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a positive finite number, got " + epsilon);
        }
        JavaRDD<SparkSupport.Block> blocks = SparkSupport.cachedBlocks(data, featuresCol, null);
        try {
            long[] off = DistributedLandmarks.offsets(blocks);
            long n = off[off.length - 1];
            if (n == 0) {
                throw new IllegalArgumentException("the data set has no rows");
            }
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a private release is for at most 2^31 - 1 rows, got " + n);
            }
            int d = SparkSupport.action(() -> blocks.filter(b -> b.rows > 0).first().cols);
            List<Release> out = SparkSupport.action(() -> blocks.map(b -> {
                if (b.rows == 0) {
                    return new long[features];
                }
                requireSize(b, d);
                return SparkSupport.withTaskThreads(() -> PrivateKernelSum.gridSums(SparkSupport.kernel(kernelSpec),
                        b.features(), features, frequencySeed, n));
            }).repartition(1).mapPartitions((Iterator<long[]> it) -> {
                long[] total = new long[features];
                while (it.hasNext()) {
                    long[] s = it.next();
                    for (int j = 0; j < features; j++) {
                        total[j] = Math.addExact(total[j], s[j]);
                    }
                }
                return List.of(new Release(PrivateKernelSum.releaseFromGridSums(SparkSupport.kernel(kernelSpec), d,
                        total, (int) n, features, epsilon, frequencySeed))).iterator();
            }).collect());
            Release r = out.get(0);
            Matrix w = RandomFourierFeatures.of(k, features, d, RandomFourierFeatures.Sampling.IID, frequencySeed)
                    .frequencies();
            return PrivateKernelSum.of(kernelSpec, w, r.noisyMean, (int) n, epsilon, r.sensitivity, r.granularity,
                    PrivateKernelSum.MECHANISM);
        } finally {
            blocks.unpersist(false);
        }
    }
}
