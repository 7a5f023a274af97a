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
          for (NystromKernelRidge.Solver solver : new NystromKernelRidge.Solver[] {
              NystromKernelRidge.Solver.STREAMING_CG, NystromKernelRidge.Solver.STORED_CG,
              NystromKernelRidge.Solver.DIRECT}) {
           // the centres, a sketch of 150 rows, the default (here all rows); the direct solve has no preconditioner
           for (int rows : solver == NystromKernelRidge.Solver.STORED_CG ? new int[] {0, 150, -1} : new int[] {-1}) {
            Kernel k = KernelSpec.parse(spec);
            NystromKernelRidge.Builder b = NystromKernelRidge.builder(k);
            if (rows >= 0) {
                b.preconditionerRows(rows);
            }
            double lambda = 1e-2;
            KernelRidgeModel fit = b.lambda(lambda).centers(60).seed(3).solver(solver)
                    .stopping(NystromKernelRidge.Stopping.RESIDUAL).tolerance(1e-10).maxIterations(200).build()
                    .fit(x, y);
            assertEquals(solver == NystromKernelRidge.Solver.DIRECT ? "direct"
                    : solver == NystromKernelRidge.Solver.STORED_CG ? "stored-cg" : "cg", fit.report().text("solver"));
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
            assertTrue(pred.maxAbsDifference(direct) < 1e-6 * scale, spec + " " + solver + ": "
                    + pred.maxAbsDifference(direct) + " after " + fit.report().number("cg_iterations") + " iterations");
            assertTrue(fit.report().number("cg_iterations") < 200, spec + " converged in " + fit.report().number("cg_iterations"));
            for (double r : fit.report().numbers("relative_residuals")) {
                assertTrue(r <= 1e-10, solver + " residual " + r);
            }
           }
          }
        }
    }

    /**
     * AUTO keeps K_nm when its 8·n·m bytes fit the budget; otherwise it forms the normal equations up to 1,024
     * centres and streams K_nm beyond; the stored product K_nmᵀ(K_nm·W) equals the dense one.
     */
    @Test
    void autoSolverFollowsCentresAndMemoryBudget() {
        Kernel k = KernelSpec.parse("rbf(gamma=0.4)");
        NystromKernelRidge auto = NystromKernelRidge.builder(k).memoryBudget(8L * 10_000 * 2_000).build();
        assertEquals(NystromKernelRidge.Solver.STORED_CG, auto.choose(10_000, 1_024));
        assertEquals(NystromKernelRidge.Solver.STORED_CG, auto.choose(10_000, 2_000));
        assertEquals(NystromKernelRidge.Solver.STREAMING_CG, auto.choose(10_001, 2_000));
        assertEquals(NystromKernelRidge.Solver.DIRECT, auto.choose(20_001, 1_000));
        NystromKernelRidge none = NystromKernelRidge.builder(k).memoryBudget(0).build();
        assertEquals(NystromKernelRidge.Solver.DIRECT, none.choose(10, 1_024));
        assertEquals(NystromKernelRidge.Solver.STREAMING_CG, none.choose(10, 1_025));
        assertEquals(NystromKernelRidge.Solver.STREAMING_CG,
                NystromKernelRidge.builder(k).memoryBudget(0).build().choose(10, 2_000));
        assertEquals(NystromKernelRidge.Solver.STREAMING_CG, NystromKernelRidge.builder(k)
                .solver(NystromKernelRidge.Solver.STREAMING_CG).build().choose(10, 10));

        Matrix knm = TestData.gaussian(700, 37, 1, 11);
        Matrix w = TestData.gaussian(37, 3, 1, 12);
        Matrix expected = knm.transpose().times(knm.times(w));
        Matrix got = org.kernels4j.gram.GramEngine.normalTimes(knm, w);
        double scale = 0;
        for (double v : expected.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(got.maxAbsDifference(expected) < 1e-12 * scale, "stored product " + got.maxAbsDifference(expected));
        assertEquals(NystromKernelRidge.Solver.STORED_CG, NystromKernelRidge.Solver.parse("Stored"));
        assertEquals(NystromKernelRidge.Stopping.RESIDUAL, NystromKernelRidge.Stopping.parse("residual"));
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> NystromKernelRidge.Solver.parse("lu"));
        assertTrue(e.getMessage().contains("unknown Nystrom solver 'lu'"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> NystromKernelRidge.Stopping.parse("never"));
        assertTrue(e.getMessage().contains("unknown CG stopping rule 'never'"), e.getMessage());
    }

    /**
     * The function-change rule stops once two consecutive steps each moved the fit by at most tol of its norm, and
     * the fit it returns is within a small multiple of tol of the converged one (the error left is the root sum of
     * squares of the steps CG did not take, which shrink geometrically once they are this small). Checked against
     * the direct solution, in the norm the rule uses and at the training points.
     */
    @Test
    void functionChangeRuleStopsEarlyWithinItsTolerance() {
        Matrix x = TestData.gaussian(1_000, 3, 1, 21);
        Matrix y = targets(x);
        Kernel k = KernelSpec.parse("rbf(gamma=0.3)");
        for (double tol : new double[] {1e-3, 1e-4}) {
            NystromKernelRidge.Builder b = NystromKernelRidge.builder(k).lambda(1e-2).centers(150).seed(4)
                    .maxIterations(500).solver(NystromKernelRidge.Solver.STORED_CG).preconditionerRows(0);
            KernelRidgeModel change = b.tolerance(tol).build().fit(x, y);
            KernelRidgeModel tight = b.stopping(NystromKernelRidge.Stopping.RESIDUAL).tolerance(1e-7).build().fit(x, y);
            KernelRidgeModel exact = b.solver(NystromKernelRidge.Solver.DIRECT).build().fit(x, y);
            assertEquals("change", change.report().text("stopping"));
            assertTrue(change.report().flag("converged"));
            double early = change.report().number("cg_iterations");
            assertTrue(early < tight.report().number("cg_iterations"), "stopped at " + early + " of "
                    + tight.report().number("cg_iterations"));
            Matrix fe = exact.predict(x);
            Matrix fc = change.predict(x);
            for (int o = 0; o < 2; o++) {
                double err = 0;
                double norm = 0;
                for (int i = 0; i < x.rows(); i++) {
                    err += Math.pow(fc.get(i, o) - fe.get(i, o), 2);
                    norm += Math.pow(fe.get(i, o), 2);
                }
                double rel = Math.sqrt(err / norm);
                assertTrue(rel < 20 * tol, "tol " + tol + " output " + o + ": predictions off by " + rel);
                assertTrue(rel > 0, "an early stop is not the exact solution");
            }
        }
    }

    /**
     * The sketched preconditioner AᵀA = (n/s)·Φ_sᵀΦ_s + λI: with every row (s = n) it is the exact normal matrix of
     * the preconditioned system, so CG lands on the dense solution in one step (a wrong n/s factor would leave the
     * eigenvalues (σ + λ)/(c·σ + λ) spread and take many more); a sketch of 4m rows needs fewer iterations than the
     * centres alone; and the default size follows min(n, 8m, 160n/m).
     */
    @Test
    void sketchedPreconditionerCutsIterationsWithoutMovingTheSolution() {
        Matrix x = TestData.gaussian(800, 3, 1, 31);
        Matrix y = targets(x);
        Kernel k = KernelSpec.parse("rbf(gamma=0.3)");
        double lambda = 1e-3;
        NystromKernelRidge.Builder b = NystromKernelRidge.builder(k).lambda(lambda).centers(80).seed(8)
                .solver(NystromKernelRidge.Solver.STORED_CG).stopping(NystromKernelRidge.Stopping.RESIDUAL)
                .tolerance(1e-8).maxIterations(400);
        KernelRidgeModel sketch = b.preconditionerRows(320).build().fit(x, y);
        KernelRidgeModel all = b.preconditionerRows(5_000).build().fit(x, y); // capped at n
        KernelRidgeModel streamed = b.preconditionerRows(5_000).solver(NystromKernelRidge.Solver.STREAMING_CG).build()
                .fit(x, y);
        KernelRidgeModel centres = b.preconditionerRows(0).solver(NystromKernelRidge.Solver.STORED_CG).build()
                .fit(x, y);
        assertEquals(0, centres.report().number("preconditioner_rows"));
        assertEquals(320, sketch.report().number("preconditioner_rows"));
        assertEquals(800, all.report().number("preconditioner_rows")); // capped at n
        double itCentres = centres.report().number("cg_iterations");
        double itSketch = sketch.report().number("cg_iterations");
        assertTrue(itSketch < itCentres, "sketch " + itSketch + " vs centres " + itCentres);
        assertTrue(all.report().number("cg_iterations") <= 2, "exact preconditioner took "
                + all.report().number("cg_iterations"));
        assertTrue(streamed.report().number("cg_iterations") <= 2, "exact preconditioner (streaming) took "
                + streamed.report().number("cg_iterations"));

        Matrix c = x.selectRows(java.util.Arrays.stream(centres.report().numbers("center_indices"))
                .mapToInt(v -> (int) v).toArray());
        Matrix knm = GramEngine.cross(k, x, c);
        Matrix kmm = GramEngine.gram(k, c);
        // the dense solution by a different route: eigen-decomposition of K_mm, features K_nm·U·Λ^{-1/2}, ridge on them
        org.kernels4j.linalg.SymmetricEigen eig = org.kernels4j.linalg.SymmetricEigen.of(kmm);
        double[] ev = eig.values(); // ascending
        Matrix p = new Matrix(c.rows(), c.rows());
        for (int i = 0; i < c.rows(); i++) {
            for (int j = 0; j < c.rows(); j++) {
                p.set(i, j, ev[j] > 1e-12 * ev[ev.length - 1] ? eig.vectors().get(i, j) / Math.sqrt(ev[j]) : 0);
            }
        }
        Matrix phi = knm.times(p);
        Matrix g = phi.transpose().times(phi);
        for (int i = 0; i < g.rows(); i++) {
            g.set(i, i, g.get(i, i) + lambda);
        }
        Matrix w;
        try (Cholesky ch = Cholesky.factor(g, "features")) {
            w = ch.solve(phi.transpose().times(y));
        }
        Matrix expected = phi.times(w);
        double scale = 0;
        for (double v : expected.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (KernelRidgeModel fit : List.of(centres, sketch, all, streamed)) {
            double diff = fit.predict(x).maxAbsDifference(expected);
            assertTrue(diff < 1e-5 * scale, "predictions off by " + diff + " of " + scale);
        }

        assertEquals(8_000, NystromKernelRidge.defaultPreconditionerRows(100_000, 1_000));
        assertEquals(8_000, NystromKernelRidge.defaultPreconditionerRows(100_000, 2_000));
        assertEquals(4_000, NystromKernelRidge.defaultPreconditionerRows(100_000, 4_000));
        assertEquals(480, NystromKernelRidge.defaultPreconditionerRows(700, 60));
        assertEquals(400, NystromKernelRidge.defaultPreconditionerRows(400, 60));
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
                    .preconditionerRows(0)
                    .solver(NystromKernelRidge.Solver.STREAMING_CG).stopping(NystromKernelRidge.Stopping.RESIDUAL)
                    .maxIterations(2).build().fit(x, y);
            double worst = Math.max(cut.report().numbers("relative_residuals")[0],
                    cut.report().numbers("relative_residuals")[1]);
            assertTrue(worst > 1e-12, "two iterations do not reach 1e-12: " + worst);
            List<String> warnings = log.messages(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("did not converge in 2 iterations (relative residual "
                    + String.format("%.3g", worst) + ", residual rule, tolerance 1.00e-12)"), warnings.get(0));

            KernelRidgeModel done = NystromKernelRidge.builder(k).lambda(1e-3).centers(30).seed(1).tolerance(1e-6)
                    .solver(NystromKernelRidge.Solver.STREAMING_CG).stopping(NystromKernelRidge.Stopping.RESIDUAL)
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
        Kernels4jException rows = assertThrows(Kernels4jException.class,
                () -> NystromKernelRidge.builder(k).preconditionerRows(-1).build());
        assertTrue(rows.getMessage().contains("preconditioner rows must be >= 0, got -1"), rows.getMessage());
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
