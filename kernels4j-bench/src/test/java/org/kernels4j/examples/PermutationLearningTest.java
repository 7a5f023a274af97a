package org.kernels4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.NtkPredictor;

class PermutationLearningTest {
    private static final double W = 2;
    private static final double B = 0.1;

    @Test
    void theRoundedMeanMapsEveryNonzeroInputExactly() {
        for (PermutationLearning.Rounding rounding : PermutationLearning.Rounding.values()) {
            for (double t : new double[] {Double.POSITIVE_INFINITY, 3.0}) {
                PermutationLearning.Result r = PermutationLearning.builder().rounding(rounding).time(t).trials(2)
                        .seed(5).build().run(6, new int[] {1});
                assertEquals(1.0, r.meanExactRate(), 0.0, rounding + " t=" + t);
            }
        }
    }

    /**
     * The mean against the structure derived in the notes for a two-layer ReLU NTK: Θ(X, X) =
     * (a − b)I + b·11ᵀ and, for a test input with s ones, Θ(x, e_i) = c₁ or c₀ as x_i = 1 or 0, so
     * μ_j(x) = c_{x_{π⁻¹(j)}}/(a − b) − b(s·c₁ + (k − s)·c₀)/((a − b)(a + (k − 1)b)). The kernel values
     * are computed here from the layer formulas with Math.acos.
     */
    @Test
    void theMeanHasTheClosedFormStructure() {
        int k = 5;
        int[] perm = PermutationLearning.randomPermutation(k, 3);
        Matrix yTrain = new Matrix(k, k);
        for (int i = 0; i < k; i++) {
            yTrain.set(i, perm[i], 1);
        }
        Matrix xTest = PermutationLearning.nonzeroBinaryInputs(k);
        Matrix mean = NtkPredictor.builder(NeuralKernel.ntk(1, Activation.relu(), W, B)).learningRate(1).regularizer(0, false).build()
                .fit(Matrix.identity(k), yTrain).predict(xTest, new double[] {Double.POSITIVE_INFINITY}, false).get(0)
                .mean();
        double a = ntk(1, 1, 1, k);
        double b = ntk(0, 1, 1, k);
        for (int r = 0; r < xTest.rows(); r++) {
            int s = 0;
            for (int i = 0; i < k; i++) {
                s += (int) xTest.get(r, i);
            }
            double c1 = ntk(1, s, 1, k);
            double c0 = ntk(0, s, 1, k);
            double shift = b * (s * c1 + (k - s) * c0) / ((a - b) * (a + (k - 1) * b));
            for (int i = 0; i < k; i++) {
                double c = xTest.get(r, i) == 1 ? c1 : c0;
                assertEquals(c / (a - b) - shift, mean.get(r, perm[i]), 1e-12, "x=" + r + " j=" + perm[i]);
            }
        }
    }

    /** Two-layer ReLU NTK for inputs with inner product ip and squared norms n1, n2 in k dimensions. */
    private static double ntk(double ip, double n1, double n2, int k) {
        double k0 = W * ip / k + B;
        double k11 = W * n1 / k + B;
        double k22 = W * n2 / k + B;
        double cos = Math.min(1, k0 / Math.sqrt(k11 * k22));
        double theta = Math.acos(cos);
        double t = Math.sqrt(k11 * k22) * (Math.sin(theta) + (Math.PI - theta) * cos) / (2 * Math.PI);
        double tDot = (Math.PI - theta) / (2 * Math.PI);
        return W * t + B + W * tDot * k0;
    }

    /**
     * Under midpoint rounding each coordinate of the ensemble average is an independent Gaussian, so
     * the expected exact rate has a closed form; the simulated rate must agree within its standard
     * error, and both must grow with the ensemble size towards the mean's rate of 1.
     */
    @Test
    void simulatedExactRateAgreesWithTheClosedFormAndGrowsWithTheEnsemble() {
        PermutationLearning.Result r = PermutationLearning.builder().rounding(PermutationLearning.Rounding.MIDPOINT)
                .trials(300).seed(7).build().run(5, new int[] {1, 4, 16, 256});
        List<PermutationLearning.Row> rows = r.rows();
        double previous = -1;
        for (PermutationLearning.Row row : rows) {
            double tol = 4 * row.standardError() + 2e-3;
            assertEquals(row.predictedRate(), row.exactRate(), tol, "M=" + row.ensembleSize());
            assertTrue(row.predictedRate() > previous, "predicted rate grows with M");
            previous = row.predictedRate();
        }
        assertTrue(rows.get(0).exactRate() < 0.9, "a single network is not exact: " + rows.get(0).exactRate());
        assertTrue(rows.get(3).exactRate() > rows.get(0).exactRate() + 0.05, "the ensemble helps");
    }

    @Test
    void topSRoundingImprovesWithTheEnsembleSize() {
        PermutationLearning.Result r = PermutationLearning.builder().trials(100).seed(9).build().run(6,
                new int[] {1, 1024});
        assertTrue(Double.isNaN(r.rows().get(0).predictedRate()));
        assertTrue(r.rows().get(1).exactRate() > r.rows().get(0).exactRate() + 0.05, r.rows().toString());
        assertTrue(r.rows().get(1).exactRate() > 0.95, r.rows().toString());
    }

    @Test
    void randomPermutationIsAPermutationAndSeeded() {
        int[] p = PermutationLearning.randomPermutation(9, 4);
        int[] sorted = p.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, sorted);
        assertArrayEquals(p, PermutationLearning.randomPermutation(9, 4));
    }

    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        PermutationLearning p = PermutationLearning.builder().build();
        assertThrows(Kernels4jException.class, () -> p.run(1, new int[] {1}));
        assertThrows(Kernels4jException.class, () -> p.run(PermutationLearning.MAX_K + 1, new int[] {1}));
        assertThrows(Kernels4jException.class, () -> p.run(4, new int[] {0}));
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> p.run(new int[] {0, 0, 1}, new int[] {1}));
        assertTrue(e.getMessage().contains("not a permutation"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> PermutationLearning.builder().trials(0));
        assertThrows(Kernels4jException.class, () -> PermutationLearning.builder().time(-1));
    }
}
