package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SpecialFunctions;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.ModelState;

class SparseVariationalGaussianProcessTest {
    private static final Kernel RBF = KernelSpec.parse("1.3*rbf(length=0.5)");

    private static Matrix regressionTargets(Matrix x, long seed) {
        Random r = new Random(seed);
        Matrix y = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            y.set(i, 0, Math.sin(1.5 * x.get(i, 0)) + 0.4 * x.get(i, 1) + 0.3 * r.nextGaussian());
        }
        return y;
    }

    private static Matrix labels(Matrix x, long seed) {
        Random r = new Random(seed);
        Matrix y = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            double f = Math.sin(2 * x.get(i, 0)) + x.get(i, 1) + 0.5 * r.nextGaussian();
            y.set(i, 0, f > 0 ? 1 : 0);
        }
        return y;
    }

    /** log N(y | 0, K + σ²I) by an eigendecomposition: the exact evidence, by a route without Cholesky. */
    private static double exactEvidence(Kernel k, Matrix x, double[] y, double noise) {
        Matrix c = GramEngine.gram(k, x);
        for (int i = 0; i < x.rows(); i++) {
            c.set(i, i, c.get(i, i) + noise);
        }
        double[] logDet = new double[1];
        Matrix inv = TestData.inverseByEigen(c, logDet);
        double quad = 0;
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < y.length; j++) {
                quad += y[i] * inv.get(i, j) * y[j];
            }
        }
        return -0.5 * quad - 0.5 * logDet[0] - 0.5 * y.length * Math.log(2 * Math.PI);
    }

    @Test
    void gaussianLikelihoodWithAllRowsAsInducingPointsReachesTheExactEvidenceInOneNaturalStep() {
        // spread points and a short length scale keep K(X, X) well conditioned, so no jitter is needed
        Matrix x = TestData.gaussian(30, 2, 2.0, 1);
        Matrix y = regressionTargets(x, 2);
        double noise = 0.1;
        SparseVariationalGaussianProcessModel m = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.gaussian(noise)).inducingInputs(x).jitter(0).batchSize(30).epochs(1)
                .naturalGradientStep(1).build().fit(x, y);
        double exact = exactEvidence(RBF, x, y.column(0), noise);
        assertEquals(exact, m.elbo(x, y), 1e-7 * Math.abs(exact));
        // and the latent posterior is the exact GP's: mean K*ᵀ(K + σ²I)⁻¹y, variance k** − K*ᵀ(K + σ²I)⁻¹K*
        Matrix q = TestData.gaussian(5, 2, 1.5, 3);
        Matrix c = GramEngine.gram(RBF, x);
        for (int i = 0; i < x.rows(); i++) {
            c.set(i, i, c.get(i, i) + noise);
        }
        Matrix inv = TestData.inverseByEigen(c, new double[1]);
        Matrix ks = GramEngine.cross(RBF, x, q); // n×5
        Matrix lat = m.latent(q);
        for (int t = 0; t < q.rows(); t++) {
            double mean = 0;
            double quad = 0;
            for (int i = 0; i < x.rows(); i++) {
                double w = 0;
                for (int j = 0; j < x.rows(); j++) {
                    w += inv.get(i, j) * ks.get(j, t);
                }
                mean += w * y.get(i, 0);
                quad += w * ks.get(i, t);
            }
            assertEquals(mean, lat.get(t, 0), 1e-8);
            assertEquals(1.3 - quad, lat.get(t, 1), 1e-8);
        }
        assertEquals(0.0, m.predict(q).maxAbsDifference(lat.selectColumns(new int[] {0})), 0.0);
    }

    @Test
    void gaussianLikelihoodWithASubsetOfRowsReachesTheTitsiasBound() {
        Matrix x = TestData.gaussian(60, 2, 1.5, 4);
        Matrix y = regressionTargets(x, 5);
        Matrix z = x.rowRange(0, 9);
        double noise = 0.2;
        double titsias = SparseGaussianProcess.builder(KernelSpec.parse(RBF.toSpec() + " + white(noise=0.2)"))
                .jitter(1e-4).build().bound(x, y, z).value();
        // minibatches of 20 need several steps (γ = 1 jumps to each batch's own optimum, so γ shrinks it)
        SparseVariationalGaussianProcessModel full = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.gaussian(noise)).inducingInputs(z).jitter(1e-4).batchSize(60).epochs(1)
                .naturalGradientStep(1).build().fit(x, y);
        assertEquals(titsias, full.elbo(x, y), 1e-9 * Math.abs(titsias));
        double exact = exactEvidence(RBF, x, y.column(0), noise);
        assertTrue(titsias < exact, "the bound lies below the evidence with 9 of 60 points");
        SparseVariationalGaussianProcessModel batched = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.gaussian(noise)).inducingInputs(z).jitter(1e-4).batchSize(20).epochs(60)
                .naturalGradientStep(0.05).seed(3).build().fit(x, y);
        double gap = titsias - batched.elbo(x, y);
        // the recorded estimate, the mean of the last epoch's three batch terms minus the KL, is close to it too
        assertEquals(batched.elbo(x, y), batched.fit().elboEstimate(), 0.05 * Math.abs(titsias));
        assertTrue(gap >= -1e-9 && gap < 0.05 * Math.abs(titsias), "minibatch training approaches the bound, gap " + gap);
    }

    @Test
    void probitWithAllRowsAsInducingPointsMatchesTheFullGpCviElbo() {
        Matrix x = TestData.gaussian(30, 2, 1.5, 6);
        Matrix y = labels(x, 7);
        Kernel k = KernelSpec.parse("2*rbf(length=0.7)");
        double cvi = GaussianProcessClassifier.builder(k).likelihood(Likelihood.probit()).inference(InferenceMethod.CVI)
                .objective(HyperparameterObjective.ELBO).maxIterations(2000).build().fit(x, y).logMarginalLikelihood();
        SparseVariationalGaussianProcessModel m = SparseVariationalGaussianProcess.builder(k)
                .likelihood(Likelihood.probit()).inducingInputs(x).jitter(1e-8).batchSize(30).epochs(40).build()
                .fit(x, y);
        // the same variational family and objective; what is left is the jitter and the iterations' tolerance
        assertEquals(cvi, m.elbo(x, y), 1e-5 * Math.abs(cvi));
        assertEquals(0.5, m.fit().naturalStep(), 0.0); // the full-batch default
        // probabilities: Φ(mean/√(1 + var)) against the integral ∫Φ(f)·N(f; mean, var) df by the trapezoid rule
        Matrix q = TestData.gaussian(4, 2, 1.5, 8);
        Matrix lat = m.latent(q);
        Matrix p = m.probabilities(q);
        for (int t = 0; t < q.rows(); t++) {
            double mu = lat.get(t, 0);
            double sd = Math.sqrt(lat.get(t, 1));
            double integral = 0;
            int steps = 4000;
            double h = 20.0 / steps;
            for (int s = 0; s <= steps; s++) {
                double u = -10 + s * h;
                double w = (s == 0 || s == steps ? 0.5 : 1) * h * Math.exp(-0.5 * u * u) / Math.sqrt(2 * Math.PI);
                integral += w * SpecialFunctions.normalCdf(mu + sd * u);
            }
            assertEquals(integral, p.get(t, 1), 1e-9);
            assertEquals(1, p.get(t, 0) + p.get(t, 1), 1e-15);
            assertEquals(p.get(t, 1) > 0.5 ? 1.0 : 0.0, m.predict(q).get(t, 0));
        }
    }

    /** A random covariance S = BBᵀ + 0.3I and mean for q(v). */
    private static Matrix randomCovariance(int m, long seed) {
        Matrix b = TestData.gaussian(m, m, 0.4, seed);
        Matrix s = b.times(b.transpose());
        for (int i = 0; i < m; i++) {
            s.set(i, i, s.get(i, i) + 0.3);
        }
        return s;
    }

    private static double[] counts(Matrix x, long seed) {
        Random r = new Random(seed);
        double[] y = new double[x.rows()];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.floor(Math.exp(0.5 * x.get(i, 0)) * 2 * r.nextDouble());
        }
        return y;
    }

    /** Central differences of the batch ELBO estimate in log θ, Z, μ and S (270 rows: two bands of 256). */
    @ParameterizedTest
    @ValueSource(strings = {"probit", "logit", "poisson", "student-t(nu=3,scale=0.5)"})
    void gradientsMatchCentralDifferences(String likelihood) {
        Likelihood lik = Likelihood.parse(likelihood);
        Kernel k = KernelSpec.parse("1.4*rbf(length=[0.9, 1.6])");
        Matrix x = TestData.gaussian(270, 2, 1.0, 9);
        double[] y = lik.isBernoulli() ? labels(x, 10).column(0) : likelihood.equals("poisson") ? counts(x, 10)
                : regressionTargets(x, 10).column(0);
        Matrix z = TestData.gaussian(6, 2, 1.0, 11);
        double[] mean = TestData.gaussian(6, 1, 0.7, 12).data();
        Matrix s = randomCovariance(6, 13);
        double jitter = 1e-3; // large enough that its derivative matters
        double scale = 2.5;
        SparseVariationalGaussianProcess.Bound b = SparseVariationalGaussianProcess.bound(k, z, jitter, mean, s, x, y,
                scale, lik, true);
        double h = 1e-5;
        double[] theta = k.hyperparameters().stream().mapToDouble(p -> p.value()).toArray();
        for (int p = 0; p < theta.length; p++) {
            double fd = logThetaDifference(k, p, h, kernel -> value(kernel, z, jitter, mean, s, x, y, scale, lik));
            assertEquals(fd, b.logTheta()[p], 1e-6 * Math.max(1, Math.abs(fd)), likelihood + " log θ " + p);
        }
        for (int e : new int[] {0, 5, 11}) {
            Matrix zu = z.copy();
            Matrix zd = z.copy();
            zu.data()[e] += h;
            zd.data()[e] -= h;
            double fd = (value(k, zu, jitter, mean, s, x, y, scale, lik) - value(k, zd, jitter, mean, s, x, y, scale, lik))
                    / (2 * h);
            assertEquals(fd, b.inducing().data()[e], 1e-6 * Math.max(1, Math.abs(fd)), likelihood + " z " + e);
        }
        for (int j : new int[] {0, 4}) {
            double[] mu = mean.clone();
            double[] md = mean.clone();
            mu[j] += h;
            md[j] -= h;
            double fd = (value(k, z, jitter, mu, s, x, y, scale, lik) - value(k, z, jitter, md, s, x, y, scale, lik))
                    / (2 * h);
            assertEquals(fd, b.mean()[j], 1e-6 * Math.max(1, Math.abs(fd)), likelihood + " mean " + j);
        }
        int[][] entries = {{0, 0}, {3, 1}, {5, 5}};
        for (int[] jk : entries) {
            Matrix su = symmetricStep(s, jk, h);
            Matrix sd = symmetricStep(s, jk, -h);
            double fd = (value(k, z, jitter, mean, su, x, y, scale, lik) - value(k, z, jitter, mean, sd, x, y, scale, lik))
                    / (2 * h);
            double g = b.covariance().get(jk[0], jk[1]) * (jk[0] == jk[1] ? 1 : 2);
            assertEquals(fd, g, 1e-6 * Math.max(1, Math.abs(fd)), likelihood + " S " + jk[0] + "," + jk[1]);
        }
    }

    /** A copy of the symmetric S with entry (j, k), and (k, j) when off the diagonal, moved by d. */
    private static Matrix symmetricStep(Matrix s, int[] jk, double d) {
        Matrix t = s.copy();
        t.set(jk[0], jk[1], t.get(jk[0], jk[1]) + d);
        if (jk[0] != jk[1]) {
            t.set(jk[1], jk[0], t.get(jk[1], jk[0]) + d);
        }
        return t;
    }

    /** Central difference of f in log θ_p at the kernel's hyperparameters θ (steps θ_p·e^{±h}). */
    private static double logThetaDifference(Kernel k, int p, double h, java.util.function.ToDoubleFunction<Kernel> f) {
        double[] theta = k.hyperparameters().stream().mapToDouble(q -> q.value()).toArray();
        double[] up = theta.clone();
        double[] down = theta.clone();
        up[p] *= Math.exp(h);
        down[p] *= Math.exp(-h);
        return (f.applyAsDouble(k.withHyperparameters(up)) - f.applyAsDouble(k.withHyperparameters(down))) / (2 * h);
    }

    private static double value(Kernel k, Matrix z, double jitter, double[] mean, Matrix s, Matrix x, double[] y,
            double scale, Likelihood lik) {
        return SparseVariationalGaussianProcess.bound(k, z, jitter, mean, s, x, y, scale, lik, false).value();
    }

    @Test
    void theMeanOfTheBatchEstimatesOverAPartitionIsTheFullElboAndGradient() {
        Likelihood lik = Likelihood.logit();
        Kernel k = KernelSpec.parse("0.9*matern(nu=2.5, length=1.1)");
        Matrix x = TestData.gaussian(48, 2, 1.2, 14);
        double[] y = labels(x, 15).column(0);
        Matrix z = TestData.gaussian(5, 2, 1.0, 16);
        double[] mean = TestData.gaussian(5, 1, 0.5, 17).data();
        Matrix s = randomCovariance(5, 18);
        SparseVariationalGaussianProcess.Bound full = SparseVariationalGaussianProcess.bound(k, z, 1e-6, mean, s, x, y,
                1, lik, true);
        int[] order = org.kernels4j.approx.Landmarks.permutation(48, new Random(19));
        int batches = 4;
        double value = 0;
        double[] theta = new double[full.logTheta().length];
        double[] mu = new double[5];
        double[] zg = new double[10];
        double sEntry = 0;
        for (int c = 0; c < batches; c++) {
            int[] rows = java.util.Arrays.copyOfRange(order, c * 12, (c + 1) * 12);
            double[] yb = new double[12];
            for (int i = 0; i < 12; i++) {
                yb[i] = y[rows[i]];
            }
            SparseVariationalGaussianProcess.Bound b = SparseVariationalGaussianProcess.bound(k, z, 1e-6, mean, s,
                    x.selectRows(rows), yb, 48.0 / 12, lik, true);
            value += b.value() / batches;
            for (int p = 0; p < theta.length; p++) {
                theta[p] += b.logTheta()[p] / batches;
            }
            for (int j = 0; j < 5; j++) {
                mu[j] += b.mean()[j] / batches;
            }
            for (int e = 0; e < 10; e++) {
                zg[e] += b.inducing().data()[e] / batches;
            }
            sEntry += b.covariance().get(2, 1) / batches;
        }
        assertEquals(full.value(), value, 1e-10 * Math.abs(full.value()));
        for (int p = 0; p < theta.length; p++) {
            assertEquals(full.logTheta()[p], theta[p], 1e-10 * Math.max(1, Math.abs(theta[p])));
        }
        for (int j = 0; j < 5; j++) {
            assertEquals(full.mean()[j], mu[j], 1e-10);
        }
        for (int e = 0; e < 10; e++) {
            assertEquals(full.inducing().data()[e], zg[e], 1e-10);
        }
        assertEquals(full.covariance().get(2, 1), sEntry, 1e-10);
        // one batch alone is not the full value: the partition matters, not a lucky batch
        assertTrue(Math.abs(full.value() - SparseVariationalGaussianProcess.bound(k, z, 1e-6, mean, s,
                x.rowRange(0, 12), java.util.Arrays.copyOf(y, 12), 4, lik, false).value()) > 1e-3);
    }

    @Test
    void learningHyperparametersAndInducingInputsRaisesTheElbo() {
        Matrix x = TestData.gaussian(200, 2, 1.5, 20);
        Matrix y = labels(x, 21);
        Kernel start = KernelSpec.parse("1*rbf(length=4)");
        SparseVariationalGaussianProcess.Builder b = SparseVariationalGaussianProcess.builder(start)
                .likelihood(Likelihood.logit()).inducing(10).seed(22).batchSize(50).epochs(20).learningRate(0.1);
        SparseVariationalGaussianProcessModel fixed = b.build().fit(x, y);
        SparseVariationalGaussianProcessModel learned = b.learnHyperparameters(true).learnInducingInputs(true).build()
                .fit(x, y);
        assertEquals(start.toSpec(), fixed.kernel().toSpec());
        double lengthLearned = learned.kernel().hyperparameters().get(1).value();
        // the ELBO with 10 inducing points prefers long length scales, but 4 is too long for sin(2x)
        assertTrue(lengthLearned < 3.8, "learned " + lengthLearned);
        assertTrue(learned.inducingInputs().maxAbsDifference(fixed.inducingInputs()) > 1e-3);
        assertTrue(learned.elbo(x, y) > fixed.elbo(x, y) + 1, learned.elbo(x, y) + " vs " + fixed.elbo(x, y));
        assertTrue(learned.report().text("learned").contains("inducing"));
    }

    @Test
    void poissonRatesAndRegressionModelsHaveNoClasses() {
        Matrix x = TestData.gaussian(80, 2, 1.0, 23);
        Matrix y = Matrix.column(counts(x, 24));
        SparseVariationalGaussianProcessModel m = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.poisson()).inducing(15).batchSize(80).epochs(30).build().fit(x, y);
        Matrix q = TestData.gaussian(3, 2, 1.0, 25);
        Matrix lat = m.latent(q);
        Matrix rate = m.predict(q);
        for (int t = 0; t < 3; t++) {
            assertEquals(Math.exp(lat.get(t, 0) + 0.5 * lat.get(t, 1)), rate.get(t, 0), 1e-12 * rate.get(t, 0));
        }
        assertNull(m.classes());
        assertTrue(!m.hasProbabilities());
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> m.probabilities(q));
        assertTrue(e.getMessage().contains("probit or logit"), e.getMessage());
        // the training ELBO rose from the prior's: q(v) = N(0, I) has KL 0 and E under the prior
        double prior = 0;
        double[] kd = GramEngine.diagonal(RBF, x);
        for (int i = 0; i < x.rows(); i++) {
            prior += Likelihood.poisson().expectation(y.get(i, 0), 0, kd[i]).value();
        }
        assertTrue(m.elbo(x, y) > prior + 10, m.elbo(x, y) + " vs prior " + prior);
        Matrix fractional = y.copy();
        fractional.set(4, 0, 1.5);
        expect("the poisson likelihood needs non-negative integer counts; row 5 has 1.5", () -> m.elbo(x, fractional));
        // a file with classes for a likelihood that has none is refused by name
        SparseVariationalGaussianProcessCodec codec = new SparseVariationalGaussianProcessCodec();
        ModelState s = codec.encode(m);
        assertTrue(!s.has("classes"));
        java.util.Map<String, Object> f = new java.util.LinkedHashMap<>(s.fields());
        f.put("classes", new double[] {0, 1});
        expect("field 'classes' is only valid for the probit and logit likelihoods, not poisson",
                () -> codec.decode(ModelState.of(s.kind(), f, s.arrays())));
    }

    @Test
    void predictionsAndTheElboOverSeveralChunksAgreeRowByRow() {
        Matrix x = TestData.gaussian(40, 2, 1.0, 31);
        Matrix y = regressionTargets(x, 32);
        double noise = 0.3;
        SparseVariationalGaussianProcessModel m = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.gaussian(noise)).inducing(8).batchSize(40).epochs(2).seed(4).build().fit(x, y);
        // more rows than one prediction chunk: the rows of the second chunk must be answered as rows on their own
        int n = SparseVariationalGaussianProcessModel.CHUNK + 37;
        Matrix big = TestData.gaussian(n, 2, 1.0, 33);
        Matrix bigY = regressionTargets(big, 34);
        Matrix lat = m.latent(big);
        int[] probe = {0, SparseVariationalGaussianProcessModel.CHUNK - 1, SparseVariationalGaussianProcessModel.CHUNK,
            n - 1};
        for (int i : probe) {
            Matrix alone = m.latent(big.rowRange(i, i + 1));
            assertEquals(alone.get(0, 0), lat.get(i, 0), 1e-12, "mean of row " + i);
            assertEquals(alone.get(0, 1), lat.get(i, 1), 1e-12, "variance of row " + i);
        }
        // the ELBO = Σ E[log N(y | f, σ²)] − KL, the expectation in closed form −½log 2πσ² − ((y − m)² + v)/(2σ²);
        // KL read off the 40 training rows the same way, so the data term is checked on all n rows
        double kl = closedFormGaussianTerm(m.latent(x), y, noise) - m.elbo(x, y);
        assertTrue(kl > 0, "KL(q ‖ p) > 0 after training, got " + kl);
        double expected = closedFormGaussianTerm(lat, bigY, noise) - kl;
        assertEquals(expected, m.elbo(big, bigY), 1e-9 * Math.abs(expected));
        expect("the ELBO takes one target column, got 2", () -> m.elbo(x, new Matrix(40, 2)));
        Matrix nan = y.copy();
        nan.set(5, 0, Double.NaN);
        assertThrows(Kernels4jException.class, () -> m.elbo(x, nan));
        assertThrows(Kernels4jException.class, () -> m.elbo(new Matrix(40, 3), y));
        assertThrows(Kernels4jException.class, () -> m.elbo(x, y.rowRange(0, 39)));
    }

    private static double closedFormGaussianTerm(Matrix latent, Matrix y, double noise) {
        double s = 0;
        for (int i = 0; i < y.rows(); i++) {
            double r = y.get(i, 0) - latent.get(i, 0);
            s += -0.5 * Math.log(2 * Math.PI * noise) - (r * r + latent.get(i, 1)) / (2 * noise);
        }
        return s;
    }

    /**
     * The codec writes what the model holds and reads back a model that answers identically (the prior factor
     * recomputed by the same code, so exactly); fit details survive, a file without them reads with no fit, a
     * non-finite ELBO estimate is left out, and a bad factor or likelihood is refused by field name.
     */
    @Test
    void modelsSurviveTheCodecExactlyAndBadFilesAreRefusedByName() {
        Matrix x = TestData.gaussian(40, 2, 1.0, 41);
        Matrix y = labels(x, 42);
        SparseVariationalGaussianProcessModel m = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.logit()).inducing(6).batchSize(20).epochs(2).seed(5).jitter(1e-5).build()
                .fit(x, y);
        SparseVariationalGaussianProcessCodec codec = new SparseVariationalGaussianProcessCodec();
        ModelState s = codec.encode(m);
        assertEquals("svgp", s.kind());
        assertEquals(m.fit().elboEstimate(), s.number("elbo_estimate"), 0.0);
        SparseVariationalGaussianProcessModel back = (SparseVariationalGaussianProcessModel) ModelCodecs.decode(
                ModelState.of(s.kind(), s.fields(), s.arrays()));
        Matrix q = TestData.gaussian(7, 2, 1.3, 43);
        assertEquals(RBF.toSpec(), back.kernel().toSpec());
        assertEquals("logit", back.likelihood().toSpec());
        assertEquals(1e-5, back.jitter(), 0.0);
        assertEquals(m.fit(), back.fit());
        assertEquals(0.0, back.inducingInputs().maxAbsDifference(m.inducingInputs()), 0.0);
        assertEquals(0.0, back.precisionFactor().maxAbsDifference(m.precisionFactor()), 0.0);
        assertEquals(0.0, back.latent(q).maxAbsDifference(m.latent(q)), 0.0);
        assertEquals(0.0, back.probabilities(q).maxAbsDifference(m.probabilities(q)), 0.0);
        assertEquals(m.elbo(x, y), back.elbo(x, y), 0.0);
        assertEquals(2, back.report().number("epochs"), 0.0);
        assertTrue(back.hasProbabilities());
        assertEquals(2, back.features());
        assertEquals(0.0, back.variationalMean()[3] - m.variationalMean()[3], 0.0);
        assertTrue(back.toString().contains("logit") && back.toString().contains("m = 6"), back.toString());
        // prediction and ELBO inputs are checked by the model, with the model's own messages
        expect("the model was trained on 2 features but the data has 3", () -> back.latent(new Matrix(4, 3)));
        expect("the model was trained on 2 features but the data has 3", () -> back.elbo(new Matrix(40, 3), y));
        Matrix two = y.copy();
        two.set(7, 0, 2);
        expect("row 8 has label 2.0, not one of the classes [0.0, 1.0]", () -> back.elbo(x, two));

        // no fit fields: a model without a fit record, same predictions
        Map<String, Object> bare = new HashMap<>(s.fields());
        for (String f : new String[] {"rows", "batch_size", "epochs", "steps", "natural_step", "learned_hyperparameters",
            "learned_inducing", "elbo_estimate", "seconds"}) {
            bare.remove(f);
        }
        SparseVariationalGaussianProcessModel plain = (SparseVariationalGaussianProcessModel) ModelCodecs.decode(
                ModelState.of(s.kind(), bare, s.arrays()));
        assertNull(plain.fit());
        assertTrue(!plain.report().has("elbo_estimate") && plain.report().has("inducing"));
        assertEquals(0.0, plain.latent(q).maxAbsDifference(m.latent(q)), 0.0);

        // a fit record with a NaN estimate: the field is left out and reads back as NaN
        SparseVariationalGaussianProcessModel.Fit f = m.fit();
        SparseVariationalGaussianProcessModel nan = new SparseVariationalGaussianProcessModel(m.kernel(),
                m.likelihood(), m.classes(), m.inducingInputs(), m.variationalMean(), m.precisionFactor(), m.jitter(),
                new SparseVariationalGaussianProcessModel.Fit(f.rows(), f.batchSize(), f.epochs(), f.steps(),
                        f.naturalStep(), true, false, Double.NaN, f.seconds()));
        ModelState ns = codec.encode(nan);
        assertTrue(!ns.has("elbo_estimate"));
        assertTrue(ns.flag("learned_hyperparameters") && !ns.flag("learned_inducing"));
        SparseVariationalGaussianProcessModel nanBack = codec.decode(ns);
        assertTrue(Double.isNaN(nanBack.fit().elboEstimate()));
        assertTrue(nanBack.fit().learnedHyperparameters() && !nanBack.fit().learnedInducing());

        Map<String, Matrix> arrays = new HashMap<>(s.arrays());
        Matrix badR = m.precisionFactor();
        badR.set(2, 2, -badR.get(2, 2));
        arrays.put("precision_factor", badR);
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> codec.decode(ModelState.of(s.kind(), s.fields(), arrays)));
        assertTrue(e.getMessage().startsWith("array 'precision_factor': a Cholesky factor needs a positive finite diagonal"),
                e.getMessage());
        Map<String, Object> badLik = new HashMap<>(s.fields());
        badLik.put("likelihood", "cauchy");
        e = assertThrows(Kernels4jException.class, () -> codec.decode(ModelState.of(s.kind(), badLik, s.arrays())));
        assertTrue(e.getMessage().startsWith("field 'likelihood': unknown likelihood 'cauchy'"), e.getMessage());
    }

    /**
     * The bounds of the options are inclusive where the javadoc says so (m ≥ 1, one-row Z, b ≥ 1, m ≤ n), a step
     * of 0 is refused, and the number of steps is epochs·⌈n/b⌉, each reported once to the progress listener with
     * that total. A fit on rows that do not match its targets is refused before any work.
     */
    @Test
    void inclusiveBoundsStepCountsAndProgress() {
        Matrix x = TestData.gaussian(12, 2, 1.0, 51);
        Matrix y = regressionTargets(x, 52);
        List<long[]> seen = new ArrayList<>();
        SparseVariationalGaussianProcessModel one = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.gaussian(0.2)).inducing(1).batchSize(1).epochs(2)
                .progress((done, total, stage) -> {
                    assertEquals("svgp", stage);
                    seen.add(new long[] {done, total});
                }).build().fit(x, y);
        assertEquals(1, one.inducingInputs().rows());
        assertEquals(24, one.fit().steps());
        assertEquals(24, seen.size());
        for (int i = 0; i < 24; i++) {
            assertEquals(i + 1, seen.get(i)[0]);
            assertEquals(24, seen.get(i)[1]);
        }
        SparseVariationalGaussianProcessModel five = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.gaussian(0.2)).inducing(12).batchSize(5).epochs(3).progress(null).build()
                .fit(x, y);
        assertEquals(9, five.fit().steps()); // 3 epochs of batches 5, 5, 2
        assertEquals(12, five.inducingInputs().rows());
        SparseVariationalGaussianProcessModel single = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.gaussian(0.2)).inducingInputs(x.rowRange(3, 4)).epochs(1).build().fit(x, y);
        assertEquals(0.0, single.inducingInputs().maxAbsDifference(x.rowRange(3, 4)), 0.0);
        expect("the natural-gradient step must lie in (0, 1], got 0.0", () ->
                SparseVariationalGaussianProcess.builder(RBF).naturalGradientStep(0));
        expect("the number of inducing points must be >= 1, got 0", () ->
                SparseVariationalGaussianProcess.builder(RBF).inducing(0));
        expect("the inducing inputs must have at least one row", () ->
                SparseVariationalGaussianProcess.builder(RBF).inducingInputs(new Matrix(0, 2)));
        expect("training data has 12 rows but the targets have 11", () -> SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.gaussian(0.2)).inducing(3).build().fit(x, y.rowRange(0, 11)));
        // the leverage sampler needs its ridge λ > 0: the fit hands it a positive one, and picks rows of x
        SparseVariationalGaussianProcessModel lev = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.gaussian(0.2)).sampler(org.kernels4j.approx.Landmarks.Sampler.LEVERAGE)
                .inducing(4).epochs(1).seed(3).build().fit(x, y);
        Matrix z = lev.inducingInputs();
        for (int j = 0; j < 4; j++) {
            boolean isRow = false;
            for (int i = 0; i < 12; i++) {
                isRow |= z.rowRange(j, j + 1).maxAbsDifference(x.rowRange(i, i + 1)) == 0;
            }
            assertTrue(isRow, "inducing input " + j + " is a row of x");
        }
    }

    /**
     * With a Gaussian likelihood, all rows as inducing inputs, one batch and γ = 1, the first step lands on the
     * optimum (see above), so from the second epoch on the recorded estimate, "the last epoch's data term minus the
     * final KL", is the exact evidence; and the recorded time lies within the wall time measured around the fit.
     */
    @Test
    void theElboEstimateAfterTheOptimumIsTheExactEvidence() {
        Matrix x = TestData.gaussian(25, 2, 2.0, 53);
        Matrix y = regressionTargets(x, 54);
        double noise = 0.15;
        long before = System.nanoTime();
        SparseVariationalGaussianProcessModel m = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.gaussian(noise)).inducingInputs(x).jitter(0).batchSize(25).epochs(3)
                .naturalGradientStep(1).build().fit(x, y);
        double wall = (System.nanoTime() - before) / 1e9;
        double exact = exactEvidence(RBF, x, y.column(0), noise);
        assertEquals(exact, m.fit().elboEstimate(), 1e-7 * Math.abs(exact));
        assertEquals(3, m.fit().steps());
        assertTrue(m.fit().seconds() >= 0 && m.fit().seconds() <= wall, m.fit().seconds() + " s against " + wall);
    }

    /**
     * Each learning switch moves only its own parameters, by Adam's steps (Kingma &amp; Ba, bias-corrected, written
     * out here). At the start q(v) = N(0, I) is the prior, where the bound does not depend on Z or on the length
     * scale (every marginal is N(0, k(x, x))): their first gradients are 0 and so are their first steps, while
     * the amplitude's first step is η·g/(|g| + 10⁻⁸) = ±η. The second step is taken along the gradient g₂ at q₁
     * (what one epoch without learning gives) after a zero first gradient: m̂ = 0.1g₂/(1 − 0.9²),
     * v̂ = 0.001g₂²/(1 − 0.999²), a step η·m̂/(√v̂ + 10⁻⁸). One batch of all rows per epoch (n/|B| = 1); the
     * gradients are central differences of the bound.
     */
    @Test
    void eachLearningSwitchMovesOnlyItsOwnParametersByAdamSteps() {
        Matrix x = TestData.gaussian(40, 2, 1.2, 55);
        Matrix y = labels(x, 56);
        Matrix z = TestData.gaussian(5, 2, 1.0, 57);
        double rate = 0.01;
        double jitter = 1e-6;
        Likelihood lik = Likelihood.logit();
        double[] zeros = new double[5];
        Matrix identity = Matrix.identity(5);
        double[] yv = y.column(0);
        SparseVariationalGaussianProcess.Builder b = SparseVariationalGaussianProcess.builder(RBF).likelihood(lik)
                .inducingInputs(z).jitter(jitter).batchSize(40).epochs(1).learningRate(rate);
        SparseVariationalGaussianProcessModel plain = b.build().fit(x, y);
        assertEquals("variational only", plain.report().text("learned"));
        assertTrue(!plain.report().has("kernel_learned"));

        SparseVariationalGaussianProcessModel theta = b.learnHyperparameters(true).learnInducingInputs(false).build()
                .fit(x, y);
        assertEquals(0.0, theta.inducingInputs().maxAbsDifference(z), 0.0);
        assertEquals("hyperparameters", theta.report().text("learned"));
        assertEquals(theta.kernel().toSpec(), theta.report().text("kernel_learned"));
        double h = 1e-5;
        double[] start = RBF.hyperparameters().stream().mapToDouble(p -> p.value()).toArray();
        double[] firstStep = new double[start.length];
        for (int p = 0; p < start.length; p++) {
            double fd = logThetaDifference(RBF, p, h, kernel -> value(kernel, z, jitter, zeros, identity, x, yv, 1, lik));
            firstStep[p] = Math.abs(fd) < 1e-9 ? 0 : Math.signum(fd) * rate;
            double moved = Math.log(theta.kernel().hyperparameters().get(p).value() / start[p]);
            assertEquals(firstStep[p], moved, 1e-9, "log θ " + p + " (gradient " + fd + ")");
        }
        assertEquals(rate, Math.abs(firstStep[0]), 0.0, "the amplitude has a gradient at the prior");

        // Z alone, two epochs: no first step, then the step along the gradient at q₁
        SparseVariationalGaussianProcessModel inputs = b.learnHyperparameters(false).learnInducingInputs(true).epochs(2)
                .build().fit(x, y);
        assertEquals(RBF.toSpec(), inputs.kernel().toSpec());
        assertEquals("inducing", inputs.report().text("learned"));
        assertTrue(!inputs.report().has("kernel_learned"));
        double[] mean1 = plain.variationalMean();
        Matrix s1 = plain.posterior().covariance();
        Matrix moved = inputs.inducingInputs();
        for (int e = 0; e < 10; e++) {
            Matrix zu = z.copy();
            Matrix zd = z.copy();
            zu.data()[e] += h;
            zd.data()[e] -= h;
            double g = (value(RBF, zu, jitter, mean1, s1, x, yv, 1, lik) - value(RBF, zd, jitter, mean1, s1, x, yv, 1, lik))
                    / (2 * h);
            double mHat = 0.1 * g / (1 - 0.9 * 0.9);
            double vHat = 0.001 * g * g / (1 - 0.999 * 0.999);
            double step = rate * mHat / (Math.sqrt(vHat) + 1e-8);
            assertTrue(Math.abs(step) > 0.5 * rate, "z " + e + ": gradient " + g);
            assertEquals(step, moved.data()[e] - z.data()[e], 1e-8, "z " + e + " (gradient " + g + ")");
        }

        SparseVariationalGaussianProcessModel both = b.learnHyperparameters(true).learnInducingInputs(true).epochs(1)
                .build().fit(x, y);
        assertEquals("hyperparameters, inducing", both.report().text("learned"));
        assertEquals(0.0, both.inducingInputs().maxAbsDifference(z), 0.0);
        assertEquals(theta.kernel().toSpec(), both.kernel().toSpec());
    }

    /**
     * A Student-t batch made only of outliers has every h_i = ½E[g″] &gt; 0 (g″ &gt; 0 for |y − f| &gt; √ν·s): the
     * S and log θ gradients then need the unclipped A·diag(h)·Aᵀ; checked against central differences.
     */
    @Test
    void aBatchOfOutliersOnlyStillGetsExactGradients() {
        Likelihood lik = Likelihood.studentT(3, 0.1);
        Kernel k = KernelSpec.parse("1.4*rbf(length=[0.9, 1.6])");
        Matrix x = TestData.gaussian(3, 2, 1.0, 58);
        double[] y = {6, -5.5, 7};
        Matrix z = TestData.gaussian(4, 2, 1.0, 59);
        double[] mean = TestData.gaussian(4, 1, 0.3, 60).data();
        Matrix s = randomCovariance(4, 61);
        double jitter = 1e-3;
        SparseVariationalGaussianProcess.Posterior q = SparseVariationalGaussianProcess.Posterior.ofCovariance(mean, s);
        SparseVariationalGaussianProcess.Marginals mg = SparseVariationalGaussianProcess.marginals(k, z,
                SparseGaussianProcess.factor(k, z, jitter), mean, q.r, x);
        for (int i = 0; i < 3; i++) {
            assertTrue(lik.expectation(y[i], mg.mean()[i], mg.variance()[i]).dVariance() > 0, "row " + i + " is an outlier");
        }
        SparseVariationalGaussianProcess.Bound b = SparseVariationalGaussianProcess.bound(k, z, jitter, mean, s, x, y, 1.5,
                lik, true);
        double h = 1e-5;
        for (int[] jk : new int[][] {{0, 0}, {2, 1}, {3, 3}}) {
            Matrix su = symmetricStep(s, jk, h);
            Matrix sd = symmetricStep(s, jk, -h);
            double fd = (value(k, z, jitter, mean, su, x, y, 1.5, lik) - value(k, z, jitter, mean, sd, x, y, 1.5, lik))
                    / (2 * h);
            double g = b.covariance().get(jk[0], jk[1]) * (jk[0] == jk[1] ? 1 : 2);
            assertEquals(fd, g, 1e-6 * Math.max(1, Math.abs(fd)), "S " + jk[0] + "," + jk[1]);
        }
        double[] theta = k.hyperparameters().stream().mapToDouble(p -> p.value()).toArray();
        for (int p = 0; p < theta.length; p++) {
            double fd = logThetaDifference(k, p, h, kernel -> value(kernel, z, jitter, mean, s, x, y, 1.5, lik));
            assertEquals(fd, b.logTheta()[p], 1e-6 * Math.max(1, Math.abs(fd)), "log θ " + p);
        }
    }

    /**
     * With m = 260 inducing inputs ∂/∂K(Z, Z) is contracted in two column bands (256 + 4): the length scale's
     * gradient and a Z gradient in the second band against central differences of the bound.
     */
    @Test
    void gradientsWithMoreInducingPointsThanOneColumnBand() {
        Likelihood lik = Likelihood.logit();
        Kernel k = KernelSpec.parse("1.1*rbf(length=1.5)");
        Matrix z = TestData.gaussian(260, 6, 1.0, 70);
        Matrix x = TestData.gaussian(10, 6, 1.0, 71);
        double[] y = new double[10];
        for (int i = 0; i < 10; i++) {
            y[i] = x.get(i, 0) + x.get(i, 1) > 0 ? 1 : 0;
        }
        double[] mean = TestData.gaussian(260, 1, 0.3, 72).data();
        Matrix s = Matrix.identity(260);
        for (int i = 0; i < 260; i++) {
            s.set(i, i, 0.5 + 0.4 * Math.cos(i));
        }
        double jitter = 1e-4;
        SparseVariationalGaussianProcess.Bound b = SparseVariationalGaussianProcess.bound(k, z, jitter, mean, s, x, y, 1,
                lik, true);
        double h = 1e-5;
        double[] theta = k.hyperparameters().stream().mapToDouble(p -> p.value()).toArray();
        for (int p = 1; p < theta.length; p++) { // the length scale
            double fd = logThetaDifference(k, p, h, kernel -> value(kernel, z, jitter, mean, s, x, y, 1, lik));
            assertEquals(fd, b.logTheta()[p], 1e-6 * Math.max(1, Math.abs(fd)), "log θ " + p);
        }
        for (int e : new int[] {258 * 6 + 3}) {
            Matrix zu = z.copy();
            Matrix zd = z.copy();
            zu.data()[e] += h;
            zd.data()[e] -= h;
            double fd = (value(k, zu, jitter, mean, s, x, y, 1, lik) - value(k, zd, jitter, mean, s, x, y, 1, lik))
                    / (2 * h);
            assertEquals(fd, b.inducing().data()[e], 1e-6 * Math.max(1, Math.abs(fd)), "z " + e);
        }
    }

    /**
     * With several batches per epoch the rows are shuffled with the seed every epoch: the same seed gives the same
     * model, another seed another one (the inducing inputs are given, so the seed acts through the shuffles alone).
     */
    @Test
    void theSeedDrivesTheMinibatchShuffles() {
        Matrix x = TestData.gaussian(30, 2, 1.0, 66);
        Matrix y = labels(x, 67);
        SparseVariationalGaussianProcess.Builder b = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.logit()).inducingInputs(x.rowRange(0, 5)).batchSize(10).epochs(3);
        double[] a = b.seed(1).build().fit(x, y).variationalMean();
        double[] again = b.seed(1).build().fit(x, y).variationalMean();
        double[] other = b.seed(2).build().fit(x, y).variationalMean();
        double same = 0;
        double differ = 0;
        for (int j = 0; j < 5; j++) {
            same = Math.max(same, Math.abs(a[j] - again[j]));
            differ = Math.max(differ, Math.abs(a[j] - other[j]));
        }
        assertEquals(0.0, same, 0.0);
        assertTrue(differ > 1e-6, "seeds 1 and 2 gave the same q(v): " + differ);
    }

    @Test
    void badInputGetsOneClearMessage() {
        Matrix x = TestData.gaussian(20, 2, 1.0, 26);
        Matrix labels = labels(x, 27);
        SparseVariationalGaussianProcess probit = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.probit()).inducing(5).build();
        Matrix two = labels.copy();
        two.set(3, 0, 2);
        expect("the probit likelihood separates two classes; the labels hold 3 values [0.0, 1.0, 2.0] (gpc fits more",
                () -> probit.fit(x, two));
        Matrix seven = new Matrix(20, 1);
        for (int i = 0; i < 20; i++) {
            seven.set(i, 0, i % 7);
        }
        expect("the probit likelihood separates two classes; the labels hold 7 values [0.0, 1.0, 2.0, 3.0, 4.0, ...]",
                () -> probit.fit(x, seven));
        Matrix oneClass = new Matrix(20, 1);
        for (int i = 0; i < 20; i++) {
            oneClass.set(i, 0, -1);
        }
        expect("the probit likelihood separates two classes; the labels hold one value only, -1.0",
                () -> probit.fit(x, oneClass));
        Matrix negative = labels.copy();
        negative.set(6, 0, -1);
        expect("the poisson likelihood needs non-negative integer counts; row 7 has -1.0", () ->
                SparseVariationalGaussianProcess.builder(RBF).likelihood(Likelihood.poisson()).inducing(5).build()
                        .fit(x, negative));
        expect("asked for 21 inducing points but the data has only 20 rows", () ->
                SparseVariationalGaussianProcess.builder(RBF).likelihood(Likelihood.probit()).inducing(21).build()
                        .fit(x, labels));
        expect("the batch size must be >= 1, got 0", () -> SparseVariationalGaussianProcess.builder(RBF).batchSize(0));
        expect("the number of epochs must be >= 1, got 0", () -> SparseVariationalGaussianProcess.builder(RBF).epochs(0));
        expect("the natural-gradient step must lie in (0, 1], got 1.5", () ->
                SparseVariationalGaussianProcess.builder(RBF).naturalGradientStep(1.5));
        expect("the learning rate must be > 0 and finite, got 0.0", () ->
                SparseVariationalGaussianProcess.builder(RBF).learningRate(0));
        expect("a sparse variational GP needs a likelihood", () -> SparseVariationalGaussianProcess.builder(RBF).build());
        expect("learning the inducing inputs needs a stationary kernel", () -> SparseVariationalGaussianProcess
                .builder(KernelSpec.parse("linear()")).likelihood(Likelihood.logit()).learnInducingInputs(true).build());
        expect("the inducing inputs have 3 features but the data has 2", () -> SparseVariationalGaussianProcess
                .builder(RBF).likelihood(Likelihood.logit()).inducingInputs(new Matrix(4, 3)).build().fit(x, labels));
        expect("a sparse variational GP takes one target column, got 2", () -> probit.fit(x, new Matrix(20, 2)));
    }

    @Test
    void anyTwoLabelsAreTheClassesOfZeroAndOne() {
        Matrix x = TestData.gaussian(40, 2, 1.0, 61);
        Matrix y01 = labels(x, 62);
        SparseVariationalGaussianProcess.Builder b = SparseVariationalGaussianProcess.builder(RBF)
                .likelihood(Likelihood.probit()).inducing(8).batchSize(20).epochs(3).seed(9);
        SparseVariationalGaussianProcessModel m01 = b.build().fit(x, y01);
        assertArrayEquals(new double[] {0, 1}, m01.classes(), 0.0);
        Matrix q = TestData.gaussian(25, 2, 1.3, 63);
        Matrix p01 = m01.predict(q);
        for (double[] pair : new double[][] {{-1, 1}, {3, 7}, {-2.5, 0}}) {
            Matrix y = new Matrix(40, 1);
            for (int i = 0; i < 40; i++) {
                y.set(i, 0, pair[(int) y01.get(i, 0)]);
            }
            SparseVariationalGaussianProcessModel m = b.build().fit(x, y);
            assertArrayEquals(pair, m.classes(), 0.0);
            // the same problem: the larger label is the likelihood's y = 1
            assertEquals(0.0, m.latent(q).maxAbsDifference(m01.latent(q)), 0.0);
            assertEquals(0.0, m.probabilities(q).maxAbsDifference(m01.probabilities(q)), 0.0);
            assertEquals(m01.elbo(x, y01), m.elbo(x, y), 0.0);
            Matrix p = m.predict(q);
            for (int i = 0; i < q.rows(); i++) {
                assertEquals(pair[(int) p01.get(i, 0)], p.get(i, 0), 0.0);
            }
            // the classes survive the model file
            SparseVariationalGaussianProcessCodec codec = new SparseVariationalGaussianProcessCodec();
            ModelState s = codec.encode(m);
            assertArrayEquals(pair, s.numbers("classes", 2), 0.0);
            SparseVariationalGaussianProcessModel back = codec.decode(s);
            assertArrayEquals(pair, back.classes(), 0.0);
            assertEquals(0.0, back.predict(q).maxAbsDifference(p), 0.0);
            Matrix stray = y.copy();
            stray.set(5, 0, 99);
            expect("row 6 has label 99.0, not one of the classes " + java.util.Arrays.toString(pair),
                    () -> m.elbo(x, stray));
        }
        // a file from before the field: 0 and 1
        ModelState s = new SparseVariationalGaussianProcessCodec().encode(m01);
        java.util.Map<String, Object> old = new java.util.LinkedHashMap<>(s.fields());
        old.remove("classes");
        SparseVariationalGaussianProcessModel back = new SparseVariationalGaussianProcessCodec()
                .decode(ModelState.of(s.kind(), old, s.arrays()));
        assertArrayEquals(new double[] {0, 1}, back.classes(), 0.0);
        assertEquals(0.0, back.predict(q).maxAbsDifference(p01), 0.0);
        // tampered classes
        for (Object bad : new Object[] {new double[] {1, 1}, new double[] {2, 1}, new double[] {0, 1, 2}}) {
            java.util.Map<String, Object> f = new java.util.LinkedHashMap<>(s.fields());
            f.put("classes", bad);
            assertThrows(Kernels4jException.class, () -> new SparseVariationalGaussianProcessCodec()
                    .decode(ModelState.of(s.kind(), f, s.arrays())));
        }
    }

    private static void expect(String message, Supplier<?> call) {
        Kernels4jException e = assertThrows(Kernels4jException.class, call::get);
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
