package org.kernels4j.privacy;

import java.util.SplittableRandom;

/** Test-only noise sources, through the package-private seam (never the public API). */
final class TestNoise {
    private TestNoise() {
    }

    /** Exact discrete Laplace draws from a seeded generator: reproducible tests. */
    static NoiseSource seeded(long seed) {
        return NoiseSource.from(new SplittableRandom(seed));
    }

    /** No noise at all (Z = 0): the snapped true values, to find the centres of an audit. */
    static NoiseSource none() {
        return (t, s) -> 0;
    }

    /**
     * A deliberately broken mechanism: the noise scale halved (t/s → t/(2s)) while the release still
     * reports the ε it was asked for. The audits must catch it.
     */
    static NoiseSource halved(long seed) {
        NoiseSource base = seeded(seed);
        return (t, s) -> base.discreteLaplace(t, 2 * s);
    }
}
