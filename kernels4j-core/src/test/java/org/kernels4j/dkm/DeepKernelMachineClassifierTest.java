package org.kernels4j.dkm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SpecialFunctions;
import org.kernels4j.model.ModelState;

class DeepKernelMachineClassifierTest {
    private static final Matrix X = TestData.gaussian(15, 3, 1, 21);
    private static final Matrix Q = TestData.gaussian(6, 3, 1.2, 22);
    private static final GramMap RELU = GramMap.nngp(Activation.relu(), 1, 0);
    private static final double NOISE = 0.05;

    /** Labels 2, 5, 7 (not 0..c−1, to catch index/label mix-ups) from the sign pattern of two features. */
    private static Matrix labels(Matrix x, int classes) {
        Matrix y = new Matrix(x.rows(), 1);
        double[] names = {2, 5, 7};
        for (int i = 0; i < x.rows(); i++) {
            int k = x.get(i, 0) > 0 ? 0 : 1;
            if (classes == 3 && x.get(i, 1) > 0.3) {
                k = 2;
            }
            y.set(i, 0, names[k]);
        }
        return y;
    }

    /** The NNGP label-regression classifier by another route: NeuralKernel's recursion and the exact GP. */
    private static GaussianProcessModel nngpOnOneHot(Matrix x, Matrix y, double[] classes) {
        Matrix t = new Matrix(x.rows(), classes.length);
        for (int i = 0; i < x.rows(); i++) {
            for (int k = 0; k < classes.length; k++) {
                t.set(i, k, y.get(i, 0) == classes[k] ? 1 - 1.0 / classes.length : -1.0 / classes.length);
            }
        }
        return GaussianProcess.builder(NeuralKernel.nngp(3, Activation.relu(), 1, 0)).noise(NOISE).build().fit(x, t);
    }

    @Test
    void hugeNuIsTheNngpLabelRegressionClassifierWithClosedFormBinaryProbabilities() {
        Matrix y = labels(X, 2);
        DeepKernelMachineClassifierModel m = DeepKernelMachineClassifier.of(
                DeepKernelMachine.builder(RELU).layers(2).nu(1e9).noise(NOISE).maxIterations(3).build()).fit(X, y);
        assertArrayEquals(new double[] {2, 5}, m.classes(), 0.0);
        GaussianProcessModel gp = nngpOnOneHot(X, y, m.classes());
        Matrix mean = gp.predict(Q);
        Matrix var = gp.predictiveVariance(Q);
        Matrix labels = m.predict(Q);
        Matrix p = m.probabilities(Q);
        Matrix scores = m.scores(Q);
        for (int t = 0; t < Q.rows(); t++) {
            assertEquals(mean.get(t, 0) > mean.get(t, 1) ? 2.0 : 5.0, labels.get(t, 0), 0.0);
            assertEquals(mean.get(t, 1) + 0.5, scores.get(t, 1), 1e-6);
            // two classes: P(f_1 > f_0) = Φ((μ_1 − μ_0)/√(2s²)), s² = latent variance + σ²
            double s2 = var.get(t, 0) + NOISE;
            double expected = SpecialFunctions.normalCdf((mean.get(t, 1) - mean.get(t, 0)) / Math.sqrt(2 * s2));
            assertEquals(expected, p.get(t, 1), 1e-6, "row " + t);
            assertEquals(1.0, p.get(t, 0) + p.get(t, 1), 1e-12);
        }
    }

    @Test
    void threeClassProbabilitiesMatchMonteCarloAndTheFileRoundTrips() {
        Matrix y = labels(X, 3);
        DeepKernelMachineClassifierModel m = DeepKernelMachineClassifier.of(
                DeepKernelMachine.builder(RELU).layers(1).nu(2).noise(NOISE).maxIterations(5).build()).fit(X, y);
        assertArrayEquals(new double[] {2, 5, 7}, m.classes(), 0.0);
        Matrix mean = m.regression().predict(Q);
        Matrix var = m.regression().predictiveVariance(Q);
        Matrix p = m.probabilities(Q);
        Random rnd = new Random(5);
        int draws = 40_000;
        for (int t = 0; t < 3; t++) {
            double s = Math.sqrt(var.get(t, 0) + NOISE);
            int[] wins = new int[3];
            for (int r = 0; r < draws; r++) {
                int best = 0;
                double top = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < 3; k++) {
                    double f = mean.get(t, k) + s * rnd.nextGaussian();
                    if (f > top) {
                        top = f;
                        best = k;
                    }
                }
                wins[best]++;
            }
            for (int k = 0; k < 3; k++) {
                double mc = wins[k] / (double) draws;
                double se = Math.sqrt(Math.max(mc * (1 - mc), 1e-4) / draws);
                assertEquals(mc, p.get(t, k), 5 * se, "row " + t + " class " + k);
            }
        }
        DeepKernelMachineClassifierCodec codec = new DeepKernelMachineClassifierCodec();
        ModelState s = codec.encode(m);
        assertEquals("dkm-classifier", s.kind());
        DeepKernelMachineClassifierModel back = codec.decode(s);
        assertArrayEquals(m.classes(), back.classes(), 0.0);
        assertArrayEquals(m.predict(Q).data(), back.predict(Q).data(), 0.0);
        assertArrayEquals(p.data(), back.probabilities(Q).data(), 1e-12);
    }

    @Test
    void badInputIsOneClearMessage() {
        DeepKernelMachineClassifier c = DeepKernelMachineClassifier.of(DeepKernelMachine.builder(RELU).build());
        Matrix one = new Matrix(X.rows(), 1);
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> c.fit(X, one));
        assertTrue(e.getMessage().contains("at least two classes"), e.getMessage());
        Matrix twoColumns = new Matrix(X.rows(), 2);
        assertThrows(Kernels4jException.class, () -> c.fit(X, twoColumns));
        e = assertThrows(Kernels4jException.class, () -> DeepKernelMachineClassifierModel.largestOutputProbabilities(
                new Matrix(1, 2), new double[] {0}));
        assertTrue(e.getMessage().contains("positive and finite"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> DeepKernelMachineClassifier.of(null));
    }
}
