package org.kernels4j.spark.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.spark.KernelModel;
import org.kernels4j.spark.NystromKernelRidge;

/**
 * Distributed against single-machine Nyström KRR (Falkon) in one run, on the same synthetic data (row i's
 * features drawn from a generator seeded by i, so every partitioning holds the same rows in the same order),
 * with the same centres and a fixed number of CG iterations (tolerance 0) so that both do the same work:
 * <ul>
 *   <li>the single-machine fit ({@code org.kernels4j.regression.NystromKernelRidge}, all cores);</li>
 *   <li>the Spark fit for each partition count, with the bytes its CG passes moved per iteration (task results
 *       plus shuffle writes of the {@code treeAggregate} stages, from a listener), the largest relative
 *       difference of α to the single-machine α, and the time ratio;</li>
 *   <li>a paper estimate for 10⁸ rows on 100 executors of 2 cores: the per-row pass cost measured here
 *       scaled by n/(cores in the cluster), plus the measured per-iteration fixed cost (driver work and Spark
 *       job overhead), plus the aggregate bytes at 1 GB/s.</li>
 * </ul>
 * Run (see docs/spark.md): {@code java <flags> -cp <module jar>:<deps> org.kernels4j.spark.bench.SparkNystromBenchmark
 * [n d m iterations partitions,...]}; defaults 1000000 20 2000 10 1,2,4,8.
 */
public final class SparkNystromBenchmark {
    private SparkNystromBenchmark() {
    }

    /**
     * One partition count's measurement: the fit's wall time (from a cached DataFrame of rows to the model), its
     * ratio to the single machine's, the task-result and shuffle bytes of one distributed pass, the largest
     * difference of α relative to max |α|, and the wall time of the {@code treeAggregate} stages (the passes
     * themselves: the rest is caching the blocks, sampling the centres and the driver's work).
     */
    public record Run(int partitions, double seconds, double ratioToSingle, long bytesPerIteration,
            double maxRelativeAlphaDifference, double passSeconds) {
    }

    /** The whole measurement. */
    public record Result(long n, int d, int m, int iterations, double singleSeconds, List<Run> runs,
            double estimateSeconds1e8On100Executors) {
    }

    static double[] row(long i, int d) {
        SplittableRandom r = new SplittableRandom(0x5DEECE66DL * (i + 1));
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = r.nextGaussian();
        }
        return v;
    }

    static double target(double[] v) {
        return Math.sin(v[0]) + 0.5 * v[1] * v[v.length - 1];
    }

    /** Measures n rows (after a warm-up on a tenth of them) for each partition count. */
    public static Result run(SparkSession spark, long n, int d, int m, int iterations, int[] partitions) {
        return run(spark, n, d, m, iterations, partitions, null, null);
    }

    /**
     * As {@link #run(SparkSession, long, int, int, int, int[])}, telling {@code single} (seconds) and {@code progress}
     * of each measurement as soon as it is made (a long run on a loaded machine keeps what it measured).
     */
    public static Result run(SparkSession spark, long n, int d, int m, int iterations, int[] partitions,
            java.util.function.DoubleConsumer onSingle, java.util.function.Consumer<Run> progress) {
        // warm-up (JIT, Spark's first job) on a tenth of the data, so neither side is timed cold
        if (n >= 20_000) {
            measure(spark, n / 10, d, Math.min(m, (int) (n / 20)), 1, new int[] {2}, null, null);
        }
        return measure(spark, n, d, m, iterations, partitions, onSingle, progress);
    }

    private static Result measure(SparkSession spark, long n, int d, int m, int iterations, int[] partitions,
            java.util.function.DoubleConsumer onSingle, java.util.function.Consumer<Run> progress) {
        double gamma = 1.0 / (2 * d);
        String kernel = "rbf(gamma=" + gamma + ")";
        NystromKernelRidge est = new NystromKernelRidge().setKernel(kernel).setLambda(1e-3).setNumCenters(m)
                .setMaxIter(iterations).setTol(0).setSeed(7);
        // single machine
        Matrix x = new Matrix((int) n, d);
        Matrix y = new Matrix((int) n, 1);
        for (int i = 0; i < n; i++) {
            double[] v = row(i, d);
            System.arraycopy(v, 0, x.data(), i * d, d);
            y.set(i, 0, target(v));
        }
        long t0 = System.nanoTime();
        KernelRidgeModel single = est.local().fit(x, y);
        double singleSeconds = (System.nanoTime() - t0) / 1e9;
        if (onSingle != null) {
            onSingle.accept(singleSeconds);
        }
        x = null;
        y = null;
        Matrix alpha = single.dualCoefficients();
        double scale = 0;
        for (double v : alpha.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        AtomicLong aggregateBytes = new AtomicLong();
        AtomicLong aggregateMillis = new AtomicLong();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onStageCompleted(SparkListenerStageCompleted e) {
                if (e.stageInfo().name().startsWith("treeAggregate")) {
                    aggregateBytes.addAndGet(e.stageInfo().taskMetrics().resultSize()
                            + e.stageInfo().taskMetrics().shuffleWriteMetrics().bytesWritten());
                    if (e.stageInfo().submissionTime().isDefined() && e.stageInfo().completionTime().isDefined()) {
                        aggregateMillis.addAndGet((Long) e.stageInfo().completionTime().get()
                                - (Long) e.stageInfo().submissionTime().get());
                    }
                }
            }
        });
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType(), false)
                .add("label", DataTypes.DoubleType, false);
        List<Run> runs = new ArrayList<>();
        double bestFixed = Double.MAX_VALUE;
        for (int p : partitions) {
            Dataset<Row> df = spark.range(0, n, 1, p).map((MapFunction<Long, Row>) i -> {
                double[] v = row(i, d);
                return RowFactory.create(Vectors.dense(v), target(v));
            }, Encoders.row(schema)).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
            df.count(); // the rows exist before the clock starts, as the single machine's matrix does
            aggregateBytes.set(0);
            aggregateMillis.set(0);
            long t1 = System.nanoTime();
            KernelModel fitted = est.fit(df);
            double seconds = (System.nanoTime() - t1) / 1e9;
            try { // the listener is told of stages asynchronously
                spark.sparkContext().listenerBus().waitUntilEmpty();
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the Spark listener bus did not drain", e);
            }
            df.unpersist(true);
            KernelRidgeModel dist = (KernelRidgeModel) fitted.model();
            double diff = alpha.maxAbsDifference(dist.dualCoefficients()) / scale;
            Run run = new Run(p, seconds, seconds / singleSeconds, aggregateBytes.get() / (iterations + 1), diff,
                    aggregateMillis.get() / 1e3);
            runs.add(run);
            if (progress != null) {
                progress.accept(run);
            }
            bestFixed = Math.min(bestFixed, Math.max(0, seconds - singleSeconds) / (iterations + 1));
        }
        // paper estimate: the single machine's per-iteration time is all pass work on its cores
        int cores = Runtime.getRuntime().availableProcessors();
        double passPerRowCore = singleSeconds / (iterations + 1) / n * cores;
        double clusterCores = 200;
        long bytes1e8 = 8L * m * (long) (clusterCores + 1);
        double perIteration = passPerRowCore * 1e8 / clusterCores + bestFixed + bytes1e8 / 1e9;
        return new Result(n, d, m, iterations, singleSeconds, runs, perIteration * (iterations + 1));
    }

    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int[] parts = args.length > 4 ? java.util.Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt)
                .toArray() : new int[] {1, 2, 4, 8};
        SparkSession spark = SparkSession.builder().master("local[" + Runtime.getRuntime().availableProcessors() + "]")
                .appName("kernels4j-spark-benchmark").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            System.out.printf(Locale.ROOT, "Nystrom KRR, n = %d, d = %d, m = %d, %d CG iterations (+1 pass for K_nm^T y), "
                    + "local mode, %d cores, max heap %d MiB%n", n, d, m, iterations,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
            String row = "%10d %10.1f %8.2f %12.1f %16d %14.2e%n";
            Result r = run(spark, n, d, m, iterations, parts, s -> {
                System.out.printf(Locale.ROOT, "single machine: %.1f s%n", s);
                System.out.printf(Locale.ROOT, "%10s %10s %8s %12s %16s %14s%n", "partitions", "spark (s)", "ratio",
                        "passes (s)", "bytes/iteration", "max rel dα");
            }, run -> System.out.printf(Locale.ROOT, row, run.partitions(), run.seconds(), run.ratioToSingle(),
                    run.passSeconds(), run.bytesPerIteration(), run.maxRelativeAlphaDifference()));
            System.out.printf(Locale.ROOT, "estimate, 1e8 rows on 100 executors x 2 cores, same m and iterations: %.0f s%n",
                    r.estimateSeconds1e8On100Executors());
        } finally {
            spark.stop();
        }
    }
}
