package org.kernels4j.thinning;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * Entry points and the two baselines: i.i.d. thinning (a uniform random subset) and standard thinning
 * (every k-th row).
 *
 * <p>An i.i.d. subsample of size s has MMD of order s^{−1/2} to the sample; kernel thinning's √n-point
 * coreset reaches O(n^{−1/2}·polylog n) = O(s^{−1}·polylog), which is the point of the methods in this
 * package ({@link KernelThinning}, {@link CompressPlusPlus}, {@link KernelHerding}).
 */
public final class Thinning {
    private Thinning() {
    }

    /** The methods by name, for command lines. */
    public enum Method {
        /** Kernel thinning: KT-SPLIT with the square-root kernel (target kernel when k is not Gaussian), then KT-SWAP. */
        KT("kt"),
        /** KT+ (split kernel k + k_½). */
        KT_PLUS("kt+"),
        /** Target KT (split kernel k). */
        KT_TARGET("kt-target"),
        /** Compress++ with KT halving and KT thinning, g = 4 (square-root split kernel when k is Gaussian). */
        COMPRESS_PP("compress++"),
        /** Kernel herding. */
        HERDING("herding"),
        /** A uniform random subset. */
        IID("iid"),
        /** Every (n/s)-th row. */
        STANDARD("standard");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        /** The command-line name. */
        public String label() {
            return label;
        }

        /** Parses a command-line name (kt, kt+, kt-target, compress++, herding, iid, standard). */
        public static Method parse(String s) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            for (Method m : values()) {
                if (m.label.equals(t)) {
                    return m;
                }
            }
            throw new Kernels4jException("unknown thinning method '" + s
                    + "'; available: kt, kt+, kt-target, compress++, herding, iid, standard");
        }

        /** The thinner with this method's default options for the target kernel. */
        public Thinner thinner(Kernel kernel) {
            switch (this) {
                case KT:
                    return KernelThinning.builder(kernel).split(SplitKernel.hasPowerKernel(kernel) ? SplitKernel.root()
                            : SplitKernel.target()).build();
                case KT_PLUS:
                    return KernelThinning.builder(kernel).split(SplitKernel.plus(0.5)).build();
                case KT_TARGET:
                    return KernelThinning.builder(kernel).split(SplitKernel.target()).build();
                case COMPRESS_PP:
                    return CompressPlusPlus.builder(kernel).split(SplitKernel.hasPowerKernel(kernel) ? SplitKernel.root()
                            : SplitKernel.target()).build();
                case HERDING:
                    return KernelHerding.of(kernel);
                case IID:
                    return iid();
                default:
                    return standard();
            }
        }
    }

    /** i.i.d. thinning: {@code size} distinct rows drawn uniformly at random (any size 1..n). */
    public static Thinner iid() {
        return new Thinner() {
            @Override
            public Coreset thin(Matrix x, int size, long seed) {
                return new Coreset(iidIndices(requireData(x), Thinning.requireSize(x.rows(), size), seed), null, Double.NaN, "iid");
            }

            @Override
            public void requireSize(int n, int size) {
                Thinning.requireSize(n, size);
            }

            @Override
            public String name() {
                return "iid";
            }
        };
    }

    /** Standard thinning: every ⌊n/s⌋-th row counted back from the last one (any size 1..n). */
    public static Thinner standard() {
        return new Thinner() {
            @Override
            public Coreset thin(Matrix x, int size, long seed) {
                return new Coreset(standardIndices(requireData(x), Thinning.requireSize(x.rows(), size)), null, Double.NaN,
                        "standard");
            }

            @Override
            public void requireSize(int n, int size) {
                Thinning.requireSize(n, size);
            }

            @Override
            public String name() {
                return "standard";
            }
        };
    }

    /** s distinct indices in 0..n−1, uniformly at random, in increasing order (partial Fisher–Yates). */
    static int[] iidIndices(int n, int s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < s; i++) {
            int j = i + r.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = java.util.Arrays.copyOf(perm, s);
        java.util.Arrays.sort(out);
        return out;
    }

    /** n−1, n−1−k, n−1−2k, … (k = ⌊n/s⌋), s of them, in increasing order. */
    static int[] standardIndices(int n, int s) {
        int step = n / s;
        int[] out = new int[s];
        for (int t = 0; t < s; t++) {
            out[s - 1 - t] = n - 1 - t * step;
        }
        return out;
    }

    /** Checks that x has rows and only finite values; returns n. */
    static int requireData(Matrix x) {
        if (x.rows() == 0 || x.cols() == 0) {
            throw new Kernels4jException("thinning needs data with at least one row and one column, got " + x.shape());
        }
        x.requireFinite("thinning input");
        return x.rows();
    }

    /** Checks 1 ≤ size ≤ n. */
    static int requireSize(int n, int size) {
        if (size < 1) {
            throw new Kernels4jException("output size must be at least 1, got " + size);
        }
        if (size > n) {
            throw new Kernels4jException("output size " + size + " is larger than the input's " + n + " rows");
        }
        return size;
    }

    /** The m with ⌊n/2^m⌋ = size, or an exception that lists the allowed sizes. */
    static int halvingRounds(int n, int size, String method) {
        requireSize(n, size);
        List<String> allowed = new ArrayList<>();
        for (int m = 0; (n >> m) >= 1; m++) {
            if ((n >> m) == size) {
                return m;
            }
            if (allowed.size() < 24) {
                allowed.add(Integer.toString(n >> m));
            }
        }
        throw new Kernels4jException(method + " halves the input repeatedly, so its output size must be floor(n/2^m); "
                + "for n = " + n + " that is one of " + String.join(", ", allowed) + " (got " + size + ")");
    }
}
