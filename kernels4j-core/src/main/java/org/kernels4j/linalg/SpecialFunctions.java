package org.kernels4j.linalg;

/**
 * Special functions the JDK lacks: erf, erfc, the standard normal CDF, Bessel functions J_n and the
 * logarithm of the modified Bessel function of the second kind, log K_ν(x).
 */
public final class SpecialFunctions {
    private SpecialFunctions() {
    }

    /** Standard normal CDF Φ(x) = erfc(−x/√2)/2. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /** erf(x) to ~1e−15 (Numerical Recipes' erfc Chebyshev fit, 3rd ed., written out here). */
    public static double erf(double x) {
        return x >= 0 ? 1 - erfc(x) : erfc(-x) - 1;
    }

    // Why hand-written: the JDK has no erf, and pulling in a math library for one function is not worth it.
    private static final double[] ERFC_COF = {-1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2,
        -9.561514786808631e-3, -9.46595344482036e-4, 3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5,
        -1.624290004647e-6, 1.303655835580e-6, 1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9,
        -9.91364156e-10, -2.27365122e-10, 9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13,
        -1.12708e-13, 3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17};

    public static double erfc(double x) {
        if (x < 0) {
            return 2 - erfc(-x);
        }
        double t = 2 / (2 + x);
        double ty = 4 * t - 2;
        double d = 0;
        double dd = 0;
        for (int j = ERFC_COF.length - 1; j > 0; j--) {
            double tmp = d;
            d = ty * d - dd + ERFC_COF[j];
            dd = tmp;
        }
        return t * Math.exp(-x * x + 0.5 * (ERFC_COF[0] + ty * d) - dd);
    }

    /** Orders above this are refused by {@link #besselJ}: the methods below are tested up to it. */
    public static final int MAX_BESSEL_ORDER = 50;

    /**
     * The Bessel function of the first kind J_n(x) for an integer order 0 ≤ n ≤ {@link #MAX_BESSEL_ORDER}
     * and any finite x (J_n(−x) = (−1)ⁿ J_n(x)). Absolute error below about 10⁻¹⁴ (tested against
     * Abramowitz &amp; Stegun, Tables 9.1, 9.2 and 9.4).
     *
     * <p>Method: for |x| ≤ 2 the power series Σ_k (−x²/4)^k (x/2)ⁿ/(k!(n+k)!), which has no
     * cancellation there; for |x| up to max(40, n²) Miller's backward recurrence
     * J_{k−1} = (2k/x)J_k − J_{k+1}, started far enough above max(n, x) to have converged and
     * normalized by J_0 + 2Σ_{k≥1} J_{2k} = 1 (Numerical Recipes §6.5; A&amp;S 9.12); beyond, Hankel's
     * asymptotic expansion (A&amp;S 9.2.5), summed until its terms stop decreasing.
     */
    public static double besselJ(int n, double x) {
        if (n < 0 || n > MAX_BESSEL_ORDER) {
            throw new IllegalArgumentException("Bessel order must be between 0 and " + MAX_BESSEL_ORDER + ", got " + n);
        }
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return Double.isNaN(x) ? Double.NaN : 0.0;
        }
        if (x < 0) {
            double v = besselJ(n, -x);
            return (n & 1) == 0 ? v : -v;
        }
        if (x == 0) {
            return n == 0 ? 1.0 : 0.0;
        }
        if (x <= 2) {
            return besselSeries(n, x);
        }
        if (x <= Math.max(40, (double) n * n)) {
            return besselMiller(n, x);
        }
        return besselHankel(n, x);
    }

    private static double besselSeries(int n, double x) {
        double h = 0.5 * x;
        double lead = 1;
        for (int k = 1; k <= n; k++) {
            lead *= h / k;
        }
        double q = -h * h;
        double term = 1;
        double sum = 1;
        for (int k = 1; k < 60; k++) {
            term *= q / ((double) k * (n + k));
            sum += term;
            if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return lead * sum;
    }

    private static double besselMiller(int n, double x) {
        double top = Math.max(n, x);
        int start = 2 * ((int) (top + 20 + 4 * Math.cbrt(top * top)) / 2 + 1);
        double next = 0; // J_{k+1}
        double cur = 1e-300; // J_k, unnormalized
        double sum = 0; // 2 Σ J_{2k}, k ≥ 1, so far
        double wanted = 0;
        double twoOverX = 2 / x;
        for (int k = start; k > 0; k--) {
            double prev = k * twoOverX * cur - next; // J_{k-1}
            next = cur;
            cur = prev;
            if (k - 1 == n) {
                wanted = cur;
            }
            if (((k - 1) & 1) == 0 && k - 1 > 0) {
                sum += 2 * cur;
            }
            if (Math.abs(cur) > 1e250) { // rescale to avoid overflow
                cur *= 1e-250;
                next *= 1e-250;
                sum *= 1e-250;
                wanted *= 1e-250;
            }
        }
        // cur is now J_0
        return wanted / (sum + cur);
    }

    private static double besselHankel(int n, double x) {
        double mu = 4.0 * n * n;
        double p = 0;
        double q = 0;
        double term = 1; // a_k(n)/x^k with a_k = Π_{j=1..k}(mu − (2j−1)²)/(k!·8^k)
        double last = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 200; k++) {
            if (k > 0) {
                double odd = 2.0 * k - 1;
                term *= (mu - odd * odd) / (k * 8.0 * x);
            }
            double size = Math.abs(term);
            if (size > last || size == 0) {
                break;
            }
            last = size;
            // P = a_0 − a_2/x² + a_4/x⁴ − …,  Q = a_1/x − a_3/x³ + …
            double signed = ((k / 2) & 1) == 0 ? term : -term;
            if ((k & 1) == 0) {
                p += signed;
            } else {
                q += signed;
            }
            if (size < 1e-17 * Math.abs(p)) {
                break;
            }
        }
        double phase = (0.5 * n + 0.25) * Math.PI;
        double chiCos = Math.cos(x) * Math.cos(phase) + Math.sin(x) * Math.sin(phase);
        double chiSin = Math.sin(x) * Math.cos(phase) - Math.cos(x) * Math.sin(phase);
        return Math.sqrt(2 / (Math.PI * x)) * (p * chiCos - q * chiSin);
    }

    /** From this order on {@link #logBesselK} uses the uniform (Debye) expansion; below it, Temme/Steed and recurrence. */
    static final double DEBYE_ORDER = 25;
    /** Beyond this argument (and below {@link #DEBYE_ORDER}) {@link #logBesselK} uses Hankel's large-x expansion. */
    static final double HANKEL_ARGUMENT = 1e4;
    /**
     * Taylor coefficients a_k of 1/Γ(1+x) = Σ a_k x^k (A&amp;S 6.1.34 shifted by one; these 28 digits-exact
     * values are from mpmath's {@code taylor(rgamma(1+x))}); |x| ≤ ½ needs about 26 of them for 10⁻¹⁷.
     */
    private static final double[] RGAMMA_TAYLOR = {1.0, 0.57721566490153286061, -0.65587807152025388108,
        -0.042002635034095235529, 0.1665386113822914895, -0.042197734555544336748, -0.0096219715278769735621,
        0.0072189432466630995424, -0.0011651675918590651121, -0.00021524167411495097282, 0.00012805028238811618615,
        -0.000020134854780788238656, -1.2504934821426706573e-6, 1.1330272319816958824e-6, -2.0563384169776071035e-7,
        6.1160951044814158179e-9, 5.0020076444692229301e-9, -1.1812745704870201446e-9, 1.0434267116911005105e-10,
        7.782263439905071254e-12, -3.6968056186422057082e-12, 5.100370287454475979e-13, -2.0583260535665067832e-14,
        -5.3481225394230179824e-15, 1.2267786282382607902e-15, -1.1812593016974587695e-16,
        1.1866922547516003326e-18, 1.4123806553180317816e-18};
    /** Number of Debye polynomials u_0 … u_{n−1} kept; at ν ≥ 25 the last one used is far below 10⁻¹⁷. */
    private static final int DEBYE_TERMS = 21;
    /** Coefficients of the Debye polynomials: u_k(p) = Σ_j DEBYE[k][j]·p^j (DLMF 10.41.10). */
    private static final double[][] DEBYE = debyePolynomials(DEBYE_TERMS);

    /**
     * The natural logarithm of the modified Bessel function of the second kind, log K_ν(x), for real
     * order ν (K_{−ν} = K_ν) and x &gt; 0, with no overflow or underflow anywhere: log K_ν(x) is finite
     * for every finite ν and every x in (0, ∞), e.g. log K_{10⁵}(10⁻³⁰⁰) ≈ 7·10⁷ and log K_0(10³⁰⁰) ≈ −10³⁰⁰.
     * Returns +∞ at x = 0, −∞ at x = +∞ and NaN for x &lt; 0 or a NaN argument.
     *
     * <p>Accuracy: |error| ≤ 10⁻¹² · max(1, |log K_ν(x)|) against quadrature and closed-form references
     * over ν ∈ [0, 10⁵], x ∈ [10⁻³⁰⁰, 10³⁰⁰] (docs/structured-gp-kernels.md gives the figures), except
     * near the zero of log K_ν(x) at large ν, where the absolute error is a few ν·ε (ε = 2⁻⁵²): there the
     * value is a difference of two terms of size ν and moves by that much when x or ν moves by one ulp.
     *
     * <p>Method (as in Temme 1975, Numerical Recipes §6.7 {@code bessik}, and the case split of
     * "Accurate computation of the logarithm of modified Bessel functions"), with μ = ν − round(ν),
     * |μ| ≤ ½, everything carried as logarithms and ratios:
     * <ul>
     *   <li>ν ≥ 25: the uniform asymptotic expansion K_ν(νz) ~ √(π/(2ν)) e^{−νη}(1+z²)^{−1/4}
     *       Σ_k (−1)^k u_k(p)/ν^k (DLMF 10.41.4), p = (1+z²)^{−1/2}, −νη = ν·asinh(ν/x) − √(ν²+x²), with
     *       up to 20 Debye polynomials generated at start-up from their recurrence (DLMF 10.41.10);
     *       uniform in x, O(1) per call.</li>
     *   <li>ν &lt; 25, x ≤ 2: Temme's series for K_μ and K_{μ+1}, with 1/Γ(1 ± μ) from their Taylor series
     *       (no cancellation at μ → 0);</li>
     *   <li>ν &lt; 25, 2 &lt; x ≤ 10⁴: Steed's continued fraction CF2 for K_μ and K_{μ+1};</li>
     *   <li>ν &lt; 25, x &gt; 10⁴: Hankel's expansion log K_ν(x) = ½log(π/2x) − x + log Σ a_k(ν)/x^k (DLMF 10.40.2);</li>
     *   <li>then the forward recurrence K_{μ+j+1} = K_{μ+j−1} + (2(μ+j)/x)K_{μ+j} (stable upwards), run on
     *       the ratios s_j = x·K_{μ+j+1}/K_{μ+j} = 2(μ+j) + x²/s_{j−1}, so that nothing overflows.</li>
     * </ul>
     * Cost: at most 25 recurrence steps plus one series, continued fraction or expansion (tens to a
     * few hundred flops). Why hand-written: Commons Numbers and the JDK have no K_ν, and Commons Math's
     * Bessel functions are not in log space (they overflow for small x and large ν).
     */
    public static double logBesselK(double nu, double x) {
        if (Double.isNaN(nu) || Double.isNaN(x) || x < 0) {
            return Double.NaN;
        }
        nu = Math.abs(nu);
        if (x == 0 || Double.isInfinite(nu)) {
            return x == Double.POSITIVE_INFINITY ? Double.NaN : Double.POSITIVE_INFINITY;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        if (nu >= DEBYE_ORDER) {
            return logBesselKDebye(nu, x);
        }
        if (x > HANKEL_ARGUMENT) {
            return logBesselKHankel(nu, x);
        }
        int n = (int) Math.rint(nu);
        double mu = nu - n;
        double[] start = x <= 2 ? temme(mu, x) : steed(mu, x); // {log K_μ(x), x·K_{μ+1}(x)/K_μ(x)}
        double log = start[0];
        if (n == 0) {
            return log;
        }
        // log K_{μ+n} = log K_μ + Σ_{j<n} log(s_j/x); the product of the s_j is rescaled before it can overflow
        double s = start[1];
        double product = s;
        double x2 = x * x;
        for (int j = 1; j < n; j++) {
            s = 2 * (mu + j) + x2 / s;
            product *= s;
            if (product > 1e280) {
                log += Math.log(product);
                product = 1;
            }
        }
        return log + Math.log(product) - n * Math.log(x);
    }

    /**
     * Temme's series (x ≤ 2, |μ| ≤ ½): {log K_μ(x), x·K_{μ+1}(x)/K_μ(x)}. The series are summed in
     * plain doubles: with |μ| ≤ ½ their terms stay below about 10¹⁶¹ even at x = 4.9·10⁻³²⁴.
     */
    private static double[] temme(double mu, double x) {
        double half = 0.5 * x;
        double pimu = Math.PI * mu;
        double fact = Math.abs(pimu) < 1e-15 ? 1.0 : pimu / Math.sin(pimu);
        double d = -Math.log(half);
        double e = mu * d;
        double fact2 = Math.abs(e) < 1e-15 ? 1.0 : Math.sinh(e) / e;
        // Temme's Γ₁ = (1/Γ(1−μ) − 1/Γ(1+μ))/(2μ) and Γ₂ = (1/Γ(1−μ) + 1/Γ(1+μ))/2 from the Taylor series
        // 1/Γ(1+x) = Σ a_k x^k: Γ₁ = −Σ_{k odd} a_k μ^{k−1}, Γ₂ = Σ_{k even} a_k μ^k, free of the
        // cancellation that differences of Γ values suffer as μ → 0
        double mu2 = mu * mu;
        double gam1 = 0;
        double gam2 = 0;
        for (int k = RGAMMA_TAYLOR.length - 1; k >= 1; k -= 2) {
            gam1 = gam1 * mu2 - RGAMMA_TAYLOR[k];
        }
        for (int k = RGAMMA_TAYLOR.length - 2; k >= 0; k -= 2) {
            gam2 = gam2 * mu2 + RGAMMA_TAYLOR[k];
        }
        double gPlus = gam2 - mu * gam1; // 1/Γ(1+μ)
        double gMinus = gam2 + mu * gam1; // 1/Γ(1−μ)
        double ff = fact * (gam1 * Math.cosh(e) + gam2 * fact2 * d);
        double sum = ff;
        double ee = Math.exp(e);
        double p = 0.5 * ee / gPlus; // (x/2)^{−μ}·Γ(1+μ)/2
        double q = 0.5 / (ee * gMinus); // (x/2)^{μ}·Γ(1−μ)/2
        double c = 1;
        double dd = half * half;
        double sum1 = p;
        for (int i = 1; i < 500; i++) {
            ff = (i * ff + p + q) / (i * (double) i - mu2);
            c *= dd / i;
            p /= i - mu;
            q /= i + mu;
            double del = c * ff;
            sum += del;
            sum1 += c * (p - i * ff);
            if (Math.abs(del) < Math.abs(sum) * 1e-17) {
                break;
            }
        }
        // K_μ = sum, K_{μ+1} = (2/x)·sum1
        return new double[] {Math.log(sum), 2 * sum1 / sum};
    }

    /** Steed's continued fraction CF2 (2 &lt; x ≤ 10⁴, |μ| ≤ ½): {log K_μ(x), x·K_{μ+1}(x)/K_μ(x)}. */
    private static double[] steed(double mu, double x) {
        double b = 2 * (1 + x);
        double d = 1 / b;
        double h = d;
        double delh = d;
        double q1 = 0;
        double q2 = 1;
        double a1 = 0.25 - mu * mu;
        double q = a1;
        double c = a1;
        double a = -a1;
        double s = 1 + q * delh;
        for (int i = 1; i < 100_000; i++) {
            a -= 2 * i;
            c = -a * c / (i + 1.0);
            double qnew = (q1 - b * q2) / a;
            q1 = q2;
            q2 = qnew;
            q += c * qnew;
            b += 2;
            d = 1 / (b + a * d);
            delh = (b * d - 1) * delh;
            h += delh;
            double dels = q * delh;
            s += dels;
            if (Math.abs(dels / s) < 1e-17) {
                break;
            }
        }
        h = a1 * h;
        return new double[] {0.5 * Math.log(Math.PI / (2 * x)) - x - Math.log(s), mu + x + 0.5 - h};
    }

    /** Hankel's expansion for x &gt; 10⁴ and ν &lt; 25, where its terms fall by a factor of at least 30 each. */
    private static double logBesselKHankel(double nu, double x) {
        double m = 4 * nu * nu;
        double term = 1;
        double sum = 1;
        for (int k = 1; k < 60; k++) {
            double odd = 2.0 * k - 1;
            term *= (m - odd * odd) / (8.0 * k * x);
            sum += term;
            if (Math.abs(term) < 1e-17 * sum) {
                break;
            }
        }
        return 0.5 * (Math.log(Math.PI / 2) - Math.log(x)) - x + Math.log(sum); // 2x may overflow
    }

    /** The uniform expansion for ν ≥ 25 (see {@link #logBesselK}). */
    private static double logBesselKDebye(double nu, double x) {
        double hyp = Math.hypot(nu, x);
        double p = nu / hyp;
        double minusNuEta = nu * asinhOfRatio(nu, x) - hyp;
        // ¼·log(1 + z²) = ½·log(√(ν²+x²)/ν)
        return 0.5 * Math.log(Math.PI / (2 * nu)) + minusNuEta - 0.5 * Math.log(hyp / nu)
                + Math.log(debyeSum(p, nu));
    }

    /**
     * The series Σ_k (−1)^k u_k(p)/ν^k of K_ν's uniform expansion (DLMF 10.41.4), summed until its terms
     * fall below 10⁻¹⁷ of the sum; for ν ≥ 25 and p ∈ [0, 1], where it is accurate to about 10⁻¹⁶.
     * (The Matérn kernel combines it with Stirling's series for Γ(ν).)
     */
    public static double debyeSum(double p, double nu) {
        double inv = 1 / nu;
        double sum = 1;
        double scale = 1;
        for (int k = 1; k < DEBYE_TERMS; k++) {
            scale *= -inv;
            double[] c = DEBYE[k];
            double u = 0;
            for (int j = c.length - 1; j >= 0; j--) {
                u = u * p + c[j];
            }
            double term = scale * u;
            sum += term;
            if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return sum;
    }

    /** asinh(a/b) for a, b &gt; 0 without forming a/b when it would overflow. */
    static double asinhOfRatio(double a, double b) {
        double y = a / b;
        if (y > 1e8 || Double.isInfinite(y)) {
            // asinh(y) = log(2y) + 1/(4y²) − …, with log y = log a − log b
            double inv = b / a;
            return Math.log(2) + Math.log(a) - Math.log(b) + 0.25 * inv * inv;
        }
        return Math.log1p(y + y * y / (1 + Math.sqrt(1 + y * y)));
    }

    /**
     * The Debye polynomials u_0 … u_{n−1} as coefficient arrays (u_k has degree 3k), from
     * u_{k+1}(p) = ½p²(1 − p²)u_k'(p) + ⅛∫₀^p (1 − 5t²)u_k(t) dt, u_0 = 1 (DLMF 10.41.10).
     */
    static double[][] debyePolynomials(int n) {
        double[][] u = new double[n][];
        u[0] = new double[] {1};
        for (int k = 0; k + 1 < n; k++) {
            double[] c = u[k];
            double[] next = new double[c.length + 3];
            for (int j = 0; j < c.length; j++) {
                next[j + 1] += 0.5 * j * c[j] + c[j] / (8.0 * (j + 1));
                next[j + 3] += -0.5 * j * c[j] - 5 * c[j] / (8.0 * (j + 3));
            }
            u[k + 1] = next;
        }
        return u;
    }
}
