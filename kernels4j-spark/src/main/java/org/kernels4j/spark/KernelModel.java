package org.kernels4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.linalg.Matrix;

/**
 * Any kernels4j model (a model file of {@code kernels4j-io}'s {@link ModelFiles} format: kernel ridge, SVM,
 * GP, density, …) applied to a DataFrame as a Spark ML {@link Model}: the model file's bytes are broadcast
 * once, each executor decodes them once (cached per JVM), and each partition is predicted in blocks of 4096
 * rows with {@code Model.predict} under the task's thread budget. The prediction column is a double when the
 * model has one output (regression value, class label, log-density) and a vector otherwise.
 *
 * <p>Also the output of {@link NystromKernelRidge}. Persistence: Spark ML metadata (the params) plus the
 * unchanged model file at {@code path/data/model.k4j}, so a saved stage is also a kernels4j model file
 * the CLI and Java API open. Defaults: featuresCol "features", predictionCol "prediction".
 */
public final class KernelModel extends Model<KernelModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private static final String DATA_FILE = "data/model.k4j";
    /** Decoded models per JVM, by the bytes' identity hash of their broadcast: at most a few live at once. */
    private static final Map<Long, org.kernels4j.model.Model> DECODED = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, org.kernels4j.model.Model> eldest) {
            return size() > 8;
        }
    };

    private final String uid;
    private final byte[] modelFile;
    private final transient org.kernels4j.model.Model model;
    private final int outputs;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;

    /** A stage for the model held in these model-file bytes (validated here, on the driver). */
    public KernelModel(String uid, byte[] modelFile) {
        this(uid, modelFile.clone(), null);
    }

    /** With the in-memory model when there is one (it keeps its full fit report, which model files trim). */
    private KernelModel(String uid, byte[] modelFile, org.kernels4j.model.Model inMemory) {
        this.uid = uid;
        this.modelFile = modelFile;
        this.model = inMemory != null ? inMemory : decode(modelFile);
        this.outputs = model.predict(new Matrix(1, model.features())).cols();
        featuresCol = new Param<>(this, "featuresCol", "input column of feature vectors");
        predictionCol = new Param<>(this, "predictionCol", "output column of predictions");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
    }

    /** The stage of an in-memory kernels4j model (saved with feature names x0, x1, …). */
    public static KernelModel of(org.kernels4j.model.Model model) {
        return new KernelModel(Identifiable.randomUID("k4jModel"), encode(model), model);
    }

    /**
     * The stage of a kernels4j model file, read through Hadoop's file systems (a local path, hdfs://, s3a://…).
     *
     * @throws IllegalArgumentException when the file is missing or not a valid model file
     */
    public static KernelModel fromFile(String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            FileSystem fs = p.getFileSystem(hadoopConf());
            try (InputStream in = fs.open(p)) {
                return new KernelModel(Identifiable.randomUID("k4jModel"), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the kernels4j model file " + path + ": " + e.getMessage(),
                    e);
        }
    }

    private static Configuration hadoopConf() {
        scala.Option<SparkSession> s = SparkSession.getActiveSession();
        return s.isDefined() ? s.get().sparkContext().hadoopConfiguration() : new Configuration();
    }

    static byte[] encode(org.kernels4j.model.Model model) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < model.features(); j++) {
            names.add("x" + j);
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("kernels4j-spark", ".k4j");
            ModelFiles.save(model, names, tmp);
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a temporary model file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Model files are read from paths by kernels4j-io, so the bytes go through a temporary file. */
    static org.kernels4j.model.Model decode(byte[] bytes) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("kernels4j-spark", ".k4j");
            Files.write(tmp, bytes);
            SavedModel saved = ModelFiles.load(tmp);
            return saved.model();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a temporary model file: " + e.getMessage(), e);
        } catch (Kernels4jException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }

    private static org.kernels4j.model.Model cached(Broadcast<byte[]> b) {
        synchronized (DECODED) {
            return DECODED.computeIfAbsent(b.id(), id -> decode(b.value()));
        }
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The kernels4j model (on the driver). */
    public org.kernels4j.model.Model model() {
        return model;
    }

    /** The model file's bytes (a copy). */
    public byte[] modelFile() {
        return modelFile.clone();
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public KernelModel setFeaturesCol(String v) {
        set(featuresCol, v);
        return this;
    }

    public KernelModel setPredictionCol(String v) {
        set(predictionCol, v);
        return this;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SparkSupport.requireVector(schema, getFeaturesCol(), "features");
        SparkSupport.requireNew(schema, getPredictionCol());
        return SparkSupport.withColumn(schema, getPredictionCol(), outputs == 1 ? DataTypes.DoubleType
                : SQLDataTypes.VectorType());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        String col = getFeaturesCol();
        int fi = dataset.schema().fieldIndex(col);
        int d = model.features();
        boolean scalar = outputs == 1;
        Broadcast<byte[]> bytes = DistributedLandmarks.broadcast(dataset.toDF().javaRDD(), modelFile);
        return dataset.toDF().mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
            org.kernels4j.model.Model m = cached(bytes);
            return SparkSupport.appendColumn(it, fi, col, x -> {
                if (x.cols() != d) {
                    throw new IllegalArgumentException("the features column '" + col + "' has vectors of size "
                            + x.cols() + " but the model was fitted on " + d + " features");
                }
                Matrix p = m.predict(x);
                if (!scalar) {
                    return SparkSupport.vectors(p);
                }
                Object[] v = new Object[p.rows()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = p.get(i, 0);
                }
                return v;
            });
        }, Encoders.row(out));
    }

    @Override
    public KernelModel copy(ParamMap extra) {
        KernelModel c = new KernelModel(uid, modelFile, model);
        return copyValues(c, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Writes the params as Spark ML metadata and the model file beside them. */
    static final class Writer extends MLWriter {
        private final KernelModel stage;

        Writer(KernelModel stage) {
            this.stage = stage;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(stage, path, sparkSession());
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path, DATA_FILE);
            try {
                FileSystem fs = p.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (OutputStream o = fs.create(p, true)) {
                    o.write(stage.modelFile);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + p + ": " + e.getMessage(), e);
            }
        }
    }

    /** Reads what {@link Writer} wrote. */
    static final class Reader extends MLReader<KernelModel> {
        @Override
        public KernelModel load(String path) {
            DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    KernelModel.class.getName());
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path, DATA_FILE);
            byte[] bytes;
            try {
                FileSystem fs = p.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (InputStream in = fs.open(p)) {
                    bytes = in.readAllBytes();
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage(), e);
            }
            KernelModel m = new KernelModel(meta.uid(), bytes);
            meta.getAndSetParams(m, scala.Option.empty());
            return m;
        }
    }

    public static MLReader<KernelModel> read() {
        return new Reader();
    }

    public static KernelModel load(String path) {
        return read().load(path);
    }
}
