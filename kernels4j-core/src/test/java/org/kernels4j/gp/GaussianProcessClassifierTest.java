package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

class GaussianProcessClassifierTest {
    private static final Kernel K = KernelSpec.parse("4*rbf(length=0.7)");

    private static Matrix inverse(Matrix a, double[] logDet) {
        return TestData.inverseByEigen(a, logDet);
    }

    private static double[] solve(Matrix a, double[] b) {
        Matrix inv = inverse(a, new double[1]);
        double[] x = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            for (int j = 0; j < b.length; j++) {
                x[i] += inv.get(i, j) * b[j];
            }
        }
        return x;
    }

    /**
     * The mode, the approximate evidence and the latent predictions against a brute-force Newton
     * solve of max_f log p(t | f) − ½fᵀK⁻¹f with K⁻¹ formed explicitly (no Algorithm 3.1 tricks), on
     * a tiny 1-D problem with overlapping classes.
     */
    @Test
    void matchesABruteForceNewtonSolveOnTinyData() {
        double[] xs = {-2, -1.3, -0.4, 0.1, 0.3, 0.9, 1.6, 2.4};
        double[] t = {0, 0, 1, 0, 1, 1, 0, 1};
        Matrix x = Matrix.column(xs);
        Matrix k = GramEngine.gram(K, x);
        int n = xs.length;
        Matrix kInv = inverse(k, new double[1]);
        double[] f = new double[n];
        for (int it = 0; it < 50; it++) {
            double[] g = new double[n];
            Matrix negH = kInv.copy();
            for (int i = 0; i < n; i++) {
                double p = 1 / (1 + Math.exp(-f[i]));
                double kf = 0;
                for (int j = 0; j < n; j++) {
                    kf += kInv.get(i, j) * f[j];
                }
                g[i] = t[i] - p - kf;
                negH.set(i, i, negH.get(i, i) + p * (1 - p));
            }
            double[] step = solve(negH, g);
            for (int i = 0; i < n; i++) {
                f[i] += step[i];
            }
        }
        GaussianProcessClassifierModel m = GaussianProcessClassifier.builder(K).build().fit(x, Matrix.column(t));
        double[] mode = m.mode(0);
        for (int i = 0; i < n; i++) {
            assertEquals(f[i], mode[i], 1e-8);
        }
        // log q(y|X) = log p(t|f̂) − ½f̂ᵀK⁻¹f̂ − ½log det(I + KW)
        double logLik = 0;
        double quad = 0;
        Matrix ikw = Matrix.identity(n);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double p = 1 / (1 + Math.exp(-f[i]));
            w[i] = p * (1 - p);
            logLik += t[i] == 1 ? Math.log(p) : Math.log(1 - p);
            for (int j = 0; j < n; j++) {
                quad += f[i] * kInv.get(i, j) * f[j];
            }
        }
        Matrix sym = Matrix.identity(n); // I + W^½KW^½ has the determinant of I + KW and is symmetric
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                sym.set(i, j, sym.get(i, j) + Math.sqrt(w[i]) * k.get(i, j) * Math.sqrt(w[j]));
            }
        }
        double[] logDet = new double[1];
        inverse(sym, logDet);
        assertEquals(logLik - 0.5 * quad - 0.5 * logDet[0], m.logMarginalLikelihood(), 1e-8);
        // latent predictions: mean k*ᵀK⁻¹f̂, variance k** − k*ᵀ(K + W⁻¹)⁻¹k*
        Matrix xt = Matrix.column(-0.8, 0.2, 3.5);
        Matrix ks = GramEngine.cross(K, xt, x);
        Matrix kw = k.copy();
        for (int i = 0; i < n; i++) {
            kw.set(i, i, kw.get(i, i) + 1 / w[i]);
        }
        Matrix kwInv = inverse(kw, new double[1]);
        Matrix lat = m.latent(xt, 0);
        for (int j = 0; j < 3; j++) {
            double mean = 0;
            double red = 0;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    mean += ks.get(j, a) * kInv.get(a, b) * f[b];
                    red += ks.get(j, a) * kwInv.get(a, b) * ks.get(j, b);
                }
            }
            assertEquals(mean, lat.get(j, 0), 1e-8);
            assertEquals(4 - red, lat.get(j, 1), 1e-8);
        }
    }

    /** The probit approximation against the integral ∫σ(f)N(f | μ, v)df by a fine trapezoid rule. */
    @Test
    void probitApproximationIsWithinItsDocumentedAccuracy() {
        double worst = 0;
        for (double mu = -4; mu <= 4; mu += 0.5) {
            for (double v : new double[] {0.01, 0.5, 2, 10, 50}) {
                double sd = Math.sqrt(v);
                double s = 0;
                int steps = 20000;
                double h = 20 * sd / steps;
                for (int i = 0; i <= steps; i++) {
                    double z = mu - 10 * sd + i * h;
                    double wgt = (i == 0 || i == steps) ? 0.5 : 1;
                    s += wgt * GaussianProcessClassifier.sigmoid(z) * Math.exp(-(z - mu) * (z - mu) / (2 * v));
                }
                double exact = s * h / Math.sqrt(2 * Math.PI * v);
                worst = Math.max(worst, Math.abs(exact - GaussianProcessClassifier.probit(mu, v)));
            }
        }
        assertTrue(worst < 0.02, "worst error " + worst);
    }

    @Test
    void oneVersusRestClassifiesSeparatedClusters() {
        Matrix train = TestData.gaussian(90, 2, 0.4, 21);
        Matrix test = TestData.gaussian(60, 2, 0.4, 22);
        double[] centres = {-2, 0, 2};
        double[] labels = new double[90];
        double[] truth = new double[60];
        for (int i = 0; i < 90; i++) {
            labels[i] = 10 * (i % 3);
            train.set(i, 0, train.get(i, 0) + centres[i % 3]);
        }
        for (int i = 0; i < 60; i++) {
            truth[i] = 10 * (i % 3);
            test.set(i, 0, test.get(i, 0) + centres[i % 3]);
        }
        GaussianProcessClassifierModel m = GaussianProcessClassifier.builder(KernelSpec.parse("2*rbf(length=1)")).build().fit(train,
                Matrix.column(labels));
        assertEquals(3, m.classes().length);
        Matrix p = m.probabilities(test);
        double[] pred = m.predict(test).data();
        int right = 0;
        for (int i = 0; i < 60; i++) {
            assertEquals(1.0, p.get(i, 0) + p.get(i, 1) + p.get(i, 2), 1e-12);
            right += pred[i] == truth[i] ? 1 : 0;
        }
        assertTrue(right >= 55, right + " of 60 right");
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> GaussianProcessClassifier.builder(K).build().fit(Matrix.column(1, 2), Matrix.column(new double[] {1, 1})));
        assertTrue(e.getMessage().contains("at least two classes"), e.getMessage());
    }

    /**
     * Model probabilities equal the integral (adaptive Simpson reference) at the latent mean and
     * variance to 1e−11: near the data, far from it (variance back at the prior 50) and at
     * near-certain points; the probit option differs, and both survive the codec (old files without
     * the flag read as exact).
     */
    @Test
    void probabilitiesAreTheIntegralAtFarAndNearCertainPoints() {
        Matrix train = TestData.gaussian(40, 1, 0.3, 5);
        double[] labels = new double[40];
        for (int i = 0; i < 40; i++) {
            train.set(i, 0, train.get(i, 0) + (i % 2 == 0 ? -2 : 2));
            labels[i] = i % 2 == 0 ? 3 : 8;
        }
        Kernel big = KernelSpec.parse("50*rbf(length=1.5)");
        GaussianProcessClassifierModel exact = GaussianProcessClassifier.builder(big).build().fit(train, Matrix.column(labels));
        GaussianProcessClassifierModel probit = GaussianProcessClassifier.builder(big).approximateProbabilities(true).build()
                .fit(train, Matrix.column(labels));
        Matrix q = Matrix.column(-2, 2, -3, 0.05, 40, -1000);
        Matrix lat = exact.latent(q, 0);
        Matrix p = exact.probabilities(q);
        Matrix pp = probit.probabilities(q);
        double worstProbit = 0;
        for (int j = 0; j < q.rows(); j++) {
            double ref = GaussianProcessClassifierIntegralTest.reference(lat.get(j, 0), lat.get(j, 1));
            assertEquals(ref, p.get(j, 1), 1e-11, "row " + j);
            assertEquals(1.0, p.get(j, 0) + p.get(j, 1), 1e-15);
            worstProbit = Math.max(worstProbit, Math.abs(pp.get(j, 1) - ref));
        }
        assertEquals(50, lat.get(4, 1), 1e-9); // far away: the prior variance
        assertTrue(p.get(2, 0) > 0.8, "confident: " + p.get(2, 0)); // near-certain means: GaussianProcessClassifierIntegralTest
        assertTrue(worstProbit > 1e-4 && worstProbit < 0.02, "probit error " + worstProbit);
        assertEquals("quadrature", exact.report().text("probabilities"));
        org.kernels4j.model.ModelState state = new GaussianProcessClassifierCodec().encode(probit);
        assertTrue(state.flag("approximate_probabilities"));
        assertEquals(0.0, new GaussianProcessClassifierCodec().decode(state).probabilities(q).maxAbsDifference(pp), 0);
        java.util.Map<String, Object> old = new java.util.LinkedHashMap<>(state.fields());
        old.remove("approximate_probabilities");
        GaussianProcessClassifierModel fromOld = new GaussianProcessClassifierCodec().decode(
                org.kernels4j.model.ModelState.of("gpc", old, state.arrays()));
        assertEquals(0.0, fromOld.probabilities(q).maxAbsDifference(p), 1e-12);
    }

    /**
     * One-vs-rest reports: the iteration count is the sum over the binary problems and is named after the method
     * (Newton steps for Laplace); an index outside the problems is refused by name; both ends of (0, 1] are allowed
     * for the EP damping and the CVI step, 0 is not.
     */
    @Test
    void oneVersusRestReportOptionsAndProblemIndices() {
        Matrix x = TestData.gaussian(12, 2, 1.0, 21);
        Matrix y = new Matrix(12, 1);
        for (int i = 0; i < 12; i++) {
            y.set(i, 0, i % 3);
        }
        GaussianProcessClassifierModel laplace = GaussianProcessClassifier.builder(K).build().fit(x, y);
        long sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += laplace.iterations(c);
        }
        assertEquals(sum, laplace.report().number("newton_iterations"), 0);
        assertTrue(sum > 3, "each binary problem takes at least one step, and more: " + sum);
        assertTrue(!laplace.report().has("iterations"));
        GaussianProcessClassifierModel ep = GaussianProcessClassifier.builder(K).inference(InferenceMethod.EP).damping(1)
                .stepSize(1).build().fit(x, y);
        assertTrue(ep.report().has("iterations") && !ep.report().has("newton_iterations"));
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> laplace.iterations(3));
        assertEquals("problem 3 does not exist; the model has 3", e.getMessage());
        assertEquals(2, laplace.features());
        assertTrue(laplace.toString().contains("classes [0.0, 1.0, 2.0]"), laplace.toString());
        GaussianProcessClassifier.builder(K).inference(InferenceMethod.CVI).stepSize(1).damping(1).build();
        for (double[] bad : new double[][] {{0.5, 0}, {1.5, 0.5}, {0.5, 1.5}}) {
            e = assertThrows(Kernels4jException.class, () -> GaussianProcessClassifier.builder(K).damping(bad[0])
                    .stepSize(bad[1]).build());
            assertTrue(e.getMessage().startsWith("the EP damping and the CVI step must lie in (0, 1]"), e.getMessage());
        }
    }
}
