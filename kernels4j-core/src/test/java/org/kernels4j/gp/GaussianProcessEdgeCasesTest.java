package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;

/**
 * Edge cases found by the mutation survivors of the gp estimators: every training entry point runs the
 * shared training-data checks itself, and the sparse GP's streaming pass is right when the rows fill a
 * whole tile of the Gram engine exactly.
 */
class GaussianProcessEdgeCasesTest {

    private static void refused(Executable e, String part) {
        String msg = assertThrows(Kernels4jException.class, e).getMessage();
        assertTrue(msg.contains(part), msg);
    }

    @Test
    void everyTrainingEntryPointChecksTheTrainingData() {
        Matrix x = TestData.gaussian(6, 2, 1, 11);
        Matrix y = TestData.gaussian(6, 1, 1, 12);
        Matrix nan = y.copy();
        nan.set(3, 0, Double.NaN);
        Matrix short5 = y.rowRange(0, 5);
        GaussianProcess gp = GaussianProcess.builder(KernelSpec.parse("rbf(length=1)")).noise(0.1).build();
        HyperparameterSearch search = HyperparameterSearch.builder().restarts(0).maxIterations(2).build();
        SparseGaussianProcess sgp = SparseGaussianProcess.builder(KernelSpec.parse("rbf(length=1) + white(noise=0.1)"))
                .inducing(3).seed(1).build();
        Matrix z = x.rowRange(0, 3);
        // TrainingData's own messages: "training targets" for a non-finite target, the row counts otherwise
        refused(() -> gp.fit(x, nan), "training targets");
        refused(() -> gp.evidence(x, nan), "training targets");
        refused(() -> gp.optimize(x, nan, search), "training targets");
        refused(() -> sgp.bound(x, nan, z), "training targets");
        refused(() -> sgp.fit(x, nan), "training targets");
        refused(() -> gp.fit(x, short5), "training data has 6 rows but the targets have 5");
        refused(() -> gp.evidence(x, short5), "training data has 6 rows but the targets have 5");
        refused(() -> gp.optimize(x, short5, search), "training data has 6 rows but the targets have 5");
        refused(() -> sgp.bound(x, short5, z), "training data has 6 rows but the targets have 5");
        refused(() -> sgp.fit(x, short5), "training data has 6 rows but the targets have 5");
    }

    /**
     * n = 256 and 255 rows (the Gram engine's tile is 256: one full band, and one band one row short) against
     * the sparse GP's predictive mean in its textbook form, μ* = K*z (σ²K_zz + K_zx K_xz)⁻¹ K_zx y, built here
     * from kernel values pair by pair (m = 6, so the m×m solve is well conditioned; 1e-9 relative leaves
     * room for rounding in the two different factorisations and is far below a 1 % error).
     */
    @Test
    void sparsePredictionsWithAFullTileOfRowsMatchTheTextbookMean() {
        Kernel signal = KernelSpec.parse("1.5*rbf(length=0.8)");
        double noise = 0.1;
        for (int n : new int[] {256, 255}) {
            Matrix x = TestData.gaussian(n, 2, 1.0, 21);
            Matrix e = TestData.gaussian(n, 1, 0.2, 22);
            Matrix y = new Matrix(n, 1);
            for (int i = 0; i < n; i++) {
                y.set(i, 0, Math.sin(2 * x.get(i, 0)) + 0.5 * x.get(i, 1) + e.get(i, 0));
            }
            Matrix xt = TestData.gaussian(7, 2, 1.0, 23);
            SparseGaussianProcess sgp = SparseGaussianProcess.builder(KernelSpec.parse("1.5*rbf(length=0.8) + white(noise=0.1)"))
                    .inducing(6).seed(5).normalizeTargets(false).optimizeInducing(false).jitter(0).build();
            Matrix z = sgp.initialInducing(x);
            int m = z.rows();
            Matrix b = new Matrix(m, m);
            Matrix kzy = new Matrix(m, 1);
            for (int a = 0; a < m; a++) {
                for (int c = 0; c < m; c++) {
                    double s = noise * signal.value(z.row(a), z.row(c));
                    for (int i = 0; i < n; i++) {
                        s += signal.value(z.row(a), x.row(i)) * signal.value(z.row(c), x.row(i));
                    }
                    b.set(a, c, s);
                }
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += signal.value(z.row(a), x.row(i)) * y.get(i, 0);
                }
                kzy.set(a, 0, s);
            }
            Matrix coef;
            try (Cholesky ch = Cholesky.factor(b, "reference")) {
                coef = ch.solve(kzy);
            }
            Matrix mean = sgp.fit(x, y).predict(xt);
            for (int t = 0; t < xt.rows(); t++) {
                double ref = 0;
                for (int a = 0; a < m; a++) {
                    ref += signal.value(xt.row(t), z.row(a)) * coef.get(a, 0);
                }
                assertEquals(ref, mean.get(t, 0), 1e-9 * Math.max(1, Math.abs(ref)), "n = " + n + ", test point " + t);
            }
        }
    }
}
