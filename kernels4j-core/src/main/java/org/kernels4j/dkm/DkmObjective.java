package org.kernels4j.dkm;

import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeMatrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.optim.BoundedLbfgs;

/**
 * The exact DKM objective and its analytic gradient as a function of θ, the packed Cholesky factors of
 * G_1…G_L (see {@link DeepKernelMachine} for the formulas); L-BFGS minimizes −𝓛.
 *
 * <p>Packing: layer ℓ's factor V_ℓ (lower triangular, n×n) occupies n(n+1)/2 entries from
 * (ℓ−1)·n(n+1)/2 on, row by row, V_ij at i(i+1)/2 + j for j ≤ i; the diagonal is stored as log V_ii, so
 * every θ gives a positive diagonal and G_ℓ = V_ℓV_ℓᵀ is positive definite.
 *
 * <p>Gradient (dL/dG as a full matrix of independent entries; S is symmetric, so dL/dV = 2·S·V), with
 * K_ℓ = L_ℓL_ℓᵀ and the whitened factor A_ℓ = L_ℓ⁻¹V_ℓ:
 * <pre>
 *   KL_ℓ = ½(‖A_ℓ‖²_F − n − 2·Σ log A_ℓ,ii)
 *   A_out = ∂𝓛/∂C = ½(ααᵀ − k·C⁻¹),  C = K(G_L) + (σ² + δ_out)I,  α = C⁻¹Y
 *   B_L   = backprop of A_out through K(·) at G_L
 *   ∂𝓛/∂V_ℓ = 2·B_ℓ·V_ℓ − ν_ℓ·L_ℓ⁻ᵀA_ℓ + ν_ℓ·V_ℓ⁻ᵀ       (lower triangle; V⁻ᵀ there is diag(1/V_ii))
 *   ∂𝓛/∂K_ℓ = −(ν_ℓ/2)·L_ℓ⁻ᵀ(I − A_ℓA_ℓᵀ)L_ℓ⁻¹,  B_{ℓ−1} = backprop of it at G_{ℓ−1}
 * </pre>
 * and the backprop of A through K_ij = f(G_ii, G_ij, G_jj) is S_ij = A_ij·∂f/∂G_ij (i ≠ j),
 * S_ii = A_ii·∂f/∂G_ij(i, i) + 2·Σ_j A_ij·∂f/∂G_ii(i, j). Neither K_ℓ⁻¹ nor G_ℓ⁻¹ is formed: the layer kernels of
 * smooth maps have condition numbers of 10¹⁰ and more, and tr(K⁻¹G) or K⁻¹ − K⁻¹GK⁻¹ from an explicit inverse
 * cancel entries of size cond(K) (measured: objective noise of 10⁻²–10⁻¹ on 40 rows, which stalled the line search
 * far from the optimum); triangular solves lose about √cond(K). After {@link #whiten}, θ packs A'_ℓ with
 * V_ℓ = W_ℓA'_ℓ for fixed W_ℓ, and the gradient is lower(W_ℓᵀ·∂𝓛/∂V_ℓ).
 *
 * <p>O(n³) work per evaluation, every triangular operand exploited (panel-wise BLAS on the trailing rows, {@link
 * Blas#trsmLeftLowerOnLower}): per layer G_ℓ = V_ℓV_ℓᵀ ({@code dlauum}, n³/3), A_ℓ = L_ℓ⁻¹V_ℓ (V lower: n³/3),
 * lower(L_ℓ⁻ᵀA_ℓ) (n³/3), lower(2B_ℓ·V_ℓ) (panel {@code dgemm}s, ⅔n³), and whitened W·A' and lower(Wᵀ·∂V) (n³/3 each);
 * for K_ℓ (ℓ ≥ 2) a Cholesky (n³/3) and, for the gradient, A_ℓA_ℓᵀ ({@code dlauum}, n³/3) and the congruence
 * L⁻ᵀ(I − AAᵀ)L⁻¹ ({@code dsygst}, n³); for C a Cholesky and an inverse ({@code dpotri}, n³/3 + 2n³/3: the
 * entry-wise back-propagation through the map needs every entry of C⁻¹). For L = 2: 7⅓·n³ flops whitened (6 without),
 * about 22 Cholesky factorisations by count (14⅓·n³ before the triangular structure was used). Everything else — the
 * maps with their partials in one pass over the
 * lower triangle, the back-propagation from the stored partials, copies to and from the off-heap buffers — is O(n²).
 * See {@code evaluate} for how the work is spread over threads.
 */
final class DkmObjective implements WhitenedRounds.Whitenable {
    private static final int ROW_BLOCK = 32;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final GramMap map;
    private final int layers;
    private final double[] nu;
    private final double noise;
    private final boolean learnNoise;
    private final Matrix g0;
    private final Matrix y;
    private final double[] jitter;
    /** The lower Cholesky factor L_1 of K_1 = K(G_0) + δ_1I, fixed (G_0 is the data). */
    private final NativeMatrix k1Factor;
    private final int n;

    /**
     * Fixed lower-triangular W_ℓ (index ℓ = 1…L) when θ holds whitened factors: V_ℓ = W_ℓ·A_ℓ, θ packing A_ℓ (log
     * diagonal); null when θ packs V_ℓ itself. See {@link #whiten}.
     */
    private NativeMatrix[] whitening;

    /** Terms of the last finite evaluation: [log-likelihood, KL_1, …, KL_L]. */
    private double[] lastTerms;

    /**
     * @param jitter δ_ℓ added to K_ℓ = f(G_{ℓ−1}) for ℓ = 1…L and, last, to the output kernel (length L + 1)
     */
    DkmObjective(GramMap map, int layers, double[] nu, double noise, Matrix g0, Matrix y, double[] jitter) {
        this(map, layers, nu, noise, false, g0, y, jitter);
    }

    /**
     * @param learnNoise whether θ ends with one more entry, log σ² (then {@code noise} is unused)
     */
    DkmObjective(GramMap map, int layers, double[] nu, double noise, boolean learnNoise, Matrix g0, Matrix y,
            double[] jitter) {
        this.learnNoise = learnNoise;
        this.map = map;
        this.layers = layers;
        this.nu = nu.clone();
        this.noise = noise;
        this.g0 = g0;
        this.y = y;
        this.jitter = jitter.clone();
        this.n = g0.rows();
        try (Cholesky c = factor(apply(map, g0, jitter[0]))) {
            this.k1Factor = NativeMatrix.copyOf(c.lower());
        }
    }

    int parameterCount() {
        return layers * packedSize(n) + (learnNoise ? 1 : 0);
    }

    /** σ² at θ: the fixed value, or exp of θ's last entry when it is learned. */
    double noise(double[] theta) {
        return learnNoise ? Math.exp(theta[layers * packedSize(n)]) : noise;
    }

    static int packedSize(int n) {
        return n * (n + 1) / 2;
    }

    /** [log P(Y | G_L), KL_1, …, KL_L] of the last evaluation that was finite. */
    double[] lastTerms() {
        return lastTerms.clone();
    }

    /**
     * From now on θ packs whitened factors A_ℓ with V_ℓ = W_ℓ·A_ℓ, W_ℓ the factors that {@code factors} packs (as
     * {@link #pack} does): θ = 0 (A = I) is then the point {@code factors}. Why: in V the KL terms' curvature is
     * K_ℓ⁻¹ ⊗ I, whose condition number is that of K_ℓ (10¹⁰ and more for smooth maps), and L-BFGS stalled within
     * a few iterations at the NNGP start; with W_ℓ the Cholesky factor of G_ℓ ≈ K_ℓ that curvature is about the
     * identity. The optimum is the same point in V (the map A ↦ W·A is a fixed linear bijection of lower-triangular
     * matrices with positive diagonal). Returns the whitened θ of the point {@code factors}.
     */
    @Override
    public double[] whiten(double[] factors) {
        NativeMatrix[] w = new NativeMatrix[layers + 1];
        int m = packedSize(n);
        for (int l = 1; l <= layers; l++) {
            w[l] = NativeMatrix.copyOf(unpack(factors, (l - 1) * m, n));
        }
        whitening = w;
        double[] start = new double[factors.length]; // A = I; log σ², when learned, as it was
        if (learnNoise) {
            start[layers * m] = factors[layers * m];
        }
        return start;
    }

    /** θ in the packing of V_ℓ itself (as {@link #pack}) for a θ of the current parameterization. */
    @Override
    public double[] factors(double[] theta) {
        if (whitening == null) {
            return theta.clone();
        }
        double[] out = theta.clone();
        int m = packedSize(n);
        for (int l = 1; l <= layers; l++) {
            try (NativeMatrix v = NativeMatrix.copyOf(unpack(theta, (l - 1) * m, n))) {
                Blas.trmmLeftLower(false, whitening[l], v);
                pack(v.toMatrix(), out, (l - 1) * m);
            }
        }
        return out;
    }

    /** Below this order one evaluation runs with single-threaded BLAS: threads cost more than they save there. */
    private static final int THREADED_FROM = 512;

    @Override
    public double valueAndGradient(double[] theta, double[] gradient) {
        if (n >= THREADED_FROM) {
            return evaluate(theta, gradient);
        }
        double[] value = new double[1];
        Parallelism.forEachBlock(1, b -> value[0] = evaluate(theta, gradient)); // one block: BLAS single-threaded
        return value[0];
    }

    /** {@link #valueAndGradient} with the chains on the worker threads whatever n is (for the tests). */
    double evaluateOnWorkers(double[] theta, double[] gradient) {
        return evaluate(theta, gradient);
    }

    /**
     * The buffers one evaluation works in, allocated at the first evaluation and reused (an evaluation at
     * n = 2,000 touches about a dozen n×n matrices; allocating and zeroing them anew each time cost more than a
     * Cholesky factorization). Off the heap: the factors V_ℓ and one matrix per layer that LAPACK/BLAS work on
     * in place (a heap array handed to the binding is copied in and out on every call, which measured as slow as
     * the product itself); on the heap, what the Java passes read and write. Index ℓ = 1…L.
     */
    private static final class Work {
        final NativeMatrix[] factorV;  // V_ℓ row-major (lower triangle; zeros above)
        final NativeMatrix[] lapack;   // dlauum, then the dtrsm/dtrmm operands of the gradient, in place
        final NativeMatrix[] chol;     // the lower Cholesky factor of K_{ℓ+1} for ℓ < L, of C (then C⁻¹) for ℓ = L
        final NativeMatrix[] whitened; // A_ℓ = L_ℓ⁻¹V_ℓ (lower triangular), later lower(L_ℓ⁻ᵀA_ℓ) = lower(K_ℓ⁻¹V_ℓ)
        final NativeMatrix[] spare;    // J·L_ℓ·J for dsygst (ℓ ≥ 2); later B_ℓ for the product B_ℓ·V_ℓ
        final double[][] gram;         // V_ℓ unpacked, then G_ℓ (full); later B_{ℓ−1}, ∂𝓛/∂G_{ℓ−1} from the map
        final double[][] scratch;      // J·V_ℓᵀ·J, then the mapped K, then (ℓ = L) C's factor; later A_ℓ
        final double[][] inverse;      // ℓ = L: C⁻¹, then A_out and B_L
        final Mapped[] mapped;         // K(G_ℓ) (in scratch) with its partials
        final double[] divergence;     // KL_ℓ
        final double[] logDet;         // log det C for ℓ = L
        final boolean[] failed;        // a Cholesky factorization failed
        double[] alpha;                // C⁻¹Y, n×k row-major

        Work(int n, int layers) {
            factorV = new NativeMatrix[layers + 1];
            lapack = new NativeMatrix[layers + 1];
            gram = new double[layers + 1][];
            scratch = new double[layers + 1][];
            inverse = new double[layers + 1][];
            mapped = new Mapped[layers + 1];
            chol = new NativeMatrix[layers + 1];
            whitened = new NativeMatrix[layers + 1];
            spare = new NativeMatrix[layers + 1];
            for (int l = 1; l <= layers; l++) {
                spare[l] = new NativeMatrix(n, n);
                factorV[l] = new NativeMatrix(n, n);
                lapack[l] = new NativeMatrix(n, n);
                chol[l] = new NativeMatrix(n, n);
                whitened[l] = new NativeMatrix(n, n);
                gram[l] = new double[n * n];
                scratch[l] = new double[n * n];
                mapped[l] = new Mapped(Matrix.wrap(n, n, scratch[l]), new double[n * n], new double[n * n]);
            }
            inverse[layers] = new double[n * n];
            divergence = new double[layers + 1];
            logDet = new double[layers + 1];
            failed = new boolean[layers + 1];
        }
    }

    private Work work;

    /**
     * One evaluation, organised around what depends on what. G_ℓ = V_ℓV_ℓᵀ depends on θ_ℓ alone, so the forward
     * pass is L independent chains, run side by side on the worker threads with single-threaded LAPACK (a
     * multi-threaded dpotrf/dlauum stalls when its threads wait for each other on a loaded machine: measured 3–10×
     * slower than one thread there): chain ℓ forms V_ℓ and G_ℓ, maps G_ℓ to K(G_ℓ) with the partials and factors
     * K_{ℓ+1} (or C, with α = C⁻¹Y and C⁻¹). Then L divergence chains (KL_ℓ from A_ℓ = L_ℓ⁻¹V_ℓ and, for ℓ ≥ 2,
     * ∂𝓛/∂K_ℓ back-propagated into B_{ℓ−1}), and after B_L from the output, L backward chains (∂𝓛/∂θ_ℓ).
     */
    private synchronized double evaluate(double[] theta, double[] gradient) {
        if (work == null) {
            work = new Work(n, layers);
        }
        Work w = work;
        int m = packedSize(n);
        boolean withGradient = gradient != null;
        java.util.Arrays.fill(w.failed, false);
        double sigma2 = noise(theta);
        Parallelism.forEachBlock(layers, t -> forwardChain(t + 1, theta, sigma2, withGradient, w));
        for (int l = 1; l <= layers; l++) {
            if (w.failed[l]) {
                return Double.NaN; // a K_ℓ or C is not positive definite: the line search backs off
            }
        }
        Parallelism.forEachBlock(layers, t -> divergenceChain(t + 1, theta, withGradient, w));
        double[] terms = new double[layers + 1];
        double value = 0;
        for (int l = 1; l <= layers; l++) {
            terms[l] = w.divergence[l];
            value -= nu[l - 1] * terms[l];
        }
        int k = y.cols();
        terms[0] = -0.5 * dot(y.data(), w.alpha) - 0.5 * k * w.logDet[layers] - 0.5 * n * k * LOG_2PI;
        value += terms[0];
        if (!Double.isFinite(value)) {
            return Double.NaN;
        }
        lastTerms = terms;
        if (!withGradient) {
            return -value;
        }
        // A_out = ∂𝓛/∂C = ½(ααᵀ − k·C⁻¹), in C⁻¹'s storage; B_L = its back-propagation through the map
        double[] a = w.inverse[layers];
        double[] al = w.alpha;
        forEachRowBlock(n, blk -> {
            for (int i = blk * ROW_BLOCK, end = Math.min(n, i + ROW_BLOCK); i < end; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int c = 0; c < k; c++) {
                        s += al[i * k + c] * al[j * k + c];
                    }
                    a[i * n + j] = 0.5 * (s - k * a[i * n + j]);
                }
            }
        });
        if (learnNoise) {
            // C = K(G_L) + (σ² + δ_out)I: ∂𝓛/∂σ² = tr(A_out), and θ = log σ² adds the factor σ²
            double trace = 0;
            for (int i = 0; i < n; i++) {
                trace += a[i * n + i];
            }
            gradient[layers * m] = -sigma2 * trace;
        }
        w.mapped[layers].backprop(Matrix.wrap(n, n, a));
        Parallelism.forEachBlock(layers, t -> backwardChain(t + 1, theta, gradient, m, w));
        return -value;
    }

    /** Forward chain ℓ: G_ℓ, K(G_ℓ) with partials, and the factorization of K_{ℓ+1}, or of C with α and C⁻¹. */
    private void forwardChain(int l, double[] theta, double sigma2, boolean withGradient, Work w) {
        int off = (l - 1) * packedSize(n);
        unpackInto(theta, off, n, w.gram[l]);
        w.factorV[l].putBlock(0, 0, n, n, w.gram[l]);
        if (whitening != null) {
            Blas.trmmLeftLowerOnLower(false, whitening[l], w.factorV[l]); // V = W·A, both lower: n³/3
            w.factorV[l].getBlock(0, 0, n, n, w.gram[l]);
        }
        gramOfFactor(w.gram[l], w.scratch[l], w.lapack[l], n);
        Mapped.into(map, w.gram[l], n, l < layers ? jitter[l] : jitter[layers] + sigma2, withGradient, w.mapped[l]);
        NativeMatrix lap = w.chol[l];
        lap.putBlock(0, 0, n, n, w.scratch[l]);
        if (!Blas.choleskyInPlace(lap)) {
            w.failed[l] = true;
            return;
        }
        if (l < layers) {
            return;
        }
        double logDet = 0;
        for (double d : lap.diagonal()) {
            logDet += 2 * Math.log(d);
        }
        w.logDet[l] = logDet;
        lap.getBlock(0, 0, n, n, w.scratch[l]);
        w.alpha = choleskySolve(w.scratch[l], n, y);
        if (withGradient) {
            Blas.inverseFromCholeskyInPlace(lap);
            lap.getBlock(0, 0, n, n, w.inverse[l]);
            mirrorLowerToUpper(w.inverse[l], n);
        }
    }

    /**
     * Divergence chain ℓ, in the whitened factor A_ℓ = L_ℓ⁻¹V_ℓ (K_ℓ = L_ℓL_ℓᵀ; {@code dtrsm}, n³):
     * KL_ℓ = ½(‖A_ℓ‖²_F − n − 2·Σ log A_ii) with log A_ii = θ_ii − log L_ii, and for ℓ ≥ 2, with the gradient,
     * ∂𝓛/∂K_ℓ = −(ν_ℓ/2)·L⁻ᵀ(I − AAᵀ)L⁻¹ (AAᵀ by {@code dlauum}, n³/3; two {@code dtrsm}, 2n³) back-propagated
     * through the map into B_{ℓ−1}. Why not K⁻¹ explicitly: the kernels of smooth maps are ill-conditioned (cond 10¹⁰
     * and more), and tr(K⁻¹G) or K⁻¹ − K⁻¹GK⁻¹ formed from an explicit inverse lose all their digits to cancellation
     * between entries of size cond(K) — the objective's rounding noise then stalls the line search far from the
     * optimum. The solves lose only about √cond(K), and I − AAᵀ is formed where it is small.
     */
    private void divergenceChain(int l, double[] theta, boolean withGradient, Work w) {
        NativeMatrix lf = l == 1 ? k1Factor : w.chol[l - 1];
        NativeMatrix a = w.whitened[l];
        double[] ad = w.scratch[l];
        w.factorV[l].getBlock(0, 0, n, n, ad);
        double[] ld = lf.diagonal();
        double logDiag = 0;
        for (int i = 0; i < n; i++) {
            logDiag += Math.log(ad[i * n + i] / ld[i]); // log A_ii = log V_ii − log L_ii
        }
        a.putBlock(0, 0, n, n, ad);
        Blas.trsmLeftLowerOnLower(false, lf, a); // V lower: n³/3
        a.getBlock(0, 0, n, n, ad);
        double squares = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                squares += ad[i * n + j] * ad[i * n + j];
            }
        }
        w.divergence[l] = 0.5 * (squares - n - 2 * logDiag);
        if (!withGradient || l == 1) {
            return;
        }
        double[] dk = w.gram[l];
        System.arraycopy(ad, 0, dk, 0, n * n);
        gramOfFactor(dk, ad, w.lapack[l], n);
        for (int e = 0; e < n * n; e++) {
            dk[e] = -dk[e];
        }
        for (int i = 0; i < n; i++) {
            dk[i * n + i] += 1;
        }
        Blas.congruenceInverseLower(lf, dk, w.lapack[l], w.spare[l]); // L⁻ᵀ(I − AAᵀ)L⁻¹ by dsygst, n³
        double half = -0.5 * nu[l - 1];
        for (int e = 0; e < dk.length; e++) {
            dk[e] *= half;
        }
        w.mapped[l - 1].backprop(Matrix.wrap(n, n, dk));
    }

    /**
     * Backward chain ℓ: ∂𝓛/∂V = 2B_ℓ·V_ℓ − ν_ℓ·L_ℓ⁻ᵀA_ℓ + ν_ℓ·V_ℓ⁻ᵀ (lower triangle; V⁻ᵀ there is diag(1/V_ii)), by one
     * {@code dtrmm} and one {@code dtrsm} (L⁻ᵀA = K⁻¹V without forming K⁻¹).
     */
    private void backwardChain(int l, double[] theta, double[] gradient, int m, Work w) {
        double nul = nu[l - 1];
        NativeMatrix lf = l == 1 ? k1Factor : w.chol[l - 1];
        double[] bd = l == layers ? w.inverse[layers] : w.gram[l + 1];
        NativeMatrix prod = w.lapack[l];
        w.spare[l].putBlock(0, 0, n, n, bd);
        Blas.lowerOfProductWithLower(2, w.spare[l], w.factorV[l], prod); // lower(2B·V) only: ⅔n³
        prod.getBlock(0, 0, n, n, bd);
        NativeMatrix kv = w.whitened[l];
        Blas.trsmLeftLowerOnLower(true, lf, kv); // only lower(L⁻ᵀA) is read below: n³/3
        double[] kvd = w.scratch[l];
        kv.getBlock(0, 0, n, n, kvd);
        int off = (l - 1) * m;
        if (whitening == null) {
            for (int i = 0; i < n; i++) {
                int row = off + i * (i + 1) / 2;
                for (int j = 0; j < i; j++) {
                    gradient[row + j] = -(bd[i * n + j] - nul * kvd[i * n + j]);
                }
                double vii = Math.exp(theta[row + i]);
                // chain rule through V_ii = exp(θ_ii); ν·V⁻ᵀ contributes ν/V_ii, times V_ii
                gradient[row + i] = -((bd[i * n + i] - nul * kvd[i * n + i]) * vii + nul);
            }
            return;
        }
        // ∂𝓛/∂A = lower(Wᵀ·∂𝓛/∂V), ∂𝓛/∂V lower triangular (zeros above); then θ_ii = log A_ii
        double[] vDiagonal = w.factorV[l].diagonal();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                bd[i * n + j] -= nul * kvd[i * n + j];
            }
            bd[i * n + i] += nul / vDiagonal[i] - nul * kvd[i * n + i];
            java.util.Arrays.fill(bd, i * n + i + 1, (i + 1) * n, 0.0);
        }
        prod.putBlock(0, 0, n, n, bd);
        Blas.trmmLeftLowerOnLower(true, whitening[l], prod); // only lower(Wᵀ·∂V) is read below: n³/3
        prod.getBlock(0, 0, n, n, bd);
        for (int i = 0; i < n; i++) {
            int row = off + i * (i + 1) / 2;
            for (int j = 0; j < i; j++) {
                gradient[row + j] = -bd[i * n + j];
            }
            gradient[row + i] = -bd[i * n + i] * Math.exp(theta[row + i]);
        }
    }

    /**
     * G = V·Vᵀ (full, both triangles) into {@code vThenG}, which holds V row-major on entry. By {@code dlauum}
     * (n³/3 flops, where a syrk on the square factor costs n³): it forms Ṽᵀ·Ṽ for a lower-triangular Ṽ, so it is
     * handed Ṽ = J·Vᵀ·J (J reverses the order), for which Ṽᵀ·Ṽ = J·G·J; reversing the flat array then gives G's
     * upper triangle. Ṽ_ab = V_{n−1−b, n−1−a} is built in tiles so that the transposing reads stay in cache.
     */
    private static void gramOfFactor(double[] vThenG, double[] scratch, NativeMatrix lapack, int n) {
        final int tile = 64;
        for (int a0 = 0; a0 < n; a0 += tile) {
            int a1 = Math.min(n, a0 + tile);
            for (int b0 = 0; b0 < a1; b0 += tile) {
                int b1 = Math.min(n, b0 + tile);
                for (int a = a0; a < a1; a++) {
                    int src = n - 1 - a;
                    for (int b = b0, end = Math.min(b1, a + 1); b < end; b++) {
                        scratch[a * n + b] = vThenG[(n - 1 - b) * n + src];
                    }
                }
            }
        }
        lapack.putBlock(0, 0, n, n, scratch);
        Blas.lauumLower(lapack);
        lapack.getBlock(0, 0, n, n, vThenG);
        for (int lo = 0, hi = n * n - 1; lo < hi; lo++, hi--) {
            double t = vThenG[lo];
            vThenG[lo] = vThenG[hi];
            vThenG[hi] = t;
        }
        mirrorUpperToLower(vThenG, n);
    }

    /** X = C⁻¹Y (n×k, row-major) from the lower Cholesky factor of C held row-major in {@code l}. O(n²k). */
    private static double[] choleskySolve(double[] l, int n, Matrix y) {
        int k = y.cols();
        double[] x = y.data().clone();
        for (int i = 0; i < n; i++) { // L·W = Y
            for (int c = 0; c < k; c++) {
                double s = x[i * k + c];
                for (int j = 0; j < i; j++) {
                    s -= l[i * n + j] * x[j * k + c];
                }
                x[i * k + c] = s / l[i * n + i];
            }
        }
        for (int i = n - 1; i >= 0; i--) { // Lᵀ·X = W, row by row of L
            double d = l[i * n + i];
            for (int c = 0; c < k; c++) {
                double xi = x[i * k + c] / d;
                x[i * k + c] = xi;
                for (int j = 0; j < i; j++) {
                    x[j * k + c] -= l[i * n + j] * xi;
                }
            }
        }
        return x;
    }

    /** Copies the lower triangle over the upper one, in tiles (the transposed reads stay in cache). */
    static void mirrorLowerToUpper(double[] a, int n) {
        mirror(a, n, true);
    }

    /** Copies the upper triangle over the lower one, in tiles. */
    static void mirrorUpperToLower(double[] a, int n) {
        mirror(a, n, false);
    }

    private static void mirror(double[] a, int n, boolean lowerToUpper) {
        final int tile = 64;
        int tiles = (n + tile - 1) / tile;
        java.util.function.IntConsumer tileRow = t -> {
            int i0 = t * tile;
            int i1 = Math.min(n, i0 + tile);
            for (int j0 = 0; j0 < i1; j0 += tile) {
                int j1 = Math.min(n, j0 + tile);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0, end = Math.min(j1, i); j < end; j++) {
                        if (lowerToUpper) {
                            a[j * n + i] = a[i * n + j];
                        } else {
                            a[i * n + j] = a[j * n + i];
                        }
                    }
                }
            }
        };
        if (n < 4 * ROW_BLOCK) {
            for (int t = 0; t < tiles; t++) {
                tileRow.accept(t);
            }
        } else {
            Parallelism.forEachBlock(tiles, tileRow);
        }
    }

    /** V_ℓ packed at {@code offset}, row-major into {@code out} (n×n, zeros above the diagonal). */
    private static void unpackInto(double[] theta, int offset, int n, double[] out) {
        for (int i = 0; i < n; i++) {
            int row = offset + i * (i + 1) / 2;
            System.arraycopy(theta, row, out, i * n, i);
            out[i * n + i] = Math.exp(theta[row + i]);
            java.util.Arrays.fill(out, i * n + i + 1, (i + 1) * n, 0.0);
        }
    }

    /**
     * K = f(G) + δI together with the partials of f at every entry (when asked), computed in one pass so
     * that the backward pass needs no second evaluation of the map: d1[i·n + j] = ∂f/∂G_ii at (i, j)
     * (not symmetric) and d12[i·n + j] = ∂f/∂G_ij (symmetric). Only j ≤ i is evaluated, the rest mirrored.
     */
    static final class Mapped {
        final Matrix k;
        private final double[] d1;
        private final double[] d12;

        private Mapped(Matrix k, double[] d1, double[] d12) {
            this.k = k;
            this.d1 = d1;
            this.d12 = d12;
        }

        static Mapped of(GramMap f, Matrix g, double delta, boolean withPartials) {
            if (!withPartials) {
                return new Mapped(apply(f, g, delta), null, null);
            }
            int n = g.rows();
            Mapped out = new Mapped(new Matrix(n, n), new double[n * n], new double[n * n]);
            into(f, g.data(), n, delta, true, out);
            return out;
        }

        /** As {@link #of}, into {@code out}'s arrays (G full, n×n row-major); without partials K only. */
        static void into(GramMap f, double[] gd, int n, double delta, boolean withPartials, Mapped target) {
            if (!withPartials) {
                applyInto(f, gd, n, delta, target.k.data());
                return;
            }
            double[] kd = target.k.data();
            double[] d1 = target.d1;
            double[] d12 = target.d12;
            forEachRowBlock(n, blk -> {
                double[] out = new double[4];
                for (int i = blk * ROW_BLOCK, end = Math.min(n, i + ROW_BLOCK); i < end; i++) {
                    double gii = gd[i * n + i];
                    for (int j = 0; j <= i; j++) {
                        f.valueAndPartials(gii, j == i ? gii : gd[i * n + j], gd[j * n + j], out);
                        kd[i * n + j] = out[0];
                        kd[j * n + i] = out[0];
                        d1[i * n + j] = out[1];
                        d1[j * n + i] = out[2];
                        d12[i * n + j] = out[3];
                        d12[j * n + i] = out[3];
                    }
                    kd[i * n + i] += delta;
                }
            });
        }

        /**
         * dL/dG given A = dL/dK (symmetric), with K_ij and G_ij independent entries: S_ij = A_ij·∂f/∂G_ij,
         * and the diagonal also collects 2·Σ_j A_ij·∂f/∂G_ii(i, j). Overwrites and returns A's storage.
         */
        Matrix backprop(Matrix a) {
            int n = a.rows();
            double[] ad = a.data();
            forEachRowBlock(n, blk -> {
                for (int i = blk * ROW_BLOCK, end = Math.min(n, i + ROW_BLOCK); i < end; i++) {
                    double diag = 0;
                    int r = i * n;
                    for (int j = 0; j < n; j++) {
                        double aij = ad[r + j];
                        diag += aij * d1[r + j];
                        ad[r + j] = aij * d12[r + j];
                    }
                    ad[r + i] += 2 * diag;
                }
            });
            return a;
        }
    }

    /** Lower Cholesky of a symmetric matrix, no jitter escalation (the jitter is fixed at the start). */
    static Cholesky factor(Matrix a) {
        return Cholesky.factorInPlace(NativeMatrix.copyOf(a), "a DKM kernel matrix", false);
    }

    /** K_ij = f(G_ii, G_ij, G_jj), plus δ on the diagonal; one parallel pass over row blocks. */
    static Matrix apply(GramMap f, Matrix g, double delta) {
        int n = g.rows();
        Matrix k = new Matrix(n, n);
        applyInto(f, g.data(), n, delta, k.data());
        return k;
    }

    private static void applyInto(GramMap f, double[] gd, int n, double delta, double[] kd) {
        forEachRowBlock(n, blk -> {
            for (int i = blk * ROW_BLOCK, end = Math.min(n, i + ROW_BLOCK); i < end; i++) {
                double gii = gd[i * n + i];
                for (int j = 0; j < n; j++) {
                    kd[i * n + j] = f.value(gii, gd[i * n + j], gd[j * n + j]);
                }
                kd[i * n + i] = f.value(gii, gii, gii) + delta;
            }
        });
    }

    /**
     * dL/dG given A = dL/dK for K_ij = f(G_ii, G_ij, G_jj), with K_ij and G_ij independent entries:
     * S_ij = A_ij·∂₂f(i, j), and the diagonal also collects 2·Σ_j A_ij·∂₁f(i, j) (A symmetric).
     */
    static Matrix backprop(GramMap f, Matrix g, Matrix a) {
        int n = g.rows();
        Matrix s = new Matrix(n, n);
        double[] gd = g.data();
        double[] ad = a.data();
        double[] sd = s.data();
        forEachRowBlock(n, blk -> {
            double[] partial = new double[2];
            for (int i = blk * ROW_BLOCK, end = Math.min(n, i + ROW_BLOCK); i < end; i++) {
                double gii = gd[i * n + i];
                double diag = 0;
                for (int j = 0; j < n; j++) {
                    double gij = j == i ? gii : gd[i * n + j];
                    f.partials(gii, gij, gd[j * n + j], partial);
                    double aij = ad[i * n + j];
                    sd[i * n + j] = aij * partial[1];
                    diag += 2 * aij * partial[0];
                }
                sd[i * n + i] += diag;
            }
        });
        return s;
    }

    /** Row blocks on the worker pool; small matrices in this thread (the pool hand-off costs more than the work). */
    private static void forEachRowBlock(int n, java.util.function.IntConsumer task) {
        int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
        if (n < 4 * ROW_BLOCK) {
            for (int b = 0; b < blocks; b++) {
                task.accept(b);
            }
        } else {
            Parallelism.forEachBlock(blocks, task);
        }
    }

    /** The lower-triangular factor packed at {@code offset}, as a dense n×n matrix (zeros above). */
    static Matrix unpack(double[] theta, int offset, int n) {
        Matrix v = new Matrix(n, n);
        double[] d = v.data();
        for (int i = 0; i < n; i++) {
            int row = offset + i * (i + 1) / 2;
            for (int j = 0; j < i; j++) {
                d[i * n + j] = theta[row + j];
            }
            d[i * n + i] = Math.exp(theta[row + i]);
        }
        return v;
    }

    /** Packs a lower-triangular factor with positive diagonal at {@code offset}. */
    static void pack(Matrix v, double[] theta, int offset) {
        int n = v.rows();
        for (int i = 0; i < n; i++) {
            int row = offset + i * (i + 1) / 2;
            for (int j = 0; j < i; j++) {
                theta[row + j] = v.get(i, j);
            }
            theta[row + i] = Math.log(v.get(i, i));
        }
    }

    static double dot(Matrix a, Matrix b) {
        return dot(a.data(), b.data());
    }

    static double dot(double[] x, double[] z) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * z[i];
        }
        return s;
    }
}
