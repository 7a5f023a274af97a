package org.kernels4j.gp;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.model.TrainingData;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.StationaryKernel;
import org.kernels4j.kernel.SumKernel;
import org.kernels4j.kernel.WhiteNoiseKernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;

/**
 * Sparse Gaussian process regression with m inducing inputs Z (Titsias, 2009, "Variational learning
 * of inducing variables in sparse Gaussian processes"; the collapsed bound, called SGPR in GPflow).
 *
 * <p>The kernel is written as for the exact GP, {@code signal + white(noise=σ²)}: its white-noise
 * terms are the Gaussian likelihood's variance σ² and the rest is the signal kernel k. With
 * U = K(Z, X) (m×n), M = K(Z, Z), Q = UᵀM⁻¹U and P = σ²M + UUᵀ, the evidence lower bound is
 * <pre>
 *   F = log N(y | 0, Q + σ²I) − tr(K(X, X) − Q)/(2σ²)  ≤  log p(y)   (summed over outputs)
 *   log det(Q + σ²I) = log det P − log det M + (n − m)·log σ²,   yᵀ(Q + σ²I)⁻¹y = (yᵀy − (Uy)ᵀP⁻¹(Uy))/σ²
 * </pre>
 * and equals the exact log marginal likelihood when Z = X. Its gradient with respect to log θ of
 * every hyperparameter (σ² included) and to Z comes from
 * <pre>
 *   ∂F/∂U = BAᵀ + k·(M⁻¹/σ² − P⁻¹)·U,   A = (Y − UᵀP⁻¹Uy)/σ²  (n×k),  B = M⁻¹UA  (m×k)
 *   ∂F/∂M = −½·(BBᵀ − k·M⁻¹ + k·σ²P⁻¹) − k/(2σ²)·M⁻¹UUᵀM⁻¹,   ∂F/∂K(x_i, x_i) = −k/(2σ²)
 * </pre>
 * contracted band by band with the kernel's derivatives ({@link GramEngine#crossGradientContractions}),
 * so U is never stored: each evaluation makes two passes over U, costs O(n·m² + n·m·d) and holds
 * O(m² + n·k) memory. Numerically everything goes through L⁻¹U with L Lᵀ = K(Z, Z) + εI (a fixed
 * relative jitter, see {@link Builder#jitter}), as GPflow does, never through M⁻¹ and P⁻¹ separately. Inducing inputs start at points chosen by a {@link Landmarks} sampler (k-means++
 * by default) and are optimized with the hyperparameters when the signal kernel is stationary (rbf,
 * matern, rq, optionally scaled); for other kernels they stay where the sampler put them.
 *
 * <p>Prediction: with Σ = (M + UUᵀ/σ²)⁻¹, mean(x*) = K(x*, Z)·β with β = Σ·U·y/σ², and
 * var(x*) = k(x*, x*) − K(x*, Z)·(M⁻¹ − Σ)·K(Z, x*).
 *
 * <p>The data enter only through sums over rows: AAᵀ, A·Y, ‖Y‖² and tr K(X, X) for the bound, and the
 * contractions of ∂F/∂U for its gradient. {@link #bound(Rows, Matrix)} and {@link #fit(Rows, Matrix)} take rows
 * held elsewhere through {@link Rows}, which adds {@link #blockStatistics} and {@link #blockGradient} over its
 * blocks (kernels4j-spark's sparse GP does it per partition); in memory, the data are one block.
 */
public final class SparseGaussianProcess implements Estimator<SparseGaussianProcessModel> {
    private final Kernel kernel;
    private final int inducing;
    private final Landmarks.Sampler sampler;
    private final long seed;
    private final boolean optimizeInducing;
    private final boolean normalizeTargets;
    private final double jitter;
    private final HyperparameterSearch search;

    private SparseGaussianProcess(Builder b) {
        this.kernel = b.kernel;
        this.inducing = b.inducing;
        this.sampler = b.sampler;
        this.seed = b.seed;
        this.optimizeInducing = b.optimizeInducing;
        this.normalizeTargets = b.normalizeTargets;
        this.jitter = b.jitter;
        this.search = b.search;
        split(kernel); // checks the kernel's form now
    }

    /** Options: 100 inducing points by k-means++, seed 0, inducing points optimized, targets as given. */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options for {@link SparseGaussianProcess}. */
    public static final class Builder {
        private final Kernel kernel;
        private int inducing = 100;
        private Landmarks.Sampler sampler = Landmarks.Sampler.KMEANS_PP;
        private long seed;
        private boolean optimizeInducing = true;
        private boolean normalizeTargets;
        private double jitter = 1e-6;
        private HyperparameterSearch search;

        private Builder(Kernel kernel) {
            this.kernel = kernel;
        }

        /** Number of inducing points m ≥ 1 (at most n). */
        public Builder inducing(int m) {
            if (m < 1) {
                throw new Kernels4jException("the number of inducing points must be >= 1, got " + m);
            }
            this.inducing = m;
            return this;
        }

        /** How the initial inducing points are picked from the training rows. */
        public Builder sampler(Landmarks.Sampler s) {
            this.sampler = s;
            return this;
        }

        /** Seed for the sampler. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Whether {@link #fit(Matrix, Matrix, HyperparameterSearch)} moves the inducing points too. */
        public Builder optimizeInducing(boolean on) {
            this.optimizeInducing = on;
            return this;
        }

        /** Centre and scale each target column to unit variance before fitting. */
        public Builder normalizeTargets(boolean on) {
            this.normalizeTargets = on;
            return this;
        }

        /**
         * Relative jitter ≥ 0 (default 10⁻⁶): ε = jitter × mean diag K(Z, Z) is always added to the
         * diagonal of K(Z, Z), so its condition number stays below about 1/jitter at every
         * hyperparameter value. ε is a smooth function of θ and is differentiated with the rest (an
         * adaptive jitter, added only when a factorization fails, would make the bound jump).
         */
        public Builder jitter(double relative) {
            this.jitter = checkJitter(relative);
            return this;
        }

        /**
         * Learn the hyperparameters (and, for stationary signal kernels, the inducing inputs) by
         * maximizing the bound with this search before fitting.
         */
        public Builder optimize(HyperparameterSearch value) {
            this.search = value;
            return this;
        }

        /** The model; checks that the kernel has a signal part and a positive noise. */
        public SparseGaussianProcess build() {
            return new SparseGaussianProcess(this);
        }
    }

    /** The kernel split into signal and likelihood noise, with where each full hyperparameter goes. */
    record Split(Kernel signal, double noise, int[] signalIndex, double[] noiseWeight) {
    }

    static Split split(Kernel kernel) {
        List<Kernel> terms = kernel instanceof SumKernel ? ((SumKernel) kernel).terms() : List.of(kernel);
        List<Kernel> signal = new ArrayList<>();
        int total = kernel.hyperparameters().size();
        int[] signalIndex = new int[total];
        double[] noiseWeight = new double[total];
        double noise = 0;
        int p = 0;
        int s = 0;
        for (Kernel t : terms) {
            int count = t.hyperparameters().size();
            if (t instanceof WhiteNoiseKernel) {
                double v = ((WhiteNoiseKernel) t).noise();
                noise += v;
                for (int i = 0; i < count; i++) {
                    signalIndex[p + i] = -1;
                    noiseWeight[p + i] = v; // ∂σ²/∂log v
                }
            } else {
                signal.add(t);
                for (int i = 0; i < count; i++) {
                    signalIndex[p + i] = s++;
                }
            }
            p += count;
        }
        if (signal.isEmpty()) {
            throw new Kernels4jException("a sparse GP needs a signal kernel besides white noise, got " + kernel.toSpec());
        }
        if (!(noise > 0)) {
            throw new Kernels4jException("a sparse GP needs observation noise: add + white(noise=...) to the kernel "
                    + kernel.toSpec());
        }
        return new Split(signal.size() == 1 ? signal.get(0) : new SumKernel(signal), noise, signalIndex, noiseWeight);
    }

    /** The inducing inputs the sampler picks from x (distinct rows, in the sampler's order). */
    public Matrix initialInducing(Matrix x) {
        if (inducing > x.rows()) {
            throw new Kernels4jException("asked for " + inducing + " inducing points but the data has only " + x.rows()
                    + " rows");
        }
        Split sp = split(kernel);
        return x.selectRows(Landmarks.select(sampler, sp.signal, x, inducing, sp.noise, seed));
    }

    /**
     * The bound F at the kernel's hyperparameters and inducing inputs z, with its gradient with
     * respect to log θ (kernel order) and, as the extra gradient, to z (row-major m·d; empty unless
     * the signal kernel is stationary).
     */
    public HyperparameterSearch.Evidence bound(Matrix x, Matrix y, Matrix z) {
        TrainingData.require(x, y);
        return evaluate(kernel, x, normalize(y).values(), z, jitter, StationaryKernel.supports(split(kernel).signal));
    }

    /**
     * Fits: with a search set ({@link Builder#optimize}), learns the hyperparameters (and, for
     * stationary signal kernels with inducing optimization on, the inducing inputs) by maximizing
     * the bound first; otherwise fits at the kernel's current hyperparameters, with inducing inputs
     * from the sampler.
     */
    @Override
    public SparseGaussianProcessModel fit(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        if (search != null) {
            return fit(x, y, search);
        }
        return fitAt(kernel, x, y, initialInducing(x));
    }

    /** The white-noise variance of a kernel of the sparse GP's form (signal + white). */
    static double noiseOf(Kernel kernel) {
        return split(kernel).noise;
    }

    SparseGaussianProcessModel fit(Matrix x, Matrix y, HyperparameterSearch search) {
        Matrix z0 = initialInducing(x);
        Matrix yn = normalize(y).values();
        boolean moveZ = optimizeInducing && StationaryKernel.supports(split(kernel).signal);
        int m = z0.rows();
        int d = z0.cols();
        HyperparameterSearch.Result r = search.maximize(kernel, moveZ ? z0.data().clone() : new double[0],
                (k, extra) -> evaluate(k, x, yn, moveZ ? Matrix.wrap(m, d, extra.clone()) : z0, jitter, moveZ));
        Matrix z = moveZ ? Matrix.wrap(m, d, r.extra().clone()) : z0;
        return new SparseGaussianProcessModel(fitAt(r.kernel(), x, y, z), r);
    }

    private GaussianProcess.Targets normalize(Matrix y) {
        return GaussianProcess.normalize(y, normalizeTargets);
    }

    /**
     * The training rows of a sparse GP seen only through two additive passes, so that the rows may live
     * elsewhere (the partitions of a distributed data set, as in kernels4j-spark) while the bound, its
     * gradient, the hyperparameter search and the fit run in this class, through the same code as for rows in
     * memory. Each pass is a sum over disjoint row blocks of {@link #blockStatistics} (pass 1) and
     * {@link #blockGradient} (pass 2, only when a gradient is needed); an implementation adds the blocks'
     * results with {@link Statistics#plus} and {@link GradientSums#plus}, in any order.
     */
    public interface Rows {
        /** The number of rows n ≥ 1. */
        long count();

        /** The number of target columns k ≥ 1. */
        int outputs();

        /** Σ over the row blocks of {@code blockStatistics(signal, z, factor, x_b, y_b)}. */
        Statistics statistics(Kernel signal, Matrix z, Matrix factor);

        /** Σ over the row blocks of {@code blockGradient(signal, z, beta, r, noise, x_b, y_b, inducingGradient)}. */
        GradientSums gradient(Kernel signal, Matrix z, Matrix beta, Matrix r, double noise, boolean inducingGradient);
    }

    /**
     * Pass 1's sufficient statistics of a set of rows (X, Y) for the bound at fixed hyperparameters and
     * inducing inputs Z: with L Lᵀ = K(Z, Z) + εI and A = L⁻¹K(Z, X) (m×n),
     *
     * @param rows n
     * @param aat AAᵀ (m×m)
     * @param ay A·Y (m×k)
     * @param yy Σ y², all outputs
     * @param traceKnn Σ_i k(x_i, x_i) of the signal kernel
     */
    public record Statistics(long rows, Matrix aat, Matrix ay, double yy, double traceKnn) {
        /** The statistics of the union of two disjoint row sets (a new object). */
        public Statistics plus(Statistics o) {
            Matrix a = aat.copy();
            add(a, o.aat);
            Matrix b = ay.copy();
            add(b, o.ay);
            return new Statistics(rows + o.rows, a, b, yy + o.yy, traceKnn + o.traceKnn);
        }
    }

    /**
     * Pass 2's sums over a set of rows, given β and R from pass 1 (see the class comment: ∂F/∂U = βαᵀ + R·U
     * with α = (Y − Uᵀβ)/σ²):
     *
     * @param hyperparameters Σ_ji (∂F/∂U)_ji·∂K(Z, X)_ji/∂log θ_p for each signal hyperparameter p
     * @param inducing Σ_i (∂F/∂U)_ji·∂k(z_j, x_i)/∂z_jf (m×d), or null when not asked for
     * @param residualSquares Σ α² (all rows and outputs)
     * @param diagonal Σ_i ∂k(x_i, x_i)/∂log θ_p for each signal hyperparameter p
     */
    public record GradientSums(double[] hyperparameters, Matrix inducing, double residualSquares, double[] diagonal) {
        /** The sums over the union of two disjoint row sets (a new object). */
        public GradientSums plus(GradientSums o) {
            double[] h = hyperparameters.clone();
            double[] g = diagonal.clone();
            for (int i = 0; i < h.length; i++) {
                h[i] += o.hyperparameters[i];
                g[i] += o.diagonal[i];
            }
            Matrix in = null;
            if (inducing != null) {
                in = inducing.copy();
                add(in, o.inducing);
            }
            return new GradientSums(h, in, residualSquares + o.residualSquares, g);
        }
    }

    /**
     * Pass 1 over one block of rows (x: b×d, y: b×k; b = 0 gives zeros): O(b·m² + b·m·d), memory O(m² + m·t).
     *
     * @param signal the signal kernel (the full kernel without its white noise)
     * @param z the inducing inputs (m×d)
     * @param factor L, the lower Cholesky factor of K(Z, Z) + εI ({@link #inducingFactor})
     */
    public static Statistics blockStatistics(Kernel signal, Matrix z, Matrix factor, Matrix x, Matrix y) {
        if (z.cols() != x.cols()) {
            throw new Kernels4jException("inducing inputs have " + z.cols() + " features but the data has " + x.cols());
        }
        int m = z.rows();
        int k = y.cols();
        if (x.rows() == 0) {
            return new Statistics(0, new Matrix(m, m), new Matrix(m, k), 0, 0);
        }
        int tile = GramEngine.tileSize();
        Matrix[][] perBand = new Matrix[(x.rows() + tile - 1) / tile][];
        double[] yd = y.data();
        GramEngine.crossBands(signal, z, x, (c0, w, band) -> {
            Matrix a = Matrix.wrap(m, w, java.util.Arrays.copyOf(band, m * w));
            Blas.trsm(true, false, factor, a);
            Matrix aat = new Matrix(m, m);
            Blas.syrk(1.0, a, 0.0, aat);
            Matrix yb = Matrix.wrap(w, k, java.util.Arrays.copyOfRange(yd, c0 * k, (c0 + w) * k));
            perBand[c0 / tile] = new Matrix[] {aat, a.times(yb)};
        });
        Matrix aat = new Matrix(m, m);
        Matrix ay = new Matrix(m, k);
        for (Matrix[] b : perBand) {
            add(aat, b[0]);
            add(ay, b[1]);
        }
        double traceKnn = 0;
        for (double v : GramEngine.diagonal(signal, x)) {
            traceKnn += v;
        }
        double yy = 0;
        for (double v : y.data()) {
            yy += v * v;
        }
        return new Statistics(x.rows(), aat, ay, yy, traceKnn);
    }

    /**
     * Pass 2 over one block of rows (x: b×d, y: b×k; b = 0 gives zeros): the contractions of ∂F/∂U with the
     * derivatives of K(Z, X_b), O(b·m² + b·m·d) time, nothing m×b stored.
     *
     * @param beta β = M⁻¹UA (m×k) of pass 1
     * @param r R = k·(M⁻¹/σ² − P⁻¹) (m×m) of pass 1
     * @param noise σ²
     * @param inducingGradient whether to contract with the derivatives in Z too (stationary kernels only)
     */
    public static GradientSums blockGradient(Kernel signal, Matrix z, Matrix beta, Matrix r, double noise, Matrix x,
            Matrix y, boolean inducingGradient) {
        int m = z.rows();
        int k = y.cols();
        int count = signal.hyperparameters().size();
        if (x.rows() == 0) {
            return new GradientSums(new double[count], inducingGradient ? new Matrix(m, z.cols()) : null, 0,
                    new double[count]);
        }
        int n = x.rows();
        int tile = GramEngine.tileSize();
        double[] aSquares = new double[(n + tile - 1) / tile];
        double[] yd = y.data();
        double[] bd = beta.data();
        double[] rd = r.data();
        GramEngine.CrossGradient cu = GramEngine.crossGradientContractions(signal, z, x, (c0, w, band, out) -> {
            double[] a = new double[w * k];
            for (int col = 0; col < w; col++) {
                for (int o = 0; o < k; o++) {
                    double v = 0;
                    for (int j = 0; j < m; j++) {
                        v += band[j * w + col] * bd[j * k + o];
                    }
                    a[col * k + o] = (yd[(c0 + col) * k + o] - v) / noise;
                }
            }
            double sq = 0;
            for (double v : a) {
                sq += v * v;
            }
            aSquares[c0 / tile] = sq;
            Matrix ru = Matrix.wrap(m, m, rd).times(Matrix.wrap(m, w, java.util.Arrays.copyOf(band, m * w)));
            double[] rud = ru.data();
            for (int j = 0; j < m; j++) {
                for (int col = 0; col < w; col++) {
                    double v = rud[j * w + col];
                    for (int o = 0; o < k; o++) {
                        v += bd[j * k + o] * a[col * k + o];
                    }
                    out[j * w + col] = v;
                }
            }
        }, inducingGradient);
        double aa = 0;
        for (double v : aSquares) {
            aa += v;
        }
        return new GradientSums(cu.hyperparameters(), inducingGradient ? cu.inputs() : null, aa,
                GramEngine.diagonalGradientSums(signal, x));
    }

    /** The rows of matrices in memory: each pass is one block. */
    private record InMemory(Matrix x, Matrix y) implements Rows {
        @Override
        public long count() {
            return x.rows();
        }

        @Override
        public int outputs() {
            return y.cols();
        }

        @Override
        public Statistics statistics(Kernel signal, Matrix z, Matrix factor) {
            return blockStatistics(signal, z, factor, x, y);
        }

        @Override
        public GradientSums gradient(Kernel signal, Matrix z, Matrix beta, Matrix r, double noise, boolean zGradient) {
            return blockGradient(signal, z, beta, r, noise, x, y, zGradient);
        }
    }

    /**
     * L with L Lᵀ = K(Z, Z) + εI, ε = jitter × mean diag K(Z, Z) for the signal part of {@code full}: the factor
     * that {@link #blockStatistics} takes.
     */
    public Matrix inducingFactor(Kernel full, Matrix z) {
        return factor(split(full).signal, z, jitter);
    }

    /** A relative jitter ≥ 0 and finite (this GP's and the sparse variational GP's option), else the error. */
    static double checkJitter(double relative) {
        if (!(relative >= 0) || Double.isInfinite(relative)) {
            throw new Kernels4jException("the jitter must be >= 0 and finite, got " + relative);
        }
        return relative;
    }

    /** L with L Lᵀ = K(Z, Z) + εI, ε = jitter × mean diag K(Z, Z) (also the prior factor of the sparse variational GP). */
    static Matrix factor(Kernel kern, Matrix z, double jitter) {
        int m = z.rows();
        Matrix mm = GramEngine.gram(kern, z);
        double eps = jitter * meanDiagonal(kern, z);
        for (int i = 0; i < m; i++) {
            mm.set(i, i, mm.get(i, i) + eps);
        }
        try (Cholesky cm = Cholesky.factorInPlace(org.kernels4j.linalg.NativeMatrix.copyOf(mm),
                "inducing kernel matrix K(Z, Z) + jitter", false)) {
            return cm.lower();
        }
    }

    /**
     * The bound F and its gradient as {@link #bound(Matrix, Matrix, Matrix)} gives them, for rows seen through
     * {@link Rows} (their targets as they are: {@link Builder#normalizeTargets} needs the targets in memory
     * and is refused here). Two passes over the rows (one statistics, one gradient).
     */
    public HyperparameterSearch.Evidence bound(Rows rows, Matrix z) {
        requireRows(rows);
        return evaluate(kernel, rows, z, jitter, StationaryKernel.supports(split(kernel).signal));
    }

    /**
     * Fits as {@link #fit(Matrix, Matrix)} does (with the search when one is set), for rows seen through
     * {@link Rows} and starting from the given inducing inputs (the sampler needs the rows in memory, so the
     * caller picks them). Each evaluation of the search costs two passes over the rows, the fit one more.
     */
    public SparseGaussianProcessModel fit(Rows rows, Matrix initialInducing) {
        requireRows(rows);
        if (search == null) {
            return fitAt(kernel, rows, initialInducing, new double[rows.outputs()], ones(rows.outputs()));
        }
        Matrix z0 = initialInducing;
        boolean moveZ = optimizeInducing && StationaryKernel.supports(split(kernel).signal);
        int m = z0.rows();
        int d = z0.cols();
        HyperparameterSearch.Result r = search.maximize(kernel, moveZ ? z0.data().clone() : new double[0],
                (k, extra) -> evaluate(k, rows, moveZ ? Matrix.wrap(m, d, extra.clone()) : z0, jitter, moveZ));
        Matrix z = moveZ ? Matrix.wrap(m, d, r.extra().clone()) : z0;
        return new SparseGaussianProcessModel(fitAt(r.kernel(), rows, z, new double[rows.outputs()],
                ones(rows.outputs())), r);
    }

    private void requireRows(Rows rows) {
        if (normalizeTargets) {
            throw new Kernels4jException("normalizeTargets needs the targets in memory; centre and scale them before "
                    + "handing the rows over");
        }
        if (rows.count() < 1) {
            throw new Kernels4jException("a sparse GP needs at least one training row");
        }
    }

    private static double[] ones(int k) {
        double[] v = new double[k];
        java.util.Arrays.fill(v, 1);
        return v;
    }

    /**
     * The stable factors of one evaluation (the form GPflow uses): L Lᵀ = K(Z, Z) + εI, A = L⁻¹U
     * (never stored), AAᵀ and A·Y from one streaming pass, and C = σ²I + AAᵀ = L_C L_Cᵀ. Everything
     * else is expressed through them, so nothing cancels catastrophically when K(Z, Z) is
     * ill-conditioned (long length scales, large signal variance).
     */
    private record Core(Split split, Matrix l, Matrix aat, Matrix ay, Matrix cInv, Matrix w, double logDetC,
            double traceKnn, double yy, long n, int k) {
    }

    static double meanDiagonal(Kernel kern, Matrix z) {
        double mean = 0;
        for (double v : GramEngine.diagonal(kern, z)) {
            mean += v / z.rows();
        }
        return mean;
    }

    /** @param jitter relative jitter: ε = jitter × mean diag K(Z, Z) at this kernel */
    private static Core core(Kernel full, Rows rows, Matrix z, double jitter) {
        Split sp = split(full);
        Kernel kern = sp.signal;
        int m = z.rows();
        Matrix l = factor(kern, z, jitter);
        Statistics st = rows.statistics(kern, z, l);
        if (st.aat.rows() != m || st.ay.rows() != m || st.ay.cols() != rows.outputs() || st.rows != rows.count()) {
            throw new Kernels4jException("the rows' statistics have shapes " + st.aat.rows() + "x" + st.aat.cols() + ", "
                    + st.ay.rows() + "x" + st.ay.cols() + " over " + st.rows + " rows; expected m = " + m + ", k = "
                    + rows.outputs() + " over " + rows.count());
        }
        Matrix c = st.aat.copy();
        for (int i = 0; i < m; i++) {
            c.set(i, i, c.get(i, i) + sp.noise);
        }
        Matrix cInv;
        Matrix w;
        double logDetC;
        try (Cholesky cc = Cholesky.factorInPlace(org.kernels4j.linalg.NativeMatrix.copyOf(c), "noise*I + A*A^T", false)) {
            cInv = cc.inverse();
            w = cc.solve(st.ay);
            logDetC = cc.logDeterminant();
        }
        return new Core(sp, l, st.aat, st.ay, cInv, w, logDetC, st.traceKnn, st.yy, st.rows, rows.outputs());
    }

    private static void add(Matrix a, Matrix b) {
        double[] ad = a.data();
        double[] bd = b.data();
        for (int i = 0; i < ad.length; i++) {
            ad[i] += bd[i];
        }
    }

    /** L⁻ᵀ·S·L⁻¹ for a symmetric S, symmetrized. */
    private static Matrix sandwich(Matrix l, Matrix s) {
        Matrix t = s.copy();
        Blas.trsm(true, true, l, t); // L⁻ᵀS
        Matrix u = t.transpose(); // S L⁻¹
        Blas.trsm(true, true, l, u); // L⁻ᵀ S L⁻¹ (up to the transpose, which symmetry makes equal)
        symmetrize(u);
        return u;
    }

    private static double traceOf(Matrix a) {
        double t = 0;
        for (int i = 0; i < a.rows(); i++) {
            t += a.get(i, i);
        }
        return t;
    }

    /** F from the factors of one evaluation (the class comment's formula). */
    private static double boundValue(Core c) {
        double s2 = c.split.noise;
        long n = c.n;
        int m = c.l.rows();
        int k = c.k;
        double traceQ = traceOf(c.aat);
        double fitTerm = c.yy;
        for (int i = 0; i < m * k; i++) {
            fitTerm -= c.ay.data()[i] * c.w.data()[i];
        }
        fitTerm /= s2;
        double logDetSigma = c.logDetC + (n - m) * Math.log(s2);
        return -0.5 * fitTerm - 0.5 * k * logDetSigma - 0.5 * k * n * Math.log(2 * Math.PI)
                - 0.5 * k * (c.traceKnn - traceQ) / s2;
    }

    private static HyperparameterSearch.Evidence evaluate(Kernel full, Matrix x, Matrix y, Matrix z, double jitter,
            boolean zGradient) {
        return evaluate(full, new InMemory(x, y), z, jitter, zGradient);
    }

    private static HyperparameterSearch.Evidence evaluate(Kernel full, Rows rows, Matrix z, double jitter,
            boolean zGradient) {
        Core c = core(full, rows, z, jitter);
        Split sp = c.split;
        Kernel kern = sp.signal;
        double s2 = sp.noise;
        long n = c.n;
        int m = z.rows();
        int k = c.k;
        int d = z.cols();
        double traceQ = traceOf(c.aat);
        double bound = boundValue(c);
        // β = M⁻¹UA = L⁻ᵀ·C⁻¹·AY, and per band α = (Y − Aᵀ·C⁻¹·AY)/σ² = (Y − Uᵀβ)/σ²
        Matrix beta = c.w.copy();
        Blas.trsm(true, true, c.l, beta);
        // ∂F/∂U = βαᵀ + R·U with R = k·(M⁻¹/σ² − P⁻¹) = k·L⁻ᵀ·(C⁻¹·AAᵀ/σ²)·L⁻¹
        Matrix cInvAat = c.cInv.times(c.aat);
        Matrix inner = cInvAat.copy();
        for (int i = 0; i < m * m; i++) {
            inner.data()[i] *= k / s2;
        }
        symmetrize(inner);
        Matrix r = sandwich(c.l, inner);
        GradientSums cu = rows.gradient(kern, z, beta, r, s2, zGradient);
        double aa = cu.residualSquares;
        // ∂F/∂M = −½ββᵀ + (k/2)·L⁻ᵀ·(C⁻¹AAᵀ − AAᵀ/σ²)·L⁻¹, with C⁻¹AAᵀ − AAᵀ/σ² = −C⁻¹AAᵀ·AAᵀ/σ²
        Matrix mid = cInvAat.times(c.aat);
        for (int i = 0; i < m * m; i++) {
            mid.data()[i] *= -0.5 * k / s2;
        }
        symmetrize(mid);
        Matrix gm = sandwich(c.l, mid);
        Matrix bbt = beta.times(beta.transpose());
        for (int i = 0; i < m * m; i++) {
            gm.data()[i] -= 0.5 * bbt.data()[i];
        }
        symmetrize(gm);
        double[] gmd = gm.data();
        GramEngine.CrossGradient cm = GramEngine.crossGradientContractions(kern, z, z, (c0, w, band, out) -> {
            for (int j = 0; j < m; j++) {
                System.arraycopy(gmd, j * m + c0, out, j * w, w);
            }
        }, zGradient);
        double[] diag = cu.diagonal;
        // ε = jitter·mean diag K(Z, Z) moves with θ: dF/dε = tr(∂F/∂M)
        double[] diagZ = jitter > 0 ? GramEngine.diagonalGradientSums(kern, z) : new double[diag.length];
        double traceGm = traceOf(gm);
        // ∂F/∂σ², with tr Σ⁻¹ = (n − m)/σ² + tr C⁻¹
        double traceSigmaInv = (n - m) / s2 + traceOf(c.cInv);
        double gNoise = 0.5 * (aa - k * traceSigmaInv) + 0.5 * k * (c.traceKnn - traceQ) / (s2 * s2);
        int total = full.hyperparameters().size();
        double[] grad = new double[total];
        for (int q = 0; q < total; q++) {
            int si = sp.signalIndex[q];
            grad[q] = si >= 0 ? cu.hyperparameters[si] + cm.hyperparameters()[si] - 0.5 * k / s2 * diag[si]
                    + traceGm * jitter * diagZ[si] / m : sp.noiseWeight[q] * gNoise;
        }
        double[] zg = new double[0];
        if (zGradient) {
            zg = new double[m * d];
            for (int i = 0; i < m * d; i++) {
                zg[i] = cu.inducing.data()[i] + 2 * cm.inputs().data()[i];
            }
        }
        return new HyperparameterSearch.Evidence(bound, grad, zg);
    }

    private static void symmetrize(Matrix a) {
        int m = a.rows();
        double[] d = a.data();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (d[i * m + j] + d[j * m + i]);
                d[i * m + j] = v;
                d[j * m + i] = v;
            }
        }
    }

    private SparseGaussianProcessModel fitAt(Kernel full, Matrix x, Matrix y, Matrix z) {
        GaussianProcess.Targets t = normalize(y);
        return fitAt(full, new InMemory(x, t.values()), z, t.shift(), t.scale());
    }

    private SparseGaussianProcessModel fitAt(Kernel full, Rows rows, Matrix z, double[] shift, double[] scale) {
        Core c = core(full, rows, z, jitter);
        // mean weights β = L⁻ᵀ·C⁻¹·AY; M⁻¹ − Σ = L⁻ᵀ·C⁻¹AAᵀ·L⁻¹ with Σ = (M + UUᵀ/σ²)⁻¹
        Matrix beta = c.w.copy();
        Blas.trsm(true, true, c.l, beta);
        Matrix cov = sandwich(c.l, symmetrized(c.cInv.times(c.aat)));
        return new SparseGaussianProcessModel(full, c.split.signal, z.copy(), beta, cov, shift, scale, boundValue(c),
                null);
    }

    private static Matrix symmetrized(Matrix a) {
        symmetrize(a);
        return a;
    }
}
