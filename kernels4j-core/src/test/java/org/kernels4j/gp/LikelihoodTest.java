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
        for (Likelihood l : ALL) {
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
}
