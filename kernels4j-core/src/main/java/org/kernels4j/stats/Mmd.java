package org.kernels4j.stats;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;

/**
 * The kernel two-sample test (Gretton et al., "A kernel two-sample test", JMLR 2012): are x_1..x_m ~ P and
 * y_1..y_n ~ Q drawn from the same distribution? The statistic is the squared maximum mean discrepancy, the
 * squared RKHS distance between the two kernel mean embeddings, estimated without bias by
 * <pre>
 *   MMD²_u = Σ_{i≠j} k(x_i,x_j)/(m(m−1)) + Σ_{i≠j} k(y_i,y_j)/(n(n−1)) − 2 Σ_{i,j} k(x_i,y_j)/(mn)
 * </pre>
 * (can be slightly negative under the null), beside the biased MMD²_b = ‖μ̂_P − μ̂_Q‖² (all pairs, diagonals
 * included, ≥ 0). With a characteristic kernel (Gaussian, Laplacian, Matérn) MMD = 0 exactly when P = Q, so the
 * test is consistent against every alternative.
 *
 * <p>Null distributions ({@link NullDistribution}): {@code PERMUTATION} (default, 1000 relabellings) tests MMD²_u
 * and is exact at any size; {@code GAMMA} (equal sizes m = n) matches a Gamma law to the null mean and variance of
 * m·MMD²_b (Gretton et al. 2009): mean (2/m)·(mean k(z,z) − mean_i k(x_i,y_i)) — the general form of their
 * 2/m·(1 − …) for k(z,z) = 1 — and variance 2/(m(m−1))² · Σ_{i≠j} h_ij², h_ij = k(x_i,x_j) + k(y_i,y_j) −
 * k(x_i,y_j) − k(x_j,y_i); shape = mean²/variance, scale = m·variance/mean. kernlab's {@code kmmd} instead reports
 * a Rademacher bound and a bootstrap quantile at one level, not a p-value; the Rademacher bound is distribution-free
 * but very conservative, so it is not offered.
 *
 * <p>Kernel: by default {@code rbf(length = median pairwise distance of the pooled sample)}, the median heuristic
 * ({@link org.kernels4j.kernel.Bandwidth#median}). Cost: one (m+n)² Gram matrix (memory 8(m+n)² bytes), then
 * (m+n)² multiply-adds per permutation, done as GEMMs over blocks of permutations.
 */
public final class Mmd {
    private final Kernel kernel;
    private final NullDistribution nullDistribution;
    private final int permutations;
    private final long seed;

    private Mmd(Builder b) {
        this.kernel = b.kernel;
        this.nullDistribution = b.nullDistribution;
        this.permutations = b.permutations;
        this.seed = b.seed;
    }

    /** A test with the median-heuristic Gaussian kernel. */
    public static Builder builder() {
        return new Builder(null);
    }

    /** A test with the given kernel. */
    public static Builder builder(Kernel kernel) {
        if (kernel == null) {
            throw new Kernels4jException("the MMD test needs a kernel (or builder() for the median heuristic)");
        }
        return new Builder(kernel);
    }

    /** Options of the MMD test. */
    public static final class Builder {
        private final Kernel kernel;
        private NullDistribution nullDistribution = NullDistribution.PERMUTATION;
        private int permutations = 1000;
        private long seed;

        private Builder(Kernel kernel) {
            this.kernel = kernel;
        }

        /** PERMUTATION (default) or GAMMA. */
        public Builder nullDistribution(NullDistribution d) {
            this.nullDistribution = java.util.Objects.requireNonNull(d, "null distribution");
            return this;
        }

        /** B ≥ 1 relabellings for the permutation null (default 1000; the smallest p-value is 1/(B+1)). */
        public Builder permutations(int b) {
            this.permutations = b;
            return this;
        }

        /** Seed of the permutations (and of the median heuristic's pair sample beyond 2000 rows); default 0. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** @throws Kernels4jException for B &lt; 1 */
        public Mmd build() {
            KernelTests.checkPermutations(permutations);
            return new Mmd(this);
        }
    }

    /**
     * The test's outcome.
     *
     * @param unbiased MMD²_u, the statistic the permutation null tests
     * @param biased MMD²_b (m·MMD²_b is what the Gamma null tests)
     * @param pValue the probability under the null of a statistic at least as large
     * @param nullDistribution how the p-value was computed
     * @param nullDescription that, in words (permutations and seed, or the Gamma's shape and scale)
     * @param kernel the kernel used (the median-heuristic one when none was given)
     * @param m rows of x
     * @param n rows of y
     */
    public record Result(double unbiased, double biased, double pValue, NullDistribution nullDistribution,
            String nullDescription, Kernel kernel, int m, int n) {
    }

    /**
     * Tests whether the rows of x and of y come from the same distribution.
     *
     * @throws Kernels4jException for fewer than 2 rows in either sample, different numbers of columns, non-finite
     *     values, or (Gamma null) samples of different sizes
     */
    public Result test(Matrix x, Matrix y) {
        KernelTests.checkSample(x, "the MMD test's first sample", 2);
        KernelTests.checkSample(y, "the MMD test's second sample", 2);
        if (x.cols() != y.cols()) {
            throw new Kernels4jException("the MMD test's samples must have the same features: the first has " + x.cols()
                    + " columns, the second " + y.cols());
        }
        int m = x.rows();
        int n = y.rows();
        if (nullDistribution == NullDistribution.GAMMA && m != n) {
            throw new Kernels4jException("the Gamma approximation of the MMD null needs samples of equal size, got " + m
                    + " and " + n + "; use permutations");
        }
        int total = m + n;
        Matrix z = new Matrix(total, x.cols());
        System.arraycopy(x.data(), 0, z.data(), 0, x.data().length);
        System.arraycopy(y.data(), 0, z.data(), x.data().length, y.data().length);
        Kernel k = KernelTests.kernelOrMedian(kernel, z, seed);
        Matrix gram = GramEngine.gram(k, z);
        double[] g = gram.data();
        double sumAll = 0;
        double traceAll = 0;
        for (int i = 0; i < total; i++) {
            traceAll += g[i * total + i];
            for (int j = 0; j < total; j++) {
                sumAll += g[i * total + j];
            }
        }
        int[] identity = new int[total];
        for (int i = 0; i < total; i++) {
            identity[i] = i;
        }
        double[] sums = new double[3]; // S_XX, S_YY, S_XY and the traces, from the first m labels
        double unbiased = unbiased(g, total, identity, m, sumAll, traceAll, sums);
        double biased = (sums[0] / ((double) m * m)) + (sums[1] / ((double) n * n)) - 2 * sums[2] / ((double) m * n);
        if (nullDistribution == NullDistribution.PERMUTATION) {
            double[] nulls = permutationNull(gram, m, sumAll, traceAll);
            return new Result(unbiased, biased, KernelTests.permutationPValue(unbiased, nulls), nullDistribution,
                    "permutation: " + permutations + " random splits of the pooled sample (seed " + seed + ")", k, m, n);
        }
        // Gamma (m = n): mean and variance of MMD²_b under the null, Gretton et al. (2009)
        double diagMean = traceAll / total;
        double paired = 0;
        for (int i = 0; i < m; i++) {
            paired += g[i * total + m + i];
        }
        double mean = 2.0 / m * (diagMean - paired / m);
        double sumSq = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    double h = g[i * total + j] + g[(m + i) * total + m + j] - g[i * total + m + j]
                            - g[j * total + m + i];
                    sumSq += h * h;
                }
            }
        }
        double pairs = (double) m * (m - 1);
        double variance = 2.0 / pairs * sumSq / pairs;
        double shape = mean * mean / variance;
        double scale = variance * m / mean;
        double p = KernelTests.gammaPValue(m * biased, shape, scale, "the MMD test");
        return new Result(unbiased, biased, p, nullDistribution, "Gamma approximation of m*MMD^2_b: shape "
                + KernelTests.num(shape) + ", scale " + KernelTests.num(scale), k, m, n);
    }

    /**
     * MMD²_u for each of B random splits. The row sums over the first sample, K·v for its indicator v, are what each
     * split needs (S_XX = vᵀKv, S_XY = (1 − v)ᵀKv): computed for a block of splits at once as one GEMM K·V, which
     * runs at BLAS speed instead of B passes over K. The splits are drawn in sequence from the seed.
     */
    private double[] permutationNull(Matrix gram, int m, double sumAll, double traceAll) {
        int total = gram.rows();
        double[] g = gram.data();
        Random r = KernelTests.random(seed);
        double[] nulls = new double[permutations];
        int block = (int) Math.max(1, Math.min(256, (16L << 20) / (8L * total))); // V and K·V: ≤ 16 MiB each
        for (int start = 0; start < permutations; start += block) {
            int c = Math.min(block, permutations - start);
            Matrix v = new Matrix(total, c);
            double[] traceX = new double[c];
            for (int b = 0; b < c; b++) {
                int[] perm = KernelTests.permutation(total, r);
                for (int a = 0; a < m; a++) {
                    v.set(perm[a], b, 1);
                    traceX[b] += g[perm[a] * total + perm[a]];
                }
            }
            Matrix kv = new Matrix(total, c);
            Blas.gemm(false, false, 1.0, gram, v, 0.0, kv);
            double[] sXX = new double[c];
            double[] sXY = new double[c];
            double[] vd = v.data();
            double[] kvd = kv.data();
            for (int i = 0; i < total; i++) {
                for (int b = 0; b < c; b++) {
                    if (vd[i * c + b] != 0) {
                        sXX[b] += kvd[i * c + b];
                    } else {
                        sXY[b] += kvd[i * c + b];
                    }
                }
            }
            for (int b = 0; b < c; b++) {
                nulls[start + b] = formula(sXX[b], sXY[b], traceX[b], m, total - m, sumAll, traceAll);
            }
        }
        return nulls;
    }

    /** MMD²_u from S_XX, S_XY (all pairs), tr K_XX and the pooled sums. */
    private static double formula(double sXX, double sXY, double traceX, int m, int n, double sumAll,
            double traceAll) {
        double sYY = sumAll - sXX - 2 * sXY;
        double traceY = traceAll - traceX;
        return (sXX - traceX) / ((double) m * (m - 1)) + (sYY - traceY) / ((double) n * (n - 1))
                - 2 * sXY / ((double) m * n);
    }

    /**
     * MMD²_u when rows perm[0..m) of the pooled Gram matrix are the first sample and the rest the second; fills
     * sums with S_XX, S_YY, S_XY (all pairs, diagonals included). O(total·m).
     */
    private static double unbiased(double[] g, int total, int[] perm, int m, double sumAll, double traceAll,
            double[] sums) {
        int n = total - m;
        boolean[] inX = new boolean[total];
        double traceX = 0;
        for (int a = 0; a < m; a++) {
            inX[perm[a]] = true;
            traceX += g[perm[a] * total + perm[a]];
        }
        double sXX = 0;
        double sXY = 0;
        for (int a = 0; a < m; a++) {
            int row = perm[a] * total;
            for (int j = 0; j < total; j++) {
                if (inX[j]) {
                    sXX += g[row + j];
                } else {
                    sXY += g[row + j];
                }
            }
        }
        sums[0] = sXX;
        sums[1] = sumAll - sXX - 2 * sXY;
        sums[2] = sXY;
        return formula(sXX, sXY, traceX, m, n, sumAll, traceAll);
    }
}
