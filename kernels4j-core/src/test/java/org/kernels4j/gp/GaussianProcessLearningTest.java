package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.HyperparameterSearch;

class GaussianProcessLearningTest {

    private static Matrix targets(Matrix x, int outputs, long seed) {
        Matrix noise = TestData.gaussian(x.rows(), outputs, 0.1, seed);
        Matrix y = new Matrix(x.rows(), outputs);
        for (int i = 0; i < x.rows(); i++) {
            for (int o = 0; o < outputs; o++) {
                y.set(i, o, Math.sin((1 + o) * x.get(i, 0)) + 0.5 * x.get(i, x.cols() - 1) + 3 * o + noise.get(i, o));
            }
        }
        return y;
    }

    private static double[] values(Kernel k) {
        return k.hyperparameters().stream().mapToDouble(Hyperparameter::value).toArray();
    }

    /**
     * The evidence gradient against a central difference of the evidence in log θ, for kernels of
     * every shape, one or two outputs, with and without normalization.
     */
    @ParameterizedTest
    @ValueSource(strings = {"2*rbf(length=0.8) + white(noise=0.1)", "rbf(length=[1, 2]) + white(noise=0.05)",
        "matern(nu=2.5, length=1.5) * periodic(length=1, period=3) + constant(value=0.5) + white(noise=0.2)",
        "0.7*rq(alpha=1.5, length=0.6) + white(noise=0.3)"})
    void evidenceGradientMatchesCentralDifferences(String spec) {
        Kernel k = KernelSpec.parse(spec);
        Matrix x = TestData.gaussian(60, 2, 1.0, 3);
        for (int outputs = 1; outputs <= 2; outputs++) {
            for (boolean normalize : new boolean[] {false, true}) {
                Matrix y = targets(x, outputs, 4);
                GaussianProcess gp = GaussianProcess.builder(k).noise(1e-8).normalizeTargets(normalize).build();
                HyperparameterSearch.Evidence e = gp.evidence(x, y);
                {
GaussianProcessModel m = gp.fit(x, y);
                    assertEquals(m.logMarginalLikelihood(), e.value(), 1e-10 * Math.abs(e.value()));
                }
                double h = 1e-5;
                double[] v = values(k);
                for (int p = 0; p < v.length; p++) {
                    double[] up = v.clone();
                    double[] down = v.clone();
                    up[p] *= Math.exp(h);
                    down[p] *= Math.exp(-h);
                    double fd = (gp.withKernel(k.withHyperparameters(up)).evidence(x, y).value()
                            - gp.withKernel(k.withHyperparameters(down)).evidence(x, y).value()) / (2 * h);
                    double err = Math.abs(fd - e.gradient()[p]) / Math.max(Math.abs(fd), 1e-3);
                    assertTrue(err < 1e-5, spec + " " + k.hyperparameters().get(p).name() + ": analytic "
                            + e.gradient()[p] + ", central difference " + fd);
                }
            }
        }
    }

    /**
     * For k = c·k₀ with k₀ fixed and no noise, the evidence −½yᵀK₀⁻¹y/c − (n/2)·log c + const is
     * maximized in closed form at c* = yᵀK₀⁻¹y / n.
     */
    @Test
    void learnsTheClosedFormOptimalSignalVariance() {
        Matrix x = TestData.gaussian(50, 2, 1.0, 8);
        Matrix y = targets(x, 1, 9);
        Kernel k0 = KernelSpec.parse("matern(nu=1.5, length=0.5)");
        Matrix gram = GramEngine.gram(k0, x);
        double[] a;
        try (org.kernels4j.linalg.Cholesky c = org.kernels4j.linalg.Cholesky.factor(gram, "K0")) {
            a = c.solve(y.column(0));
        }
        double quad = 0;
        for (int i = 0; i < 50; i++) {
            quad += y.get(i, 0) * a[i];
        }
        double best = quad / 50;
        GaussianProcess gp = GaussianProcess.builder(k0.scaled(1.0)).noise(0).normalizeTargets(false).build();
        HyperparameterSearch.Result r = gp.optimize(x, y, HyperparameterSearch.builder().fix("matern.length").build());
        assertEquals(best, r.hyperparameters().get(0).value(), 1e-5 * best);
        assertEquals(0.5, r.hyperparameters().get(1).value(), 0.0);
        {
GaussianProcessModel m = gp.withKernel(r.kernel()).fit(x, y);
            assertEquals(m.logMarginalLikelihood(), r.evidence(), 1e-9 * Math.abs(r.evidence()));
        }
    }

    @Test
    void optimumIsAStationaryPointAndBeatsItsNeighbours() {
        Matrix x = TestData.gaussian(80, 3, 1.0, 10);
        Matrix y = targets(x, 1, 11);
        GaussianProcess gp = GaussianProcess.builder(KernelSpec.parse("1*rbf(length=[1, 1, 1]) + white(noise=1)")).noise(1e-10).normalizeTargets(true).build();
        HyperparameterSearch.Result r = gp.optimize(x, y, HyperparameterSearch.builder().build());
        HyperparameterSearch.Evidence at = gp.withKernel(r.kernel()).evidence(x, y);
        assertEquals(r.evidence(), at.value(), 1e-12 * Math.abs(at.value()));
        double[] v = values(r.kernel());
        for (int p = 0; p < v.length; p++) {
            Hyperparameter h = r.hyperparameters().get(p);
            boolean atBound = v[p] <= h.lower() * 1.000001 || v[p] >= h.upper() / 1.000001;
            if (!atBound) {
                // the stop on a relative decrease below 2.2e-9·|f| (SciPy's rule) leaves gradients of about 1e-3 here
                assertEquals(0.0, at.gradient()[p], 1e-2, h.name());
            }
            for (double f : new double[] {0.98, 1.02}) {
                double[] w = v.clone();
                w[p] = Math.min(h.upper(), Math.max(h.lower(), w[p] * f));
                assertTrue(gp.withKernel(r.kernel().withHyperparameters(w)).evidence(x, y).value() <= r.evidence() + 1e-9,
                        h.name() + " x" + f);
            }
        }
        // the targets ignore the second feature: its length scale grows far beyond the other two
        assertTrue(v[2] > 100 * Math.max(v[1], v[3]), "ARD lengths " + v[1] + ", " + v[2] + ", " + v[3]);
    }

    @Test
    void restartsAreSeededAndKeepTheBest() {
        Matrix x = TestData.gaussian(40, 1, 2.0, 12);
        Matrix y = targets(x, 1, 13);
        GaussianProcess gp = GaussianProcess.builder(KernelSpec.parse("rbf(length=50) + white(noise=1)")).noise(1e-10).normalizeTargets(false).build();
        HyperparameterSearch search = HyperparameterSearch.builder().restarts(4).seed(3).build();
        HyperparameterSearch.Result a = gp.optimize(x, y, search);
        HyperparameterSearch.Result b = gp.optimize(x, y, search);
        assertEquals(5, a.starts().size());
        assertEquals(a.kernel(), b.kernel());
        for (HyperparameterSearch.Start s : a.starts()) {
            assertTrue(s.evidence() <= a.evidence());
        }
        assertEquals(a.starts().get(a.best()).evidence(), a.evidence());
    }

    @Test
    void boundsAndFixedNamesAreChecked() {
        Matrix x = TestData.gaussian(30, 1, 1.0, 14);
        Matrix y = targets(x, 1, 15);
        GaussianProcess gp = GaussianProcess.builder(KernelSpec.parse("rbf(length=1) + white(noise=0.1)")).noise(0).normalizeTargets(false).build();
        HyperparameterSearch.Result r = gp.optimize(x, y,
                HyperparameterSearch.builder().bound("rbf.length", 5, 10).build());
        assertEquals(5.0, r.hyperparameters().get(0).value(), 1e-9); // the data want a shorter scale
        assertEquals(List.of(5.0, 10.0), List.of(r.hyperparameters().get(0).lower(), r.hyperparameters().get(0).upper()));
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> gp.optimize(x, y, HyperparameterSearch.builder().fix("rbf.gamma").build()));
        assertTrue(e.getMessage().contains("no hyperparameter 'rbf.gamma'; its hyperparameters are rbf.length, white.noise"),
                e.getMessage());
        assertThrows(Kernels4jException.class, () -> HyperparameterSearch.builder().bound("rbf.length", 2, 1));
        e = assertThrows(Kernels4jException.class, () -> GaussianProcess.builder(KernelSpec.parse("linear()")).noise(1).normalizeTargets(false).build()
                .optimize(x, y, HyperparameterSearch.builder().build()));
        assertTrue(e.getMessage().contains("no free hyperparameters"), e.getMessage());
        // a singular covariance at the start is a clear error, not a stack trace from the optimizer
        Matrix dup = new Matrix(30, 1);
        e = assertThrows(Kernels4jException.class, () -> GaussianProcess.builder(KernelSpec.parse("rbf(length=1)")).noise(0).normalizeTargets(false).build()
                .optimize(dup, y, HyperparameterSearch.builder().build()));
        assertTrue(e.getMessage().contains("cannot be evaluated at the starting hyperparameters"), e.getMessage());
    }
}
