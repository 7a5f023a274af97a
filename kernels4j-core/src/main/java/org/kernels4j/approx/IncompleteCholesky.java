package org.kernels4j.approx;

import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.Specs;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;

/**
 * Pivoted incomplete Cholesky factorisation of the kernel matrix, kernlab's {@code inchol(x, kernel, tol,
 * maxiter)}: K(X, X) ≈ G·Gᵀ with G n × r, built one column at a time, each time pivoting on the point with the
 * largest residual diagonal r_i = k_ii − Σ_t G_it² (the point the current factor reproduces worst), and stopping
 * once that largest residual is at most the tolerance (kernlab's rule, an absolute bound on every remaining
 * diagonal entry, default 0.001) or r reaches the maximum rank. Unlike a Nyström map over landmarks sampled
 * beforehand it chooses its own pivots; the trace error tr(K − GGᵀ) = Σ_i r_i is what it minimises greedily and is
 * reported after every step ({@link #traceErrors()}, non-increasing because each step subtracts a square from every
 * residual).
 *
 * <p>G restricted to the pivot rows P is lower triangular, L = G_P, with K_PP = L·Lᵀ, and G = K(X, P)·L⁻ᵀ: the factor
 * is the Nyström map over the pivots, φ(z) = K(z, P)·L⁻ᵀ, which {@link #featureMap()} returns (equal to G's rows on
 * the training points, and defined for new ones). The steps are {@link GreedyLogDet}'s with ε = 0 (which is also
 * {@link Landmarks.Sampler#INCHOL}). Cost: r kernel columns (n·r kernel values), O(n·r²) flops, O(n·r) memory.
 */
public final class IncompleteCholesky {
    /** kernlab's default tolerance. */
    public static final double DEFAULT_TOLERANCE = 1e-3;

    private final Kernel kernel;
    private final int[] pivots;
    private final Matrix factor;
    private final double[] traceErrors;
    private final double[] pivotResiduals;
    private final Nystrom map;

    private IncompleteCholesky(Kernel kernel, int[] pivots, Matrix factor, double[] traceErrors,
            double[] pivotResiduals, Nystrom map) {
        this.kernel = kernel;
        this.pivots = pivots;
        this.factor = factor;
        this.traceErrors = traceErrors;
        this.pivotResiduals = pivotResiduals;
        this.map = map;
    }

    /**
     * Factors K(X, X).
     *
     * @param tolerance stop once every residual diagonal entry is at most this (≥ 0; 0 runs to the numerical rank)
     * @param maxRank r ≤ this many columns, 1 ≤ maxRank ≤ n (kernlab's {@code maxiter})
     * @throws Kernels4jException for a tolerance that is negative or not finite, maxRank outside 1..n, non-finite
     *     data, or a kernel whose diagonal is everywhere at most the tolerance (nothing to factor)
     */
    public static IncompleteCholesky of(Kernel kernel, Matrix x, double tolerance, int maxRank) {
        int n = x.rows();
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new Kernels4jException("incomplete Cholesky: the tolerance must be >= 0 and finite, got "
                    + Specs.num(tolerance));
        }
        if (maxRank < 1 || maxRank > n) {
            throw new Kernels4jException("incomplete Cholesky: the maximum rank must be between 1 and the " + n
                    + " rows, got " + maxRank);
        }
        x.requireFinite("incomplete Cholesky data");
        double[] diag = GramEngine.diagonal(kernel, x);
        GreedyLogDet.Steps s = GreedyLogDet.steps(diag, j -> GramEngine.cross(kernel, x, x.rowRange(j, j + 1)).data(),
                maxRank, 0, tolerance, true);
        int r = s.order().length;
        if (r == 0) {
            throw new Kernels4jException("incomplete Cholesky: every diagonal entry of the kernel matrix is at most the"
                    + " tolerance " + Specs.num(tolerance) + "; nothing to factor");
        }
        Matrix g = new Matrix(n, r);
        for (int t = 0; t < r; t++) {
            double[] col = s.columns()[t];
            for (int i = 0; i < n; i++) {
                g.set(i, t, col[i]);
            }
        }
        // L = G_P (lower triangular with the pivot residuals' roots on the diagonal); φ(z) = K(z, P)·L⁻ᵀ
        Matrix l = g.selectRows(s.order());
        Matrix projection = Matrix.identity(r);
        Blas.trsm(true, true, l, projection);
        Nystrom map = Nystrom.withProjection(kernel, x.selectRows(s.order()), projection);
        return new IncompleteCholesky(kernel, s.order(), g, s.traces(), s.pivotResiduals(), map);
    }

    /** {@link #of} with kernlab's defaults: tolerance 0.001, maximum rank n. */
    public static IncompleteCholesky of(Kernel kernel, Matrix x) {
        return of(kernel, x, DEFAULT_TOLERANCE, x.rows());
    }

    /** The kernel factored. */
    public Kernel kernel() {
        return kernel;
    }

    /** r, the number of columns of G. */
    public int rank() {
        return pivots.length;
    }

    /** The pivot rows in the order chosen (kernlab's {@code pivots}, 0-based). */
    public int[] pivots() {
        return pivots.clone();
    }

    /** G, n × r (a copy), with K(X, X) ≈ G·Gᵀ; row i belongs to row i of X. */
    public Matrix factor() {
        return factor.copy();
    }

    /** tr(K − G_tG_tᵀ) after t = 0, 1, …, r columns (r + 1 values, the first tr K), non-increasing. */
    public double[] traceErrors() {
        return traceErrors.clone();
    }

    /** The achieved trace error tr(K − GGᵀ). */
    public double traceError() {
        return traceErrors[traceErrors.length - 1];
    }

    /** Each pivot's residual when chosen (kernlab's {@code maxresiduals}), non-increasing up to round-off. */
    public double[] pivotResiduals() {
        return pivotResiduals.clone();
    }

    /** The feature map φ(z) = K(z, P)·L⁻ᵀ, whose rows on X are G's. */
    public Nystrom featureMap() {
        return map;
    }
}
