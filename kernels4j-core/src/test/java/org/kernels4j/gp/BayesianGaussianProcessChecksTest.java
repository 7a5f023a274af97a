package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.ModelState;

/**
 * The deterministic parts of the fully Bayesian GP, each against a reference written here: the
 * joint density log p(y, z) = Σ_j log N(z_j; μ_j, s_j²) + log p(y | θ(z)) (the normal density
 * written out, the dense GP's evidence) and its gradient (central differences); the mixture's
 * moments from its members; the documented option ranges (inclusive ends); model files.
 */
class BayesianGaussianProcessChecksTest {
    private static final Matrix X = TestData.gaussian(12, 2, 1.0, 31);
    private static final Matrix Y = targets();

    private static Matrix targets() {
        Matrix y = new Matrix(12, 1);
        for (int i = 0; i < 12; i++) {
            y.set(i, 0, Math.sin(X.get(i, 0)) - 0.5 * X.get(i, 1));
        }
        return y;
    }

    private static double logNormal(double z, double mean, double sd) {
        double u = (z - mean) / sd;
        return -0.5 * u * u - Math.log(sd * Math.sqrt(2 * Math.PI));
    }

    /**
     * Kernel 1.5·rbf(length=0.8) + white(noise=0.05) (three hyperparameters: scale, length, noise),
     * the length fixed, an explicit prior on the noise and the default N(log θ, 0.7²) on the scale.
     */
    @Test
    void theJointDensityIsThePriorPlusTheEvidence() {
        Kernel k = KernelSpec.parse("1.5*rbf(length=0.8) + white(noise=0.05)");
        List<String> names = k.hyperparameters().stream().map(h -> h.name()).toList();
        assertEquals(3, names.size());
        String scale = names.get(0);
        String length = names.get(1);
        String noise = names.get(2);
        BayesianGaussianProcess b = BayesianGaussianProcess.builder(k).noise(0).priorScale(0.7).fix(length)
                .prior(noise, Math.log(0.1), 0.4).build();
        BayesianGaussianProcess.Posterior post = b.new Posterior(X, Y);
        assertEquals(2, post.dimension());
        assertEquals(List.of(scale, noise), List.of(post.names));
        double[] z = {Math.log(2.2), Math.log(0.03)};
        double[] theta = post.theta(z);
        assertEquals(2.2, theta[0], 1e-12);
        assertEquals(0.8, theta[1], 0);
        assertEquals(0.03, theta[2], 1e-12);
        double[] g = new double[2];
        double value = post.logDensity(z, g);
        double evidence = GaussianProcess.builder(k.withHyperparameters(new double[] {2.2, 0.8, 0.03})).noise(0).build()
                .evidence(X, Y).value();
        double expected = logNormal(z[0], Math.log(1.5), 0.7) + logNormal(z[1], Math.log(0.1), 0.4) + evidence;
        assertEquals(expected, value, 1e-10 * Math.abs(expected));
        double h = 1e-5;
        for (int j = 0; j < 2; j++) {
            double[] up = z.clone();
            double[] down = z.clone();
            up[j] += h;
            down[j] -= h;
            double fd = (post.logDensity(up, null) - post.logDensity(down, null)) / (2 * h);
            assertEquals(fd, g[j], 1e-6 * (1 + Math.abs(fd)), "d/dz " + j);
        }
        // outside the support (θ overflows to ∞): −∞, not an exception
        assertEquals(Double.NEGATIVE_INFINITY, post.logDensity(new double[] {800, 0}, null));
    }

    /** mean = (1/S)·Σ m_s, variance = (1/S)·Σ (v_s + m_s²) − mean², from the members' own predictions. */
    @Test
    void predictionsAreTheMixtureMomentsOfTheMembers() {
        BayesianGaussianProcessModel m = BayesianGaussianProcess.builder(KernelSpec.parse("rbf(length=1)")).noise(0.05)
                .seed(3).chains(1).warmup(0).draws(12).leapfrogSteps(1).predictionDraws(5).build().fit(X, Y);
        Matrix q = TestData.gaussian(4, 2, 1.0, 32);
        assertEquals(5, m.members().size());
        for (int r = 0; r < 4; r++) {
            double mean = 0;
            double second = 0;
            for (GaussianProcessModel g : m.members()) {
                double mu = g.predict(q).get(r, 0);
                mean += mu / 5;
                second += (g.predictiveVariance(q).get(r, 0) + mu * mu) / 5;
            }
            assertEquals(mean, m.predict(q).get(r, 0), 1e-12);
            assertEquals(second - mean * mean, m.predictiveVariance(q).get(r, 0), 1e-12);
        }
        // each member's θ is one of the kept draws (exp of a row of logDraws), and they are distinct rows
        double[] draws = m.logDraws().column(0);
        assertEquals(12, draws.length);
        java.util.Set<Integer> rows = new java.util.HashSet<>();
        for (int s = 0; s < 5; s++) {
            double t = m.memberHyperparameters().get(s, 0);
            int found = -1;
            for (int i = 0; i < draws.length; i++) {
                if (Math.abs(Math.exp(draws[i]) - t) <= 1e-12 * t && !rows.contains(i)) {
                    found = i;
                    break;
                }
            }
            assertTrue(found >= 0, "member " + s + " is a kept draw");
            rows.add(found);
        }
        var e = assertThrows(Kernels4jException.class, () -> m.predict(new Matrix(1, 3)));
        assertTrue(e.getMessage().contains("2 features but the data has 3"), e.getMessage());
    }

    /** Every documented lower end is allowed, one below it is refused. */
    @Test
    void optionRangesIncludeTheirEnds() {
        Kernel k = KernelSpec.parse("rbf(length=1)");
        List<UnaryOperator<BayesianGaussianProcess.Builder>> ok = List.of(b -> b.noise(0), b -> b.chains(1),
                b -> b.warmup(0), b -> b.draws(4), b -> b.leapfrogSteps(1), b -> b.iterations(2), b -> b.gradientSamples(1),
                b -> b.elboSamples(2), b -> b.predictionDraws(1));
        for (var o : ok) {
            o.apply(BayesianGaussianProcess.builder(k)).build();
        }
        String[][] bad = {{"noise", "must be >= 0"}, {"chains", "at least 1 chain"}, {"warmup", "warm-up must be >= 0"},
            {"draws", "at least 4 draws"}, {"leapfrog", "at least 1 leapfrog"}, {"iterations", "at least 2 iterations"},
            {"gradient", "at least 1 gradient"}, {"elbo", "at least 2 ELBO"}, {"prediction", "at least 1 prediction"},
            {"priorScale", "prior scale must be > 0"}, {"learningRate", "learning rate must be > 0"},
            {"acceptance0", "(0, 1)"}};
        List<UnaryOperator<BayesianGaussianProcess.Builder>> below = List.of(b -> b.noise(-1e-9), b -> b.chains(0),
                b -> b.warmup(-1), b -> b.draws(3), b -> b.leapfrogSteps(0), b -> b.iterations(1), b -> b.gradientSamples(0),
                b -> b.elboSamples(1), b -> b.predictionDraws(0), b -> b.priorScale(0), b -> b.learningRate(0),
                b -> b.targetAcceptance(0));
        for (int i = 0; i < bad.length; i++) {
            var o = below.get(i);
            var e = assertThrows(Kernels4jException.class, () -> o.apply(BayesianGaussianProcess.builder(k)).build(),
                    bad[i][0]);
            assertTrue(e.getMessage().contains(bad[i][1]), bad[i][0] + ": " + e.getMessage());
        }
        var e = assertThrows(Kernels4jException.class, () -> BayesianGaussianProcess.builder(k).fix("rbf.gamma").build());
        assertTrue(e.getMessage().contains("fix: the kernel") && e.getMessage().contains("rbf.length"), e.getMessage());
    }

    /** A model file keeps the members, the draws and the report's numbers: predictions equal to 1e-12. */
    @Test
    void modelFilesKeepTheMixture() {
        BayesianGaussianProcessModel m = BayesianGaussianProcess.builder(KernelSpec.parse("rbf(length=1)")).noise(0.05)
                .normalizeTargets(true).seed(4).chains(2).warmup(0).draws(4).leapfrogSteps(1).predictionDraws(3).build()
                .fit(X, Y);
        ModelState state = ModelCodecs.encode(m);
        assertEquals("bayesian-gp", state.kind());
        BayesianGaussianProcessModel back = (BayesianGaussianProcessModel) ModelCodecs.decode(
                ModelState.of(state.kind(), state.fields(), state.arrays()));
        Matrix q = TestData.gaussian(3, 2, 1.0, 33);
        assertEquals(0, back.predict(q).maxAbsDifference(m.predict(q)), 1e-12);
        assertEquals(0, back.predictiveVariance(q).maxAbsDifference(m.predictiveVariance(q)), 1e-12);
        assertEquals(0, back.logDraws().maxAbsDifference(m.logDraws()), 0);
        assertEquals(m.parameterNames(), back.parameterNames());
        assertTrue(back.normalizesTargets());
        assertEquals(m.noise(), back.noise(), 0);
        assertEquals(m.report().number("acceptance_rate"), back.report().number("acceptance_rate"), 0);
        assertEquals(m.report().number("chains"), back.report().number("chains"), 0);
        assertEquals(m.report().values().get("method"), back.report().values().get("method"));
        assertEquals(java.util.Arrays.toString(m.report().numbers("r_hat")),
                java.util.Arrays.toString(back.report().numbers("r_hat")));
    }
}
