package org.kernels4j.spark;

import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
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
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.FeatureMap;
import org.kernels4j.approx.PositiveRandomFeatures;
import org.kernels4j.approx.QuantizedFourierFeatures;
import org.kernels4j.approx.RandomFourierFeatures;
import org.kernels4j.approx.RandomNetworkFeatures;
import org.kernels4j.kernel.Kernel;

/**
 * A random feature map φ: ℝ^d → ℝ^D as a Spark ML {@link Transformer} on a vector column, with
 * E[φ(x)·φ(z)] = k(x, z) and error O(1/√D), so that Spark's own {@code LinearRegression},
 * {@code LogisticRegression} and {@code LinearSVC} on the output column become approximate kernel
 * machines inside a {@code Pipeline}. Families (all of kernels4j's random feature maps,
 * {@link #buildMap}): {@code fourier} (Rahimi–Recht, i.i.d. frequencies), {@code orthogonal} (orthogonal
 * random features), {@code positive} (positive random features, rbf only), {@code quantized}
 * (Sigma-Delta quantized Fourier features, {@code bits} ∈ 1..4 per feature, {@code blockLength} per output)
 * and {@code network} (random network features for arc-cosine/NTK kernels).
 *
 * <p>All randomness is drawn from {@code seed} and d (the vector size of the data), so every partition,
 * every executor and a reloaded stage build the same map; nothing but the parameters is stored.
 * Cost per row O(D·d) (one GEMM per block of 4096 rows); output a dense vector of size D.
 *
 * <p>Defaults: inputCol "features", outputCol "kernelFeatures", kernel "rbf(gamma=1)", family "fourier",
 * numFeatures 1000, seed 1, blockLength 16, bits 1.
 */
public final class RandomFeatures extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    /** The families {@link #family()} accepts. */
    public static final String[] FAMILIES = {"fourier", "orthogonal", "positive", "quantized", "network"};
    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> kernel;
    private final Param<String> family;
    private final IntParam numFeatures;
    private final LongParam seed;
    private final IntParam blockLength;
    private final IntParam bits;

    public RandomFeatures() {
        this(Identifiable.randomUID("k4jRandomFeatures"));
    }

    public RandomFeatures(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "input column of feature vectors");
        outputCol = new Param<>(this, "outputCol", "output column of random features");
        kernel = new Param<>(this, "kernel", "kernels4j kernel spec, e.g. rbf(gamma=0.5)");
        family = new Param<>(this, "family", "random feature family: " + String.join(", ", FAMILIES),
                ParamValidators.inArray(FAMILIES));
        numFeatures = new IntParam(this, "numFeatures", "D, the number of output features (> 0)",
                ParamValidators.gt(0));
        seed = new LongParam(this, "seed", "seed of the random features");
        blockLength = new IntParam(this, "blockLength", "quantized: features condensed per output (> 0)",
                ParamValidators.gt(0));
        bits = new IntParam(this, "bits", "quantized: bits per feature (1 to 4)", ParamValidators.inRange(1, 4));
        setDefault(inputCol, "features");
        setDefault(outputCol, "kernelFeatures");
        setDefault(kernel, "rbf(gamma=1)");
        setDefault(family, "fourier");
        setDefault(numFeatures, 1000);
        setDefault(seed, 1L);
        setDefault(blockLength, 16);
        setDefault(bits, 1);
    }

    /**
     * The map a stage with these settings applies to d-dimensional vectors: the same object kernels4j builds on
     * one machine.
     *
     * @throws IllegalArgumentException for an unknown family, or a kernel the family cannot sample
     */
    public static FeatureMap buildMap(String family, Kernel kernel, int features, int d, long seed, int blockLength,
            int bits) {
        try {
            switch (family.toLowerCase(Locale.ROOT)) {
                case "fourier":
                    return RandomFourierFeatures.of(kernel, features, d, RandomFourierFeatures.Sampling.IID, seed);
                case "orthogonal":
                    return RandomFourierFeatures.of(kernel, features, d, RandomFourierFeatures.Sampling.ORTHOGONAL,
                            seed);
                case "positive":
                    return PositiveRandomFeatures.of(kernel, features, d, RandomFourierFeatures.Sampling.ORTHOGONAL,
                            seed);
                case "quantized":
                    return QuantizedFourierFeatures.of(kernel, features, blockLength, bits, d,
                            RandomFourierFeatures.Sampling.IID, seed);
                case "network":
                    return RandomNetworkFeatures.of(kernel, features, d, seed);
                default:
                    throw new IllegalArgumentException("unknown random feature family '" + family + "'; available: "
                            + String.join(", ", FAMILIES));
            }
        } catch (Kernels4jException e) {
            throw new IllegalArgumentException(family + " features: " + e.getMessage(), e);
        }
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

    public Param<String> family() {
        return family;
    }

    public IntParam numFeatures() {
        return numFeatures;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam blockLength() {
        return blockLength;
    }

    public IntParam bits() {
        return bits;
    }

    public RandomFeatures setInputCol(String v) {
        set(inputCol, v);
        return this;
    }

    public RandomFeatures setOutputCol(String v) {
        set(outputCol, v);
        return this;
    }

    public RandomFeatures setKernel(String v) {
        set(kernel, v);
        return this;
    }

    public RandomFeatures setFamily(String v) {
        set(family, v);
        return this;
    }

    public RandomFeatures setNumFeatures(int v) {
        set(numFeatures, v);
        return this;
    }

    public RandomFeatures setSeed(long v) {
        set(seed, v);
        return this;
    }

    public RandomFeatures setBlockLength(int v) {
        set(blockLength, v);
        return this;
    }

    public RandomFeatures setBits(int v) {
        set(bits, v);
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

    public String getFamily() {
        return getOrDefault(family);
    }

    public int getNumFeatures() {
        return (Integer) getOrDefault(numFeatures);
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    public int getBlockLength() {
        return (Integer) getOrDefault(blockLength);
    }

    public int getBits() {
        return (Integer) getOrDefault(bits);
    }

    /** The map this stage applies to d-dimensional vectors. */
    public FeatureMap map(int d) {
        return buildMap(getFamily(), SparkSupport.kernel(getKernel()), getNumFeatures(), d, getSeed(),
                getBlockLength(), getBits());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SparkSupport.requireVector(schema, getInputCol(), "input");
        SparkSupport.requireNew(schema, getOutputCol());
        SparkSupport.kernel(getKernel());
        return SparkSupport.withColumn(schema, getOutputCol(), SQLDataTypes.VectorType());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        String col = getInputCol();
        List<Row> first = dataset.toDF().select(col).takeAsList(1);
        if (!first.isEmpty()) { // a bad family/kernel combination is reported here, not by every task
            map(SparkSupport.values(first.get(0), 0, col, -1).length);
        }
        String fam = getFamily();
        String spec = getKernel();
        int features = getNumFeatures();
        long s = getSeed();
        int len = getBlockLength();
        int b = getBits();
        int fi = dataset.schema().fieldIndex(col);
        return dataset.toDF().mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
            FeatureMap[] map = new FeatureMap[1];
            return SparkSupport.appendColumn(it, fi, col, x -> {
                if (map[0] == null || map[0].inputDimension() != x.cols()) {
                    map[0] = buildMap(fam, SparkSupport.kernel(spec), features, x.cols(), s, len, b);
                }
                return SparkSupport.vectors(map[0].transform(x));
            });
        }, Encoders.row(out));
    }

    @Override
    public RandomFeatures copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** The reader for {@code RandomFeatures.load(path)} and for pipelines holding this stage. */
    public static MLReader<RandomFeatures> read() {
        return new DefaultParamsReader<>();
    }

    public static RandomFeatures load(String path) {
        return read().load(path);
    }
}
