package org.kernels4j.linalg;

/** Special functions the JDK lacks: erf, erfc and the standard normal CDF. */
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
}
