package org.kernels4j.privacy;

import java.util.random.RandomGenerator;

/**
 * Where the noise of a private release comes from: one discrete Laplace draw at a time. Package-private
 * on purpose: a release always uses {@link #secure()}; tests inject a seeded or a deliberately broken
 * source through the package-private {@code release(...)} methods and {@code Builder.noise(...)}, never
 * through the public API, and no seed of the noise is ever a parameter or a recorded value.
 */
interface NoiseSource {
    /**
     * One draw Z ∈ ℤ with P(Z = z) ∝ exp(−|z|·s/t): a discrete Laplace of scale t/s grid steps.
     *
     * @param t numerator of the scale, 1 ≤ t ≤ 2^55
     * @param s denominator of the scale, 1 ≤ s ≤ 2^55
     */
    long discreteLaplace(long t, long s);

    /** Exact discrete Laplace draws from a fresh, cryptographically secure generator (see {@link SecureBits}). */
    static NoiseSource secure() {
        return new DiscreteLaplace(SecureBits.fresh());
    }

    /** Exact discrete Laplace draws from the given generator (tests: a seeded one). */
    static NoiseSource from(RandomGenerator random) {
        return new DiscreteLaplace(random);
    }
}
