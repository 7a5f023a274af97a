package org.kernels4j.decomposition;

import java.util.Locale;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.approx.Nystrom;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeMatrix;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;
import org.kernels4j.model.UnsupervisedEstimator;

/**
 * Kernel principal component analysis (Schölkopf, Smola &amp; Müller, 1998), as scikit-learn's
 * {@code KernelPCA}: for n training rows x_i, the centred Gram matrix
 * <pre>
 *   K̃ = J·K·J,  J = I − 11ᵀ/n,   K̃_ij = K_ij − r̄_i − r̄_j + ḡ   (r̄ = row means of K, ḡ = their mean)
 * </pre>
 * has eigenpairs K̃·u_j = λ_j·u_j (λ_1 ≥ … ≥ λ_k, ‖u_j‖ = 1). The j-th projection of training row i is
 * √λ_j·u_ij, and of a new point x it is k̃(x)·u_j/√λ_j with k̃(x)_i = k(x, x_i) − mean_l k(x, x_l) − r̄_i
 * + ḡ (scikit-learn's {@code KernelCenterer}, exactly), so transforming a training row gives back its
 * projection. {@link Builder#centre(boolean) centre(false)} uses K itself (uncentred kernel PCA).
 *
 * <p>The eigenvalues are those of K̃ (scikit-learn's {@code eigenvalues_}; kernlab's {@code eig} is λ/n).
 * Eigenvalues below {@code eigenvalueTolerance}·λ_1 (default 1e-12, scikit-learn's) are set to 0; such a
 * component projects everything to 0 and is dropped with {@link Builder#removeZeroEigenvalues}. A negative
 * eigenvalue below −1e-5·λ_1 among the k means the kernel is not positive semi-definite, and is refused (as
 * scikit-learn does). Signs: each component is flipped so that its training projection of largest
 * magnitude (first such row on a tie) is positive, scikit-learn's {@code svd_flip} rule, so results do not
 * depend on the solver's start vectors.
 *
 * <p>Solvers ({@link Solver}), for k components of n rows:
 * <ul>
 *   <li>{@link Solver#dense()}: LAPACK {@code dsyevr} for the k largest pairs of K̃ only
 *       ({@link SymmetricEigen#top}); exact to rounding; (4/3)·n³ flops, n² memory twice.</li>
 *   <li>{@link Solver#lanczos(double)}: restarted block Krylov on K̃ (never formed: K̃·V = J·K·(J·V)),
 *       to a relative residual ‖K̃u − λu‖ ≤ tol·λ_1 (default 1e-11, so eigenvalues agree with the dense
 *       solver to about 1e-16 relative where gaps are not tiny); each iteration is one pass over K with
 *       a block of k + 10 vectors. O(n²·(k + 10)) per pass, n² memory (off the Java heap).</li>
 *   <li>{@link Solver#exact()} (the default): dense for n ≤ 1500 or k ≥ n/10, else Lanczos.</li>
 *   <li>{@link Solver#randomized(int, int)}: randomized subspace iteration (Halko et al.) with
 *       oversampling p and q power iterations, seeded; error decays like (λ_{k+p+1}/λ_k)^(2q+1).</li>
 *   <li>{@link Solver#nystrom(int, Landmarks.Sampler)}: m landmarks C, features φ(x) = K(x, C)·P with
 *       P = U_C·Λ_C^(−½) ({@link Nystrom}), centred by their training mean μ; the covariance
 *       Φ̃ᵀΦ̃ = V·diag(λ)·Vᵀ (m×m) gives the eigenvalues λ of the Nyström Gram Φ̃Φ̃ᵀ and projections
 *       (φ(x) − μ)·V. O(n·m·d + n·m²) time, O(n·m) memory: no n×n matrix. With m = n landmarks and a
 *       non-singular K it equals the exact solution.</li>
 * </ul>
 * The Gram matrix is computed by {@link GramEngine} (one GEMM per tile). Memory for the exact solvers:
 * one n×n matrix of doubles (800 MB at n = 10,000; off the heap for Lanczos and randomized), plus O(n·k).
 *
 * <p>Pre-images ({@link Builder#fitInverseTransform}): scikit-learn's learned inverse map (Bakır, Weston
 * &amp; Schölkopf, 2004), kernel ridge regression from the training projections Z (n×k) back to the
 * inputs: B = (K_z(Z, Z) + αI)⁻¹·X, x̂(z) = K_z(z, Z)·B, with K_z the PCA kernel itself unless
 * {@link Builder#inverseKernel} names another (the map works on k-dimensional projections). It costs one
 * n×n Cholesky factorisation (n³/3 flops).
 *
 * <p>A precomputed kernel matrix (a graph kernel over nodes, say) is fitted by {@link #fitKernelMatrix};
 * that model transforms rows of kernel values against the n training points.
 */
public final class KernelPca implements UnsupervisedEstimator<KernelPcaModel> {
    private static final int DENSE_LIMIT = 1500;
    private static final int MAX_RESTARTS = 500;

    private final Kernel kernel;
    private final int components;
    private final Solver solver;
    private final long seed;
    private final boolean centre;
    private final boolean removeZero;
    private final double eigenvalueTolerance;
    private final boolean inverse;
    private final double alpha;
    private final Kernel inverseKernel;

    private KernelPca(Builder b) {
        this.kernel = b.kernel;
        this.components = b.components;
        this.solver = b.solver;
        this.seed = b.seed;
        this.centre = b.centre;
        this.removeZero = b.removeZero;
        this.eigenvalueTolerance = b.eigenvalueTolerance;
        this.inverse = b.inverse;
        this.alpha = b.alpha;
        this.inverseKernel = b.inverseKernel;
    }

    /** A builder for kernel PCA with this kernel (k = 2 components, exact solver, centred). */
    public static Builder builder(Kernel kernel) {
        if (kernel == null) {
            throw new Kernels4jException("kernel PCA needs a kernel; use builder() to fit kernel matrices");
        }
        return new Builder(kernel);
    }

    /** A builder for kernel PCA of precomputed kernel matrices only ({@link #fitKernelMatrix}). */
    public static Builder builder() {
        return new Builder(null);
    }

    /** How the top eigenpairs are found; see {@link KernelPca}. Immutable. */
    public record Solver(Kind kind, double tolerance, int oversampling, int powerIterations, int landmarks,
            Landmarks.Sampler sampler) {
        /** The solver families. */
        public enum Kind {
            /** Dense for small n, Lanczos otherwise. */
            EXACT,
            /** LAPACK dsyevr, top k only. */
            DENSE,
            /** Restarted block Krylov to a residual tolerance. */
            LANCZOS,
            /** Randomized subspace iteration. */
            RANDOMIZED,
            /** Eigendecomposition in the Nyström feature space. */
            NYSTROM
        }

        /** Dense (dsyevr) for n ≤ 1500 or k ≥ n/10, else Lanczos with tolerance 1e-11. */
        public static Solver exact() {
            return new Solver(Kind.EXACT, 1e-11, 0, 0, 0, null);
        }

        /** LAPACK dsyevr for the k largest pairs: O(n³). */
        public static Solver dense() {
            return new Solver(Kind.DENSE, 0, 0, 0, 0, null);
        }

        /**
         * Restarted block Krylov until ‖K̃u − λu‖ ≤ tol·λ_1 for every component.
         *
         * @param tol relative residual, in [1e-15, 1e-2]
         */
        public static Solver lanczos(double tol) {
            if (!(tol >= 1e-15 && tol <= 1e-2)) {
                throw new Kernels4jException("the Lanczos tolerance must be in [1e-15, 1e-2], got " + tol);
            }
            return new Solver(Kind.LANCZOS, tol, 0, 0, 0, null);
        }

        /**
         * Randomized subspace iteration.
         *
         * @param oversampling extra vectors p ≥ 0 (scikit-learn's default 10)
         * @param powerIterations q ≥ 0, or −1 for scikit-learn's "auto": 7 when k &lt; n/10, else 4
         */
        public static Solver randomized(int oversampling, int powerIterations) {
            if (oversampling < 0) {
                throw new Kernels4jException("oversampling must be non-negative, got " + oversampling);
            }
            if (powerIterations < -1) {
                throw new Kernels4jException("power iterations must be non-negative (or -1 for auto), got "
                        + powerIterations);
            }
            return new Solver(Kind.RANDOMIZED, 0, oversampling, powerIterations, 0, null);
        }

        /** Randomized with oversampling 10 and automatic power iterations. */
        public static Solver randomized() {
            return randomized(10, -1);
        }

        /**
         * Kernel PCA in the Nyström feature space of m landmarks chosen by the sampler.
         *
         * @param m landmarks, 1 ≤ m ≤ n (checked at fit), and m ≥ k
         */
        public static Solver nystrom(int m, Landmarks.Sampler sampler) {
            if (m < 1) {
                throw new Kernels4jException("the Nystrom solver needs at least one landmark, got " + m);
            }
            if (sampler == null) {
                throw new Kernels4jException("the Nystrom solver needs a landmark sampler");
            }
            return new Solver(Kind.NYSTROM, 0, 0, 0, m, sampler);
        }

        /** Nyström with m uniformly sampled landmarks (as scikit-learn's {@code Nystroem}). */
        public static Solver nystrom(int m) {
            return nystrom(m, Landmarks.Sampler.UNIFORM);
        }

        /** A short name, e.g. {@code lanczos}, {@code nystrom(m=200, uniform)}. */
        public String describe() {
            String name = kind.name().toLowerCase(Locale.ROOT);
            switch (kind) {
                case NYSTROM:
                    return name + "(m=" + landmarks + ", " + sampler.name().toLowerCase(Locale.ROOT) + ")";
                case RANDOMIZED:
                    return name + "(oversampling=" + oversampling + ", power_iterations="
                            + (powerIterations < 0 ? "auto" : String.valueOf(powerIterations)) + ")";
                case LANCZOS:
                    return name + "(tol=" + tolerance + ")";
                default:
                    return name;
            }
        }
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private int components = 2;
        private Solver solver = Solver.exact();
        private long seed = 0;
        private boolean centre = true;
        private boolean removeZero = false;
        private double eigenvalueTolerance = 1e-12;
        private boolean inverse = false;
        private double alpha = 1.0;
        private Kernel inverseKernel;

        private Builder(Kernel kernel) {
            this.kernel = kernel;
        }

        /** The number of components k ≥ 1 (at most n, checked at fit); default 2. */
        public Builder components(int k) {
            this.components = k;
            return this;
        }

        /** The eigensolver; default {@link Solver#exact()}. */
        public Builder solver(Solver value) {
            if (value == null) {
                throw new Kernels4jException("the solver must not be null");
            }
            this.solver = value;
            return this;
        }

        /** The seed of the randomized, Lanczos and Nyström solvers; default 0. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Whether to centre the Gram matrix (default true; false is uncentred kernel PCA on K). */
        public Builder centre(boolean value) {
            this.centre = value;
            return this;
        }

        /** Whether to drop components whose eigenvalue is 0 after the tolerance (default false). */
        public Builder removeZeroEigenvalues(boolean value) {
            this.removeZero = value;
            return this;
        }

        /** Eigenvalues below tol·λ_1 become 0; tol in [0, 1), default 1e-12 (scikit-learn's). */
        public Builder eigenvalueTolerance(double tol) {
            this.eigenvalueTolerance = tol;
            return this;
        }

        /**
         * Learns the pre-image map (scikit-learn's {@code fit_inverse_transform}) with ridge α &gt; 0
         * (scikit-learn's {@code alpha}, default 1).
         */
        public Builder fitInverseTransform(double ridge) {
            this.inverse = true;
            this.alpha = ridge;
            return this;
        }

        /** The kernel of the pre-image map on the k-dimensional projections (default: the PCA kernel). */
        public Builder inverseKernel(Kernel value) {
            this.inverseKernel = value;
            return this;
        }

        /** @throws Kernels4jException for k ≤ 0, a bad tolerance or ridge, or pre-images without a kernel */
        public KernelPca build() {
            if (components < 1) {
                throw new Kernels4jException("kernel PCA needs at least one component, got " + components);
            }
            if (!(eigenvalueTolerance >= 0 && eigenvalueTolerance < 1)) {
                throw new Kernels4jException("the eigenvalue tolerance must be in [0, 1), got " + eigenvalueTolerance);
            }
            if (inverse) {
                if (!(alpha > 0) || Double.isInfinite(alpha)) {
                    throw new Kernels4jException("the inverse-transform ridge alpha must be positive and finite, got "
                            + alpha);
                }
                if (kernel == null && inverseKernel == null) {
                    throw new Kernels4jException("pre-images of a precomputed kernel matrix need an inverse kernel "
                            + "and the inputs; fit with a kernel instead");
                }
            }
            return new KernelPca(this);
        }
    }

    /** The kernel (null for a kernel-matrix-only estimator). */
    public Kernel kernel() {
        return kernel;
    }

    /** The number of components asked for. */
    public int components() {
        return components;
    }

    /** The solver. */
    public Solver solver() {
        return solver;
    }

    /**
     * Fits kernel PCA to the n×d rows of x (n ≥ 2 and k ≤ n).
     *
     * @throws Kernels4jException for empty or non-finite data, k &gt; n, or a non-PSD kernel
     */
    @Override
    public KernelPcaModel fit(Matrix x) {
        if (kernel == null) {
            throw new Kernels4jException("this kernel PCA was built without a kernel: use fitKernelMatrix");
        }
        TrainingData.requireInputs(x);
        requireComponents(x.rows());
        Matrix data = x.copy();
        if (solver.kind() == Solver.Kind.NYSTROM) {
            return fitNystrom(data);
        }
        int n = data.rows();
        if (useDense(n)) {
            Matrix k = GramEngine.gram(kernel, data);
            return finish(data, dense(k));
        }
        try (NativeMatrix k = new NativeMatrix(n, n)) {
            GramEngine.gram(kernel, data, k, ProgressListener.NONE);
            return finish(data, iterative(k));
        }
    }

    /**
     * Fits kernel PCA to a precomputed n×n symmetric kernel matrix (a graph kernel over nodes, say).
     * The model's {@link KernelPcaModel#transform} then takes m×n rows of kernel values between new points
     * and the n training points. The Nyström solver needs kernel evaluations and is refused here.
     *
     * @throws Kernels4jException when K is not square, not symmetric (to 1e-10 of its largest entry) or
     *     not finite, or k &gt; n
     */
    public KernelPcaModel fitKernelMatrix(Matrix gram) {
        int n = gram.rows();
        if (gram.cols() != n) {
            throw new Kernels4jException("a kernel matrix must be square, got " + gram.shape());
        }
        if (n == 0) {
            throw new Kernels4jException("the kernel matrix is empty");
        }
        gram.requireFinite("kernel matrix");
        requireSymmetric(gram);
        requireComponents(n);
        if (solver.kind() == Solver.Kind.NYSTROM) {
            throw new Kernels4jException("the Nystrom solver needs a kernel and data, not a kernel matrix; "
                    + "use the exact, lanczos or randomized solver");
        }
        if (useDense(n)) {
            return finish(null, dense(gram.copy()));
        }
        try (NativeMatrix k = NativeMatrix.copyOf(gram)) {
            return finish(null, iterative(k));
        }
    }

    private void requireComponents(int n) {
        if (components > n) {
            throw new Kernels4jException("cannot take " + components + " components from " + n + " points");
        }
        if (n < 2 && centre) {
            throw new Kernels4jException("kernel PCA needs at least two points to centre, got " + n);
        }
    }

    private static void requireSymmetric(Matrix k) {
        int n = k.rows();
        double[] d = k.data();
        double max = 0;
        for (double v : d) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double a = d[i * n + j];
                double b = d[j * n + i];
                if (Math.abs(a - b) > 1e-10 * max) {
                    throw new Kernels4jException("the kernel matrix is not symmetric: K[" + i + "][" + j + "] = " + a
                            + " but K[" + j + "][" + i + "] = " + b);
                }
            }
        }
    }

    private boolean useDense(int n) {
        switch (solver.kind()) {
            case DENSE:
                return true;
            case EXACT:
                return n <= DENSE_LIMIT || 10L * components >= n;
            default:
                return false;
        }
    }

    /** What the solvers hand to {@link #finish}: raw pairs plus the centring statistics of K. */
    private record Decomposition(double[] values, Matrix vectorRows, double[] rowMeans, double grandMean, double trace,
            FitReport.Builder report) {
    }

    /** Centres a heap K in place (if asked) and takes its top k pairs with dsyevr. */
    private Decomposition dense(Matrix k) {
        int n = k.rows();
        double[] d = k.data();
        double[] rowMeans = new double[n];
        double grand = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += d[i * n + j];
            }
            rowMeans[i] = s / n;
            grand += rowMeans[i];
        }
        grand /= n;
        double trace = 0;
        if (centre) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    d[i * n + j] += grand - rowMeans[i] - rowMeans[j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            trace += d[i * n + i];
        }
        SymmetricEigen e = SymmetricEigen.top(k, components);
        double[] values = new double[components];
        Matrix rows = new Matrix(components, n);
        for (int j = 0; j < components; j++) {
            int col = components - 1 - j;
            values[j] = e.value(col);
            for (int i = 0; i < n; i++) {
                rows.set(j, i, e.vectors().get(i, col));
            }
        }
        return new Decomposition(values, rows, rowMeans, grand, trace, FitReport.builder().add("solver", "dense"));
    }

    /** Lanczos or randomized on the off-heap K, which is never changed (K̃ is applied as J·K·J). */
    private Decomposition iterative(NativeMatrix k) {
        int n = k.rows();
        Matrix ones = new Matrix(n, 1);
        java.util.Arrays.fill(ones.data(), 1.0);
        double[] rowMeans = k.times(ones).data();
        double grand = 0;
        for (int i = 0; i < n; i++) {
            rowMeans[i] /= n;
            grand += rowMeans[i];
        }
        grand /= n;
        double trace = 0;
        for (double v : k.diagonal()) {
            trace += v;
        }
        if (centre) {
            trace -= n * grand; // tr(JKJ) = tr(K) − 1ᵀK1/n
        }
        EigenSolvers.Operator op = EigenSolvers.gram(k, centre);
        EigenSolvers.Result r;
        FitReport.Builder report = FitReport.builder();
        if (solver.kind() == Solver.Kind.RANDOMIZED) {
            int q = solver.powerIterations() >= 0 ? solver.powerIterations() : components < 0.1 * n ? 7 : 4;
            r = EigenSolvers.randomized(op, components, solver.oversampling(), q, seed);
            report.add("solver", "randomized").add("power_iterations", (long) q);
        } else {
            double tol = solver.kind() == Solver.Kind.LANCZOS ? solver.tolerance() : Solver.exact().tolerance();
            int block = Math.min(n, components + 10);
            r = EigenSolvers.blockKrylov(op, components, block, Math.max(4 * block, 40), tol, MAX_RESTARTS, seed);
            report.add("solver", "lanczos").add("restarts", (long) r.restarts());
        }
        report.add("passes", (long) r.passes()).add("max_relative_residual", r.maxRelativeResidual());
        return new Decomposition(r.values(), r.vectorRows(), rowMeans, grand, trace, report);
    }

    /**
     * Common end of every exact-family fit: tolerance, signs, order, zero removal; projections
     * √λ·u and transform coefficients u/√λ.
     */
    private KernelPcaModel finish(Matrix x, Decomposition dec) {
        int n = dec.vectorRows().cols();
        double[] lam = dec.values().clone();
        Matrix u = dec.vectorRows().transpose(); // n×k, columns are eigenvectors
        Matrix z = new Matrix(n, components);
        for (int j = 0; j < components; j++) {
            for (int i = 0; i < n; i++) {
                z.set(i, j, u.get(i, j));
            }
        }
        Components c = Components.of(lam, z, eigenvalueTolerance, removeZero);
        // now z holds unit eigenvectors signed and ordered; projections √λ·u, coefficients u/√λ
        Matrix proj = new Matrix(n, c.count());
        Matrix coef = new Matrix(n, c.count());
        for (int j = 0; j < c.count(); j++) {
            double s = Math.sqrt(c.values()[j]);
            for (int i = 0; i < n; i++) {
                double v = c.vectors().get(i, j);
                proj.set(i, j, v * s);
                coef.set(i, j, s > 0 ? v / s : 0);
            }
        }
        FitReport report = dec.report().add("components", (long) c.count()).add("centred_trace", dec.trace()).build();
        KernelPcaModel.Inverse inv = x != null && inverse ? learnInverse(proj, x) : null;
        return new KernelPcaModel(x == null ? null : kernel, x, coef, centre ? dec.rowMeans() : null,
                centre ? dec.grandMean() : 0, new double[c.count()], c.values(), dec.trace(), proj, inv,
                solver.describe(), centre, report);
    }

    /** Kernel PCA in the centred Nyström feature space; no n×n matrix is formed. */
    private KernelPcaModel fitNystrom(Matrix x) {
        int n = x.rows();
        int m = solver.landmarks();
        if (m > n) {
            throw new Kernels4jException("cannot choose " + m + " Nystrom landmarks from " + n + " points");
        }
        Nystrom map = Nystrom.fit(kernel, x, m, solver.sampler(), 1e-3, seed);
        Matrix phi = map.transform(x); // n×D
        int dim = phi.cols();
        if (components > dim) {
            throw new Kernels4jException("the Nystrom features have rank " + dim + ", fewer than the " + components
                    + " components asked for; use more landmarks");
        }
        double[] mu = centre ? phi.columnMeans() : new double[dim];
        double[] pd = phi.data();
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < dim; a++) {
                pd[i * dim + a] -= mu[a];
            }
        }
        Matrix cov = new Matrix(dim, dim);
        Blas.gemm(true, false, 1.0, phi, phi, 0.0, cov);
        double trace = 0;
        for (int a = 0; a < dim; a++) {
            trace += cov.get(a, a);
        }
        SymmetricEigen e = SymmetricEigen.top(cov, components);
        double[] lam = new double[components];
        Matrix v = new Matrix(dim, components);
        for (int j = 0; j < components; j++) {
            int col = components - 1 - j;
            lam[j] = e.value(col);
            for (int a = 0; a < dim; a++) {
                v.set(a, j, e.vectors().get(a, col));
            }
        }
        // the training projections Φ̃·v_j = √λ_j·u_j; signs and order are fixed on them, then carried to V
        Matrix z = phi.times(v);
        Components c = Components.ofProjections(lam, z, v, eigenvalueTolerance, removeZero);
        Matrix proj = c.vectors();
        Matrix dirs = c.directions();
        for (int j = 0; j < c.count(); j++) {
            if (c.values()[j] == 0) { // a null direction projects everything to 0, as in the exact solvers
                for (int i = 0; i < n; i++) {
                    proj.set(i, j, 0);
                }
                for (int a = 0; a < dim; a++) {
                    dirs.set(a, j, 0);
                }
            }
        }
        Matrix coef = map.projection().times(dirs); // m×k: φ(x)·V = K(x, C)·P·V
        double[] offset = new double[c.count()];
        for (int j = 0; j < c.count(); j++) {
            for (int a = 0; a < dim; a++) {
                offset[j] += mu[a] * dirs.get(a, j);
            }
        }
        FitReport report = FitReport.builder().add("solver", "nystrom").add("landmarks", (long) m)
                .add("nystrom_rank", (long) dim).add("components", (long) c.count()).add("centred_trace", trace)
                .build();
        KernelPcaModel.Inverse inv = inverse ? learnInverse(proj, x) : null;
        return new KernelPcaModel(kernel, map.landmarks(), coef, null, 0, offset, c.values(), trace, proj, inv,
                solver.describe(), centre, report);
    }

    /** B = (K_z(Z, Z) + αI)⁻¹·X by Cholesky. */
    private KernelPcaModel.Inverse learnInverse(Matrix z, Matrix x) {
        Kernel kz = inverseKernel != null ? inverseKernel : kernel;
        Matrix g = GramEngine.gram(kz, z);
        for (int i = 0; i < g.rows(); i++) {
            g.set(i, i, g.get(i, i) + alpha);
        }
        try (Cholesky c = Cholesky.factor(g, "inverse-transform kernel matrix + alpha*I")) {
            return new KernelPcaModel.Inverse(kz, alpha, c.solve(x));
        }
    }

    /** The kept components after the tolerance, sign rule, descending order and zero removal. */
    record Components(double[] values, Matrix vectors, Matrix directions) {
        int count() {
            return values.length;
        }

        /** From eigenvalues and unit eigenvector columns (n×k). */
        static Components of(double[] lam, Matrix u, double tol, boolean removeZero) {
            return ofProjections(lam, u, null, tol, removeZero);
        }

        /**
         * From eigenvalues and columns z whose signs decide (eigenvectors or projections), carrying
         * the same flips and order to the columns of {@code dirs} (may be null).
         */
        static Components ofProjections(double[] lam, Matrix z, Matrix dirs, double tol, boolean removeZero) {
            int k = lam.length;
            int n = z.rows();
            double top = Double.NEGATIVE_INFINITY;
            for (double v : lam) {
                top = Math.max(top, v);
            }
            if (!(top > 0)) {
                throw new Kernels4jException("the centred kernel matrix has no positive eigenvalue (largest " + top
                        + "): every point has the same feature vector");
            }
            double[] clipped = new double[k];
            for (int j = 0; j < k; j++) {
                if (lam[j] < -1e-5 * top) {
                    throw new Kernels4jException("the centred kernel matrix has a significant negative eigenvalue "
                            + lam[j] + " (largest " + top + "): the kernel is not positive semi-definite");
                }
                clipped[j] = lam[j] < tol * top ? 0 : lam[j];
            }
            Integer[] order = new Integer[k];
            for (int j = 0; j < k; j++) {
                order[j] = j;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(clipped[b], clipped[a])); // stable: ties keep order
            int kept = 0;
            for (int j = 0; j < k; j++) {
                kept += !removeZero || clipped[order[j]] > 0 ? 1 : 0;
            }
            double[] values = new double[kept];
            Matrix out = new Matrix(n, kept);
            Matrix outDirs = dirs == null ? null : new Matrix(dirs.rows(), kept);
            for (int j = 0; j < kept; j++) {
                int src = order[j];
                values[j] = clipped[src];
                int arg = 0;
                for (int i = 1; i < n; i++) {
                    if (Math.abs(z.get(i, src)) > Math.abs(z.get(arg, src))) {
                        arg = i;
                    }
                }
                double sign = z.get(arg, src) < 0 ? -1 : 1;
                for (int i = 0; i < n; i++) {
                    out.set(i, j, sign * z.get(i, src));
                }
                if (dirs != null) {
                    for (int a = 0; a < dirs.rows(); a++) {
                        outDirs.set(a, j, sign * dirs.get(a, src));
                    }
                }
            }
            return new Components(values, out, outDirs);
        }
    }
}
