package org.kernels4j.privacy;

import java.math.BigInteger;
import org.kernels4j.Kernels4jException;

/**
 * The noise step shared by every private release here: the snapping (geometric) mechanism on a
 * power-of-two grid. The true values are first brought onto the grid γℤ exactly (integers counted in
 * grid steps, see each release), then each gets γ·Z with Z an exact discrete Laplace of scale
 * τ = Δ′/(ε·γ) grid steps ({@link DiscreteLaplace}), Δ′ the L1 sensitivity of the grid values. For
 * neighbouring inputs with grid vectors N, N′ (‖γN − γN′‖₁ ≤ Δ′) the output density ratio is
 * Π_j exp(|N_j − N′_j|/τ) ≤ exp(Δ′/(γτ)) = e^ε, so the release is ε-DP exactly, with no floating-point
 * step after the snapping; the released values γ(N + Z) are exact doubles on the grid.
 *
 * <p>Granularity: γ is the largest power of two ≤ Δ/(k·2^10), with Δ the sensitivity before
 * snapping and k the number of coordinates one row can move, so that the snapping's extra sensitivity
 * (at most γ per affected coordinate and rounding) adds at most about 2^-10·Δ, and the discrete Laplace's
 * variance 2q/(1 − q)²·γ², q = e^(−1/τ), equals the continuous 2(Δ′/ε)² up to γ²/6. γ does not depend
 * on ε, so a huge ε (no noise) cannot overflow the grid.
 *
 * <p>τ is passed to the sampler as t/s with s = 2^p and t = ⌈τ·2^p⌉ (p ≤ 30, exact integer
 * arithmetic from the doubles Δ′ and ε·γ): rounding τ up only adds noise, so ε still holds; the relative
 * excess is below 2^-29.
 */
final class GridLaplace {
    /** The snapping adds at most 2^-SLACK_BITS of the sensitivity. */
    static final int SLACK_BITS = 10;

    private GridLaplace() {
    }

    /** The largest power of two ≤ x (x positive and finite, not subnormal). */
    static double powerOfTwoAtMost(double x) {
        if (!(x >= Double.MIN_NORMAL) || Double.isInfinite(x)) {
            throw new Kernels4jException("no power-of-two grid for a sensitivity of " + x);
        }
        return Math.scalb(1.0, Math.getExponent(x));
    }

    /** γ for a sensitivity Δ spread over k coordinates: the largest power of two ≤ Δ/(k·2^10). */
    static double granularity(double sensitivity, long coordinates) {
        return powerOfTwoAtMost(sensitivity / coordinates / (1 << SLACK_BITS));
    }

    /** The sampler's (t, s) with t/s ≥ Δ′/(εγ), exactly rounded up (see the class notes). */
    static long[] scale(double sensitivity, double epsilon, double gamma) {
        double denominator = epsilon * gamma; // exact: γ is a power of two
        if (!(denominator >= Double.MIN_NORMAL)) {
            throw new Kernels4jException("epsilon * granularity underflows: epsilon " + epsilon);
        }
        BigInteger[] a = exact(sensitivity);
        BigInteger[] b = exact(denominator);
        // τ = (a0·2^a1)/(b0·2^b1)
        BigInteger num = a[0];
        BigInteger den = b[0];
        int shift = a[1].intValueExact() - b[1].intValueExact();
        double tau = sensitivity / denominator;
        int p = 30;
        if (tau >= 1) {
            p = Math.max(0, Math.min(30, 54 - (Math.getExponent(tau) + 1)));
        }
        shift += p;
        if (shift >= 0) {
            num = num.shiftLeft(shift);
        } else {
            den = den.shiftLeft(-shift);
        }
        BigInteger[] qr = num.divideAndRemainder(den);
        BigInteger t = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        if (t.signum() == 0) {
            t = BigInteger.ONE;
        }
        if (t.bitLength() > 55) {
            throw new Kernels4jException("epsilon " + epsilon + " is too small for this release: the noise would exceed "
                    + "the grid's exact range");
        }
        return new long[] {t.longValueExact(), 1L << p};
    }

    /** v = m·2^e exactly, m an integer: {m, e}. */
    private static BigInteger[] exact(double v) {
        int e = Math.getExponent(v) - 52;
        long m = (long) Math.scalb(v, -e);
        return new BigInteger[] {BigInteger.valueOf(m), BigInteger.valueOf(e)};
    }

    /**
     * γ·(units_j + Z_j) for every j, Z_j independent discrete Laplace of scale Δ′/(εγ) grid steps.
     *
     * @throws Kernels4jException if a released value would leave the doubles' exact integer range
     */
    static double[] release(long[] units, double gamma, double sensitivity, double epsilon, NoiseSource noise) {
        long[] ts = scale(sensitivity, epsilon, gamma);
        double[] out = new double[units.length];
        for (int j = 0; j < units.length; j++) {
            long v = units[j] + noise.discreteLaplace(ts[0], ts[1]);
            if (Math.abs(v) >= 1L << 53) {
                throw new Kernels4jException("a released value left the exact range of the grid");
            }
            out[j] = gamma * v;
        }
        return out;
    }

    /** The scale τ·γ = Δ′/ε the noise actually has (after rounding τ up), in value units. */
    static double noiseScale(double sensitivity, double epsilon, double gamma) {
        long[] ts = scale(sensitivity, epsilon, gamma);
        return (double) ts[0] / ts[1] * gamma;
    }

    /** round(v/γ) as a long (v finite, γ a power of two). */
    static long units(double v, double gamma) {
        double u = Math.rint(v / gamma);
        if (Math.abs(u) >= 0x1p62) {
            throw new Kernels4jException("a value is too large for the release grid: " + v);
        }
        return (long) u;
    }

    /** round(a/n) for a long a and n ≥ 1 (halves rounded up), exactly: an error of at most 1/2. */
    static long roundDiv(long a, long n) {
        long q = Math.floorDiv(a, n);
        long r = a - q * n;
        return 2 * r >= n ? q + 1 : q;
    }
}
