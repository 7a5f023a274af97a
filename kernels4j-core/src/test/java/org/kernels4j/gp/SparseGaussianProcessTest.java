package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

class SparseGaussianProcessTest {

    private static Matrix targets(Matrix x, int outputs, long seed) {
        Matrix noise = TestData.gaussian(x.rows(), outputs, 0.2, seed);
        Matrix y = new Matrix(x.rows(), outputs);
        for (int i = 0; i < x.rows(); i++) {
            for (int o = 0; o < outputs; o++) {
                y.set(i, o, Math.sin((1 + o) * x.get(i, 0)) + 0.3 * x.get(i, x.cols() - 1) + o + noise.get(i, o));
            }
        }
        return y;
    }

    @Test
    void boundEqualsTheExactEvidenceWithAllPointsAndIsBelowItOtherwise() {
        // spread points and a short length scale keep K(X, X) well conditioned, so no jitter enters
        Matrix x = TestData.gaussian(40, 2, 2.0, 1);
        Matrix y = targets(x, 2, 2);
        Kernel k = KernelSpec.parse("1.5*rbf(length=0.4) + white(noise=0.1)");
        double exact = GaussianProcess.builder(k).noise(0).normalizeTargets(false).build().evidence(x, y).value();
        SparseGaussianProcess sgp = SparseGaussianProcess.builder(k).inducing(20).seed(3).jitter(0).build();
        assertEquals(exact, sgp.bound(x, y, x).value(), 1e-7 * Math.abs(exact));
        double previous = Double.NEGATIVE_INFINITY;
        for (int m : new int[] {5, 20, 35}) {
            Matrix z = x.rowRange(0, m);
            double f = sgp.bound(x, y, z).value();
            assertTrue(f <= exact + 1e-9, "bound " + f + " above the evidence " + exact);
            assertTrue(f >= previous - 1e-9, "nested inducing sets: the bound grows with m");
            previous = f;
        }
    }

    /** Central differences of the bound in log θ (all hyperparameters, noise included) and in Z. */
    @ParameterizedTest
    @ValueSource(strings = {"1.5*rbf(length=[0.9, 2]) + white(noise=0.1)",
        "matern(nu=2.5, length=1.3) + white(noise=0.05) + white(noise=0.02)", "0.8*rq(alpha=2, length=0.7) + white(noise=0.2)",
        "rbf(length=1) * periodic(length=1, period=4) + white(noise=0.3)"})
    void boundGradientMatchesCentralDifferences(String spec) {
        Kernel k = KernelSpec.parse(spec);
        Matrix x = TestData.gaussian(300, 2, 1.0, 4); // two bands of 256
        Matrix y = targets(x, 2, 5);
        Matrix z = TestData.gaussian(12, 2, 1.0, 6);
        // a jitter large enough to matter, so that its derivative is checked too
        SparseGaussianProcess sgp = SparseGaussianProcess.builder(k).jitter(1e-3).build();
        HyperparameterSearch.Evidence e = sgp.bound(x, y, z);
        double h = 1e-5;
        double[] v = k.hyperparameters().stream().mapToDouble(Hyperparameter::value).toArray();
        for (int p = 0; p < v.length; p++) {
            double[] up = v.clone();
            double[] down = v.clone();
            up[p] *= Math.exp(h);
            down[p] *= Math.exp(-h);
            double fd = (SparseGaussianProcess.builder(k.withHyperparameters(up)).jitter(1e-3).build().bound(x, y, z)
                    .value() - SparseGaussianProcess.builder(k.withHyperparameters(down)).jitter(1e-3).build()
                    .bound(x, y, z).value()) / (2 * h);
            assertEquals(fd, e.gradient()[p], 1e-5 * Math.max(Math.abs(fd), 1e-2),
                    spec + " " + k.hyperparameters().get(p).name());
        }
        boolean stationary = !spec.contains("periodic");
        assertEquals(stationary ? 24 : 0, e.extraGradient().length);
        double hz = 1e-4; // the bound's rounding (~1e-10 through the Cholesky of P) needs a longer step here
        for (int i = 0; stationary && i < 24; i += 5) {
            Matrix zu = z.copy();
            Matrix zd = z.copy();
            zu.data()[i] += hz;
            zd.data()[i] -= hz;
            double fd = (sgp.bound(x, y, zu).value() - sgp.bound(x, y, zd).value()) / (2 * hz);
            assertEquals(fd, e.extraGradient()[i], 1e-5 * Math.max(Math.abs(fd), 1e-2), spec + " z[" + i + "]");
        }
    }

    @Test
    void withAllPointsInducingThePredictionsAreTheExactGps() {
        Matrix x = TestData.gaussian(50, 2, 1.0, 7);
        Matrix y = targets(x, 1, 8);
        Matrix xt = TestData.gaussian(9, 2, 1.0, 9);
        Kernel k = KernelSpec.parse("2*matern(nu=1.5, length=1.1) + white(noise=0.05)");
        SparseGaussianProcess sgp = SparseGaussianProcess.builder(k).inducing(50).sampler(
                org.kernels4j.approx.Landmarks.Sampler.UNIFORM).normalizeTargets(true).jitter(0).build();
        SparseGaussianProcessModel sparse = sgp.fit(x, y);
        // the exact GP with the same noise outside the kernel: variances of the latent f
        {
GaussianProcessModel exact = GaussianProcess.builder(KernelSpec.parse("2*matern(nu=1.5, length=1.1)")).noise(0.05).normalizeTargets(true).build()
                .fit(x, y);
            assertEquals(0.0, sparse.predict(xt).maxAbsDifference(exact.predict(xt)), 1e-7);
            double[] a = sparse.variance(xt, 0);
            double[] b = exact.variance(xt, 0);
            for (int i = 0; i < 9; i++) {
                assertEquals(b[i], a[i], 1e-7);
            }
            assertEquals(exact.logMarginalLikelihood(), sparse.bound(), 1e-7 * Math.abs(sparse.bound()));
        }
        // with the noise inside the exact GP's kernel, both predictive variances include it
        GaussianProcessModel withWhite = GaussianProcess.builder(k).noise(0).normalizeTargets(true).build().fit(x, y);
        Matrix a = sparse.predictiveVariance(xt);
        Matrix b = withWhite.predictiveVariance(xt);
        for (int i = 0; i < 9; i++) {
            assertEquals(b.get(i, 0), a.get(i, 0), 1e-7 * b.get(i, 0));
            assertTrue(a.get(i, 0) > sparse.variance(xt, 0)[i] + 0.04 * sparse.targetScales()[0] * sparse.targetScales()[0]);
        }
    }

    @Test
    void learningRaisesTheBoundAndMovesTheInducingPoints() {
        Matrix x = TestData.gaussian(400, 1, 2.0, 10);
        Matrix y = targets(x, 1, 11);
        SparseGaussianProcess sgp = SparseGaussianProcess.builder(KernelSpec.parse("1*rbf(length=3) + white(noise=1)"))
                .inducing(8).seed(1).build();
        SparseGaussianProcessModel fixed = sgp.fit(x, y);
        SparseGaussianProcessModel learned = sgp.fit(x, y, HyperparameterSearch.builder().build());
        assertTrue(learned.bound() > fixed.bound() + 1, fixed.bound() + " -> " + learned.bound());
        assertTrue(learned.inducingInputs().maxAbsDifference(fixed.inducingInputs()) > 1e-3, "Z moved");
        // the learned noise is near the true 0.2² = 0.04
        double noise = learned.kernel().hyperparameters().get(2).value();
        assertTrue(noise > 0.02 && noise < 0.08, "noise " + noise);
        // and the bound at the optimum is still below the exact evidence there
        double exact = GaussianProcess.builder(learned.kernel()).noise(0).normalizeTargets(false).build().evidence(x, y).value();
        assertTrue(learned.bound() <= exact + 1e-9);
    }

    @Test
    void kernelsWithoutNoiseOrSignalAreRejected() {
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> SparseGaussianProcess.builder(KernelSpec.parse("rbf(length=1)")).build());
        assertTrue(e.getMessage().contains("needs observation noise"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> SparseGaussianProcess.builder(KernelSpec.parse("white(noise=1)")).build());
        assertTrue(e.getMessage().contains("needs a signal kernel"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> SparseGaussianProcess.builder(
                KernelSpec.parse("rbf(length=1) + white(noise=1)")).inducing(20).build().fit(new Matrix(10, 1),
                new Matrix(10, 1)));
        assertTrue(e.getMessage().contains("only 10 rows"), e.getMessage());
    }
}
