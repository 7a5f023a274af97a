package org.kernels4j.thinning;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * Compress++ (Shetty, Dwivedi &amp; Mackey, "Distribution compression in near-linear time", ICLR 2022,
 * arXiv 2111.07941; the structure of goodpoints' {@code compress.compresspp}): kernel thinning's quality
 * in near-linear time.
 *
 * <p><b>Compress(g)</b> on a set of size ℓ (a power of 4): if ℓ ≤ 4^g return it; otherwise split it into
 * four consecutive quarters, compress each (giving 2^g·√(ℓ/4) points each), concatenate the four outputs
 * (2^{g+1}·√ℓ points) and halve them with symmetrised kernel halving: one KT-SPLIT round with the split
 * kernel, KT-SWAP against the set (optional, on by default), and then that half or its complement with
 * probability ½ each. The result has 2^g·√ℓ points.
 * <b>Compress++(g)</b>, as goodpoints' {@code compresspp_kt} (four bins): runs Compress(g) on each of the four
 * consecutive quarters of the n points and concatenates them (2^{g+1}·√n points: twice the single-bin output,
 * at about the same cost, because the top-level halving of 2^{g+2}·√n points is left out), then
 * {@link KernelThinning} (KT-SPLIT and KT-SWAP against the Compress output) from there to the requested size. The oversampling parameter g
 * trades time for accuracy: halving costs O(4^g·n·log₄ n) kernel values in all (about 2.5× more with the swap) and the final KT
 * O(4^{g+1}·n); g ≈ log₂ log n matches KT's MMD up to a constant factor (the paper's guarantee).
 *
 * <p>Sizes: n is first reduced to n₄, the largest power of 4 not above n, by standard thinning
 * (evenly spaced rows, as goodpoints does); the output size must be a power of two not above
 * min(2^{g+1}·√n₄, n₄) (n₄ ≥ 4; for n₄ = 1, 1); the default use is √n₄. The halving failure probability of a set of ℓ points
 * is δ·ℓ²/n₄². The MMD to the input is not computed (it costs n² kernel values, which would undo the
 * point of the method): use {@link Mmd#sample} or {@link Mmd#gaussianTarget}.
 */
public final class CompressPlusPlus implements Thinner {
    private final Kernel kernel;
    private final SplitKernel split;
    private final int g;
    private final double delta;
    private final boolean refineHalves;

    private CompressPlusPlus(Builder b) {
        this.kernel = b.kernel;
        this.split = b.split;
        b.split.requireSupported(b.kernel);
        this.g = b.g;
        this.delta = b.delta;
        this.refineHalves = b.refineHalves;
    }

    /** Options, starting from: g = 4, square-root split kernel, δ = ½. */
    public static Builder builder(Kernel kernel) {
        if (kernel == null) {
            throw new Kernels4jException("Compress++ needs a kernel");
        }
        return new Builder(kernel);
    }

    /** The options. */
    public static final class Builder {
        private final Kernel kernel;
        private SplitKernel split = SplitKernel.root();
        private int g = 4;
        private double delta = 0.5;
        private boolean refineHalves = true;

        private Builder(Kernel kernel) {
            this.kernel = kernel;
        }

        /** The oversampling parameter g ≥ 0 (default 4). */
        public Builder oversampling(int value) {
            if (value < 0 || value > 15) {
                throw new Kernels4jException("Compress++: oversampling g must be in 0..15, got " + value);
            }
            this.g = value;
            return this;
        }

        /** The split kernel for halving and the final KT (default square-root). */
        public Builder split(SplitKernel s) {
            this.split = s;
            return this;
        }

        /** Failure probability δ in (0, 1] (default ½). */
        public Builder delta(double d) {
            if (!(d > 0 && d <= 1)) {
                throw new Kernels4jException("Compress++: delta must be in (0, 1], got " + d);
            }
            this.delta = d;
            return this;
        }

        /**
         * Whether each halving also runs KT-SWAP against the set it halves (default true, as goodpoints' Compress++
         * examples halve with {@code kt.thin(m=1)}); false: KT-SPLIT alone, about half the kernel evaluations.
         */
        public Builder refineHalves(boolean r) {
            this.refineHalves = r;
            return this;
        }

        /** Validates the options. */
        public CompressPlusPlus build() {
            return new CompressPlusPlus(this);
        }
    }

    @Override
    public String name() {
        return "compress++";
    }

    /** The oversampling parameter g. */
    public int oversampling() {
        return g;
    }

    /** The largest power of 4 not above n. */
    static int largestPowerOfFour(int n) {
        int p = 1;
        while ((long) p * 4 <= n) {
            p *= 4;
        }
        return p;
    }

    /** The size of the four bins' Compress(g) outputs together for n inputs: min(2^{g+1}·√n₄, n₄). */
    int compressedSize(int n) {
        int n4 = largestPowerOfFour(n);
        int sqrt = (int) Math.round(Math.sqrt(n4));
        return (int) Math.min((long) sqrt << (g + 1), n4);
    }

    @Override
    public void requireSize(int n, int size) {
        Thinning.requireSize(n, size);
        int compressed = compressedSize(n);
        if (Integer.bitCount(size) != 1 || size > compressed) {
            throw new Kernels4jException("Compress++ output size must be a power of two not above "
                    + "min(2^(g+1)*sqrt(n4), n4) = " + compressed + " (n4 = " + largestPowerOfFour(n)
                    + ", the largest power of 4 <= n = " + n + ", g = " + g + "), got " + size);
        }
    }

    /**
     * @param size a power of two not above min(2^{g+1}·√n₄, n₄), n₄ the largest power of 4 ≤ n
     */
    @Override
    public Coreset thin(Matrix x, int size, long seed) {
        int n = Thinning.requireData(x);
        requireSize(n, size);
        int n4 = largestPowerOfFour(n);
        int[] rows = new int[n4];
        for (int i = 0; i < n4; i++) {
            rows[i] = n4 == n ? i : (int) ((long) i * (n - 1) / (n4 - 1 == 0 ? 1 : n4 - 1));
        }
        int[] intermediate = bins(x, rows, seed, n4);
        Matrix xi = x.selectRows(intermediate);
        int m = Integer.numberOfTrailingZeros(intermediate.length / size);
        KernelThinning kt = KernelThinning.builder(kernel).split(split).delta(delta).build();
        KtSwap.Result r = kt.run(xi, m, KtSplit.streamSeed(seed, -1, 0));
        int[] out = new int[r.coreset().length];
        for (int t = 0; t < out.length; t++) {
            out[t] = intermediate[r.coreset()[t]];
        }
        return new Coreset(out, null, Double.NaN, name());
    }

    /**
     * Compress(g) of each quarter of {@code rows}, concatenated: the children of Compress(g)'s root (nodes 4…7),
     * without the root's halving.
     */
    int[] bins(Matrix x, int[] rows, long seed, int n4) {
        if (rows.length < 4) {
            return rows;
        }
        int q = rows.length / 4;
        int[] out = new int[0];
        for (int k = 0; k < 4; k++) {
            int[] part = compress(x, Arrays.copyOfRange(rows, k * q, (k + 1) * q), seed, 4 + k, n4);
            int at = out.length;
            out = Arrays.copyOf(out, at + part.length);
            System.arraycopy(part, 0, out, at, part.length);
        }
        return out;
    }

    /** Compress(g) of {@code rows} (a power of 4 of them); {@code node} numbers the recursion tree. */
    int[] compress(Matrix x, int[] rows, long seed, long node, int n4) {
        int l = rows.length;
        if ((long) l <= (1L << (2 * g))) {
            return rows;
        }
        int q = l / 4;
        int[][] parts = new int[4][];
        int total = 0;
        for (int k = 0; k < 4; k++) {
            parts[k] = compress(x, Arrays.copyOfRange(rows, k * q, (k + 1) * q), seed, 4 * node + k, n4);
            total += parts[k].length;
        }
        int[] combined = new int[total];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, combined, at, p.length);
            at += p.length;
        }
        SplittableRandom rng = new SplittableRandom(KtSplit.streamSeed(seed, 0, node));
        double deltaHere = delta * ((double) l / n4) * ((double) l / n4);
        double logMultiplier = 2 * Math.log(2.0 * combined.length / deltaHere);
        return halve(x, combined, logMultiplier, rng);
    }

    /**
     * Symmetrised kernel halving of {@code set} (rows of x): one KT-SPLIT round; with {@code refineHalves}, KT-SWAP
     * (select among the two halves and every other row, then refine with distinct rows) against the set itself;
     * then the result or its complement, with probability ½ each. For two equal halves the complement's mean
     * embedding is the mirror image of the result's about the set's, so both have the same MMD to the set.
     */
    int[] halve(Matrix x, int[] set, double logMultiplier, SplittableRandom rng) {
        Kernel splitKernel = split.of(kernel, x.cols());
        if (!refineHalves) {
            int[][] halves = KtSplit.halve(splitKernel, x, set, logMultiplier, rng);
            return rng.nextBoolean() ? halves[0] : halves[1];
        }
        int l = set.length;
        Matrix xs = x.selectRows(set);
        int[] local = new int[l];
        for (int i = 0; i < l; i++) {
            local[i] = i;
        }
        // one pass of target-kernel tiles gives both the split decisions and KT-SWAP's row means (when the split
        // kernel is a function of the target's values; a Matérn power kernel is not)
        SplitKernel.TargetToSplit toSplit = split.fromTarget(kernel);
        double[] rowMeans;
        int[][] halves;
        if (toSplit == null) {
            halves = KtSplit.halve(splitKernel, xs, local, logMultiplier, rng);
            rowMeans = Mmd.rowMeans(kernel, xs);
        } else {
            rowMeans = new double[l];
            halves = KtSplit.halve(splitKernel, xs, local, logMultiplier, rng, KtSplit.BAND_VALUES,
                    new KtSplit.TargetPass(kernel, toSplit, rowMeans));
            for (int i = 0; i < l; i++) {
                rowMeans[i] /= l;
            }
        }
        int[][] candidates = {halves[0], halves[1], Thinning.standardIndices(l, l / 2)};
        int[] chosen = KtSwap.run(kernel, xs, candidates, rowMeans, true, true).coreset();
        boolean[] in = new boolean[l];
        for (int i : chosen) {
            in[i] = true;
        }
        boolean keep = rng.nextBoolean();
        int[] out = new int[l / 2];
        int at = 0;
        for (int i = 0; i < l && at < out.length; i++) {
            if (in[i] == keep) {
                out[at++] = set[i];
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "CompressPlusPlus(kernel=" + kernel.toSpec() + ", split=" + split + ", g=" + g + ", delta=" + delta
                + ", refineHalves=" + refineHalves + ")";
    }
}
