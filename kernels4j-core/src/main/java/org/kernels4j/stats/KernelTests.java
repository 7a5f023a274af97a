package org.kernels4j.stats;

import java.util.Random;
import org.apache.commons.statistics.distribution.GammaDistribution;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.kernel.Bandwidth;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/** What the MMD and HSIC tests share: option checks, the median-heuristic default, p-values. */
final class KernelTests {
    private KernelTests() {
    }

    static int checkPermutations(int b) {
        if (b < 1) {
            throw new Kernels4jException("the number of permutations must be >= 1, got " + b);
        }
        return b;
    }

    static void checkSample(Matrix x, String name, int minRows) {
        if (x.rows() < minRows) {
            throw new Kernels4jException(name + " needs at least " + minRows + " rows, got " + x.rows());
        }
        if (x.cols() < 1) {
            throw new Kernels4jException(name + " needs at least 1 feature");
        }
        x.requireFinite(name);
    }

    /** The given kernel, or rbf(length = the median pairwise distance of x). */
    static Kernel kernelOrMedian(Kernel given, Matrix x, long seed) {
        return given != null ? given : Bandwidth.median(x, seed).rbf();
    }

    /** (1 + #{null ≥ observed})/(1 + B): never 0, and a valid p-value at any B. */
    static double permutationPValue(double observed, double[] nulls) {
        int exceed = 0;
        for (double t : nulls) {
            // a relabelling equal to the observed one up to round-off counts as exceeding
            if (t >= observed - 1e-12 * Math.abs(observed)) {
                exceed++;
            }
        }
        return (1.0 + exceed) / (1.0 + nulls.length);
    }

    /** P(G ≥ t) for G ~ Gamma(shape, scale). */
    static double gammaPValue(double t, double shape, double scale, String test) {
        if (!(shape > 0) || !(scale > 0) || Double.isInfinite(shape) || Double.isInfinite(scale)) {
            throw new Kernels4jException(test + ": the Gamma approximation of the null is degenerate here (null mean or"
                    + " variance not positive: constant data or a kernel that sees no difference); use permutations");
        }
        return GammaDistribution.of(shape, scale).survivalProbability(Math.max(t, 0));
    }

    static Random random(long seed) {
        return new Random(seed);
    }

    static int[] permutation(int n, Random r) {
        return Landmarks.permutation(n, r);
    }

    static String num(double v) {
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
