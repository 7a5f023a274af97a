package org.kernels4j.gp;

import org.kernels4j.linalg.SpecialFunctions;

/**
 * The predictive class-1 probability of Laplace GP classification, p = ∫σ(f)·N(f | μ, v) df with
 * σ(f) = 1/(1 + e^(−f)), computed to about 1e−14 absolute (measured against adaptive Simpson in
 * {@code GaussianProcessClassifierIntegralTest}; the smaller of p and 1 − p is also accurate
 * relatively, down to about 1e−300).
 *
 * <p>By the symmetry σ(−f) = 1 − σ(f) only q(m) = E[σ(f)], f ~ N(m, v), m = −|μ| ≤ 0 is integrated,
 * and p = q or 1 − q, so a near-certain probability never loses digits to cancellation. Two rules,
 * chosen by the standard deviation s = √v:
 * <ul>
 *   <li>s ≤ 1.5: {@value #HERMITE}-point Gauss–Hermite in t, f = m + s·t. σ(m + s·t) has its poles
 *       at Im t = ±π/s ≥ 2.09, far enough for the rule to converge geometrically.</li>
 *   <li>s &gt; 1.5 (where the logistic step is sharp on the scale of the Gaussian and Gauss–Hermite
 *       would converge slowly): the exact split σ(f) = 1[f &gt; 0] − sign(f)·σ(−|f|), so
 *       q = Φ(m/s) + ∫₀^∞ σ(−u)·[N(−u | m, v) − N(u | m, v)] du. The remainder's integrand has no
 *       step, decays like e^(−u), has poles only at Im u = ±π whatever v is, and is summed by
 *       20-point Gauss–Legendre on panels of width 2 over [0, 40] (beyond, e^(−u) &lt; 5e−18),
 *       extended to the right when the Gaussian's weight sits further out (|m| − v + 12s &gt; 40).</li>
 * </ul>
 * The probit approximation σ(μ/√(1 + πv/8)) (MacKay, 1992) stays available as
 * {@link #probit}: within about 0.02 of p, far cheaper.
 */
final class GaussianProcessClassifierIntegral {
    /** Gauss–Hermite points for s ≤ {@link #SWITCH}. */
    static final int HERMITE = 64;
    /** The standard deviation at which the rule changes. */
    static final double SWITCH = 1.5;
    private static final int LEGENDRE = 20;
    private static final double PANEL = 2;
    private static final double BASE_END = 40;
    private static final double MAX_END = 760; // σ(−u) underflows beyond ~745

    /** Gauss–Hermite nodes and weights for E over N(0, 1): Σ w_i·g(t_i) ≈ E[g(t)]. */
    private static final double[] HERMITE_T = new double[HERMITE];
    private static final double[] HERMITE_W = new double[HERMITE];
    /** Gauss–Legendre nodes and weights on [−1, 1]. */
    private static final double[] LEGENDRE_X = new double[LEGENDRE];
    private static final double[] LEGENDRE_W = new double[LEGENDRE];
    /** The nodes u_k on [0, 40] and the weights w_k·σ(−u_k) of the remainder, fixed once. */
    private static final double[] BASE_U;
    private static final double[] BASE_W;

    static {
        gaussHermite(HERMITE, HERMITE_T, HERMITE_W);
        for (int i = 0; i < HERMITE; i++) {
            HERMITE_T[i] *= Math.sqrt(2);
            HERMITE_W[i] /= Math.sqrt(Math.PI);
        }
        gaussLegendre(LEGENDRE, LEGENDRE_X, LEGENDRE_W);
        int panels = (int) (BASE_END / PANEL);
        BASE_U = new double[panels * LEGENDRE];
        BASE_W = new double[panels * LEGENDRE];
        for (int p = 0; p < panels; p++) {
            for (int k = 0; k < LEGENDRE; k++) {
                double u = PANEL * (p + 0.5 * (1 + LEGENDRE_X[k]));
                BASE_U[p * LEGENDRE + k] = u;
                BASE_W[p * LEGENDRE + k] = 0.5 * PANEL * LEGENDRE_W[k] * logisticOfMinus(u);
            }
        }
    }

    private GaussianProcessClassifierIntegral() {
    }

    /** ∫σ(f)·N(f | mean, var) df (σ(mean) when var is 0). */
    static double expectedSigmoid(double mean, double var) {
        if (!(var > 0)) {
            return GaussianProcessClassifier.sigmoid(mean);
        }
        double q = lowerHalf(-Math.abs(mean), var);
        return mean > 0 ? 1 - q : q;
    }

    /** ∫σ(f)·N(f | mean, var) df by the probit approximation σ(mean/√(1 + π·var/8)). */
    static double probit(double mean, double var) {
        return GaussianProcessClassifier.sigmoid(mean / Math.sqrt(1 + Math.PI * var / 8));
    }

    /** E[σ(f)] for f ~ N(m, v), m ≤ 0, v &gt; 0. */
    private static double lowerHalf(double m, double v) {
        double s = Math.sqrt(v);
        if (s <= SWITCH) {
            double sum = 0;
            for (int i = 0; i < HERMITE; i++) {
                sum += HERMITE_W[i] * GaussianProcessClassifier.sigmoid(m + s * HERMITE_T[i]);
            }
            return sum;
        }
        // remainder R = ∫₀^∞ σ(−u)·c·e^(−(u−a)²/2v)·(1 − e^(−2ua/v)) du with a = −m ≥ 0, c = 1/(s√(2π))
        double a = -m;
        double c = 1 / (s * Math.sqrt(2 * Math.PI));
        double r = 0;
        for (int k = 0; k < BASE_U.length; k++) {
            r += BASE_W[k] * remainderFactor(BASE_U[k], a, v);
        }
        double end = Math.min(MAX_END, a - v + 12 * s);
        for (double lo = BASE_END; lo < end; lo += PANEL) {
            for (int k = 0; k < LEGENDRE; k++) {
                double u = lo + 0.5 * PANEL * (1 + LEGENDRE_X[k]);
                r += 0.5 * PANEL * LEGENDRE_W[k] * logisticOfMinus(u) * remainderFactor(u, a, v);
            }
        }
        return SpecialFunctions.normalCdf(m / s) + c * r;
    }

    /** e^(−(u−a)²/2v)·(1 − e^(−2ua/v)), the Gaussian difference without cancellation at small a. */
    private static double remainderFactor(double u, double a, double v) {
        double d = u - a;
        return Math.exp(-d * d / (2 * v)) * -Math.expm1(-2 * u * a / v);
    }

    /** σ(−u) for u ≥ 0. */
    private static double logisticOfMinus(double u) {
        double e = Math.exp(-u);
        return e / (1 + e);
    }

    /**
     * Gauss–Hermite nodes and weights for ∫e^(−x²)g(x)dx by Newton's method on the orthonormal
     * Hermite recurrence, from the asymptotic first guesses of Numerical Recipes' gauher.
     */
    static void gaussHermite(int n, double[] x, double[] w) {
        final double pim4 = Math.pow(Math.PI, -0.25);
        double z = 0;
        for (int i = 0; i < (n + 1) / 2; i++) {
            if (i == 0) {
                z = Math.sqrt(2.0 * n + 1) - 1.85575 * Math.pow(2.0 * n + 1, -0.16667);
            } else if (i == 1) {
                z -= 1.14 * Math.pow(n, 0.426) / z;
            } else if (i == 2) {
                z = 1.86 * z - 0.86 * x[0];
            } else if (i == 3) {
                z = 1.91 * z - 0.91 * x[1];
            } else {
                z = 2.0 * z - x[i - 2];
            }
            double pp = 0;
            for (int it = 0; it < 100; it++) {
                double p1 = pim4;
                double p2 = 0;
                for (int j = 0; j < n; j++) {
                    double p3 = p2;
                    p2 = p1;
                    p1 = z * Math.sqrt(2.0 / (j + 1)) * p2 - Math.sqrt((double) j / (j + 1)) * p3;
                }
                pp = Math.sqrt(2.0 * n) * p2;
                double z1 = z;
                z = z1 - p1 / pp;
                if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z)) && it > 0) {
                    break;
                }
            }
            x[i] = z;
            x[n - 1 - i] = -z;
            w[i] = 2.0 / (pp * pp);
            w[n - 1 - i] = w[i];
        }
    }

    /** Gauss–Legendre nodes and weights on [−1, 1] (ascending), from the shared rule. */
    static void gaussLegendre(int n, double[] x, double[] w) {
        double[][] rule = org.kernels4j.linalg.Quadrature.gaussLegendre(n);
        System.arraycopy(rule[0], 0, x, 0, n);
        System.arraycopy(rule[1], 0, w, 0, n);
    }
}
