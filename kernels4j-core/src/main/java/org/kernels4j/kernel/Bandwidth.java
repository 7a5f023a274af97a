package org.kernels4j.kernel;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Bandwidth heuristics for distance kernels such as {@code rbf}: starting points for a search, not
 * a substitute for one (cross-validation or the GP evidence). Both are seeded: same seed, same result.
 *
 * <ul>
 *   <li>{@link #sigest}: kernlab's {@code sigest(x, frac = 0.5, scaled = TRUE)}. It draws ⌊frac·n⌋ pairs
 *       (i, j), both indices uniform on the rows with replacement, drops pairs at distance 0, and returns
 *       1/q₀.₉, 1/q₀.₅ and 1/q₀.₁ of the squared distances ‖x_i − x_j‖², q_p being R's default (type 7)
 *       quantile. These are values of σ in kernlab's {@code rbfdot(sigma)} = exp(−σ‖x − z‖²), that is
 *       of γ in {@code rbf(gamma=γ)}; kernlab's advice is any value between the first and the last.
 *       With {@code standardize}, each feature is first centred and divided by its sample standard
 *       deviation (n − 1), as R's {@code scale}; a constant feature is left as is (kernlab instead
 *       warns and then scales none). The random numbers are not R's: results agree with kernlab's in
 *       distribution, not digit for digit.</li>
 *   <li>{@link #median}: the median heuristic, m = median of ‖x_i − x_j‖ over all pairs i &lt; j
 *       (mean of the two middle values for an even count), exact up to {@value #EXACT_MEDIAN_ROWS} rows
 *       and over {@value #SAMPLED_PAIRS} seeded random pairs i ≠ j beyond; it implies
 *       {@code rbf(length=m)} = {@code rbf(gamma=1/(2m²))}.</li>
 * </ul>
 */
public final class Bandwidth {
    /** Up to this many rows the median heuristic uses every pair. */
    public static final int EXACT_MEDIAN_ROWS = 2000;
    /** Number of random pairs the median heuristic uses beyond {@link #EXACT_MEDIAN_ROWS} rows. */
    public static final int SAMPLED_PAIRS = 200_000;

    private Bandwidth() {
    }

    /**
     * kernlab's {@code sigest} result: three values of γ (kernlab's σ) for exp(−γ‖x − z‖²), from the
     * 0.9, 0.5 and 0.1 quantiles of the sampled squared distances.
     *
     * @param gammaLow 1/q₀.₉ (the widest kernel)
     * @param gammaMedian 1/q₀.₅
     * @param gammaHigh 1/q₀.₁ (the narrowest kernel)
     * @param pairs the number of sampled pairs at a non-zero distance the quantiles came from
     * @param standardized whether the features were standardized first
     */
    public record Sigest(double gammaLow, double gammaMedian, double gammaHigh, int pairs, boolean standardized) {
    }

    /**
     * The median heuristic's result.
     *
     * @param distance m, the median pairwise Euclidean distance
     * @param pairs how many pairs it is the median of
     * @param exact whether every pair i &lt; j was used (else a random sample)
     */
    public record Median(double distance, long pairs, boolean exact) {
        /** γ = 1/(2m²) of the RBF kernel exp(−γ‖x − z‖²) with length m. */
        public double gamma() {
            return 1 / (2 * distance * distance);
        }

        /** {@code rbf(length=m)}. */
        public Kernel rbf() {
            return RbfKernel.withLength(distance);
        }
    }

    /** {@link #sigest(Matrix, double, boolean, long)} with kernlab's defaults frac = 0.5, standardize = true. */
    public static Sigest sigest(Matrix x, long seed) {
        return sigest(x, 0.5, true, seed);
    }

    /**
     * kernlab's {@code sigest}; see the class comment.
     *
     * @param frac the number of sampled pairs as a fraction of the rows, in (0, ∞) (kernlab: 0.5)
     * @throws Kernels4jException for fewer than 2 rows, frac giving no pair, non-finite data, or when
     *     every sampled pair is at distance 0
     */
    public static Sigest sigest(Matrix x, double frac, boolean standardize, long seed) {
        requireRows(x, "sigest");
        if (!(frac > 0) || Double.isInfinite(frac)) {
            throw new Kernels4jException("sigest: frac must be a positive finite number, got " + Specs.num(frac));
        }
        int m = x.rows();
        long count = (long) Math.floor(frac * m);
        if (count < 1 || count > Integer.MAX_VALUE - 8) {
            throw new Kernels4jException("sigest: frac = " + Specs.num(frac) + " with " + m + " rows gives "
                    + count + " pairs; need between 1 and " + (Integer.MAX_VALUE - 8));
        }
        Matrix z = standardize ? standardized(x) : x;
        SplittableRandom rng = new SplittableRandom(seed);
        int[] first = new int[(int) count];
        int[] second = new int[(int) count];
        for (int k = 0; k < count; k++) {
            first[k] = rng.nextInt(m);
        }
        for (int k = 0; k < count; k++) {
            second[k] = rng.nextInt(m);
        }
        double[] dist = new double[(int) count];
        int kept = 0;
        for (int k = 0; k < count; k++) {
            double s = squaredDistance(z, first[k], second[k]);
            if (s != 0) {
                dist[kept++] = s;
            }
        }
        if (kept == 0) {
            throw new Kernels4jException("sigest: all " + count + " sampled pairs are at distance 0 (duplicate rows"
                    + " or too few pairs); raise frac or remove duplicates");
        }
        double[] sorted = Arrays.copyOf(dist, kept);
        Arrays.sort(sorted);
        return new Sigest(1 / quantile(sorted, 0.9), 1 / quantile(sorted, 0.5), 1 / quantile(sorted, 0.1), kept,
                standardize);
    }

    /**
     * The median heuristic; see the class comment.
     *
     * @throws Kernels4jException for fewer than 2 rows, non-finite data, or a median distance of 0
     *     (more than half of the pairs are duplicates)
     */
    public static Median median(Matrix x, long seed) {
        return median(x, false, seed);
    }

    /**
     * The median heuristic, on features standardized as {@link #sigest} does when {@code standardize}.
     *
     * @throws Kernels4jException as {@link #median(Matrix, long)}
     */
    public static Median median(Matrix x, boolean standardize, long seed) {
        requireRows(x, "median heuristic");
        if (standardize) {
            x = standardized(x);
        }
        int n = x.rows();
        double[] dist;
        boolean exact = n <= EXACT_MEDIAN_ROWS;
        if (exact) {
            dist = new double[n * (n - 1) / 2];
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    dist[k++] = squaredDistance(x, i, j);
                }
            }
        } else {
            SplittableRandom rng = new SplittableRandom(seed);
            dist = new double[SAMPLED_PAIRS];
            for (int k = 0; k < SAMPLED_PAIRS; k++) {
                int i = rng.nextInt(n);
                int j = rng.nextInt(n - 1);
                if (j >= i) {
                    j++;
                }
                dist[k] = squaredDistance(x, i, j);
            }
        }
        Arrays.sort(dist);
        int len = dist.length;
        double median = (len & 1) == 1 ? Math.sqrt(dist[len / 2])
                : 0.5 * (Math.sqrt(dist[len / 2 - 1]) + Math.sqrt(dist[len / 2]));
        if (!(median > 0)) {
            throw new Kernels4jException("median heuristic: the median pairwise distance is 0 (more than half of the"
                    + " pairs are duplicate rows)");
        }
        return new Median(median, len, exact);
    }

    /**
     * R's default (type 7) quantile of sorted values: with h = (n − 1)p, the linear interpolation
     * between the ⌊h⌋-th and ⌈h⌉-th smallest values (0-based).
     */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double squaredDistance(Matrix x, int i, int j) {
        int d = x.cols();
        double[] v = x.data();
        double s = 0;
        for (int f = 0; f < d; f++) {
            double t = v[i * d + f] - v[j * d + f];
            s += t * t;
        }
        return s;
    }

    private static void requireRows(Matrix x, String what) {
        if (x.rows() < 2) {
            throw new Kernels4jException(what + " needs at least 2 rows, got " + x.rows());
        }
        if (x.cols() < 1) {
            throw new Kernels4jException(what + " needs at least 1 feature");
        }
        x.requireFinite(what + " data");
    }

    /** Each feature centred and divided by its sample standard deviation; constant features are left as they are. */
    private static Matrix standardized(Matrix x) {
        int n = x.rows();
        double[] mean = x.columnMeans();
        double[] sd = x.columnStandardDeviations(mean);
        double[] shift = new double[sd.length];
        double[] scale = new double[sd.length];
        for (int f = 0; f < sd.length; f++) {
            double sample = sd[f] * Math.sqrt(n / (n - 1.0));
            boolean constant = !(sample > 0);
            shift[f] = constant ? 0 : mean[f];
            scale[f] = constant ? 1 : sample;
        }
        Matrix z = x.copy();
        z.standardizeColumns(shift, scale);
        return z;
    }
}
