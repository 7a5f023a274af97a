package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

/** Likelihood expectations, derivatives and tilted moments against closed forms and brute-force quadrature. */
class LikelihoodTest {
    private static final List<Likelihood> ALL = List.of(Likelihood.gaussian(0.3), Likelihood.probit(), Likelihood.logit(),
            Likelihood.poisson(), Likelihood.studentT(4, 0.5));

    /** An observation valid for each likelihood. */
    private static double observation(Likelihood l) {
        return switch (l.toSpec()) {
            case "poisson" -> 3;
            case "probit", "logit" -> 1;
            default -> 0.7;
        };
    }

    /** ∫g(f)·N(f; m, v) df by the composite Simpson rule on m ± 14 sd (20,000 panels): a route independent of Gauss–Hermite. */
    private static double brute(DoubleUnaryOperator g, double m, double v) {
        double sd = Math.sqrt(v);
        int n = 20000;
        double a = m - 14 * sd;
        double h = 28 * sd / n;
        double s = 0;
        for (int i = 0; i <= n; i++) {
            double f = a + i * h;
            double w = i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2);
            s += w * g.applyAsDouble(f) * Math.exp(-0.5 * (f - m) * (f - m) / v) / Math.sqrt(2 * Math.PI * v);
        }
        return s * h / 3;
    }

    @Test
    void gaussianAndPoissonExpectationsMatchTheirClosedForms() {
        double s2 = 0.3;
        double y = 1.4;
        double m = 0.2;
        double v = 0.8;
        Likelihood.Expectation g = Likelihood.gaussian(s2).expectation(y, m, v);
        assertEquals(-0.5 * Math.log(2 * Math.PI * s2) - ((y - m) * (y - m) + v) / (2 * s2), g.value(), 1e-12);
        assertEquals((y - m) / s2, g.dMean(), 1e-12);
        assertEquals(-1 / (2 * s2), g.dVariance(), 1e-12);
        double logFactorial = Math.log(2) + Math.log(3) + Math.log(4) + Math.log(5);
        Likelihood.Expectation p = Likelihood.poisson().expectation(5, m, v);
        double e = Math.exp(m + v / 2); // E[e^f] for f ~ N(m, v)
        assertEquals(5 * m - e - logFactorial, p.value(), 1e-10);
        assertEquals(5 - e, p.dMean(), 1e-10);
        assertEquals(-0.5 * e, p.dVariance(), 1e-10);
        assertEquals(logFactorial, Likelihood.logGamma(6), 1e-12);
    }

    @Test
    void expectationsMatchBruteForceAndTheirDerivativesMatchFiniteDifferences() {
        double m = -0.4;
        double v = 1.7;
        for (Likelihood l : ALL) {
            double y = observation(l);
            DoubleUnaryOperator logp = f -> l.logDensity(y, f);
            Likelihood.Expectation e = l.expectation(y, m, v);
            assertEquals(brute(logp, m, v), e.value(), 1e-9, l.toSpec());
            double h = 1e-4;
            double dm = (brute(logp, m + h, v) - brute(logp, m - h, v)) / (2 * h);
            double dv = (brute(logp, m, v + h) - brute(logp, m, v - h)) / (2 * h);
            assertEquals(dm, e.dMean(), 1e-6, l.toSpec() + " dE/dm");
            assertEquals(dv, e.dVariance(), 1e-6, l.toSpec() + " dE/dv");
        }
    }

    @Test
    void derivativesMatchFiniteDifferencesOfTheLogDensity() {
        double h = 1e-4;
        List<Likelihood> all = new java.util.ArrayList<>(ALL);
        all.add(Likelihood.studentT(3, 0.4)); // ν·s² ≠ 1, unlike the (4, 0.5) above
        for (Likelihood l : all) {
            double y = observation(l);
            for (double f : new double[] {-2.3, -0.1, 0.9, 2.6}) {
                double[] d = l.derivatives(y, f);
                double[] up = l.derivatives(y, f + h);
                double[] down = l.derivatives(y, f - h);
                assertEquals((l.logDensity(y, f + h) - l.logDensity(y, f - h)) / (2 * h), d[0], 1e-6, l + " d1");
                assertEquals((up[0] - down[0]) / (2 * h), d[1], 1e-6, l + " d2");
                assertEquals((up[1] - down[1]) / (2 * h), d[2], 1e-6, l + " d3");
            }
        }
        // label 0 mirrors label 1: log p(0 | f) = log p(1 | −f)
        assertEquals(Likelihood.probit().logDensity(1, 1.3), Likelihood.probit().logDensity(0, -1.3), 1e-15);
        assertEquals(Likelihood.logit().logDensity(1, 1.3), Likelihood.logit().logDensity(0, -1.3), 1e-15);
    }

    @Test
    void tiltedMomentsMatchBruteForceEvenForASharpLikelihoodUnderAWideCavity() {
        double[][] cavities = {{0.3, 0.5}, {-1.0, 4.0}, {2.0, 25.0}};
        for (Likelihood l : ALL) {
            for (double yy : new double[] {observation(l), l.toSpec().equals("poisson") ? 40 : observation(l)}) {
                for (double[] c : cavities) {
                    double y = yy;
                    Likelihood.Tilted t = l.tiltedMoments(y, c[0], c[1]);
                    double z = brute(f -> Math.exp(l.logDensity(y, f)), c[0], c[1]);
                    double m1 = brute(f -> f * Math.exp(l.logDensity(y, f)), c[0], c[1]) / z;
                    double m2 = brute(f -> (f - m1) * (f - m1) * Math.exp(l.logDensity(y, f)), c[0], c[1]) / z;
                    String what = l + " y=" + y + " cavity " + c[0] + "," + c[1];
                    assertEquals(Math.log(z), t.logZ(), 1e-6, what);
                    assertEquals(m1, t.mean(), 1e-6 * (1 + Math.abs(m1)), what);
                    assertEquals(m2, t.variance(), 1e-6 * m2 + 1e-9, what);
                }
            }
        }
    }

    @Test
    void farTailOfTheProbitIsFinite() {
        // log Φ(−40) by the asymptotic series vs log of φ(z)/(−z)·(1 − 1/z²) (its first two terms)
        double z = -40;
        double reference = -0.5 * z * z - Math.log(-z) - 0.5 * Math.log(2 * Math.PI) + Math.log(1 - 1 / (z * z));
        assertEquals(reference, Likelihood.logNormalCdf(z), 1e-5);
        assertTrue(Double.isFinite(Likelihood.probit().expectation(0, 35, 2).value()));
    }

    @Test
    void badObservationsGetOneClearMessage() {
        Kernels4jException label = assertThrows(Kernels4jException.class,
                () -> Likelihood.probit().validate(new double[] {0, 1, 2}));
        assertEquals("the probit likelihood needs labels 0 or 1; row 3 has 2.0", label.getMessage());
        Kernels4jException negative = assertThrows(Kernels4jException.class,
                () -> Likelihood.poisson().validate(new double[] {1, -1}));
        assertTrue(negative.getMessage().contains("non-negative integer counts; row 2 has -1.0"), negative.getMessage());
        Kernels4jException fraction = assertThrows(Kernels4jException.class,
                () -> Likelihood.poisson().validate(new double[] {2.5}));
        assertTrue(fraction.getMessage().contains("row 1 has 2.5"), fraction.getMessage());
        assertThrows(Kernels4jException.class, () -> Likelihood.studentT(0, 1));
        assertThrows(Kernels4jException.class, () -> Likelihood.gaussian(-1));
        Kernels4jException unknown = assertThrows(Kernels4jException.class, () -> Likelihood.parse("cauchy"));
        assertTrue(unknown.getMessage().startsWith("unknown likelihood 'cauchy'"), unknown.getMessage());
        for (Likelihood l : ALL) {
            assertEquals(l.toSpec(), Likelihood.parse(l.toSpec()).toSpec());
        }
    }

    /**
     * An N-point rule built here (not the shared 96-point one, made once at class loading) integrates t^k against
     * the standard normal exactly for k &lt; 2N: E[t^k] = (k − 1)!! for even k, 0 for odd k; its nodes are
     * symmetric and its weights positive, summing to 1.
     */
    @Test
    void aGaussHermiteRuleIsExactForPolynomialsOfDegreeBelowTwiceItsSize() {
        for (int points : new int[] {1, 2, 5, 8}) {
            GaussHermiteRule rule = new GaussHermiteRule(points);
            assertEquals(points, rule.size());
            for (int k = 0; k < 2 * points; k++) {
                double moment = 0;
                double absolute = 0; // Σ w|t|^k: the scale of the rounding in the sum
                for (int i = 0; i < points; i++) {
                    moment += rule.weight(i) * Math.pow(rule.node(i), k);
                    absolute += rule.weight(i) * Math.pow(Math.abs(rule.node(i)), k);
                }
                double exact = k % 2 == 1 ? 0 : 1;
                for (int j = k - 1; j > 0; j -= 2) {
                    exact *= j;
                }
                assertEquals(exact, moment, 1e-12 * Math.max(1, absolute), points + " points, t^" + k);
            }
            for (int i = 0; i < points; i++) {
                assertTrue(rule.weight(i) > 0);
            }
        }
        // the 2-point rule in closed form: nodes ±1, weights ½
        GaussHermiteRule two = new GaussHermiteRule(2);
        assertEquals(1, Math.abs(two.node(0)), 1e-14);
        assertEquals(-two.node(0), two.node(1), 1e-14);
        assertEquals(0.5, two.weight(0), 1e-14);
    }

    /**
     * The Student-t density against closed forms: ν = 1 is the Cauchy density 1/(πs(1 + r²/s²)); ν = 3 has
     * p(y | y) = 2/(π√3·s); ν = 4 has p(y | y) = 3/(8s). The base values from Γ(1/2) = √π, Γ(1/4) = 3.62560990822190831.
     */
    @Test
    void studentTDensityAndLogGammaMatchClosedForms() {
        for (double s : new double[] {0.5, 2.0}) {
            Likelihood cauchy = Likelihood.studentT(1, s);
            for (double r : new double[] {0, 0.3, -1.7, 12}) {
                assertEquals(-Math.log(Math.PI * s * (1 + r * r / (s * s))), cauchy.logDensity(0.4 + r, 0.4), 1e-13,
                        "cauchy s=" + s + " r=" + r);
            }
            assertEquals(Math.log(2 / (Math.PI * Math.sqrt(3) * s)), Likelihood.studentT(3, s).logDensity(1, 1), 1e-13);
            assertEquals(Math.log(3 / (8 * s)), Likelihood.studentT(4, s).logDensity(-2, -2), 1e-13);
        }
        assertEquals(0.5 * Math.log(Math.PI), Likelihood.logGamma(0.5), 1e-14);
        assertEquals(Math.log(3.62560990822190831), Likelihood.logGamma(0.25), 1e-14);
    }

    /**
     * log Φ(−x) in the far tail against Laplace's continued fraction Φ(−x) = φ(x)/(x + 1/(x + 2/(x + 3/(x + …)))),
     * evaluated bottom-up with 200 terms (an independent route to the asymptotic series the code sums).
     */
    @Test
    void logNormalCdfInTheFarTailMatchesTheContinuedFraction() {
        for (double x : new double[] {30.5, 31, 35, 50}) {
            double cf = x;
            for (int k = 200; k >= 1; k--) {
                cf = x + k / cf;
            }
            double reference = -0.5 * x * x - 0.5 * Math.log(2 * Math.PI) - Math.log(cf);
            assertEquals(reference, Likelihood.logNormalCdf(-x), 1e-9, "x = " + x);
        }
    }

    /**
     * Edge cases of the quadratures: a Student-t expectation at variance 0 is log p at the mean (and its
     * derivatives); a variance below 1 and a sharp Student-t (scale 0.05) under a wide N(m, 4) still match brute
     * force; label 0 of the Bernoulli likelihoods and a cavity far from the likelihood's mass (small variance, so
     * the tilted mode is far from where Newton starts) too.
     */
    @Test
    void expectationsAndTiltedMomentsAtTheEdges() {
        Likelihood t = Likelihood.studentT(3, 0.4);
        Likelihood.Expectation zero = t.expectation(0.7, -0.2, 0);
        double[] d = t.derivatives(0.7, -0.2);
        assertEquals(t.logDensity(0.7, -0.2), zero.value(), 1e-13);
        assertEquals(d[0], zero.dMean(), 1e-13);
        assertEquals(0.5 * d[1], zero.dVariance(), 1e-13);
        List<Likelihood> all = new java.util.ArrayList<>(ALL);
        all.add(t);
        for (Likelihood l : all) {
            double y = observation(l);
            Likelihood.Expectation e = l.expectation(y, 0.3, 0.3);
            assertEquals(brute(f -> l.logDensity(y, f), 0.3, 0.3), e.value(), 1e-9, l + " at variance 0.3");
        }
        Likelihood sharp = Likelihood.studentT(3, 0.05);
        assertEquals(brute(f -> sharp.logDensity(0.7, f), -0.4, 4), sharp.expectation(0.7, -0.4, 4).value(), 1e-5);
        for (Likelihood l : List.of(Likelihood.probit(), Likelihood.logit())) {
            for (double f : new double[] {-1.1, 0.4, 2.2}) {
                double h = 1e-4;
                assertEquals((l.logDensity(0, f + h) - l.logDensity(0, f - h)) / (2 * h), l.derivatives(0, f)[0], 1e-6,
                        l + " label 0");
            }
        }
        double[][] cases = {{0, 0.5, 1.5}, {3, 4.0, 0.01}, {40, -3.0, 25}, {1, -6.0, 0.05}, {2, 5.0, 0.02}};
        for (Likelihood l : all) {
            for (double[] c : cases) {
                double y = l.isBernoulli() ? (c[0] == 0 ? 0 : 1) : l.toSpec().equals("poisson") ? c[0] : c[0] == 40 ? 0.7 : c[0];
                Likelihood.Tilted tm = l.tiltedMoments(y, c[1], c[2]);
                double z = brute(f -> Math.exp(l.logDensity(y, f)), c[1], c[2]);
                double m1 = brute(f -> f * Math.exp(l.logDensity(y, f)), c[1], c[2]) / z;
                double m2 = brute(f -> (f - m1) * (f - m1) * Math.exp(l.logDensity(y, f)), c[1], c[2]) / z;
                String what = l + " y=" + y + " cavity " + c[1] + "," + c[2];
                assertEquals(Math.log(z), tm.logZ(), 1e-6, what);
                assertEquals(m1, tm.mean(), 1e-6 * (1 + Math.abs(m1)), what);
                assertEquals(m2, tm.variance(), 1e-6 * m2 + 1e-9, what);
            }
        }
    }

    /**
     * expectationJacobian: its first two entries are the expectation's own derivatives, and the other four are
     * the derivatives of those two in m and v, checked by central differences of {@link Likelihood#expectation}.
     */
    @Test
    void theExpectationJacobianIsTheDerivativeOfTheExpectationsDerivatives() {
        double m = 0.35;
        double v = 0.9;
        double h = 1e-5;
        for (Likelihood l : List.of(Likelihood.gaussian(0.3), Likelihood.probit(), Likelihood.logit(),
                Likelihood.poisson())) {
            for (double y : l.isBernoulli() ? new double[] {0, 1} : new double[] {observation(l)}) {
                double[] j = l.expectationJacobian(y, m, v);
                Likelihood.Expectation e = l.expectation(y, m, v);
                assertEquals(e.dMean(), j[0], 1e-12, l.toSpec());
                assertEquals(e.dVariance(), j[1], 1e-12, l.toSpec());
                Likelihood.Expectation mu = l.expectation(y, m + h, v);
                Likelihood.Expectation md = l.expectation(y, m - h, v);
                Likelihood.Expectation vu = l.expectation(y, m, v + h);
                Likelihood.Expectation vd = l.expectation(y, m, v - h);
                assertEquals((mu.dMean() - md.dMean()) / (2 * h), j[2], 1e-7, l + " ∂E_m/∂m");
                assertEquals((vu.dMean() - vd.dMean()) / (2 * h), j[3], 1e-7, l + " ∂E_m/∂v");
                assertEquals((mu.dVariance() - md.dVariance()) / (2 * h), j[4], 1e-7, l + " ∂E_v/∂m");
                assertEquals((vu.dVariance() - vd.dVariance()) / (2 * h), j[5], 1e-7, l + " ∂E_v/∂v");
            }
        }
    }

    /**
     * Predictive means E[y*] = ∫E[y | f]·N(f; m, v) df against brute force (Φ, σ, e^f, f), which likelihoods are
     * Bernoulli, what each accepts (0 is a count; a finite value is a Gaussian or Student-t target), the rule
     * named in each message, and the option bounds (zero noise, zero scale refused).
     */
    @Test
    void predictiveMeansObservationRulesAndBounds() {
        double m = -0.6;
        double v = 1.3;
        assertEquals(m, Likelihood.gaussian(0.3).predictiveMean(m, v), 0);
        assertEquals(m, Likelihood.studentT(4, 0.5).predictiveMean(m, v), 0);
        assertEquals(brute(f -> org.kernels4j.linalg.SpecialFunctions.normalCdf(f), m, v),
                Likelihood.probit().predictiveMean(m, v), 1e-9);
        assertEquals(brute(f -> 1 / (1 + Math.exp(-f)), m, v), Likelihood.logit().predictiveMean(m, v), 1e-9);
        assertEquals(brute(Math::exp, m, v), Likelihood.poisson().predictiveMean(m, v), 1e-9);
        for (Likelihood l : ALL) {
            assertEquals(l.toSpec().equals("probit") || l.toSpec().equals("logit"), l.isBernoulli(), l.toSpec());
            assertEquals(l.toSpec(), l.toString());
        }
        Likelihood.poisson().validate(new double[] {0, 2, 7});
        Likelihood.logit().validate(new double[] {0, 1, 1});
        Likelihood.gaussian(0.3).validate(new double[] {-4.5, 1e300});
        Likelihood.studentT(4, 0.5).validate(new double[] {-4.5, 1e300});
        assertEquals("the logit likelihood needs labels 0 or 1; row 2 has 0.5",
                assertThrows(Kernels4jException.class, () -> Likelihood.logit().validate(new double[] {1, 0.5})).getMessage());
        assertEquals("the logit likelihood needs labels 0 or 1; row 1 has -1.0",
                assertThrows(Kernels4jException.class, () -> Likelihood.logit().validate(new double[] {-1})).getMessage());
        assertEquals("the gaussian(noise=0.3) likelihood needs finite targets; row 2 has Infinity",
                assertThrows(Kernels4jException.class, () -> Likelihood.gaussian(0.3).validate(
                        new double[] {0, Double.POSITIVE_INFINITY})).getMessage());
        assertEquals("the student-t(nu=4.0,scale=0.5) likelihood needs finite targets; row 1 has NaN",
                assertThrows(Kernels4jException.class, () -> Likelihood.studentT(4, 0.5).validate(
                        new double[] {Double.NaN})).getMessage());
        assertThrows(Kernels4jException.class, () -> Likelihood.gaussian(0));
        assertThrows(Kernels4jException.class, () -> Likelihood.studentT(4, 0));
        assertThrows(Kernels4jException.class, () -> Likelihood.studentT(4, Double.POSITIVE_INFINITY));
    }
}
