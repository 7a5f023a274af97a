package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.linalg.Matrix;

/** Spectral-mixture, Student-t mixture and von Mises–Fisher kernels against independent references. */
class SpectralKernelsTest {
    private static final double[] W = {0.7, 0.4};
    private static final double[][] MU = {{0.3, 0.9}, {1.2, 0.2}};
    private static final double[][] V = {{0.05, 0.2}, {0.1, 0.02}};

    /**
     * Π_f cos a_f is the average of cos(Σ_f ±a_f) over the 2^d sign patterns; the reference sums the
     * sign patterns instead of multiplying cosines.
     */
    @Test
    void spectralMixtureEqualsTheSignAveragedSum() {
        SpectralMixtureKernel k = new SpectralMixtureKernel(W, MU, V);
        Random rng = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            double[] x = {rng.nextGaussian(), rng.nextGaussian()};
            double[] z = {rng.nextGaussian(), rng.nextGaussian()};
            double ref = 0;
            for (int q = 0; q < 2; q++) {
                double s = 0;
                for (int f = 0; f < 2; f++) {
                    s += V[q][f] * (x[f] - z[f]) * (x[f] - z[f]);
                }
                double avg = 0;
                for (int signs = 0; signs < 4; signs++) {
                    double phase = 0;
                    for (int f = 0; f < 2; f++) {
                        phase += ((signs >> f & 1) == 0 ? 1 : -1) * 2 * Math.PI * MU[q][f] * (x[f] - z[f]);
                    }
                    avg += Math.cos(phase) / 4;
                }
                ref += W[q] * Math.exp(-2 * Math.PI * Math.PI * s) * avg;
            }
            assertEquals(ref, k.value(x, z), 1e-14);
        }
        assertEquals(W[0] + W[1], k.value(new double[] {1, 2}, new double[] {1, 2}), 1e-15);
    }

    /**
     * Bochner: k(τ) = E[cos(2π ωᵀτ)] with ω drawn from the spectral density (component q with probability
     * w_q/Σw, then a Gaussian or multivariate t around ±μ_q with per-feature scale √v_q), times Σw. A
     * Monte-Carlo mean over 200 000 draws, tolerance 5 standard errors; this checks the 2π factors, the
     * scale of the t and its dof mapping to the Matérn order independently of the Bessel code.
     */
    @Test
    void bothMixturesAreTheTransformsOfTheirSpectra() {
        double[] tau = {0.35, -0.6};
        for (double dof : new double[] {Double.POSITIVE_INFINITY, 2.6, 7}) {
            Kernel k = Double.isInfinite(dof) ? new SpectralMixtureKernel(W, MU, V) : new StudentTMixtureKernel(dof, W, MU, V);
            Random rng = new Random(11);
            int draws = 200_000;
            double sum = 0;
            double sum2 = 0;
            double total = W[0] + W[1];
            for (int i = 0; i < draws; i++) {
                int q = rng.nextDouble() * total < W[0] ? 0 : 1;
                double scale = 1;
                if (!Double.isInfinite(dof)) {
                    scale = Math.sqrt(dof / (2 * org.kernels4j.approx.RandomFourierFeaturesAccess.gamma(dof / 2, rng)));
                }
                double phase = 0;
                for (int f = 0; f < 2; f++) {
                    double omega = (rng.nextBoolean() ? 1 : -1) * MU[q][f] + Math.sqrt(V[q][f]) * rng.nextGaussian() * scale;
                    phase += 2 * Math.PI * omega * tau[f];
                }
                double c = Math.cos(phase) * total;
                sum += c;
                sum2 += c * c;
            }
            double mean = sum / draws;
            double se = Math.sqrt((sum2 / draws - mean * mean) / draws);
            double got = k.value(new double[] {tau[0], tau[1]}, new double[] {0, 0});
            assertEquals(mean, got, 5 * se, "dof " + dof);
        }
    }

    /** dof = 3: the envelope is Matérn-3/2, (1 + r)e^{−r} with r = 2π√3·√(v)|τ| in one dimension. */
    @Test
    void studentTWithThreeDegreesOfFreedomIsCosineTimesMatern32() {
        StudentTMixtureKernel k = new StudentTMixtureKernel(3, new double[] {1.3}, new double[][] {{0.4}},
                new double[][] {{0.09}});
        for (double tau : new double[] {0, 0.1, 0.5, 1.3, 4}) {
            double r = 2 * Math.PI * Math.sqrt(3) * 0.3 * tau;
            double ref = 1.3 * Math.cos(2 * Math.PI * 0.4 * tau) * (1 + r) * Math.exp(-r);
            assertEquals(ref, k.value(new double[] {tau}, new double[] {0}), 1e-14);
        }
    }

    /** As dof → ∞ the t spectra become Gaussian: stm → sm with the same parameters, the gap shrinking like 1/dof. */
    @Test
    void studentTMixtureTendsToTheSpectralMixture() {
        SpectralMixtureKernel sm = new SpectralMixtureKernel(W, MU, V);
        double previous = Double.NaN;
        for (double dof : new double[] {1e3, 1e4}) {
            StudentTMixtureKernel stm = new StudentTMixtureKernel(dof, W, MU, V);
            double gap = 0;
            for (double a = -2; a <= 2; a += 0.05) {
                double[] x = {a, 0.5 * a};
                double[] z = {0, 0};
                gap = Math.max(gap, Math.abs(stm.value(x, z) - sm.value(x, z)));
            }
            assertTrue(gap < 1.0 / dof, "dof " + dof + ": gap " + gap);
            if (!Double.isNaN(previous)) {
                assertTrue(previous / gap > 8 && previous / gap < 12, "convergence ratio " + previous / gap);
            }
            previous = gap;
        }
    }

    @Test
    void vonMisesFisherIsAnRbfOfTheChordalDistance() {
        VonMisesFisherKernel k = new VonMisesFisherKernel(2.5);
        Random rng = new Random(5);
        for (int trial = 0; trial < 10; trial++) {
            double[] x = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            double[] z = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            double nx = Math.sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
            double nz = Math.sqrt(z[0] * z[0] + z[1] * z[1] + z[2] * z[2]);
            double chord = 0;
            for (int f = 0; f < 3; f++) {
                chord += Math.pow(x[f] / nx - z[f] / nz, 2);
            }
            assertEquals(Math.exp(-2.5 * chord / 2), k.value(x, z), 1e-14);
            double[] x3 = {3 * x[0], 3 * x[1], 3 * x[2]};
            assertEquals(k.value(x, z), k.value(x3, z), 1e-15, "only directions count");
        }
        assertEquals(Math.exp(-2.5), k.value(new double[] {0, 0, 0}, new double[] {1, 2, 3}), 1e-15);
        assertEquals(Math.exp(-2.5), k.value(new double[] {0, 0, 0}, new double[] {0, 0, 0}), 1e-15);
        assertEquals(1.0, k.value(new double[] {1, 2, 3}, new double[] {1, 2, 3}), 1e-15);
    }

    private static Matrix sinusoids(int n, double t, long seed, Matrix xOut) {
        Random rng = new Random(seed);
        Matrix y = new Matrix(n, 1);
        for (int i = 0; i < n; i++) {
            double x = t * rng.nextDouble();
            xOut.set(i, 0, x);
            y.set(i, 0, Math.sin(2 * Math.PI * 0.5 * x) + 0.6 * Math.sin(2 * Math.PI * 1.7 * x + 1)
                    + 0.1 * rng.nextGaussian());
        }
        return y;
    }

    /** Unsorted, unevenly spaced inputs; two planted frequencies 0.5 and 1.7 (resolution 1/T = 0.04). */
    @Test
    void periodogramInitialisationFindsThePlantedFrequencies() {
        Matrix x = new Matrix(200, 1);
        Matrix y = sinusoids(200, 25, 21, x);
        SpectralMixtureKernel k = SpectralMixtureKernel.fromPeriodogram(x, y, 2, 1);
        double[][] mu = k.means();
        assertEquals(0.5, mu[0][0], 0.01, Arrays.deepToString(mu));
        assertEquals(1.7, mu[1][0], 0.01, Arrays.deepToString(mu));
        double[] w = k.weights();
        // powers ∝ amplitude²: 1 against 0.36, and the weights share the variance of y (≈ 0.5 + 0.18 + 0.01)
        assertTrue(w[0] > 2 * w[1] && w[0] < 4 * w[1], Arrays.toString(w));
        assertEquals(0.69, w[0] + w[1], 0.1);
        for (double[] v : k.variances()) {
            assertTrue(v[0] > 0 && Math.sqrt(v[0]) < 0.05, "peak width " + Math.sqrt(v[0]));
        }
        // a second feature that is constant gets the documented neutral values
        Matrix x2 = new Matrix(200, 2);
        for (int i = 0; i < 200; i++) {
            x2.set(i, 0, x.get(i, 0));
            x2.set(i, 1, 4.0);
        }
        SpectralMixtureKernel k2 = SpectralMixtureKernel.fromPeriodogram(x2, y, 2, 1);
        assertEquals(1e-3, k2.means()[0][1]);
        assertEquals(mu[0][0], k2.means()[0][0]);
    }

    /**
     * A GP with an SM kernel started 15% off the planted frequency (0.5) moves it back: the learned mean
     * is within 0.005 of 0.5 (the resolution of 100 points over 12 units is 1/12 ≈ 0.08) and the
     * evidence beats the start. The spectral variance is held fixed (a pure sinusoid drives it to its
     * bound, which only costs iterations).
     */
    @Test
    void gaussianProcessRecoversAPlantedFrequency() {
        Random rng = new Random(8);
        int n = 100;
        Matrix x = new Matrix(n, 1);
        Matrix y = new Matrix(n, 1);
        for (int i = 0; i < n; i++) {
            double t = 12 * rng.nextDouble();
            x.set(i, 0, t);
            y.set(i, 0, Math.sin(2 * Math.PI * 0.5 * t) + 0.1 * rng.nextGaussian());
        }
        Kernel start = KernelSpec.parse("sm(q=1, weights=0.5, means=0.575, variances=0.0001)");
        GaussianProcess gp = GaussianProcess.builder(start).noise(1e-2).normalizeTargets(false).build();
        HyperparameterSearch.Result r = gp.optimize(x, y, HyperparameterSearch.builder().fix("sm.variances").build());
        double mean = r.hyperparameters().stream().filter(h -> h.name().equals("sm.means")).findFirst().get().value();
        assertEquals(0.5, mean, 0.005, r.kernel().toSpec());
        assertTrue(r.evidence() > gp.evidence(x, y).value() + 10);
    }

    /**
     * Positive semi-definite on denser random inputs than the contract's (n = 100 in 2-D, including
     * near-duplicate points): smallest Gram eigenvalue ≥ −10⁻¹⁰·trace.
     */
    @Test
    void gramMatricesArePositiveSemiDefiniteOnRandomInputs() {
        Matrix x = org.kernels4j.TestData.gaussian(100, 2, 1.5, 44);
        for (int i = 0; i < 10; i++) {
            x.set(50 + i, 0, x.get(i, 0) + 1e-7);
            x.set(50 + i, 1, x.get(i, 1));
        }
        for (String spec : new String[] {"sm(q=3, weights=[1, 0.5, 0.2], means=[[0.2, 0.7], [1.5, 0.1], [3, 2]],"
                + " variances=[0.05, 0.5, 0.01])", "stm(dof=1.3, q=2, weights=[1, 2], means=[0.4, 2.2], variances=[0.1, 0.02])",
            "vmf(kappa=30)", "matern(nu=0.3, length=[0.5, 2])", "matern(nu=70, length=0.4)"}) {
            Matrix g = org.kernels4j.gram.GramEngine.gram(KernelSpec.parse(spec), x);
            double trace = 0;
            for (int i = 0; i < g.rows(); i++) {
                trace += g.get(i, i);
            }
            double min = org.kernels4j.linalg.SymmetricEigen.of(g).value(0);
            assertTrue(min >= -1e-10 * trace, spec + ": smallest eigenvalue " + min);
        }
    }

    @Test
    void specsParsePrintAndBroadcast() {
        assertEquals("sm(q=2, weights=[0.5, 0.5], means=[0.5, 0.5], variances=[1, 1])",
                KernelSpec.parse("sm(q=2, means=0.5)").toSpec());
        assertEquals("sm(q=1, weights=1, means=1, variances=1)", KernelSpec.parse("sm()").toSpec());
        assertEquals("sm(q=2, weights=[1, 2], means=[[0.1, 0.2], [0.1, 0.2]], variances=[3, 4])",
                KernelSpec.parse("spectral_mixture(weights=[1, 2], means=[[0.1, 0.2]], variances=[3, 4])").toSpec());
        assertEquals("stm(dof=2.5, q=1, weights=1, means=0.3, variances=0.1)",
                KernelSpec.parse("student_t_mixture(dof=2.5, means=0.3, variances=0.1)").toSpec());
        assertEquals("vmf(kappa=3)", KernelSpec.parse("von_mises_fisher(kappa=3)").toSpec());
        Kernel ard = KernelSpec.parse("sm(q=2, weights=[1, 2], means=[[0.1, 0.2], [0.3, 0.4]], variances=0.5)");
        assertEquals(Arrays.asList("sm.weights[0]", "sm.weights[1]", "sm.means[0]", "sm.means[1]", "sm.means[2]",
                "sm.means[3]", "sm.variances[0]", "sm.variances[1]"),
                ard.hyperparameters().stream().map(Hyperparameter::name).toList());
        assertEquals(0.3, ard.hyperparameters().get(4).value());
    }

    @Test
    void badParametersGiveOneClearMessage() {
        assertEquals("invalid kernel spec 'sm(q=2, means=[0.1, 0.2, 0.3])' at column 9: sm: means must have one entry"
                + " per component (2), got 3 (for one value per feature write a list of lists, e.g. [[0.1, 0.2]])",
                message(() -> KernelSpec.parse("sm(q=2, means=[0.1, 0.2, 0.3])")));
        assertTrue(message(() -> KernelSpec.parse("sm(means=-1)")).contains("means must be a positive finite number, got -1"));
        assertTrue(message(() -> KernelSpec.parse("sm(weights=[[1, 2]])")).contains("weights must be a number or a list"));
        assertTrue(message(() -> KernelSpec.parse("sm(q=0)")).contains("q must be between 1 and 1000, got 0"));
        assertTrue(message(() -> KernelSpec.parse("stm(dof=0)")).contains("dof must be a positive finite number, got 0"));
        assertTrue(message(() -> KernelSpec.parse("vmf(kappa=0)")).contains("kappa must be a positive finite number"));
        Kernel three = KernelSpec.parse("sm(means=[[0.1, 0.2, 0.3]])");
        assertEquals("sm: means have 3 values per component but the data has 2 features",
                message(() -> three.value(new double[] {1, 2}, new double[] {0, 1})));
        assertEquals("sm periodogram initialisation: the targets are constant, so they have no spectrum",
                message(() -> SpectralMixtureKernel.fromPeriodogram(Matrix.wrap(3, 1, new double[] {1, 2, 3}),
                        Matrix.wrap(3, 1, new double[] {5, 5, 5}), 1, 0)));
    }

    private static String message(Runnable r) {
        return assertThrows(Kernels4jException.class, r::run).getMessage();
    }
}
