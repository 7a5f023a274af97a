package org.kernels4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.kernels4j.density.KernelDensity;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.privacy.PrivateKernelSum;

class KernelSumsTest {

    /** Kernel sums against brute force; KDE against the single-machine estimator, for 1, 3 and 16 partitions. */
    @Test
    void sumsAndDensitiesEqualTheSingleMachine() {
        Matrix x = SharedSpark.inputs(90, 2, 13);
        Matrix q = SharedSpark.inputs(7, 2, 14);
        double[] brute = new double[7];
        for (int j = 0; j < 7; j++) {
            for (int i = 0; i < 90; i++) {
                double d2 = 0;
                for (int c = 0; c < 2; c++) {
                    d2 += (x.get(i, c) - q.get(j, c)) * (x.get(i, c) - q.get(j, c));
                }
                brute[j] += Math.exp(-0.7 * d2);
            }
        }
        double[] single = KernelDensity.fit(KernelDensity.Profile.EPANECHNIKOV, x, null, KernelDensity.scalar(1.3, 2))
                .logDensity(q);
        double[] gauss = KernelDensity.fit(KernelDensity.Profile.GAUSSIAN, x, null, KernelDensity.scalar(0.4, 2))
                .logDensity(q);
        for (int parts : new int[] {1, 3, 16}) {
            Dataset<Row> df = SharedSpark.frame(x, null, parts);
            double[] s = KernelSums.sums(df, "features", "rbf(gamma=0.7)", q);
            double[] lf = KernelSums.logDensity(df, "features", "epanechnikov", 1.3, q);
            double[] lg = KernelSums.logDensity(df, "features", "gaussian", 0.4, q);
            for (int j = 0; j < 7; j++) {
                assertEquals(brute[j], s[j], 1e-10 * brute[j], parts + " partitions, sum " + j);
                assertEquals(single[j], lf[j], 1e-10 * Math.abs(single[j]), parts + " partitions, kde " + j);
                assertEquals(gauss[j], lg[j], 1e-10 * Math.abs(gauss[j]), parts + " partitions, gaussian kde " + j);
            }
        }
        // the gaussian KDE in closed form at one query: (1/n)Σ (2πh²)^(-d/2) exp(−‖x − q‖²/(2h²))
        double f = 0;
        for (int i = 0; i < 90; i++) {
            double d2 = Math.pow(x.get(i, 0) - q.get(0, 0), 2) + Math.pow(x.get(i, 1) - q.get(0, 1), 2);
            f += Math.exp(-d2 / (2 * 0.16)) / (2 * Math.PI * 0.16);
        }
        assertEquals(Math.log(f / 90), gauss[0], 1e-10);
    }

    /**
     * The distributed private release answers as the noise-free mean within the noise's bound: at a huge ε the
     * noise is negligible and the answer must match the exact random-feature mean computed here from the
     * public frequencies; the recorded sensitivity is the single-machine one.
     */
    @Test
    void privateReleaseFromExecutors() {
        Matrix x = SharedSpark.inputs(120, 2, 17);
        Matrix q = SharedSpark.inputs(4, 2, 18);
        Dataset<Row> df = SharedSpark.frame(x, null, 5);
        PrivateKernelSum r = KernelSums.privateRelease(df, "features", "rbf(gamma=0.5)", 64, 1e6, 3);
        PrivateKernelSum local = PrivateKernelSum.builder(org.kernels4j.kernel.KernelSpec.parse("rbf(gamma=0.5)"))
                .features(64).epsilon(1e6).frequencySeed(3).build().fit(x);
        assertEquals(local.sensitivity(), r.sensitivity(), 0.0);
        assertEquals(local.granularity(), r.granularity(), 0.0);
        assertEquals(120, (int) r.report().number("n"));
        double[] got = r.means(q);
        double[] ref = local.means(q);
        // each of the 64 noisy coordinates is off by ≤ γ/2 (rounding) + 50·(Δ′/ε) (Laplace tail e^-50);
        // a mean is φ(q)·μ̃ with Σ|φ_j(q)| ≤ √64·‖φ(q)‖ = 8
        double bound = 2 * 8 * (r.granularity() + 50 * r.noiseScale());
        for (int j = 0; j < 4; j++) {
            assertEquals(ref[j], got[j], bound, "query " + j);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelSums.privateRelease(df, "features", "rbf(gamma=0.5)", 63, 1, 3));
        assertTrue(e.getMessage().contains("even"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelSums.privateRelease(df, "features", "rbf", 64, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> KernelSums.logDensity(df, "features", "box", 1, q));
        assertThrows(IllegalArgumentException.class, () -> KernelSums.sums(df, "features", "rbf(gamma=1)",
                new Matrix(0, 2)));
        e = assertThrows(IllegalArgumentException.class, () -> KernelSums.sums(df, "features", "rbf(gamma=1)",
                new Matrix(1, 3)));
        assertTrue(e.getMessage().contains("size 2 but the queries have 3"), e.getMessage());
    }

    /** Random features + LinearSVC separate two rings that a linear SVM on the raw inputs cannot. */
    @Test
    void kernelSvmPipelineSeparatesRings() {
        java.util.Random rnd = new java.util.Random(2);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double label = i % 2;
            double radius = label == 1 ? 2.5 : 1.0;
            double a = rnd.nextDouble() * 2 * Math.PI;
            rows.add(RowFactory.create(Vectors.dense(radius * Math.cos(a) + 0.1 * rnd.nextGaussian(),
                    radius * Math.sin(a) + 0.1 * rnd.nextGaussian()), label));
        }
        Dataset<Row> df = SharedSpark.spark().createDataFrame(rows, SharedSpark.SCHEMA);
        // each LinearSVC iteration is one Spark job: 25 (not Spark's default 100) keep the test short
        org.apache.spark.ml.Pipeline svm = KernelSvm.pipeline("rbf(gamma=0.5)", 200, 1, 1e-4);
        ((org.apache.spark.ml.classification.LinearSVC) svm.getStages()[1]).setMaxIter(25);
        PipelineModel kernel = svm.fit(df);
        double kernelAccuracy = accuracy(kernel.transform(df));
        double linearAccuracy = accuracy(new org.apache.spark.ml.classification.LinearSVC().setRegParam(1e-4)
                .setMaxIter(25).fit(df).transform(df));
        assertTrue(kernelAccuracy > 0.97, "kernel SVM accuracy " + kernelAccuracy);
        assertTrue(linearAccuracy < 0.75, "a linear SVM cannot separate rings: " + linearAccuracy);
    }

    private static double accuracy(Dataset<Row> predicted) {
        List<Row> r = predicted.select("label", "prediction").collectAsList();
        return r.stream().filter(row -> row.getDouble(0) == row.getDouble(1)).count() / (double) r.size();
    }
}
