package org.kernels4j.spark.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.kernels4j.spark.NystromKernelRidge;
import org.kernels4j.spark.RandomFeatures;

/**
 * kernels4j inside Spark ML, in local mode with plain {@code java} (see docs/spark.md for the command): reads a
 * CSV whose last column is the target (default: the bundled data/diabetes.csv), splits it 80/20, and fits
 * three pipelines: Spark's linear regression, random Fourier features + Spark's linear regression (an
 * approximate kernel ridge regression), and kernels4j's Nyström kernel ridge regression. Prints the test RMSE of
 * each, then saves and reloads the Nyström pipeline and checks its predictions are unchanged.
 */
public final class LocalExample {
    private LocalExample() {
    }

    public static void main(String[] args) throws Exception {
        String csv = args.length > 0 ? args[0] : "data/diabetes.csv";
        if (!Files.isRegularFile(Path.of(csv))) {
            System.err.println("no such CSV file: " + csv);
            System.exit(2);
        }
        SparkSession spark = SparkSession.builder().master("local[*]").appName("kernels4j-spark-example")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "true").csv(csv);
            String[] cols = raw.columns();
            String target = cols[cols.length - 1];
            Dataset<Row> data = new VectorAssembler().setInputCols(Arrays.copyOf(cols, cols.length - 1))
                    .setOutputCol("raw").transform(raw).withColumnRenamed(target, "label");
            Dataset<Row>[] split = data.randomSplit(new double[] {0.8, 0.2}, 42);
            StandardScaler scale = new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true);
            Pipeline linear = new Pipeline().setStages(new PipelineStage[] {scale, new LinearRegression()});
            Pipeline rff = new Pipeline().setStages(new PipelineStage[] {scale,
                new RandomFeatures().setKernel("rbf(gamma=0.05)").setNumFeatures(100).setSeed(1),
                new LinearRegression().setFeaturesCol("kernelFeatures").setRegParam(0.3)});
            Pipeline nystrom = new Pipeline().setStages(new PipelineStage[] {scale,
                new NystromKernelRidge().setKernel("rbf(gamma=0.05)").setLambda(1.0).setNumCenters(200)
                    .setCenterTargets(true)});
            RegressionEvaluator rmse = new RegressionEvaluator().setMetricName("rmse");
            PipelineModel kept = null;
            for (Object[] p : new Object[][] {{"linear regression", linear}, {"random features + linear", rff},
                {"Nystrom kernel ridge", nystrom}}) {
                PipelineModel m = ((Pipeline) p[1]).fit(split[0]);
                System.out.printf(Locale.ROOT, "%-26s test RMSE %.2f%n", p[0], rmse.evaluate(m.transform(split[1])));
                kept = m;
            }
            Path dir = Files.createTempDirectory("kernels4j-spark-example");
            kept.write().overwrite().save(dir.toString());
            double again = rmse.evaluate(PipelineModel.load(dir.toString()).transform(split[1]));
            System.out.printf(Locale.ROOT, "reloaded Nystrom pipeline  test RMSE %.2f (saved under %s)%n", again, dir);
        } finally {
            spark.stop();
        }
    }
}
