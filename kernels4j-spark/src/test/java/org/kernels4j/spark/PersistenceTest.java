package org.kernels4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;

/** Pipelines with kernels4j stages save, load and predict the same; any saved model file is a stage. */
class PersistenceTest {

    private static double[] predictions(PipelineModel m, Dataset<Row> df) {
        return m.transform(df).select("prediction").collectAsList().stream().mapToDouble(r -> r.getDouble(0))
                .toArray();
    }

    @Test
    void pipelineWithKernelStagesRoundTrips(@TempDir Path dir) throws Exception {
        Matrix x = SharedSpark.inputs(120, 2, 4);
        Dataset<Row> df = SharedSpark.frame(x, SharedSpark.targets(x), 2);
        // random features + Spark's own linear regression: an approximate kernel ridge regression
        Pipeline rff = new Pipeline().setStages(new PipelineStage[] {
            new RandomFeatures().setKernel("rbf(gamma=0.5)").setNumFeatures(64).setSeed(9),
            new LinearRegression().setFeaturesCol("kernelFeatures").setRegParam(1e-3)});
        // a Nyström KRR stage (its model is a KernelModel)
        Pipeline krr = new Pipeline().setStages(new PipelineStage[] {
            new NystromKernelRidge().setKernel("rbf(gamma=0.5)").setNumCenters(20).setLambda(1e-2)
                .setCenterTargets(true)});
        int k = 0;
        for (Pipeline p : new Pipeline[] {rff, krr}) {
            PipelineModel fitted = p.fit(df);
            String path = dir.resolve("pipeline" + k++).toString();
            fitted.write().overwrite().save(path);
            PipelineModel loaded = PipelineModel.load(path);
            double[] a = predictions(fitted, df);
            double[] b = predictions(loaded, df);
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 0.0, "row " + i); // the same model, bit for bit
            }
            // and the fit is a useful regression: residuals well below the target's spread
            double[] y = SharedSpark.targets(x).data();
            double rss = 0;
            double tss = 0;
            double mean = java.util.Arrays.stream(y).average().orElseThrow();
            for (int i = 0; i < y.length; i++) {
                rss += (y[i] - a[i]) * (y[i] - a[i]);
                tss += (y[i] - mean) * (y[i] - mean);
            }
            assertTrue(rss < 0.2 * tss, "R^2 = " + (1 - rss / tss));
        }
        // the estimators themselves are writable with their params
        NystromKernelRidge est = new NystromKernelRidge().setLambda(0.25).setSampler("leverage");
        est.write().overwrite().save(dir.resolve("est").toString());
        NystromKernelRidge back = NystromKernelRidge.load(dir.resolve("est").toString());
        assertEquals(0.25, back.getLambda());
        assertEquals("leverage", back.getSampler());
        assertEquals(est.uid(), back.uid());
        RandomFeatures rf = new RandomFeatures().setFamily("orthogonal").setNumFeatures(33);
        rf.write().overwrite().save(dir.resolve("rf").toString());
        RandomFeatures rf2 = RandomFeatures.load(dir.resolve("rf").toString());
        assertEquals("orthogonal", rf2.getFamily());
        assertEquals(33, rf2.getNumFeatures());
    }

    @Test
    void anySavedModelFileIsATransformer(@TempDir Path dir) throws Exception {
        Matrix x = SharedSpark.inputs(50, 3, 6);
        Matrix y = SharedSpark.targets(x);
        KernelRidgeModel exact = KernelRidge.builder(KernelSpec.parse("rbf(gamma=0.3)")).lambda(0.1).build()
                .fit(x, y);
        Path file = dir.resolve("krr.k4j");
        ModelFiles.save(exact, List.of("a", "b", "c"), file);
        KernelModel stage = KernelModel.fromFile(file.toString()).setPredictionCol("yhat");
        List<Row> out = stage.transform(SharedSpark.frame(x, y, 3)).select("yhat").collectAsList();
        Matrix expected = exact.predict(x);
        for (int i = 0; i < 50; i++) {
            assertEquals(expected.get(i, 0), out.get(i).getDouble(0), 1e-12, "row " + i);
        }
        // the saved stage's data file is the model file itself
        stage.write().overwrite().save(dir.resolve("stage").toString());
        assertTrue(Files.exists(dir.resolve("stage/data/model.k4j")));
        KernelRidgeModel reread = ModelFiles.load(dir.resolve("stage/data/model.k4j"), KernelRidgeModel.class,
                "kernel ridge");
        assertEquals(0.0, reread.predict(x).maxAbsDifference(expected), 1e-12);
        assertEquals("yhat", KernelModel.load(dir.resolve("stage").toString()).getPredictionCol());
        // wrong vector size and a missing file are one clear message
        // (a transform is lazy: its executor-side error reaches the user's action as Spark's job failure, whose
        // cause is the one IllegalArgumentException)
        Exception failure = assertThrows(Exception.class, () -> stage.transform(
                SharedSpark.frame(SharedSpark.inputs(4, 2, 1), null, 1)).collectAsList());
        Throwable cause = failure;
        while (!(cause instanceof IllegalArgumentException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertTrue(cause instanceof IllegalArgumentException, failure.toString());
        assertEquals("the features column 'features' has vectors of size 2 but the model was fitted on 3 features",
                cause.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelModel.fromFile(dir.resolve("none").toString()));
        assertTrue(e.getMessage().startsWith("cannot read the kernels4j model file"), e.getMessage());
    }
}
