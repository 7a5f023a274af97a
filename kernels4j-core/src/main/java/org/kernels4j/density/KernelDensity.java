package org.kernels4j.density;

import java.util.Locale;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.DensityModel;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.UnsupervisedEstimator;

/**
 * Kernel density estimation: for training points x_i with weights w_i (W = Σ w_i) and a bandwidth
 * matrix H = LLᵀ (H = h²I for a scalar bandwidth h),
 * <pre>
 *   f(q) = (1/W)·Σ_i w_i·|H|^(−½)·K(L⁻¹(q − x_i)),   K(u) = k(‖u‖)/c_d,   c_d = ∫_ℝ^d k(‖u‖) du
 * </pre>
 * with the radial profiles of scikit-learn's {@code KernelDensity}: gaussian e^(−r²/2), tophat
 * [r &lt; 1], epanechnikov 1 − r², exponential e^(−r), linear 1 − r, cosine cos(πr/2) (the last four
 * zero for r ≥ 1 where compact). The normalizer is c_d = S_(d−1)·∫₀^∞ k(r) r^(d−1) dr with
 * S_(d−1) = 2π^(d/2)/Γ(d/2): (2π)^(d/2), V_d, V_d·2/(d + 2), S_(d−1)·Γ(d), V_d/(d + 1) and, for the
 * cosine, the radial integral by 64-point Gauss–Legendre quadrature.
 *
 * <p>{@link #logDensity} is computed exactly (no tree, no tolerance) as a log-sum-exp: the queries
 * are whitened by L⁻¹ once, squared distances to all training points come from one GEMM per
 * 256×256 tile ({@link GramEngine#crossBands}), and each query's running maximum and sum are kept
 * across tiles, so nothing underflows even where every kernel value is below 10⁻³⁰⁸. Cost
 * O(m·n·d) flops at BLAS speed plus O(m·n) element-wise work; queries go in chunks of 2048, so
 * memory is O(2048·t) per thread.
 *
 * <p>Bandwidth selection: {@link #scott} and {@link #silverman} give H = factor²·Σ̂ with Σ̂ the
 * weighted sample covariance (as SciPy's {@code gaussian_kde}); {@link #leaveOneOut} gives the
 * leave-one-out log-likelihood Σ_i w_i·log f_(−i)(x_i) of a whole grid of scalar bandwidths from one
 * pass over the pairwise distances (no refits; memory n·t per thread).
 */
public final class KernelDensity implements DensityModel {
    /** The radial profile. */
    public enum Profile {
        /** e^(−r²/2). */
        GAUSSIAN,
        /** 1 for r &lt; 1. */
        TOPHAT,
        /** 1 − r² for r &lt; 1. */
        EPANECHNIKOV,
        /** e^(−r). */
        EXPONENTIAL,
        /** 1 − r for r &lt; 1. */
        LINEAR,
        /** cos(πr/2) for r &lt; 1. */
        COSINE;

        /** Parses a name (case-insensitive). */
        public static Profile parse(String name) {
            for (Profile p : values()) {
                if (p.name().equalsIgnoreCase(name.trim())) {
                    return p;
                }
            }
            throw new Kernels4jException("unknown density kernel '" + name + "'; known: gaussian, tophat, epanechnikov, "
                    + "exponential, linear, cosine");
        }

        /**
         * This profile at scalar bandwidth h as a kernel k(x, y) = profile(‖x − y‖ / h), for the profiles
         * that are kernels of the library: gaussian is rbf(gamma = 1/(2h²)), exponential is
         * laplacian(gamma = 1/h) on the Euclidean distance. Empty for the others.
         */
        public java.util.Optional<Kernel> kernel(double h) {
            switch (this) {
                case GAUSSIAN:
                    return java.util.Optional.of(org.kernels4j.kernel.RbfKernel.withGamma(1 / (2 * h * h)));
                case EXPONENTIAL:
                    return java.util.Optional.of(new org.kernels4j.kernel.LaplacianKernel(1 / h, false));
                default:
                    return java.util.Optional.empty();
            }
        }

        /**
         * Whether log k depends on r = √(r²) with an infinite slope in r² at 0 (exponential, linear): there
         * a squared distance's absolute rounding error δ becomes an error of δ/(2r) in r (see {@link NearDistances}).
         */
        boolean rootOfDistance() {
            return this == EXPONENTIAL || this == LINEAR;
        }

        /** log k(r) from r² (−∞ outside the support). */
        double logProfile(double r2) {
            switch (this) {
                case GAUSSIAN:
                    return -0.5 * r2;
                case TOPHAT:
                    return r2 < 1 ? 0.0 : Double.NEGATIVE_INFINITY;
                case EPANECHNIKOV:
                    return r2 < 1 ? Math.log1p(-r2) : Double.NEGATIVE_INFINITY;
                case EXPONENTIAL:
                    return -Math.sqrt(r2);
                case LINEAR:
                    return r2 < 1 ? Math.log1p(-Math.sqrt(r2)) : Double.NEGATIVE_INFINITY;
                default:
                    return r2 < 1 ? Math.log(Math.cos(0.5 * Math.PI * Math.sqrt(r2))) : Double.NEGATIVE_INFINITY;
            }
        }

        /** log c_d, the integral of k(‖u‖) over ℝ^d. */
        double logNormalizer(int d) {
            double logS = Math.log(2) + 0.5 * d * Math.log(Math.PI) - logGammaHalf(d); // log S_(d−1)
            double logV = logS - Math.log(d);
            switch (this) {
                case GAUSSIAN:
                    return 0.5 * d * Math.log(2 * Math.PI);
                case TOPHAT:
                    return logV;
                case EPANECHNIKOV:
                    return logV + Math.log(2.0 / (d + 2));
                case EXPONENTIAL:
                    return logS + logGammaHalf(2 * d);
                case LINEAR:
                    return logV - Math.log(d + 1);
                default:
                    return logS + Math.log(cosineRadialIntegral(d));
            }
        }
    }

    private static final int QUERY_CHUNK = 2048;
    private static final int TREE_MAX_DIMENSION = 5;

    private final Profile profile;
    private final Matrix x;
    private final double[] weights;
    private final double totalWeight;
    private final Matrix lower; // L with H = LLᵀ
    private final Matrix whitened; // L⁻¹·x_i as rows
    private final double logNorm; // log(c_d) + ½·log|H| + log W

    private KernelDensity(Profile profile, Matrix x, double[] weights, Matrix bandwidth) {
        this.profile = profile;
        this.x = x;
        this.weights = weights;
        double w = sum(weights);
        this.totalWeight = w;
        int d = x.cols();
        try (Cholesky c = Cholesky.factorInPlace(org.kernels4j.linalg.NativeMatrix.copyOf(bandwidth), "bandwidth matrix H",
                false)) {
            this.lower = c.lower();
            this.logNorm = profile.logNormalizer(d) + 0.5 * c.logDeterminant() + Math.log(w);
        }
        this.whitened = whiten(x);
    }

    /**
     * A density estimate.
     *
     * @param x training points, n×d (n ≥ 1)
     * @param weights non-negative weights with a positive sum, or null for all 1
     * @param bandwidth d×d symmetric positive definite H (see {@link #scalar}, {@link #scott})
     */
    public static KernelDensity fit(Profile profile, Matrix x, double[] weights, Matrix bandwidth) {
        double[] w = checkedWeights(x, weights);
        int d = x.cols();
        if (bandwidth.rows() != d || bandwidth.cols() != d) {
            throw new Kernels4jException("the bandwidth matrix must be " + d + "x" + d + ", got " + bandwidth.shape());
        }
        bandwidth.requireFinite("bandwidth matrix");
        return new KernelDensity(profile, x.copy(), w, bandwidth);
    }

    /** Checks the training points and returns the weights (all 1 when null): non-negative, finite, summing above 0. */
    private static double[] checkedWeights(Matrix x, double[] weights) {
        if (x.rows() == 0 || x.cols() == 0) {
            throw new Kernels4jException("density estimation needs at least one point and one feature, got " + x.shape());
        }
        x.requireFinite("training data");
        double[] w = weights == null ? filled(x.rows(), 1.0) : weights.clone();
        if (w.length != x.rows()) {
            throw new Kernels4jException("got " + w.length + " weights for " + x.rows() + " points");
        }
        double sum = 0;
        for (double v : w) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new Kernels4jException("weights must be non-negative and finite, got " + v);
            }
            sum += v;
        }
        if (!(sum > 0)) {
            throw new Kernels4jException("the weights sum to zero");
        }
        return w;
    }

    /** H = h²·I for a scalar bandwidth h &gt; 0 in d dimensions. */
    public static Matrix scalar(double h, int d) {
        if (!(h > 0) || Double.isInfinite(h)) {
            throw new Kernels4jException("the bandwidth must be a positive finite number, got " + h);
        }
        Matrix m = new Matrix(d, d);
        for (int i = 0; i < d; i++) {
            m.set(i, i, h * h);
        }
        return m;
    }

    /** Scott's rule, H = n_eff^(−2/(d+4))·Σ̂ with n_eff = W²/Σw_i² (n without weights). */
    public static Matrix scott(Matrix x, double[] weights) {
        double factor = Math.pow(effectiveSize(x, weights), -1.0 / (x.cols() + 4));
        return scaledCovariance(x, weights, factor);
    }

    /** Silverman's rule, H = (n_eff·(d + 2)/4)^(−2/(d+4))·Σ̂. */
    public static Matrix silverman(Matrix x, double[] weights) {
        int d = x.cols();
        double factor = Math.pow(effectiveSize(x, weights) * (d + 2) / 4.0, -1.0 / (d + 4));
        return scaledCovariance(x, weights, factor);
    }

    @Override
    public int features() {
        return x.cols();
    }

    @Override
    public FitReport report() {
        return FitReport.builder().add("profile", profile.name().toLowerCase(java.util.Locale.ROOT))
                .add("points", x.rows()).build();
    }

    /** How the bandwidth matrix H is chosen from the data. */
    public enum BandwidthRule {
        /** {@link #scott}. */
        SCOTT,
        /** {@link #silverman}. */
        SILVERMAN
    }

    /**
     * Starts a builder for a density with this profile; the bandwidth defaults to Scott's rule.
     * Weighted points go through {@link #fit(Profile, Matrix, double[], Matrix)}.
     */
    public static Builder builder(Profile profile) {
        return new Builder(profile);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final Profile profile;
        private Matrix bandwidth;
        private double scalar = Double.NaN;
        private BandwidthRule rule = BandwidthRule.SCOTT;

        private Builder(Profile profile) {
            if (profile == null) {
                throw new Kernels4jException("a kernel density needs a profile");
            }
            this.profile = profile;
        }

        /** A fixed d×d bandwidth matrix H. */
        public Builder bandwidth(Matrix h) {
            this.bandwidth = h.copy();
            this.scalar = Double.NaN;
            return this;
        }

        /** A scalar bandwidth h &gt; 0: H = h²·I. */
        public Builder bandwidth(double h) {
            this.scalar = h;
            this.bandwidth = null;
            return this;
        }

        /** H from the data by a rule. */
        public Builder bandwidth(BandwidthRule value) {
            this.rule = value;
            this.bandwidth = null;
            this.scalar = Double.NaN;
            return this;
        }

        /** @throws Kernels4jException for a non-positive scalar bandwidth */
        public UnsupervisedEstimator<KernelDensity> build() {
            if (!Double.isNaN(scalar)) {
                scalar(scalar, 1); // validates h
            }
            Matrix h = bandwidth;
            double s = scalar;
            BandwidthRule r = rule;
            return x -> fit(profile, x, null, h != null ? h : !Double.isNaN(s) ? scalar(s, x.cols())
                    : r == BandwidthRule.SCOTT ? scott(x, null) : silverman(x, null));
        }
    }

    /** The profile. */
    public Profile profile() {
        return profile;
    }

    /** The training points (a copy). */
    public Matrix points() {
        return x.copy();
    }

    /** The weights (a copy). */
    public double[] weights() {
        return weights.clone();
    }

    /** H = LLᵀ. */
    public Matrix bandwidth() {
        return lower.times(lower.transpose());
    }

    private void requireQueries(Matrix queries) {
        if (queries.cols() != x.cols()) {
            throw new Kernels4jException("queries have " + queries.cols() + " features but the density has " + x.cols());
        }
        queries.requireFinite("query data");
    }

    /** log f(q) for every row q of {@code queries} (m×d); −∞ where the density is zero. */
    @Override
    public double[] logDensity(Matrix queries) {
        requireQueries(queries);
        Matrix wq = whiten(queries);
        double[] out = new double[queries.rows()];
        for (int start = 0; start < out.length; start += QUERY_CHUNK) { // bounds the m×t band per thread
            int end = Math.min(out.length, start + QUERY_CHUNK);
            double[][] lse = logSumExp(wq.rowRange(start, end), whitened);
            for (int j = start; j < end; j++) {
                out[j] = finish(lse[0][j - start], lse[1][j - start]) - logNorm;
            }
        }
        return out;
    }

    /**
     * Σ_i w_i·log f_(−i)(x_i) for each scalar bandwidth of {@code bandwidths} (H = h²I), where
     * f_(−i) leaves point i out (its weights renormalized to W − w_i): all bandwidths from one pass
     * over the pairwise distances, O(n²·(d + g)). −∞ for a bandwidth under which some point has no
     * neighbour inside a compact kernel's support.
     */
    public static double[] leaveOneOut(Profile profile, Matrix x, double[] weights, double[] bandwidths) {
        double[] w = checkedWeights(x, weights);
        double totalWeight = sum(w);
        int n = x.rows();
        if (n < 2) {
            throw new Kernels4jException("leave-one-out bandwidth selection needs at least 2 rows (each is scored by "
                    + "the others), got " + n);
        }
        int g = bandwidths.length;
        for (double h : bandwidths) {
            scalar(h, 1);
        }
        double[] logW = new double[n];
        for (int i = 0; i < n; i++) {
            logW[i] = Math.log(w[i]);
        }
        double[] result = new double[g];
        int d = x.cols();
        double[][] perPoint = new double[g][n]; // w_i·log f_(−i)(x_i)
        NearDistances near = profile.rootOfDistance() ? new NearDistances(x, x) : null;
        // rows of each band: all points j; columns: the band's points i, each reduced over j completely
        GramEngine.crossBands(SQUARED_DISTANCE, x, x, (c0, width, band) -> {
            if (near != null) {
                for (int j = 0; j < n; j++) {
                    near.repair(band, j * width, j, c0, width);
                }
            }
            double[][] max = new double[g][width];
            double[][] sum = new double[g][width];
            for (double[] mx : max) {
                java.util.Arrays.fill(mx, Double.NEGATIVE_INFINITY);
            }
            for (int j = 0; j < n; j++) {
                if (w[j] == 0) {
                    continue;
                }
                int o = j * width;
                for (int c = 0; c < width; c++) {
                    if (c0 + c == j) {
                        continue;
                    }
                    double r2 = band[o + c];
                    for (int b = 0; b < g; b++) {
                        double h = bandwidths[b];
                        accumulate(max[b], sum[b], c, profile.logProfile(r2 / (h * h)) + logW[j]);
                    }
                }
            }
            for (int b = 0; b < g; b++) {
                double logNorm = profile.logNormalizer(d) + d * Math.log(bandwidths[b]);
                for (int c = 0; c < width; c++) {
                    int i = c0 + c;
                    double rest = totalWeight - w[i];
                    double lf = rest > 0 ? finish(max[b][c], sum[b][c]) - logNorm - Math.log(rest)
                            : Double.NEGATIVE_INFINITY;
                    perPoint[b][i] = w[i] == 0 ? 0.0 : w[i] * lf;
                }
            }
        });
        for (int b = 0; b < g; b++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += perPoint[b][i];
            }
            result[b] = total;
        }
        return result;
    }

    /**
     * {@code count} draws from the fitted density: a point i with probability w_i/W plus L·u, u drawn
     * from the normalized profile K (radially: a uniform direction and a radius with density
     * ∝ k(r)·r^(d−1), by rejection for the compact profiles and Gamma(d, 1) for the exponential).
     */
    public Matrix sample(int count, long seed) {
        if (count < 0) {
            throw new Kernels4jException("the number of samples must be >= 0, got " + count);
        }
        Random r = new Random(seed);
        int n = x.rows();
        int d = x.cols();
        double[] cumulative = new double[n];
        double c = 0;
        for (int i = 0; i < n; i++) {
            c += weights[i];
            cumulative[i] = c;
        }
        Matrix out = new Matrix(count, d);
        double[] u = new double[d];
        for (int s = 0; s < count; s++) {
            int i = java.util.Arrays.binarySearch(cumulative, r.nextDouble() * totalWeight);
            i = i < 0 ? -i - 1 : i;
            i = Math.min(i, n - 1);
            while (weights[i] == 0 && i > 0) {
                i--;
            }
            standardDraw(r, u);
            for (int a = 0; a < d; a++) {
                double v = x.get(i, a);
                for (int b = 0; b <= a; b++) {
                    v += lower.get(a, b) * u[b];
                }
                out.set(s, a, v);
            }
        }
        return out;
    }

    private void standardDraw(Random r, double[] u) {
        int d = u.length;
        if (profile == Profile.GAUSSIAN) {
            for (int a = 0; a < d; a++) {
                u[a] = r.nextGaussian();
            }
            return;
        }
        double norm = 0;
        for (int a = 0; a < d; a++) {
            u[a] = r.nextGaussian();
            norm += u[a] * u[a];
        }
        norm = Math.sqrt(norm);
        double radius;
        if (profile == Profile.EXPONENTIAL) {
            radius = 0;
            for (int a = 0; a < d; a++) {
                radius -= Math.log(1 - r.nextDouble());
            }
        } else if (profile == Profile.TOPHAT) {
            radius = Math.pow(r.nextDouble(), 1.0 / d);
        } else {
            // k(r)·r^(d−1) ≤ r^(d−1) on [0, 1): propose r = U^(1/d), accept with probability k(r)
            do {
                radius = Math.pow(r.nextDouble(), 1.0 / d);
            } while (r.nextDouble() >= Math.exp(profile.logProfile(radius * radius)));
        }
        for (int a = 0; a < d; a++) {
            u[a] *= radius / norm;
        }
    }

    /**
     * Log-densities with a certified relative error: for each query the returned density f̃ satisfies
     * |f̃ − f| ≤ rtol·f. Answers come with their achieved bound.
     *
     * @param logDensity log f̃ per query
     * @param achieved the largest certified relative error over the queries (≤ rtol)
     * @param method "tree" or "exact" (see {@link #logDensity(Matrix, double)})
     * @param nodeVisits tree nodes expanded per query on average (0 for the exact method)
     */
    public record Approximate(double[] logDensity, double achieved, String method, double nodeVisits) {
    }

    /**
     * Log-densities within a relative tolerance {@code rtol} ≥ 0, by a kd-tree over the whitened
     * points with bound-based pruning (as scikit-learn's tree mode): for a node at distance
     * [r_min, r_max] from the query, its weighted kernel sum lies in [W·k(r_max), W·k(r_min)]; nodes are
     * refined, widest interval first, until the summed interval [L, U] satisfies U − L ≤ 2·rtol·L, and
     * the midpoint is returned, so the relative error is at most rtol and the achieved value
     * (U − L)/(2L) is reported per query. Boxes bound distances well only in low dimension: measured on
     * 2 cores with 100,000 standard-normal points, 10,000 queries and rtol = 10⁻³, the tree took 5.3, 5.7,
     * 5.9 and 27.5 s at d = 2, 3, 4 and 8 against 7.0, 6.6, 6.9 and 6.6 s for the exact tiled path, so for
     * d &gt; 5 the method chooses the exact path (error 0). A query whose kernel values all underflow the
     * tree's linear-space sums is answered exactly too.
     */
    public Approximate logDensity(Matrix queries, double rtol) {
        if (!(rtol >= 0) || Double.isInfinite(rtol)) {
            throw new Kernels4jException("rtol must be >= 0 and finite, got " + rtol);
        }
        requireQueries(queries);
        if (x.cols() > TREE_MAX_DIMENSION || rtol == 0) {
            return new Approximate(logDensity(queries), 0.0, "exact", 0);
        }
        KdTree tree = tree();
        Matrix wq = whiten(queries);
        int m = wq.rows();
        double[] out = new double[m];
        double[] achieved = new double[m];
        long[] visits = new long[m];
        boolean[] fallback = new boolean[m];
        Parallelism.forEachBlock((m + 63) / 64, b -> {
            for (int j = b * 64; j < Math.min(m, (b + 1) * 64); j++) {
                double[] r = tree.query(wq.row(j), rtol);
                if (r == null) {
                    fallback[j] = true;
                } else {
                    out[j] = r[0] - logNorm;
                    achieved[j] = r[1];
                    visits[j] = (long) r[2];
                }
            }
        });
        int missing = 0;
        for (boolean f : fallback) {
            missing += f ? 1 : 0;
        }
        if (missing > 0) {
            int[] idx = new int[missing];
            for (int j = 0, k = 0; j < m; j++) {
                if (fallback[j]) {
                    idx[k++] = j;
                }
            }
            double[] exact = logDensity(queries.selectRows(idx));
            for (int k = 0; k < missing; k++) {
                out[idx[k]] = exact[k];
                achieved[idx[k]] = 0;
            }
        }
        double worst = 0;
        double meanVisits = 0;
        for (int j = 0; j < m; j++) {
            worst = Math.max(worst, achieved[j]);
            meanVisits += visits[j] / (double) m;
        }
        return new Approximate(out, worst, "tree", meanVisits);
    }

    /** Built on first use by the approximate mode and kept (a cache; the estimate itself is immutable). */
    private volatile KdTree kdTree;

    private KdTree tree() {
        KdTree t = kdTree;
        if (t == null) {
            t = new KdTree(whitened, weights, profile);
            kdTree = t;
        }
        return t;
    }

    /** A kd-tree over the whitened points: median splits on the widest box side, leaves of at most 32 points. */
    private static final class KdTree {
        private static final int LEAF = 32;
        private final double[] p; // reordered points, row-major
        private final double[] w; // reordered weights
        private final int d;
        private final Profile profile;
        private final java.util.List<int[]> nodes = new java.util.ArrayList<>(); // {start, end, left, right}
        private final java.util.List<double[]> boxes = new java.util.ArrayList<>(); // {min_0..min_d−1, max_0..max_d−1}
        private final java.util.List<Double> nodeWeights = new java.util.ArrayList<>();

        KdTree(Matrix points, double[] weights, Profile profile) {
            int n = points.rows();
            this.d = points.cols();
            this.profile = profile;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            build(points, order, 0, n);
            this.p = new double[n * d];
            this.w = new double[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(points.data(), order[i] * d, p, i * d, d);
                w[i] = weights[order[i]];
            }
            for (int k = 0; k < nodes.size(); k++) {
                int[] nd = nodes.get(k);
                double sw = 0;
                for (int i = nd[0]; i < nd[1]; i++) {
                    sw += w[i];
                }
                nodeWeights.add(sw);
            }
        }

        private int build(Matrix pts, Integer[] order, int start, int end) {
            double[] box = new double[2 * d];
            java.util.Arrays.fill(box, 0, d, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(box, d, 2 * d, Double.NEGATIVE_INFINITY);
            for (int i = start; i < end; i++) {
                for (int f = 0; f < d; f++) {
                    double v = pts.get(order[i], f);
                    box[f] = Math.min(box[f], v);
                    box[d + f] = Math.max(box[d + f], v);
                }
            }
            int id = nodes.size();
            int[] nd = {start, end, -1, -1};
            nodes.add(nd);
            boxes.add(box);
            if (end - start > LEAF) {
                int split = 0;
                for (int f = 1; f < d; f++) {
                    if (box[d + f] - box[f] > box[d + split] - box[split]) {
                        split = f;
                    }
                }
                int axis = split;
                java.util.Arrays.sort(order, start, end, (a, b) -> Double.compare(pts.get(a, axis), pts.get(b, axis)));
                int mid = (start + end) >>> 1;
                nd[2] = build(pts, order, start, mid);
                nd[3] = build(pts, order, mid, end);
            }
            return id;
        }

        /** Squared distance from q to a node's box (min) and to its farthest corner (max). */
        private double[] boxDistances(double[] q, int node) {
            double[] box = boxes.get(node);
            double lo = 0;
            double hi = 0;
            for (int f = 0; f < d; f++) {
                double a = box[f] - q[f];
                double b = q[f] - box[d + f];
                double near = Math.max(0, Math.max(a, b));
                double far = Math.max(Math.abs(q[f] - box[f]), Math.abs(q[f] - box[d + f]));
                lo += near * near;
                hi += far * far;
            }
            return new double[] {lo, hi};
        }

        /**
         * {log(midpoint), achieved relative half-width, node expansions}, or null when every bound
         * underflows (the caller answers exactly). Sums are scaled by e^(−c) with c the root's upper bound.
         */
        double[] query(double[] q, double rtol) {
            double[] rootD = boxDistances(q, 0);
            double offset = profile.logProfile(rootD[0]);
            if (offset == Double.NEGATIVE_INFINITY) {
                return new double[] {Double.NEGATIVE_INFINITY, 0, 1}; // outside a compact kernel's reach of every point
            }
            java.util.PriorityQueue<double[]> frontier = new java.util.PriorityQueue<>((a, b) -> Double.compare(b[3], a[3]));
            // lower and upper are running sums: exact (the leaves summed so far, only ever added to) plus the
            // frontier's bounds, which are added and later taken out again. Far from the data the density is many
            // orders of magnitude below the first bounds, and what the subtractions leave is then rounding noise
            // (a query 900 nats down came out 500 nats too high, with a "certified" bound): whenever the sums have
            // fallen 2⁻²⁰ below their peak since they were last formed, they are formed again from the frontier.
            double exact = 0;
            double lower = 0;
            double upper = 0;
            double[] first = bounds(q, 0, offset);
            frontier.add(first);
            lower += first[1];
            upper += first[2];
            double peak = upper;
            long expanded = 0;
            while (!frontier.isEmpty() && upper - lower > 2 * rtol * lower) {
                double[] top = frontier.poll();
                int node = (int) top[0];
                lower -= top[1];
                upper -= top[2];
                expanded++;
                int[] nd = nodes.get(node);
                if (nd[2] < 0) {
                    double s = 0;
                    for (int i = nd[0]; i < nd[1]; i++) {
                        double r2 = 0;
                        for (int f = 0; f < d; f++) {
                            double t = q[f] - p[i * d + f];
                            r2 += t * t;
                        }
                        s += w[i] * Math.exp(profile.logProfile(r2) - offset);
                    }
                    exact += s;
                    lower += s;
                    upper += s;
                } else {
                    for (int child : new int[] {nd[2], nd[3]}) {
                        double[] bnd = bounds(q, child, offset);
                        if (bnd[2] > bnd[1]) {
                            frontier.add(bnd);
                            lower += bnd[1];
                            upper += bnd[2];
                        } else { // its bounds coincide: its sum is known exactly
                            exact += bnd[1];
                            lower += bnd[1];
                            upper += bnd[1];
                        }
                    }
                }
                peak = Math.max(peak, upper);
                if (upper < 0x1p-20 * peak) {
                    double[] formed = frontierSums(frontier, exact);
                    lower = formed[0];
                    upper = formed[1];
                    peak = upper;
                }
                if (frontier.isEmpty()) {
                    break;
                }
            }
            double[] formed = frontierSums(frontier, exact); // the bounds returned are never running sums
            lower = Math.max(formed[0], 0);
            upper = formed[1];
            if (upper <= 0) {
                if (profile == Profile.GAUSSIAN || profile == Profile.EXPONENTIAL) {
                    return null; // underflow of a positive density: answer exactly
                }
                return new double[] {Double.NEGATIVE_INFINITY, 0, expanded};
            }
            if (lower <= 0) {
                return null;
            }
            double mid = 0.5 * (lower + upper);
            return new double[] {Math.log(mid) + offset, (upper - lower) / (2 * lower), expanded};
        }

        /** {exact + Σ lower bounds, exact + Σ upper bounds} over the frontier, summed afresh. */
        private static double[] frontierSums(java.util.PriorityQueue<double[]> frontier, double exact) {
            double lower = exact;
            double upper = exact;
            for (double[] f : frontier) {
                lower += f[1];
                upper += f[2];
            }
            return new double[] {lower, upper};
        }

        /** {node, W·k(r_max), W·k(r_min), width} scaled by e^(−offset). */
        private double[] bounds(double[] q, int node, double offset) {
            double[] dd = boxDistances(q, node);
            double wn = nodeWeights.get(node);
            double lo = wn * Math.exp(profile.logProfile(dd[1]) - offset);
            double hi = wn * Math.exp(profile.logProfile(dd[0]) - offset);
            return new double[] {node, lo, hi, hi - lo};
        }
    }

    /** The statistical regime of a density estimate at typical points (see {@link #regime}). */
    public enum RegimeKind {
        /** σ² &lt; (ln n)/2: many points contribute, the estimate is asymptotically Gaussian. */
        CENTRAL_LIMIT,
        /** (ln n)/2 ≤ σ² &lt; 2·ln n: heavy-tailed (stable-law) fluctuations. */
        HEAVY_TAILED,
        /** σ² ≥ 2·ln n: extreme-value statistics, a few points dominate the estimate. */
        EXTREME_VALUE
    }

    /**
     * A diagnosis of the bandwidth in high dimension.
     *
     * @param alpha ln n / d
     * @param logTermVariance σ², the variance over training points i of log k(‖L⁻¹(x − x_i)‖) at a
     *     typical point x (a training point, itself left out), averaged over up to 200 such points;
     *     +∞ when a compact kernel leaves some terms at zero
     * @param participation median over those points of the participation ratio (Σ k_i)²/Σ k_i², the
     *     effective number of points that carry the estimate
     * @param kind the regime σ² places the estimate in
     */
    public record Regime(double alpha, double logTermVariance, double participation, RegimeKind kind) {
        /** Fewer effective points than this carrying a typical estimate count as "a few". */
        public static final double FEW_POINTS = 10;

        /**
         * Whether a typical estimate really rests on a few points: the median participation ratio is
         * below {@link #FEW_POINTS}. The σ² thresholds of {@link #kind} describe high dimension; in low
         * dimension σ² grows with the data's spread over the bandwidth (and is +∞ for compact kernels)
         * while a hundred points still carry each estimate, so warnings should ask this instead.
         */
        public boolean dominatedByFewPoints() {
            return participation < FEW_POINTS;
        }
    }

    /**
     * Classifies the bandwidth by the picture of Biroli &amp; Mézard ("Kernel density estimators in large
     * dimensions", 2024): the estimate at x is a sum of n = e^(αd) terms e^(log k_i); when the log-terms
     * have variance σ² it behaves like a sum of random exponentials (Ben Arous, Bogachev &amp;
     * Molchanov, 2005), which obeys the central limit theorem for σ² &lt; (ln n)/2, has heavy-tailed
     * fluctuations up to σ² = 2·ln n, and is governed by its few largest terms beyond. For Gaussian
     * data N(0, I_d) and a Gaussian kernel of bandwidth h, σ² ≈ 3d/(2h⁴), which puts the two
     * thresholds at h_CLT = (3/α)^(1/4) and h_G = (3/(4α))^(1/4) (derived here from those two results;
     * the paper's own constants were not checked). This method measures σ² and the participation ratio
     * on the data instead of assuming Gaussian data. Cost O(s·n·d) for s = min(n, 200) sample points.
     */
    public Regime regime() {
        int n = x.rows();
        int s = Math.min(n, 200);
        int step = Math.max(1, n / s);
        int[] rows = new int[s];
        for (int i = 0; i < s; i++) {
            rows[i] = Math.min(n - 1, i * step);
        }
        Matrix sample = whitened.selectRows(rows);
        double[] variances = new double[s];
        double[] participation = new double[s];
        for (int start = 0; start < s; start += 50) {
            int end = Math.min(s, start + 50);
            Matrix r2 = GramEngine.cross(SQUARED_DISTANCE, sample.rowRange(start, end), whitened);
            for (int q = start; q < end; q++) {
                double mean = 0;
                double sq = 0;
                int count = 0;
                boolean zero = false;
                double max1 = Double.NEGATIVE_INFINITY;
                double max2 = Double.NEGATIVE_INFINITY;
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    if (i == rows[q] || weights[i] == 0) {
                        v[i] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double lk = profile.logProfile(r2.get(q - start, i));
                    v[i] = lk + Math.log(weights[i]);
                    if (lk == Double.NEGATIVE_INFINITY) {
                        zero = true;
                    } else {
                        mean += lk;
                        sq += lk * lk;
                        count++;
                    }
                    max1 = Math.max(max1, v[i]);
                    max2 = Math.max(max2, 2 * v[i]);
                }
                mean /= Math.max(count, 1);
                variances[q] = zero || count == 0 ? Double.POSITIVE_INFINITY : sq / count - mean * mean;
                double s1 = 0;
                double s2 = 0;
                for (double vi : v) {
                    if (vi > Double.NEGATIVE_INFINITY) {
                        s1 += Math.exp(vi - max1);
                        s2 += Math.exp(2 * vi - max2);
                    }
                }
                // (Σk)²/Σk² in logs: 2(max1 + ln s1) − (max2 + ln s2)
                participation[q] = s1 > 0 ? Math.exp(2 * (max1 + Math.log(s1)) - (max2 + Math.log(s2))) : 0;
            }
        }
        double meanVariance = 0;
        for (double v : variances) {
            meanVariance += v / s;
        }
        double[] sorted = participation.clone();
        java.util.Arrays.sort(sorted);
        double logN = Math.log(n);
        RegimeKind kind = meanVariance < logN / 2 ? RegimeKind.CENTRAL_LIMIT
                : meanVariance < 2 * logN ? RegimeKind.HEAVY_TAILED : RegimeKind.EXTREME_VALUE;
        return new Regime(logN / x.cols(), meanVariance, sorted[s / 2], kind);
    }

    // ---- internals ----

    /** A "kernel" whose tile is the squared Euclidean distance (not PSD; used only to stream distances). */
    private static final Kernel SQUARED_DISTANCE = new Kernel() {
        @Override
        public double value(double[] a, double[] b) {
            double s = 0;
            for (int f = 0; f < a.length; f++) {
                s += (a[f] - b[f]) * (a[f] - b[f]);
            }
            return s;
        }

        @Override
        public void computeBlock(GramBlock block, double[] out) {
            block.squaredDistances(null, out);
        }

        @Override
        public String toSpec() {
            return "squared_distance()";
        }
    };

    /**
     * Recomputes the squared distances of near pairs directly. The tiles' r² = ‖q‖² + ‖p‖² − 2q·p (centred)
     * carries an absolute error of a few ulps of N = ‖q − c‖² + ‖p − c‖², which √ turns into an error of
     * about ε·N/(2r) in r: 10⁻⁹ at a data point for the exponential and linear profiles. Pairs with
     * r² ≤ 10⁻⁴·N are summed feature by feature instead (r² from the differences, exact to a few ulps of r²),
     * so the remaining error in r is below about 50·d·ε·√N; such pairs are rare (near duplicates), the cost
     * is d flops each.
     */
    private static final class NearDistances {
        private static final double NEAR = 1e-4;
        private final double[] q;
        private final double[] p;
        private final int d;
        private final double[] qn;
        private final double[] pn;

        NearDistances(Matrix queries, Matrix points) {
            this.q = queries.data();
            this.p = points.data();
            this.d = points.cols();
            double[] c = points.columnMeans();
            this.qn = centredNorms(q, d, c);
            this.pn = centredNorms(p, d, c);
        }

        private static double[] centredNorms(double[] a, int d, double[] c) {
            double[] out = new double[a.length / d];
            for (int i = 0; i < out.length; i++) {
                double s = 0;
                for (int f = 0; f < d; f++) {
                    double t = a[i * d + f] - c[f];
                    s += t * t;
                }
                out[i] = s;
            }
            return out;
        }

        /** Row j of a band (columns c0 .. c0 + width − 1 of the points, starting at {@code band[o]}). */
        void repair(double[] band, int o, int j, int c0, int width) {
            for (int c = 0; c < width; c++) {
                int i = c0 + c;
                if (band[o + c] <= NEAR * (qn[j] + pn[i])) {
                    double s = 0;
                    for (int f = 0; f < d; f++) {
                        double t = q[j * d + f] - p[i * d + f];
                        s += t * t;
                    }
                    band[o + c] = s;
                }
            }
        }
    }

    /** Rows of {@code m} mapped by L⁻¹. */
    private Matrix whiten(Matrix m) {
        Matrix t = m.transpose(); // d × rows
        org.kernels4j.linalg.Blas.trsm(true, false, lower, t);
        return t.transpose();
    }

    /** Per query j: running max [0][j] and Σ w_i·exp(v − max) [1][j] of v = log k(‖q_j − x_i‖) + log w_i. */
    private double[][] logSumExp(Matrix q, Matrix p) {
        int m = q.rows();
        int tile = GramEngine.tileSize();
        int bands = (p.rows() + tile - 1) / tile;
        double[][][] perBand = new double[bands][][];
        double[] logW = new double[weights.length];
        for (int i = 0; i < logW.length; i++) {
            logW[i] = Math.log(weights[i]);
        }
        boolean gaussian = profile == Profile.GAUSSIAN;
        NearDistances near = profile.rootOfDistance() ? new NearDistances(q, p) : null;
        GramEngine.crossBands(SQUARED_DISTANCE, q, p, (c0, width, band) -> {
            double[] max = new double[m];
            double[] sum = new double[m];
            for (int j = 0; j < m; j++) {
                double mx = Double.NEGATIVE_INFINITY;
                int o = j * width;
                if (near != null) {
                    near.repair(band, o, j, c0, width);
                }
                for (int c = 0; c < width; c++) {
                    double v = (gaussian ? -0.5 * band[o + c] : profile.logProfile(band[o + c])) + logW[c0 + c];
                    band[o + c] = v;
                    mx = Math.max(mx, v);
                }
                double s = 0;
                if (mx > Double.NEGATIVE_INFINITY) {
                    for (int c = 0; c < width; c++) {
                        s += Math.exp(band[o + c] - mx);
                    }
                }
                max[j] = mx;
                sum[j] = s;
            }
            perBand[c0 / tile] = new double[][] {max, sum};
        });
        double[] max = new double[m];
        double[] sum = new double[m];
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (double[][] b : perBand) {
            for (int j = 0; j < m; j++) {
                merge(max, sum, j, b[0][j], b[1][j]);
            }
        }
        return new double[][] {max, sum};
    }

    private static void accumulate(double[] max, double[] sum, int i, double v) {
        if (v == Double.NEGATIVE_INFINITY) {
            return;
        }
        if (v <= max[i]) {
            sum[i] += Math.exp(v - max[i]);
        } else {
            sum[i] = sum[i] * Math.exp(max[i] - v) + 1;
            max[i] = v;
        }
    }

    private static void merge(double[] max, double[] sum, int i, double otherMax, double otherSum) {
        if (otherMax == Double.NEGATIVE_INFINITY) {
            return;
        }
        if (otherMax <= max[i]) {
            sum[i] += otherSum * Math.exp(otherMax - max[i]);
        } else {
            sum[i] = sum[i] * Math.exp(max[i] - otherMax) + otherSum;
            max[i] = otherMax;
        }
    }

    private static double finish(double max, double sum) {
        return max == Double.NEGATIVE_INFINITY ? Double.NEGATIVE_INFINITY : max + Math.log(sum);
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static double effectiveSize(Matrix x, double[] weights) {
        if (weights == null) {
            return x.rows();
        }
        double s = 0;
        double s2 = 0;
        for (double w : weights) {
            s += w;
            s2 += w * w;
        }
        return s * s / s2;
    }

    /** factor²·Σ̂, the weighted covariance with the unbiased correction 1/(1 − Σw̃²), w̃ = w/W. */
    private static Matrix scaledCovariance(Matrix x, double[] weights, double factor) {
        int n = x.rows();
        int d = x.cols();
        if (n < 2) {
            throw new Kernels4jException("a rule-of-thumb bandwidth needs at least two points");
        }
        double[] w = weights == null ? filled(n, 1.0) : weights;
        double total = 0;
        double sq = 0;
        for (double v : w) {
            total += v;
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            double wi = w[i] / total;
            sq += wi * wi;
            for (int a = 0; a < d; a++) {
                mean[a] += wi * x.get(i, a);
            }
        }
        Matrix cov = new Matrix(d, d);
        for (int i = 0; i < n; i++) {
            double wi = w[i] / total;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov.set(a, b, cov.get(a, b) + wi * (x.get(i, a) - mean[a]) * (x.get(i, b) - mean[b]));
                }
            }
        }
        double scale = factor * factor / (1 - sq);
        for (int k = 0; k < d * d; k++) {
            cov.data()[k] *= scale;
        }
        return cov;
    }

    /** log Γ(k/2) for a positive integer k, exactly by the recurrence from Γ(1) = 1 and Γ(½) = √π. */
    static double logGammaHalf(int k) {
        double s = k % 2 == 0 ? 0.0 : 0.5 * Math.log(Math.PI);
        for (int j = k % 2 == 0 ? 2 : 1; j + 2 <= k; j += 2) {
            s += Math.log(j / 2.0);
        }
        return s;
    }

    /** ∫₀¹ cos(πr/2)·r^(d−1) dr by 64-point Gauss–Legendre (the integrand is smooth: error below 1e-15). */
    static double cosineRadialIntegral(int d) {
        double[][] rule = org.kernels4j.linalg.Quadrature.gaussLegendre(64);
        double s = 0;
        for (int k = 0; k < 64; k++) {
            double r = 0.5 * (rule[0][k] + 1);
            s += 0.5 * rule[1][k] * Math.cos(0.5 * Math.PI * r) * Math.pow(r, d - 1);
        }
        return s;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "KernelDensity(%s, n=%d, d=%d)", profile.name().toLowerCase(Locale.ROOT),
                x.rows(), x.cols());
    }
}
