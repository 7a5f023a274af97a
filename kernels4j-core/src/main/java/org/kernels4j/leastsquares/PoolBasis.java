package org.kernels4j.leastsquares;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.FeatureMap;
import org.kernels4j.linalg.HouseholderQr;
import org.kernels4j.linalg.Matrix;

/**
 * A finite approximation space on a candidate pool: N points x_1…x_N with the uniform measure
 * μ = (1/N)·Σ δ_{x_i}, and features f(x) ∈ ℝ^m (any kernels4j {@link FeatureMap}: random features,
 * Nyström features, … or a feature matrix given directly) orthonormalised on the pool.
 *
 * <p>With the thin QR factorisation F = Q·R of the N × m feature matrix, φ(x) = √N·R⁻ᵀf(x), so
 * φ(x_i) = √N·Q_i and (1/N)·Σ_i φ(x_i)φ(x_i)ᵀ = QᵀQ = I. The inverse Christoffel function on the pool
 * is k_m(x_i) = N·‖Q_i‖², so ρ_m(x_i) = ‖Q_i‖²/m: the optimal density is leverage-score sampling, and
 * the projection DPP has the kernel Q·Qᵀ. Set-up O(N·m²); the features must have full column rank on
 * the pool (checked: condition number of F at most 1e10). Immutable.
 */
public final class PoolBasis implements OrthonormalBasis {
    /** Above this condition number of the pool's feature matrix the basis is refused as singular. */
    public static final double MAX_CONDITION = 1e10;

    private final Matrix pool;
    private final FeatureMap map;
    private final HouseholderQr qr;
    private final Matrix phi;
    private final double[] cumulativeLeverage;
    private final double conditionNumber;

    private PoolBasis(Matrix pool, FeatureMap map, Matrix features) {
        int n = features.rows();
        int m = features.cols();
        if (n < m) {
            throw new Kernels4jException("the pool has " + n + " candidate points but the basis has " + m
                    + " functions: a weighted least-squares fit needs at least as many points as functions");
        }
        features.requireFinite("pool features");
        this.pool = pool;
        this.map = map;
        this.qr = HouseholderQr.of(features);
        this.conditionNumber = qr.conditionNumber();
        if (!(conditionNumber <= MAX_CONDITION)) {
            throw new Kernels4jException(String.format(java.util.Locale.ROOT,
                    "the %d features are linearly dependent on the pool of %d points (condition number %.3g > %.0e):"
                            + " use fewer features or a larger pool", m, n, conditionNumber, MAX_CONDITION));
        }
        Matrix q = qr.q();
        double scale = Math.sqrt(n);
        double[] d = q.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= scale;
        }
        this.phi = q;
        this.cumulativeLeverage = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            double k = 0;
            for (int j = 0; j < m; j++) {
                double v = d[i * m + j];
                k += v * v;
            }
            s += k;
            cumulativeLeverage[i] = s;
        }
    }

    /** The space spanned by {@code map}'s features, orthonormalised on the rows of {@code pool} (N × d). */
    public static PoolBasis of(Matrix pool, FeatureMap map) {
        if (pool.cols() != map.inputDimension()) {
            throw new Kernels4jException("the pool has " + pool.cols() + " columns but the feature map takes "
                    + map.inputDimension());
        }
        pool.requireFinite("pool");
        return new PoolBasis(pool.copy(), map, map.transform(pool));
    }

    /**
     * The space spanned by the columns of {@code features} (N × m, row i = f(x_i)), orthonormalised on
     * the pool. Without a feature map the basis is defined on the pool only: {@link #evaluate(double[],
     * double[])} accepts only pool rows, and a fit predicts there ({@link #evaluateIndex}).
     */
    public static PoolBasis ofFeatures(Matrix pool, Matrix features) {
        if (pool.rows() != features.rows()) {
            throw new Kernels4jException("the pool has " + pool.rows() + " rows but the feature matrix " + features.rows());
        }
        pool.requireFinite("pool");
        return new PoolBasis(pool.copy(), null, features.copy());
    }

    /** N, the number of candidate points. */
    public int poolSize() {
        return phi.rows();
    }

    /** Row i of the pool (a copy). */
    public double[] poolPoint(int i) {
        return pool.row(i);
    }

    /** The pool (a copy). */
    public Matrix pool() {
        return pool.copy();
    }

    /** The condition number of the pool's feature matrix before orthonormalisation. */
    public double featureConditionNumber() {
        return conditionNumber;
    }

    /** φ(x_i) = √N·Q_i for pool point i (a copy, length m). */
    public double[] evaluateIndex(int i) {
        return phi.row(i);
    }

    /** The leverage score ‖Q_i‖² = k_m(x_i)/N of pool point i; they sum to m. */
    public double leverage(int i) {
        double prev = i == 0 ? 0 : cumulativeLeverage[i - 1];
        return (cumulativeLeverage[i] - prev) / poolSize();
    }

    @Override
    public int dimension() {
        return phi.cols();
    }

    @Override
    public int inputDimension() {
        return pool.cols();
    }

    @Override
    public void evaluate(double[] x, double[] out) {
        if (x.length != pool.cols()) {
            throw new Kernels4jException("the basis takes points of dimension " + pool.cols() + ", got " + x.length);
        }
        if (map == null) {
            int i = indexOf(x);
            if (i < 0) {
                throw new Kernels4jException("this basis was built from a feature matrix and is defined on the pool only;"
                        + " build it with PoolBasis.of(pool, featureMap) to evaluate it elsewhere");
            }
            System.arraycopy(phi.data(), i * dimension(), out, 0, dimension());
            return;
        }
        double[] f = map.transform(Matrix.wrap(1, x.length, x.clone())).data();
        // φ(x)ᵀ = √N·f(x)ᵀ·R⁻¹: solve Rᵀ·φ = √N·f by forward substitution.
        Matrix r = qr.r();
        int m = dimension();
        double scale = Math.sqrt(poolSize());
        for (int j = 0; j < m; j++) {
            double s = scale * f[j];
            for (int k = 0; k < j; k++) {
                s -= r.get(k, j) * out[k];
            }
            out[j] = s / r.get(j, j);
        }
    }

    private int indexOf(double[] x) {
        int d = pool.cols();
        double[] data = pool.data();
        outer:
        for (int i = 0; i < pool.rows(); i++) {
            for (int k = 0; k < d; k++) {
                if (data[i * d + k] != x[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public double[] sampleReference(Random random) {
        return pool.row(random.nextInt(poolSize()));
    }

    @Override
    public double[] sampleOptimal(Random random) {
        return pool.row(sampleOptimalIndex(random));
    }

    /** A pool index drawn with probability ‖Q_i‖²/m (leverage-score sampling). O(log N). */
    public int sampleOptimalIndex(Random random) {
        double total = cumulativeLeverage[cumulativeLeverage.length - 1];
        double u = random.nextDouble() * total;
        int lo = 0;
        int hi = cumulativeLeverage.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativeLeverage[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** φ at every pool point, N × m (a copy): √N·Q. */
    Matrix features() {
        return phi.copy();
    }

    @Override
    public String describe() {
        return "pool of " + poolSize() + " points, " + dimension() + " orthonormalised features"
                + (map == null ? "" : " (" + map.getClass().getSimpleName() + ")");
    }
}
