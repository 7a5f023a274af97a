package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.ToDoubleBiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NotPositiveDefiniteException;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.svm.SupportVectorMachine;

/**
 * The kernlab / scikit-learn kernels (sigmoid, anova, bessel, spline, chi2, additive_chi2) against
 * their definitions written out here as plain loops (not the kernels' code paths), through
 * {@link GramEngine}; positive semi-definiteness where it is claimed, and explicit indefinite
 * examples where it is not. The generic contract (gradients, composites, spec printing) is
 * {@link KernelContractTest}'s.
 */
class ClassicKernelsTest {
    private static final Matrix X = TestData.gaussian(40, 4, 0.8, 7);
    private static final Matrix Z = TestData.gaussian(9, 4, 0.8, 8);
    private static final Matrix XPOS = abs(TestData.gaussian(40, 4, 0.8, 9));
    private static final Matrix ZPOS = abs(TestData.gaussian(9, 4, 0.8, 10));

    private static Matrix abs(Matrix m) {
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = Math.abs(m.data()[i]);
        }
        return m;
    }

    // ------------------------------------------------------------- definitions, written out by hand

    private static double dot(double[] x, double[] z) {
        double s = 0;
        for (int f = 0; f < x.length; f++) {
            s += x[f] * z[f];
        }
        return s;
    }

    static double sigmoid(double[] x, double[] z, double gamma, double coef0) {
        return Math.tanh(gamma * dot(x, z) + coef0);
    }

    static double anova(double[] x, double[] z, double sigma, int degree) {
        double s = 0;
        for (int f = 0; f < x.length; f++) {
            s += Math.exp(-sigma * (x[f] - z[f]) * (x[f] - z[f]));
        }
        double k = 1;
        for (int p = 0; p < degree; p++) {
            k *= s;
        }
        return k;
    }

    /** J_n by its defining power series (A&amp;S 9.1.10), summed in full: good to ~10⁻¹³ for the t ≤ 10 used here. */
    static double besselJSeries(int n, double t) {
        double sum = 0;
        for (int k = 0; k < 80; k++) {
            double term = Math.pow(-1, k) * Math.pow(t / 2, 2 * k + n) / (factorial(k) * factorial(n + k));
            sum += term;
        }
        return sum;
    }

    private static double factorial(int k) {
        double f = 1;
        for (int i = 2; i <= k; i++) {
            f *= i;
        }
        return f;
    }

    /** kernlab's besseldot code: lim = 1/(Γ(ν+1)2^ν), res = J_ν(t)·t^(−ν) (lim below 1e-4), (res/lim)^degree. */
    static double bessel(double[] x, double[] z, double sigma, int order, int degree) {
        double lim = 1 / (factorial(order) * Math.pow(2, order));
        double t = sigma * Math.sqrt(sqDist(x, z));
        double res = t < 1e-4 ? lim : besselJSeries(order, t) * Math.pow(t, -order);
        return Math.pow(res / lim, degree);
    }

    private static double sqDist(double[] x, double[] z) {
        double s = 0;
        for (int f = 0; f < x.length; f++) {
            s += (x[f] - z[f]) * (x[f] - z[f]);
        }
        return s;
    }

    /** kernlab's splinedot: prod(1 + x*y*(1+minv) - ((x+y)/2)*minv^2 + (minv^3)/3). */
    static double spline(double[] x, double[] z) {
        double p = 1;
        for (int f = 0; f < x.length; f++) {
            double m = Math.min(x[f], z[f]);
            p *= 1 + x[f] * z[f] * (1 + m) - (x[f] + z[f]) / 2 * m * m + m * m * m / 3;
        }
        return p;
    }

    /** scikit-learn's chi2 distance Σ (x−z)²/(x+z) with 0 where x + z = 0. */
    static double chi2Distance(double[] x, double[] z) {
        double s = 0;
        for (int f = 0; f < x.length; f++) {
            if (x[f] + z[f] != 0) {
                s += (x[f] - z[f]) * (x[f] - z[f]) / (x[f] + z[f]);
            }
        }
        return s;
    }

    private record Case(String spec, ToDoubleBiFunction<double[], double[]> definition, boolean nonNegative,
            boolean psd) {
    }

    private static final List<Case> CASES = List.of(
            new Case("sigmoid()", (x, z) -> sigmoid(x, z, 1, 1), false, false),
            new Case("tanh(gamma=0.2, coef0=-0.3)", (x, z) -> sigmoid(x, z, 0.2, -0.3), false, false),
            new Case("anova()", (x, z) -> anova(x, z, 1, 1), false, true),
            new Case("anova(sigma=0.4, degree=3)", (x, z) -> anova(x, z, 0.4, 3), false, true),
            new Case("bessel()", (x, z) -> bessel(x, z, 1, 1, 1), false, true),
            new Case("bessel(sigma=1.7, order=2, degree=3)", (x, z) -> bessel(x, z, 1.7, 2, 3), false, true),
            new Case("bessel(sigma=0.6, order=5, degree=2)", (x, z) -> bessel(x, z, 0.6, 5, 2), false, true),
            new Case("spline()", ClassicKernelsTest::spline, true, true),
            new Case("chi2()", (x, z) -> Math.exp(-chi2Distance(x, z)), true, true),
            new Case("chi2(gamma=0.25)", (x, z) -> Math.exp(-0.25 * chi2Distance(x, z)), true, true),
            new Case("additive_chi2()", (x, z) -> -chi2Distance(x, z), true, false));

    @Test
    void gramAndCrossEqualTheDefinitions() {
        for (Case c : CASES) {
            Kernel k = KernelSpec.parse(c.spec());
            Matrix x = c.nonNegative() ? XPOS : X;
            Matrix z = c.nonNegative() ? ZPOS : Z;
            assertClose(reference(c.definition(), x, x), GramEngine.gram(k, x), 1e-12, c.spec() + " gram");
            assertClose(reference(c.definition(), x, z), GramEngine.cross(k, x, z), 1e-12, c.spec() + " cross");
            for (int i = 0; i < 5; i++) {
                assertEquals(c.definition().applyAsDouble(x.row(i), z.row(i)), k.value(x.row(i), z.row(i)),
                        1e-12 * Math.max(1, Math.abs(k.value(x.row(i), z.row(i)))), c.spec() + " value()");
            }
        }
    }

    @Test
    void specsRoundTrip() {
        for (Case c : CASES) {
            Kernel k = KernelSpec.parse(c.spec());
            Kernel back = KernelSpec.parse(k.toSpec());
            assertEquals(k, back, c.spec());
            assertEquals(k.toSpec(), back.toSpec(), c.spec());
        }
        assertEquals("sigmoid(gamma=0.2, coef0=-0.3)", KernelSpec.parse("tanh(gamma=0.2, coef0=-0.3)").toSpec());
        assertEquals("bessel(sigma=1, order=1, degree=1)", KernelSpec.parse("bessel()").toSpec());
        assertEquals("additive_chi2()", KernelSpec.parse("additive_chi2()").toSpec());
        assertEquals("chi2(gamma=1)", KernelSpec.parse("chi_squared()").toSpec());
    }

    /** Smallest eigenvalue ≥ −10⁻¹⁰·trace for the PSD kernels on 40 random points (non-negative ones for spline, chi2). */
    @Test
    void psdKernelsHavePsdGramMatrices() {
        for (Case c : CASES) {
            if (!c.psd()) {
                continue;
            }
            Matrix x = c.nonNegative() ? XPOS : X;
            Matrix g = GramEngine.gram(KernelSpec.parse(c.spec()), x);
            double trace = 0;
            for (int i = 0; i < x.rows(); i++) {
                trace += g.get(i, i);
            }
            double min = SymmetricEigen.of(g).value(0);
            assertTrue(min >= -1e-10 * trace, c.spec() + ": smallest eigenvalue " + min + ", trace " + trace);
        }
    }

    /** The catalog says which kernels are indefinite and which want non-negative features, and `kernels` prints it. */
    @Test
    void catalogDeclaresIndefiniteAndNonNegativeKernels() {
        assertFalse(SigmoidKernel.TYPE.positiveSemiDefinite());
        assertFalse(ChiSquaredKernel.ADDITIVE_TYPE.positiveSemiDefinite());
        for (KernelCatalog.Type t : List.of(AnovaKernel.TYPE, BesselKernel.TYPE, SplineKernel.TYPE, ChiSquaredKernel.TYPE,
                RbfKernel.TYPE)) {
            assertTrue(t.positiveSemiDefinite(), t.name());
        }
        assertTrue(ChiSquaredKernel.TYPE.nonNegativeInputs());
        assertTrue(ChiSquaredKernel.ADDITIVE_TYPE.nonNegativeInputs());
        assertTrue(SplineKernel.TYPE.nonNegativeInputs());
        assertFalse(RbfKernel.TYPE.nonNegativeInputs());
        assertTrue(SigmoidKernel.TYPE.caveat().contains("NOT positive semi-definite"));
        assertTrue(BesselKernel.TYPE.caveat().contains("order >= d/2 - 1"));
    }

    /**
     * Sigmoid: x = (2, 0), z = (−2, 0), γ = 1, c₀ = −1 give K = [[tanh 3, tanh(−5)], [tanh(−5), tanh 3]],
     * whose eigenvalue tanh 3 − tanh 5 is negative; and on the 40 random points the default sigmoid's
     * Gram matrix has a clearly negative eigenvalue too.
     */
    @Test
    void sigmoidIsIndefinite() {
        Matrix two = Matrix.of(new double[][] {{2, 0}, {-2, 0}});
        Matrix g = GramEngine.gram(new SigmoidKernel(1, -1), two);
        assertEquals(Math.tanh(3), g.get(0, 0), 1e-15);
        assertEquals(Math.tanh(-5), g.get(0, 1), 1e-15);
        assertEquals(Math.tanh(3) - Math.tanh(5), SymmetricEigen.of(g).value(0), 1e-14);
        assertTrue(SymmetricEigen.of(g).value(0) < -0.004);
        Matrix big = GramEngine.gram(KernelSpec.parse("sigmoid()"), X);
        double min = SymmetricEigen.of(big).value(0);
        assertTrue(min < -1e-3, "smallest eigenvalue " + min);
    }

    /** additive_chi2: zero diagonal, so two distinct histograms give eigenvalues ±D with D > 0. */
    @Test
    void additiveChi2IsIndefinite() {
        Matrix two = Matrix.of(new double[][] {{1, 0, 2}, {0, 0, 1}});
        Matrix g = GramEngine.gram(ChiSquaredKernel.additive(), two);
        double d = 1.0 + 1.0 / 3; // (1−0)²/1 + 0 (0+0 = 0) + (2−1)²/3
        assertEquals(0.0, g.get(0, 0), 0.0);
        assertEquals(-d, g.get(0, 1), 1e-15);
        assertEquals(-d, SymmetricEigen.of(g).value(0), 1e-14);
    }

    /** Spline with negative features: at x = z = −4 the one-feature kernel is 1 + 16 − 64/3 &lt; 0 (kernlab's formula). */
    @Test
    void splineIsNotPsdForNegativeFeatures() {
        double v = new SplineKernel().value(new double[] {-4}, new double[] {-4});
        assertEquals(1 + 16 - 64.0 / 3, v, 1e-13);
        assertTrue(v < 0);
    }

    /** bessel(order=1): k = 2·J_1(t)/t, with J_1(2) = 0.5767248077568734 (A&amp;S Table 9.1), and k(x, x) = 1. */
    @Test
    void besselMatchesTabulatedValues() {
        Kernel k = new BesselKernel(1, 1, 1);
        assertEquals(0.5767248077568734, k.value(new double[] {0, 0}, new double[] {2, 0}), 1e-15);
        // order 0, degree 2, t = 10: J_0(10)² = 0.2459357644513483²
        assertEquals(0.2459357644513483 * 0.2459357644513483,
                new BesselKernel(2, 0, 2).value(new double[] {0}, new double[] {5}), 1e-15);
        assertEquals(1.0, k.value(new double[] {1, 2}, new double[] {1, 2}), 0.0);
        assertEquals(1.0, GramEngine.gram(k, X).get(3, 3), 0.0);
    }

    @Test
    void anovaDiagonalIsDimensionToTheDegree() {
        assertEquals(64.0, GramEngine.gram(new AnovaKernel(0.3, 3), X).get(5, 5), 1e-12);
    }

    @Test
    void chi2RejectsNegativeFeaturesNamingRowAndFeature() {
        Matrix bad = XPOS.copy();
        bad.set(3, 1, -0.5);
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> GramEngine.gram(ChiSquaredKernel.exponential(1), bad));
        assertEquals("chi2 needs non-negative features (histograms, counts), got -0.5 at row 3, feature 1 (counted from 0)",
                e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> GramEngine.cross(ChiSquaredKernel.additive(), XPOS, bad));
        assertTrue(e.getMessage().contains("at row 3 of the second input, feature 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> ChiSquaredKernel.exponential(1).value(new double[] {1, Double.NaN}, new double[] {1, 1}));
        assertTrue(e.getMessage().contains("got NaN in feature 1"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sigmoid(gamma=0)", "sigmoid(coef0=x)", "anova(degree=0)", "anova(sigma=-1)",
        "bessel(order=21)", "bessel(order=1.5)", "bessel(degree=0)", "chi2(gamma=-1)", "spline(a=1)",
        "additive_chi2(gamma=1)"})
    void badParametersAreSpecErrors(String spec) {
        assertThrows(KernelSpecException.class, () -> KernelSpec.parse(spec));
    }

    /**
     * What an indefinite kernel does to the learners: a Gaussian process (Cholesky of K + σ²I) stops
     * with a NotPositiveDefiniteException naming the matrix, not an internal error; the SVM trains.
     */
    @Test
    void choleskyLearnersRefuseIndefiniteGramMatricesAndTheSvmAcceptsThem() {
        Matrix y = new Matrix(X.rows(), 1);
        for (int i = 0; i < X.rows(); i++) {
            y.set(i, 0, X.get(i, 0) > 0 ? 1 : -1);
        }
        Kernel sigmoid = KernelSpec.parse("sigmoid()");
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> GaussianProcess.builder(sigmoid).noise(1e-6).build().fit(X, y));
        assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
        var model = SupportVectorMachine.classifier(KernelSpec.parse("sigmoid(gamma=0.1, coef0=0)")).build().fit(X, y);
        assertEquals(X.rows(), model.predict(X).rows());
    }

    // --------------------------------------------------------------------------------- helpers

    private static Matrix reference(ToDoubleBiFunction<double[], double[]> k, Matrix x, Matrix z) {
        Matrix r = new Matrix(x.rows(), z.rows());
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < z.rows(); j++) {
                r.set(i, j, k.applyAsDouble(x.row(i), z.row(j)));
            }
        }
        return r;
    }

    private static void assertClose(Matrix expected, Matrix actual, double relative, String what) {
        double scale = 0;
        for (double v : expected.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = expected.maxAbsDifference(actual);
        assertTrue(worst <= relative * Math.max(scale, 1e-300), what + ": error " + worst + " (scale " + scale + ")");
    }
}
