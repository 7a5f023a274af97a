package org.kernels4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidgeModel;

class NystromKernelRidgeTest {
    private static final String KERNEL = "rbf(gamma=0.5)";

    private static double maxAbs(Matrix a) {
        double s = 0;
        for (double v : a.data()) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }

    /**
     * A fixed number of CG iterations (tolerance 0), so that both sides run exactly the same iterations: the
     * comparison is as strict as with a converged solve, at a fraction of the Spark jobs (one per iteration).
     */
    private static NystromKernelRidge stage() {
        return new NystromKernelRidge().setKernel(KERNEL).setLambda(1e-1).setNumCenters(40).setSeed(5)
                .setTol(0).setMaxIter(12).setCenterTargets(true);
    }

    /** Same data, order and seed: the same centres and α as one machine for 1, 3 and 16 partitions. */
    @Test
    void equalsTheSingleMachineSolverForAnyPartitioning() {
        Matrix x = SharedSpark.inputs(300, 3, 21);
        Matrix y = SharedSpark.targets(x);
        NystromKernelRidge est = stage();
        KernelRidgeModel single = est.local().fit(x, y);
        Matrix alpha = single.dualCoefficients();
        for (int parts : new int[] {1, 3, 16}) {
            KernelModel m = est.fit(SharedSpark.frame(x, y, parts));
            KernelRidgeModel dist = (KernelRidgeModel) m.model();
            assertTrue(Arrays.equals(single.report().numbers("center_indices"),
                    dist.report().numbers("center_indices")), parts + " partitions: same centres");
            double diff = alpha.maxAbsDifference(dist.dualCoefficients());
            assertTrue(diff <= 1e-8 * maxAbs(alpha), parts + " partitions: alpha differs by " + diff);
            // predictions through the Spark stage equal the single-machine model's
            List<Row> pred = m.transform(SharedSpark.frame(x, y, 2)).select("prediction").collectAsList();
            Matrix expected = single.predict(x);
            for (int i = 0; i < 300; i += 37) {
                assertEquals(expected.get(i, 0), pred.get(i).getDouble(0), 1e-8 * maxAbs(expected));
            }
        }
        // the centres are Landmarks.uniform's rows, chosen independently here
        int[] idx = Landmarks.uniform(300, 40, 5);
        assertTrue(Arrays.equals(Arrays.stream(idx).asDoubleStream().toArray(),
                single.report().numbers("center_indices")));
    }

    /** Leverage centres: the distributed solve equals the single-machine solve on the same centres. */
    @Test
    void leverageCentresSolveAsOnOneMachine() {
        Matrix x = SharedSpark.inputs(200, 2, 8);
        Matrix y = SharedSpark.targets(x);
        // converged (fitWithCenters is not the same CG path as the stage's, so a fixed iteration count differs)
        NystromKernelRidge est = stage().setSampler("leverage").setNumCenters(30).setTol(1e-10).setMaxIter(300);
        KernelModel m = est.fit(SharedSpark.frame(x, y, 4));
        KernelRidgeModel dist = (KernelRidgeModel) m.model();
        int[] idx = Arrays.stream(dist.report().numbers("center_indices")).mapToInt(v -> (int) v).toArray();
        assertEquals(30, Arrays.stream(idx).distinct().count(), "distinct centres");
        KernelRidgeModel single = est.local().fitWithCenters(x, y, x.selectRows(idx), idx);
        double diff = single.dualCoefficients().maxAbsDifference(dist.dualCoefficients());
        assertTrue(diff <= 1e-8 * maxAbs(single.dualCoefficients()), "alpha differs by " + diff);
        KernelRidgeModel again = (KernelRidgeModel) est.fit(SharedSpark.frame(x, y, 3)).model();
        assertTrue(Arrays.equals(dist.report().numbers("center_indices"), again.report().numbers("center_indices")),
                "the sample depends on the seed and row order, not on the partitioning");
        // the scores behind the sample are the single-machine approximate leverage scores
        double[] local = Landmarks.approximateLeverageScores(KernelSpec.parse(KERNEL), x, 1e-1, 200, 5);
        double[] ones = new double[200];
        Arrays.fill(ones, 1);
        double[] against = Landmarks.leverageScoresAgainst(KernelSpec.parse(KERNEL), x,
                x.selectRows(Landmarks.uniform(200, 200, 5)), ones, 1e-1);
        for (int i = 0; i < 200; i++) {
            assertEquals(local[i], against[i], 1e-9 * Math.max(1, Math.abs(local[i])));
        }
    }

    /** Empty partitions and one-row partitions are fine; the answer is still the single machine's. */
    @Test
    void emptyAndSingleRowPartitions() {
        Matrix x = SharedSpark.inputs(12, 2, 3);
        Matrix y = SharedSpark.targets(x);
        NystromKernelRidge est = stage().setNumCenters(5);
        KernelRidgeModel single = est.local().fit(x, y);
        KernelRidgeModel dist = (KernelRidgeModel) est.fit(SharedSpark.frame(x, y, 16)).model(); // 4 empty, 12 of one row
        assertTrue(single.dualCoefficients().maxAbsDifference(dist.dualCoefficients())
                <= 1e-8 * maxAbs(single.dualCoefficients()));
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
        StructType schema = new StructType().add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
                .add("label", DataTypes.DoubleType);
        Dataset<Row> nan = SharedSpark.spark().createDataFrame(List.of(
                RowFactory.create(org.apache.spark.ml.linalg.Vectors.dense(1, 2), 1.0),
                RowFactory.create(org.apache.spark.ml.linalg.Vectors.dense(Double.NaN, 2), 0.0)), schema);
        e = assertThrows(IllegalArgumentException.class, () -> stage().fit(nan));
        assertTrue(e.getMessage().startsWith("the features column 'features' has a NaN value at feature 0"),
                e.getMessage());
        Dataset<Row> empty = SharedSpark.spark().createDataFrame(List.<Row>of(), schema);
        e = assertThrows(IllegalArgumentException.class, () -> stage().fit(empty));
        assertEquals("the data set has no rows", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> stage().setLambda(0));
        assertThrows(IllegalArgumentException.class, () -> stage().setSampler("dpp"));
    }

    @Test
    void defaults() {
        NystromKernelRidge s = new NystromKernelRidge();
        assertEquals("features", s.getFeaturesCol());
        assertEquals("label", s.getLabelCol());
        assertEquals("prediction", s.getPredictionCol());
        assertEquals(1e-3, s.getLambda());
        assertEquals(1000, s.getNumCenters());
        assertEquals("uniform", s.getSampler());
        assertEquals(100, s.getMaxIter());
        assertEquals(1e-7, s.getTol());
        assertEquals(false, s.getCenterTargets());
        assertEquals(1L, s.getSeed());
        assertEquals("rbf(gamma=1)", s.getKernel());
        NystromKernelRidge c = s.copy(new org.apache.spark.ml.param.ParamMap().put(s.lambda().w(0.5)));
        assertEquals(0.5, c.getLambda());
        assertEquals(1e-3, s.getLambda());
    }
}
