package org.kernels4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.kernels4j.approx.RandomFourierFeatures;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

class RandomFeaturesTest {

    /** Every family on 3 partitions equals the single-machine map row by row; fourier is the plain RFF formula. */
    @Test
    void everyFamilyMatchesTheSingleMachineMap() {
        Matrix x = SharedSpark.inputs(40, 3, 11);
        Dataset<Row> df = SharedSpark.frame(x, null, 3);
        String[][] cases = {{"fourier", "rbf(gamma=0.5)"}, {"orthogonal", "rbf(gamma=0.5)"},
            {"positive", "rbf(gamma=0.5)"}, {"quantized", "rbf(gamma=0.5)"},
            {"network", "ntk(depth=1, activation=relu, w_var=2, b_var=0.1)"}};
        for (String[] c : cases) {
            RandomFeatures stage = new RandomFeatures().setFamily(c[0]).setKernel(c[1]).setNumFeatures(16).setSeed(7);
            List<Row> out = stage.transform(df).select("kernelFeatures").collectAsList();
            Matrix expected = RandomFeatures.buildMap(c[0], KernelSpec.parse(c[1]), 16, 3, 7, 16, 1).transform(x);
            assertEquals(40, out.size());
            for (int i = 0; i < 40; i++) {
                double[] got = ((Vector) out.get(i).get(0)).toArray();
                assertEquals(expected.cols(), got.length, c[0]);
                for (int j = 0; j < got.length; j++) {
                    assertEquals(expected.get(i, j), got[j], 1e-12, c[0] + " row " + i);
                }
            }
        }
        // independent check of the fourier family: φ(x) = √(2/D)·cos(Wx + b) form gives φ(x)·φ(x) ≈ k(x, x) = 1
        RandomFeatures rff = new RandomFeatures().setKernel("rbf(gamma=0.5)").setNumFeatures(4000).setSeed(3);
        Row r0 = rff.transform(df).select("kernelFeatures").first();
        double[] f = ((Vector) r0.get(0)).toArray();
        double norm = 0;
        for (double v : f) {
            norm += v * v;
        }
        assertEquals(1.0, norm, 0.1, "random features must reproduce k(x, x) = 1 for rbf");
        assertTrue(RandomFeatures.buildMap("fourier", KernelSpec.parse("rbf(gamma=0.5)"), 8, 3, 1, 16, 1)
                instanceof RandomFourierFeatures);
    }

    @Test
    void badInputIsOneClearError() {
        Dataset<Row> df = SharedSpark.frame(SharedSpark.inputs(5, 2, 1), null, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RandomFeatures().setInputCol("label").transform(df));
        assertTrue(e.getMessage().contains("'label' must be of type Vector"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RandomFeatures().setInputCol("nope")
                .transformSchema(df.schema()));
        assertTrue(e.getMessage().contains("'nope' does not exist"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RandomFeatures().setOutputCol("label")
                .transformSchema(df.schema()));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RandomFeatures().setFamily("bogus"));
        assertThrows(IllegalArgumentException.class, () -> new RandomFeatures().setNumFeatures(0));
        e = assertThrows(IllegalArgumentException.class, () -> new RandomFeatures().setFamily("positive")
                .setKernel("laplacian(gamma=1)").transform(df));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RandomFeatures().setKernel("nokernel(x=1)")
                .transformSchema(df.schema()));
        assertTrue(e.getMessage().contains("nokernel"), e.getMessage());
    }

    @Test
    void defaultsAndCopy() {
        RandomFeatures s = new RandomFeatures();
        assertEquals("features", s.getInputCol());
        assertEquals("kernelFeatures", s.getOutputCol());
        assertEquals("rbf(gamma=1)", s.getKernel());
        assertEquals("fourier", s.getFamily());
        assertEquals(1000, s.getNumFeatures());
        assertEquals(1L, s.getSeed());
        assertEquals(16, s.getBlockLength());
        assertEquals(1, s.getBits());
        RandomFeatures c = s.copy(new org.apache.spark.ml.param.ParamMap().put(s.numFeatures().w(12)));
        assertEquals(12, c.getNumFeatures());
        assertEquals(1000, s.getNumFeatures(), "copy leaves the original alone");
        assertEquals(s.uid(), c.uid());
    }
}
