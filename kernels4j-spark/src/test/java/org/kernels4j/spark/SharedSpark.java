package org.kernels4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.kernels4j.linalg.Matrix;

/**
 * The one local[2] SparkSession of the module's tests (Spark takes seconds to start), created on first use and
 * stopped when the test JVM exits; plus the small data sets the tests share.
 */
final class SharedSpark {
    private static SparkSession spark;

    private SharedSpark() {
    }

    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("kernels4j-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.adaptive.enabled", "false")
                    // the tests' data are tiny: interpreting Spark SQL's expressions is faster than generating
                    // and compiling (Janino) Java code for every new query plan, which dominated the run time
                    .config("spark.sql.codegen.wholeStage", "false")
                    .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
            Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        }
        return spark;
    }

    static final StructType SCHEMA = new StructType().add("features", SQLDataTypes.VectorType(), false)
            .add("label", DataTypes.DoubleType, false);

    /** Gaussian inputs (n×d, seeded) with a smooth non-linear target. */
    static Matrix inputs(int n, int d, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x.set(i, j, r.nextGaussian());
            }
        }
        return x;
    }

    static double target(double[] row) {
        return Math.sin(2 * row[0]) + 0.5 * row[1] * row[row.length - 1];
    }

    static Matrix targets(Matrix x) {
        Matrix y = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            y.set(i, 0, target(x.row(i)));
        }
        return y;
    }

    /** The rows of x (and y) as a DataFrame with exactly the given number of partitions, row order kept. */
    static Dataset<Row> frame(Matrix x, Matrix y, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.rows(); i++) {
            rows.add(RowFactory.create(Vectors.dense(x.row(i)), y == null ? 0.0 : y.get(i, 0)));
        }
        // parallelize keeps the order and gives exactly this many slices (empty ones when rows < partitions)
        return spark().createDataFrame(org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                spark().sparkContext()).parallelize(rows, partitions), SCHEMA);
    }
}
