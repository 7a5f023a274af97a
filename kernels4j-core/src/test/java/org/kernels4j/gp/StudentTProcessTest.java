package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.numbers.gamma.LogGamma;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

class StudentTProcessTest {
    private static final Kernel KERNEL = KernelSpec.parse("1.5*rbf(length=0.9) + white(noise=0.05)");

    private static Matrix targets(Matrix x, int outputs) {
        Matrix e = TestData.gaussian(x.rows(), outputs, 0.2, 11);
        Matrix y = new Matrix(x.rows(), outputs);
        for (int i = 0; i < x.rows(); i++) {
            for (int o = 0; o < outputs; o++) {
                y.set(i, o, (1 + o) * Math.sin(2 * x.get(i, 0)) + x.get(i, 1) + e.get(i, o));
            }
        }
        return y;
    }

    /** The dense Gram matrix of the rows of a and b (selfValue on the diagonal when same), by the kernel's formula. */
    private static double[][] gram(Kernel k, double[][] pts, double noise) {
        int n = pts.length;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = i == j ? k.selfValue(pts[i]) + noise : k.value(pts[i], pts[j]);
            }
        }
        return a;
    }

    /** Plain-Java Cholesky, returning L. */
    private static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int j = 0; j < n; j++) {
            double d = a[j][j];
            for (int k = 0; k < j; k++) {
                d -= l[j][k] * l[j][k];
            }
            l[j][j] = Math.sqrt(d);
            for (int i = j + 1; i < n; i++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = s / l[j][j];
            }
        }
        return l;
    }

    /** [log|S|, yᵀS⁻¹y] by forward substitution with the plain Cholesky. */
    private static double[] logDetAndQuad(double[][] s, double[] y) {
        double[][] l = cholesky(s);
        double logDet = 0;
        double[] z = new double[y.length];
        double q = 0;
        for (int i = 0; i < y.length; i++) {
            logDet += 2 * Math.log(l[i][i]);
            double v = y[i];
            for (int k = 0; k < i; k++) {
                v -= l[i][k] * z[k];
            }
            z[i] = v / l[i][i];
            q += z[i] * z[i];
        }
        return new double[] {logDet, q};
    }

    /** The multivariate t log-density with dof ν, location 0, shape S, written from its textbook definition. */
    private static double logMultivariateT(double[] y, double nu, double[][] shape) {
        int n = y.length;
        double[] dq = logDetAndQuad(shape, y);
        return LogGamma.value((nu + n) / 2) - LogGamma.value(nu / 2) - n / 2.0 * Math.log(nu * Math.PI) - 0.5 * dq[0]
                - (nu + n) / 2 * Math.log(1 + dq[1] / nu);
    }

    private static double[][] scaled(double[][] a, double c) {
        double[][] s = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                s[i][j] = c * a[i][j];
            }
        }
        return s;
    }

    private static double[][] rows(Matrix x) {
        double[][] r = new double[x.rows()][];
        for (int i = 0; i < x.rows(); i++) {
            r[i] = x.row(i);
        }
        return r;
    }

    @Test
    void logLikelihoodEqualsTheMultivariateTDensityInBothViews() {
        Matrix x = TestData.gaussian(12, 2, 1.0, 5);
        Matrix y = targets(x, 2);
        double noise = 0.01;
        double[][] a = gram(KERNEL, rows(x), noise);
        for (double nu : new double[] {2.5, 4, 30}) {
            StudentTProcess tp = StudentTProcess.builder(KERNEL).noise(noise).degreesOfFreedom(nu).build();
            double expected = 0;
            for (int o = 0; o < 2; o++) {
                expected += logMultivariateT(y.column(o), nu, scaled(a, (nu - 2) / nu));
            }
            assertEquals(expected, tp.fit(x, y).logMarginalLikelihood(), 1e-9 * Math.abs(expected), "nu " + nu);
            assertEquals(expected, tp.evidence(x, y).value(), 1e-9 * Math.abs(expected), "nu " + nu);
        }
        // scale mixture: shape (b/a)·A, ν = 2a
        double sa = 1.5;
        double sb = 0.7;
        StudentTProcess mix = StudentTProcess.builder(KERNEL).noise(noise).inverseGammaPrior(sa, sb).build();
        double expected = logMultivariateT(y.column(0), 2 * sa, scaled(a, sb / sa))
                + logMultivariateT(y.column(1), 2 * sa, scaled(a, sb / sa));
        assertEquals(expected, mix.fit(x, y).logMarginalLikelihood(), 1e-9 * Math.abs(expected));
        assertEquals(2 * sa, mix.degreesOfFreedom(), 0);
    }

    /**
     * The scale-mixture view by its definition: ∫ N(y; 0, v·A)·InvGamma(v; a, b) dv, by the
     * trapezoid rule in t = ln v, equals the process's likelihood.
     */
    @Test
    void inverseGammaMixtureOfGaussiansIntegratesToTheLikelihood() {
        Matrix x = TestData.gaussian(8, 2, 1.0, 6);
        Matrix y = targets(x, 1);
        double noise = 0.02;
        double sa = 2.2;
        double sb = 1.3;
        double[] dq = logDetAndQuad(gram(KERNEL, rows(x), noise), y.column(0));
        int n = 8;
        double max = Double.NEGATIVE_INFINITY;
        int steps = 40000;
        double lo = -12;
        double hi = 12;
        double h = (hi - lo) / steps;
        double[] logf = new double[steps + 1];
        for (int s = 0; s <= steps; s++) {
            double t = lo + s * h;
            double v = Math.exp(t);
            double logGauss = -0.5 * n * Math.log(2 * Math.PI * v) - 0.5 * dq[0] - 0.5 * dq[1] / v;
            double logPrior = sa * Math.log(sb) - LogGamma.value(sa) - (sa + 1) * t - sb / v;
            logf[s] = logGauss + logPrior + t; // dv = v dt
            max = Math.max(max, logf[s]);
        }
        double sum = 0;
        for (int s = 0; s <= steps; s++) {
            sum += (s == 0 || s == steps ? 0.5 : 1) * Math.exp(logf[s] - max);
        }
        double integral = max + Math.log(sum * h);
        StudentTProcessModel m = StudentTProcess.builder(KERNEL).noise(noise).inverseGammaPrior(sa, sb).build().fit(x, y);
        assertEquals(integral, m.logMarginalLikelihood(), 1e-7);
        assertEquals(sb / sa, m.shapeScale(), 1e-15);
        assertEquals(2 * sa + n, m.degreesOfFreedom(), 0);
    }

    /**
     * The predictive t against the conditional of the joint: log p(y, y*) − log p(y) from the
     * (n+1)-dimensional density equals the univariate t density with the model's location, scale
     * and ν + n, at several y*. Noise lives in the kernel (white) so y* is the noisy target.
     */
    @Test
    void predictiveIsTheConditionalOfTheJointT() {
        Matrix x = TestData.gaussian(10, 2, 1.0, 7);
        Matrix y = targets(x, 1);
        double nu = 3.5;
        Matrix star = Matrix.wrap(1, 2, new double[] {0.3, -0.4});
        StudentTProcessModel m = StudentTProcess.builder(KERNEL).noise(0).degreesOfFreedom(nu).build().fit(x, y);
        double loc = m.predict(star).get(0, 0);
        double s2 = m.predictiveScale(star).get(0, 0);
        double dof = m.degreesOfFreedom();
        assertEquals(nu + 10, dof, 0);
        double[][] pts = new double[11][];
        double[][] train = rows(x);
        System.arraycopy(train, 0, pts, 0, 10);
        pts[10] = star.row(0);
        double c = (nu - 2) / nu;
        double[][] joint = scaled(gram(KERNEL, pts, 0), c);
        double marginal = logMultivariateT(y.column(0), nu, scaled(gram(KERNEL, train, 0), c));
        for (double ys : new double[] {-2, loc - 0.3, loc, loc + 1, 3}) {
            double[] all = new double[11];
            System.arraycopy(y.column(0), 0, all, 0, 10);
            all[10] = ys;
            double conditional = logMultivariateT(all, nu, joint) - marginal;
            double z = (ys - loc) * (ys - loc) / s2;
            double univariate = LogGamma.value((dof + 1) / 2) - LogGamma.value(dof / 2) - 0.5 * Math.log(dof * Math.PI * s2)
                    - (dof + 1) / 2 * Math.log(1 + z / dof);
            assertEquals(conditional, univariate, 1e-8, "y* = " + ys);
        }
        // the variance of a t with scale s² and dof d is s²·d/(d − 2)
        assertEquals(s2 * dof / (dof - 2), m.predictiveVariance(star).get(0, 0), 1e-12 * s2);
    }

    @Test
    void asNuGrowsItBecomesTheGaussianProcess() {
        Matrix x = TestData.gaussian(15, 2, 1.0, 8);
        Matrix y = targets(x, 2);
        Matrix q = TestData.gaussian(6, 2, 1.2, 9);
        GaussianProcessModel gp = GaussianProcess.builder(KERNEL).noise(1e-3).build().fit(x, y);
        StudentTProcessModel far = StudentTProcess.builder(KERNEL).noise(1e-3).degreesOfFreedom(1e7).build().fit(x, y);
        assertEquals(gp.logMarginalLikelihood(), far.logMarginalLikelihood(), 1e-4);
        assertEquals(0, gp.predict(q).maxAbsDifference(far.predict(q)), 1e-12);
        assertEquals(0, gp.predictiveVariance(q).maxAbsDifference(far.predictiveVariance(q)), 1e-5);
        assertEquals(0, gp.predictiveVariance(q).maxAbsDifference(far.predictiveScale(q)), 1e-5);
        // and at small ν it is not the Gaussian process (the check above is not vacuous)
        StudentTProcessModel near = StudentTProcess.builder(KERNEL).noise(1e-3).degreesOfFreedom(3).build().fit(x, y);
        assertTrue(Math.abs(gp.logMarginalLikelihood() - near.logMarginalLikelihood()) > 0.1);
        assertTrue(gp.predictiveVariance(q).maxAbsDifference(near.predictiveVariance(q)) > 1e-3);
    }

    private static double[] values(Kernel k) {
        return k.hyperparameters().stream().mapToDouble(Hyperparameter::value).toArray();
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Matrix x = TestData.gaussian(20, 2, 1.0, 10);
        Matrix y = targets(x, 2);
        double h = 1e-5;
        for (boolean mixture : new boolean[] {false, true}) {
            java.util.function.BiFunction<Kernel, Double, StudentTProcess> make = (k, nu) -> {
                StudentTProcess.Builder b = StudentTProcess.builder(k).noise(1e-4).normalizeTargets(true);
                return (mixture ? b.inverseGammaPrior(1.7, 0.6) : b.degreesOfFreedom(nu)).build();
            };
            double nu = 4.5;
            HyperparameterSearch.Evidence e = make.apply(KERNEL, nu).evidence(x, y);
            double[] v = values(KERNEL);
            for (int p = 0; p < v.length; p++) {
                double[] up = v.clone();
                double[] down = v.clone();
                up[p] *= Math.exp(h);
                down[p] *= Math.exp(-h);
                double fd = (make.apply(KERNEL.withHyperparameters(up), nu).evidence(x, y).value()
                        - make.apply(KERNEL.withHyperparameters(down), nu).evidence(x, y).value()) / (2 * h);
                assertEquals(fd, e.gradient()[p], 1e-5 * Math.max(1, Math.abs(fd)), "mixture " + mixture + " p " + p);
            }
            if (mixture) {
                assertEquals(0, e.extraGradient().length);
            } else {
                double u = Math.log(nu - 2);
                double fd = (make.apply(KERNEL, 2 + Math.exp(u + h)).evidence(x, y).value()
                        - make.apply(KERNEL, 2 + Math.exp(u - h)).evidence(x, y).value()) / (2 * h);
                assertEquals(fd, e.extraGradient()[0], 1e-5 * Math.max(1, Math.abs(fd)));
            }
        }
    }

    /**
     * The scale mixture of NNGPs as the paper states it: an NNGP kernel with an inverse-gamma prior on
     * its scale; likelihood against the direct density and the gradient in the network's variances
     * against central differences.
     */
    @Test
    void scaleMixtureOfNngpsWithANeuralKernel() {
        Kernel nngp = KernelSpec.parse("nngp(depth=2, w_var=2, b_var=0.1) + white(noise=0.05)");
        Matrix x = TestData.gaussian(10, 3, 1.0, 16);
        Matrix y = targets(x, 1);
        StudentTProcess tp = StudentTProcess.builder(nngp).inverseGammaPrior(2, 1).build();
        double expected = logMultivariateT(y.column(0), 4, scaled(gram(nngp, rows(x), 1e-10), 0.5));
        assertEquals(expected, tp.fit(x, y).logMarginalLikelihood(), 1e-8 * Math.abs(expected));
        HyperparameterSearch.Evidence e = tp.evidence(x, y);
        double[] v = values(nngp);
        assertTrue(v.length >= 2);
        double h = 1e-5;
        for (int p = 0; p < v.length; p++) {
            double[] up = v.clone();
            double[] down = v.clone();
            up[p] *= Math.exp(h);
            down[p] *= Math.exp(-h);
            double fd = (StudentTProcess.builder(nngp.withHyperparameters(up)).inverseGammaPrior(2, 1).build()
                    .evidence(x, y).value() - StudentTProcess.builder(nngp.withHyperparameters(down))
                    .inverseGammaPrior(2, 1).build().evidence(x, y).value()) / (2 * h);
            assertEquals(fd, e.gradient()[p], 1e-5 * Math.max(1, Math.abs(fd)), nngp.hyperparameters().get(p).name());
        }
    }

    /**
     * Learning ν where it is identifiable: 16 output columns, each a Gaussian process draw times
     * √v_o. With v_o ~ InvGamma(1.5, 1.5) (a t process with ν = 3) the learned ν is small; with
     * v_o = 1 (a Gaussian process) it is large. The optimum is no worse than the start.
     */
    @Test
    void learnsDegreesOfFreedomFromScaleMixedDraws() {
        int n = 25;
        int k = 16;
        Matrix x = TestData.gaussian(n, 1, 1.0, 12);
        Kernel truth = KernelSpec.parse("1*rbf(length=0.7) + white(noise=0.01)");
        double[][] l = cholesky(gram(truth, rows(x), 0));
        java.util.Random r = new java.util.Random(13);
        Matrix heavy = new Matrix(n, k);
        Matrix light = new Matrix(n, k);
        for (int o = 0; o < k; o++) {
            double[] z = new double[n];
            for (int i = 0; i < n; i++) {
                z[i] = r.nextGaussian();
            }
            double gamma = 0; // Gamma(1.5, rate 1.5) as a chi-square with 3 dof over 2
            for (int d = 0; d < 3; d++) {
                double g = r.nextGaussian();
                gamma += g * g / 2;
            }
            double v = 1.5 / gamma;
            for (int i = 0; i < n; i++) {
                double f = 0;
                for (int j = 0; j <= i; j++) {
                    f += l[i][j] * z[j];
                }
                heavy.set(i, o, Math.sqrt(v) * f);
                light.set(i, o, f);
            }
        }
        HyperparameterSearch search = HyperparameterSearch.builder().maxIterations(100).fix("white.noise").build();
        StudentTProcess start = StudentTProcess.builder(truth).noise(1e-6).degreesOfFreedom(10)
                .learnDegreesOfFreedom(true).optimize(search).build();
        StudentTProcessModel h = start.fit(x, heavy);
        StudentTProcessModel g = start.fit(x, light);
        assertTrue(h.priorDegreesOfFreedom() < 8, "heavy " + h.priorDegreesOfFreedom());
        assertTrue(g.priorDegreesOfFreedom() > 30, "light " + g.priorDegreesOfFreedom());
        double atStart = StudentTProcess.builder(truth).noise(1e-6).degreesOfFreedom(10).build().fit(x, heavy)
                .logMarginalLikelihood();
        assertTrue(h.logMarginalLikelihood() >= atStart);
        assertEquals(h.search().evidence(), h.logMarginalLikelihood(), 1e-6 * Math.abs(atStart));
    }

    /** A model file keeps the predictive t whole: location, scale, dof, likelihood and the prior of the mixture view. */
    @Test
    void modelFilesKeepThePredictiveT() {
        Matrix x = TestData.gaussian(12, 2, 1.0, 14);
        Matrix y = targets(x, 2);
        Matrix q = TestData.gaussian(5, 2, 1.0, 15);
        for (StudentTProcess tp : new StudentTProcess[] {
            StudentTProcess.builder(KERNEL).noise(1e-3).degreesOfFreedom(3.5).build(),
            StudentTProcess.builder(KERNEL).noise(1e-3).inverseGammaPrior(0.8, 2).normalizeTargets(true).build()}) {
            StudentTProcessModel m = tp.fit(x, y);
            var state = org.kernels4j.model.ModelCodecs.encode(m);
            assertEquals("tp", state.kind());
            StudentTProcessModel back = (StudentTProcessModel) org.kernels4j.model.ModelCodecs.decode(
                    org.kernels4j.model.ModelState.of(state.kind(), state.fields(), state.arrays()));
            assertEquals(0, back.predictiveScale(q).maxAbsDifference(m.predictiveScale(q)), 1e-12);
            assertEquals(m.degreesOfFreedom(), back.degreesOfFreedom(), 0);
            assertEquals(m.logMarginalLikelihood(), back.logMarginalLikelihood(), 0);
            assertEquals(java.util.Arrays.toString(m.inverseGammaPrior()), java.util.Arrays.toString(back.inverseGammaPrior()));
        }
    }

    @Test
    void badOptionsAreClearErrors() {
        var e = assertThrows(Kernels4jException.class, () -> StudentTProcess.builder(KERNEL).degreesOfFreedom(2).build());
        assertTrue(e.getMessage().contains("nu > 2"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> StudentTProcess.builder(KERNEL).inverseGammaPrior(0, 1).build());
        assertTrue(e.getMessage().contains("a > 0"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> StudentTProcess.builder(KERNEL).learnDegreesOfFreedom(true).build());
        assertTrue(e.getMessage().contains("search"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> StudentTProcess.builder(KERNEL).inverseGammaPrior(1, 1)
                .learnDegreesOfFreedom(true).optimize(HyperparameterSearch.builder().build()).build());
        assertTrue(e.getMessage().contains("covariance view"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> StudentTProcess.builder(null));
        assertThrows(Kernels4jException.class, () -> StudentTProcess.builder(KERNEL).noise(-1).build());
    }
}
