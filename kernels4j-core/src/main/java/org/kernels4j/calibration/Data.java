package org.kernels4j.calibration;

import org.kernels4j.Kernels4jException;

/** Shared checks of calibration inputs. */
final class Data {
    private Data() {
    }

    static void check(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new Kernels4jException(scores.length + " scores but " + positive.length + " outcomes");
        }
        if (scores.length == 0) {
            throw new Kernels4jException("calibration needs at least one score");
        }
        for (double s : scores) {
            if (!Double.isFinite(s)) {
                throw new Kernels4jException("calibration scores must be finite, got " + s);
            }
        }
    }
}
