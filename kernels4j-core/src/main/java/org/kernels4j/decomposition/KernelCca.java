package org.kernels4j.decomposition;

import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;

/**
 * Kernel canonical correlation analysis (Bach &amp; Jordan, JMLR 2002; Hardoon, Szedmak &amp; Shawe-Taylor 2004;
 * kernlab's {@code kcca}): for two views of the same n samples, x_i (n×d, kernel k_x) and y_i (n×e, kernel k_y),
 * the pairs of functions {@code f = Σ_i α_i·k̃_x(x_i, ·)}, {@code g = Σ_i β_i·k̃_y(y_i, ·)} whose values on the
 * samples are most correlated, under regularisation κ &gt; 0. With K_x, K_y the Gram matrices, centred
 * ({@code K̃ = HKH}, H = I − 11ᵀ/n; {@link Builder#center}, on by default; kernlab does not centre) the pairs are
 * the solutions of kernlab's regularised generalised eigenproblem
 *
 * <pre>
 *   [ 0      K_xK_y ] [α]       [ (K_x + κI)K_x        0        ] [α]
 *   [ K_yK_x   0    ] [β]  = ρ· [       0        (K_y + κI)K_y  ] [β],
 * </pre>
 *
 * normalised so that {@code αᵀ(K_x + κI)K_xα = βᵀ(K_y + κI)K_yβ = 1}; ρ_1 ≥ ρ_2 ≥ … are the regularised canonical
 * correlations. (κ → 0 gives correlation 1 whenever the Grams have full rank, which is why it is regularised.)
 *
 * <p><b>Solution.</b> Not the dense 2n×2n problem: with the eigendecompositions K_x = UΛUᵀ and K_y = VMVᵀ, the
 * substitution u = S_xα, S_x = U·diag(√(λ(λ+κ)))·Uᵀ, turns it into the singular value decomposition of
 * {@code T = A·B}, A = U·diag(√(λ/(λ+κ)))·Uᵀ, B likewise for K_y: ρ_j are the singular values and
 * α_j = S_x⁺u_j, β_j = S_y⁺v_j. The right singular vectors v_j are the top eigenvectors of {@code TᵀT = (BA)(BA)ᵀ},
 * and u_j = Tv_j/ρ_j. Cost: two symmetric eigendecompositions (≈ 9n³ each), three n×n products (6n³) and a
 * partial eigendecomposition; memory a few n×n matrices. kernlab solves the 2n×2n generalised problem directly
 * (≈ 8× the eigen work).
 *
 * <p><b>New points</b> are projected with the centred kernel values against the training rows:
 * {@code f_j(x) = Σ_i α_ij·[k(x, x_i) − mean_l k(x, x_l) − mean_l k(x_l, x_i) + mean_lm k(x_l, x_m)]}.
 */
public final class KernelCca implements Estimator<KernelCcaModel> {
    private final Kernel kernelX;
    private final Kernel kernelY;
    private final double kappa;
    private final int components;
    private final boolean center;

    private KernelCca(Builder b) {
        this.kernelX = b.kernelX;
        this.kernelY = b.kernelY == null ? b.kernelX : b.kernelY;
        this.kappa = b.kappa;
        this.components = b.components;
        this.center = b.center;
    }

    /** A builder with the kernel of the first view (also used for the second unless {@link Builder#secondKernel}). */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options for {@link KernelCca}; validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernelX;
        private Kernel kernelY;
        private double kappa = 0.1;
        private int components = 10;
        private boolean center = true;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("kernel CCA needs a kernel");
            }
            this.kernelX = kernel;
        }

        /** The kernel of the second view (default: the first view's). */
        public Builder secondKernel(Kernel value) {
            this.kernelY = value;
            return this;
        }

        /** The regularisation κ &gt; 0 (kernlab's {@code gamma}; default 0.1). */
        public Builder kappa(double value) {
            this.kappa = value;
            return this;
        }

        /** The number of canonical pairs, ≥ 1 (default 10, as kernlab; at most n). */
        public Builder components(int value) {
            this.components = value;
            return this;
        }

        /** Whether to centre the Gram matrices (default true; false reproduces kernlab). */
        public Builder center(boolean value) {
            this.center = value;
            return this;
        }

        /** @throws Kernels4jException for κ ≤ 0 or fewer than one component */
        public KernelCca build() {
            if (!(kappa > 0) || Double.isInfinite(kappa)) {
                throw new Kernels4jException("kernel CCA: kappa must be a positive finite number, got " + kappa);
            }
            if (components < 1) {
                throw new Kernels4jException("kernel CCA: components must be >= 1, got " + components);
            }
            return new KernelCca(this);
        }
    }

    /**
     * Fits the canonical pairs.
     *
     * @param x n×d first view
     * @param y n×e second view (same rows)
     * @throws Kernels4jException when the views have different numbers of rows, fewer than 2 rows, or
     *     {@code components} exceeds n
     */
    @Override
    public KernelCcaModel fit(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        y.requireFinite("second view");
        int n = x.rows();
        if (n < 2) {
            throw new Kernels4jException("kernel CCA needs at least 2 rows, got " + n);
        }
        if (components > n) {
            throw new Kernels4jException("kernel CCA: " + components + " components asked for but only " + n + " rows");
        }
        Matrix kx = GramEngine.gram(kernelX, x);
        Matrix ky = GramEngine.gram(kernelY, y);
        double[] meansX = center ? centerInPlace(kx) : new double[n + 1];
        double[] meansY = center ? centerInPlace(ky) : new double[n + 1];
        SymmetricEigen ex = SymmetricEigen.ofInPlace(kx);
        SymmetricEigen ey = SymmetricEigen.ofInPlace(ky);
        double tolX = 1e-12 * Math.max(1e-300, Math.abs(ex.value(n - 1)));
        double tolY = 1e-12 * Math.max(1e-300, Math.abs(ey.value(n - 1)));
        Matrix a = spectral(ex, kappa, tolX, false);
        Matrix b = spectral(ey, kappa, tolY, false);
        Matrix ba = b.times(a); // (AB)ᵀ, as A and B are symmetric
        Matrix c = new Matrix(n, n);
        Blas.syrk(1.0, ba, 0.0, c); // TᵀT = (BA)(BA)ᵀ
        SymmetricEigen top = SymmetricEigen.top(c, components);
        Matrix v = new Matrix(n, components);
        double[] rho = new double[components];
        for (int j = 0; j < components; j++) {
            int src = components - 1 - j; // descending correlations
            rho[j] = Math.sqrt(Math.max(0, top.value(src)));
            for (int i = 0; i < n; i++) {
                v.set(i, j, top.vectors().get(i, src));
            }
        }
        Matrix u = new Matrix(n, components);
        Blas.gemm(true, false, 1.0, ba, v, 0.0, u); // T v = (BA)ᵀ v
        for (int j = 0; j < components; j++) {
            for (int i = 0; i < n; i++) {
                u.set(i, j, rho[j] > 0 ? u.get(i, j) / rho[j] : 0);
            }
        }
        Matrix alpha = spectral(ex, kappa, tolX, true).times(u);
        Matrix beta = spectral(ey, kappa, tolY, true).times(v);
        FitReport report = FitReport.builder().add("kappa", kappa).add("centered", center)
                .add("correlations", rho).build();
        return new KernelCcaModel(kernelX, kernelY, x.copy(), y.copy(), alpha, beta, rho, meansX, meansY, center, kappa,
                report);
    }

    /**
     * U·diag(s(λ))·Uᵀ with s = √(λ/(λ+κ)) (the whitened smoother), or with {@code inverse} the pseudo-inverse of
     * the whitening, s = 1/√(λ(λ+κ)) for λ above the rounding level and 0 below it.
     */
    private static Matrix spectral(SymmetricEigen e, double kappa, double tol, boolean inverse) {
        int n = e.size();
        Matrix uq = e.vectors().copy();
        for (int k = 0; k < n; k++) {
            double l = e.value(k);
            double s = l > tol ? (inverse ? 1 / Math.sqrt(l * (l + kappa)) : Math.sqrt(l / (l + kappa))) : 0;
            for (int i = 0; i < n; i++) {
                uq.set(i, k, uq.get(i, k) * s);
            }
        }
        Matrix out = new Matrix(n, n);
        Blas.gemm(false, true, 1.0, uq, e.vectors(), 0.0, out);
        return out;
    }

    /** Centres K in place (HKH); returns its row means followed by the grand mean (n + 1 values). */
    static double[] centerInPlace(Matrix k) {
        int n = k.rows();
        double[] means = new double[n + 1];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += k.get(i, j);
            }
            means[i] = s / n;
            means[n] += s;
        }
        means[n] /= (double) n * n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k.set(i, j, k.get(i, j) - means[i] - means[j] + means[n]);
            }
        }
        return means;
    }

    @Override
    public String toString() {
        return "KernelCca(kernel=" + kernelX.toSpec() + ", secondKernel=" + kernelY.toSpec() + ", kappa=" + kappa
                + ", components=" + components + ", center=" + center + ")";
    }
}
