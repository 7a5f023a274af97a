package org.kernels4j.privacy;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.Model;
import org.kernels4j.model.UnsupervisedEstimator;

/**
 * A released, ε-differentially private structure that answers distance sums Σ_(x∈X) ‖x − y‖₁ or
 * Σ_(x∈X) ‖x − y‖₂ over a private dataset X for any number of queries (the one-dimensional
 * decomposition of Backurs et al., ICLR 2024, §4, with constants derived here).
 *
 * <p><b>ℓ1.</b> Σ_x ‖x − y‖₁ = Σ_j Σ_x |x_j − y_j|. Per coordinate j the public range [lo, hi]
 * (R = hi − lo; points are clipped into it) is cut into 2^L cells and a dyadic tree over them stores,
 * per node, the count c and the sum s of (x_j − lo) over its points. Each point lies in L + 1 nodes
 * per coordinate, so under <b>replace-one</b> neighbours (n public) the counts of all coordinates have
 * L1 sensitivity Δ_c = 2d(L + 1) and the sums Δ_s = 2d(L + 1)R; adding Laplace(Δ_c/ε_c) to every count
 * and Laplace(Δ′_s/ε_s) to every sum, ε_c = ε_s = ε/2, makes the release ε-DP (basic composition of the
 * two). The noise is the exact discrete Laplace on power-of-two grids ({@link GridLaplace},
 * {@link DiscreteLaplace}) from a secure generator: the counts' grid is γ_c = 2^-10 (counts are integers,
 * already on it: Δ′_c = Δ_c); the sums' grid γ_s is the largest power of two ≤ R/2^10, every shifted
 * coordinate u is snapped to it before summing (exact integer sums), so the snapped values lie in
 * [0, R̂], R̂ = γ_s·round(R/γ_s) ≤ R + γ_s/2, and Δ′_s = 2d(L + 1)R̂ ≤ Δ_s + 2d(L + 1)·γ_s/2, that is Δ_s
 * plus half a grid step per affected node. The noise scales are the declared Δ′/ε' (the sampler rounds
 * them up by less than 2^-29, which only adds noise). A query reads the
 * prefix counts and sums up to its cell (at most L + 1 nodes) and returns
 * <pre>
 *   Σ_x |x_j − q| ≈ q·C_≤ − S_≤ + (S − S_≤) − q·(n − C_≤)
 * </pre>
 * (q, x shifted by lo; S the root's noisy sum). Points in q's own cell count as below it, an error
 * of at most 2R/2^L per such point and coordinate. The noisy part of a coordinate's answer is
 * 2q·C_≤ − 2S_≤ + S with at most L + 1 independent nodes in each prefix and the root apart, so its
 * variance is at most (L + 1)·(8q²b_c² + 8b_s²) + 2b_s² ({@link #noiseStandardDeviation}); the error
 * therefore falls as 1/ε and grows as d·(L + 1)^1.5·R.
 *
 * <p><b>ℓ2.</b> With G a public k×d matrix of N(0, 1) entries, E|gᵀv| = √(2/π)·‖v‖₂, so
 * ‖x − y‖₂ ≈ (√(π/2)/k)·‖Gx − Gy‖₁ (unbiased; relative error O(1/√k)); the ℓ1 structure is built on
 * the projections, clipped to the public range [lo, hi] given for the projected coordinates gᵀx
 * (for points in a ball of radius ρ, |gᵀx| ≤ ρ·√(2·ln(2k/δ)) for all k projections with probability
 * 1 − δ per point).
 */
public final class PrivateDistanceSum implements Model {
    /** Which distance. */
    public enum Norm {
        /** Σ_j |x_j − y_j|. */
        L1,
        /** √(Σ_j (x_j − y_j)²). */
        L2
    }

    private final Norm norm;
    private final Matrix projection; // k × d for L2, null for L1
    private final double lo;
    private final double hi;
    private final int levels;
    private final double[][] counts; // per coordinate, heap-indexed nodes 1 .. 2^(L+1) − 1
    private final double[][] sums;
    private final int n;
    private final double epsilon;
    private final double countScale;
    private final double sumScale;
    private final double countGranularity; // 0: a legacy continuous release
    private final double sumGranularity;
    private final String mechanism;

    private PrivateDistanceSum(Norm norm, Matrix projection, double lo, double hi, int levels, double[][] counts,
            double[][] sums, int n, double epsilon, double countScale, double sumScale, double countGranularity,
            double sumGranularity, String mechanism) {
        this.norm = norm;
        this.projection = projection;
        this.lo = lo;
        this.hi = hi;
        this.levels = levels;
        this.counts = counts;
        this.sums = sums;
        this.n = n;
        this.epsilon = epsilon;
        this.countScale = countScale;
        this.sumScale = sumScale;
        this.countGranularity = countGranularity;
        this.sumGranularity = sumGranularity;
        this.mechanism = mechanism;
    }

    /**
     * Releases the structure.
     *
     * @param lo lower end of the public coordinate range (of the points for L1; of the projections for
     *     L2, see the class notes)
     * @param hi upper end, &gt; lo
     * @param levels tree depth L (2^L cells per coordinate), 1..20
     * @param projections k for L2 (ignored for L1)
     * @param seed seed of the public projection
     * @param noise the noise source: {@link NoiseSource#secure()} in every real release
     */
    static PrivateDistanceSum release(Norm norm, Matrix x, double lo, double hi, int levels, int projections,
            double epsilon, long seed, NoiseSource noise) {
        if (x.rows() == 0) {
            throw new Kernels4jException("a private release needs at least one data row");
        }
        x.requireFinite("private data");
        if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new Kernels4jException("the public range must satisfy lo < hi, got [" + lo + ", " + hi + "]");
        }
        if (levels < 1 || levels > 20) {
            throw new Kernels4jException("levels must be between 1 and 20, got " + levels);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new Kernels4jException("epsilon must be a positive finite number, got " + epsilon);
        }
        Matrix proj = null;
        Matrix data = x;
        if (norm == Norm.L2) {
            if (projections < 1) {
                throw new Kernels4jException("the number of projections must be >= 1, got " + projections);
            }
            Random r = new Random(seed);
            proj = new Matrix(projections, x.cols());
            for (int i = 0; i < proj.data().length; i++) {
                proj.data()[i] = r.nextGaussian();
            }
            data = x.times(proj.transpose());
        }
        int d = data.cols();
        int nodes = 1 << (levels + 1);
        double range = hi - lo;
        long affected = 2L * d * (levels + 1); // nodes one replaced row moves
        double countSensitivity = affected;
        double countGamma = GridLaplace.granularity(countSensitivity, affected); // 2^-10
        double sumGamma = GridLaplace.granularity(affected * range, affected);
        long rangeUnits = GridLaplace.units(range, sumGamma);
        double sumSensitivity = Math.nextUp(affected * (rangeUnits * sumGamma)); // 2d(L + 1)·R̂
        long countStep = GridLaplace.units(1, countGamma);
        long[][] c = new long[d][nodes];
        long[][] s = new long[d][nodes];
        for (int i = 0; i < data.rows(); i++) {
            for (int j = 0; j < d; j++) {
                double u = Math.min(range, Math.max(0, data.get(i, j) - lo));
                long uq = Math.min(rangeUnits, GridLaplace.units(u, sumGamma));
                for (int v = leaf(u, range, levels); v >= 1; v >>= 1) {
                    c[j][v] += countStep;
                    s[j][v] = Math.addExact(s[j][v], uq);
                }
            }
        }
        double[][] noisyCounts = new double[d][];
        double[][] noisySums = new double[d][];
        for (int j = 0; j < d; j++) {
            c[j][0] = 0; // node 0 is unused
            s[j][0] = 0;
            noisyCounts[j] = GridLaplace.release(c[j], countGamma, countSensitivity, epsilon / 2, noise);
            noisySums[j] = GridLaplace.release(s[j], sumGamma, sumSensitivity, epsilon / 2, noise);
            noisyCounts[j][0] = 0;
            noisySums[j][0] = 0;
        }
        return new PrivateDistanceSum(norm, proj, lo, hi, levels, noisyCounts, noisySums, x.rows(), epsilon,
                countSensitivity / (epsilon / 2), sumSensitivity / (epsilon / 2), countGamma, sumGamma, MECHANISM);
    }

    private static int leaf(double u, double range, int levels) {
        int cells = 1 << levels;
        int t = (int) Math.min(cells - 1, Math.floor(u / range * cells));
        return cells + Math.max(0, t);
    }

    /** Estimates of Σ_x ‖x − y‖ for every query row. */
    public double[] sums(Matrix queries) {
        int d0 = projection == null ? counts.length : projection.cols();
        if (queries.cols() != d0) {
            throw new Kernels4jException("queries have " + queries.cols() + " features but the structure has " + d0);
        }
        queries.requireFinite("query data");
        Matrix q = projection == null ? queries : queries.times(projection.transpose());
        double range = hi - lo;
        double[] out = new double[q.rows()];
        for (int i = 0; i < out.length; i++) {
            double total = 0;
            for (int j = 0; j < counts.length; j++) {
                double u = q.get(i, j) - lo;
                int v = leaf(Math.min(range, Math.max(0, u)), range, levels);
                double cLe = counts[j][v];
                double sLe = sums[j][v];
                for (; v > 1; v >>= 1) {
                    if ((v & 1) == 1) { // a right child: its left sibling lies wholly below
                        cLe += counts[j][v - 1];
                        sLe += sums[j][v - 1];
                    }
                }
                double sAll = sums[j][1];
                total += u * cLe - sLe + (sAll - sLe) - u * (n - cLe);
            }
            out[i] = projection == null ? total : Math.sqrt(Math.PI / 2) / projection.rows() * total;
        }
        return out;
    }

    /** The mechanism, as recorded in released files. */
    public static final String MECHANISM = "dyadic trees of counts and sums per coordinate + discrete Laplace on "
            + "power-of-two grids (exact sampler, Canonne-Kamath-Steinke 2020; secure random source)";
    /** The mechanism of files written before the discrete mechanism (no granularity fields). */
    public static final String LEGACY_MECHANISM = "dyadic trees of Laplace-noised counts and sums per coordinate";

    /** Rebuilds a legacy (continuous Laplace) release from its stored parts, as files before granularity hold. */
    public static PrivateDistanceSum of(Norm norm, Matrix projection, double lo, double hi, int levels, Matrix counts,
            Matrix sums, int n, double epsilon, double countScale, double sumScale) {
        return of(norm, projection, lo, hi, levels, counts, sums, n, epsilon, countScale, sumScale, 0, 0,
                LEGACY_MECHANISM);
    }

    /**
     * Rebuilds a released structure from its stored parts (as read from a file).
     *
     * @param countGranularity the counts' grid γ_c (0 for a legacy continuous release)
     * @param sumGranularity the sums' grid γ_s (0 for a legacy continuous release)
     * @param mechanism the recorded mechanism
     */
    public static PrivateDistanceSum of(Norm norm, Matrix projection, double lo, double hi, int levels, Matrix counts,
            Matrix sums, int n, double epsilon, double countScale, double sumScale, double countGranularity,
            double sumGranularity, String mechanism) {
        int nodes = 1 << (levels + 1);
        if (levels < 1 || levels > 20 || counts.cols() != nodes || sums.cols() != nodes || counts.rows() != sums.rows()) {
            throw new Kernels4jException("the stored trees do not match levels = " + levels);
        }
        if ((norm == Norm.L2) != (projection != null) || (projection != null && projection.rows() != counts.rows())) {
            throw new Kernels4jException("an l2 release needs its projection (one row per tree), an l1 release none");
        }
        if (!(hi > lo) || n < 1 || !(epsilon > 0)) {
            throw new Kernels4jException("invalid range, size or epsilon in the stored release");
        }
        double[][] c = new double[counts.rows()][];
        double[][] s = new double[sums.rows()][];
        for (int j = 0; j < c.length; j++) {
            c[j] = counts.row(j);
            s[j] = sums.row(j);
        }
        if (!(countGranularity >= 0) || !(sumGranularity >= 0)) {
            throw new Kernels4jException("invalid granularity in the stored release");
        }
        return new PrivateDistanceSum(norm, projection == null ? null : projection.copy(), lo, hi, levels, c, s, n, epsilon,
                countScale, sumScale, countGranularity, sumGranularity, mechanism);
    }

    /** The noisy trees as rows (one per coordinate), [counts, sums]. */
    public Matrix[] trees() {
        return new Matrix[] {Matrix.of(counts), Matrix.of(sums)};
    }

    /**
     * Starts a builder: the release is the estimator's fit on the private rows. A public range
     * [lo, hi] must be given (a range taken from the data would leak it). Defaults: 10 levels, 16
     * projections (ℓ2), ε = 1, projection seed 0; the noise always comes from a secure generator
     * ({@link SecureBits}) and has no seed.
     */
    public static Builder builder(Norm norm) {
        return new Builder(norm);
    }

    /** Options of a release, validated by {@link #build()}. */
    public static final class Builder {
        private final Norm norm;
        private double lo = Double.NaN;
        private double hi = Double.NaN;
        private int levels = 10;
        private int projections = 16;
        private double epsilon = 1;
        private long projectionSeed;
        private java.util.function.Supplier<NoiseSource> noise = NoiseSource::secure;

        private Builder(Norm norm) {
            if (norm == null) {
                throw new Kernels4jException("a private distance sum needs a norm (l1 or l2)");
            }
            this.norm = norm;
        }

        /** The public range [lo, hi] of the coordinates (ℓ1) or of the projections (ℓ2). */
        public Builder range(double low, double high) {
            this.lo = low;
            this.hi = high;
            return this;
        }

        /** Tree depth L, 1..20 (2^L cells per coordinate). */
        public Builder levels(int value) {
            this.levels = value;
            return this;
        }

        /** Number of Gaussian projections k for ℓ2. */
        public Builder projections(int value) {
            this.projections = value;
            return this;
        }

        /** ε &gt; 0. */
        public Builder epsilon(double value) {
            this.epsilon = value;
            return this;
        }

        /** Seed of the public projection (ℓ2). */
        public Builder projectionSeed(long value) {
            this.projectionSeed = value;
            return this;
        }

        /** Package-private test seam: where each release's noise comes from (default: secure). */
        Builder noise(java.util.function.Supplier<NoiseSource> value) {
            this.noise = value;
            return this;
        }

        /** @throws Kernels4jException for a missing or empty range, bad levels or projections, or ε ≤ 0 */
        public UnsupervisedEstimator<PrivateDistanceSum> build() {
            if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
                throw new Kernels4jException("the public range must satisfy lo < hi, got [" + lo + ", " + hi + "]");
            }
            if (levels < 1 || levels > 20) {
                throw new Kernels4jException("levels must be between 1 and 20, got " + levels);
            }
            if (norm == Norm.L2 && projections < 1) {
                throw new Kernels4jException("the number of projections must be >= 1, got " + projections);
            }
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                throw new Kernels4jException("epsilon must be a positive finite number, got " + epsilon);
            }
            double l = lo;
            double h = hi;
            int lv = levels;
            int k = projections;
            double e = epsilon;
            long ps = projectionSeed;
            java.util.function.Supplier<NoiseSource> ns = noise;
            return x -> release(norm, x, l, h, lv, k, e, ps, ns.get());
        }
    }

    /** The estimated sums Σ_x ‖x − y‖, m×1 (see {@link #sums}). */
    @Override
    public Matrix predict(Matrix queries) {
        return Matrix.column(sums(queries));
    }

    @Override
    public int features() {
        return projection == null ? counts.length : projection.cols();
    }

    /**
     * The privacy accounting: ε (ε/2 on the counts, ε/2 on the sums), the mechanism, the neighbouring
     * relation, the adjusted sensitivities and grids of counts and sums, the noise scales, the number of
     * noisy values, the queries answered (unlimited), the public range, the levels and n.
     */
    @Override
    public FitReport report() {
        return FitReport.builder().add("epsilon", epsilon).add("mechanism", mechanism)
                .add("neighbours", PrivateKernelSum.NEIGHBOURS).add("norm", norm.name().toLowerCase(java.util.Locale.ROOT))
                .add("count_sensitivity_l1", countSensitivity()).add("sum_sensitivity_l1", sumSensitivity())
                .add("count_granularity", countGranularity).add("sum_granularity", sumGranularity)
                .add("count_laplace_scale", countScale).add("sum_laplace_scale", sumScale)
                .add("noisy_values", noisyValues()).add("queries", PrivateKernelSum.QUERIES).add("range", range())
                .add("levels", levels).add("n", n).build();
    }

    /** The adjusted L1 sensitivity Δ′_c of the counts (all coordinates' trees together). */
    public double countSensitivity() {
        return countScale * epsilon / 2;
    }

    /** The adjusted L1 sensitivity Δ′_s = 2d(L + 1)R̂ of the sums. */
    public double sumSensitivity() {
        return sumScale * epsilon / 2;
    }

    /** The counts' grid γ_c (0 for a legacy continuous release). */
    public double countGranularity() {
        return countGranularity;
    }

    /** The sums' grid γ_s (0 for a legacy continuous release). */
    public double sumGranularity() {
        return sumGranularity;
    }

    /** The mechanism that produced this release (as recorded). */
    public String mechanism() {
        return mechanism;
    }

    /** How many noisy values the release holds: two per tree node. */
    public long noisyValues() {
        return 2L * counts.length * ((1L << (levels + 1)) - 1);
    }

    /** The public projection (k×d), or null for L1. */
    public Matrix projection() {
        return projection == null ? null : projection.copy();
    }

    /** The public range [lo, hi]. */
    public double[] range() {
        return new double[] {lo, hi};
    }

    /** The tree depth L. */
    public int levels() {
        return levels;
    }

    /** The number of private rows n (public under replace-one neighbours). */
    public int size() {
        return n;
    }

    /** The Laplace scale of the counts, 2d(L + 1)/(ε/2) (d: projections for L2). */
    public double countNoiseScale() {
        return countScale;
    }

    /** The Laplace scale of the sums, 2d(L + 1)R/(ε/2). */
    public double sumNoiseScale() {
        return sumScale;
    }

    /**
     * The standard deviation of the noise in the answer for a query: per coordinate the answer is
     * 2u·C_≤ − 2S_≤ + S (noisy parts), with C_≤ and S_≤ sums of at most L + 1 nodes each and S the root
     * (which may be among them; bounded by treating them as independent), times √(π/2)/k for L2.
     */
    public double noiseStandardDeviation(double[] query) {
        Matrix q = projection == null ? Matrix.wrap(1, query.length, query.clone())
                : Matrix.wrap(1, query.length, query.clone()).times(projection.transpose());
        double var = 0;
        for (int j = 0; j < counts.length; j++) {
            double u = q.get(0, j) - lo;
            var += (levels + 1) * (4 * u * u * 2 * countScale * countScale + 4 * 2 * sumScale * sumScale)
                    + 2 * sumScale * sumScale;
        }
        double sd = Math.sqrt(var);
        return projection == null ? sd : Math.sqrt(Math.PI / 2) / projection.rows() * sd;
    }

    /** ε. */
    public double epsilon() {
        return epsilon;
    }

    /** The norm answered. */
    public Norm norm() {
        return norm;
    }
}
