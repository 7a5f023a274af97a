package org.kernels4j.approx;

import java.util.Random;

/** Test access to the Gamma sampler of {@link RandomFourierFeatures}. */
public final class RandomFourierFeaturesAccess {
    private RandomFourierFeaturesAccess() {
    }

    /** A Gamma(a, 1) draw. */
    public static double gamma(double a, Random r) {
        return RandomFourierFeatures.gamma(a, r);
    }
}
