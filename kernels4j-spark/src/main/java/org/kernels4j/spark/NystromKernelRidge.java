package org.kernels4j.spark;

import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidgeModel;
import scala.Tuple2;

/**
 * Falkon-style Nyström kernel ridge regression ({@link org.kernels4j.regression.NystromKernelRidge}) on a
 * distributed data set: f(x) = K(x, C)·α with α solving (K_nmᵀK_nm + λ·K_mm)·α = K_nmᵀ(y − ȳ) for m
 * centres C.
 * <ol>
 *   <li>the partitions are cached once as dense blocks; one pass counts the rows (and sums y when
 *       {@code centerTargets});</li>
 *   <li>the centres are sampled on the cluster ({@code sampler} uniform or leverage, see
 *       {@code DistributedLandmarks}) and collected (m×d on the driver);</li>
 *   <li>K_mm, its Cholesky factor and the Falkon preconditioner are formed on the driver, and the conjugate
 *       gradient, its stopping rule (relative residual ≤ {@code tol} or {@code maxIter} iterations) and its
 *       progress are the single-machine code ({@link org.kernels4j.regression.NystromKernelRidge#fitWithOperator});</li>
 *   <li>each CG iteration is one distributed pass: the m×c vector u is broadcast, each partition computes
 *       K_pᵀ(K_p·u) with the Gram engine's band pass ({@link GramEngine#crossNormalTimes}), and the m×c
 *       partial sums are added by {@code treeAggregate}.</li>
 * </ol>
 * Communication per iteration: m·c·8 bytes broadcast plus one m·c·8-byte partial sum per partition
 * (P·m·c·8 in all, summed on the driver, in a tree of depth 2 beyond 64 partitions); compute per iteration
 * 2·n·m·d flops spread over the tasks; driver work per iteration O(m²) and set-up O(m³). The same data in the same order with the same
 * seed gives the same centres and the same α as one machine, to rounding (the partial sums are added in
 * another order), whatever the number of partitions.
 *
 * <p>Defaults (as the single-machine estimator): featuresCol "features", labelCol "label", predictionCol
 * "prediction", kernel "rbf(gamma=1)", lambda 1e-3, numCenters 1000, sampler "uniform", maxIter 100,
 * tol 1e-7, centerTargets false, seed 1.
 */
public final class NystromKernelRidge extends Estimator<KernelModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> kernel;
    private final DoubleParam lambda;
    private final IntParam numCenters;
    private final Param<String> sampler;
    private final IntParam maxIter;
    private final DoubleParam tol;
    private final BooleanParam centerTargets;
    private final LongParam seed;
    private transient ProgressListener progress = ProgressListener.NONE;

    public NystromKernelRidge() {
        this(Identifiable.randomUID("k4jNystromKrr"));
    }

    public NystromKernelRidge(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "input column of feature vectors");
        labelCol = new Param<>(this, "labelCol", "numeric label column");
        predictionCol = new Param<>(this, "predictionCol", "output column of predictions");
        kernel = new Param<>(this, "kernel", "kernels4j kernel spec, e.g. rbf(gamma=0.5)");
        lambda = new DoubleParam(this, "lambda", "ridge parameter (> 0)", ParamValidators.gt(0));
        numCenters = new IntParam(this, "numCenters", "m, the number of Nystrom centres (> 0, capped at n)",
                ParamValidators.gt(0));
        sampler = new Param<>(this, "sampler", "centre sampler: uniform or leverage",
                ParamValidators.inArray(new String[] {"uniform", "leverage"}));
        maxIter = new IntParam(this, "maxIter", "CG iteration limit (> 0)", ParamValidators.gt(0));
        tol = new DoubleParam(this, "tol", "relative residual at which CG stops (>= 0)", ParamValidators.gtEq(0));
        centerTargets = new BooleanParam(this, "centerTargets", "centre the labels and add their mean back");
        seed = new LongParam(this, "seed", "seed of the centre sampling");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(kernel, "rbf(gamma=1)");
        setDefault(lambda, 1e-3);
        setDefault(numCenters, 1000);
        setDefault(sampler, "uniform");
        setDefault(maxIter, 100);
        setDefault(tol, 1e-7);
        setDefault(centerTargets, false);
        setDefault(seed, 1L);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> kernel() {
        return kernel;
    }

    public DoubleParam lambda() {
        return lambda;
    }

    public IntParam numCenters() {
        return numCenters;
    }

    public Param<String> sampler() {
        return sampler;
    }

    public IntParam maxIter() {
        return maxIter;
    }

    public DoubleParam tol() {
        return tol;
    }

    public BooleanParam centerTargets() {
        return centerTargets;
    }

    public LongParam seed() {
        return seed;
    }

    public NystromKernelRidge setFeaturesCol(String v) {
        set(featuresCol, v);
        return this;
    }

    public NystromKernelRidge setLabelCol(String v) {
        set(labelCol, v);
        return this;
    }

    public NystromKernelRidge setPredictionCol(String v) {
        set(predictionCol, v);
        return this;
    }

    public NystromKernelRidge setKernel(String v) {
        set(kernel, v);
        return this;
    }

    public NystromKernelRidge setLambda(double v) {
        set(lambda, v);
        return this;
    }

    public NystromKernelRidge setNumCenters(int v) {
        set(numCenters, v);
        return this;
    }

    public NystromKernelRidge setSampler(String v) {
        set(sampler, v);
        return this;
    }

    public NystromKernelRidge setMaxIter(int v) {
        set(maxIter, v);
        return this;
    }

    public NystromKernelRidge setTol(double v) {
        set(tol, v);
        return this;
    }

    public NystromKernelRidge setCenterTargets(boolean v) {
        set(centerTargets, v);
        return this;
    }

    public NystromKernelRidge setSeed(long v) {
        set(seed, v);
        return this;
    }

    /** Told of each CG iteration (stage "cg") on the driver; not a param, so neither copied nor saved. */
    public NystromKernelRidge setProgress(ProgressListener p) {
        this.progress = p == null ? ProgressListener.NONE : p;
        return this;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public String getKernel() {
        return getOrDefault(kernel);
    }

    public double getLambda() {
        return (Double) getOrDefault(lambda);
    }

    public int getNumCenters() {
        return (Integer) getOrDefault(numCenters);
    }

    public String getSampler() {
        return getOrDefault(sampler);
    }

    public int getMaxIter() {
        return (Integer) getOrDefault(maxIter);
    }

    public double getTol() {
        return (Double) getOrDefault(tol);
    }

    public boolean getCenterTargets() {
        return (Boolean) getOrDefault(centerTargets);
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SparkSupport.requireVector(schema, getFeaturesCol(), "features");
        SparkSupport.requireNumeric(schema, getLabelCol(), "label");
        SparkSupport.requireNew(schema, getPredictionCol());
        SparkSupport.kernel(getKernel());
        return SparkSupport.withColumn(schema, getPredictionCol(), org.apache.spark.sql.types.DataTypes.DoubleType);
    }

    /** The single-machine estimator with this stage's settings (the one whose CG runs the fit). */
    public org.kernels4j.regression.NystromKernelRidge local() {
        return org.kernels4j.regression.NystromKernelRidge.builder(SparkSupport.kernel(getKernel()))
                .lambda(getLambda()).centers(getNumCenters()).maxIterations(getMaxIter())
                // the stage always runs CG (one distributed pass per iteration) stopped by the relative residual
                .solver(org.kernels4j.regression.NystromKernelRidge.Solver.STREAMING_CG)
                .stopping(org.kernels4j.regression.NystromKernelRidge.Stopping.RESIDUAL).tolerance(getTol())
                // and preconditioned from the centres (Falkon's): the sampled-rows sketch needs rows on the driver
                .preconditionerRows(0)
                .centerTargets(getCenterTargets()).seed(getSeed()).progress(progress).build();
    }

    @Override
    public KernelModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        JavaRDD<SparkSupport.Block> blocks = SparkSupport.cachedBlocks(dataset, getFeaturesCol(), getLabelCol());
        try {
            KernelRidgeModel fitted = fitBlocks(blocks, null);
            KernelModel m = KernelModel.of(fitted);
            m.set(m.featuresCol(), getFeaturesCol());
            m.set(m.predictionCol(), getPredictionCol());
            return m.setParent(this);
        } finally {
            blocks.unpersist(false);
        }
    }

    /** Per-iteration communication of the last fit on this JVM (for the benchmark). */
    static final class Traffic {
        long partitions;
        long bytesPerIteration;
        int iterations;
    }

    /** The fit on cached blocks; {@code traffic}, when given, is told the aggregate sizes. */
    KernelRidgeModel fitBlocks(JavaRDD<SparkSupport.Block> blocks, Traffic traffic) {
        String spec = getKernel();
        Kernel k = SparkSupport.kernel(spec);
        long[] offsets = DistributedLandmarks.offsets(blocks);
        long n = offsets[offsets.length - 1];
        if (n == 0) {
            throw new IllegalArgumentException("the data set has no rows");
        }
        double mean = 0;
        if (getCenterTargets()) {
            double sum = SparkSupport.action(() -> blocks.map(b -> {
                double s = 0;
                for (int i = 0; i < b.rows; i++) {
                    s += b.y[i];
                }
                return s;
            }).reduce(Double::sum));
            mean = sum / n;
        }
        int m = (int) Math.min(getNumCenters(), n);
        Matrix c;
        int[] idx;
        if (getSampler().equals("uniform")) {
            Tuple2<Matrix, int[]> u = DistributedLandmarks.uniform(blocks, offsets, m, getSeed());
            c = u._1();
            idx = u._2();
        } else {
            Tuple2<Matrix, long[]> l = DistributedLandmarks.leverage(blocks, offsets, spec, m, getLambda(), getSeed());
            c = l._1();
            idx = n <= Integer.MAX_VALUE ? Arrays.stream(l._2()).mapToInt(v -> (int) v).toArray() : null;
        }
        int d = c.cols();
        Broadcast<double[]> centres = DistributedLandmarks.broadcast(blocks, c.data());
        double shift = mean;
        int parts = blocks.getNumPartitions();
        int depth = SparkSupport.aggregateDepth(parts);
        Matrix kty = Matrix.wrap(m, 1, SparkSupport.action(() -> blocks.treeAggregate(new double[m], (acc, b) -> {
            if (b.rows == 0) {
                return acc;
            }
            double[] yc = new double[b.rows];
            for (int i = 0; i < b.rows; i++) {
                yc[i] = b.y[i] - shift;
            }
            Matrix part = SparkSupport.withTaskThreads(() -> GramEngine.crossNormalTimes(SparkSupport.kernel(spec),
                    b.features(), Matrix.wrap(m, d, centres.value()), null, Matrix.wrap(b.rows, 1, yc),
                    ProgressListener.NONE));
            return SparkSupport.addInto(acc, part.data());
        }, SparkSupport::addInto, depth)));
        int[] iterations = new int[1];
        KernelRidgeModel model = local().fitWithOperator(n, c, kty, w -> {
            iterations[0]++;
            Broadcast<double[]> u = DistributedLandmarks.broadcast(blocks, w.data());
            int outs = w.cols();
            double[] sum = SparkSupport.action(() -> blocks.treeAggregate(new double[m * outs], (acc, b) -> {
                if (b.rows == 0) {
                    return acc;
                }
                Matrix part = SparkSupport.withTaskThreads(() -> GramEngine.crossNormalTimes(
                        SparkSupport.kernel(spec), b.features(), Matrix.wrap(m, d, centres.value()),
                        Matrix.wrap(m, outs, u.value()), null, ProgressListener.NONE));
                return SparkSupport.addInto(acc, part.data());
            }, SparkSupport::addInto, depth));
            u.destroy();
            return Matrix.wrap(m, outs, sum);
        }, new double[] {mean}, idx);
        centres.destroy();
        if (traffic != null) {
            traffic.partitions = parts;
            traffic.bytesPerIteration = 8L * m * (parts + 1); // P partial sums up, one u broadcast down
            traffic.iterations = iterations[0];
        }
        return model;
    }

    @Override
    public NystromKernelRidge copy(ParamMap extra) {
        NystromKernelRidge c = defaultCopy(extra);
        c.progress = progress;
        return c;
    }

    public static MLReader<NystromKernelRidge> read() {
        return new DefaultParamsReader<>();
    }

    public static NystromKernelRidge load(String path) {
        return read().load(path);
    }
}
