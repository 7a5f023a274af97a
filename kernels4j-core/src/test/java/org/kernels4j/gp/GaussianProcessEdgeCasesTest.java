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

    /**
     * One Newton step of the Laplace approximation from f = 0 in closed form: π = ½, W = ¼I, so
     * f₁ = (K⁻¹ + W)⁻¹(W·0 + t − π) = 4K(4I + K)⁻¹(t − ½), which the one-iteration fit must return (Ψ is
     * concave, so the full step is taken). 1e-10 relative: two solves of a well-conditioned system.
     */
    @Test
    void oneLaplaceIterationIsOneNewtonStepFromZero() {
        Matrix x = TestData.gaussian(15, 2, 1.0, 31);
        Matrix y = new Matrix(15, 1);
        for (int i = 0; i < 15; i++) {
            y.set(i, 0, x.get(i, 0) + 0.3 * x.get(i, 1) > 0 ? 1 : 0);
        }
        Kernel k = KernelSpec.parse("2*rbf(length=0.9)");
        GaussianProcessClassifierModel model = GaussianProcessClassifier.builder(k).maxIterations(1).build().fit(x, y);
        assertEquals(1, model.iterations(0));
        Matrix a = new Matrix(15, 15);
        Matrix rhs = new Matrix(15, 1);
        for (int i = 0; i < 15; i++) {
            for (int j = 0; j < 15; j++) {
                a.set(i, j, k.value(x.row(i), x.row(j)) + (i == j ? 4 : 0));
            }
            rhs.set(i, 0, (y.get(i, 0) == model.classes()[1] ? 1 : 0) - 0.5);
        }
        Matrix c;
        try (Cholesky ch = Cholesky.factor(a, "4I + K")) {
            c = ch.solve(rhs);
        }
        double[] mode = model.mode(0);
        for (int i = 0; i < 15; i++) {
            double f1 = 0;
            for (int j = 0; j < 15; j++) {
                f1 += 4 * k.value(x.row(i), x.row(j)) * c.get(j, 0);
            }
            assertEquals(f1, mode[i], 1e-10 * Math.max(1, Math.abs(f1)), "training point " + i);
        }
    }

    /**
     * With a signal variance of 1e-12 (length 100, inputs of spread 0.1: K ≈ 1e-12 everywhere) the first Newton
     * step moves Ψ by about ½(t − ½)ᵀK(t − ½) ≈ ½·1e-12·(Σ(t − ½))² = 1.25e-11 (15 ones, 5 zeros), far below the
     * stopping tolerance 1e-10·|Ψ| ≈ 1.4e-9 (Ψ(0) = −20·log 2) but above 1e-10/|Ψ| ≈ 7e-12: the fit stops after
     * exactly one iteration.
     */
    @Test
    void aNegligibleSignalConvergesInOneNewtonStep() {
        Matrix x = TestData.gaussian(20, 1, 0.1, 32);
        Matrix y = new Matrix(20, 1);
        for (int i = 0; i < 20; i++) {
            y.set(i, 0, i % 4 == 0 ? 0 : 1);
        }
        GaussianProcessClassifierModel model = GaussianProcessClassifier.builder(KernelSpec.parse("1e-12*rbf(length=100)"))
                .build().fit(x, y);
        assertEquals(1, model.iterations(0));
    }

    /** The stable logistic and softplus at |v| = 800, where the naive forms overflow: closed forms in doubles. */
    @Test
    void logisticAndSoftplusStayFiniteFarOut() {
        assertEquals(1.0, GaussianProcessClassifier.sigmoid(800), 0);
        assertEquals(0.0, GaussianProcessClassifier.sigmoid(-800), 0);
        assertEquals(800.0, GaussianProcessClassifier.softplus(800), 0); // 800 + log1p(e^-800) = 800 in doubles
        assertEquals(0.0, GaussianProcessClassifier.softplus(-800), 0); // log1p(e^-800) underflows to 0
        assertEquals(Math.log(2), GaussianProcessClassifier.softplus(0), 1e-16);
        assertEquals(0.5, GaussianProcessClassifier.sigmoid(0), 0);
    }

    /** The message of a search with nothing to move says "(all are fixed)" only when there was something to fix. */
    @Test
    void searchWithNothingFreeSaysWhy() {
        Matrix x = TestData.gaussian(6, 1, 1, 33);
        Matrix y = TestData.gaussian(6, 1, 1, 34);
        refused(() -> GaussianProcess.builder(KernelSpec.parse("rbf(length=1)")).noise(0.1).build().optimize(x, y,
                HyperparameterSearch.builder().fix("rbf.length").build()), "no free hyperparameters to optimize (all are fixed)");
        String msg = assertThrows(Kernels4jException.class, () -> GaussianProcess.builder(KernelSpec.parse("linear()"))
                .noise(0.1).build().optimize(x, y, HyperparameterSearch.builder().build())).getMessage();
        assertTrue(msg.contains("no free hyperparameters to optimize") && !msg.contains("fixed"), msg);
    }

    /**
     * Start 0 at the best of seven searches run beforehand, random restarts stopped after one L-BFGS iteration
     * inside [L*, 50·L*] (L* that optimum's length): the best run must be the argmax of the starts' evidence
     * (computed here), which is start 0.
     */
    @Test
    void theBestRunIsTheArgmaxEvenWhenItIsTheFirst() {
        Matrix x = TestData.gaussian(25, 1, 1.5, 35);
        Matrix y = new Matrix(25, 1);
        for (int i = 0; i < 25; i++) {
            y.set(i, 0, Math.sin(2 * x.get(i, 0)));
        }
        HyperparameterSearch.Result first = GaussianProcess.builder(KernelSpec.parse("rbf(length=1)")).noise(0.01).build()
                .optimize(x, y, HyperparameterSearch.builder().restarts(6).seed(1).build());
        double length = first.kernel().hyperparameters().get(0).value();
        HyperparameterSearch.Result r = GaussianProcess.builder(first.kernel()).noise(0.01).build().optimize(x, y,
                HyperparameterSearch.builder().restarts(3).seed(4).maxIterations(1)
                        .bound("rbf.length", length, 50 * length).build());
        int argmax = 0;
        for (int s = 1; s < r.starts().size(); s++) {
            if (r.starts().get(s).evidence() > r.starts().get(argmax).evidence()) {
                argmax = s;
            }
        }
        assertEquals(0, argmax, "the test needs start 0 to be the best");
        assertEquals(0, r.best());
        assertEquals(r.starts().get(0).evidence(), r.evidence(), 0);
    }

    /**
     * 260 inducing points (more than one 256-column band of K(Z, Z)): the bound's derivative in log length
     * against a central difference (step 1e-5: truncation ~1e-10, rounding ~1e-10/1e-5; 1e-5 relative as in
     * SparseGaussianProcessTest).
     */
    @Test
    void boundGradientWithMoreInducingPointsThanABand() {
        Kernel k = KernelSpec.parse("1.5*rbf(length=0.5) + white(noise=0.1)");
        Matrix x = TestData.gaussian(270, 2, 1.0, 36);
        Matrix y = new Matrix(270, 1);
        for (int i = 0; i < 270; i++) {
            y.set(i, 0, Math.sin(2 * x.get(i, 0)) + 0.2 * x.get(i, 1));
        }
        Matrix z = x.rowRange(0, 260);
        HyperparameterSearch.Evidence e = SparseGaussianProcess.builder(k).jitter(1e-3).build().bound(x, y, z);
        double[] v = k.hyperparameters().stream().mapToDouble(org.kernels4j.kernel.Hyperparameter::value).toArray();
        double h = 1e-5;
        for (int p = 0; p < v.length; p++) {
            double[] up = v.clone();
            double[] down = v.clone();
            up[p] *= Math.exp(h);
            down[p] *= Math.exp(-h);
            double fd = (SparseGaussianProcess.builder(k.withHyperparameters(up)).jitter(1e-3).build().bound(x, y, z).value()
                    - SparseGaussianProcess.builder(k.withHyperparameters(down)).jitter(1e-3).build().bound(x, y, z).value())
                    / (2 * h);
            assertEquals(fd, e.gradient()[p], 1e-5 * Math.max(Math.abs(fd), 1e-2), k.hyperparameters().get(p).name());
        }
    }
}
