package org.kernels4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.approx.Nystrom;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

class NystromFeaturesTest {

    @Test
    void sampledLandmarksGiveTheSingleMachineMapAndSurviveSaving(@TempDir Path dir) throws Exception {
        Matrix x = SharedSpark.inputs(60, 2, 31);
        Dataset<Row> df = SharedSpark.frame(x, null, 3);
        NystromFeaturesModel model = new NystromFeatures().setKernel("rbf(gamma=0.8)").setNumLandmarks(12).setSeed(4)
                .fit(df);
        Matrix c = x.selectRows(Landmarks.uniform(60, 12, 4));
        Matrix expected = Nystrom.of(KernelSpec.parse("rbf(gamma=0.8)"), c).transform(x);
        Matrix got = rows(model.transform(df).select("kernelFeatures").collectAsList());
        assertTrue(expected.maxAbsDifference(got) < 1e-12, "features differ by " + expected.maxAbsDifference(got));
        // φ(c_i)·φ(c_j) = k(c_i, c_j) on the landmarks (exactness of Nyström there), checked against the kernel
        Matrix fc = model.map().transform(c);
        Matrix k = GramEngine.gram(KernelSpec.parse("rbf(gamma=0.8)"), c);
        assertTrue(fc.times(fc.transpose()).maxAbsDifference(k) < 1e-8);
        String path = dir.resolve("nys").toString();
        model.write().overwrite().save(path);
        Matrix again = rows(NystromFeaturesModel.load(path).transform(df).select("kernelFeatures").collectAsList());
        assertEquals(0.0, got.maxAbsDifference(again), 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NystromFeatures()
                .setInputCol("label").fit(df));
        assertTrue(e.getMessage().contains("must be of type Vector"), e.getMessage());
    }

    private static Matrix rows(List<Row> rows) {
        double[][] v = new double[rows.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Vector) rows.get(i).get(0)).toArray();
        }
        return Matrix.of(v);
    }
}
