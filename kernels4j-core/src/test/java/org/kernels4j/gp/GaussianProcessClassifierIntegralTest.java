package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The predictive probability ∫σ(f)·N(f | μ, v) df against an independent rule written here:
 * adaptive Simpson (with Richardson's correction) in t, f = μ + √v·t, on [−40, 40] split at the
 * logistic's centre t = −μ/√v and at 0, to a tolerance of 1e−12 relative to a coarse first
 * estimate of the integral (shared out over the intervals by length).
 */
class GaussianProcessClassifierIntegralTest {

    /** E[σ(f)], f ~ N(mu, v), by adaptive Simpson; the logistic in the form that keeps tiny values. */
    static double reference(double mu, double v) {
        double s = Math.sqrt(v);
        DoubleUnaryOperator g = t -> {
            double f = mu + s * t;
            double sig = f >= 0 ? 1 / (1 + Math.exp(-f)) : Math.exp(f) / (1 + Math.exp(f));
            return sig * Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
        };
        double centre = Math.max(-40, Math.min(40, -mu / s));
        double[] cuts = centre < 0 ? new double[] {-40, centre, 0, 40} : new double[] {-40, 0, centre, 40};
        // coarse estimate (trapezoid on 20001 points) to set the tolerance
        double coarse = 0;
        for (int i = 0; i <= 20000; i++) {
            coarse += g.applyAsDouble(-40 + 80.0 * i / 20000) * 80.0 / 20000;
        }
        double tol = 1e-12 * Math.max(coarse, 1e-300);
        long[] evaluations = {0};
        DoubleUnaryOperator counted = t -> {
            if (++evaluations[0] > 20_000_000) {
                throw new IllegalStateException("the reference did not converge for mu = " + mu + ", v = " + v);
            }
            return g.applyAsDouble(t);
        };
        double sum = 0;
        for (int i = 0; i + 1 < cuts.length; i++) {
            double a = cuts[i];
            double b = cuts[i + 1];
            if (b > a) {
                double fa = counted.applyAsDouble(a);
                double fb = counted.applyAsDouble(b);
                double fm = counted.applyAsDouble(0.5 * (a + b));
                sum += simpson(counted, a, b, fa, fm, fb, (b - a) / 6 * (fa + 4 * fm + fb), tol * (b - a) / 80, 50);
            }
        }
        return sum;
    }

    private static double simpson(DoubleUnaryOperator g, double a, double b, double fa, double fm, double fb,
            double whole, double tol, int depth) {
        double m = 0.5 * (a + b);
        double lm = 0.5 * (a + m);
        double rm = 0.5 * (m + b);
        double flm = g.applyAsDouble(lm);
        double frm = g.applyAsDouble(rm);
        double left = (m - a) / 6 * (fa + 4 * flm + fm);
        double right = (b - m) / 6 * (fm + 4 * frm + fb);
        double diff = left + right - whole;
        if (depth <= 0 || Math.abs(diff) <= 15 * tol) {
            return left + right + diff / 15;
        }
        return simpson(g, a, m, fa, flm, fm, left, tol / 2, depth - 1)
                + simpson(g, m, b, fm, frm, fb, right, tol / 2, depth - 1);
    }

    @Test
    void quadratureRulesIntegrateWhatTheyShould() {
        double[] x = new double[64];
        double[] w = new double[64];
        GaussianProcessClassifierIntegral.gaussHermite(64, x, w);
        double m0 = 0;
        double m2 = 0;
        double m10 = 0;
        for (int i = 0; i < 64; i++) {
            m0 += w[i];
            m2 += w[i] * x[i] * x[i];
            m10 += w[i] * Math.pow(x[i], 10);
        }
        assertEquals(Math.sqrt(Math.PI), m0, 1e-14); // ∫e^(−x²) = √π, ∫x²e^(−x²) = √π/2, ∫x¹⁰e^(−x²) = 945√π/32
        assertEquals(Math.sqrt(Math.PI) / 2, m2, 1e-14);
        assertEquals(945 * Math.sqrt(Math.PI) / 32, m10, 1e-11);
        double[] lx = new double[20];
        double[] lw = new double[20];
        GaussianProcessClassifierIntegral.gaussLegendre(20, lx, lw);
        double s0 = 0;
        double s38 = 0;
        for (int i = 0; i < 20; i++) {
            s0 += lw[i];
            s38 += lw[i] * Math.pow(lx[i], 38);
        }
        assertEquals(2, s0, 1e-14);
        assertEquals(2.0 / 39, s38, 1e-14);
    }

    /**
     * Over a grid of means and variances from 1e−6 to 1e6 (both rules, both sides of the switch,
     * far-from-data variances and near-certain means) the error is below 1e−11 absolute, and the
     * smaller of p and 1 − p is right to 1e−9 relatively.
     */
    @Test
    void matchesAdaptiveSimpsonEverywhere() {
        double worstAbs = 0;
        double worstRel = 0;
        double worstProbit = 0;
        for (double v : new double[] {1e-6, 0.01, 0.3, 1, 2, 2.2, 2.3, 4, 10, 50, 300, 1e4, 1e6}) {
            for (double mu : new double[] {0, 1e-3, 0.4, -0.9, 2, -3.5, 7, -15, 30, -60, 150, -400}) {
                double ref = reference(-Math.abs(mu), v); // the smaller side
                double exactRef = mu > 0 ? 1 - ref : ref;
                double p = GaussianProcessClassifierIntegral.expectedSigmoid(mu, v);
                double small = mu > 0 ? GaussianProcessClassifierIntegral.expectedSigmoid(-mu, v) : p;
                worstAbs = Math.max(worstAbs, Math.abs(p - exactRef));
                if (ref > 1e-290) {
                    worstRel = Math.max(worstRel, Math.abs(small - ref) / ref);
                }
                assertTrue(p >= 0 && p <= 1, mu + ", " + v);
                assertEquals(1.0, p + GaussianProcessClassifierIntegral.expectedSigmoid(-mu, v), 1e-15);
                worstProbit = Math.max(worstProbit, Math.abs(GaussianProcessClassifierIntegral.probit(mu, v) - exactRef));
            }
        }
        System.out.printf("expectedSigmoid: max abs error %.3g, max relative error of the smaller side %.3g; "
                + "probit approximation max abs error %.3g%n", worstAbs, worstRel, worstProbit);
        assertTrue(worstAbs < 1e-11, "absolute error " + worstAbs);
        assertTrue(worstRel < 1e-9, "relative error " + worstRel);
        assertTrue(worstProbit > 1e-3, "the probit approximation is an approximation: " + worstProbit);
    }

    @Test
    void knownValues() {
        assertEquals(0.5, GaussianProcessClassifierIntegral.expectedSigmoid(0, 7.3), 1e-16);
        assertEquals(GaussianProcessClassifier.sigmoid(1.3), GaussianProcessClassifierIntegral.expectedSigmoid(1.3, 0), 0);
        // v → 0: σ(μ) + ½σ''(μ)v
        double mu = 0.7;
        double sg = GaussianProcessClassifier.sigmoid(mu);
        double second = sg * (1 - sg) * (1 - 2 * sg);
        assertEquals(sg + 0.5 * second * 1e-5, GaussianProcessClassifierIntegral.expectedSigmoid(mu, 1e-5), 1e-11);
    }

    /**
     * Golub–Welsch, written here: the n nodes of a Gauss rule are the eigenvalues of its Jacobi matrix
     * (zero diagonal; off-diagonal b_k = √(k/2) for Hermite's e^(−x²), k/√(4k² − 1) for Legendre on [−1, 1]),
     * found by bisection on Sturm counts to the last bits, and each weight is 1/Σ_k p_k(x)² with p_k the
     * orthonormal polynomials of that matrix (p_0 = 1/√μ_0, μ_0 = √π or 2). The rule's own moments (above)
     * do not see the outermost Hermite nodes, whose weights are below 1e-40; this sees every node.
     * Tolerances: nodes 1e-13·max(1, |x|) (both sides are accurate to a few ulps), weights 1e-10 relative
     * (the three-term sum loses a few digits).
     */
    @Test
    void quadratureNodesAndWeightsAreTheJacobiMatrixEigenvalues() {
        checkAgainstGolubWelsch(64, true);
        checkAgainstGolubWelsch(20, false);
    }

    private static void checkAgainstGolubWelsch(int n, boolean hermite) {
        double[] x = new double[n];
        double[] w = new double[n];
        if (hermite) {
            GaussianProcessClassifierIntegral.gaussHermite(n, x, w);
        } else {
            GaussianProcessClassifierIntegral.gaussLegendre(n, x, w);
        }
        double[] b = new double[n]; // b[k] couples k−1 and k, k = 1..n−1
        for (int k = 1; k < n; k++) {
            b[k] = hermite ? Math.sqrt(k / 2.0) : k / Math.sqrt(4.0 * k * k - 1);
        }
        double mu0 = hermite ? Math.sqrt(Math.PI) : 2;
        double bound = 0; // Gershgorin
        for (int k = 0; k < n; k++) {
            bound = Math.max(bound, (k > 0 ? b[k] : 0) + (k + 1 < n ? b[k + 1] : 0));
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (i, j) -> Double.compare(x[i], x[j]));
        for (int e = 0; e < n; e++) {
            // the e-th smallest eigenvalue: the least t with more than e eigenvalues below it
            double lo = -bound - 1;
            double hi = bound + 1;
            for (int it = 0; it < 200 && hi - lo > 0; it++) {
                double mid = 0.5 * (lo + hi);
                if (mid == lo || mid == hi) {
                    break;
                }
                if (sturmCount(b, mid) > e) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            double node = 0.5 * (lo + hi);
            double sum = 0;
            double pPrev = 0;
            double p = 1 / Math.sqrt(mu0);
            for (int k = 0; k < n; k++) {
                sum += p * p;
                if (k + 1 < n) {
                    double next = (node * p - (k > 0 ? b[k] * pPrev : 0)) / b[k + 1];
                    pPrev = p;
                    p = next;
                }
            }
            int i = order[e];
            assertEquals(node, x[i], 1e-13 * Math.max(1, Math.abs(node)), (hermite ? "Hermite" : "Legendre") + " node " + e);
            assertEquals(1 / sum, w[i], 1e-10 / sum, (hermite ? "Hermite" : "Legendre") + " weight " + e);
        }
    }

    /** The number of eigenvalues below t of the symmetric tridiagonal matrix (0 diagonal, b off it). */
    private static int sturmCount(double[] b, double t) {
        int count = 0;
        double d = 1;
        for (int k = 0; k < b.length; k++) {
            d = -t - (k > 0 ? b[k] * b[k] / d : 0);
            if (d == 0) {
                d = -1e-300;
            }
            if (d < 0) {
                count++;
            }
        }
        return count;
    }
}
