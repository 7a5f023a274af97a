package org.kernels4j.thinning;

import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * Kernel thinning (Dwivedi &amp; Mackey, "Kernel thinning", arXiv 2105.05842; "Generalized kernel
 * thinning", ICLR 2022): compresses n points to s = ⌊n/2^m⌋ whose empirical distribution is close to the
 * input's in the target kernel's MMD.
 *
 * <ol>
 *   <li>KT-SPLIT ({@code KtSplit}) with the split kernel ({@link SplitKernel}: target, square-root,
 *       α-power, KT+) makes 2^m candidate coresets by m rounds of balanced random halving.</li>
 *   <li>KT-SWAP ({@code KtSwap}) picks, among them and the standard-thinning coreset (every ⌊n/s⌋-th
 *       row), the one with the least MMD to the input under the target kernel k, then refines it one slot
 *       at a time, replacing each row by the input row that most lowers the MMD (never raising it).</li>
 * </ol>
 * For s = √n (m = ½·log₂ n) the MMD to the input is O(n^{−1/2}·√log n) with high probability for
 * compactly supported inputs (polylog factors for sub-exponential tails), against Θ(n^{−1/4}) for s
 * i.i.d. rows.
 *
 * <p>Cost: O(n²) kernel values in all (about n² for KT-SPLIT, n² for the row means k̄ that KT-SWAP needs,
 * O(n·s) for the refine pass), all in blocked GEMM tiles; memory O(n·d + n + 64 MiB of Gram bands).
 * For n beyond about 2^16 use {@link CompressPlusPlus}. The returned coreset carries its MMD to the
 * input, computed exactly from KT-SWAP's sums.
 *
 * <pre>{@code
 * Coreset c = KernelThinning.builder(RbfKernel.withGamma(0.5)).split(SplitKernel.root()).build()
 *         .thin(x, 64, 42);   // x has 4096 rows: 4096/2^6
 * Matrix thinned = c.select(x);
 * }</pre>
 */
public final class KernelThinning implements Thinner {
    private final Kernel kernel;
    private final SplitKernel split;
    private final double delta;
    private final boolean refine;
    private final boolean unique;

    private KernelThinning(Builder b) {
        this.kernel = b.kernel;
        this.split = b.split;
        b.split.requireSupported(b.kernel);
        this.delta = b.delta;
        this.refine = b.refine;
        this.unique = b.unique;
    }

    /** Options, starting from: square-root split kernel, δ = ½, refine on, unique rows. */
    public static Builder builder(Kernel kernel) {
        if (kernel == null) {
            throw new Kernels4jException("kernel thinning needs a kernel");
        }
        return new Builder(kernel);
    }

    /** The options. */
    public static final class Builder {
        private final Kernel kernel;
        private SplitKernel split = SplitKernel.root();
        private double delta = 0.5;
        private boolean refine = true;
        private boolean unique = true;

        private Builder(Kernel kernel) {
            this.kernel = kernel;
        }

        /** The split kernel (default square-root). */
        public Builder split(SplitKernel s) {
            this.split = s;
            return this;
        }

        /** KT-SPLIT's failure probability δ in (0, 1] (default ½); it sets the halving thresholds. */
        public Builder delta(double d) {
            if (!(d > 0 && d <= 1)) {
                throw new Kernels4jException("kernel thinning: delta must be in (0, 1], got " + d);
            }
            this.delta = d;
            return this;
        }

        /** Whether KT-SWAP refines the selected coreset (default true); false: select only. */
        public Builder refine(boolean r) {
            this.refine = r;
            return this;
        }

        /** Whether the refine pass must keep rows distinct (default true). */
        public Builder unique(boolean u) {
            this.unique = u;
            return this;
        }

        /** Validates the options (a power split kernel needs a Gaussian kernel). */
        public KernelThinning build() {
            return new KernelThinning(this);
        }
    }

    @Override
    public String name() {
        return split.toString().startsWith("kt+") ? "kt+" : "kt";
    }

    /** The split kernel in use on data of dimension d (Matérn power kernels depend on d). */
    public Kernel splitKernel(int d) {
        return split.of(kernel, d);
    }

    /** The split kernel in use for a Gaussian target or target KT ({@link #splitKernel(int)} for any kernel). */
    public Kernel splitKernel() {
        return split.of(kernel);
    }

    /** The target kernel. */
    public Kernel kernel() {
        return kernel;
    }

    @Override
    public void requireSize(int n, int size) {
        Thinning.halvingRounds(n, size, "kernel thinning");
    }

    /**
     * @param size ⌊n/2^m⌋ for some m ≥ 0 (m = 0 returns every row)
     */
    @Override
    public Coreset thin(Matrix x, int size, long seed) {
        int n = Thinning.requireData(x);
        int m = Thinning.halvingRounds(n, size, "kernel thinning");
        KtSwap.Result r = run(x, m, seed);
        return new Coreset(r.coreset(), null, Mmd.root(r.mmdSquared()), name());
    }

    /**
     * KT-SPLIT on all rows of x then KT-SWAP against them. When n is even and m ≥ 1 the first halving runs on
     * target-kernel tiles and also yields the row means k̄ that KT-SWAP needs ({@link KtSplit.TargetPass}); the
     * split values are derived from the same tiles, so the decisions are those of the split kernel.
     */
    KtSwap.Result run(Matrix x, int m, long seed) {
        int n = x.rows();
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        SplitKernel.TargetToSplit toSplit = split.fromTarget(kernel);
        if (n % 2 != 0 || m == 0 || toSplit == null) {
            return run(x, all, m, Mmd.rowMeans(kernel, x), seed);
        }
        double[] sums = new double[n];
        int[][] splits = KtSplit.split(split.of(kernel, x.cols()), x, all, m, delta, seed,
                new KtSplit.TargetPass(kernel, toSplit, sums));
        for (int i = 0; i < n; i++) {
            sums[i] /= n;
        }
        return swap(x, splits, sums);
    }

    /** KT-SPLIT on {@code input} (rows of x) then KT-SWAP against all rows of x. */
    KtSwap.Result run(Matrix x, int[] input, int m, double[] rowMeans, long seed) {
        return swap(x, KtSplit.split(split.of(kernel, x.cols()), x, input, m, delta, seed), rowMeans);
    }

    private KtSwap.Result swap(Matrix x, int[][] splits, double[] rowMeans) {
        int s = splits[0].length;
        int[][] candidates = java.util.Arrays.copyOf(splits, splits.length + 1);
        candidates[splits.length] = Thinning.standardIndices(x.rows(), s);
        return KtSwap.run(kernel, x, candidates, rowMeans, refine, unique);
    }

    @Override
    public String toString() {
        return "KernelThinning(kernel=" + kernel.toSpec() + ", split=" + split + ", delta=" + delta + ", refine="
                + refine + ", unique=" + unique + ")";
    }
}
