package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.MaternKernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;

/**
 * The state-space GP against the dense GP (gp.GaussianProcess, or a dense Gram matrix built here for
 * resonators, which have no dense kernel class): evidence to 1e-9 relative, its gradient, and
 * posterior means and variances to 1e-9, on unsorted inputs with repeats.
 */
class StateSpaceGaussianProcessTest {
    private static final String[] MATERN_KERNELS = {
        "0.7*matern(nu=0.5, length=1.3)", "matern(nu=1.5, length=0.8)", "2*matern(nu=2.5, length=1.7)",
        "0.5*matern(nu=0.5, length=4) + 1.5*matern(nu=1.5, length=0.6) + 0.3*matern(nu=2.5, length=2)"};

    /** Unsorted times on [0, 10) with a few exact repeats, and a smooth noisy signal. */
    static Matrix times(int n, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, i % 7 == 3 && i > 0 ? x.get(i - 1, 0) : 10 * r.nextDouble());
        }
        return x;
    }

    static Matrix signal(Matrix x, int outputs, long seed) {
        Random r = new Random(seed);
        Matrix y = new Matrix(x.rows(), outputs);
        for (int i = 0; i < x.rows(); i++) {
            for (int o = 0; o < outputs; o++) {
                y.set(i, o, Math.sin((1 + o) * x.get(i, 0)) + 2 * o + 0.3 * r.nextGaussian());
            }
        }
        return y;
    }

    private static Matrix queries() {
        // before, inside, on a training time (filled in by the caller), beyond the data, and repeated
        return Matrix.column(-1.5, 0.01, 3.3, 5, 5, 9.99, 12.5);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void evidenceGradientAndPosteriorEqualTheDenseGp(int which) {
        StateSpaceKernel k = StateSpaceKernel.parse(MATERN_KERNELS[which]);
        double noise = 0.09;
        Matrix x = times(60, 1 + which);
        Matrix y = signal(x, 1, 2);
        GaussianProcess dense = GaussianProcess.builder(k.toKernel()).noise(noise).build();
        StateSpaceGaussianProcess ss = StateSpaceGaussianProcess.builder(k).noise(noise).build();
        double expected = dense.evidence(x, y).value();
        HyperparameterSearch.Evidence e = ss.evidence(x, y);
        assertEquals(expected, e.value(), 1e-9 * Math.abs(expected));
        // gradient: the dense GP learns noise through white(noise); its parameters come in the same order
        GaussianProcess denseWithNoise = GaussianProcess.builder(
                KernelSpec.parse(k.toKernel().toSpec() + " + white(noise=" + noise + ")")).noise(0).build();
        double[] g = denseWithNoise.evidence(x, y).gradient();
        assertEquals(g.length, e.gradient().length);
        for (int j = 0; j < g.length; j++) {
            assertEquals(g[j], e.gradient()[j], 1e-7 * (1 + Math.abs(g[j])), "parameter " + j);
        }
        Matrix q = queries();
        q.set(2, 0, x.get(5, 0));
        GaussianProcessModel dm = dense.fit(x, y);
        StateSpaceGaussianProcessModel sm = ss.fit(x, y);
        assertEquals(0, sm.predict(q).maxAbsDifference(dm.predict(q)), 1e-9);
        assertEquals(0, sm.predictiveVariance(q).maxAbsDifference(dm.predictiveVariance(q)), 1e-9);
        assertEquals(expected, sm.logMarginalLikelihood(), 1e-9 * Math.abs(expected));
    }

    @Test
    void severalOutputsAndNormalizedTargetsFollowTheDenseGp() {
        StateSpaceKernel k = StateSpaceKernel.parse(MATERN_KERNELS[3]);
        Matrix x = times(40, 7);
        Matrix y = signal(x, 2, 8);
        GaussianProcess dense = GaussianProcess.builder(k.toKernel()).noise(0.2).normalizeTargets(true).build();
        StateSpaceGaussianProcess ss = StateSpaceGaussianProcess.builder(k).noise(0.2).normalizeTargets(true).build();
        double expected = dense.evidence(x, y).value();
        assertEquals(expected, ss.evidence(x, y).value(), 1e-9 * Math.abs(expected));
        Matrix q = queries();
        assertEquals(0, ss.fit(x, y).predict(q).maxAbsDifference(dense.fit(x, y).predict(q)), 1e-9);
        Matrix va = ss.fit(x, y).predictiveVariance(q);
        Matrix vb = dense.fit(x, y).predictiveVariance(q);
        assertEquals(0, va.maxAbsDifference(vb), 1e-9);
        assertTrue(va.get(0, 1) != va.get(0, 0), "each output keeps its own scale");
    }

    /** k(τ) of a resonator written out here: σ²·Matérn(τ)·cos(2πfτ), with the Matérn from MaternKernel. */
    private static double resonatorCovariance(double nu, double variance, double length, double f, double tau) {
        return variance * new MaternKernel(nu, length).value(new double[] {tau}, new double[] {0})
                * Math.cos(2 * Math.PI * f * tau);
    }

    private static double[][] denseReference(double[][] comps, double noise, Matrix x, Matrix y, Matrix q) {
        int n = x.rows();
        Matrix a = new Matrix(n, n);
        Matrix cross = new Matrix(q.rows(), n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? noise : 0;
                for (double[] c : comps) {
                    s += resonatorCovariance(c[0], c[1], c[2], c[3], x.get(i, 0) - x.get(j, 0));
                }
                a.set(i, j, s);
            }
            for (int r = 0; r < q.rows(); r++) {
                double s = 0;
                for (double[] c : comps) {
                    s += resonatorCovariance(c[0], c[1], c[2], c[3], q.get(r, 0) - x.get(i, 0));
                }
                cross.set(r, i, s);
            }
        }
        double[][] out = new double[3][];
        try (Cholesky c = Cholesky.factor(a, "test")) {
            Matrix alpha = c.solve(y);
            double fit = 0;
            for (int i = 0; i < n; i++) {
                fit += y.get(i, 0) * alpha.get(i, 0);
            }
            out[0] = new double[] {-0.5 * fit - 0.5 * c.logDeterminant() - 0.5 * n * Math.log(2 * Math.PI)};
            out[1] = cross.times(alpha).column(0);
            Matrix v = c.solveLower(cross.transpose());
            out[2] = new double[q.rows()];
            for (int r = 0; r < q.rows(); r++) {
                double prior = 0;
                for (double[] cp : comps) {
                    prior += cp[1];
                }
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += v.get(i, r) * v.get(i, r);
                }
                out[2][r] = prior - s;
            }
        }
        return out;
    }

    @Test
    void resonatorsAndTheirSumsWithMaternEqualTheDenseCovariance() {
        double[][] comps = {{1.5, 1.2, 2.5, 0.4}, {0.5, 0.6, 5, 1.1}, {2.5, 0.8, 1.1, 0}};
        StateSpaceKernel k = StateSpaceKernel.of(StateSpaceKernel.Component.resonator(1.5, 1.2, 2.5, 0.4),
                StateSpaceKernel.Component.resonator(0.5, 0.6, 5, 1.1),
                StateSpaceKernel.Component.matern(2.5, 0.8, 1.1));
        assertEquals(k, StateSpaceKernel.parse(k.toSpec()));
        assertEquals(2 * 2 + 2 * 1 + 3, k.stateDimension());
        for (double tau : new double[] {0, 0.3, -1.7, 4}) {
            double expected = 0;
            for (double[] c : comps) {
                expected += resonatorCovariance(c[0], c[1], c[2], c[3], tau);
            }
            assertEquals(expected, k.covariance(tau), 1e-14);
        }
        double noise = 0.05;
        Matrix x = times(50, 11);
        Matrix y = signal(x, 1, 12);
        Matrix q = queries();
        double[][] ref = denseReference(comps, noise, x, y, q);
        StateSpaceGaussianProcess ss = StateSpaceGaussianProcess.builder(k).noise(noise).build();
        assertEquals(ref[0][0], ss.evidence(x, y).value(), 1e-9 * Math.abs(ref[0][0]));
        StateSpaceGaussianProcessModel m = ss.fit(x, y);
        Matrix mean = m.predict(q);
        Matrix var = m.predictiveVariance(q);
        for (int r = 0; r < q.rows(); r++) {
            assertEquals(ref[1][r], mean.get(r, 0), 1e-9);
            assertEquals(ref[2][r], var.get(r, 0), 1e-9);
        }
    }

    @Test
    void theGradientMatchesCentralDifferencesForResonators() {
        StateSpaceKernel k = StateSpaceKernel.parse("resonator(nu=2.5, length=2, variance=0.9, frequency=0.3)"
                + " + 0.4*matern(nu=0.5, length=3)");
        Matrix x = times(40, 21);
        Matrix y = signal(x, 1, 22);
        StateSpaceGaussianProcess ss = StateSpaceGaussianProcess.builder(k).noise(0.1).build();
        double[] g = ss.evidence(x, y).gradient();
        double[] theta = ss.hyperparameters().stream().mapToDouble(org.kernels4j.kernel.Hyperparameter::value).toArray();
        assertEquals(6, theta.length);
        double h = 1e-5;
        for (int j = 0; j < theta.length; j++) {
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[j] *= Math.exp(h);
            down[j] *= Math.exp(-h);
            double fd = (at(ss, up).evidence(x, y).value() - at(ss, down).evidence(x, y).value()) / (2 * h);
            assertEquals(fd, g[j], 1e-6 * (1 + Math.abs(fd)), "parameter " + j);
        }
    }

    private static StateSpaceGaussianProcess at(StateSpaceGaussianProcess ss, double[] theta) {
        return ss.with(ss.kernelOf(theta), theta[theta.length - 1]);
    }

    @Test
    void learningStopsWhereTheDenseGpGradientVanishes() {
        Matrix x = times(50, 31);
        Matrix y = signal(x, 1, 32);
        StateSpaceKernel k = StateSpaceKernel.parse("matern(nu=1.5, length=1)");
        StateSpaceGaussianProcessModel m = StateSpaceGaussianProcess.builder(k).noise(0.5)
                .optimize(HyperparameterSearch.builder().build()).build().fit(x, y);
        StateSpaceKernel.Component c = m.kernel().components().get(0);
        assertTrue(c.variance() != 1 && c.length() != 1 && m.noise() != 0.5, "the search moved every parameter");
        // the dense GP (a different implementation) at the learned values: same evidence, zero gradient
        HyperparameterSearch.Evidence dense = GaussianProcess.builder(KernelSpec.parse(m.kernel().toKernel().toSpec()
                + " + white(noise=" + m.noise() + ")")).noise(0).build().evidence(x, y);
        assertEquals(dense.value(), m.logMarginalLikelihood(), 1e-9 * Math.abs(dense.value()));
        for (double g : dense.gradient()) {
            assertEquals(0, g, 1e-3);
        }
        double start = StateSpaceGaussianProcess.builder(k).noise(0.5).build().evidence(x, y).value();
        assertTrue(m.logMarginalLikelihood() > start + 1, m.logMarginalLikelihood() + " vs " + start);
        assertTrue(m.search() != null && m.report().has("search"));
    }

    @Test
    void badInputsAreRefusedWithOneClearMessage() {
        StateSpaceGaussianProcess ss = StateSpaceGaussianProcess.builder(StateSpaceKernel.parse("matern(nu=0.5)"))
                .build();
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> ss.fit(new Matrix(4, 2), new Matrix(4, 1)));
        assertTrue(e.getMessage().contains("one input column"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> StateSpaceKernel.parse("rbf(gamma=1)"));
        assertTrue(e.getMessage().contains("'rbf(gamma=1)' has no state-space form"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> StateSpaceKernel.parse("resonator(nu=1.5, length=2)"));
        assertTrue(e.getMessage().contains("frequency=... is required"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> StateSpaceKernel.parse("resonator(nu=1.5, speed=2)"));
        assertTrue(e.getMessage().contains("cannot read 'speed=2'"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> StateSpaceKernel.parse("matern(nu=1.5, length=[1, 2])"));
        assertTrue(e.getMessage().contains("no state-space form"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> StateSpaceKernel.Component.matern(3.5, 1, 1));
        assertTrue(e.getMessage().contains("nu = 0.5, 1.5 or 2.5"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> StateSpaceGaussianProcess.builder(StateSpaceKernel.parse("matern(nu=0.5)")).noise(0).build());
        assertTrue(e.getMessage().contains("noise variance > 0"), e.getMessage());
        StateSpaceKernel resonator = StateSpaceKernel.parse("resonator(frequency=1)");
        e = assertThrows(Kernels4jException.class, resonator::toKernel);
        assertTrue(e.getMessage().contains("no dense kernel"), e.getMessage());
    }
}
