package org.kernels4j.stats;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * The HSIC independence test (Gretton et al., "A kernel statistical test of independence", NIPS 2008): given n
 * pairs (x_i, y_i), is x independent of y? With K = k(x_i, x_j), L = l(y_i, y_j) and H = I − 11ᵀ/n, the
 * Hilbert–Schmidt independence criterion, the squared norm of the cross-covariance operator, is estimated by
 * <pre>
 *   HSIC_b = tr(K H L H)/n²                                       (biased, ≥ 0)
 *   HSIC_u = [tr(K̃L̃) + 1ᵀK̃1·1ᵀL̃1/((n−1)(n−2)) − 2/(n−2)·1ᵀK̃L̃1]/(n(n−3))   (unbiased; Song et al., JMLR 2012)
 * </pre>
 * with K̃, L̃ the matrices with zeroed diagonals. With characteristic kernels on both sides HSIC = 0 exactly when
 * x and y are independent, so the test detects any dependence, non-linear included.
 *
 * <p>Null distributions ({@link NullDistribution}) for the statistic n·HSIC_b: {@code PERMUTATION} (default, 1000
 * shuffles of the y rows against the x rows; exact at any n) and {@code GAMMA} (Gretton et al. 2008): mean
 * (1/n)·(mean k_ii − μ_x)·(mean l_ii − μ_y), μ the mean off-diagonal entry — their (1/n)(1 + μ_xμ_y − μ_x − μ_y)
 * for k(x,x) = l(y,y) = 1 — and variance 72(n−4)(n−5)/(n(n−1)(n−2)(n−3)) · Σ_{i≠j} (K̄_ij L̄_ij/6)²/(n(n−1)), K̄ = HKH,
 * L̄ = HLH; shape = mean²/variance, scale = n·variance/mean.
 *
 * <p>Kernels: by default rbf with the median heuristic on each side separately. Cost: two n×n Gram matrices, then
 * n² multiply-adds per permutation (permutations evaluated in parallel).
 */
public final class Hsic {
    private final Kernel kernelX;
    private final Kernel kernelY;
    private final NullDistribution nullDistribution;
    private final int permutations;
    private final long seed;

    private Hsic(Builder b) {
        this.kernelX = b.kernelX;
        this.kernelY = b.kernelY;
        this.nullDistribution = b.nullDistribution;
        this.permutations = b.permutations;
        this.seed = b.seed;
    }

    /** A test with median-heuristic Gaussian kernels on x and on y. */
    public static Builder builder() {
        return new Builder(null, null);
    }

    /** A test with the given kernels on x and on y. */
    public static Builder builder(Kernel kernelX, Kernel kernelY) {
        if (kernelX == null || kernelY == null) {
            throw new Kernels4jException("the HSIC test needs two kernels (or builder() for the median heuristic)");
        }
        return new Builder(kernelX, kernelY);
    }

    /** Options of the HSIC test. */
    public static final class Builder {
        private final Kernel kernelX;
        private final Kernel kernelY;
        private NullDistribution nullDistribution = NullDistribution.PERMUTATION;
        private int permutations = 1000;
        private long seed;

        private Builder(Kernel kernelX, Kernel kernelY) {
            this.kernelX = kernelX;
            this.kernelY = kernelY;
        }

        /** PERMUTATION (default) or GAMMA. */
        public Builder nullDistribution(NullDistribution d) {
            this.nullDistribution = java.util.Objects.requireNonNull(d, "null distribution");
            return this;
        }

        /** B ≥ 1 shuffles for the permutation null (default 1000; the smallest p-value is 1/(B+1)). */
        public Builder permutations(int b) {
            this.permutations = b;
            return this;
        }

        /** Seed of the shuffles (and of the median heuristic's pair sample beyond 2000 rows); default 0. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** @throws Kernels4jException for B &lt; 1 */
        public Hsic build() {
            KernelTests.checkPermutations(permutations);
            return new Hsic(this);
        }
    }

    /**
     * The test's outcome.
     *
     * @param biased HSIC_b (n·HSIC_b is the tested statistic)
     * @param unbiased HSIC_u
     * @param pValue the probability under independence of a statistic at least as large
     * @param nullDistribution how the p-value was computed
     * @param nullDescription that, in words
     * @param kernelX the kernel on x used
     * @param kernelY the kernel on y used
     * @param n the number of pairs
     */
    public record Result(double biased, double unbiased, double pValue, NullDistribution nullDistribution,
            String nullDescription, Kernel kernelX, Kernel kernelY, int n) {
    }

    /**
     * Tests whether the rows of x are independent of the rows of y (row i of each is one observed pair).
     *
     * @throws Kernels4jException for different row counts, fewer than 4 pairs (6 for the Gamma null), or non-finite
     *     values
     */
    public Result test(Matrix x, Matrix y) {
        if (x.rows() != y.rows()) {
            throw new Kernels4jException("the HSIC test needs paired samples: x has " + x.rows() + " rows but y has "
                    + y.rows());
        }
        int min = nullDistribution == NullDistribution.GAMMA ? 6 : 4;
        KernelTests.checkSample(x, "the HSIC test's x", min);
        KernelTests.checkSample(y, "the HSIC test's y", min);
        int n = x.rows();
        Kernel kx = KernelTests.kernelOrMedian(kernelX, x, seed);
        Kernel ky = KernelTests.kernelOrMedian(kernelY, y, seed);
        double[] k = GramEngine.gram(kx, x).data();
        double[] l = GramEngine.gram(ky, y).data();
        double[] kc = centred(k, n);
        double statistic = 0; // n²·HSIC_b = Σ K̄_ij L_ij (centring one side suffices)
        for (int t = 0; t < n * n; t++) {
            statistic += kc[t] * l[t];
        }
        double biased = statistic / ((double) n * n);
        double unbiased = unbiased(k, l, n);
        if (nullDistribution == NullDistribution.PERMUTATION) {
            Random r = KernelTests.random(seed);
            double[] nulls = new double[permutations];
            // shuffles drawn in sequence from the seed, then evaluated in parallel: each result has its own slot, so
            // the p-value does not depend on the threads
            int block = 64;
            for (int start = 0; start < permutations; start += block) {
                int c = Math.min(block, permutations - start);
                int[][] perms = new int[c][];
                for (int b = 0; b < c; b++) {
                    perms[b] = KernelTests.permutation(n, r);
                }
                int offset = start;
                java.util.function.IntConsumer task = b -> {
                    int[] p = perms[b];
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        int row = p[i] * n;
                        for (int j = 0; j < n; j++) {
                            s += kc[i * n + j] * l[row + p[j]];
                        }
                    }
                    nulls[offset + b] = s;
                };
                if ((long) n * n * c < 1L << 20) { // too little work to hand to the pool
                    for (int b = 0; b < c; b++) {
                        task.accept(b);
                    }
                } else {
                    Parallelism.forEachBlock(c, task);
                }
            }
            return new Result(biased, unbiased, KernelTests.permutationPValue(statistic, nulls), nullDistribution,
                    "permutation: " + permutations + " shuffles of y against x (seed " + seed + ")", kx, ky, n);
        }
        double[] lc = centred(l, n);
        double muX = offDiagonalMean(k, n);
        double muY = offDiagonalMean(l, n);
        double mean = (diagonalMean(k, n) - muX) * (diagonalMean(l, n) - muY) / n;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    double v = kc[i * n + j] * lc[i * n + j] / 6;
                    sumSq += v * v;
                }
            }
        }
        double nn = n;
        double variance = 72 * (nn - 4) * (nn - 5) / (nn * (nn - 1) * (nn - 2) * (nn - 3)) * sumSq / (nn * (nn - 1));
        double shape = mean * mean / variance;
        double scale = variance * n / mean;
        double p = KernelTests.gammaPValue(n * biased, shape, scale, "the HSIC test");
        return new Result(biased, unbiased, p, nullDistribution, "Gamma approximation of n*HSIC_b: shape "
                + KernelTests.num(shape) + ", scale " + KernelTests.num(scale), kx, ky, n);
    }

    /** H·K·H: K minus its row means and column means plus its grand mean. */
    private static double[] centred(double[] k, int n) {
        double[] rowMean = new double[n];
        double grand = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += k[i * n + j];
            }
            rowMean[i] = s / n;
            grand += s;
        }
        grand /= (double) n * n;
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = k[i * n + j] - rowMean[i] - rowMean[j] + grand; // K symmetric: column mean = row mean
            }
        }
        return out;
    }

    /** Song et al.'s unbiased estimator, from the zero-diagonal matrices. O(n²). */
    private static double unbiased(double[] k, double[] l, int n) {
        double trace = 0; // tr(K̃L̃) = Σ_{i≠j} K_ij L_ij
        double sumK = 0;
        double sumL = 0;
        double[] rowK = new double[n];
        double[] rowL = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    trace += k[i * n + j] * l[i * n + j];
                    rowK[i] += k[i * n + j];
                    rowL[i] += l[i * n + j];
                }
            }
            sumK += rowK[i];
            sumL += rowL[i];
        }
        double cross = 0; // 1ᵀK̃L̃1 = Σ_i (K̃1)_i (L̃1)_i
        for (int i = 0; i < n; i++) {
            cross += rowK[i] * rowL[i];
        }
        double nn = n;
        return (trace + sumK * sumL / ((nn - 1) * (nn - 2)) - 2 / (nn - 2) * cross) / (nn * (nn - 3));
    }

    private static double diagonalMean(double[] k, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += k[i * n + i];
        }
        return s / n;
    }

    private static double offDiagonalMean(double[] k, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    s += k[i * n + j];
                }
            }
        }
        return s / ((double) n * (n - 1));
    }
}
