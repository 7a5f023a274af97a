package org.kernels4j.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.LogCapture;
import org.kernels4j.TestData;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;

class NystromKernelRidgeTest {

    private static Matrix targets(Matrix x) {
        Matrix y = new Matrix(x.rows(), 2);
        for (int i = 0; i < x.rows(); i++) {
            y.set(i, 0, Math.sin(2 * x.get(i, 0)) + x.get(i, 1) * x.get(i, 2));
            y.set(i, 1, Math.cos(x.get(i, 1)) - 0.5 * x.get(i, 0));
        }
        return y;
    }

    /** Falkon's CG against the direct solve of (K_nmᵀK_nm + λK_mm)α = K_nmᵀy for the same centres. */
    @Test
    void conjugateGradientConvergesToTheDirectNystromSolution() {
        Matrix x = TestData.gaussian(400, 3, 1, 1);
        Matrix y = targets(x);
        Matrix xt = TestData.gaussian(50, 3, 1, 2);
        for (String spec : new String[] {"rbf(gamma=0.4)", "ntk(depth=2, activation=relu, w_var=2, b_var=0.1)"}) {
            Kernel k = KernelSpec.parse(spec);
            double lambda = 1e-2;
            KernelRidgeModel fit = NystromKernelRidge.builder(k).lambda(lambda).centers(60).seed(3)
                    .tolerance(1e-10).maxIterations(200).build().fit(x, y);
            Matrix c = x.selectRows(java.util.Arrays.stream(fit.report().numbers("center_indices")).mapToInt(v -> (int) v).toArray());
            Matrix knm = GramEngine.cross(k, x, c);
            Matrix h = knm.transpose().times(knm);
            Matrix kmm = GramEngine.gram(k, c);
            for (int i = 0; i < h.data().length; i++) {
                h.data()[i] += lambda * kmm.data()[i];
            }
            Matrix alpha;
            try (Cholesky ch = Cholesky.factor(h, "direct")) {
                alpha = ch.solve(knm.transpose().times(y));
            }
            Matrix direct = GramEngine.cross(k, xt, c).times(alpha);
            Matrix pred = fit.predict(xt);
            double scale = 0;
            for (double v : direct.data()) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(pred.maxAbsDifference(direct) < 1e-6 * scale, spec + ": " + pred.maxAbsDifference(direct)
                    + " after " + fit.report().number("cg_iterations") + " iterations");
            assertTrue(fit.report().number("cg_iterations") < 200, spec + " converged in " + fit.report().number("cg_iterations"));
            for (double r : fit.report().numbers("relative_residuals")) {
                assertTrue(r <= 1e-10);
            }
        }
    }

    @Test
    void allRowsAsCentresGiveExactKernelRidge() {
        Matrix x = TestData.gaussian(150, 3, 1, 4);
        Matrix y = targets(x);
        Matrix xt = TestData.gaussian(20, 3, 1, 5);
        Kernel k = KernelSpec.parse("matern(nu=2.5, length=1.2)");
        KernelRidgeModel fit = NystromKernelRidge.builder(k).lambda(0.05).centers(150).tolerance(1e-11)
                .maxIterations(500).build().fit(x, y);
        Matrix exact = KernelRidge.builder(k).lambda(0.05).build().fit(x, y).predict(xt);
        assertTrue(fit.predict(xt).maxAbsDifference(exact) < 1e-6, "difference "
                + fit.predict(xt).maxAbsDifference(exact));
    }

    @Test
    void interceptCentresTheTargetsAndSamplersPlugIn() {
        Matrix x = TestData.gaussian(300, 2, 1, 6);
        Matrix y = new Matrix(300, 1);
        for (int i = 0; i < 300; i++) {
            y.set(i, 0, 100 + Math.sin(x.get(i, 0)));
        }
        for (Landmarks.Sampler s : Landmarks.Sampler.values()) {
            KernelRidgeModel fit = NystromKernelRidge.builder(KernelSpec.parse("rbf(gamma=0.5)")).lambda(1e-3)
                    .centers(40).sampler(s).centerTargets(true).build().fit(x, y);
            assertEquals(100 + Math.sin(0.3), fit.predict(Matrix.of(new double[][] {{0.3, 0.1}})).get(0, 0),
                    0.05, s.toString());
        }
    }

    /** CG stopped by the iteration limit logs a WARNING with the residual the report holds; converged CG does not. */
    @Test
    void unconvergedConjugateGradientLogsAWarning() {
        Matrix x = TestData.gaussian(200, 3, 1, 7);
        Matrix y = targets(x);
        Kernel k = KernelSpec.parse("rbf(gamma=0.4)");
        try (LogCapture log = LogCapture.of(NystromKernelRidge.class)) {
            KernelRidgeModel cut = NystromKernelRidge.builder(k).lambda(1e-3).centers(30).seed(1).tolerance(1e-12)
                    .maxIterations(2).build().fit(x, y);
            double worst = Math.max(cut.report().numbers("relative_residuals")[0],
                    cut.report().numbers("relative_residuals")[1]);
            assertTrue(worst > 1e-12, "two iterations do not reach 1e-12: " + worst);
            List<String> warnings = log.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("did not converge in 2 iterations: relative residual "
                    + String.format("%.3g", worst) + " > tolerance 1.00e-12"), warnings.get(0));

            KernelRidgeModel done = NystromKernelRidge.builder(k).lambda(1e-3).centers(30).seed(1).tolerance(1e-6)
                    .maxIterations(300).build().fit(x, y);
            assertEquals(1, log.messages(Level.WARNING).size(), "a converged solve does not warn");
            List<String> debug = log.messages(Level.FINE);
            assertEquals(1, debug.size(), debug.toString());
            assertTrue(debug.get(0).contains("converged in " + (int) done.report().number("cg_iterations")
                    + " iterations"), debug.get(0));
        }
    }

    @Test
    void badOptionsAreRejected() {
        Kernel k = KernelSpec.parse("rbf()");
        assertThrows(Kernels4jException.class, () -> NystromKernelRidge.builder(k).lambda(0).build());
        assertThrows(Kernels4jException.class, () -> NystromKernelRidge.builder(k).centers(0).build());
        assertThrows(Kernels4jException.class, () -> NystromKernelRidge.builder(k).maxIterations(0).build());
        assertThrows(Kernels4jException.class,
                () -> NystromKernelRidge.builder(k).build().fit(new Matrix(3, 2), new Matrix(4, 1)));
    }

    /**
     * The CG with a supplied operator: the products formed from the dense K_nm (a different route from the
     * Gram engine's band pass) give the same coefficients as the built-in pass, and the target mean is kept.
     */
    @Test
    void suppliedOperatorGivesTheSameSolveAsTheBuiltInPass() {
        Matrix x = TestData.gaussian(300, 3, 1, 4);
        Matrix y = targets(x);
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        NystromKernelRidge est = NystromKernelRidge.builder(k).lambda(1e-2).tolerance(1e-12).maxIterations(300)
                .centerTargets(true).build();
        int[] idx = Landmarks.uniform(300, 40, 5);
        Matrix c = x.selectRows(idx);
        KernelRidgeModel local = est.fitWithCenters(x, y, c, idx);
        Matrix knm = GramEngine.cross(k, x, c);
        double[] mean = y.columnMeans();
        Matrix yc = y.copy();
        for (int i = 0; i < yc.rows(); i++) {
            for (int o = 0; o < yc.cols(); o++) {
                yc.set(i, o, yc.get(i, o) - mean[o]);
            }
        }
        int[] calls = new int[1];
        KernelRidgeModel supplied = est.fitWithOperator(300, c, knm.transpose().times(yc), w -> {
            calls[0]++;
            return knm.transpose().times(knm.times(w));
        }, mean, idx);
        Matrix a = local.dualCoefficients();
        Matrix b = supplied.dualCoefficients();
        double scale = 0;
        for (double v : a.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(a.maxAbsDifference(b) <= 1e-8 * scale, "coefficients differ by " + a.maxAbsDifference(b));
        assertEquals(supplied.report().number("cg_iterations"), calls[0], 0.0, "one operator call per iteration");
        Matrix xt = TestData.gaussian(5, 3, 1, 6);
        assertTrue(local.predict(xt).maxAbsDifference(supplied.predict(xt)) < 1e-8);
        assertThrows(Kernels4jException.class, () -> est.fitWithOperator(0, c, knm.transpose().times(yc),
                w -> w, mean, null));
        assertThrows(Kernels4jException.class, () -> est.fitWithOperator(300, c, new Matrix(39, 2), w -> w, mean,
                null));
        NystromKernelRidge filtered = NystromKernelRidge.builder(k)
                .filter(org.kernels4j.spectral.SpectralFilter.landweber(), 10).build();
        assertThrows(Kernels4jException.class, () -> filtered.fitWithOperator(300, c, knm.transpose().times(yc),
                w -> w, mean, null));
    }
}
