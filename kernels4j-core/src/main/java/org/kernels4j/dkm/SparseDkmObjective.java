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
 * i(i+1)/2 + j, the diagonal as log V_ii.
 *
 * <p>For the rows t of a batch (scale c = n/|B|, c = 1 for the full data):
 * <pre>
 *   layer ℓ = 1…L+1 (L+1 is the output layer, its "Gram" is A):
 *     K_ii = f(G_ii^{ℓ−1}) + δ_ℓI,  K_ti = f(g_t, G_ti^{ℓ−1}, G_ii^{ℓ−1}),  k_t = f(g_t, g_t, g_t),  W = K_ti·K_ii⁻¹
 *     G_ti^ℓ = W·G_ℓ,  g_t^ℓ = k_t − rowsum(W∘K_ti) + rowsum((W·G_ℓ)∘W)
 *   mean_t = W_{L+1}·μ, var_t = g_t^{L+1}
 *   𝓛_B = c·Σ_{t∈B} Σ_λ [−½log(2πσ²) − ((y_tλ − mean_tλ)² + var_t)/(2σ²)] − Σ_ℓ ν_ℓ·KL_ℓ − KL_out
 *   KL_ℓ = ½[tr(K_ii⁻¹G_ℓ) − log det G_ℓ + log det K_ii − m],  KL_out = k·KL(A‖K_out) + ½tr(μᵀK_out⁻¹μ)
 * </pre>
 * Reverse mode, per batch (D = diag(ḡ_t), adjoints of independent entries):
 * <pre>
 *   W̄ += Ḡ_ti·G + 2D·W·G − D·K_ti,  Ḡ_ℓ += Wᵀ(Ḡ_ti + D·W),  K̄_ti = W̄·K⁻¹ − D·W,  K̄_ii −= (WᵀW̄)·K⁻¹
 *   K̄_ti → Ḡ_ti^{ℓ−1}, ḡ^{ℓ−1}, diag Ḡ^{ℓ−1} through ∂f;  ḡ^{ℓ−1} += ḡ·(2∂₁f + ∂₂f)(g, g, g)
 * </pre>
 * and once per evaluation the KL terms (∂KL/∂G = ½(K⁻¹ − G⁻¹), ∂KL/∂K = ½(K⁻¹ − K⁻¹GK⁻¹)), K̄_ii back
 * through f to G^{ℓ−1} ({@link DkmObjective#backprop}) and dL/dV = 2·sym(Ḡ)·V. Cost per evaluation:
 * O(L·(m³ + |B|·m²)), linear in the batch; rows are processed in chunks of {@value #CHUNK}.
 */
final class SparseDkmObjective {
    static final int CHUNK = 256;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final GramMap map;
    private final int layers;
    private final double[] nu;
    private final double noise;
    private final Matrix z;
    private final Matrix g0;
    private final double[] jitter;
    private final int m;
    private final int k;
    private final int d;
    private final Matrix k1Inverse;
    private final double k1LogDet;

    /** [c·Σ expected log-likelihood, KL_1, …, KL_L, KL_out] of the last finite evaluation. */
    private double[] lastTerms;

    /**
     * @param z the m×d inducing inputs
     * @param outputs k, the number of target columns
     * @param jitter δ_1…δ_L and δ_out added to the inducing kernel matrices (fixed)
     */
    SparseDkmObjective(GramMap map, int layers, double[] nu, double noise, Matrix z, int outputs, double[] jitter) {
        this.map = map;
        this.layers = layers;
        this.nu = nu.clone();
        this.noise = noise;
        this.z = z;
        this.g0 = DeepKernelMachine.inputGram(z);
        this.jitter = jitter.clone();
        this.m = z.rows();
        this.k = outputs;
        this.d = z.cols();
        try (Cholesky c = DkmObjective.factor(DkmObjective.apply(map, g0, jitter[0]))) {
            this.k1Inverse = c.inverse();
            this.k1LogDet = c.logDeterminant();
        }
    }

    int parameterCount() {
        return (layers + 1) * DkmObjective.packedSize(m) + m * k;
    }

    /** Where μ starts in θ. */
    int meanOffset() {
        return (layers + 1) * DkmObjective.packedSize(m);
    }

    double[] lastTerms() {
        return lastTerms.clone();
    }

    /** The inducing-block state at θ: factors, Grams, inverses; null when some K_ii is not positive definite. */
    private final class State {
        final Matrix[] v = new Matrix[layers + 2];
        final Matrix[] g = new Matrix[layers + 2];
        final Matrix[] kInv = new Matrix[layers + 2];
        final double[] logDetK = new double[layers + 2];
        final Matrix mu;
        final Sums sums;

        State(double[] theta, boolean gradient) {
            int p = DkmObjective.packedSize(m);
            g[0] = g0;
            for (int l = 1; l <= layers + 1; l++) {
                v[l] = DkmObjective.unpack(theta, (l - 1) * p, m);
                g[l] = new Matrix(m, m);
                Blas.syrk(1, v[l], 0, g[l]);
            }
            mu = Matrix.wrap(m, k, java.util.Arrays.copyOfRange(theta, meanOffset(), meanOffset() + m * k));
            sums = new Sums(gradient);
        }

        /** Factors K_2…K_{L+1}; false when one is not positive definite with its fixed jitter. */
        boolean factorKernels() {
            kInv[1] = k1Inverse;
            logDetK[1] = k1LogDet;
            for (int l = 2; l <= layers + 1; l++) {
                try (Cholesky c = DkmObjective.factor(DkmObjective.apply(map, g[l - 1], jitter[l - 1]))) {
                    kInv[l] = c.inverse();
                    logDetK[l] = c.logDeterminant();
                } catch (NotPositiveDefiniteException e) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * What the rows contribute: Σ ℓ_t and, with the gradient, the adjoints of G_ℓ (Ḡ_ℓ), Σ WᵀW̄ per layer
     * (K̄_ii = −(Σ WᵀW̄)·K⁻¹, applied once) and μ̄. One per chunk of rows, added up under a lock.
     */
    private final class Sums {
        final Matrix[] gBar = new Matrix[layers + 2];
        final Matrix[] wtw = new Matrix[layers + 2];
        final Matrix muBar;
        double ell;

        Sums(boolean gradient) {
            if (gradient) {
                for (int l = 1; l <= layers + 1; l++) {
                    gBar[l] = new Matrix(m, m);
                    wtw[l] = new Matrix(m, m);
                }
            }
            muBar = gradient ? new Matrix(m, k) : null;
        }

        synchronized void add(Sums o) {
            ell += o.ell;
            if (muBar != null) {
                for (int l = 1; l <= layers + 1; l++) {
                    axpy(1, o.gBar[l], gBar[l]);
                    axpy(1, o.wtw[l], wtw[l]);
                }
                axpy(1, o.muBar, muBar);
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
        State s = new State(theta, grad);
        boolean[] ok = new boolean[1];
        inducingBlock(() -> ok[0] = s.factorKernels());
        if (!ok[0]) {
            return Double.NaN;
        }
        int n = x.rows();
        int chunks = (n + CHUNK - 1) / CHUNK;
        // row chunks on the worker threads (BLAS single-threaded there), each adding its sums under a lock
        Parallelism.forEachBlock(chunks, c -> {
            int from = c * CHUNK;
            int to = Math.min(n, from + CHUNK);
            Sums part = new Sums(grad);
            batch(s, part, chunks == 1 ? x : x.rowRange(from, to), chunks == 1 ? y : y.rowRange(from, to), scale, grad);
            s.sums.add(part);
        });
        double[] out = new double[1];
        inducingBlock(() -> out[0] = finishValue(s, scale, gradient));
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

    private double finishValue(State s, double scale, double[] gradient) {
        boolean grad = gradient != null;
        double[] terms = new double[layers + 2];
        terms[0] = scale * s.sums.ell;
        double value = terms[0];
        for (int l = 1; l <= layers + 1; l++) {
            double logDetG = 0;
            for (int i = 0; i < m; i++) {
                logDetG += 2 * Math.log(s.v[l].get(i, i));
            }
            double kl = 0.5 * (DkmObjective.dot(s.kInv[l], s.g[l]) - logDetG + s.logDetK[l] - m);
            if (l <= layers) {
                terms[l] = kl;
                value -= nu[l - 1] * kl;
            } else {
                Matrix q = new Matrix(m, k);
                Blas.gemm(false, false, 1, s.kInv[l], s.mu, 0, q);
                terms[l] = k * kl + 0.5 * DkmObjective.dot(q, s.mu);
                value -= terms[l];
            }
        }
        if (!Double.isFinite(value)) {
            return Double.NaN;
        }
        lastTerms = terms;
        if (grad) {
            finish(s, gradient);
        }
        return -value;
    }

    /** Forward and (when {@code grad}) backward pass of one chunk of rows through the L + 1 layer maps. */
    private void batch(State s, Sums acc, Matrix xb, Matrix yb, double scale, boolean grad) {
        int b = xb.rows();
        int top = layers + 1;
        Matrix[] gti = new Matrix[top + 1];
        double[][] gt = new double[top + 1][];
        Matrix[] kti = new Matrix[top + 1];
        double[][] kt = new double[top + 1][];
        Matrix[] w = new Matrix[top + 1];
        Matrix[] wg = new Matrix[top + 1];
        gti[0] = new Matrix(b, m);
        Blas.gemm(false, true, 1.0 / d, xb, z, 0, gti[0]);
        gt[0] = xb.rowSquaredNorms();
        for (int t = 0; t < b; t++) {
            gt[0][t] /= d;
        }
        double[] variance = null;
        for (int l = 1; l <= top; l++) {
            kti[l] = cross(gt[l - 1], gti[l - 1], s.g[l - 1]);
            kt[l] = new double[b];
            for (int t = 0; t < b; t++) {
                kt[l][t] = map.value(gt[l - 1][t], gt[l - 1][t], gt[l - 1][t]);
            }
            w[l] = new Matrix(b, m);
            Blas.gemm(false, false, 1, kti[l], s.kInv[l], 0, w[l]);
            wg[l] = new Matrix(b, m);
            Blas.gemm(false, false, 1, w[l], s.g[l], 0, wg[l]);
            double[] next = new double[b];
            double[] wd = w[l].data();
            double[] kd = kti[l].data();
            double[] gd = wg[l].data();
            for (int t = 0; t < b; t++) {
                double explained = 0;
                double learned = 0;
                for (int i = t * m, end = i + m; i < end; i++) {
                    explained += wd[i] * kd[i];
                    learned += gd[i] * wd[i];
                }
                next[t] = kt[l][t] - explained + learned;
            }
            if (l < top) {
                gti[l] = wg[l];
                gt[l] = next;
            } else {
                variance = next;
            }
        }
        Matrix mean = new Matrix(b, k);
        Blas.gemm(false, false, 1, w[top], s.mu, 0, mean);
        Matrix meanBar = grad ? new Matrix(b, k) : null;
        double ell = 0;
        for (int t = 0; t < b; t++) {
            for (int o = 0; o < k; o++) {
                double r = yb.get(t, o) - mean.get(t, o);
                ell += -0.5 * (LOG_2PI + Math.log(noise)) - (r * r + variance[t]) / (2 * noise);
                if (grad) {
                    meanBar.set(t, o, scale * r / noise);
                }
            }
        }
        acc.ell += ell;
        if (!grad) {
            return;
        }
        Blas.gemm(true, false, 1, w[top], meanBar, 1, acc.muBar);
        Matrix wBar = new Matrix(b, m);
        Blas.gemm(false, true, 1, meanBar, s.mu, 0, wBar);
        double[] gBarT = new double[b];
        java.util.Arrays.fill(gBarT, -scale * k / (2 * noise));
        Matrix gtiBar = null;
        double[] partial = new double[2];
        for (int l = top; l >= 1; l--) {
            if (gtiBar != null) {
                Blas.gemm(false, false, 1, gtiBar, s.g[l], 1, wBar);
            }
            double[] wbd = wBar.data();
            double[] wd = w[l].data();
            double[] kd = kti[l].data();
            double[] gd = wg[l].data();
            Matrix dw = gtiBar == null ? new Matrix(b, m) : gtiBar; // Ḡ_ti + D·W, in place
            double[] dwd = dw.data();
            for (int t = 0; t < b; t++) {
                double gb = gBarT[t];
                for (int i = t * m, end = i + m; i < end; i++) {
                    wbd[i] += gb * (2 * gd[i] - kd[i]);
                    dwd[i] += gb * wd[i];
                }
            }
            Blas.gemm(true, false, 1, w[l], dw, 1, acc.gBar[l]);
            Blas.gemm(true, false, 1, w[l], wBar, 1, acc.wtw[l]);
            if (l == 1) {
                break; // layer 0 (the inputs) has no parameters
            }
            Matrix ktiBar = new Matrix(b, m);
            Blas.gemm(false, false, 1, wBar, s.kInv[l], 0, ktiBar);
            double[] kbd = ktiBar.data();
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
                    double a = kbd[e] - gBarT[t] * wd[e];
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
            wBar = new Matrix(b, m);
        }
    }

    /** The KL terms, the inducing-block chain G_ℓ → K_{ℓ+1} and the chain rule to θ; writes ∇θ(−𝓛). */
    private void finish(State s, double[] gradient) {
        int p = DkmObjective.packedSize(m);
        for (int l = layers + 1; l >= 1; l--) {
            double weight = l <= layers ? nu[l - 1] : k;
            Matrix kinv = s.kInv[l];
            Matrix gBar = s.sums.gBar[l];
            axpy(-0.5 * weight, kinv, gBar);
            if (l >= 2) {
                Matrix kBar = new Matrix(m, m);
                Blas.gemm(false, false, -1, s.sums.wtw[l], kinv, 0, kBar);
                Matrix pv = kinv.copy();
                Blas.trmmRightLower(1, s.v[l], pv); // K⁻¹V
                Matrix kgk = new Matrix(m, m);
                Blas.syrk(1, pv, 0, kgk); // K⁻¹GK⁻¹
                axpy(-0.5 * weight, kinv, kBar);
                axpy(0.5 * weight, kgk, kBar);
                if (l == layers + 1) {
                    Matrix q = new Matrix(m, k);
                    Blas.gemm(false, false, 1, kinv, s.mu, 0, q);
                    Blas.gemm(false, true, 0.5, q, q, 1, kBar);
                    Blas.gemm(false, false, -1, kinv, s.mu, 1, s.sums.muBar);
                }
                symmetrize(kBar);
                Matrix back = DkmObjective.backprop(map, s.g[l - 1], kBar);
                axpy(1, back, s.sums.gBar[l - 1]);
            }
            symmetrize(gBar);
            Blas.trmmRightLower(2, s.v[l], gBar); // 2·sym(Ḡ)·V
            double[] bd = gBar.data();
            int off = (l - 1) * p;
            for (int i = 0; i < m; i++) {
                int row = off + i * (i + 1) / 2;
                for (int j = 0; j < i; j++) {
                    gradient[row + j] = -bd[i * m + j];
                }
                // through V_ii = exp(θ_ii); +weight/2·log det G contributes weight per θ_ii
                gradient[row + i] = -(bd[i * m + i] * s.v[l].get(i, i) + weight);
            }
        }
        double[] mb = s.sums.muBar.data();
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
