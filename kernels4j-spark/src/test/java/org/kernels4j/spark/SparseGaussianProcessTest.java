package org.kernels4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.gp.SparseGaussianProcessModel;
import org.kernels4j.linalg.Matrix;

class SparseGaussianProcessTest {
    private static final String KERNEL = "1.2*rbf(length=0.8) + white(noise=0.05)";

    private static SparseGaussianProcess stage() {
        return new SparseGaussianProcess().setKernel(KERNEL).setNumInducing(8).setSeed(3);
    }

    private static double maxAbs(Matrix a) {
        double s = 0;
        for (double v : a.data()) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }

    private static double maxRelative(double[] a, double[] b) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff / scale;
    }

    /**
     * Same rows, inducing points and start: the bound, its gradient (hyperparameters and inducing inputs) and the
     * fitted model's predictions equal the single-machine SparseGaussianProcess's for 1, 3 and 16 partitions.
     */
    @Test
    void equalsTheSingleMachineSparseGpForAnyPartitioning() {
        Matrix x = SharedSpark.inputs(150, 2, 31);
        Matrix y = SharedSpark.targets(x);
        Matrix xt = SharedSpark.inputs(7, 2, 32);
        SparseGaussianProcess est = stage();
        org.kernels4j.gp.SparseGaussianProcess single = est.local();
        // the stage's start is the core's uniform sample, drawn here by the core's own sampler
        Matrix z0 = x.selectRows(Landmarks.uniform(150, 8, 3));
        assertEquals(0.0, single.initialInducing(x).maxAbsDifference(z0));
        HyperparameterSearch.Evidence expected = single.bound(x, y, z0);
        SparseGaussianProcessModel singleModel = single.fit(x, y);
        Matrix mean = singleModel.predict(xt);
        double[] variance = singleModel.variance(xt, 0);
        for (int parts : new int[] {1, 3, 16}) {
            JavaRDD<SparkSupport.Block> blocks = SparkSupport.cachedBlocks(SharedSpark.frame(x, y, parts), "features",
                    "label");
            try {
                SparseGaussianProcess.DistributedRows rows = new SparseGaussianProcess.DistributedRows(blocks, 150);
                HyperparameterSearch.Evidence e = single.bound(rows, z0);
                assertEquals(expected.value(), e.value(), 1e-8 * Math.abs(expected.value()), parts + " partitions");
                assertTrue(maxRelative(expected.gradient(), e.gradient()) < 1e-8, parts + " partitions: gradient");
                assertEquals(16, e.extraGradient().length);
                assertTrue(maxRelative(expected.extraGradient(), e.extraGradient()) < 1e-8, parts + " partitions: dF/dZ");
                assertEquals(1, rows.statisticsPasses);
                assertEquals(1, rows.gradientPasses);
                SparseGaussianProcessModel dist = est.fitBlocks(blocks);
                assertEquals(singleModel.bound(), dist.bound(), 1e-8 * Math.abs(singleModel.bound()));
                assertTrue(mean.maxAbsDifference(dist.predict(xt)) <= 1e-8 * maxAbs(mean), parts + " partitions: mean");
                assertTrue(maxRelative(variance, dist.variance(xt, 0)) < 1e-8, parts + " partitions: variance");
            } finally {
                blocks.unpersist(false);
            }
        }
        // through the stage: the prediction column is the single-machine mean
        KernelModel m = est.fit(SharedSpark.frame(x, y, 3));
        List<Row> pred = m.transform(SharedSpark.frame(xt, null, 2)).select("prediction").collectAsList();
        for (int i = 0; i < 7; i++) {
            assertEquals(mean.get(i, 0), pred.get(i).getDouble(0), 1e-8 * maxAbs(mean));
        }
    }

    /** The hyperparameter search runs the core's L-BFGS on the aggregated bound: same optimum as one machine. */
    @Test
    void learnsTheSameHyperparametersAndInducingInputsAsOneMachine() {
        Matrix x = SharedSpark.inputs(120, 2, 41);
        Matrix y = SharedSpark.targets(x);
        SparseGaussianProcess est = stage().setMaxIter(3).setNumInducing(6);
        SparseGaussianProcessModel single = est.local().fit(x, y);
        KernelModel fitted = est.fit(SharedSpark.frame(x, y, 3));
        SparseGaussianProcessModel dist = (SparseGaussianProcessModel) fitted.model();
        assertTrue(single.search() != null && dist.search() != null);
        assertEquals(single.bound(), dist.bound(), 1e-8 * Math.abs(single.bound()));
        double[] a = single.kernel().hyperparameters().stream().mapToDouble(h -> h.value()).toArray();
        double[] b = dist.kernel().hyperparameters().stream().mapToDouble(h -> h.value()).toArray();
        assertTrue(maxRelative(a, b) < 1e-8, single.kernel() + " vs " + dist.kernel());
        assertTrue(single.inducingInputs().maxAbsDifference(dist.inducingInputs()) < 1e-8);
        // and the search did something: the bound rose from the start's
        double start = est.local().bound(x, y, x.selectRows(Landmarks.uniform(120, 6, 3))).value();
        assertTrue(dist.bound() > start, start + " -> " + dist.bound());
    }

    /** Empty and one-row partitions; a pipeline with the stage saves, loads and predicts the same. */
    @Test
    void emptyAndSingleRowPartitionsAndPersistence(@TempDir Path dir) throws java.io.IOException {
        Matrix x = SharedSpark.inputs(12, 2, 5);
        Matrix y = SharedSpark.targets(x);
        SparseGaussianProcess est = stage().setNumInducing(4);
        SparseGaussianProcessModel single = est.local().fit(x, y);
        Dataset<Row> df = SharedSpark.frame(x, y, 16); // 4 empty partitions, 12 of one row
        PipelineModel p = new Pipeline().setStages(new PipelineStage[] {est}).fit(df);
        SparseGaussianProcessModel dist = (SparseGaussianProcessModel) ((KernelModel) p.stages()[0]).model();
        Matrix expected = single.predict(x);
        assertTrue(expected.maxAbsDifference(dist.predict(x)) <= 1e-8 * maxAbs(expected));
        String path = dir.resolve("sgp").toString();
        p.write().overwrite().save(path);
        List<Row> again = PipelineModel.load(path).transform(df).select("prediction").collectAsList();
        for (int i = 0; i < 12; i++) {
            assertEquals(expected.get(i, 0), again.get(i).getDouble(0), 1e-8 * maxAbs(expected));
        }
        est.write().overwrite().save(dir.resolve("estimator").toString());
        SparseGaussianProcess loaded = SparseGaussianProcess.load(dir.resolve("estimator").toString());
        assertEquals(KERNEL, loaded.getKernel());
        assertEquals(4, loaded.getNumInducing());
        assertEquals(3L, loaded.getSeed());
    }

    @Test
    void badInputIsOneClearError() {
        Matrix x = SharedSpark.inputs(6, 2, 1);
        Dataset<Row> df = SharedSpark.frame(x, SharedSpark.targets(x), 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stage().setLabelCol("y").fit(df));
        assertTrue(e.getMessage().contains("label column 'y' does not exist"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> stage().setFeaturesCol("label").fit(df));
        assertTrue(e.getMessage().contains("must be of type Vector"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> stage().setKernel("rbf(length=1)").fit(df));
        assertTrue(e.getMessage().contains("needs observation noise"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> stage().fit(df)); // 8 inducing points, 6 rows
        assertEquals("asked for 8 inducing points but the data set has only 6 rows", e.getMessage());
        StructType schema = new StructType().add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
                .add("label", DataTypes.DoubleType);
        Dataset<Row> nan = SharedSpark.spark().createDataFrame(List.of(
                RowFactory.create(org.apache.spark.ml.linalg.Vectors.dense(1, 2), 1.0),
                RowFactory.create(org.apache.spark.ml.linalg.Vectors.dense(0, 2), Double.NaN)), schema);
        e = assertThrows(IllegalArgumentException.class, () -> stage().setNumInducing(1).fit(nan));
        assertEquals("the label column 'label' has a NaN value", e.getMessage());
        Dataset<Row> empty = SharedSpark.spark().createDataFrame(List.<Row>of(), schema);
        e = assertThrows(IllegalArgumentException.class, () -> stage().fit(empty));
        assertEquals("the data set has no rows", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> stage().setNumInducing(0));
        assertThrows(IllegalArgumentException.class, () -> stage().setMaxIter(-1));
        assertThrows(IllegalArgumentException.class, () -> stage().setJitter(-1e-6));
    }

    @Test
    void defaultsAreTheSingleMachineBuildersAndCopyIsIndependent() {
        SparseGaussianProcess s = new SparseGaussianProcess();
        assertEquals("features", s.getFeaturesCol());
        assertEquals("label", s.getLabelCol());
        assertEquals("prediction", s.getPredictionCol());
        assertEquals("rbf(length=1) + white(noise=0.1)", s.getKernel());
        assertEquals(100, s.getNumInducing());
        assertEquals(0L, s.getSeed());
        assertEquals(0, s.getMaxIter());
        assertEquals(true, s.getOptimizeInducing());
        assertEquals(1e-6, s.getJitter());
        SparseGaussianProcess c = s.copy(new org.apache.spark.ml.param.ParamMap().put(s.numInducing().w(7)));
        assertEquals(7, c.getNumInducing());
        assertEquals(100, s.getNumInducing());
        assertTrue(java.util.ServiceLoader.load(org.apache.spark.ml.Estimator.class).stream()
                .anyMatch(p -> p.type() == SparseGaussianProcess.class), "registered for the service loader");
    }
}
