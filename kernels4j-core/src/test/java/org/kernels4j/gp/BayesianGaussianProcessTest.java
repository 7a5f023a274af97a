package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;

/**
 * A one-hyperparameter posterior with a known answer: rbf length ℓ with log ℓ ~ N(0, 0.5²), fixed
 * noise, 15 points. The test integrates p(y | ℓ)·p(log ℓ) on a fine grid of log ℓ (trapezoid rule,
 * GaussianProcess's evidence at each node) for the evidence log p(y), the posterior moments and the
 * posterior predictive at one test point; the samplers are checked against those.
 */
class BayesianGaussianProcessTest {
    private static final Kernel KERNEL = KernelSpec.parse("rbf(length=1)");
    private static final double NOISE = 0.05;
    private static final double PRIOR_SD = 0.5;
    private static final Matrix X = TestData.gaussian(15, 1, 1.5, 21);
    private static final Matrix Y = new Matrix(15, 1);
    private static final Matrix STAR = Matrix.wrap(1, 1, new double[] {0.4});
    private static double logEvidence;
    private static double mean;
    private static double variance;
    private static double fourthMoment;
    private static double predictiveMean;
    private static double predictiveVariance;
    private static double predictiveMeanSd;

    @BeforeAll
    static void integrateOnAGrid() {
        Matrix e = TestData.gaussian(15, 1, Math.sqrt(NOISE), 22);
        for (int i = 0; i < 15; i++) {
            Y.set(i, 0, Math.sin(1.3 * X.get(i, 0)) + e.get(i, 0));
        }
        double lo = -7 * PRIOR_SD;
        double hi = 7 * PRIOR_SD;
        int steps = 200;
        double h = (hi - lo) / steps;
        double[] z = new double[steps + 1];
        double[] logf = new double[steps + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s <= steps; s++) {
            z[s] = lo + s * h;
            double logPrior = -0.5 * z[s] * z[s] / (PRIOR_SD * PRIOR_SD) - Math.log(PRIOR_SD * Math.sqrt(2 * Math.PI));
            logf[s] = logPrior + gp(z[s]).logMarginalLikelihood();
            max = Math.max(max, logf[s]);
        }
        double[] w = new double[steps + 1];
        double total = 0;
        for (int s = 0; s <= steps; s++) {
            w[s] = (s == 0 || s == steps ? 0.5 : 1) * Math.exp(logf[s] - max);
            total += w[s];
        }
        logEvidence = max + Math.log(total * h);
        double m1 = 0;
        for (int s = 0; s <= steps; s++) {
            m1 += w[s] * z[s] / total;
        }
        double m2 = 0;
        double m4 = 0;
        for (int s = 0; s <= steps; s++) {
            double d = z[s] - m1;
            m2 += w[s] * d * d / total;
            m4 += w[s] * d * d * d * d / total;
        }
        mean = m1;
        variance = m2;
        fourthMoment = m4;
        // the predictive at x* = 0.4, on every 4th node (weights renormalized on that coarser grid)
        double pm = 0;
        double pSecond = 0;
        double pmSq = 0;
        double sub = 0;
        for (int s = 0; s <= steps; s += 4) {
            GaussianProcessModel g = gp(z[s]);
            double m = g.predict(STAR).get(0, 0);
            double v = g.predictiveVariance(STAR).get(0, 0);
            pm += w[s] * m;
            pmSq += w[s] * m * m;
            pSecond += w[s] * (v + m * m);
            sub += w[s];
        }
        predictiveMean = pm / sub;
        predictiveVariance = pSecond / sub - predictiveMean * predictiveMean;
        predictiveMeanSd = Math.sqrt(Math.max(pmSq / sub - predictiveMean * predictiveMean, 0));
    }

    private static GaussianProcessModel gp(double logLength) {
        return GaussianProcess.builder(KERNEL.withHyperparameters(new double[] {Math.exp(logLength)})).noise(NOISE).build()
                .fit(X, Y);
    }

    private static BayesianGaussianProcess.Builder builder() {
        return BayesianGaussianProcess.builder(KERNEL).noise(NOISE).priorScale(PRIOR_SD).seed(5);
    }

    @Test
    void hmcMatchesTheGridPosteriorWithinMonteCarloError() {
        BayesianGaussianProcessModel m = builder().chains(2).warmup(60).draws(150).leapfrogSteps(3).predictionDraws(40)
                .build().fit(X, Y);
        FitReport r = m.report();
        double ess = r.numbers("ess")[0];
        assertTrue(ess > 100, "ess " + ess);
        assertTrue(r.numbers("r_hat")[0] < 1.05, "r_hat " + r.numbers("r_hat")[0]);
        double acceptance = r.number("acceptance_rate");
        assertTrue(acceptance > 0.6 && acceptance < 0.97, "acceptance " + acceptance);
        // the diagonal metric adapted in warm-up estimates the posterior variance from the slow window's
        // 60 − 9 − 6 = 45 (correlated) draws, shrunk by 45/50 towards 10⁻³: within a factor 2.5 of the grid's
        double inverseMass = r.numbers("inverse_mass_chain_1")[0];
        assertTrue(inverseMass > variance / 2.5 && inverseMass < 2.5 * variance,
                "inverse mass " + inverseMass + " vs posterior variance " + variance);
        double[] identity = builder().chains(1).warmup(BayesianGaussianProcess.MIN_WARMUP_FOR_METRIC - 1).draws(4)
                .leapfrogSteps(1).predictionDraws(1).build().fit(X, Y).report().numbers("inverse_mass_chain_1");
        assertEquals(1.0, identity[0], "too short a warm-up keeps the identity metric");
        double[] draws = m.logDraws().column(0);
        assertEquals(300, draws.length);
        double sampleMean = 0;
        for (double d : draws) {
            sampleMean += d / draws.length;
        }
        double sampleVar = 0;
        for (double d : draws) {
            sampleVar += (d - sampleMean) * (d - sampleMean) / (draws.length - 1);
        }
        // standard errors of a mean and of a variance from `ess` effective draws
        assertEquals(mean, sampleMean, 4 * Math.sqrt(variance / ess), "posterior mean");
        assertEquals(variance, sampleVar, 4 * Math.sqrt((fourthMoment - variance * variance) / ess), "posterior variance");
        // the mixture predictive at x* against the grid's, within the error of 40 (nearly independent) draws
        double se = predictiveMeanSd / Math.sqrt(40);
        assertEquals(predictiveMean, m.predict(STAR).get(0, 0), 4 * se + 1e-9, "predictive mean");
        assertEquals(predictiveVariance, m.predictiveVariance(STAR).get(0, 0), 0.1 * predictiveVariance + 8 * se
                * Math.abs(predictiveMean), "predictive variance");
        assertEquals(40, m.members().size());
        assertEquals(java.util.List.of("rbf.length"), m.parameterNames());
    }

    @Test
    void variationalElboNeverExceedsTheEvidenceAndFindsThePosterior() {
        for (BayesianGaussianProcess.Method method : new BayesianGaussianProcess.Method[] {
            BayesianGaussianProcess.Method.MEAN_FIELD_VI, BayesianGaussianProcess.Method.FULL_RANK_VI}) {
            BayesianGaussianProcessModel m = builder().method(method).iterations(100).gradientSamples(2).elboSamples(100)
                    .build().fit(X, Y);
            FitReport r = m.report();
            double elbo = r.number("elbo");
            double se = r.number("elbo_se");
            assertTrue(elbo <= logEvidence + 3 * se, method + ": elbo " + elbo + " > log p(y) " + logEvidence);
            // the posterior is close to Gaussian here, so the bound is nearly tight
            assertTrue(elbo >= logEvidence - 0.05 - 3 * se, method + ": elbo " + elbo + " vs " + logEvidence);
            assertEquals(mean, r.numbers("q_mean")[0], 0.1 * Math.sqrt(variance), method + " q mean");
            assertEquals(variance, r.numbers("q_covariance")[0], 0.25 * variance, method + " q variance");
        }
    }

    /**
     * A q far from the posterior (a fixed, too-narrow start that two iterations cannot move) has
     * a clearly lower ELBO: the bound is not tight by construction.
     */
    @Test
    void aPoorApproximationHasALowerElbo() {
        BayesianGaussianProcessModel m = builder().method(BayesianGaussianProcess.Method.MEAN_FIELD_VI).iterations(2)
                .learningRate(1e-6).elboSamples(100).build().fit(X, Y);
        double elbo = m.report().number("elbo");
        assertTrue(elbo < logEvidence - 0.3, "elbo " + elbo + " vs " + logEvidence);
    }

    @Test
    void badOptionsAreClearErrors() {
        var e = assertThrows(Kernels4jException.class, () -> builder().prior("rbf.gamma", 0, 1).build());
        assertTrue(e.getMessage().contains("rbf.length"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> builder().fix("rbf.length").build());
        assertTrue(e.getMessage().contains("no free hyperparameters"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> builder().draws(3).build());
        assertTrue(e.getMessage().contains("4 draws"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> builder().targetAcceptance(1).build());
        assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> builder().prior("rbf.length", 0, 0).build());
        assertTrue(e.getMessage().contains("sd > 0"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> BayesianGaussianProcess.builder(KernelSpec.parse("linear()"))
                .build());
        assertTrue(e.getMessage().contains("no free hyperparameters"), e.getMessage());
    }
}
