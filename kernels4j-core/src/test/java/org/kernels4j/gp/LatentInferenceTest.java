package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;

/** Laplace, EP and CVI against the exact GP, importance sampling, brute-force quadrature and finite differences. */
class LatentInferenceTest {
    private static final Kernel KERNEL = KernelSpec.parse("1.5*rbf(length=0.8)");

    private static Matrix inputs(int n, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, -2 + 4 * r.nextDouble());
        }
        return x;
    }

    private static LatentInference.Options options(InferenceMethod m) {
        return new LatentInference.Options(m, 2000, 0.7, 0.7, 1e-11);
    }

    @Test
    void withAGaussianLikelihoodEveryMethodAndObjectiveIsTheExactEvidence() {
        Matrix x = inputs(12, 1);
        double s2 = 0.3;
        Matrix y = new Matrix(12, 1);
        for (int i = 0; i < 12; i++) {
            y.set(i, 0, Math.sin(2 * x.get(i, 0)) + 0.3 * Math.cos(7.0 * i));
        }
        double exact = GaussianProcess.builder(KERNEL).noise(s2).build().fit(x, y).logMarginalLikelihood();
        Matrix k = GramEngine.gram(KERNEL, x);
        Likelihood lik = Likelihood.gaussian(s2);
        double[] obs = y.column(0);
        for (InferenceMethod m : InferenceMethod.values()) {
            LatentInference.Result r = LatentInference.infer(k, obs, lik, options(m), null, null);
            assertTrue(r.converged(), m + " converged");
            for (int i = 0; i < 12; i++) {
                assertEquals(1 / s2, r.posterior().tau()[i], 1e-8, m + " site precision");
                assertEquals(obs[i] / s2, r.posterior().nu()[i], 1e-8, m + " site natural mean");
            }
            for (HyperparameterObjective o : HyperparameterObjective.values()) {
                assertEquals(exact, LatentInference.objective(r, obs, lik, m, o), 1e-8, m + " " + o);
            }
        }
    }

    /** Σ = (K⁻¹ + T)⁻¹ computed as K − K(K + T⁻¹)⁻¹K, and μ = Σν: a route apart from the engine's B = I + SKS. */
    private static Matrix naiveCovariance(Matrix k, double[] tau) {
        int n = tau.length;
        Matrix a = k.copy();
        for (int i = 0; i < n; i++) {
            a.set(i, i, a.get(i, i) + 1 / tau[i]);
        }
        Matrix kak;
        try (Cholesky c = Cholesky.factor(a, "test")) {
            kak = k.times(c.solve(k));
        }
        Matrix s = k.copy();
        for (int i = 0; i < n * n; i++) {
            s.data()[i] -= kak.data()[i];
        }
        return s;
    }

    /** diag of K − (SK)ᵀ·B⁻¹·(SK) with B = I + SKS solved column by column: the route the engine avoids. */
    private static double[] directVariances(Matrix k, double[] tau) {
        int n = tau.length;
        Matrix sk = new Matrix(n, n);
        Matrix b = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                sk.set(i, j, Math.sqrt(tau[i]) * k.get(i, j));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b.set(i, j, (i == j ? 1 : 0) + sk.get(i, j) * Math.sqrt(tau[j]));
            }
        }
        double[] v = new double[n];
        try (Cholesky c = Cholesky.factor(b, "B")) {
            Matrix z = c.solve(sk);
            for (int i = 0; i < n; i++) {
                double q = 0;
                for (int r = 0; r < n; r++) {
                    q += sk.get(r, i) * z.get(r, i);
                }
                v[i] = k.get(i, i) - q;
            }
        }
        return v;
    }

    @Test
    void marginalVariancesAgreeWithTheDirectFormulaForStrongWeakAndZeroSites() {
        int n = 80;
        Matrix k = GramEngine.gram(KERNEL, inputs(n, 9));
        double[] levels = {0, 1e-13, 1e-7, 1e-3, 0.3, 4, 60};
        Random r = new Random(4);
        // mostly strong sites (the diag B⁻¹ route with some sites sent to the direct one), then mostly weak (all direct)
        for (int weakShare : new int[] {2, 6}) {
            double[] tau = new double[n];
            double[] nu = new double[n];
            for (int i = 0; i < n; i++) {
                tau[i] = i % 7 < weakShare ? levels[i % 3] : levels[3 + r.nextInt(4)];
                nu[i] = r.nextGaussian();
            }
            double[] ref = directVariances(k, tau);
            try (LatentInference.Posterior p = LatentInference.posterior(k, tau, nu)) {
                for (int i = 0; i < n; i++) {
                    assertEquals(ref[i], p.variance()[i], 1e-10 * k.get(i, i), "share " + weakShare + " site " + i
                            + " tau " + tau[i]);
                }
            }
        }
        try (LatentInference.Posterior none = LatentInference.posterior(k, new double[n], new double[n])) {
            for (int i = 0; i < n; i++) {
                assertEquals(k.get(i, i), none.variance()[i], 0, "no site leaves the prior variance");
            }
        }
    }

    @Test
    void andersonStepSolvesALinearFixedPointExactlyOnceItHasEnoughHistory() {
        // G(x) = M·x + c with a contraction M (3×3): with 3 differences, x* = (I − M)⁻¹c comes out exactly
        double[][] m = {{0.5, 0.2, 0}, {-0.1, 0.6, 0.3}, {0.2, 0, 0.7}};
        double[] c = {1, -2, 0.5};
        Matrix iMinusM = new Matrix(3, 3);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                iMinusM.set(i, j, (i == j ? 1 : 0) - m[i][j]);
            }
        }
        double[] exact = org.kernels4j.TestData.gaussSolve(iMinusM, Matrix.column(c)).data();
        java.util.ArrayDeque<double[][]> history = new java.util.ArrayDeque<>();
        double[] x = {0, 0, 0};
        double[] g = null;
        double[] f = null;
        for (int it = 0; it < 4; it++) {
            g = new double[3];
            f = new double[3];
            for (int i = 0; i < 3; i++) {
                g[i] = c[i];
                for (int j = 0; j < 3; j++) {
                    g[i] += m[i][j] * x[j];
                }
                f[i] = g[i] - x[i];
            }
            if (it < 3) {
                history.addLast(new double[][] {g, f});
                x = new double[] {x[0] + 0.3 * f[0] + 0.1 * it, x[1] - 0.2 * f[1], x[2] + f[2] * it}; // any spanning steps
            }
        }
        double[] out = LatentInference.anderson(history, g, f);
        for (int i = 0; i < 3; i++) {
            assertEquals(exact[i], out[i], 1e-6, "component " + i); // the ridge of 1e-10·trace costs ~1e-7 here
        }
    }

    @Test
    void probitEvidenceFromEpAndTheEpLikeEstimateAgreeWithImportanceSampling() {
        int n = 8;
        Matrix x = inputs(n, 3);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = (x.get(i, 0) + (i % 3 == 0 ? 1.5 : 0)) > 0 ? 1 : 0;
        }
        Matrix k = GramEngine.gram(KERNEL, x);
        Likelihood lik = Likelihood.probit();
        LatentInference.Result ep = LatentInference.infer(k, t, lik, options(InferenceMethod.EP), null, null);
        LatentInference.Result cvi = LatentInference.infer(k, t, lik, options(InferenceMethod.CVI), null, null);
        // the engine's posterior agrees with the naive formula
        Matrix sigma = naiveCovariance(k, ep.posterior().tau());
        double[] mu = LatentInference.times(sigma, ep.posterior().nu());
        for (int i = 0; i < n; i++) {
            assertEquals(sigma.get(i, i), ep.posterior().variance()[i], 1e-9);
            assertEquals(mu[i], ep.posterior().mean()[i], 1e-9);
        }
        // log Z = log E_q[p(y | f)·N(f; 0, K)/q(f)] with q = the EP posterior, 200,000 draws
        Matrix kj = k.copy();
        for (int i = 0; i < n; i++) {
            kj.set(i, i, kj.get(i, i) + 1e-10);
        }
        Matrix lq;
        double logDetQ;
        double logDetK;
        Matrix lk;
        try (Cholesky c = Cholesky.factor(sigma, "q")) {
            lq = c.lower();
            logDetQ = c.logDeterminant();
        }
        try (Cholesky c = Cholesky.factor(kj, "K")) {
            lk = c.lower();
            logDetK = c.logDeterminant();
        }
        Random r = new Random(11);
        int draws = 200_000;
        double[] logw = new double[draws];
        double max = Double.NEGATIVE_INFINITY;
        double[] z = new double[n];
        double[] f = new double[n];
        for (int d = 0; d < draws; d++) {
            double zz = 0;
            for (int i = 0; i < n; i++) {
                z[i] = r.nextGaussian();
                zz += z[i] * z[i];
            }
            for (int i = 0; i < n; i++) {
                double s = mu[i];
                for (int j = 0; j <= i; j++) {
                    s += lq.get(i, j) * z[j];
                }
                f[i] = s;
            }
            // fᵀK⁻¹f by forward substitution
            double[] u = new double[n];
            double quad = 0;
            for (int i = 0; i < n; i++) {
                double s = f[i];
                for (int j = 0; j < i; j++) {
                    s -= lk.get(i, j) * u[j];
                }
                u[i] = s / lk.get(i, i);
                quad += u[i] * u[i];
            }
            double lp = 0;
            for (int i = 0; i < n; i++) {
                lp += Likelihood.logNormalCdf((2 * t[i] - 1) * f[i]);
            }
            logw[d] = lp - 0.5 * quad - 0.5 * logDetK + 0.5 * zz + 0.5 * logDetQ;
            max = Math.max(max, logw[d]);
        }
        double sum = 0;
        double sumSq = 0;
        for (double lw : logw) {
            double w = Math.exp(lw - max);
            sum += w;
            sumSq += w * w;
        }
        double mean = sum / draws;
        double logZ = Math.log(mean) + max;
        double relSe = Math.sqrt(sumSq / draws - mean * mean) / (mean * Math.sqrt(draws));
        assertTrue(relSe < 2e-3, "importance sampling standard error " + relSe);
        double epEvidence = LatentInference.objective(ep, t, lik, InferenceMethod.EP, HyperparameterObjective.EVIDENCE);
        double epLike = LatentInference.objective(cvi, t, lik, InferenceMethod.CVI, HyperparameterObjective.EP_LIKE);
        double elbo = LatentInference.objective(cvi, t, lik, InferenceMethod.CVI, HyperparameterObjective.ELBO);
        // approximation error allowed: 0.02 nats for EP (Kuss & Rasmussen 2005: EP is near exact for probit),
        // 0.05 for EP-like; the sampling error (< 4·2e−3) is below both
        assertEquals(logZ, epEvidence, 0.02, "EP evidence");
        assertEquals(logZ, epLike, 0.05, "EP-like estimate");
        assertTrue(elbo < logZ + 4 * relSe, "the ELBO is a lower bound: " + elbo + " vs " + logZ);
        assertTrue(elbo > logZ - 1, "and not a loose one here: " + elbo);
    }

    @Test
    void withOneObservationEpIsTheExactPosteriorAndLaplaceFindsItsMode() {
        Matrix k = Matrix.of(new double[][] {{2.0}});
        for (Likelihood lik : new Likelihood[] {Likelihood.poisson(), Likelihood.studentT(3, 0.4), Likelihood.logit()}) {
            double[] y = {lik.toSpec().equals("poisson") ? 6 : lik.toSpec().equals("logit") ? 1 : 2.5};
            // brute force on a grid: the posterior ∝ p(y | f)·N(f; 0, 2)
            double z = 0;
            double m1 = 0;
            double m2 = 0;
            double best = Double.NEGATIVE_INFINITY;
            double mode = 0;
            double h = 1e-4;
            for (double f = -15; f <= 15; f += h) {
                double lp = lik.logDensity(y[0], f) - f * f / 4;
                double w = Math.exp(lp) * h / Math.sqrt(4 * Math.PI);
                z += w;
                m1 += w * f;
                m2 += w * f * f;
                if (lp > best) {
                    best = lp;
                    mode = f;
                }
            }
            double mean = m1 / z;
            double var = m2 / z - mean * mean;
            LatentInference.Result ep = LatentInference.infer(k, y, lik, options(InferenceMethod.EP), null, null);
            assertEquals(mean, ep.posterior().mean()[0], 1e-6, lik + " EP mean");
            assertEquals(var, ep.posterior().variance()[0], 1e-6, lik + " EP variance");
            assertEquals(Math.log(z), LatentInference.epEstimate(ep.posterior(), y, lik), 1e-6, lik + " EP evidence");
            LatentInference.Result la = LatentInference.infer(k, y, lik, options(InferenceMethod.LAPLACE), null, null);
            assertEquals(mode, la.posterior().mean()[0], 2e-4, lik + " Laplace mode");
            LatentInference.Result cvi = LatentInference.infer(k, y, lik, options(InferenceMethod.CVI), null, null);
            assertTrue(LatentInference.elbo(cvi.posterior(), y, lik) <= Math.log(z) + 1e-9, lik + " ELBO bound");
        }
    }

    @Test
    void analyticGradientsMatchFiniteDifferences() {
        int n = 10;
        Matrix x = inputs(n, 5);
        double[] t = new double[n];
        double[] counts = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = Math.sin(3 * x.get(i, 0)) + (i % 4 == 0 ? 0.8 : 0) > 0 ? 1 : 0;
            counts[i] = Math.round(Math.exp(1 + Math.sin(2 * x.get(i, 0))));
        }
        Object[][] cases = {
            {InferenceMethod.LAPLACE, HyperparameterObjective.EVIDENCE, Likelihood.logit(), t},
            {InferenceMethod.LAPLACE, HyperparameterObjective.EVIDENCE, Likelihood.poisson(), counts},
            {InferenceMethod.EP, HyperparameterObjective.EVIDENCE, Likelihood.probit(), t},
            {InferenceMethod.CVI, HyperparameterObjective.ELBO, Likelihood.probit(), t},
            {InferenceMethod.CVI, HyperparameterObjective.EP_LIKE, Likelihood.logit(), t},
            {InferenceMethod.CVI, HyperparameterObjective.EP_LIKE, Likelihood.poisson(), counts},
        };
        for (Object[] c : cases) {
            InferenceMethod m = (InferenceMethod) c[0];
            HyperparameterObjective o = (HyperparameterObjective) c[1];
            Likelihood lik = (Likelihood) c[2];
            double[] y = (double[]) c[3];
            LatentInference.Problems p = new LatentInference.Problems(x, new double[][] {y}, lik, options(m), o);
            double[] g = tightGradient(p, KERNEL);
            double[] theta = KERNEL.hyperparameters().stream().mapToDouble(hp -> hp.value()).toArray();
            for (int j = 0; j < theta.length; j++) {
                double[] side = new double[2];
                for (int s = 0; s < 2; s++) {
                    double[] th = theta.clone();
                    th[j] *= Math.exp(s == 0 ? 1e-4 : -1e-4);
                    Kernel kk = KERNEL.withHyperparameters(th);
                    LatentInference.Result r = LatentInference.infer(GramEngine.gram(kk, x), y, lik, options(m), null, null);
                    side[s] = LatentInference.objective(r, y, lik, m, o);
                }
                double fd = (side[0] - side[1]) / 2e-4;
                assertEquals(fd, g[j], 1e-4 * (1 + Math.abs(fd)), m + " " + o + " " + lik + " parameter " + j);
            }
        }
    }

    /**
     * The adjoint EP-like gradient of CVI (sites moving with θ) against central differences of the objective at
     * tightly converged sites, re-run from zero sites at each side (the route it replaces), for probit and logit
     * and both hyperparameters; with a Gaussian likelihood against the exact GP evidence gradient.
     */
    @Test
    void cviEpLikeAdjointGradientMatchesCentralDifferencesOfTheConvergedObjective() {
        int n = 30;
        Matrix x = inputs(n, 11);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = Math.sin(2.5 * x.get(i, 0)) + (i % 5 == 0 ? 1.2 : 0) > 0 ? 1 : 0;
        }
        LatentInference.Options tight = new LatentInference.Options(InferenceMethod.CVI, 5000, 0.5, 0.8, 1e-13);
        Kernel kernel = KernelSpec.parse("2.5*rbf(length=0.6)");
        double[] theta = kernel.hyperparameters().stream().mapToDouble(hp -> hp.value()).toArray();
        for (Likelihood lik : new Likelihood[] {Likelihood.probit(), Likelihood.logit()}) {
            LatentInference.Problems p = new LatentInference.Problems(x, new double[][] {t}, lik, tight,
                    HyperparameterObjective.EP_LIKE);
            double[] g = tightGradient(p, kernel);
            double size = 0;
            for (int j = 0; j < theta.length; j++) {
                double h = 1e-4;
                double[] side = new double[2];
                for (int s = 0; s < 2; s++) {
                    double[] th = theta.clone();
                    th[j] *= Math.exp(s == 0 ? h : -h);
                    Kernel kk = kernel.withHyperparameters(th);
                    LatentInference.Result r = LatentInference.infer(GramEngine.gram(kk, x), t, lik, tight, null, null);
                    assertTrue(r.converged(), lik + " converged");
                    side[s] = LatentInference.epEstimate(r.posterior(), t, lik);
                }
                double fd = (side[0] - side[1]) / (2 * h);
                size = Math.max(size, Math.abs(fd));
                assertEquals(fd, g[j], 1e-6 * Math.abs(fd) + 1e-8, lik + " parameter " + j);
            }
            assertTrue(size > 0.1, "a gradient far from zero is checked, not a stationary point: " + size);
        }
        Matrix yReal = new Matrix(n, 1);
        for (int i = 0; i < n; i++) {
            yReal.set(i, 0, Math.sin(2 * x.get(i, 0)) + 0.4 * Math.cos(5.0 * i));
        }
        double s2 = 0.2;
        double[] exact = GaussianProcess.builder(kernel).noise(s2).build().evidence(x, yReal).gradient();
        double[] g = tightGradient(new LatentInference.Problems(x, new double[][] {yReal.column(0)},
                Likelihood.gaussian(s2), tight, HyperparameterObjective.EP_LIKE), kernel);
        for (int j = 0; j < exact.length; j++) {
            assertEquals(exact[j], g[j], 1e-7 * (1 + Math.abs(exact[j])), "Gaussian parameter " + j);
        }
    }

    /**
     * Weak sites (tiny τ_jΣ_jj) take their Σ and Cᵀ columns from K directly instead of dividing B⁻¹ by s_j: forcing
     * half of the sites, then all of them, onto that route gives the same weights as the B⁻¹ route (which the
     * central-difference test checks).
     */
    @Test
    void cviEpLikeWeightsAgreeWhetherSitesTakeTheDirectOrTheInverseRoute() {
        int n = 24;
        Matrix x = inputs(n, 13);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = x.get(i, 0) > 0.3 ? 1 : 0;
        }
        Likelihood lik = Likelihood.logit();
        Matrix k = GramEngine.gram(KernelSpec.parse("8*rbf(length=0.7)"), x);
        LatentInference.Result r = LatentInference.infer(k, t, lik, options(InferenceMethod.CVI), null, null);
        Matrix binv = r.posterior().factor().inverse();
        double[] shrink = new double[n];
        for (int i = 0; i < n; i++) {
            shrink[i] = 1 - binv.get(i, i);
        }
        double median = java.util.Arrays.stream(shrink).sorted().toArray()[n / 2];
        boolean[] half = LatentInference.weakSites(r.posterior().sqrtTau(), binv, k, median);
        int count = 0;
        for (boolean w : half) {
            count += w ? 1 : 0;
        }
        assertEquals(n / 2, count, "the median splits the sites");
        assertEquals(0, count(LatentInference.weakSites(r.posterior().sqrtTau(), binv, k, Double.NaN)), "none by default");
        Matrix reference = new Matrix(n, n);
        LatentInference.addEpLikeWeights(r.posterior(), k, t, lik, reference);
        double scale = 0;
        for (double v : reference.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (double floor : new double[] {median, 2}) {
            Matrix g = new Matrix(n, n);
            LatentInference.addEpLikeWeights(r.posterior(), binv.copy(), k, t, lik, g, floor);
            assertEquals(0, reference.maxAbsDifference(g), 1e-9 * scale, "floor " + floor);
        }
    }

    /** The B⁻¹ that EP and CVI keep for a gradient (from the last sweep's L⁻¹) is the inverse of the returned factor. */
    @Test
    void keptInverseIsTheInverseOfTheReturnedPosterior() {
        int n = 20;
        Matrix x = inputs(n, 17);
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = Math.cos(3 * x.get(i, 0)) > 0 ? 1 : 0;
        }
        Matrix k = GramEngine.gram(KERNEL, x);
        for (InferenceMethod m : new InferenceMethod[] {InferenceMethod.EP, InferenceMethod.CVI}) {
            LatentInference.Options o = options(m);
            LatentInference.Options keep = new LatentInference.Options(m, o.maxIterations(), o.damping(), o.stepSize(),
                    o.tolerance(), true);
            LatentInference.Result r = LatentInference.infer(k, t, Likelihood.probit(), keep, null, null);
            assertEquals(null, LatentInference.infer(k, t, Likelihood.probit(), o, null, null).inverse(), m + " not kept");
            // B·B⁻¹ = I with B = I + S·K·S built here from the returned sites
            double[] s = r.posterior().sqrtTau();
            Matrix b = new Matrix(n, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    b.set(i, j, (i == j ? 1 : 0) + s[i] * k.get(i, j) * s[j]);
                }
            }
            assertEquals(0, b.times(r.inverse()).maxAbsDifference(Matrix.identity(n)), 1e-11, m.toString());
        }
    }

    /**
     * The gradient of a second evaluation at the same kernel: a search's first evaluation runs the sites to the
     * loosest tolerance, the second to ~100·t·‖∇‖∞ (see Problems.searchOptions).
     */
    private static double[] tightGradient(LatentInference.Problems p, Kernel kernel) {
        p.evaluate(kernel);
        return p.evaluate(kernel).gradient();
    }

    private static int count(boolean[] flags) {
        int c = 0;
        for (boolean f : flags) {
            c += f ? 1 : 0;
        }
        return c;
    }

    @Test
    void gmresSolvesANonsymmetricSystemThatAPlainIterationCannot() {
        // A = I − J with J's spectral radius 1.5: x ← rhs + Jx diverges, GMRES converges
        int n = 7;
        Random r = new Random(3);
        double[][] j = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < n; c++) {
                j[i][c] = (i == c ? 1.5 : 0) + 0.1 * r.nextGaussian();
            }
        }
        double[] xTrue = new double[n];
        for (int i = 0; i < n; i++) {
            xTrue[i] = r.nextGaussian();
        }
        java.util.function.UnaryOperator<double[]> apply = v -> {
            double[] out = v.clone();
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < n; c++) {
                    out[i] -= j[i][c] * v[c];
                }
            }
            return out;
        };
        double[] rhs = apply.apply(xTrue);
        double[] x = LatentInference.gmres(apply, rhs, 1e-13, 100);
        for (int i = 0; i < n; i++) {
            assertEquals(xTrue[i], x[i], 1e-10, "component " + i);
        }
    }

    /**
     * A 120-unknown nonsymmetric system whose eigenvalues spread over [0.05, 3] needs more than one GMRES(50) cycle:
     * the restarted solve reaches the known solution; a zero right-hand side returns zero without a product; a
     * budget of 5 products returns an iterate that has reduced the residual but not solved the system.
     */
    @Test
    void gmresRestartsZeroRightHandSideAndAnExhaustedBudget() {
        int n = 120;
        Random r = new Random(9);
        double[] diag = new double[n];
        double[][] upper = new double[n][n];
        for (int i = 0; i < n; i++) {
            diag[i] = 0.05 + 2.95 * i / (n - 1);
            for (int c = i + 1; c < Math.min(n, i + 3); c++) {
                upper[i][c] = 0.3 * r.nextGaussian(); // banded upper part: nonsymmetric, non-normal
            }
        }
        int[] products = new int[1];
        java.util.function.UnaryOperator<double[]> apply = v -> {
            products[0]++;
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double s = diag[i] * v[i];
                for (int c = i + 1; c < Math.min(n, i + 3); c++) {
                    s += upper[i][c] * v[c];
                }
                out[i] = s;
            }
            return out;
        };
        double[] xTrue = new double[n];
        for (int i = 0; i < n; i++) {
            xTrue[i] = r.nextGaussian();
        }
        double[] rhs = apply.apply(xTrue);
        products[0] = 0;
        double[] x = LatentInference.gmres(apply, rhs, 1e-12, 2000);
        assertTrue(products[0] > 51, "more than one cycle of 50: " + products[0] + " products");
        // what GMRES promises is the residual (≤ 1e-12 of ‖rhs‖, plus rounding); the error is that times ‖A⁻¹‖,
        // large for this non-normal A (its band over eigenvalues down to 0.05): 1e-6 there
        double[] fitted = apply.apply(x);
        double r2 = 0;
        double b2 = 0;
        for (int i = 0; i < n; i++) {
            r2 += (rhs[i] - fitted[i]) * (rhs[i] - fitted[i]);
            b2 += rhs[i] * rhs[i];
            assertEquals(xTrue[i], x[i], 1e-6, "component " + i);
        }
        assertTrue(Math.sqrt(r2 / b2) <= 2e-12, "relative residual " + Math.sqrt(r2 / b2));
        products[0] = 0;
        double[] zero = LatentInference.gmres(apply, new double[n], 1e-12, 2000);
        assertEquals(0, products[0], "no product for a zero right-hand side");
        for (double v : zero) {
            assertEquals(0.0, v, 0.0);
        }
        double[] partial = LatentInference.gmres(apply, rhs, 1e-12, 5);
        double[] ax = apply.apply(partial);
        double res = 0;
        double rhsNorm = 0;
        for (int i = 0; i < n; i++) {
            res += (rhs[i] - ax[i]) * (rhs[i] - ax[i]);
            rhsNorm += rhs[i] * rhs[i];
        }
        assertTrue(res < 0.9 * rhsNorm && res > 1e-6 * rhsNorm,
                "5 products reduce the residual without solving: " + Math.sqrt(res / rhsNorm));
    }

    @Test
    void aSearchLoosensTheSiteToleranceInProportionToTheLastGradient() {
        Matrix x = inputs(40, 5);
        double[] t = new double[40];
        for (int i = 0; i < 40; i++) {
            t[i] = x.get(i, 0) > 0.1 ? 1 : 0;
        }
        double tol = 3e-7;
        LatentInference.Options base = new LatentInference.Options(InferenceMethod.EP, 500, 0.5, 0.5, tol);
        LatentInference.Problems p = new LatentInference.Problems(x, new double[][] {t}, Likelihood.probit(), base,
                HyperparameterObjective.EVIDENCE);
        assertEquals(LatentInference.LOOSEST_SEARCH_TOLERANCE, p.searchOptions().tolerance(), 0,
                "the first evaluation uses the loosest tolerance");
        LatentInference.Options laplace = new LatentInference.Options(InferenceMethod.LAPLACE, 500, 0.5, 0.5, tol);
        LatentInference.Options cvi = new LatentInference.Options(InferenceMethod.CVI, 500, 0.5, 0.5, tol);
        assertEquals(tol, new LatentInference.Problems(x, new double[][] {t}, Likelihood.probit(), laplace,
                HyperparameterObjective.EVIDENCE).searchOptions().tolerance(), 0, "Laplace keeps its tolerance");
        assertEquals(tol, new LatentInference.Problems(x, new double[][] {t}, Likelihood.studentT(4, 1), cvi,
                HyperparameterObjective.EP_LIKE).searchOptions().tolerance(), 0, "finite differences keep it");
        boolean capped = false;
        boolean scaled = false;
        StringBuilder seen = new StringBuilder();
        for (String spec : new String[] {"1.5*rbf(length=0.8)", "20*rbf(length=0.05)", "0.6*rbf(length=1.9)"}) {
            double[] g = p.evaluate(KernelSpec.parse(spec)).gradient();
            double norm = Math.max(Math.abs(g[0]), Math.abs(g[1]));
            double expected = Math.max(tol, Math.min(LatentInference.LOOSEST_SEARCH_TOLERANCE, 100 * tol * norm));
            assertEquals(expected, p.searchOptions().tolerance(), 1e-20, spec + " gradient " + norm);
            assertEquals(base.damping(), p.searchOptions().damping(), 0);
            seen.append(' ').append(norm);
            capped |= 100 * tol * norm > LatentInference.LOOSEST_SEARCH_TOLERANCE;
            scaled |= 100 * tol * norm > tol && 100 * tol * norm < LatentInference.LOOSEST_SEARCH_TOLERANCE;
        }
        assertTrue(capped && scaled, "both the cap and the proportional range were exercised:" + seen);
    }

    @Test
    void learningOnAGaussianLikelihoodFindsTheExactGpOptimum() {
        Matrix x = inputs(10, 7);
        Matrix y = new Matrix(10, 1);
        for (int i = 0; i < 10; i++) {
            y.set(i, 0, Math.sin(2.5 * x.get(i, 0)) + 0.2 * Math.cos(5.0 * i));
        }
        Kernel start = KernelSpec.parse("1*rbf(length=1)");
        HyperparameterSearch search = HyperparameterSearch.builder().maxIterations(60).build();
        HyperparameterSearch.Result exact = GaussianProcess.builder(start).noise(0.1).build().optimize(x, y, search);
        LatentGaussianProcessModel ep = LatentGaussianProcess.builder(start).likelihood(Likelihood.gaussian(0.1))
                .optimize(search).build().fit(x, y);
        LatentGaussianProcessModel cvi = LatentGaussianProcess.builder(start).likelihood(Likelihood.gaussian(0.1))
                .inference(InferenceMethod.CVI).stepSize(1).objective(HyperparameterObjective.EP_LIKE).optimize(search)
                .build().fit(x, y);
        for (LatentGaussianProcessModel m : new LatentGaussianProcessModel[] {ep, cvi}) {
            assertEquals(exact.evidence(), m.logMarginalLikelihood(), 1e-5, m.toString());
            double[] a = exact.kernel().hyperparameters().stream().mapToDouble(h -> h.value()).toArray();
            double[] b = m.kernel().hyperparameters().stream().mapToDouble(h -> h.value()).toArray();
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j], b[j], 1e-2 * a[j], m + " hyperparameter " + j);
            }
        }
    }

    @Test
    void gpcFilesWrittenBeforeTheInferenceFieldsReadAsLogitLaplace() {
        Matrix x = inputs(10, 2);
        Matrix y = new Matrix(10, 1);
        for (int i = 0; i < 10; i++) {
            y.set(i, 0, x.get(i, 0) > 0.2 ? 1 : 0);
        }
        GaussianProcessClassifierModel m = GaussianProcessClassifier.builder(KERNEL).build().fit(x, y);
        org.kernels4j.model.ModelState s = new GaussianProcessClassifierCodec().encode(m);
        java.util.Map<String, Object> old = new java.util.LinkedHashMap<>(s.fields());
        old.remove("likelihood");
        old.remove("inference");
        old.remove("objective");
        GaussianProcessClassifierModel back = new GaussianProcessClassifierCodec()
                .decode(org.kernels4j.model.ModelState.of(s.kind(), old, s.arrays()));
        assertEquals("logit", back.likelihood().toSpec());
        assertEquals(InferenceMethod.LAPLACE, back.inference());
        assertEquals(0, m.probabilities(x).maxAbsDifference(back.probabilities(x)), 0);
        GaussianProcessClassifierModel probit = GaussianProcessClassifier.builder(KERNEL).likelihood(Likelihood.probit())
                .inference(InferenceMethod.CVI).build().fit(x, y);
        GaussianProcessClassifierModel again = new GaussianProcessClassifierCodec()
                .decode(new GaussianProcessClassifierCodec().encode(probit));
        assertEquals("probit", again.likelihood().toSpec());
        assertEquals(InferenceMethod.CVI, again.inference());
        // probit probabilities are Φ(μ/√(1 + v)) of the latent prediction
        Matrix lat = probit.latent(x, 0);
        for (int i = 0; i < 10; i++) {
            double z = lat.get(i, 0) / Math.sqrt(1 + lat.get(i, 1));
            assertEquals(Math.exp(Likelihood.logNormalCdf(z)), again.probabilities(x).get(i, 1), 1e-12);
        }
    }

    @Test
    void badObservationsAndOptionsGetOneClearMessage() {
        Matrix x = inputs(3, 1);
        Kernels4jException negative = assertThrows(Kernels4jException.class, () -> LatentGaussianProcess.builder(KERNEL)
                .likelihood(Likelihood.poisson()).build().fit(x, Matrix.column(1, -2, 0)));
        assertEquals("the poisson likelihood needs non-negative integer counts; row 2 has -2.0", negative.getMessage());
        Kernels4jException bernoulli = assertThrows(Kernels4jException.class,
                () -> LatentGaussianProcess.builder(KERNEL).likelihood(Likelihood.probit()).build());
        assertTrue(bernoulli.getMessage().contains("use GaussianProcessClassifier"), bernoulli.getMessage());
        Kernels4jException poissonGpc = assertThrows(Kernels4jException.class,
                () -> GaussianProcessClassifier.builder(KERNEL).likelihood(Likelihood.poisson()).build());
        assertTrue(poissonGpc.getMessage().contains("probit or logit"), poissonGpc.getMessage());
        assertThrows(Kernels4jException.class, () -> GaussianProcessClassifier.builder(KERNEL).damping(0).build());
        assertThrows(Kernels4jException.class, () -> LatentGaussianProcess.builder(KERNEL).build());
        assertThrows(Kernels4jException.class, () -> InferenceMethod.parse("vi"));
        assertEquals(HyperparameterObjective.EP_LIKE, HyperparameterObjective.parse("ep-like"));
    }
}
