package org.kernels4j.dkm;

import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NotPositiveDefiniteException;
import org.kernels4j.linalg.Parallelism;

/**
 * The sparse (inducing-point) DKM objective of {@link SparseDeepKernelMachine} and its analytic gradient as a
 * function of θ = [V_1 … V_L, V_A, μ] (the packed Cholesky factors of the inducing Grams G_1…G_L and of the
 * output covariance A, then μ row-major m×k). Packing of each factor as in {@link DkmObjective}: V_ij at
 * i(i+1)/2 + j, the diagonal as log V_ii. After {@link #whiten}, θ packs whitened factors instead (V = W·V').
 *
 * <p>Everything is computed in the coordinates of the Cholesky factor L of each inducing kernel matrix
 * K_ii = LLᵀ, never with K_ii⁻¹: for smooth layer maps K_ii has condition numbers of 10¹⁰ and more, and an
 * explicit inverse made the objective's rounding noise larger than its changes near the start, which stalled
 * L-BFGS (issue 26). For the rows t of a batch (scale c = n/|B|, c = 1 for the full data):
 * <pre>
 *   layer ℓ = 1…L+1 (L+1 is the output layer, its "Gram" is A):
 *     K_ii = f(G_ii^{ℓ−1}) + δ_ℓI = LLᵀ,  K_ti = f(g_t, G_ti^{ℓ−1}, G_ii^{ℓ−1}),  k_t = f(g_t, g_t, g_t)
 *     C = K_ti·L⁻ᵀ (dtrsm),  Â = L⁻¹V (dtrsm),  P = C·Â  (so P = K_tiK_ii⁻¹V exactly, W·V in the paper's terms)
 *     G_ti^ℓ = P·Vᵀ,  g_t^ℓ = k_t − ‖C_t‖² + ‖P_t‖²
 *   mean_t = C_{L+1}·B with B = L_{L+1}⁻¹μ, var_t = g_t^{L+1}
 *   𝓛_B = c·Σ_{t∈B} Σ_λ [−½log(2πσ²) − ((y_tλ − mean_tλ)² + var_t)/(2σ²)] − Σ_ℓ ν_ℓ·KL_ℓ − KL_out
 *   KL_ℓ = ½[‖Â_ℓ‖²_F − m − 2Σ_i log Â_ℓ,ii],  KL_out = k·KL(A‖K_out) + ½‖B‖²_F
 * </pre>
 * Reverse mode per batch (D = diag(ḡ_t); adjoints of every entry, Â and B treated as full matrices):
 * <pre>
 *   P̄ = Ḡ_ti·V + 2D·P,  V̄ += Ḡ_tiᵀ·P,  Â̄ += Cᵀ·P̄,  C̄ = P̄·Âᵀ − 2D·C (+ mean̄·Bᵀ),  B̄ += Cᵀ·mean̄,
 *   N += C̄ᵀ·C,  K̄_ti = C̄·L⁻¹ → Ḡ_ti^{ℓ−1}, ḡ^{ℓ−1}, diag Ḡ^{ℓ−1} through ∂f;  ḡ^{ℓ−1} += ḡ·(2∂₁f + ∂₂f)(g, g, g)
 * </pre>
 * and once per evaluation, with the KL terms in (Â̄ −= wÂ, B̄ −= B, w = ν_ℓ or k): V̄ += L⁻ᵀÂ̄ + 2·sym(Ḡ_ℓ)·V,
 * μ̄ = L⁻ᵀB̄, and since 𝓛 depends on L only through LLᵀ (it is unchanged by L → LQ, Q orthogonal),
 * K̄_ii = ½·L̄·L⁻¹ = −½·L⁻ᵀ(N + Â̄Âᵀ + B̄Bᵀ + wI)L⁻¹ (symmetrized; at the KL terms alone this is the exact DKM's
 * −(w/2)L⁻ᵀ(I − ÂÂᵀ)L⁻¹), back through f to G^{ℓ−1} ({@link DkmObjective#backprop}). Cost per evaluation:
 * O(L·(m³ + |B|·m²)), linear in the batch; rows are processed in chunks of {@value #CHUNK}.
 */
final class SparseDkmObjective {
    static final int CHUNK = 256;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final GramMap map;
    private final int layers;
    private final double[] nu;
    private final double noise;
    private final boolean learnNoise;
    private final Matrix z;
    private final Matrix g0;
    private final double[] jitter;
    private final int m;
    private final int k;
    private final int d;
    /** The Cholesky factor of K_1 = f(G_0) + δ_1I, fixed (G_0 = ZZᵀ/d does not move). */
    private final Matrix k1Factor;

    /** [c·Σ expected log-likelihood, KL_1, …, KL_L, KL_out] of the last finite evaluation. */
    private double[] lastTerms;

    /**
     * Fixed lower-triangular W_ℓ (ℓ = 1…L+1, L+1 the output covariance's factor) when θ packs whitened factors:
     * V_ℓ = W_ℓ·V'_ℓ; null when θ packs V_ℓ itself. See {@link #whiten}.
     */
    private Matrix[] whitening;

    /**
     * @param z the m×d inducing inputs
     * @param outputs k, the number of target columns
     * @param jitter δ_1…δ_L and δ_out added to the inducing kernel matrices (fixed)
     * @param learnNoise whether θ ends with one more entry, log σ² (then {@code noise} is unused)
     */
    SparseDkmObjective(GramMap map, int layers, double[] nu, double noise, boolean learnNoise, Matrix z, int outputs,
            double[] jitter) {
        this.map = map;
        this.layers = layers;
        this.nu = nu.clone();
        this.noise = noise;
        this.learnNoise = learnNoise;
        this.z = z;
        this.g0 = DeepKernelMachine.inputGram(z);
        this.jitter = jitter.clone();
        this.m = z.rows();
        this.k = outputs;
        this.d = z.cols();
        try (Cholesky c = DkmObjective.factor(DkmObjective.apply(map, g0, jitter[0]))) {
            this.k1Factor = c.lower();
        }
    }

    int parameterCount() {
        return (layers + 1) * DkmObjective.packedSize(m) + m * k + (learnNoise ? 1 : 0);
    }

    /** σ² at θ: exp of θ's last entry when learned, else the fixed value. */
    double noise(double[] theta) {
        return learnNoise ? Math.exp(theta[meanOffset() + m * k]) : noise;
    }

    /** Where μ starts in θ. */
    int meanOffset() {
        return (layers + 1) * DkmObjective.packedSize(m);
    }

    double[] lastTerms() {
        return lastTerms.clone();
    }

    /**
     * From now on θ packs whitened factors V'_ℓ with V_ℓ = W_ℓ·V'_ℓ, W_ℓ the factors that {@code factors} packs,
     * and μ' with μ = W_A·μ' (W_A the output covariance's factor). θ with V' = I is then the point {@code factors},
     * which is returned in the new packing. Why: as for the exact DKM ({@code DkmObjective.whiten}), the KL terms'
     * curvature in V is K_ii⁻¹ ⊗ I, as ill-conditioned as K_ii, and L-BFGS in V stalls near the NNGP start; in V' it
     * is about the identity there. The curvature in μ is K_out⁻¹ + Σ_t K_out⁻¹K_itK_tiK_out⁻¹/σ², which is A⁻¹ at
     * the collapsed optimum of q(u), so in μ' it is about the identity too. Same optimum: V' ↦ W·V' is a fixed linear bijection of lower-triangular matrices with
     * positive diagonal.
     */
    double[] whiten(double[] factors) {
        int p = DkmObjective.packedSize(m);
        Matrix[] w = new Matrix[layers + 2];
        for (int l = 1; l <= layers + 1; l++) {
            w[l] = DkmObjective.unpack(factors, (l - 1) * p, m);
        }
        whitening = w;
        double[] start = factors.clone();
        java.util.Arrays.fill(start, 0, meanOffset(), 0.0); // V' = I: off-diagonal 0, log-diagonal 0
        Matrix mu = Matrix.wrap(m, k, java.util.Arrays.copyOfRange(factors, meanOffset(), meanOffset() + m * k));
        Blas.trsm(true, false, w[layers + 1], mu); // μ' = V_A⁻¹μ
        System.arraycopy(mu.data(), 0, start, meanOffset(), m * k);
        return start;
    }

    /** μ at θ (whitened or not): μ = V_A·μ' when whitened, V_A the output covariance's factor at the whitening. */
    private Matrix mean(double[] theta) {
        Matrix mu = Matrix.wrap(m, k, java.util.Arrays.copyOfRange(theta, meanOffset(), meanOffset() + m * k));
        if (whitening == null) {
            return mu;
        }
        Matrix out = new Matrix(m, k);
        Blas.gemm(false, false, 1, whitening[layers + 1], mu, 0, out);
        return out;
    }

    /** Stops whitening: θ packs V_ℓ itself again. Returns this. */
    SparseDkmObjective unwhitened() {
        whitening = null;
        return this;
    }

    /** −𝓛 on all of (x, y) as a function of θ, for L-BFGS in whitened rounds ({@link WhitenedRounds}). */
    WhitenedRounds.Whitenable fullBatch(Matrix x, Matrix y) {
        return new WhitenedRounds.Whitenable() {
            @Override
            public double valueAndGradient(double[] theta, double[] gradient) {
                return SparseDkmObjective.this.valueAndGradient(theta, x, y, 1, gradient);
            }

            @Override
            public double[] whiten(double[] factors) {
                return SparseDkmObjective.this.whiten(factors);
            }

            @Override
            public double[] factors(double[] theta) {
                return SparseDkmObjective.this.factors(theta);
            }
        };
    }

    /** θ in the packing of V_ℓ itself for a θ of the current packing (a copy when not whitened). */
    double[] factors(double[] theta) {
        double[] out = theta.clone();
        if (whitening != null) {
            int p = DkmObjective.packedSize(m);
            for (int l = 1; l <= layers + 1; l++) {
                DkmObjective.pack(factor(theta, l), out, (l - 1) * p);
            }
            System.arraycopy(mean(theta).data(), 0, out, meanOffset(), m * k);
        }
        return out;
    }

    /** V_ℓ at θ (whitened or not). */
    private Matrix factor(double[] theta, int l) {
        Matrix v = DkmObjective.unpack(theta, (l - 1) * DkmObjective.packedSize(m), m);
        if (whitening == null) {
            return v;
        }
        Matrix wv = new Matrix(m, m);
        Blas.gemm(false, false, 1, whitening[l], v, 0, wv);
        return wv;
    }

    /** The inducing-block state at θ: factors V, Grams G = VVᵀ, the kernels' factors L, Â = L⁻¹V, B = L⁻¹μ. */
    private final class State {
        final Matrix[] v = new Matrix[layers + 2];
        final Matrix[] g = new Matrix[layers + 2];
        final Matrix[] chol = new Matrix[layers + 2];
        final Matrix[] whitened = new Matrix[layers + 2];
        final Matrix mu;
        Matrix b;
        final Sums sums;

        State(double[] theta, boolean gradient) {
            g[0] = g0;
            for (int l = 1; l <= layers + 1; l++) {
                v[l] = factor(theta, l);
                g[l] = new Matrix(m, m);
                Blas.syrk(1, v[l], 0, g[l]);
            }
            mu = mean(theta);
            sums = new Sums(gradient);
        }

        /** Factors K_2…K_{L+1}, forms Â_ℓ and B; false when some K_ℓ is not positive definite with its jitter. */
        boolean factorKernels() {
            chol[1] = k1Factor;
            for (int l = 2; l <= layers + 1; l++) {
                try (Cholesky c = DkmObjective.factor(DkmObjective.apply(map, g[l - 1], jitter[l - 1]))) {
                    chol[l] = c.lower();
                } catch (NotPositiveDefiniteException e) {
                    return false;
                }
            }
            for (int l = 1; l <= layers + 1; l++) {
                whitened[l] = v[l].copy();
                Blas.trsm(true, false, chol[l], whitened[l]);
            }
            b = mu.copy();
            Blas.trsm(true, false, chol[layers + 1], b);
            return true;
        }
    }

    /**
     * What the rows contribute: per layer V̄ (from G_ti = P·Vᵀ), Â̄ = Σ CᵀP̄, N = Σ C̄ᵀC and Ḡ (the adjoint of G_ℓ
     * as the next layer's input: the diagonal entries its rows read), and B̄ = Σ Cᵀ·mean̄. One per chunk of rows,
     * added up under a lock.
     */
    private final class Sums {
        final Matrix[] gBar = new Matrix[layers + 2];
        final Matrix[] vBar = new Matrix[layers + 2];
        final Matrix[] aBar = new Matrix[layers + 2];
        final Matrix[] nBar = new Matrix[layers + 2];
        final Matrix bBar;
        double ell;
        /** Σ_t Σ_λ ((y_tλ − mean_tλ)² + var_t), for ∂𝓛/∂log σ². */
        double squares;

        Sums(boolean gradient) {
            if (gradient) {
                for (int l = 1; l <= layers + 1; l++) {
                    gBar[l] = new Matrix(m, m);
                    vBar[l] = new Matrix(m, m);
                    aBar[l] = new Matrix(m, m);
                    nBar[l] = new Matrix(m, m);
                }
            }
            bBar = gradient ? new Matrix(m, k) : null;
        }

        synchronized void add(Sums o) {
            ell += o.ell;
            squares += o.squares;
            if (bBar != null) {
                for (int l = 1; l <= layers + 1; l++) {
                    axpy(1, o.gBar[l], gBar[l]);
                    axpy(1, o.vBar[l], vBar[l]);
                    axpy(1, o.aBar[l], aBar[l]);
                    axpy(1, o.nBar[l], nBar[l]);
                }
                axpy(1, o.bBar, bBar);
            }
        }
    }

    /**
     * −𝓛_B at θ for the rows (x, y) with the likelihood scaled by {@code scale}; writes ∇θ(−𝓛_B) into
     * {@code gradient} unless it is null. NaN where a K_ii is not positive definite.
     */
    double valueAndGradient(double[] theta, Matrix x, Matrix y, double scale, double[] gradient) {
        if (x.rows() <= CHUNK && m < 512) { // small: all of it in one single-threaded block
            double[] out = new double[1];
            Parallelism.forEachBlock(1, b -> out[0] = evaluate(theta, x, y, scale, gradient));
            return out[0];
        }
        return evaluate(theta, x, y, scale, gradient);
    }

    private double evaluate(double[] theta, Matrix x, Matrix y, double scale, double[] gradient) {
        boolean grad = gradient != null;
        double sigma2 = noise(theta);
        State[] holder = new State[1];
        boolean[] ok = new boolean[1];
        inducingBlock(() -> {
            holder[0] = new State(theta, grad);
            ok[0] = holder[0].factorKernels();
        });
        if (!ok[0]) {
            return Double.NaN;
        }
        State s = holder[0];
        int n = x.rows();
        int chunks = (n + CHUNK - 1) / CHUNK;
        // row chunks on the worker threads (BLAS single-threaded there), each adding its sums under a lock
        Parallelism.forEachBlock(chunks, c -> {
            int from = c * CHUNK;
            int to = Math.min(n, from + CHUNK);
            Sums part = new Sums(grad);
            batch(s, part, chunks == 1 ? x : x.rowRange(from, to), chunks == 1 ? y : y.rowRange(from, to), scale,
                    sigma2, grad);
            s.sums.add(part);
        });
        double[] out = new double[1];
        inducingBlock(() -> out[0] = finishValue(s, scale, theta, gradient));
        if (grad && learnNoise && Double.isFinite(out[0])) {
            // ∂(c·Σ ℓ_t)/∂log σ² = c·Σ_t Σ_λ [−½ + ((y − mean)² + var)/(2σ²)]
            gradient[meanOffset() + m * k] = -scale * (-0.5 * n * k + s.sums.squares / (2 * sigma2));
        }
        return out[0];
    }

    /** m×m work: single-threaded BLAS below m = 512, where threads cost more than they save. */
    private void inducingBlock(Runnable r) {
        if (m < 512) {
            Parallelism.forEachBlock(1, b -> r.run());
        } else {
            r.run();
        }
    }

    private double finishValue(State s, double scale, double[] theta, double[] gradient) {
        double[] terms = new double[layers + 2];
        terms[0] = scale * s.sums.ell;
        double value = terms[0];
        for (int l = 1; l <= layers + 1; l++) {
            Matrix a = s.whitened[l];
            double logDiagonal = 0;
            for (int i = 0; i < m; i++) {
                logDiagonal += Math.log(a.get(i, i));
            }
            double kl = 0.5 * (DkmObjective.dot(a, a) - m - 2 * logDiagonal);
            if (l <= layers) {
                terms[l] = kl;
                value -= nu[l - 1] * kl;
            } else {
                terms[l] = k * kl + 0.5 * DkmObjective.dot(s.b, s.b);
                value -= terms[l];
            }
        }
        if (!Double.isFinite(value)) {
            return Double.NaN;
        }
        lastTerms = terms;
        if (gradient != null) {
            finish(s, theta, gradient);
        }
        return -value;
    }

    /** Forward and (when {@code grad}) backward pass of one chunk of rows through the L + 1 layer maps. */
    private void batch(State s, Sums acc, Matrix xb, Matrix yb, double scale, double noise, boolean grad) {
        int b = xb.rows();
        int top = layers + 1;
        Matrix[] gti = new Matrix[top + 1];
        double[][] gt = new double[top + 1][];
        Matrix[] cs = new Matrix[top + 1];
        Matrix[] ps = new Matrix[top + 1];
        gti[0] = new Matrix(b, m);
        Blas.gemm(false, true, 1.0 / d, xb, z, 0, gti[0]);
        gt[0] = xb.rowSquaredNorms();
        for (int t = 0; t < b; t++) {
            gt[0][t] /= d;
        }
        double[] variance = null;
        for (int l = 1; l <= top; l++) {
            Matrix c = cross(gt[l - 1], gti[l - 1], s.g[l - 1]);
            Blas.trsmRight(true, true, s.chol[l], c); // C = K_ti·L⁻ᵀ
            Matrix p = c.copy();
            Blas.trmmRight(true, false, 1, s.whitened[l], p); // P = C·Â (Â lower: half a gemm)
            cs[l] = c;
            ps[l] = p;
            double[] next = new double[b];
            double[] cd = c.data();
            double[] pd = p.data();
            for (int t = 0; t < b; t++) {
                double g = gt[l - 1][t];
                double explained = 0;
                double learned = 0;
                for (int i = t * m, end = i + m; i < end; i++) {
                    explained += cd[i] * cd[i];
                    learned += pd[i] * pd[i];
                }
                next[t] = map.value(g, g, g) - explained + learned;
            }
            if (l < top) {
                gti[l] = p.copy();
                Blas.trmmRight(true, true, 1, s.v[l], gti[l]); // G_ti = P·Vᵀ
                gt[l] = next;
            } else {
                variance = next;
            }
        }
        Matrix mean = new Matrix(b, k);
        Blas.gemm(false, false, 1, cs[top], s.b, 0, mean);
        Matrix meanBar = grad ? new Matrix(b, k) : null;
        double ell = 0;
        double squares = 0;
        for (int t = 0; t < b; t++) {
            for (int o = 0; o < k; o++) {
                double r = yb.get(t, o) - mean.get(t, o);
                squares += r * r + variance[t];
                ell += -0.5 * (LOG_2PI + Math.log(noise)) - (r * r + variance[t]) / (2 * noise);
                if (grad) {
                    meanBar.set(t, o, scale * r / noise);
                }
            }
        }
        acc.ell += ell;
        acc.squares += squares;
        if (!grad) {
            return;
        }
        Blas.gemm(true, false, 1, cs[top], meanBar, 1, acc.bBar);
        double[] gBarT = new double[b];
        java.util.Arrays.fill(gBarT, -scale * k / (2 * noise));
        Matrix gtiBar = null;
        double[] partial = new double[2];
        for (int l = top; l >= 1; l--) {
            Matrix c = cs[l];
            Matrix p = ps[l];
            Matrix pBar;
            if (gtiBar != null) {
                Blas.gemm(true, false, 1, gtiBar, p, 1, acc.vBar[l]);
                pBar = gtiBar; // Ḡ_ti·V in place: Ḡ_ti is not needed again
                Blas.trmmRight(true, false, 1, s.v[l], pBar);
            } else {
                pBar = new Matrix(b, m);
            }
            double[] pbd = pBar.data();
            double[] pd = p.data();
            for (int t = 0; t < b; t++) {
                double twice = 2 * gBarT[t];
                for (int i = t * m, end = i + m; i < end; i++) {
                    pbd[i] += twice * pd[i];
                }
            }
            Blas.gemm(true, false, 1, c, pBar, 1, acc.aBar[l]);
            Matrix cBar = pBar; // P̄·Âᵀ in place: P̄ is not needed again
            Blas.trmmRight(true, true, 1, s.whitened[l], cBar);
            if (l == top) {
                Blas.gemm(false, true, 1, meanBar, s.b, 1, cBar);
            }
            double[] cbd = cBar.data();
            double[] cd = c.data();
            for (int t = 0; t < b; t++) {
                double twice = 2 * gBarT[t];
                for (int i = t * m, end = i + m; i < end; i++) {
                    cbd[i] -= twice * cd[i];
                }
            }
            if (l == 1) {
                break; // K_1 is fixed and layer 0 (the inputs) has no parameters
            }
            Blas.gemm(true, false, 1, cBar, c, 1, acc.nBar[l]);
            Blas.trsmRight(true, false, s.chol[l], cBar); // K̄_ti = C̄·L⁻¹
            double[] kbd = cbd;
            double[] prevGt = gt[l - 1];
            double[] prevGti = gti[l - 1].data();
            double[] gPrevBar = new double[b];
            Matrix gtiPrevBar = new Matrix(b, m);
            double[] gpd = gtiPrevBar.data();
            Matrix gPrev = s.g[l - 1];
            double[] gPrevBarDiag = new double[m];
            for (int t = 0; t < b; t++) {
                double g = prevGt[t];
                map.partials(g, g, g, partial);
                double gSum = gBarT[t] * (2 * partial[0] + partial[1]);
                for (int i = 0; i < m; i++) {
                    int e = t * m + i;
                    double a = kbd[e];
                    double gii = gPrev.get(i, i);
                    map.partials(g, prevGti[e], gii, partial);
                    gpd[e] = a * partial[1];
                    gSum += a * partial[0];
                    map.partials(gii, prevGti[e], g, partial);
                    gPrevBarDiag[i] += a * partial[0];
                }
                gPrevBar[t] = gSum;
            }
            Matrix gb = acc.gBar[l - 1];
            for (int i = 0; i < m; i++) {
                gb.set(i, i, gb.get(i, i) + gPrevBarDiag[i]);
            }
            gBarT = gPrevBar;
            gtiBar = gtiPrevBar;
        }
    }

    /** The KL terms, the inducing-block chain G_ℓ → K_{ℓ+1} and the chain rule to θ; writes ∇θ(−𝓛). */
    private void finish(State s, double[] theta, double[] gradient) {
        int p = DkmObjective.packedSize(m);
        Sums sums = s.sums;
        Matrix bBar = sums.bBar.copy();
        axpy(-1, s.b, bBar); // the KL of the means, −½‖B‖²
        for (int l = layers + 1; l >= 1; l--) {
            double weight = l <= layers ? nu[l - 1] : k;
            Matrix lf = s.chol[l];
            Matrix a = s.whitened[l];
            Matrix aBar = sums.aBar[l];
            axpy(-weight, a, aBar); // −(w/2)‖Â‖²
            if (l >= 2) {
                // K̄ = −½·L⁻ᵀ(N + Â̄Âᵀ + B̄Bᵀ + wI)L⁻¹
                Matrix inner = sums.nBar[l];
                Blas.gemm(false, true, 1, aBar, a, 1, inner);
                if (l == layers + 1) {
                    Blas.gemm(false, true, 1, bBar, s.b, 1, inner);
                }
                for (int i = 0; i < m; i++) {
                    inner.set(i, i, inner.get(i, i) + weight);
                }
                Blas.trsm(true, true, lf, inner);
                Matrix kBar = inner.transpose();
                Blas.trsm(true, true, lf, kBar); // (L⁻ᵀ·inner·L⁻¹)ᵀ
                symmetrize(kBar);
                double[] kd = kBar.data();
                for (int e = 0; e < kd.length; e++) {
                    kd[e] *= -0.5;
                }
                Matrix back = DkmObjective.backprop(map, s.g[l - 1], kBar);
                axpy(1, back, sums.gBar[l - 1]);
            }
            Matrix vBar = sums.vBar[l];
            Matrix la = aBar.copy();
            Blas.trsm(true, true, lf, la); // L⁻ᵀÂ̄
            axpy(1, la, vBar);
            Matrix gBar = sums.gBar[l];
            symmetrize(gBar);
            Matrix gv = new Matrix(m, m);
            Blas.gemm(false, false, 2, gBar, s.v[l], 0, gv); // 2·sym(Ḡ)·V
            axpy(1, gv, vBar);
            // +w·Σ log V_ii (from −w·KL's −log det G): w/V_ii on the diagonal; then −𝓛's gradient, lower triangle
            double[] vd = vBar.data();
            for (int i = 0; i < m; i++) {
                vd[i * m + i] += weight / s.v[l].get(i, i);
                java.util.Arrays.fill(vd, i * m + i + 1, (i + 1) * m, 0.0);
            }
            int off = (l - 1) * p;
            Matrix out = vBar;
            if (whitening != null) { // ∂/∂V' = lower(Wᵀ·∂/∂V)
                out = new Matrix(m, m);
                Blas.gemm(true, false, 1, whitening[l], vBar, 0, out);
            }
            double[] od = out.data();
            for (int i = 0; i < m; i++) {
                int row = off + i * (i + 1) / 2;
                for (int j = 0; j < i; j++) {
                    gradient[row + j] = -od[i * m + j];
                }
                gradient[row + i] = -od[i * m + i] * Math.exp(theta[row + i]); // θ_ii = log of the diagonal entry
            }
        }
        Matrix muBar = bBar;
        Blas.trsm(true, true, s.chol[layers + 1], muBar); // μ̄ = L⁻ᵀB̄
        if (whitening != null) { // ∂/∂μ' = V_Aᵀ·μ̄
            Matrix whitenedBar = new Matrix(m, k);
            Blas.gemm(true, false, 1, whitening[layers + 1], muBar, 0, whitenedBar);
            muBar = whitenedBar;
        }
        double[] mb = muBar.data();
        int off = meanOffset();
        for (int e = 0; e < mb.length; e++) {
            gradient[off + e] = -mb[e];
        }
    }

    /** f(g_t, G_ti, G_ii) for every batch row t and inducing column i. */
    private Matrix cross(double[] gt, Matrix gti, Matrix gii) {
        int b = gt.length;
        Matrix out = new Matrix(b, m);
        double[] od = out.data();
        double[] gd = gti.data();
        double[] diag = new double[m];
        for (int i = 0; i < m; i++) {
            diag[i] = gii.get(i, i);
        }
        for (int t = 0; t < b; t++) {
            for (int i = 0; i < m; i++) {
                od[t * m + i] = map.value(gt[t], gd[t * m + i], diag[i]);
            }
        }
        return out;
    }

    /**
     * The output-layer blocks at the NNGP point (every G_ℓ = K_ℓ) for all rows, accumulated for the collapsed
     * (Titsias) optimum of q(u): Φ = Σ_t K_itK_ti (m×m) and Ψ = Σ_t K_it·y_t (m×k). At G_ℓ = K_ℓ the maps give
     * G_ti^ℓ = K_ti^ℓ and g_t^ℓ = k_t^ℓ exactly, so these are the composed NNGP kernel's blocks.
     */
    Matrix[] nngpOutputStatistics(double[] theta, Matrix x, Matrix y) {
        State s = new State(theta, false);
        if (!s.factorKernels()) {
            throw new NotPositiveDefiniteException("a layer kernel at the NNGP start is not positive definite");
        }
        Matrix phi = new Matrix(m, m);
        Matrix psi = new Matrix(m, k);
        int n = x.rows();
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallelism.forEachBlock(chunks, c -> {
            int from = c * CHUNK;
            int to = Math.min(n, from + CHUNK);
            Matrix xb = x.rowRange(from, to);
            int b = to - from;
            Matrix gti = new Matrix(b, m);
            Blas.gemm(false, true, 1.0 / d, xb, z, 0, gti);
            double[] gt = xb.rowSquaredNorms();
            for (int t = 0; t < b; t++) {
                gt[t] /= d;
            }
            for (int l = 1; l <= layers; l++) {
                Matrix next = cross(gt, gti, s.g[l - 1]);
                double[] ng = new double[b];
                for (int t = 0; t < b; t++) {
                    ng[t] = map.value(gt[t], gt[t], gt[t]);
                }
                gti = next;
                gt = ng;
            }
            Matrix kti = cross(gt, gti, s.g[layers]);
            Matrix phiPart = new Matrix(m, m);
            Matrix psiPart = new Matrix(m, k);
            Blas.gemm(true, false, 1, kti, kti, 0, phiPart);
            Blas.gemm(true, false, 1, kti, y.rowRange(from, to), 0, psiPart);
            synchronized (phi) {
                axpy(1, phiPart, phi);
                axpy(1, psiPart, psi);
            }
        });
        return new Matrix[] {phi, psi};
    }

    private static void symmetrize(Matrix a) {
        int n = a.rows();
        double[] d = a.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (d[i * n + j] + d[j * n + i]);
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
    }

    private static void axpy(double alpha, Matrix x, Matrix target) {
        double[] xd = x.data();
        double[] td = target.data();
        for (int i = 0; i < xd.length; i++) {
            td[i] += alpha * xd[i];
        }
    }
}
