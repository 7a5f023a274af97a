package org.kernels4j.privacy;

import java.util.Random;
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
 * et al., 2023, and the building block of Backurs et al., ICLR 2024).
 *
 * <p>Mechanism: draw m frequencies ω_i from the kernel's spectral density (data-independent,
 * {@link RandomFourierFeatures}); with s = k(x, x) and φ(x) = √(s/m)·[cos(ω_iᵀx), sin(ω_iᵀx)]_i,
 * release
 * <pre>
 *   μ̃ = (1/n)·Σ_x φ(x) + η,   η_j ~ Laplace(0, Δ₁/ε) independently for j = 1..2m
 *   Δ₁ = 2·√(2·s·m)/n
 * </pre>
 * Δ₁ is the L1 sensitivity of the mean under <b>replace-one</b> neighbouring datasets (n is public):
 * ‖φ(x)‖₁ ≤ √(s/m)·m·√2 because |cos θ| + |sin θ| ≤ √2. The Laplace mechanism makes μ̃ ε-DP, and
 * everything computed from μ̃ and the public frequencies is post-processing, so queries are free.
 * The structure holds no training row.
 *
 * <p>Answers: mean(y) = φ(y)ᵀμ̃ estimates (1/n)Σ_x k(x, y) and sum(y) = n·mean(y). Both are
 * unbiased over the noise and the frequencies. Error of the mean: the feature error has standard
 * deviation O(s/√m), and the noise term φ(y)ᵀη has standard deviation exactly
 * ‖φ(y)‖·√2·Δ₁/ε = 4s·√m/(n·ε), since ‖φ(y)‖² = s. It therefore falls as 1/ε; m ≈ n·ε/4 balances the
 * two terms. Kernels: every one {@link RandomFourierFeatures} samples (rbf, ARD rbf, Laplacian
 * L2/L1, Matérn, and positive multiples).
 */
public final class PrivateKernelSum implements Model {
    /** The neighbouring relation the sensitivity is computed for. */
    public static final String NEIGHBOURS = "replace-one (n public)";
    /** The mechanism, as recorded in released files. */
    public static final String MECHANISM = "random Fourier features + Laplace";

    private final Kernel kernel;
    private final Matrix frequencies; // m × d
    private final double scale; // s = k(x, x)
    private final double[] noisyMean; // 2m
    private final int n;
    private final double epsilon;
    private final double sensitivity;

    private PrivateKernelSum(Kernel kernel, Matrix frequencies, double scale, double[] noisyMean, int n, double epsilon,
            double sensitivity) {
        this.kernel = kernel;
        this.frequencies = frequencies;
        this.scale = scale;
        this.noisyMean = noisyMean;
        this.n = n;
        this.epsilon = epsilon;
        this.sensitivity = sensitivity;
    }

    /**
     * Releases the structure for the private rows of {@code x}.
     *
     * @param features the number D = 2m of random features (even, ≥ 2)
     * @param epsilon the privacy parameter ε &gt; 0
     * @param frequencySeed seed of the (public, data-independent) frequencies
     * @param noiseSeed seed of the Laplace noise; use a fresh secret random value in real releases
     */
    static PrivateKernelSum release(Kernel kernel, Matrix x, int features, double epsilon, long frequencySeed,
            long noiseSeed) {
        if (x.rows() == 0) {
            throw new Kernels4jException("a private release needs at least one data row");
        }
        x.requireFinite("private data");
        if (features < 2 || features % 2 != 0) {
            throw new Kernels4jException("the number of random features must be even and >= 2, got " + features);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new Kernels4jException("epsilon must be a positive finite number, got " + epsilon);
        }
        int d = x.cols();
        RandomFourierFeatures rff = RandomFourierFeatures.of(kernel, features, d, RandomFourierFeatures.Sampling.IID,
                frequencySeed);
        Matrix w = rff.frequencies();
        double s = kernel.value(new double[d], new double[d]);
        int m = w.rows();
        int n = x.rows();
        double[] mean = new double[2 * m];
        for (int start = 0; start < n; start += 4096) { // row chunks: never n × 2m at once
            Matrix f = features(w, s, x.rowRange(start, Math.min(n, start + 4096)));
            double[] fd = f.data();
            for (int i = 0; i < f.rows(); i++) {
                for (int j = 0; j < 2 * m; j++) {
                    mean[j] += fd[i * 2 * m + j] / n;
                }
            }
        }
        double sensitivity = 2 * Math.sqrt(2 * s * m) / n;
        double b = sensitivity / epsilon;
        Random r = new Random(noiseSeed);
        for (int j = 0; j < mean.length; j++) {
            mean[j] += laplace(r, b);
        }
        return new PrivateKernelSum(kernel, w, s, mean, n, epsilon, sensitivity);
    }

    /** Rebuilds a released structure from its stored parts (as read from a file). */
    public static PrivateKernelSum of(String kernelSpec, Matrix frequencies, double[] noisyMean, int n, double epsilon,
            double sensitivity) {
        Kernel k = KernelSpec.parse(kernelSpec);
        if (noisyMean.length != 2 * frequencies.rows()) {
            throw new Kernels4jException("the noisy mean has " + noisyMean.length + " entries for " + frequencies.rows()
                    + " frequencies (expected twice as many)");
        }
        if (n < 1 || !(epsilon > 0) || !(sensitivity > 0)) {
            throw new Kernels4jException("n, epsilon and the sensitivity must be positive");
        }
        int d = frequencies.cols();
        return new PrivateKernelSum(k, frequencies.copy(), k.value(new double[d], new double[d]), noisyMean.clone(), n,
                epsilon, sensitivity);
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

    /** One draw from Laplace(0, b) by inversion; the noise of every private release here. */
    static double laplace(Random r, double b) {
        double u = r.nextDouble() - 0.5;
        return -b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
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

    /** ε, the mechanism, the sensitivity, the Laplace scale and n: what a release must state. */
    @Override
    public FitReport report() {
        return FitReport.builder().add("epsilon", epsilon).add("mechanism", MECHANISM).add("neighbours", NEIGHBOURS)
                .add("sensitivity_l1", sensitivity).add("laplace_scale", noiseScale()).add("n", n).build();
    }

    /**
     * Starts a builder: the release is the estimator's fit on the private rows. Defaults: 1000
     * random features, ε = 1, frequency seed 0, noise seed drawn from a {@link java.security.SecureRandom}.
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
        private Long noiseSeed;

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

        /** Seed of the Laplace noise, for reproducible tests only: a real release must leave it unset. */
        public Builder noiseSeed(long value) {
            this.noiseSeed = value;
            return this;
        }

        /** @throws Kernels4jException for an odd or too small D, or ε ≤ 0 */
        public UnsupervisedEstimator<PrivateKernelSum> build() {
            Release r = validated();
            return x -> release(r.kernel, x, r.features, r.epsilon, r.frequencySeed, r.noiseSeed());
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
                        r.frequencySeed, r.noiseSeed());
            };
        }

        /** The options of one release, frozen when the estimator is built. */
        private record Release(Kernel kernel, int features, double epsilon, long frequencySeed, Long fixedNoiseSeed) {
            /** The fixed seed, or a fresh one from a secure source for every release. */
            long noiseSeed() {
                return fixedNoiseSeed != null ? fixedNoiseSeed : new java.security.SecureRandom().nextLong();
            }
        }

        private Release validated() {
            if (features < 2 || features % 2 != 0) {
                throw new Kernels4jException("the number of random features must be even and >= 2, got " + features);
            }
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                throw new Kernels4jException("epsilon must be a positive finite number, got " + epsilon);
            }
            return new Release(kernel, features, epsilon, frequencySeed, noiseSeed);
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

    /** The standard deviation of the noise in each mean estimate, 4s·√m/(nε) (exact, see the class notes). */
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

    /** The L1 sensitivity Δ₁ = 2√(2sm)/n of the released mean. */
    public double sensitivity() {
        return sensitivity;
    }

    /** The Laplace scale Δ₁/ε added to each coordinate. */
    public double noiseScale() {
        return sensitivity / epsilon;
    }
}
