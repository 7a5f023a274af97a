package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * Left-over PIT survivors of the gp models (docs/mutation/svm-gp.md): every prediction entry point refuses inputs of
 * the wrong width with the training-data message (before, a wrong width failed later inside the kernel with another
 * message), and a model whose Cholesky needed jitter reports the jitter of Cholesky's documented ladder.
 */
class GaussianProcessModelChecksTest {
    private static final Kernel K = KernelSpec.parse("rbf(length=0.7)");
    private static final String WIDTH = "the model was trained on 2 features but the data has 3";

    @Test
    void predictionEntryPointsRefuseTheWrongWidth() {
        Matrix x = TestData.gaussian(12, 2, 1, 31);
        Matrix y = x.selectColumns(new int[] {0});
        GaussianProcessModel gp = GaussianProcess.builder(K).noise(0.1).build().fit(x, y);
        Matrix wide = new Matrix(3, 3);
        assertEquals(WIDTH, assertThrows(Kernels4jException.class, () -> gp.predict(wide)).getMessage());
        assertEquals(WIDTH, assertThrows(Kernels4jException.class, () -> gp.predictiveVariance(wide)).getMessage());
        assertEquals(WIDTH, assertThrows(Kernels4jException.class, () -> gp.samplePrior(wide, 2, 1)).getMessage());
        Matrix labels = new Matrix(12, 1);
        for (int i = 0; i < 12; i++) {
            labels.set(i, 0, x.get(i, 0) > 0 ? 1 : 0);
        }
        GaussianProcessClassifierModel gpc = GaussianProcessClassifier.builder(K).build().fit(x, labels);
        assertEquals(WIDTH, assertThrows(Kernels4jException.class, () -> gpc.latent(wide, 0)).getMessage());
        assertEquals(WIDTH, assertThrows(Kernels4jException.class, () -> gpc.probabilities(wide)).getMessage());
    }

    /**
     * Two identical rows and no noise: K(X, X) is singular (rank one, second pivot exactly 0), so the first rung of
     * the ladder, 1e-10·mean diag K = 1e-10 (k(x, x) = 1), makes it positive definite; the model keeps that jitter.
     */
    @Test
    void aJitteredFactorIsReported() {
        Matrix x = Matrix.of(new double[][] {{0.3, -0.2}, {0.3, -0.2}});
        Matrix y = Matrix.of(new double[][] {{1}, {1}});
        GaussianProcessModel gp = GaussianProcess.builder(K).noise(0).build().fit(x, y);
        assertEquals(1e-10, gp.jitter(), 1e-10 * 1e-9);
    }
}
