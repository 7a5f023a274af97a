package org.kernels4j.spark;

import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Nystrom;
import org.kernels4j.linalg.Matrix;

/**
 * The Nyström feature map φ(x) = K(x, C)·P over fixed landmarks C (m×d) as a Spark ML transformer; P (m×D) is
 * computed once on the driver and broadcast with C. Saved as Spark ML metadata plus one Parquet row holding C
 * and P, so a reloaded stage produces the same features bit for bit. Defaults: inputCol "features", outputCol
 * "kernelFeatures" (the kernel is fixed at construction).
 */
public final class NystromFeaturesModel extends Model<NystromFeaturesModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private final String uid;
    private final String kernelSpec;
    private final int m;
    private final int d;
    private final int dim;
    private final double[] landmarks;
    private final double[] projection;
    private final Param<String> inputCol;
    private final Param<String> outputCol;

    /** The map over given landmarks (m×d). */
    public NystromFeaturesModel(Matrix landmarks, String kernelSpec) {
        this(Identifiable.randomUID("k4jNystromFeaturesModel"), kernelSpec, landmarks, null);
    }

    NystromFeaturesModel(String uid, String kernelSpec, Matrix c, Matrix p) {
        this.uid = uid;
        this.kernelSpec = kernelSpec;
        Nystrom map;
        try {
            map = p == null ? Nystrom.of(SparkSupport.kernel(kernelSpec), c)
                    : Nystrom.withProjection(SparkSupport.kernel(kernelSpec), c, p);
        } catch (Kernels4jException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        this.m = c.rows();
        this.d = c.cols();
        this.dim = map.outputDimension();
        this.landmarks = c.data().clone();
        this.projection = map.projection().data();
        inputCol = new Param<>(this, "inputCol", "input column of feature vectors");
        outputCol = new Param<>(this, "outputCol", "output column of Nystrom features");
        setDefault(inputCol, "features");
        setDefault(outputCol, "kernelFeatures");
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The single-machine map this stage applies. */
    public Nystrom map() {
        return Nystrom.withProjection(SparkSupport.kernel(kernelSpec), Matrix.wrap(m, d, landmarks.clone()),
                Matrix.wrap(m, dim, projection.clone()));
    }

    public String kernelSpec() {
        return kernelSpec;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public NystromFeaturesModel setInputCol(String v) {
        set(inputCol, v);
        return this;
    }

    public NystromFeaturesModel setOutputCol(String v) {
        set(outputCol, v);
        return this;
    }

    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    public String getOutputCol() {
        return getOrDefault(outputCol);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SparkSupport.requireVector(schema, getInputCol(), "input");
        SparkSupport.requireNew(schema, getOutputCol());
        return SparkSupport.withColumn(schema, getOutputCol(), SQLDataTypes.VectorType());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        String col = getInputCol();
        int fi = dataset.schema().fieldIndex(col);
        String spec = kernelSpec;
        int rows = m;
        int cols = d;
        int features = dim;
        Broadcast<double[][]> parts = DistributedLandmarks.broadcast(dataset.toDF().javaRDD(),
                new double[][] {landmarks, projection});
        return dataset.toDF().mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
            Nystrom map = Nystrom.withProjection(SparkSupport.kernel(spec), Matrix.wrap(rows, cols, parts.value()[0]),
                    Matrix.wrap(rows, features, parts.value()[1]));
            return SparkSupport.appendColumn(it, fi, col, x -> {
                if (x.cols() != cols) {
                    throw new IllegalArgumentException("the input column '" + col + "' has vectors of size "
                            + x.cols() + " but the landmarks have " + cols);
                }
                return SparkSupport.vectors(map.transform(x));
            });
        }, Encoders.row(out));
    }

    @Override
    public NystromFeaturesModel copy(ParamMap extra) {
        NystromFeaturesModel c = new NystromFeaturesModel(uid, kernelSpec, Matrix.wrap(m, d, landmarks.clone()),
                Matrix.wrap(m, dim, projection.clone()));
        return copyValues(c, extra).setParent(parent());
    }

    private static final StructType DATA = new StructType().add("kernel", DataTypes.StringType)
            .add("m", DataTypes.IntegerType).add("d", DataTypes.IntegerType).add("dim", DataTypes.IntegerType)
            .add("landmarks", DataTypes.createArrayType(DataTypes.DoubleType))
            .add("projection", DataTypes.createArrayType(DataTypes.DoubleType));

    @Override
    public MLWriter write() {
        NystromFeaturesModel self = this;
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DefaultParamsWriter.saveMetadata(self, path, sparkSession());
                Row row = RowFactory.create(kernelSpec, m, d, dim, boxed(landmarks), boxed(projection));
                sparkSession().createDataFrame(List.of(row), DATA).repartition(1).write().parquet(path + "/data");
            }
        };
    }

    private static Double[] boxed(double[] a) {
        Double[] b = new Double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }

    private static double[] unboxed(List<Double> a) {
        return a.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public static MLReader<NystromFeaturesModel> read() {
        return new MLReader<NystromFeaturesModel>() {
            @Override
            public NystromFeaturesModel load(String path) {
                DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sparkSession(),
                        NystromFeaturesModel.class.getName());
                Row r = sparkSession().read().parquet(path + "/data").first();
                int rows = r.getInt(1);
                int cols = r.getInt(2);
                int features = r.getInt(3);
                NystromFeaturesModel model = new NystromFeaturesModel(meta.uid(), r.getString(0),
                        Matrix.wrap(rows, cols, unboxed(r.getList(4))), Matrix.wrap(rows, features, unboxed(r.getList(5))));
                meta.getAndSetParams(model, scala.Option.empty());
                return model;
            }
        };
    }

    public static NystromFeaturesModel load(String path) {
        return read().load(path);
    }
}
