package org.kernels4j.regression;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.spectral.SpectralFilter;

/**
 * The regularisation path of spectral-filter kernel regression (see {@link SpectralFilter}): for every value
 * of the filter's parameter (λ, a number of steps or a time) the generalized cross-validation score, and for
 * ridge the exact leave-one-out error, all from ONE eigendecomposition {@code K = Q·diag(μ)·Qᵀ}, then the fit
 * at the best value with no refits.
 *
 * <p>For parameter value p the hat matrix is {@code H = Q·diag(h)·Qᵀ} with the filter's profile
 * {@code h_k = μ_k·g(μ_k; p)} (for ridge {@code h_k = μ_k/(μ_k + λ)}). Then, per output column and averaged
 * over columns:
 * <ul>
 *   <li>LOO residual (exact for ridge only, Allen's PRESS): {@code e_i = (y_i − ŷ_i)/(1 − H_ii)}, LOO MSE
 *       {@code = mean_i e_i²};</li>
 *   <li>GCV {@code = (1/n)·‖(I − H)y‖² / ((1/n)·tr(I − H))²}, for every filter, with the residual norm
 *       {@code Σ_k r_k²·(Qᵀy)_k²} and {@code tr(I − H) = Σ_k r_k} taken in the eigenbasis from the filter's
 *       residual factors {@code r = 1 − h} evaluated directly ({@link SpectralFilter#residuals}), so they stay
 *       accurate where the fit nearly interpolates.</li>
 * </ul>
 * For ridge, {@code tr(I − H) = Σ_k λ/(μ_k + λ)} (less the intercept's term below) is summed from these filter
 * factors and GCV is finite for every λ &gt; 0, however close the degrees of freedom come to n. For the other
 * filters GCV is +∞ (never chosen) where {@code tr(I − H) < 1}, i.e. less than one residual degree of freedom: there its
 * noise estimate rests on a fraction of one eigen-direction, and for an iterative filter run to interpolation it
 * tends to n·(the target's component along the slowest direction)², a number that can be small by chance (a
 * nearly diagonal K makes this happen). The ν-method's residual polynomials oscillate in [−1, 1], so its h can
 * exceed 1 and the degrees of freedom n a little.
 * Intercept: for ridge the hat matrix gains the rank-one term {@code λ·u·uᵀ/(1ᵀu)},
 * {@code u = (K + λI)⁻¹1} (the generalized-least-squares constant of penalised least squares, so LOO stays
 * exact; checked against explicit refits in the tests). The other filters have no penalised form, so their
 * constant is the target's mean: the filter is applied to {@code y − ȳ} and
 * {@code H' = 11ᵀ/n + H(I − 11ᵀ/n)}, {@code tr H' = 1 + tr H − 1ᵀH1/n}.
 *
 * <p>The same path runs on an explicit feature map Φ (n×D, e.g. Nyström or random features; see
 * {@link #computeFeatures}) from the eigendecomposition of the D×D matrix ΦᵀΦ, for n far beyond what an
 * n×n matrix allows: there K is replaced by ΦΦᵀ and the fit is the primal weight vector.
 *
 * <p>Cost: the eigendecomposition (≈ 9n³ flops, or n·D² + 9D³ with features) plus O(n·k) per parameter value
 * for GCV and one n×n·k product for the chosen fit; ridge's LOO adds two GEMMs of n²·L·k and n²·L flops for L
 * grid values. Eigenvalues below 0 (round-off) are treated as 0.
 */
public final class RegularizationPath {
    /** Which score picks the parameter. */
    public enum Criterion {
        /** Leave-one-out mean squared error (exact for ridge only). */
        LOO,
        /** Generalized cross-validation. */
        GCV
    }

    private final SpectralFilter filter;
    private final double[] parameters;
    private final double[] looMse;
    private final double[] gcv;
    private final double[] degreesOfFreedom;
    private final double[] trainingMse;
    private final int chosen;
    private final Criterion criterion;
    private final Matrix coef;
    private final double[] intercept;

    private RegularizationPath(SpectralFilter filter, double[] parameters, double[] looMse, double[] gcv,
            double[] degreesOfFreedom, double[] trainingMse, int chosen, Criterion criterion, Matrix coef,
            double[] intercept) {
        this.filter = filter;
        this.intercept = intercept;
        this.parameters = parameters;
        this.looMse = looMse;
        this.gcv = gcv;
        this.degreesOfFreedom = degreesOfFreedom;
        this.trainingMse = trainingMse;
        this.chosen = chosen;
        this.criterion = criterion;
        this.coef = coef;
    }

    /**
     * Scores every λ of kernel ridge and fits at the best one.
     *
     * @param gram K (n×n); overwritten by its eigenvectors
     * @param y n×k targets
     * @param fitIntercept whether the model has an unpenalized constant per output (see
     *     {@link KernelRidge}); its hat matrix is then {@code H + λ·u·uᵀ/(1ᵀu)} with {@code u = (K+λI)⁻¹1}
     */
    public static RegularizationPath compute(Matrix gram, Matrix y, double[] lambdas, Criterion criterion,
            boolean fitIntercept) {
        return compute(SymmetricEigen.ofInPlace(gram), y, SpectralFilter.tikhonov(), lambdas, criterion, fitIntercept);
    }

    /**
     * Scores every parameter value of a filter from an eigendecomposition of K and fits at the best one. The
     * decomposition is only read, so one decomposition serves every filter.
     *
     * @param eig the eigendecomposition of the n×n kernel matrix
     * @param y n×k targets
     * @param parameters the filter's parameter values (at least one)
     * @param criterion LOO (ridge only) or GCV
     * @throws Kernels4jException for an empty grid, a bad parameter, or LOO with a filter other than ridge
     */
    public static RegularizationPath compute(SymmetricEigen eig, Matrix y, SpectralFilter filter, double[] parameters,
            Criterion criterion, boolean fitIntercept) {
        check(filter, parameters, criterion);
        if (eig.size() != y.rows()) {
            throw new Kernels4jException("the kernel matrix has " + eig.size() + " rows but the target has " + y.rows());
        }
        if (filter.kind() == SpectralFilter.Kind.TIKHONOV) {
            return ridge(eig, y, parameters, criterion, fitIntercept);
        }
        Matrix q = eig.vectors();
        int n = y.rows();
        int k = y.cols();
        double[] mean = fitIntercept ? y.columnMeans() : new double[k];
        Matrix centred = centred(y, mean);
        Matrix qty = new Matrix(n, k);
        double[] qt1 = fitIntercept ? new double[n] : null;
        project(q, centred, qty, qt1);
        Spectrum spectrum = new Spectrum(eig.values(), qty, 0.0, qt1, n);
        Scores scores = spectrum.scores(filter, parameters);
        int best = choose(scores.gcv);
        Matrix scaled = spectrum.scaled(scores.g[best]);
        Matrix alpha = new Matrix(n, k);
        Blas.gemm(false, false, 1.0, q, scaled, 0.0, alpha);
        return new RegularizationPath(filter, parameters.clone(), nanArray(parameters.length), scores.gcv, scores.df,
                scores.mse, best, criterion, alpha, mean);
    }

    /**
     * The same path for kernel regression on explicit features, K ≈ ΦΦᵀ: eigendecomposition of ΦᵀΦ = V·diag(μ)·Vᵀ
     * (D×D), filter coefficients g(μ), primal weights {@code w = V·diag(g)·Vᵀ·Φᵀ(y − ȳ)} so that
     * {@code ŷ = Φ·w + ȳ}. Directions with μ ≤ 1e-12·μ_max carry no information and are left out. Only GCV is
     * available; the constant (with {@code fitIntercept}) is the target's mean. Cost O(n·D² + D³), memory D².
     *
     * @param phi the n×D feature matrix
     */
    public static RegularizationPath computeFeatures(Matrix phi, Matrix y, SpectralFilter filter, double[] parameters,
            Criterion criterion, boolean fitIntercept) {
        check(filter, parameters, criterion);
        if (criterion == Criterion.LOO) {
            throw new Kernels4jException("leave-one-out is not available on a feature approximation; select by GCV");
        }
        int n = phi.rows();
        int dim = phi.cols();
        if (y.rows() != n) {
            throw new Kernels4jException("the features have " + n + " rows but the target has " + y.rows());
        }
        int k = y.cols();
        double[] mean = fitIntercept ? y.columnMeans() : new double[k];
        Matrix centred = centred(y, mean);
        Matrix gram = new Matrix(dim, dim);
        Blas.gemm(true, false, 1.0, phi, phi, 0.0, gram);
        Matrix phiTy = new Matrix(dim, k);
        Blas.gemm(true, false, 1.0, phi, centred, 0.0, phiTy);
        double[] phiT1 = null;
        if (fitIntercept) {
            phiT1 = new double[dim];
            Blas.gemv(true, 1.0, phi, ones(n), 0.0, phiT1);
        }
        double total = 0;
        for (double val : centred.data()) {
            total += val * val;
        }
        return fromFeatureMoments(gram, phiTy, phiT1, total, n, filter, parameters, criterion, mean);
    }

    /**
     * The feature path from the moments alone, for feature matrices too large to hold: ΦᵀΦ (D×D, overwritten),
     * Φᵀ(y − ȳ) (D×k), Φᵀ1 (null without an intercept), ‖y − ȳ‖²_F and n; ȳ is {@code mean} (zeros without an
     * intercept).
     */
    static RegularizationPath fromFeatureMoments(Matrix gram, Matrix phiTy, double[] phiT1, double total, int n,
            SpectralFilter filter, double[] parameters, Criterion criterion, double[] mean) {
        check(filter, parameters, criterion);
        int dim = gram.rows();
        int k = phiTy.cols();
        SymmetricEigen eig = SymmetricEigen.ofInPlace(gram);
        double[] mu = eig.values();
        double top = Math.max(0, mu[dim - 1]);
        Matrix v = eig.vectors();
        Matrix vtPhiTy = new Matrix(dim, k); // (VᵀΦᵀy)_j = s_j·(Uᵀy)_j
        Blas.gemm(true, false, 1.0, v, phiTy, 0.0, vtPhiTy);
        Matrix z = new Matrix(dim, k); // Uᵀy, with Φ = U·S·Vᵀ
        double[] qt1 = null;
        if (phiT1 != null) {
            double[] vtPhiT1 = new double[dim];
            Blas.gemv(true, 1.0, v, phiT1, 0.0, vtPhiT1);
            qt1 = new double[dim];
            for (int j = 0; j < dim; j++) {
                qt1[j] = mu[j] > 1e-12 * top ? vtPhiT1[j] / Math.sqrt(mu[j]) : 0;
            }
        }
        double inSpan = 0;
        for (int j = 0; j < dim; j++) {
            if (!(mu[j] > 1e-12 * top)) {
                mu[j] = 0;
                continue;
            }
            double s = Math.sqrt(mu[j]);
            for (int o = 0; o < k; o++) {
                double zj = vtPhiTy.get(j, o) / s;
                z.set(j, o, zj);
                inSpan += zj * zj;
            }
        }
        Spectrum spectrum = new Spectrum(mu, z, Math.max(0, total - inSpan), qt1, n);
        Scores scores = spectrum.scores(filter, parameters);
        int best = choose(scores.gcv);
        double[] g = scores.g[best];
        Matrix scaled = new Matrix(dim, k);
        for (int j = 0; j < dim; j++) {
            for (int o = 0; o < k; o++) {
                scaled.set(j, o, mu[j] > 0 ? g[j] * vtPhiTy.get(j, o) : 0);
            }
        }
        Matrix w = new Matrix(dim, k);
        Blas.gemm(false, false, 1.0, v, scaled, 0.0, w);
        return new RegularizationPath(filter, parameters.clone(), nanArray(parameters.length), scores.gcv, scores.df,
                scores.mse, best, criterion, w, mean);
    }

    private static void check(SpectralFilter filter, double[] parameters, Criterion criterion) {
        if (parameters.length == 0) {
            throw new Kernels4jException("the " + filter.parameterName() + " grid is empty");
        }
        for (double p : parameters) {
            filter.checkParameter(p);
        }
        if (criterion == Criterion.LOO && !filter.hasExactLeaveOneOut()) {
            throw new Kernels4jException("leave-one-out has no closed form for the " + filter.toSpec() + " filter "
                    + "(only for ridge); select its " + filter.parameterName() + " by GCV");
        }
    }

    /**
     * The target in the eigenbasis and what the GCV of any filter needs: eigenvalues μ_j, coordinates
     * z_j = (Qᵀy)_j, the squared norm of y outside span(Q), and (Qᵀ1)_j for the intercept's trace term.
     */
    private record Spectrum(double[] mu, Matrix z, double outside, double[] qt1, int n) {
        Scores scores(SpectralFilter filter, double[] parameters) {
            double[][] g = filter.coefficients(mu, parameters);
            double[][] res = filter.residuals(mu, parameters);
            int grid = parameters.length;
            int r = mu.length;
            int k = z.cols();
            // directions outside span(Q) (features: n − D of them) are not fitted at all: residual factor 1
            int outsideDims = n - r;
            double spanOnes = 0;
            if (qt1 != null) {
                for (double v : qt1) {
                    spanOnes += v * v;
                }
            }
            double[] gcv = new double[grid];
            double[] df = new double[grid];
            double[] mse = new double[grid];
            for (int l = 0; l < grid; l++) {
                double rss = outside;
                // tr(I − H) = Σ r_j over every direction; with the mean as constant, tr((I − H)(I − 11ᵀ/n))
                // = Σ r_j·(1 − q1_j²/n), the outside directions contributing (n − D) − (n − Σ_span q1²)/n
                double free = outsideDims;
                for (int j = 0; j < r; j++) {
                    double rj = res[l][j];
                    free += qt1 == null ? rj : rj * (1 - qt1[j] * qt1[j] / n);
                    for (int o = 0; o < k; o++) {
                        double zj = z.get(j, o);
                        rss += rj * rj * zj * zj;
                    }
                }
                if (qt1 != null) {
                    free -= (n - spanOnes) / n;
                }
                df[l] = n - free;
                mse[l] = rss / ((double) n * k);
                double share = free / n;
                gcv[l] = free >= 1 ? mse[l] / (share * share) : Double.POSITIVE_INFINITY;
            }
            return new Scores(g, gcv, df, mse);
        }

        /** diag(g)·z, the eigen-coordinates of α. */
        Matrix scaled(double[] g) {
            Matrix s = new Matrix(mu.length, z.cols());
            for (int j = 0; j < mu.length; j++) {
                for (int o = 0; o < z.cols(); o++) {
                    s.set(j, o, g[j] * z.get(j, o));
                }
            }
            return s;
        }
    }

    private record Scores(double[][] g, double[] gcv, double[] df, double[] mse) {
    }

    private static int choose(double[] score) {
        int best = 0;
        for (int l = 1; l < score.length; l++) {
            if (score[l] < score[best]) {
                best = l;
            }
        }
        return best;
    }

    private static double[] nanArray(int length) {
        double[] a = new double[length];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    private static double[] ones(int n) {
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1.0);
        return ones;
    }

    /**
     * Qᵀy into {@code qty} and, when {@code qt1} is given, Qᵀ1 into it, in ONE product with [y, 1]: every BLAS call
     * on the n×n Q copies it across JNI (the heap array is not pinned), which costs more than the product itself.
     */
    private static void project(Matrix q, Matrix y, Matrix qty, double[] qt1) {
        int n = y.rows();
        int k = y.cols();
        if (qt1 == null) {
            Blas.gemm(true, false, 1.0, q, y, 0.0, qty);
            return;
        }
        Matrix rhs = new Matrix(n, k + 1);
        for (int i = 0; i < n; i++) {
            System.arraycopy(y.data(), i * k, rhs.data(), i * (k + 1), k);
            rhs.set(i, k, 1.0);
        }
        Matrix both = new Matrix(q.cols(), k + 1);
        Blas.gemm(true, false, 1.0, q, rhs, 0.0, both);
        for (int j = 0; j < q.cols(); j++) {
            System.arraycopy(both.data(), j * (k + 1), qty.data(), j * k, k);
            qt1[j] = both.get(j, k);
        }
    }

    private static Matrix centred(Matrix y, double[] mean) {
        Matrix c = y.copy();
        int k = y.cols();
        double[] d = c.data();
        for (int i = 0; i < d.length; i++) {
            d[i] -= mean[i % k];
        }
        return c;
    }

    /** Kernel ridge: LOO and GCV with the generalized-least-squares intercept. */
    private static RegularizationPath ridge(SymmetricEigen eig, Matrix y, double[] lambdas, Criterion criterion,
            boolean fitIntercept) {
        int n = y.rows();
        int k = y.cols();
        int grid = lambdas.length;
        Matrix q = eig.vectors();
        double[] mu = eig.values();
        for (int i = 0; i < n; i++) {
            mu[i] = Math.max(mu[i], 0.0);
        }
        Matrix qty = new Matrix(n, k);
        double[] qt1 = new double[n]; // Qᵀ1 (zeros without an intercept)
        project(q, y, qty, fitIntercept ? qt1 : null);
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
        double[] df = new double[grid];
        double[] mse = new double[grid];
        for (int l = 0; l < grid; l++) {
            double press = 0;
            double rss = 0;
            // tr(I − H) = Σ_m λ/(μ_m + λ) − λ·uᵀu/(1ᵀu), from the filter factors, never as n − Σ H_ii (which
            // cancels to nothing where the fit nearly interpolates); uᵀu = Σ_m q1_m²/(μ_m + λ)²
            double trace = 0;
            double uu = 0;
            for (int m = 0; m < n; m++) {
                double c = 1.0 / (mu[m] + lambdas[l]);
                trace += lambdas[l] * c;
                uu += c * c * qt1[m] * qt1[m];
            }
            if (fitIntercept) {
                trace -= lambdas[l] * uu / sumU[l];
            }
            for (int i = 0; i < n; i++) {
                double h = hatDiagonal.get(i, l);
                for (int o = 0; o < k; o++) {
                    double r = y.get(i, o) - fitted.get(i, l * k + o) - intercepts[l][o];
                    rss += r * r;
                    double e = r / (1 - h);
                    press += e * e;
                }
            }
            loo[l] = press / ((double) n * k);
            double meanTrace = trace / n;
            mse[l] = rss / ((double) n * k);
            df[l] = n - trace;
            gcv[l] = trace > 0 ? mse[l] / (meanTrace * meanTrace) : Double.POSITIVE_INFINITY;
        }
        int best = choose(criterion == Criterion.LOO ? loo : gcv);
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
        return new RegularizationPath(SpectralFilter.tikhonov(), lambdas.clone(), loo, gcv, df, mse, best, criterion,
                alpha, intercepts[best]);
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

    /** The filter whose path this is. */
    public SpectralFilter filter() {
        return filter;
    }

    /** The parameter grid (λ for ridge, iterations or time for the iterative filters). */
    public double[] parameters() {
        return parameters.clone();
    }

    /** Leave-one-out mean squared error for each parameter value (ridge only; NaN for other filters). */
    public double[] looMse() {
        return looMse.clone();
    }

    /** GCV score for each parameter value. */
    public double[] gcv() {
        return gcv.clone();
    }

    /** Effective degrees of freedom tr(H) for each parameter value (the intercept counted as one). */
    public double[] degreesOfFreedom() {
        return degreesOfFreedom.clone();
    }

    /** Mean squared training residual ‖y − ŷ‖²/(n·k) for each parameter value. */
    public double[] trainingMse() {
        return trainingMse.clone();
    }

    /** Index of the chosen parameter value. */
    public int chosenIndex() {
        return chosen;
    }

    /** The chosen parameter value. */
    public double chosenParameter() {
        return parameters[chosen];
    }

    /** The criterion that chose the parameter. */
    public Criterion criterion() {
        return criterion;
    }

    /** Dual coefficients α (n×k) on the training rows, or primal weights (D×k) for {@link #computeFeatures}. */
    Matrix coefficients() {
        return coef;
    }

    double[] intercept() {
        return intercept;
    }
}
