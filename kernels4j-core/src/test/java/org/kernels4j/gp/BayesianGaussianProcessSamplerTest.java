package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;

/**
 * The HMC sampler against posteriors known in closed form. With one training point, an rbf kernel's
 * k(x, x) = 1 whatever its length ℓ, so log p(y | ℓ) = log N(y; 0, 1 + σ²) is a constant and the
 * posterior of z = log ℓ is exactly its prior N(μ, s²) (checked in {@link #theOnePointLikelihoodIsFlat}),
 * truncated at log(Double.MAX_VALUE) where ℓ = e^z overflows (outside the support, density −∞). Each
 * evidence is then O(1), so long chains are cheap. References written here: the normal density and its
 * truncated moments (quadrature), a textbook leapfrog on the standard normal for the expected acceptance
 * E[min(1, e^(H₀−H₁))] at a given scaled step h = ε·√(M⁻¹)/s, and Stan's documented warm-up windows
 * (15 % / 75 % / 10 %) and metric regularisation (k/(k+5))·var + 10⁻³·5/(k+5).
 */
class BayesianGaussianProcessSamplerTest {
    private static final Kernel RBF = KernelSpec.parse("rbf(length=1)");
    private static final Matrix X1 = Matrix.wrap(1, 1, new double[] {0.3});
    private static final double NOISE = 1;

    private static BayesianGaussianProcess.Builder flat(double priorMean, double priorSd, double y) {
        return BayesianGaussianProcess.builder(RBF).noise(NOISE).prior("rbf.length", priorMean, priorSd);
    }

    private static Matrix y1(double y) {
        return Matrix.wrap(1, 1, new double[] {y});
    }

    @Test
    void theOnePointLikelihoodIsFlat() {
        double expected = -0.5 * Math.log(2 * Math.PI * (1 + NOISE)) - 0.5 * 0.7 * 0.7 / (1 + NOISE);
        for (double length : new double[] {1e-3, 1, 1e300}) {
            var e = GaussianProcess.builder(RBF.withHyperparameters(new double[] {length})).noise(NOISE).build()
                    .evidence(X1, y1(0.7));
            assertEquals(expected, e.value(), 1e-12, "ℓ = " + length);
            assertEquals(0, e.gradient()[0], 1e-15, "ℓ = " + length);
        }
    }

    /** The expected acceptance min(1, e^(H₀−H₁)) of L leapfrog steps of scaled size h on N(0, 1), (u, v) ~ N(0, I). */
    static double expectedAcceptance(double h, int steps) {
        int n = 600;
        double lim = 8;
        double du = 2 * lim / n;
        double num = 0;
        double den = 0;
        for (int a = 0; a <= n; a++) {
            double u0 = -lim + a * du;
            for (int b = 0; b <= n; b++) {
                double v0 = -lim + b * du;
                double w = Math.exp(-0.5 * (u0 * u0 + v0 * v0));
                double u = u0;
                double v = v0;
                for (int s = 0; s < steps; s++) {
                    v -= 0.5 * h * u;
                    u += h * v;
                    v -= 0.5 * h * u;
                }
                double dh = 0.5 * (u0 * u0 + v0 * v0) - 0.5 * (u * u + v * v);
                num += w * Math.min(1, Math.exp(dh));
                den += w;
            }
        }
        return num / den;
    }

    /** Draws of one column, their mean and variance. */
    private static double[] moments(double[] d) {
        double mean = 0;
        for (double v : d) {
            mean += v / d.length;
        }
        double var = 0;
        for (double v : d) {
            var += (v - mean) * (v - mean) / (d.length - 1);
        }
        return new double[] {mean, var};
    }

    /**
     * Prior N(705, 4²) on log ℓ, flat likelihood: the posterior is that normal truncated at
     * b = log(Double.MAX_VALUE), where ℓ overflows (θ must be finite). Its mean and variance by quadrature;
     * the draws' mean and variance within 4 standard errors at the reported ESS. A trajectory that leaves the
     * support has H₁ = ∞ and acceptance 0 and is counted as divergent, so divergences ≥ 1 here and, since a
     * divergent transition (infinite H₁ or an energy error above 1000) has a = 0 exactly,
     * divergences ≤ N·(1 − mean acceptance). y = 50 makes log p(y, z) ≈ −630, so |H₀ + H₁| ≫ 1000.
     */
    @Test
    void hmcSamplesTheTruncatedPriorAndCountsDivergences() {
        double mu = 705;
        double s = 4;
        double b = Math.log(Double.MAX_VALUE);
        int n = 20000;
        double lo = mu - 12 * s;
        double h = (b - lo) / n;
        double w0 = 0;
        double w1 = 0;
        double w2 = 0;
        for (int i = 0; i <= n; i++) {
            double z = lo + i * h;
            double w = (i == 0 || i == n ? 0.5 : 1) * Math.exp(-0.5 * (z - mu) * (z - mu) / (s * s));
            w0 += w;
            w1 += w * z;
        }
        double mean = w1 / w0;
        double m4 = 0;
        for (int i = 0; i <= n; i++) {
            double z = lo + i * h;
            double w = (i == 0 || i == n ? 0.5 : 1) * Math.exp(-0.5 * (z - mu) * (z - mu) / (s * s));
            w2 += w * (z - mean) * (z - mean);
            m4 += w * Math.pow(z - mean, 4);
        }
        double variance = w2 / w0;
        m4 /= w0;
        BayesianGaussianProcessModel m = flat(mu, s, 50).chains(2).warmup(40).draws(300).leapfrogSteps(2).seed(11)
                .predictionDraws(2).build().fit(X1, y1(50));
        FitReport r = m.report();
        double[] draws = m.logDraws().column(0);
        for (double d : draws) {
            assertTrue(Double.isFinite(Math.exp(d)), "a draw outside the support: " + d);
        }
        double ess = r.numbers("ess")[0];
        double[] mv = moments(draws);
        assertEquals(mean, mv[0], 4 * Math.sqrt(variance / ess), "truncated-normal mean");
        assertEquals(variance, mv[1], 4 * Math.sqrt((m4 - variance * variance) / ess), "truncated-normal variance");
        double divergences = r.number("divergences");
        assertTrue(divergences >= 1, "trajectories crossing b are divergent");
        assertTrue(divergences <= draws.length * (1 - r.number("acceptance_rate")) + 1e-9,
                divergences + " divergences, acceptance " + r.number("acceptance_rate"));
    }

    /**
     * With fewer than 20 warm-up iterations the metric is the identity, so the scaled step of a chain is
     * h = ε/s; the sampling phase's mean acceptance then estimates A(h) of one leapfrog step
     * ({@link #expectedAcceptance}). Over 5 independent single-chain fits the differences acc − A(h) have
     * mean zero: within 5 standard errors of their own spread (t with 4 degrees of freedom, two-sided
     * p ≈ 0.008).
     */
    @Test
    void acceptanceIsThatOfTheTunedLeapfrogStep() {
        double s = 0.5;
        int k = 5;
        double[] d = new double[k];
        for (int i = 0; i < k; i++) {
            FitReport r = flat(-1, s, 0.7).chains(1).warmup(BayesianGaussianProcess.MIN_WARMUP_FOR_METRIC - 1).draws(150)
                    .leapfrogSteps(1).targetAcceptance(0.65).seed(20 + i).predictionDraws(1).build().fit(X1, y1(0.7))
                    .report();
            assertEquals(1.0, r.numbers("inverse_mass_chain_1")[0]);
            double eps = r.numbers("step_size")[0];
            d[i] = r.number("acceptance_rate") - expectedAcceptance(eps / s, 1);
        }
        double[] mv = moments(d);
        assertEquals(0, mv[0], 5 * Math.sqrt(mv[1] / k), "acc − A(h): " + java.util.Arrays.toString(d));
    }

    /**
     * The metric of the slow window (k = W − round(0.1·W) − round(0.15·W) draws) is Stan's
     * (k/(k+5))·v̂ + 10⁻³·5/(k+5). With s = 10⁻⁴ the sample variance v̂ of draws from N(μ, s²) is at most
     * 25·s² (far above any plausible v̂, and still 1/250 of the shrinkage term), which pins the shrinkage term;
     * with s = 0.05 (and μ/s = −20, so a running mean that lags shows) v̂ must be within [s²/4, 2.5·s²], 4
     * standard errors of a variance from ≥ 15 effective draws.
     */
    @Test
    void theAdaptedMetricIsStansRegularisedVariance() {
        // W = 20 is the shortest warm-up that adapts the metric (k = 20 − 2 − 3 = 15); W = 100 gives k = 75
        for (int warmup : new int[] {BayesianGaussianProcess.MIN_WARMUP_FOR_METRIC, 100}) {
            int k = warmup - (int) Math.round(0.10 * warmup) - (int) Math.round(0.15 * warmup);
            double shrink = 1e-3 * 5.0 / (k + 5.0);
            double s = 1e-4;
            double tight = flat(-1, s, 0.7).chains(1).warmup(warmup).draws(4).leapfrogSteps(1).seed(7).predictionDraws(1)
                    .build().fit(X1, y1(0.7)).report().numbers("inverse_mass_chain_1")[0];
            assertTrue(tight >= shrink && tight <= shrink + k / (k + 5.0) * 25 * s * s, "W = " + warmup + ": inverse mass "
                    + tight + " vs " + shrink);
        }
        int warmup = 100;
        int k = 75;
        double shrink = 1e-3 * 5.0 / (k + 5.0);
        double s = 0.05;
        double wide = flat(-1, s, 0.7).chains(1).warmup(warmup).draws(4).leapfrogSteps(1).seed(7).predictionDraws(1)
                .build().fit(X1, y1(0.7)).report().numbers("inverse_mass_chain_1")[0];
        double v = (wide - shrink) * (k + 5.0) / k;
        assertTrue(v >= s * s / 4 && v <= 2.5 * s * s, "v̂ = " + v + " vs s² = " + s * s);
    }

    /** Accessors, the messages of two errors, and −∞ where the evidence cannot be evaluated. */
    @Test
    void accessorsMessagesAndTheSupport() {
        BayesianGaussianProcess b = BayesianGaussianProcess.builder(RBF).method(BayesianGaussianProcess.Method.FULL_RANK_VI)
                .build();
        assertSame(RBF, b.kernel());
        assertEquals(BayesianGaussianProcess.Method.FULL_RANK_VI, b.method());
        BayesianGaussianProcessModel m = flat(0, 1, 0.7).chains(1).warmup(0).draws(4).leapfrogSteps(1).predictionDraws(1)
                .build().fit(X1, y1(0.7));
        assertFalse(m.normalizesTargets());
        assertEquals(1, m.features());
        var e = assertThrows(Kernels4jException.class, () -> BayesianGaussianProcess.builder(RBF).fix("rbf.length").build());
        assertTrue(e.getMessage().contains("(all are fixed)"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> BayesianGaussianProcess.builder(KernelSpec.parse("linear()")).build());
        assertFalse(e.getMessage().contains("all are fixed"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> b.fit(new Matrix(3, 1), new Matrix(2, 1)));
        assertTrue(e.getMessage().contains("training data has 3 rows but the targets have 2"), e.getMessage());
        // three equal inputs and no noise: K = 11ᵀ is singular, the Cholesky factorization fails
        BayesianGaussianProcess noNoise = BayesianGaussianProcess.builder(RBF).noise(0).build();
        assertEquals(Double.NEGATIVE_INFINITY, noNoise.new Posterior(new Matrix(3, 1), new Matrix(3, 1))
                .logDensity(new double[] {0}, null));
        // y = 1e200: yᵀK⁻¹y overflows, the evidence is −∞ without an exception
        assertEquals(Double.NEGATIVE_INFINITY, flat(0, 1, 0).build().new Posterior(X1, y1(1e200))
                .logDensity(new double[] {0}, null));
    }

    // ---- VI on a two-parameter posterior: scale and length of σf²·rbf(ℓ), two points ----
    private static final Kernel SCALED = KernelSpec.parse("1*rbf(length=1)");
    private static final Matrix X2 = Matrix.wrap(2, 1, new double[] {0, 0.5});
    private static final Matrix Y2 = Matrix.wrap(2, 1, new double[] {2, -1});
    private static final double NOISE2 = 0.01;
    private static final double PRIOR_SD2 = 0.7;

    /** log p(y, z) written out: N(z_j; 0, s²) priors plus the dense GP's evidence; its gradient into g. */
    private static double logJoint(double[] z, double[] g) {
        double lp = 0;
        double[] theta = new double[2];
        for (int j = 0; j < 2; j++) {
            double u = z[j] / PRIOR_SD2;
            lp += -0.5 * u * u - Math.log(PRIOR_SD2 * Math.sqrt(2 * Math.PI));
            theta[j] = Math.exp(z[j]);
        }
        var e = GaussianProcess.builder(SCALED.withHyperparameters(theta)).noise(NOISE2).build().evidence(X2, Y2);
        for (int j = 0; j < 2; j++) {
            g[j] = e.gradient()[j] - z[j] / (PRIOR_SD2 * PRIOR_SD2);
        }
        return lp + e.value();
    }

    /**
     * Both Gaussian families on a correlated 2-parameter posterior (correlation ≈ 0.5). References, by a
     * 16 × 16 midpoint rule over ε ∈ [−5, 5]² at the reported q = N(m, CCᵀ): the optimum's stationarity
     * conditions E_q[∇ log p] = 0 and E_q[∇ log p · εᵀ]·Cᵀ = −I (all four entries for the full-rank family,
     * the diagonal for mean field; Opper &amp; Archambeau 2009, via Stein's lemma); the ELBO
     * E_q[log p(y, z)] + ½·log det(2πe·Σ_q) within 4 standard errors sd_q(log p)/√100 of the reported one, and
     * the reported standard error within 40 % of that (4 standard errors of an sd from 100 draws); the
     * draws' mean within 4 standard errors of m. The mean-field covariance is diagonal exactly.
     */
    @Test
    void variationalOptimaAreStationaryOnACorrelatedPosterior() {
        for (var method : new BayesianGaussianProcess.Method[] {BayesianGaussianProcess.Method.MEAN_FIELD_VI,
            BayesianGaussianProcess.Method.FULL_RANK_VI}) {
            boolean full = method == BayesianGaussianProcess.Method.FULL_RANK_VI;
            BayesianGaussianProcessModel m = BayesianGaussianProcess.builder(SCALED).noise(NOISE2).priorScale(PRIOR_SD2)
                    .method(method).iterations(250).gradientSamples(4).elboSamples(100).predictionDraws(1).seed(3).build()
                    .fit(X2, Y2);
            FitReport r = m.report();
            double[] mean = r.numbers("q_mean");
            double[] cov = r.numbers("q_covariance");
            assertEquals(cov[1], cov[2], 0, "symmetric");
            if (!full) {
                assertEquals(0, cov[1], 0, "mean field: diagonal");
            }
            double c00 = Math.sqrt(cov[0]);
            double c10 = cov[2] / c00;
            double c11 = Math.sqrt(cov[3] - c10 * c10);
            int n = 16;
            double lim = 5;
            double step = 2 * lim / n;
            double[] eg = new double[2];
            double[][] ege = new double[2][2];
            double elp = 0;
            double elp2 = 0;
            double wsum = 0;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    double e0 = -lim + (a + 0.5) * step;
                    double e1 = -lim + (b + 0.5) * step;
                    double w = Math.exp(-0.5 * (e0 * e0 + e1 * e1));
                    double[] g = new double[2];
                    double lp = logJoint(new double[] {mean[0] + c00 * e0, mean[1] + c10 * e0 + c11 * e1}, g);
                    wsum += w;
                    elp += w * lp;
                    elp2 += w * lp * lp;
                    for (int i = 0; i < 2; i++) {
                        eg[i] += w * g[i];
                        ege[i][0] += w * g[i] * e0;
                        ege[i][1] += w * g[i] * e1;
                    }
                }
            }
            elp /= wsum;
            double sdLp = Math.sqrt(elp2 / wsum - elp * elp);
            double[][] ct = {{c00, c10}, {0, c11}};
            double[][] res = new double[2][2];
            for (int i = 0; i < 2; i++) {
                eg[i] /= wsum;
                for (int j = 0; j < 2; j++) {
                    res[i][j] = (i == j ? 1 : 0) + (ege[i][0] * ct[0][j] + ege[i][1] * ct[1][j]) / wsum;
                }
            }
            double entropy = Math.log(2 * Math.PI * Math.E) + 0.5 * Math.log(cov[0] * cov[3] - cov[1] * cov[2]);
            double se = sdLp / Math.sqrt(100);
            for (int i = 0; i < 2; i++) {
                assertEquals(0, eg[i], 0.3, method + " E_q[g]");
                for (int j = 0; j < 2; j++) {
                    if (full || i == j) {
                        assertEquals(0, res[i][j], 0.3, method + " E_q[g εᵀ]Cᵀ + I at " + i + "," + j);
                    }
                }
            }
            assertEquals(elp + entropy, r.number("elbo"), 4 * se + 0.3, method + " elbo");
            double ratio = r.number("elbo_se") / se;
            assertTrue(ratio > 0.4 && ratio < 2.5, method + " elbo_se " + r.number("elbo_se") + " vs " + se);
            Matrix draws = m.logDraws();
            assertEquals(100, draws.rows());
            for (int j = 0; j < 2; j++) {
                assertEquals(mean[j], moments(draws.column(j))[0], 4 * Math.sqrt(cov[j * 3] / 100), method + " draws");
            }
        }
    }
}
