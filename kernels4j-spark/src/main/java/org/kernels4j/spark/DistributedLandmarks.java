package org.kernels4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import scala.Tuple2;

/**
 * Landmark (Nyström centre) rows chosen on the cluster from cached partition blocks. Rows are numbered in
 * partition order, then row order within a partition, as a single machine numbers the collected data.
 * <ul>
 *   <li>uniform: the rows {@link Landmarks#uniform}(n, m, seed) picks, so the same data in the same order
 *       gives the same landmarks as one machine whatever the partitioning (the driver holds n ints, 4n
 *       bytes, while drawing them);</li>
 *   <li>leverage: approximate ridge leverage scores ℓ̃_i(λ) of every row against a uniform pilot of
 *       s = min(n, max(m, 500), 2000) rows ({@link Landmarks#leverageScoresAgainst}, the scores of
 *       {@link Landmarks#approximateLeverageScores}), computed on the executors; then m rows without
 *       replacement with probability ∝ ℓ̃ by Efraimidis–Spirakis keys log(u_i)/ℓ̃_i, u_i drawn from a generator
 *       seeded by (seed, i), the m largest kept by {@code takeOrdered}. Cost per row O(s·d + s²).</li>
 * </ul>
 */
final class DistributedLandmarks {
    private DistributedLandmarks() {
    }

    /** Row counts of the blocks, in partition order. */
    static long[] offsets(JavaRDD<SparkSupport.Block> blocks) {
        List<Integer> counts = SparkSupport.action(() -> blocks.map(b -> b.rows).collect());
        long[] off = new long[counts.size() + 1];
        for (int p = 0; p < counts.size(); p++) {
            off[p + 1] = off[p] + counts.get(p);
        }
        return off;
    }

    /** The rows with the given sorted global indices, as an m×d matrix in index order. */
    static Matrix rows(JavaRDD<SparkSupport.Block> blocks, long[] offsets, long[] sorted) {
        Broadcast<long[]> idx = broadcast(blocks, sorted);
        List<Tuple2<Long, double[]>> picked = SparkSupport.action(() -> blocks.mapPartitionsWithIndex(
                (Integer p, Iterator<SparkSupport.Block> it) -> {
                    List<Tuple2<Long, double[]>> out = new ArrayList<>();
                    long[] want = idx.value();
                    while (it.hasNext()) {
                        SparkSupport.Block b = it.next();
                        long from = offsets[p];
                        int k = Arrays.binarySearch(want, from);
                        k = k < 0 ? -k - 1 : k;
                        for (; k < want.length && want[k] < from + b.rows; k++) {
                            int r = (int) (want[k] - from);
                            out.add(new Tuple2<>(want[k], Arrays.copyOfRange(b.x, r * b.cols, (r + 1) * b.cols)));
                        }
                    }
                    return out.iterator();
                }, true).collect());
        idx.destroy();
        List<Tuple2<Long, double[]>> ordered = new ArrayList<>(picked);
        ordered.sort((a, b) -> Long.compare(a._1(), b._1()));
        double[][] values = new double[ordered.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = ordered.get(i)._2();
        }
        return Matrix.of(values);
    }

    /** The uniform landmarks and their global indices. */
    static Tuple2<Matrix, int[]> uniform(JavaRDD<SparkSupport.Block> blocks, long[] offsets, int m, long seed) {
        long n = offsets[offsets.length - 1];
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("uniform landmarks are drawn as on one machine, for at most 2^31 rows; "
                    + "got " + n + " (use the leverage sampler)");
        }
        int[] idx = Landmarks.uniform((int) n, m, seed);
        return new Tuple2<>(rows(blocks, offsets, Arrays.stream(idx).asLongStream().toArray()), idx);
    }

    /** Leverage-score landmarks (see the class comment) and their global indices (sorted). */
    static Tuple2<Matrix, long[]> leverage(JavaRDD<SparkSupport.Block> blocks, long[] offsets, String kernelSpec,
            int m, double lambda, long seed) {
        long n = offsets[offsets.length - 1];
        int s = (int) Math.min(n, Math.min(Math.max(m, 500), 2000));
        Tuple2<Matrix, int[]> pilot = uniform(blocks, offsets, s, seed);
        double[] pilotRows = pilot._1().data();
        int d = pilot._1().cols();
        Broadcast<double[]> bp = broadcast(blocks, pilotRows);
        List<Tuple2<Double, Long>> top = SparkSupport.action(() -> blocks.mapPartitionsWithIndex(
                (Integer p, Iterator<SparkSupport.Block> it) -> {
                    List<Tuple2<Double, Long>> keys = new ArrayList<>();
                    while (it.hasNext()) {
                        SparkSupport.Block b = it.next();
                        if (b.rows == 0) {
                            continue;
                        }
                        Kernel k = SparkSupport.kernel(kernelSpec);
                        Matrix landmarks = Matrix.wrap(s, d, bp.value());
                        double[] ones = new double[s];
                        Arrays.fill(ones, 1);
                        double[] scores = SparkSupport.withTaskThreads(() ->
                                Landmarks.leverageScoresAgainst(k, b.features(), landmarks, ones, lambda));
                        for (int i = 0; i < b.rows; i++) {
                            long g = offsets[p] + i;
                            double u = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + g).nextDouble();
                            keys.add(new Tuple2<>(Math.log(1 - u) / Math.max(scores[i], 1e-300), g));
                        }
                    }
                    return keys.iterator();
                }, true).takeOrdered(m, new KeyOrder()));
        bp.destroy();
        long[] idx = top.stream().mapToLong(Tuple2::_2).sorted().toArray();
        return new Tuple2<>(rows(blocks, offsets, idx), idx);
    }

    /** Largest key first (the Efraimidis–Spirakis sample keeps the m largest). */
    static final class KeyOrder implements java.util.Comparator<Tuple2<Double, Long>>, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Tuple2<Double, Long> a, Tuple2<Double, Long> b) {
            int c = Double.compare(b._1(), a._1());
            return c != 0 ? c : Long.compare(a._2(), b._2());
        }
    }

    static <T> Broadcast<T> broadcast(JavaRDD<?> rdd, T value) {
        return org.apache.spark.api.java.JavaSparkContext.fromSparkContext(rdd.context()).broadcast(value);
    }
}
