package org.kernels4j.spark;

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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.gp.SparseGaussianProcessModel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * Sparse Gaussian process regression (Titsias' collapsed variational bound, SGPR; the single-machine
 * {@link org.kernels4j.gp.SparseGaussianProcess}, whose javadoc gives the formulas) on a distributed data set. The
 * rows stay in their partitions; every evaluation of the bound is the core's own code fed by two
 * {@code treeAggregate} passes ({@link org.kernels4j.gp.SparseGaussianProcess.Rows}):
 * <ol>
 *   <li>the driver factors L Lᵀ = K(Z, Z) + εI and broadcasts Z and L; each partition p returns its sufficient
 *       statistics A_pA_pᵀ (m×m), A_p·y_p (m), y_pᵀy_p, Σ diag K(X_p, X_p) and its row count, with A_p =
 *       L⁻¹K(Z, X_p) ({@link org.kernels4j.gp.SparseGaussianProcess#blockStatistics}); their sums give the bound
 *       F on the driver;</li>
 *   <li>when the hyperparameter search needs the gradient, the driver broadcasts β (m) and R (m×m) and each
 *       partition returns the contractions of ∂F/∂K(Z, X_p) with the kernel's derivatives (one number per
 *       hyperparameter, m×d for the inducing inputs) ({@link org.kernels4j.gp.SparseGaussianProcess#blockGradient}).</li>
 * </ol>
 * The search (L-BFGS over log θ and, for stationary kernels, Z), its stopping rule and the final model are the
 * single-machine code's; so with the same rows, inducing points and start the bound and the predictions equal
 * the single machine's to rounding (the partial sums are added in another order), whatever the partitioning.
 * Communication per evaluation: the broadcast of Z, L (m·d + m² doubles) and β, R (m + m²), and per partition
 * one (m² + m + 3)-double and one (2h + m·d + 1)-double partial result (h hyperparameters), summed on the driver
 * (in a tree of depth 2 beyond 64 partitions): the bytes grow with m², not with n. Compute per evaluation
 * O(n·m² + n·m·d) spread over the tasks; driver work O(m³).
 *
 * <p>The initial inducing inputs are m rows drawn uniformly ({@code Landmarks.uniform(n, m, seed)}: the rows the
 * single-machine estimator picks with {@code sampler(UNIFORM)} and the same seed); k-means++, the core's
 * default, would need m passes over the data. The targets are fitted as they are (centre and scale them first
 * if they are far from zero mean and unit variance). The fitted stage is a {@link KernelModel} holding the
 * kernels4j sparse GP model file (the predictive mean in its prediction column).
 *
 * <p>Defaults: featuresCol "features", labelCol "label", predictionCol "prediction", kernel
 * "rbf(length=1) + white(noise=0.1)" (a signal kernel plus the white noise that is the likelihood's variance),
 * numInducing 100, seed 0, maxIter 0 (no search: the kernel's hyperparameters and the sampled inducing inputs as
 * given), optimizeInducing true, jitter 1e-6 (all as the single-machine builder).
 */
public final class SparseGaussianProcess extends Estimator<KernelModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> kernel;
    private final IntParam numInducing;
    private final LongParam seed;
    private final IntParam maxIter;
    private final BooleanParam optimizeInducing;
    private final DoubleParam jitter;

    public SparseGaussianProcess() {
        this(Identifiable.randomUID("k4jSparseGp"));
    }

    public SparseGaussianProcess(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "input column of feature vectors");
        labelCol = new Param<>(this, "labelCol", "numeric label column");
        predictionCol = new Param<>(this, "predictionCol", "output column of the predictive mean");
        kernel = new Param<>(this, "kernel", "kernels4j kernel spec: signal + white(noise=...), e.g. "
                + "rbf(length=1) + white(noise=0.1)");
        numInducing = new IntParam(this, "numInducing", "m, the number of inducing points (> 0, at most n)",
                ParamValidators.gt(0));
        seed = new LongParam(this, "seed", "seed of the uniform choice of the initial inducing points");
        maxIter = new IntParam(this, "maxIter", "L-BFGS iterations of the hyperparameter search (0: no search)",
                ParamValidators.gtEq(0));
        optimizeInducing = new BooleanParam(this, "optimizeInducing",
                "whether the search moves the inducing points too (stationary kernels only)");
        jitter = new DoubleParam(this, "jitter", "relative jitter added to K(Z, Z)'s diagonal (>= 0)",
                ParamValidators.gtEq(0));
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(kernel, "rbf(length=1) + white(noise=0.1)");
        setDefault(numInducing, 100);
        setDefault(seed, 0L);
        setDefault(maxIter, 0);
        setDefault(optimizeInducing, true);
        setDefault(jitter, 1e-6);
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

    public IntParam numInducing() {
        return numInducing;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam maxIter() {
        return maxIter;
    }

    public BooleanParam optimizeInducing() {
        return optimizeInducing;
    }

    public DoubleParam jitter() {
        return jitter;
    }

    public SparseGaussianProcess setFeaturesCol(String v) {
        set(featuresCol, v);
        return this;
    }

    public SparseGaussianProcess setLabelCol(String v) {
        set(labelCol, v);
        return this;
    }

    public SparseGaussianProcess setPredictionCol(String v) {
        set(predictionCol, v);
        return this;
    }

    public SparseGaussianProcess setKernel(String v) {
        set(kernel, v);
        return this;
    }

    public SparseGaussianProcess setNumInducing(int v) {
        set(numInducing, v);
        return this;
    }

    public SparseGaussianProcess setSeed(long v) {
        set(seed, v);
        return this;
    }

    public SparseGaussianProcess setMaxIter(int v) {
        set(maxIter, v);
        return this;
    }

    public SparseGaussianProcess setOptimizeInducing(boolean v) {
        set(optimizeInducing, v);
        return this;
    }

    public SparseGaussianProcess setJitter(double v) {
        set(jitter, v);
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

    public int getNumInducing() {
        return (Integer) getOrDefault(numInducing);
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    public int getMaxIter() {
        return (Integer) getOrDefault(maxIter);
    }

    public boolean getOptimizeInducing() {
        return (Boolean) getOrDefault(optimizeInducing);
    }

    public double getJitter() {
        return (Double) getOrDefault(jitter);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SparkSupport.requireVector(schema, getFeaturesCol(), "features");
        SparkSupport.requireNumeric(schema, getLabelCol(), "label");
        SparkSupport.requireNew(schema, getPredictionCol());
        local();
        return SparkSupport.withColumn(schema, getPredictionCol(), DataTypes.DoubleType);
    }

    /**
     * The single-machine estimator with this stage's settings (uniform sampler), the one whose code runs the
     * fit; a kernel without a signal part or without white noise is an IllegalArgumentException.
     */
    public org.kernels4j.gp.SparseGaussianProcess local() {
        Kernel k = SparkSupport.kernel(getKernel());
        try {
            org.kernels4j.gp.SparseGaussianProcess.Builder b = org.kernels4j.gp.SparseGaussianProcess.builder(k)
                    .inducing(getNumInducing()).sampler(Landmarks.Sampler.UNIFORM).seed(getSeed())
                    .optimizeInducing(getOptimizeInducing()).jitter(getJitter());
            if (getMaxIter() > 0) {
                b.optimize(HyperparameterSearch.builder().maxIterations(getMaxIter()).build());
            }
            return b.build();
        } catch (Kernels4jException e) {
            throw new IllegalArgumentException("kernel '" + getKernel() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public KernelModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        JavaRDD<SparkSupport.Block> blocks = SparkSupport.cachedBlocks(dataset, getFeaturesCol(), getLabelCol());
        try {
            SparseGaussianProcessModel fitted = fitBlocks(blocks);
            KernelModel m = KernelModel.of(fitted);
            m.set(m.featuresCol(), getFeaturesCol());
            m.set(m.predictionCol(), getPredictionCol());
            return m.setParent(this);
        } finally {
            blocks.unpersist(false);
        }
    }

    /** The fit on cached blocks (its inducing points, search and model are the core's). */
    SparseGaussianProcessModel fitBlocks(JavaRDD<SparkSupport.Block> blocks) {
        org.kernels4j.gp.SparseGaussianProcess sgp = local();
        long[] offsets = DistributedLandmarks.offsets(blocks);
        long n = offsets[offsets.length - 1];
        if (n == 0) {
            throw new IllegalArgumentException("the data set has no rows");
        }
        if (getNumInducing() > n) {
            throw new IllegalArgumentException("asked for " + getNumInducing() + " inducing points but the data set has "
                    + "only " + n + " rows");
        }
        Matrix z0 = DistributedLandmarks.uniform(blocks, offsets, getNumInducing(), getSeed())._1();
        // a driver-side kernels4j error (e.g. K(Z, Z) not positive definite at the start) becomes the stage's error type
        return SparkSupport.action(() -> sgp.fit(new DistributedRows(blocks, n), z0));
    }

    /**
     * The partitions as the core's {@link org.kernels4j.gp.SparseGaussianProcess.Rows}: each pass one
     * {@code treeAggregate} of packed double arrays (the kernel travels as its spec, which prints every value
     * exactly, so the executors evaluate the driver's kernel).
     */
    static final class DistributedRows implements org.kernels4j.gp.SparseGaussianProcess.Rows {
        private final JavaRDD<SparkSupport.Block> blocks;
        private final long n;
        /** Statistics passes and gradient passes so far (the tests count them). */
        int statisticsPasses;
        int gradientPasses;

        DistributedRows(JavaRDD<SparkSupport.Block> blocks, long n) {
            this.blocks = blocks;
            this.n = n;
        }

        @Override
        public long count() {
            return n;
        }

        @Override
        public int outputs() {
            return 1;
        }

        @Override
        public org.kernels4j.gp.SparseGaussianProcess.Statistics statistics(Kernel signal, Matrix z, Matrix factor) {
            statisticsPasses++;
            String spec = signal.toSpec();
            int m = z.rows();
            int d = z.cols();
            Broadcast<double[]> zl = DistributedLandmarks.broadcast(blocks, concat(z.data(), factor.data()));
            // packed: AAᵀ (m·m), A·y (m), yᵀy, Σ diag K, rows
            double[] sum = SparkSupport.action(() -> blocks.treeAggregate(new double[m * m + m + 3], (acc, b) -> {
                if (b.rows == 0) {
                    return acc;
                }
                double[] v = zl.value();
                org.kernels4j.gp.SparseGaussianProcess.Statistics s = SparkSupport.withTaskThreads(
                        () -> org.kernels4j.gp.SparseGaussianProcess.blockStatistics(SparkSupport.kernel(spec),
                                Matrix.wrap(m, d, java.util.Arrays.copyOf(v, m * d)),
                                Matrix.wrap(m, m, java.util.Arrays.copyOfRange(v, m * d, m * d + m * m)),
                                b.features(), b.targets()));
                SparkSupport.addInto(acc, concat(s.aat().data(), s.ay().data(),
                        new double[] {s.yy(), s.traceKnn(), s.rows()}));
                return acc;
            }, SparkSupport::addInto, SparkSupport.aggregateDepth(blocks.getNumPartitions())));
            zl.destroy();
            return new org.kernels4j.gp.SparseGaussianProcess.Statistics(Math.round(sum[m * m + m + 2]),
                    Matrix.wrap(m, m, java.util.Arrays.copyOf(sum, m * m)),
                    Matrix.wrap(m, 1, java.util.Arrays.copyOfRange(sum, m * m, m * m + m)), sum[m * m + m],
                    sum[m * m + m + 1]);
        }

        @Override
        public org.kernels4j.gp.SparseGaussianProcess.GradientSums gradient(Kernel signal, Matrix z, Matrix beta,
                Matrix r, double noise, boolean inducingGradient) {
            gradientPasses++;
            String spec = signal.toSpec();
            int m = z.rows();
            int d = z.cols();
            int h = signal.hyperparameters().size();
            int zLength = inducingGradient ? m * d : 0;
            Broadcast<double[]> zbr = DistributedLandmarks.broadcast(blocks, concat(z.data(), beta.data(), r.data()));
            // packed: hyperparameter contractions (h), diagonal sums (h), Σα², inducing contractions (m·d or none)
            double[] sum = SparkSupport.action(() -> blocks.treeAggregate(new double[2 * h + 1 + zLength], (acc, b) -> {
                if (b.rows == 0) {
                    return acc;
                }
                double[] v = zbr.value();
                org.kernels4j.gp.SparseGaussianProcess.GradientSums g = SparkSupport.withTaskThreads(
                        () -> org.kernels4j.gp.SparseGaussianProcess.blockGradient(SparkSupport.kernel(spec),
                                Matrix.wrap(m, d, java.util.Arrays.copyOf(v, m * d)),
                                Matrix.wrap(m, 1, java.util.Arrays.copyOfRange(v, m * d, m * d + m)),
                                Matrix.wrap(m, m, java.util.Arrays.copyOfRange(v, m * d + m, m * d + m + m * m)),
                                noise, b.features(), b.targets(), inducingGradient));
                SparkSupport.addInto(acc, concat(g.hyperparameters(), g.diagonal(), new double[] {g.residualSquares()},
                        inducingGradient ? g.inducing().data() : new double[0]));
                return acc;
            }, SparkSupport::addInto, SparkSupport.aggregateDepth(blocks.getNumPartitions())));
            zbr.destroy();
            return new org.kernels4j.gp.SparseGaussianProcess.GradientSums(java.util.Arrays.copyOf(sum, h),
                    inducingGradient ? Matrix.wrap(m, d, java.util.Arrays.copyOfRange(sum, 2 * h + 1, sum.length)) : null,
                    sum[2 * h], java.util.Arrays.copyOfRange(sum, h, 2 * h));
        }
    }

    private static double[] concat(double[]... parts) {
        int length = 0;
        for (double[] p : parts) {
            length += p.length;
        }
        double[] out = new double[length];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Override
    public SparseGaussianProcess copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<SparseGaussianProcess> read() {
        return new DefaultParamsReader<>();
    }

    public static SparseGaussianProcess load(String path) {
        return read().load(path);
    }
}
