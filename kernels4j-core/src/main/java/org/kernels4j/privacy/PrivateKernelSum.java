package org.kernels4j.privacy;

import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.RandomFourierFeatures;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.Model;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.TrainingData;
import org.kernels4j.model.UnsupervisedEstimator;

/**
 * A released, ε-differentially private structure that answers kernel sums Σ_(x∈X) k(x, y) over a
 * private dataset X for any number of queries y (random features plus the Laplace mechanism; Wagner
 * et al., 2023, and the building block of Backurs et al., ICLR 2024), with noise that holds against
 * an adversary who sees the released bits.
 *
 * <p>Mechanism: draw m frequencies ω_i from the kernel's spectral density (data-independent, public,
 * {@link RandomFourierFeatures}); with s = k(x, x), c = √(s/m) and φ(x) = c·[cos(ω_iᵀx), sin(ω_iᵀx)]_i,
 * <pre>
 *   Δ   = 2√2·c·m·(1 + 2^-40)/n             L1 sensitivity of the mean (1/n)Σ_x φ(x)
 *   γ   = largest power of two ≤ Δ/(2m·2^10)  the grid
 *   S_j = Σ_x round(φ_j(x)/γ)                 exact integer sums (no floating-point summation)
 *   N_j = round(S_j/n)                        the mean on the grid, in grid steps
 *   μ̃_j = γ·(N_j + Z_j),  Z_j ~ DLap(Δ′/(εγ)) independently, j = 1..2m
 *   Δ′  = (n·Δ + 2m·γ)/n + 2m·γ               the sensitivity of γN
 * </pre>
 * Δ is the L1 sensitivity under <b>replace-one</b> neighbouring datasets (n public):
 * |cos θ| + |sin θ| ≤ √2, so replacing one row moves Σ_x φ(x) by at most 2√2·c per frequency; the
 * factor 1 + 2^-40 covers the few-ulp error of the computed cos, sin and c. Snapping a row's features
 * moves each of the 2m coordinates of S by at most one more step (|round(a) − round(b)| ≤ |a − b| + 1),
 * and rounding S/n one more: hence Δ′ ≤ Δ·(1 + 2^-9). Z is drawn exactly ({@link DiscreteLaplace},
 * Canonne–Kamath–Steinke 2020) from a cryptographically secure generator ({@link SecureBits}), so the
 * release is ε-DP (the geometric mechanism, see {@link GridLaplace}) with no floating-point leak, and
 * everything computed from μ̃ and the public frequencies is post-processing: queries are unlimited and
 * free. The structure holds no training row, and no noise seed exists to record.
 *
 * <p>Answers: mean(y) = φ(y)ᵀμ̃ estimates (1/n)Σ_x k(x, y) and sum(y) = n·mean(y). Both are
 * unbiased over the noise up to the grid's rounding (at most γ per coordinate) and over the frequencies.
 * Error of the mean: the feature error has standard deviation O(s/√m), and the noise term φ(y)ᵀη has
 * standard deviation ‖φ(y)‖·√2·Δ′/ε = 4s·√m/(n·ε)·(Δ′/Δ), since ‖φ(y)‖² = s and the discrete Laplace's
 * variance is the continuous one's, 2(Δ′/ε)², less at most γ²/6. It therefore falls as 1/ε; m ≈ n·ε/4
 * balances the two terms. Kernels: every one {@link RandomFourierFeatures} samples (rbf, ARD rbf,
 * Laplacian L2/L1, Matérn, and positive multiples).
 *
 * <p>Files released before this mechanism (continuous Laplace from a seeded {@code java.util.Random})
 * still load; their report states that mechanism and a granularity of 0.
 */
public final class PrivateKernelSum implements Model {
    /** The neighbouring relation the sensitivity is computed for. */
    public static final String NEIGHBOURS = "replace-one (n public)";
    /** The mechanism, as recorded in released files. */
    public static final String MECHANISM = "random Fourier features + discrete Laplace on a power-of-two grid "
            + "(exact sampler, Canonne-Kamath-Steinke 2020; secure random source)";
    /** The mechanism of files written before the discrete mechanism (no granularity field). */
    public static final String LEGACY_MECHANISM = "random Fourier features + Laplace";
    /** What a release answers: every query is post-processing of one release. */
    public static final String QUERIES = "unlimited (post-processing of one release)";

    private final Kernel kernel;
    private final Matrix frequencies; // m × d
    private final double scale; // s = k(x, x)
    private final double[] noisyMean; // 2m
    private final int n;
    private final double epsilon;
    private final double sensitivity;
    private final double granularity; // 0: a legacy continuous release
    private final String mechanism;

    private PrivateKernelSum(Kernel kernel, Matrix frequencies, double scale, double[] noisyMean, int n, double epsilon,
            double sensitivity, double granularity, String mechanism) {
        this.kernel = kernel;
        this.frequencies = frequencies;
        this.scale = scale;
        this.noisyMean = noisyMean;
        this.n = n;
        this.epsilon = epsilon;
        this.sensitivity = sensitivity;
        this.granularity = granularity;
        this.mechanism = mechanism;
    }

    /**
     * Releases the structure for the private rows of {@code x} (see the class notes).
     *
     * @param features the number D = 2m of random features (even, ≥ 2)
     * @param epsilon the privacy parameter ε &gt; 0
     * @param frequencySeed seed of the (public, data-independent) frequencies
     * @param noise the noise source: {@link NoiseSource#secure()} in every real release
     */
    static PrivateKernelSum release(Kernel kernel, Matrix x, int features, double epsilon, long frequencySeed,
            NoiseSource noise) {
        if (x.rows() == 0) {
            throw new Kernels4jException("a private release needs at least one data row");
        }
        long[] sums = gridSums(kernel, x, features, frequencySeed, x.rows());
        return releaseFromGridSums(kernel, x.cols(), sums, x.rows(), features, epsilon, frequencySeed, noise);
    }

    /**
     * The exact integer grid sums S_j = Σ_x round(φ_j(x)/γ) (j = 1..D) of some of the private rows, for a
     * release whose rows are spread over machines: γ depends only on n (all rows, public) and D, and integer
     * sums add exactly, so the parts' sums added up are the sums of all rows, and
     * {@link #releaseFromGridSums} on them is the release of all rows (the noise apart). These sums are not
     * private: only the release may leave the place where they are added. O(rows·D·d).
     *
     * @param n the number of rows of the whole data set
     */
    public static long[] gridSums(Kernel kernel, Matrix part, int features, long frequencySeed, long n) {
        part.requireFinite("private data");
        if (features < 2 || features % 2 != 0) {
            throw new Kernels4jException("the number of random features must be even and >= 2, got " + features);
        }
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new Kernels4jException("a private release needs between 1 and 2^31 - 1 rows, got " + n);
        }
        int d = part.cols();
        Matrix w = RandomFourierFeatures.of(kernel, features, d, RandomFourierFeatures.Sampling.IID, frequencySeed)
                .frequencies();
        double s = kernel.value(new double[d], new double[d]);
        int m = w.rows();
        int rows = part.rows();
        double gamma = GridLaplace.granularity(rowSensitivity(s, m) / n, 2L * m);
        long[] sums = new long[2 * m];
        for (int start = 0; start < rows; start += 4096) { // row chunks: never rows × 2m at once
            Matrix f = features(w, s, part.rowRange(start, Math.min(rows, start + 4096)));
            double[] fd = f.data();
            for (int i = 0; i < f.rows(); i++) {
                for (int j = 0; j < 2 * m; j++) {
                    sums[j] = Math.addExact(sums[j], GridLaplace.units(fd[i * 2 * m + j], gamma));
                }
            }
        }
        return sums;
    }

    /**
     * The ε-DP release from the grid sums of all n rows ({@link #gridSums}), with noise from the secure
     * generator: N_j = round(S_j/n) and μ̃_j = γ·(N_j + Z_j) as in the class notes.
     *
     * @param d the input dimension
     */
    public static PrivateKernelSum releaseFromGridSums(Kernel kernel, int d, long[] sums, int n, int features,
            double epsilon, long frequencySeed) {
        return releaseFromGridSums(kernel, d, sums, n, features, epsilon, frequencySeed, NoiseSource.secure());
    }

    static PrivateKernelSum releaseFromGridSums(Kernel kernel, int d, long[] sums, int n, int features,
            double epsilon, long frequencySeed, NoiseSource noise) {
        if (features < 2 || features % 2 != 0) {
            throw new Kernels4jException("the number of random features must be even and >= 2, got " + features);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new Kernels4jException("epsilon must be a positive finite number, got " + epsilon);
        }
        if (n < 1) {
            throw new Kernels4jException("a private release needs at least one data row");
        }
        RandomFourierFeatures rff = RandomFourierFeatures.of(kernel, features, d, RandomFourierFeatures.Sampling.IID,
                frequencySeed);
        Matrix w = rff.frequencies();
        double s = kernel.value(new double[d], new double[d]);
        int m = w.rows();
        if (sums.length != 2 * m) {
            throw new Kernels4jException("the grid sums have " + sums.length + " entries for " + features
                    + " features");
        }
        double rowSensitivity = rowSensitivity(s, m);
        double gamma = GridLaplace.granularity(rowSensitivity / n, 2L * m);
        long[] units = new long[2 * m];
        for (int j = 0; j < units.length; j++) {
            units[j] = GridLaplace.roundDiv(sums[j], n);
        }
        double sensitivity = adjustedSensitivity(rowSensitivity, m, n, gamma);
        double[] mean = GridLaplace.release(units, gamma, sensitivity, epsilon, noise);
        return new PrivateKernelSum(kernel, w, s, mean, n, epsilon, sensitivity, gamma, MECHANISM);
    }

    /** Δ_row = 2√2·c·m·(1 + 2^-40), c = √(s/m): the L1 sensitivity of Σ_x φ(x) under replace-one. */
    private static double rowSensitivity(double s, int m) {
        return 2 * Math.sqrt(2) * Math.sqrt(s / m) * m * (1 + 0x1p-40);
    }

    /** Δ′ = (Δ_row + 2mγ)/n + 2mγ, rounded up (Δ_row: the sensitivity of Σ_x φ(x)). */
    static double adjustedSensitivity(double rowSensitivity, int m, int n, double gamma) {
        double v = (rowSensitivity + 2.0 * m * gamma) / n + 2.0 * m * gamma;
        return Math.nextUp(Math.nextUp(v));
    }

    /** Rebuilds a legacy (continuous Laplace) release from its stored parts, as files before granularity hold. */
    public static PrivateKernelSum of(String kernelSpec, Matrix frequencies, double[] noisyMean, int n, double epsilon,
            double sensitivity) {
        return of(kernelSpec, frequencies, noisyMean, n, epsilon, sensitivity, 0, LEGACY_MECHANISM);
    }

    /**
     * Rebuilds a released structure from its stored parts (as read from a file).
     *
     * @param granularity the grid γ of the release, 0 for a legacy continuous release
     * @param mechanism the recorded mechanism
     */
    public static PrivateKernelSum of(String kernelSpec, Matrix frequencies, double[] noisyMean, int n, double epsilon,
            double sensitivity, double granularity, String mechanism) {
        Kernel k = KernelSpec.parse(kernelSpec);
        if (noisyMean.length != 2 * frequencies.rows()) {
            throw new Kernels4jException("the noisy mean has " + noisyMean.length + " entries for " + frequencies.rows()
                    + " frequencies (expected twice as many)");
        }
        if (n < 1 || !(epsilon > 0) || !(sensitivity > 0) || !(granularity >= 0)) {
            throw new Kernels4jException("n, epsilon and the sensitivity must be positive, the granularity >= 0");
        }
        int d = frequencies.cols();
        return new PrivateKernelSum(k, frequencies.copy(), k.value(new double[d], new double[d]), noisyMean.clone(), n,
                epsilon, sensitivity, granularity, mechanism);
    }

    /** φ(y) for the rows of y: √(s/m)·[cos(Wy), sin(Wy)]. */
    private static Matrix features(Matrix w, double s, Matrix y) {
        Matrix proj = y.times(w.transpose()); // rows × m
        int rows = y.rows();
        int m = w.rows();
        Matrix out = new Matrix(rows, 2 * m);
        double c = Math.sqrt(s / m);
        double[] p = proj.data();
        double[] o = out.data();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < m; j++) {
                double t = p[i * m + j];
                o[i * 2 * m + j] = c * Math.cos(t);
                o[i * 2 * m + m + j] = c * Math.sin(t);
            }
        }
        return out;
    }

    /** The estimated means (1/n)·Σ_x k(x, y), m×1 (see {@link #means}). */
    @Override
    public Matrix predict(Matrix queries) {
        return Matrix.column(means(queries));
    }

    @Override
    public int features() {
        return frequencies.cols();
    }

    /**
     * The privacy accounting of the release: ε, the mechanism, the neighbouring relation, the adjusted
     * L1 sensitivity Δ′, the grid γ, the Laplace scale Δ′/ε, the number of noisy values released, the
     * queries it answers (unlimited) and n.
     */
    @Override
    public FitReport report() {
        return FitReport.builder().add("epsilon", epsilon).add("mechanism", mechanism).add("neighbours", NEIGHBOURS)
                .add("sensitivity_l1", sensitivity).add("granularity", granularity).add("laplace_scale", noiseScale())
                .add("noisy_values", (long) noisyMean.length).add("queries", QUERIES).add("n", n).build();
    }

    /**
     * Starts a builder: the release is the estimator's fit on the private rows. Defaults: 1000
     * random features, ε = 1, frequency seed 0; the noise always comes from a secure generator
     * ({@link SecureBits}) and has no seed.
     */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options of a release, validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private int features = 1000;
        private double epsilon = 1;
        private long frequencySeed;
        private java.util.function.Supplier<NoiseSource> noise = NoiseSource::secure;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("a private kernel sum needs a kernel");
            }
            this.kernel = kernel;
        }

        /** D = 2m random features, even and ≥ 2. */
        public Builder features(int value) {
            this.features = value;
            return this;
        }

        /** ε &gt; 0. */
        public Builder epsilon(double value) {
            this.epsilon = value;
            return this;
        }

        /** Seed of the public, data-independent frequencies. */
        public Builder frequencySeed(long value) {
            this.frequencySeed = value;
            return this;
        }

        /** Package-private test seam: where each release's noise comes from (default: secure). */
        Builder noise(java.util.function.Supplier<NoiseSource> value) {
            this.noise = value;
            return this;
        }

        /** @throws Kernels4jException for an odd or too small D, or ε ≤ 0 */
        public UnsupervisedEstimator<PrivateKernelSum> build() {
            Release r = validated();
            return x -> release(r.kernel, x, r.features, r.epsilon, r.frequencySeed, r.noise.get());
        }

        /**
         * The private similarity classifier with these options: one release per class over that
         * class's rows, each with the full ε, sharing the frequencies; fitted on the rows and their
         * labels (n×1).
         *
         * @throws Kernels4jException for an odd or too small D, or ε ≤ 0
         */
        public Estimator<PrivateSimilarityClassifier> buildClassifier() {
            Release r = validated();
            return (x, y) -> {
                TrainingData.requireLabels(x, y);
                return PrivateSimilarityClassifier.release(r.kernel, x, y.data(), r.features, r.epsilon,
                        r.frequencySeed, r.noise.get());
            };
        }

        /** The options of one release, frozen when the estimator is built. */
        private record Release(Kernel kernel, int features, double epsilon, long frequencySeed,
                java.util.function.Supplier<NoiseSource> noise) {
        }

        private Release validated() {
            if (features < 2 || features % 2 != 0) {
                throw new Kernels4jException("the number of random features must be even and >= 2, got " + features);
            }
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                throw new Kernels4jException("epsilon must be a positive finite number, got " + epsilon);
            }
            return new Release(kernel, features, epsilon, frequencySeed, noise);
        }
    }

    /** Estimates of (1/n)·Σ_x k(x, y) for every query row. */
    public double[] means(Matrix queries) {
        if (queries.cols() != frequencies.cols()) {
            throw new Kernels4jException("queries have " + queries.cols() + " features but the structure has "
                    + frequencies.cols());
        }
        queries.requireFinite("query data");
        double[] out = new double[queries.rows()];
        for (int start = 0; start < out.length; start += 4096) {
            int end = Math.min(out.length, start + 4096);
            double[] v = features(frequencies, scale, queries.rowRange(start, end)).times(Matrix.column(noisyMean)).data();
            System.arraycopy(v, 0, out, start, end - start);
        }
        return out;
    }

    /** Estimates of Σ_x k(x, y) = n·mean. */
    public double[] sums(Matrix queries) {
        double[] m = means(queries);
        for (int i = 0; i < m.length; i++) {
            m[i] *= n;
        }
        return m;
    }

    /**
     * The standard deviation of the noise in each mean estimate, √(2s)·Δ′/ε = 4s·√m/(nε)·(Δ′/Δ) (the
     * continuous Laplace's; the discrete one's is smaller by at most γ²/6 in variance per coordinate).
     */
    public double noiseStandardDeviation() {
        return Math.sqrt(2 * scale) * sensitivity / epsilon;
    }

    /** The kernel. */
    public Kernel kernel() {
        return kernel;
    }

    /** The public frequencies, m × d (a copy). */
    public Matrix frequencies() {
        return frequencies.copy();
    }

    /** The released noisy mean feature vector μ̃ (a copy). */
    public double[] noisyMean() {
        return noisyMean.clone();
    }

    /** The number of private rows n (public under replace-one neighbours). */
    public int size() {
        return n;
    }

    /** ε. */
    public double epsilon() {
        return epsilon;
    }

    /** The adjusted L1 sensitivity Δ′ of the released grid values (≤ (1 + 2^-9)·2√(2sm)/n, class notes). */
    public double sensitivity() {
        return sensitivity;
    }

    /** The grid γ the released values lie on (a power of two), or 0 for a legacy continuous release. */
    public double granularity() {
        return granularity;
    }

    /** The mechanism that produced this release (as recorded). */
    public String mechanism() {
        return mechanism;
    }

    /** The Laplace scale Δ′/ε added to each coordinate (γ times the discrete scale in grid steps). */
    public double noiseScale() {
        return sensitivity / epsilon;
    }
}
