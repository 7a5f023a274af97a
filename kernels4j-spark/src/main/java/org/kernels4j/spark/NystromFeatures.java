package org.kernels4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
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
import org.kernels4j.linalg.Matrix;

/**
 * Nyström features φ(x) = K(x, C)·P (P = U·Λ^(−1/2) of K(C, C), {@link org.kernels4j.approx.Nystrom}) over m
 * landmarks C sampled on the cluster, as an Estimator whose model is a feature {@code Transformer}
 * ({@link NystromFeaturesModel}; build one over given landmarks with {@link NystromFeaturesModel#NystromFeaturesModel(Matrix, String)}).
 * Landmarks: "uniform" (the rows {@code Landmarks.uniform(n, m, seed)} picks on one machine, rows numbered
 * in partition order) or "leverage" (approximate ridge leverage scores at {@code lambda} against a uniform
 * pilot, computed on the executors). φ(x)·φ(z) is exact for x, z among the landmarks. Fit: O(n·s·d) for
 * leverage scores, O(m³) on the driver; transform O(m·(d + D)) per row.
 *
 * <p>Defaults: inputCol "features", outputCol "kernelFeatures", kernel "rbf(gamma=1)", numLandmarks 100,
 * sampler "uniform", lambda 1e-3, seed 1.
 */
public final class NystromFeatures extends Estimator<NystromFeaturesModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> kernel;
    private final IntParam numLandmarks;
    private final Param<String> sampler;
    private final DoubleParam lambda;
    private final LongParam seed;

    public NystromFeatures() {
        this(Identifiable.randomUID("k4jNystromFeatures"));
    }

    public NystromFeatures(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "input column of feature vectors");
        outputCol = new Param<>(this, "outputCol", "output column of Nystrom features");
        kernel = new Param<>(this, "kernel", "kernels4j kernel spec, e.g. rbf(gamma=0.5)");
        numLandmarks = new IntParam(this, "numLandmarks", "m, the number of landmarks (> 0, capped at n)",
                ParamValidators.gt(0));
        sampler = new Param<>(this, "sampler", "landmark sampler: uniform or leverage",
                ParamValidators.inArray(new String[] {"uniform", "leverage"}));
        lambda = new DoubleParam(this, "lambda", "ridge parameter of the leverage scores (> 0)", ParamValidators.gt(0));
        seed = new LongParam(this, "seed", "seed of the landmark sampling");
        setDefault(inputCol, "features");
        setDefault(outputCol, "kernelFeatures");
        setDefault(kernel, "rbf(gamma=1)");
        setDefault(numLandmarks, 100);
        setDefault(sampler, "uniform");
        setDefault(lambda, 1e-3);
        setDefault(seed, 1L);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> kernel() {
        return kernel;
    }

    public IntParam numLandmarks() {
        return numLandmarks;
    }

    public Param<String> sampler() {
        return sampler;
    }

    public DoubleParam lambda() {
        return lambda;
    }

    public LongParam seed() {
        return seed;
    }

    public NystromFeatures setInputCol(String v) {
        set(inputCol, v);
        return this;
    }

    public NystromFeatures setOutputCol(String v) {
        set(outputCol, v);
        return this;
    }

    public NystromFeatures setKernel(String v) {
        set(kernel, v);
        return this;
    }

    public NystromFeatures setNumLandmarks(int v) {
        set(numLandmarks, v);
        return this;
    }

    public NystromFeatures setSampler(String v) {
        set(sampler, v);
        return this;
    }

    public NystromFeatures setLambda(double v) {
        set(lambda, v);
        return this;
    }

    public NystromFeatures setSeed(long v) {
        set(seed, v);
        return this;
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public String getOutputCol() {
        return getOrDefault(outputCol);
    }

    public String getKernel() {
        return getOrDefault(kernel);
    }

    public int getNumLandmarks() {
        return (Integer) getOrDefault(numLandmarks);
    }

    public String getSampler() {
        return getOrDefault(sampler);
    }

    public double getLambda() {
        return (Double) getOrDefault(lambda);
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SparkSupport.requireVector(schema, getInputCol(), "input");
        SparkSupport.requireNew(schema, getOutputCol());
        SparkSupport.kernel(getKernel());
        return SparkSupport.withColumn(schema, getOutputCol(), org.apache.spark.ml.linalg.SQLDataTypes.VectorType());
    }

    @Override
    public NystromFeaturesModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        JavaRDD<SparkSupport.Block> blocks = SparkSupport.cachedBlocks(dataset, getInputCol(), null);
        try {
            long[] offsets = DistributedLandmarks.offsets(blocks);
            long n = offsets[offsets.length - 1];
            if (n == 0) {
                throw new IllegalArgumentException("the data set has no rows");
            }
            int m = (int) Math.min(getNumLandmarks(), n);
            Matrix c = getSampler().equals("uniform") ? DistributedLandmarks.uniform(blocks, offsets, m, getSeed())._1()
                    : DistributedLandmarks.leverage(blocks, offsets, getKernel(), m, getLambda(), getSeed())._1();
            NystromFeaturesModel model = new NystromFeaturesModel(uid, getKernel(), c, null);
            model.setInputCol(getInputCol()).setOutputCol(getOutputCol());
            return model.setParent(this);
        } finally {
            blocks.unpersist(false);
        }
    }

    @Override
    public NystromFeatures copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<NystromFeatures> read() {
        return new DefaultParamsReader<>();
    }

    public static NystromFeatures load(String path) {
        return read().load(path);
    }
}
