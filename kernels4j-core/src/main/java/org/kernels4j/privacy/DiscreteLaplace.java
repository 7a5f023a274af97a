package org.kernels4j.privacy;

import java.util.random.RandomGenerator;
import org.kernels4j.Kernels4jException;

/**
 * Exact sampling of the discrete Laplace distribution P(Z = z) ∝ exp(−|z|·s/t), z ∈ ℤ, written from the
 * description in Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS
 * 2020), Algorithm 1 (Bernoulli(exp(−γ)) for rational γ) and Algorithm 2 (discrete Laplace with
 * parameter t/s). Every step compares uniform integers (rational arithmetic on {@code long}s; no
 * floating point), so the output distribution is exactly the stated one given uniform bits, and the
 * least-significant-bit attack on floating-point Laplace samplers (Mironov, CCS 2012) has nothing to
 * read.
 *
 * <pre>
 *   Bernoulli(exp(−a/b)), 0 ≤ a ≤ b:  K ← 1; while Bernoulli(a/(b·K)): K ← K + 1; return K odd
 *   Bernoulli(exp(−1)):                the same with a = b
 *   DLap(t/s): loop
 *       U ← uniform{0..t−1};  if not Bernoulli(exp(−U/t)): restart
 *       V ← 0;  while Bernoulli(exp(−1)): V ← V + 1
 *       X ← U + t·V;  Y ← ⌊X/s⌋;  B ← Bernoulli(1/2)
 *       if B = 1 and Y = 0: restart
 *       return (1 − 2B)·Y
 * </pre>
 * Bernoulli(a/(b·K)) is drawn without forming b·K: as (uniform{0..K−1} = 0) and (uniform{0..b−1} &lt; a).
 * The expected number of uniform draws per sample is a small constant (about 10) for every scale.
 */
final class DiscreteLaplace implements NoiseSource {
    /** The largest numerator or denominator accepted. */
    static final long MAX = 1L << 55;

    private final RandomGenerator random;

    DiscreteLaplace(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public long discreteLaplace(long t, long s) {
        if (t < 1 || s < 1 || t > MAX || s > MAX) {
            throw new Kernels4jException("discrete Laplace parameters out of range: t = " + t + ", s = " + s);
        }
        while (true) {
            long u = random.nextLong(t);
            if (!bernoulliExp(u, t)) {
                continue;
            }
            long v = 0;
            while (bernoulliExp(1, 1)) {
                v++;
            }
            long x;
            try {
                x = Math.addExact(u, Math.multiplyExact(t, v));
            } catch (ArithmeticException e) { // probability below 2^-100 for t ≤ 2^55
                throw new Kernels4jException("discrete Laplace draw overflowed");
            }
            long y = x / s;
            boolean negative = random.nextBoolean();
            if (negative && y == 0) {
                continue;
            }
            return negative ? -y : y;
        }
    }

    /** Bernoulli(exp(−a/b)) for 0 ≤ a ≤ b (CKS Algorithm 1, case γ ≤ 1). */
    private boolean bernoulliExp(long a, long b) {
        long k = 1;
        while (bernoulliOver(a, b, k)) {
            k++;
        }
        return (k & 1) == 1;
    }

    /** Bernoulli(a/(b·k)) for 0 ≤ a ≤ b, k ≥ 1, exactly. */
    private boolean bernoulliOver(long a, long b, long k) {
        if (a == 0) {
            return false;
        }
        if (k > 1 && random.nextLong(k) != 0) {
            return false;
        }
        return a == b || random.nextLong(b) < a;
    }

    /** P(Z = z) for the scale t/s, for tests: (1 − q)/(1 + q)·q^|z| with q = exp(−s/t). */
    static double pmf(long z, double scale) {
        double q = Math.exp(-1 / scale);
        return (1 - q) / (1 + q) * Math.pow(q, Math.abs(z));
    }

    /** The variance 2q/(1 − q)² of the discrete Laplace of the given scale (grid steps). */
    static double variance(double scale) {
        double q = Math.exp(-1 / scale);
        return 2 * q / ((1 - q) * (1 - q));
    }
}
