package org.kernels4j.regression;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * Leave-one-out error and generalized cross-validation for kernel ridge regression over a grid of
 * λ, all from ONE eigendecomposition {@code K = Q·diag(μ)·Qᵀ}.
 *
 * <p>For each λ the hat matrix is {@code H = K(K + λI)⁻¹ = Q·diag(s)·Qᵀ} with
 * {@code s_k = μ_k/(μ_k + λ)}. Then, per output column and averaged over columns:
 * <ul>
 *   <li>LOO residual (exact, Allen's PRESS): {@code e_i = (y_i − ŷ_i)/(1 − H_ii)}, LOO MSE
 *       {@code = mean_i e_i²};</li>
 *   <li>GCV {@code = (1/n)·‖(I − H)y‖² / ((1/n)·tr(I − H))²}.</li>
 * </ul>
 * With an intercept the hat matrix gains the rank-one term {@code λ·u·uᵀ/(1ᵀu)},
 * {@code u = (K + λI)⁻¹1 = Q·diag(1/(μ+λ))·Qᵀ1}; the fit is still penalized least squares, so the
 * formulas above stay exact (they are checked against explicit refits in the tests).
 * Cost: the eigendecomposition (≈ 9n³ flops) plus, for all L grid points together, two GEMMs of
 * n²·L·k and n²·L flops. Eigenvalues below 0 (round-off) are treated as 0.
 */
public final class RegularizationPath {
    /** Which score picks λ. */
    public enum Criterion {
        /** Leave-one-out mean squared error. */
        LOO,
        /** Generalized cross-validation. */
        GCV
    }

    private final double[] lambdas;
    private final double[] looMse;
    private final double[] gcv;
    private final int chosen;
    private final Criterion criterion;
    private final Matrix dualCoef;
    private final double[] intercept;

    private RegularizationPath(double[] lambdas, double[] looMse, double[] gcv, int chosen, Criterion criterion,
            Matrix dualCoef, double[] intercept) {
        this.intercept = intercept;
        this.lambdas = lambdas;
        this.looMse = looMse;
        this.gcv = gcv;
        this.chosen = chosen;
        this.criterion = criterion;
        this.dualCoef = dualCoef;
    }

    /**
     * Scores every λ and fits at the best one.
     *
     * @param gram K (n×n); overwritten by its eigenvectors
     * @param y n×k targets
     * @param fitIntercept whether the model has an unpenalized constant per output (see
     *     {@link KernelRidge}); its hat matrix is then {@code H + λ·u·uᵀ/(1ᵀu)} with {@code u = (K+λI)⁻¹1}
     */
    public static RegularizationPath compute(Matrix gram, Matrix y, double[] lambdas, Criterion criterion,
            boolean fitIntercept) {
        int n = gram.rows();
        int k = y.cols();
        int grid = lambdas.length;
        if (grid == 0) {
            throw new Kernels4jException("the lambda grid is empty");
        }
        SymmetricEigen eig = SymmetricEigen.ofInPlace(gram);
        Matrix q = eig.vectors();
        double[] mu = eig.values();
        for (int i = 0; i < n; i++) {
            mu[i] = Math.max(mu[i], 0.0);
        }
        Matrix qty = new Matrix(n, k);
        Blas.gemm(true, false, 1.0, q, y, 0.0, qty);
        double[] qt1 = new double[n]; // Qᵀ1
        if (fitIntercept) {
            double[] ones = new double[n];
            java.util.Arrays.fill(ones, 1.0);
            Blas.gemv(true, 1.0, q, ones, 0.0, qt1);
        }

        // intercept b_lo = Σ_m c_m·q1_m·(Qᵀy)_mo / Σ_m c_m·q1_m², with c_m = 1/(μ_m + λ_l)
        double[][] intercepts = new double[grid][k];
        double[] sumU = new double[grid]; // 1ᵀu
        if (fitIntercept) {
            for (int l = 0; l < grid; l++) {
                for (int m = 0; m < n; m++) {
                    double c = 1.0 / (mu[m] + lambdas[l]);
                    sumU[l] += c * qt1[m] * qt1[m];
                    for (int o = 0; o < k; o++) {
                        intercepts[l][o] += c * qt1[m] * qty.get(m, o);
                    }
                }
                for (int o = 0; o < k; o++) {
                    intercepts[l][o] /= sumU[l];
                }
            }
        }

        // s[m][l] = μ_m/(μ_m + λ_l); b[m][(l, o)] = s[m][l]·((Qᵀy)_mo − q1_m·b_lo); fitted = b_lo + Q·b
        Matrix s = new Matrix(n, grid);
        Matrix b = new Matrix(n, grid * k);
        Matrix uCoef = fitIntercept ? new Matrix(n, grid) : null; // u(λ_l) = Q·uCoef[:, l]
        for (int m = 0; m < n; m++) {
            for (int l = 0; l < grid; l++) {
                double sv = mu[m] / (mu[m] + lambdas[l]);
                s.set(m, l, sv);
                for (int o = 0; o < k; o++) {
                    b.set(m, l * k + o, sv * (qty.get(m, o) - qt1[m] * intercepts[l][o]));
                }
                if (fitIntercept) {
                    uCoef.set(m, l, qt1[m] / (mu[m] + lambdas[l]));
                }
            }
        }
        Matrix fitted = new Matrix(n, grid * k);
        Blas.gemm(false, false, 1.0, q, b, 0.0, fitted);
        Matrix hatDiagonal = hatDiagonals(q, s);
        if (fitIntercept) {
            Matrix u = new Matrix(n, grid);
            Blas.gemm(false, false, 1.0, q, uCoef, 0.0, u);
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < grid; l++) {
                    double ui = u.get(i, l);
                    hatDiagonal.set(i, l, hatDiagonal.get(i, l) + lambdas[l] * ui * ui / sumU[l]);
                }
            }
        }

        double[] loo = new double[grid];
        double[] gcv = new double[grid];
        for (int l = 0; l < grid; l++) {
            double press = 0;
            double rss = 0;
            double trace = 0;
            for (int i = 0; i < n; i++) {
                double h = hatDiagonal.get(i, l);
                trace += 1 - h;
                for (int o = 0; o < k; o++) {
                    double r = y.get(i, o) - fitted.get(i, l * k + o) - intercepts[l][o];
                    rss += r * r;
                    double e = r / (1 - h);
                    press += e * e;
                }
            }
            loo[l] = press / ((double) n * k);
            double meanTrace = trace / n;
            gcv[l] = (rss / ((double) n * k)) / (meanTrace * meanTrace);
        }
        double[] score = criterion == Criterion.LOO ? loo : gcv;
        int best = 0;
        for (int l = 1; l < grid; l++) {
            if (score[l] < score[best]) {
                best = l;
            }
        }
        // α = Q·diag(1/(μ + λ))·(Qᵀy − Qᵀ1·bᵀ)
        Matrix scaled = new Matrix(n, k);
        for (int m = 0; m < n; m++) {
            double inv = 1.0 / (mu[m] + lambdas[best]);
            for (int o = 0; o < k; o++) {
                scaled.set(m, o, inv * (qty.get(m, o) - qt1[m] * intercepts[best][o]));
            }
        }
        Matrix alpha = new Matrix(n, k);
        Blas.gemm(false, false, 1.0, q, scaled, 0.0, alpha);
        return new RegularizationPath(lambdas.clone(), loo, gcv, best, criterion, alpha, intercepts[best]);
    }

    /** H_ii(λ_l) = Σ_k Q_ik²·s_kl for all i and l, by row blocks of Q∘Q times S (never storing Q∘Q). */
    private static Matrix hatDiagonals(Matrix q, Matrix s) {
        int n = q.rows();
        int grid = s.cols();
        Matrix h = new Matrix(n, grid);
        final int band = 256;
        int bands = (n + band - 1) / band;
        Parallelism.forEachBlock(bands, p -> {
            int r0 = p * band;
            int r1 = Math.min(n, r0 + band);
            Matrix sq = q.rowRange(r0, r1);
            double[] d = sq.data();
            for (int t = 0; t < d.length; t++) {
                d[t] *= d[t];
            }
            Matrix part = new Matrix(r1 - r0, grid);
            Blas.gemm(false, false, 1.0, sq, s, 0.0, part);
            System.arraycopy(part.data(), 0, h.data(), r0 * grid, part.data().length);
        });
        return h;
    }

    /** The λ grid. */
    public double[] lambdas() {
        return lambdas.clone();
    }

    /** Leave-one-out mean squared error for each λ. */
    public double[] looMse() {
        return looMse.clone();
    }

    /** GCV score for each λ. */
    public double[] gcv() {
        return gcv.clone();
    }

    /** Index of the chosen λ. */
    public int chosenIndex() {
        return chosen;
    }

    /** The chosen λ. */
    public double chosenLambda() {
        return lambdas[chosen];
    }

    /** The criterion that chose λ. */
    public Criterion criterion() {
        return criterion;
    }

    Matrix dualCoefficients() {
        return dualCoef;
    }

    double[] intercept() {
        return intercept;
    }
}
