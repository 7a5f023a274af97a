package org.kernels4j.linalg;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Reference values of log K_ν(x) computed by routes other than {@link SpecialFunctions#logBesselK}:
 * the integral K_ν(x) = ½∫ exp(νt − x·cosh t) dt over the real line (trapezoid rule, exponentially
 * convergent for this entire, doubly-exponentially decaying integrand; the step is halved until two
 * steps agree to 10⁻¹⁵), and the half-integer closed forms summed exactly in BigDecimal. Shared by
 * the Bessel and Matérn tests.
 */
public final class BesselReference {
    private BesselReference() {
    }

    /** log K_ν(x) by the trapezoid rule on ½∫ exp(νt − x cosh t) dt, shifted by its peak at t* = asinh(ν/x). */
    public static double quadrature(double nu, double x) {
        double tStar = nu == 0 ? 0 : asinh(nu, x);
        // φ(t*) = ν t* − x cosh t* = ν asinh(ν/x) − √(ν² + x²)
        double peak = nu * tStar - Math.hypot(nu, x);
        double h = Math.min(0.25, 0.25 / Math.sqrt(Math.sqrt(nu * nu + x * x)));
        double previous = Double.NaN;
        for (int halving = 0; halving < 12; halving++) {
            double sum = 1; // u = 0
            for (int dir = -1; dir <= 1; dir += 2) {
                for (int k = 1; ; k++) {
                    double g = Math.exp(shifted(nu, x, tStar, dir * k * h));
                    sum += g;
                    if (g < 1e-22 && k > 4) {
                        break;
                    }
                }
            }
            double value = peak + Math.log(0.5 * h * sum);
            if (Math.abs(value - previous) < 1e-15 * Math.max(1, Math.abs(value))) {
                return value;
            }
            previous = value;
            h /= 2;
        }
        throw new AssertionError("quadrature did not converge at nu=" + nu + ", x=" + x);
    }

    /** φ(t* + u) − φ(t*) = νu − 2x·sinh(t* + u/2)·sinh(u/2), written to avoid cancellation and overflow. */
    private static double shifted(double nu, double x, double tStar, double u) {
        double a = tStar + u / 2;
        double sh = Math.sinh(u / 2);
        double drop;
        if (Math.abs(a) > 30) {
            // 2x·sinh(a) = ±exp(log x + |a|) to double precision here
            drop = Math.signum(a) * Math.exp(Math.log(x) + Math.abs(a)) * sh;
        } else {
            drop = 2 * x * Math.sinh(a) * sh;
        }
        return nu * u - drop;
    }

    /** asinh(ν/x) = log(ν/x + √(1 + (ν/x)²)), in logs when ν/x is huge. */
    private static double asinh(double nu, double x) {
        double y = nu / x;
        if (y > 1e150) {
            return Math.log(2) + Math.log(nu) - Math.log(x);
        }
        return y < 1e-3 ? y - y * y * y / 6 + 3 * Math.pow(y, 5) / 40 : Math.log(y + Math.sqrt(1 + y * y));
    }

    /** log K_{n+½}(x) from the terminating sum, with the polynomial summed exactly in BigDecimal. */
    public static double halfInteger(int n, double x) {
        MathContext mc = new MathContext(40);
        BigDecimal twoX = new BigDecimal(x).multiply(BigDecimal.valueOf(2));
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal coefficient = BigDecimal.ONE; // (n+k)!/(k!(n−k)!)
        BigDecimal power = BigDecimal.ONE; // (2x)^k
        for (int k = 0; k <= n; k++) {
            if (k > 0) {
                coefficient = coefficient.multiply(BigDecimal.valueOf((long) (n + k) * (n - k + 1)))
                        .divide(BigDecimal.valueOf(k), mc);
                power = power.multiply(twoX, mc);
            }
            sum = sum.add(coefficient.divide(power, mc), mc);
        }
        // log of a BigDecimal: unscaled digits as a double times a power of ten
        int shift = sum.precision() - sum.scale() - 1;
        double logSum = Math.log(sum.movePointLeft(shift).doubleValue()) + shift * Math.log(10);
        return 0.5 * Math.log(Math.PI / (2 * x)) - x + logSum;
    }

}
