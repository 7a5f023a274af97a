package org.kernels4j.dkm;

import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeMatrix;
import org.kernels4j.linalg.NotPositiveDefiniteException;
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
 * <p>Gradient (dL/dG as a full matrix of independent entries; S is symmetric, so dL/dV = 2·S·V):
 * <pre>
 *   A_out = ∂𝓛/∂C = ½(ααᵀ − k·C⁻¹),  C = K(G_L) + (σ² + δ_out)I,  α = C⁻¹Y
 *   B_L   = backprop of A_out through K(·) at G_L
 *   S_ℓ   = B_ℓ − (ν_ℓ/2)(K_ℓ⁻¹ − G_ℓ⁻¹)
 *   ∂𝓛/∂V_ℓ = 2·B_ℓ·V_ℓ − ν_ℓ·K_ℓ⁻¹V_ℓ + ν_ℓ·V_ℓ⁻ᵀ       (lower triangle; V⁻ᵀ there is diag(1/V_ii))
 *   ∂𝓛/∂K_ℓ = −(ν_ℓ/2)(K_ℓ⁻¹ − PPᵀ),  P = K_ℓ⁻¹V_ℓ,  B_{ℓ−1} = backprop of it at G_{ℓ−1}
 * </pre>
 * and the backprop of A through K_ij = f(G_ii, G_ij, G_jj) is S_ij = A_ij·∂f/∂G_ij (i ≠ j),
 * S_ii = A_ii·∂f/∂G_ij(i, i) + 2·Σ_j A_ij·∂f/∂G_ii(i, j). G_ℓ⁻¹ is never formed: its contribution
 * through V is V⁻ᵀ, whose lower triangle is its diagonal. Per evaluation: one Cholesky and one inverse
 * of each K_ℓ (ℓ ≥ 2) and of C (the entry-wise back-propagation needs their every entry), and per layer a
 * syrk for VVᵀ (n³; LAPACK's dlauum does it in n³/3 flops but measured slower here, see the benchmark
 * notes), one triangular product (2B − νK⁻¹)·V (n³) and, for ℓ ≥ 2, a second one
 * (P = K⁻¹V) and a syrk (PPᵀ, n³); the layer maps and their partials in one pass over the lower triangle
 * (one arccosine per entry for the NNGP maps), the back-propagation from the stored partials: O(L·n³).
 */
final class DkmObjective implements BoundedLbfgs.Objective {
    private static final int ROW_BLOCK = 32;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final GramMap map;
    private final int layers;
    private final double[] nu;
    private final double noise;
    private final Matrix g0;
    private final Matrix y;
    private final double[] jitter;
    private final Matrix k1Inverse;
    private final double k1LogDet;
    private final int n;

    /** Terms of the last finite evaluation: [log-likelihood, KL_1, …, KL_L]. */
    private double[] lastTerms;

    /**
     * @param jitter δ_ℓ added to K_ℓ = f(G_{ℓ−1}) for ℓ = 1…L and, last, to the output kernel (length L + 1)
     */
    DkmObjective(GramMap map, int layers, double[] nu, double noise, Matrix g0, Matrix y, double[] jitter) {
        this.map = map;
        this.layers = layers;
        this.nu = nu.clone();
        this.noise = noise;
        this.g0 = g0;
        this.y = y;
        this.jitter = jitter.clone();
        this.n = g0.rows();
        try (Cholesky c = factor(apply(map, g0, jitter[0]))) {
            this.k1Inverse = c.inverse();
            this.k1LogDet = c.logDeterminant();
        }
    }

    int parameterCount() {
        return layers * packedSize(n);
    }

    static int packedSize(int n) {
        return n * (n + 1) / 2;
    }

    /** [log P(Y | G_L), KL_1, …, KL_L] of the last evaluation that was finite. */
    double[] lastTerms() {
        return lastTerms.clone();
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

    private double evaluate(double[] theta, double[] gradient) {
        int m = packedSize(n);
        boolean withGradient = gradient != null;
        Matrix[] v = new Matrix[layers + 1];
        Matrix[] g = new Matrix[layers + 1];
        Matrix[] kInv = new Matrix[layers + 1];
        // the layer maps' partial derivatives, kept from the forward pass for the backward one:
        // mapped[ℓ] is K(G_ℓ) with its partials (ℓ = 1…L−1 feed K_{ℓ+1}, ℓ = L the output kernel)
        Mapped[] mapped = new Mapped[layers + 1];
        g[0] = g0;
        double[] terms = new double[layers + 1];
        double value = 0;
        for (int l = 1; l <= layers; l++) {
            v[l] = unpack(theta, (l - 1) * m, n);
            g[l] = new Matrix(n, n);
            Blas.syrk(1, v[l], 0, g[l]);
            double logDetK;
            if (l == 1) {
                kInv[l] = k1Inverse;
                logDetK = k1LogDet;
            } else {
                mapped[l - 1] = Mapped.of(map, g[l - 1], jitter[l - 1], withGradient);
                try (Cholesky c = factor(mapped[l - 1].k)) {
                    kInv[l] = c.inverse();
                    logDetK = c.logDeterminant();
                } catch (NotPositiveDefiniteException e) {
                    return Double.NaN; // the line search backs off
                }
            }
            double trace = dot(kInv[l], g[l]); // tr(K⁻¹G) = Σ K⁻¹∘G, both symmetric: O(n²) given both
            double logDetG = 0;
            for (int i = 0; i < n; i++) {
                logDetG += 2 * Math.log(v[l].get(i, i));
            }
            terms[l] = 0.5 * (trace - logDetG + logDetK - n);
            value -= nu[l - 1] * terms[l];
        }
        Matrix cInv;
        Matrix alpha;
        int k = y.cols();
        mapped[layers] = Mapped.of(map, g[layers], jitter[layers] + noise, withGradient);
        try (Cholesky c = factor(mapped[layers].k)) {
            alpha = c.solve(y);
            terms[0] = -0.5 * dot(y, alpha) - 0.5 * k * c.logDeterminant() - 0.5 * n * k * LOG_2PI;
            cInv = withGradient ? c.inverse() : null;
        } catch (NotPositiveDefiniteException e) {
            return Double.NaN;
        }
        value += terms[0];
        if (!Double.isFinite(value)) {
            return Double.NaN;
        }
        lastTerms = terms;
        if (!withGradient) {
            return -value;
        }
        Matrix a = cInv; // A_out = ½(ααᵀ − k·C⁻¹), built in C⁻¹'s storage (not needed afterwards)
        Blas.gemm(false, true, 0.5, alpha, alpha, -0.5 * k, a);
        Matrix b = mapped[layers].backprop(a);
        for (int l = layers; l >= 1; l--) {
            double nul = nu[l - 1];
            Matrix dk = null;
            if (l >= 2) {
                // ∂𝓛/∂K_ℓ = −(ν/2)(K⁻¹ − PPᵀ), P = K⁻¹V
                Matrix p = kInv[l].copy();
                Blas.trmmRightLower(1, v[l], p);
                dk = new Matrix(n, n);
                Blas.syrk(1, p, 0, dk);
                double[] dd = dk.data();
                double[] ki = kInv[l].data();
                for (int e = 0; e < dd.length; e++) {
                    dd[e] = -0.5 * nul * (ki[e] - dd[e]);
                }
            }
            // ∂𝓛/∂V = (2B − νK⁻¹)·V + ν·V⁻ᵀ: one triangular product, in B's storage
            double[] bd = b.data();
            double[] ki = kInv[l].data();
            for (int e = 0; e < bd.length; e++) {
                bd[e] = 2 * bd[e] - nul * ki[e];
            }
            Blas.trmmRightLower(1, v[l], b);
            int off = (l - 1) * m;
            for (int i = 0; i < n; i++) {
                int row = off + i * (i + 1) / 2;
                for (int j = 0; j < i; j++) {
                    gradient[row + j] = -bd[i * n + j];
                }
                double vii = v[l].get(i, i);
                // chain rule through V_ii = exp(θ_ii); ν·V⁻ᵀ contributes ν/V_ii, times V_ii
                gradient[row + i] = -(bd[i * n + i] * vii + nul);
            }
            if (l >= 2) {
                b = mapped[l - 1].backprop(dk);
            }
        }
        return -value;
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
            Matrix k = new Matrix(n, n);
            double[] gd = g.data();
            double[] kd = k.data();
            double[] d1 = new double[n * n];
            double[] d12 = new double[n * n];
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
            return new Mapped(k, d1, d12);
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
        double[] gd = g.data();
        double[] kd = k.data();
        forEachRowBlock(n, blk -> {
            for (int i = blk * ROW_BLOCK, end = Math.min(n, i + ROW_BLOCK); i < end; i++) {
                double gii = gd[i * n + i];
                for (int j = 0; j < n; j++) {
                    kd[i * n + j] = f.value(gii, gd[i * n + j], gd[j * n + j]);
                }
                kd[i * n + i] = f.value(gii, gii, gii) + delta;
            }
        });
        return k;
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
        double[] x = a.data();
        double[] z = b.data();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * z[i];
        }
        return s;
    }

    private static void axpy(double alpha, Matrix x, Matrix target) {
        double[] xd = x.data();
        double[] td = target.data();
        for (int i = 0; i < xd.length; i++) {
            td[i] += alpha * xd[i];
        }
    }
}
