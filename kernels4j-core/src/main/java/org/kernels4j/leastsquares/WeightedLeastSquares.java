package org.kernels4j.leastsquares;

import java.util.Locale;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.HouseholderQr;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * A weighted least-squares approximation f̂ = Σ_j a_j φ_j from values at the points of a
 * {@link WeightedSample}: a minimises (1/n)·Σ_i w_i·(y_i − φ(x_i)ᵀa)², i.e. solves G·a = (1/n)·Σ_i w_i y_i φ(x_i)
 * with the weighted Gram matrix G = (1/n)·Σ_i w_i φ(x_i)φ(x_i)ᵀ.
 *
 * <p>Solved by Householder QR of diag(√(w/n))·Φ, so the accuracy degrades with cond(G)^{1/2}, not cond(G).
 * The fit reports cond(G) and ‖G − I‖₂; the design is "stable" when ‖G − I‖₂ ≤ ½ (then cond(G) ≤ 3 and
 * the error is within a constant of the best approximation in V_m, Cohen–Migliorati). Under
 * volume-rescaled sampling the coefficients are unbiased: E[a] = the L²(μ) projection coefficients.
 * Cost O(n·m²). Immutable.
 */
public final class WeightedLeastSquares {
    /** Designs whose weighted Gram matrix has a larger condition number are refused as singular. */
    public static final double MAX_CONDITION = 1e14;

    private final OrthonormalBasis basis;
    private final double[] coefficients;
    private final double gramCondition;
    private final double gramDeviation;
    private final int size;

    private WeightedLeastSquares(OrthonormalBasis basis, double[] coefficients, double gramCondition,
            double gramDeviation, int size) {
        this.basis = basis;
        this.coefficients = coefficients;
        this.gramCondition = gramCondition;
        this.gramDeviation = gramDeviation;
        this.size = size;
    }

    /**
     * Fits the values {@code y} (one per point of {@code sample}) in {@code basis}.
     *
     * @throws Kernels4jException when the lengths differ, a value is not finite, there are fewer points
     *         than functions, or the weighted Gram matrix is singular (cond(G) &gt; 1e14)
     */
    public static WeightedLeastSquares fit(OrthonormalBasis basis, WeightedSample sample, double[] y) {
        int n = sample.size();
        int m = basis.dimension();
        if (sample.features().cols() != m) {
            throw new Kernels4jException("the sample has " + sample.features().cols() + " features but the basis " + m);
        }
        if (y.length != n) {
            throw new Kernels4jException("got " + y.length + " values for " + n + " points");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(y[i])) {
                throw new Kernels4jException("value " + i + " is " + y[i]);
            }
        }
        if (n < m) {
            throw new Kernels4jException("a least-squares fit of " + m + " functions needs at least " + m
                    + " points, got " + n);
        }
        Matrix a = sample.features().copy();
        double[] b = new double[n];
        double[] ad = a.data();
        double[] w = sample.weights();
        for (int i = 0; i < n; i++) {
            double s = Math.sqrt(w[i] / n);
            for (int j = 0; j < m; j++) {
                ad[i * m + j] *= s;
            }
            b[i] = s * y[i];
        }
        Matrix g = a.transpose().times(a);
        double[] lambda = SymmetricEigen.of(g).values();
        double min = lambda[0];
        double max = lambda[m - 1];
        double condition = min <= 0 ? Double.POSITIVE_INFINITY : max / min;
        if (!(condition <= MAX_CONDITION)) {
            throw new Kernels4jException(String.format(Locale.ROOT,
                    "the weighted Gram matrix of %d points and %d functions is singular (condition number %.3g):"
                            + " draw more points, or use a DPP or volume-rescaled sample", n, m, condition));
        }
        double deviation = Math.max(Math.abs(max - 1), Math.abs(1 - min));
        double[] coef = HouseholderQr.of(a).solve(b);
        return new WeightedLeastSquares(basis, coef, condition, deviation, n);
    }

    /** The coefficients a (length m, a copy). */
    public double[] coefficients() {
        return coefficients.clone();
    }

    /** cond₂(G) = λ_max/λ_min of the weighted Gram matrix. */
    public double gramCondition() {
        return gramCondition;
    }

    /** ‖G − I‖₂ = max |λ_k(G) − 1|. */
    public double gramDeviation() {
        return gramDeviation;
    }

    /** Whether ‖G − I‖₂ ≤ δ. */
    public boolean isStable(double delta) {
        return gramDeviation <= delta;
    }

    /** n, the number of points fitted. */
    public int size() {
        return size;
    }

    /** The basis. */
    public OrthonormalBasis basis() {
        return basis;
    }

    /** f̂(x) for each row of x (n × d). */
    public double[] predict(Matrix x) {
        Matrix phi = basis.evaluate(x);
        int m = coefficients.length;
        double[] out = new double[x.rows()];
        double[] pd = phi.data();
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                s += pd[i * m + j] * coefficients[j];
            }
            out[i] = s;
        }
        return out;
    }
}
