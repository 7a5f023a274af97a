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

    /** Rows handed over in uneven blocks, including an empty one; stored so the test can count the passes. */
    private static final class BlockRows implements SparseGaussianProcess.Rows {
        final Matrix x;
        final Matrix y;
        final int[] cuts;
        int statisticsPasses;
        int gradientPasses;

        BlockRows(Matrix x, Matrix y, int... cuts) {
            this.x = x;
            this.y = y;
            this.cuts = cuts;
        }

        @Override
        public long count() {
            return x.rows();
        }

        @Override
        public int outputs() {
            return y.cols();
        }

        @Override
        public SparseGaussianProcess.Statistics statistics(Kernel signal, Matrix z, Matrix factor) {
            statisticsPasses++;
            SparseGaussianProcess.Statistics s = null;
            for (int b = 0; b + 1 < cuts.length; b++) {
                SparseGaussianProcess.Statistics t = SparseGaussianProcess.blockStatistics(signal, z, factor,
                        x.rowRange(cuts[b], cuts[b + 1]), y.rowRange(cuts[b], cuts[b + 1]));
                s = s == null ? t : s.plus(t);
            }
            return s;
        }

        @Override
        public SparseGaussianProcess.GradientSums gradient(Kernel signal, Matrix z, Matrix beta, Matrix r, double noise,
                boolean inducingGradient) {
            gradientPasses++;
            SparseGaussianProcess.GradientSums s = null;
            for (int b = cuts.length - 2; b >= 0; b--) { // the other order: the sums commute
                SparseGaussianProcess.GradientSums t = SparseGaussianProcess.blockGradient(signal, z, beta, r, noise,
                        x.rowRange(cuts[b], cuts[b + 1]), y.rowRange(cuts[b], cuts[b + 1]), inducingGradient);
                s = s == null ? t : s.plus(t);
            }
            return s;
        }
    }

    private static double maxRelative(double[] a, double[] b) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff / scale;
    }

    /**
     * The statistics of pass 1 against the dense formulas (A = L⁻¹K(Z, X) formed whole, L from K(Z, Z) + εI by
     * an independent Cholesky), and the bound from blocks against the bound from matrices in memory.
     */
    @Test
    void blockwiseRowsGiveTheInMemoryBoundGradientAndFit() {
        Matrix x = TestData.gaussian(300, 2, 1.0, 12); // blocks of 0, 1, 99, 200 rows: the whole has two bands of 256
        Matrix y = targets(x, 2, 13);
        Matrix z = TestData.gaussian(10, 2, 1.0, 14);
        Kernel k = KernelSpec.parse("1.5*rbf(length=[0.9, 2]) + white(noise=0.1)");
        Kernel signal = KernelSpec.parse("1.5*rbf(length=[0.9, 2])");
        SparseGaussianProcess sgp = SparseGaussianProcess.builder(k).jitter(1e-4).build();
        // dense reference: M = K(Z, Z) + ε I with ε = 1e-4 × mean diag = 1e-4 × 1.5
        Matrix mm = org.kernels4j.gram.GramEngine.gram(signal, z);
        for (int i = 0; i < 10; i++) {
            mm.set(i, i, mm.get(i, i) + 1e-4 * 1.5);
        }
        Matrix l = new Matrix(10, 10); // textbook Cholesky–Banachiewicz, not the library's factorization
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j <= i; j++) {
                double s = mm.get(i, j);
                for (int q = 0; q < j; q++) {
                    s -= l.get(i, q) * l.get(j, q);
                }
                l.set(i, j, i == j ? Math.sqrt(s) : s / l.get(j, j));
            }
        }
        assertTrue(l.maxAbsDifference(sgp.inducingFactor(k, z)) < 1e-12);
        Matrix u = org.kernels4j.gram.GramEngine.cross(signal, z, x); // 10×300
        Matrix a = new Matrix(10, 300); // forward substitution L·A = U
        for (int c = 0; c < 300; c++) {
            for (int i = 0; i < 10; i++) {
                double s = u.get(i, c);
                for (int q = 0; q < i; q++) {
                    s -= l.get(i, q) * a.get(q, c);
                }
                a.set(i, c, s / l.get(i, i));
            }
        }
        BlockRows rows = new BlockRows(x, y, 0, 0, 1, 100, 300);
        SparseGaussianProcess.Statistics st = rows.statistics(signal, z, l);
        assertEquals(300, st.rows());
        assertTrue(st.aat().maxAbsDifference(a.times(a.transpose())) < 1e-10 * 300);
        assertTrue(st.ay().maxAbsDifference(a.times(y)) < 1e-10 * 300);
        double yy = 0;
        for (int i = 0; i < 300; i++) {
            yy += y.get(i, 0) * y.get(i, 0) + y.get(i, 1) * y.get(i, 1);
        }
        assertEquals(yy, st.yy(), 1e-12 * yy);
        assertEquals(300 * 1.5, st.traceKnn(), 1e-9); // k(x, x) = the signal variance for rbf
        // the bound and both gradients equal the in-memory ones (two passes per evaluation)
        HyperparameterSearch.Evidence whole = sgp.bound(x, y, z);
        HyperparameterSearch.Evidence blocks = sgp.bound(rows, z);
        assertEquals(whole.value(), blocks.value(), 1e-12 * Math.abs(whole.value()));
        assertTrue(maxRelative(whole.gradient(), blocks.gradient()) < 1e-10);
        assertEquals(20, blocks.extraGradient().length);
        assertTrue(maxRelative(whole.extraGradient(), blocks.extraGradient()) < 1e-10);
        assertEquals(2, rows.statisticsPasses);
        assertEquals(1, rows.gradientPasses);
        // a learned fit from the same start: same hyperparameters, inducing inputs, bound and predictions
        SparseGaussianProcess learner = SparseGaussianProcess.builder(k).inducing(10).sampler(
                org.kernels4j.approx.Landmarks.Sampler.UNIFORM).seed(4).jitter(1e-4)
                .optimize(HyperparameterSearch.builder().maxIterations(6).build()).build();
        SparseGaussianProcessModel local = learner.fit(x, y);
        SparseGaussianProcessModel split = learner.fit(new BlockRows(x, y, 0, 150, 300), learner.initialInducing(x));
        assertEquals(local.bound(), split.bound(), 1e-8 * Math.abs(local.bound()));
        assertTrue(local.inducingInputs().maxAbsDifference(split.inducingInputs()) < 1e-6);
        Matrix xt = TestData.gaussian(5, 2, 1.0, 15);
        Matrix p = local.predict(xt);
        assertTrue(p.maxAbsDifference(split.predict(xt)) < 1e-8 * 3);
        double[] va = local.variance(xt, 1);
        double[] vb = split.variance(xt, 1);
        assertTrue(maxRelative(va, vb) < 1e-7);
        assertTrue(split.search() != null && split.bound() > sgp.bound(x, y, learner.initialInducing(x)).value());
        // normalized targets need them in memory
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> SparseGaussianProcess.builder(k)
                .normalizeTargets(true).build().bound(rows, z));
        assertTrue(e.getMessage().contains("normalizeTargets needs the targets in memory"), e.getMessage());
    }
}
