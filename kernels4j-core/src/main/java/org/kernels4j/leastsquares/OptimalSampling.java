package org.kernels4j.leastsquares;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Draws the points of a weighted least-squares design for an {@link OrthonormalBasis} (see
 * {@link SamplingMethod} for the distributions).
 *
 * <p>The projection DPP follows the chain rule of Hough, Krishnapur, Peres &amp; Virág: with P_{i−1} the
 * orthogonal projector onto span{φ(x_1), …, φ(x_{i−1})}, point i has density
 * ‖(I − P_{i−1})φ(x)‖²/(m − i + 1) with respect to μ. On a {@link PoolBasis} this is an exact finite
 * algorithm: the residual norms of all N candidates are kept and downdated after each pick (O(N·m) per
 * point, O(N·m²) in all). On a continuous basis each point is drawn by rejection: propose x ∼ ρ_m,
 * accept with probability ‖(I − P)φ(x)‖²/‖φ(x)‖²; the expected number of proposals is m·H_m ≈ m·ln m,
 * each costing one evaluation of φ and O(m²).
 *
 * <p>Every method is deterministic given the seed.
 */
public final class OptimalSampling {
    /** Rejection proposals allowed per DPP point before giving up (the expected number is at most m). */
    static final long MAX_PROPOSALS_PER_POINT = 1_000_000L;

    private OptimalSampling() {
    }

    /**
     * n points of {@code basis} drawn by {@code method} with the given seed.
     *
     * @throws Kernels4jException when n does not suit the method: the projection DPP needs n = m,
     *         volume-rescaled sampling n ≥ m, repeated DPPs a multiple of m; a DPP on a pool needs m ≤ N
     */
    public static WeightedSample draw(OrthonormalBasis basis, SamplingMethod method, int n, long seed) {
        int m = basis.dimension();
        if (n < 1) {
            throw new Kernels4jException("the number of points must be at least 1, got " + n);
        }
        switch (method) {
            case PROJECTION_DPP:
                if (n != m) {
                    throw new Kernels4jException("a projection DPP draws exactly m = " + m + " points, asked for " + n
                            + " (use volume or repeated-dpp for more)");
                }
                break;
            case VOLUME_RESCALED:
                if (n < m) {
                    throw new Kernels4jException("volume-rescaled sampling needs n ≥ m (n = " + n + ", m = " + m + ")");
                }
                break;
            case REPEATED_DPP:
                if (n % m != 0) {
                    throw new Kernels4jException("repeated DPPs draw a multiple of m = " + m + " points, asked for " + n);
                }
                break;
            default:
                break;
        }
        // java.util.Random's first draws are strongly correlated across consecutive seeds; a
        // SplittableRandom mixes the seed first so that seeds 0, 1, 2, … give independent samples.
        Random random = new Random(new java.util.SplittableRandom(seed).nextLong());
        int d = basis.inputDimension();
        Matrix points = new Matrix(n, d);
        Matrix features = new Matrix(n, m);
        double[] weights = new double[n];
        PoolBasis pool = basis instanceof PoolBasis ? (PoolBasis) basis : null;
        int[] rows = pool == null ? null : new int[n];
        long[] proposals = {0};
        Draw draw = new Draw(basis, pool, points, features, weights, rows, proposals);
        switch (method) {
            case REFERENCE_IID:
                for (int i = 0; i < n; i++) {
                    if (pool != null) {
                        draw.poolPoint(i, random.nextInt(pool.poolSize()), false);
                    } else {
                        draw.point(i, basis.sampleReference(random), false);
                    }
                }
                proposals[0] = n;
                break;
            case OPTIMAL_IID:
                drawIid(draw, 0, n, random);
                break;
            case PROJECTION_DPP:
                drawDpp(draw, 0, random);
                break;
            case VOLUME_RESCALED:
                drawDpp(draw, 0, random);
                drawIid(draw, m, n, random);
                draw.shuffle(random);
                break;
            case REPEATED_DPP:
                for (int start = 0; start < n; start += m) {
                    drawDpp(draw, start, random);
                }
                break;
            default:
                throw new IllegalStateException(method.name());
        }
        return new WeightedSample(method, points, features, weights, rows, proposals[0]);
    }

    private static void drawIid(Draw draw, int from, int to, Random random) {
        for (int i = from; i < to; i++) {
            if (draw.pool != null) {
                draw.poolPoint(i, draw.pool.sampleOptimalIndex(random), true);
            } else {
                draw.point(i, draw.basis.sampleOptimal(random), true);
            }
        }
        draw.proposals[0] += to - from;
    }

    /** m points of the projection DPP into rows start … start + m − 1. */
    private static void drawDpp(Draw draw, int start, Random random) {
        OrthonormalBasis basis = draw.basis;
        int m = basis.dimension();
        double[][] e = new double[m][];
        if (draw.pool != null) {
            PoolBasis pool = draw.pool;
            int size = pool.poolSize();
            if (size < m) {
                throw new Kernels4jException("a DPP of " + m + " points needs a pool of at least " + m + ", got " + size);
            }
            Matrix phi = pool.features();
            double[] pd = phi.data();
            double[] residual = new double[size];
            for (int j = 0; j < size; j++) {
                double s = 0;
                for (int k = 0; k < m; k++) {
                    s += pd[j * m + k] * pd[j * m + k];
                }
                residual[j] = s;
            }
            for (int i = 0; i < m; i++) {
                double total = 0;
                for (double r : residual) {
                    total += Math.max(r, 0);
                }
                double u = random.nextDouble() * total;
                int pick = -1;
                double acc = 0;
                for (int j = 0; j < size; j++) {
                    double r = Math.max(residual[j], 0);
                    acc += r;
                    if (r > 0) {
                        pick = j;
                        if (acc > u) {
                            break;
                        }
                    }
                }
                double[] dir = orthogonalResidual(phi.row(pick), e, i);
                double norm = norm(dir);
                for (int k = 0; k < m; k++) {
                    dir[k] /= norm;
                }
                e[i] = dir;
                for (int j = 0; j < size; j++) {
                    double dot = 0;
                    for (int k = 0; k < m; k++) {
                        dot += dir[k] * pd[j * m + k];
                    }
                    residual[j] -= dot * dot;
                }
                // The chosen point's residual is exactly zero now; rounding must not let it be drawn twice.
                residual[pick] = 0;
                draw.poolPoint(start + i, pick, true);
            }
            draw.proposals[0] += m;
            return;
        }
        double[] phi = new double[m];
        for (int i = 0; i < m; i++) {
            long tries = 0;
            while (true) {
                if (++tries > MAX_PROPOSALS_PER_POINT) {
                    throw new Kernels4jException("rejection sampling of the projection DPP stalled: " + MAX_PROPOSALS_PER_POINT
                            + " proposals rejected for point " + (i + 1) + " of " + m + " (is the basis orthonormal?)");
                }
                double[] x = basis.sampleOptimal(random);
                basis.evaluate(x, phi);
                double k = 0;
                for (double v : phi) {
                    k += v * v;
                }
                double[] res = orthogonalResidual(phi, e, i);
                double r = 0;
                for (double v : res) {
                    r += v * v;
                }
                if (k > 0 && random.nextDouble() * k < r) {
                    double norm = Math.sqrt(r);
                    for (int j = 0; j < m; j++) {
                        res[j] /= norm;
                    }
                    e[i] = res;
                    draw.point(start + i, x, true);
                    break;
                }
            }
            draw.proposals[0] += tries;
        }
    }

    /** v − Σ_{k<count} e_k(e_k·v), by modified Gram–Schmidt applied twice (for orthogonality to rounding). */
    private static double[] orthogonalResidual(double[] v, double[][] e, int count) {
        double[] r = v.clone();
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < count; k++) {
                double dot = 0;
                for (int j = 0; j < r.length; j++) {
                    dot += e[k][j] * r[j];
                }
                for (int j = 0; j < r.length; j++) {
                    r[j] -= dot * e[k][j];
                }
            }
        }
        return r;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** The arrays being filled. */
    private static final class Draw {
        final OrthonormalBasis basis;
        final PoolBasis pool;
        final Matrix points;
        final Matrix features;
        final double[] weights;
        final int[] rows;
        final long[] proposals;

        Draw(OrthonormalBasis basis, PoolBasis pool, Matrix points, Matrix features, double[] weights, int[] rows,
                long[] proposals) {
            this.basis = basis;
            this.pool = pool;
            this.points = points;
            this.features = features;
            this.weights = weights;
            this.rows = rows;
            this.proposals = proposals;
        }

        void point(int i, double[] x, boolean weighted) {
            int m = basis.dimension();
            double[] phi = new double[m];
            basis.evaluate(x, phi);
            store(i, x, phi, weighted);
        }

        void poolPoint(int i, int row, boolean weighted) {
            rows[i] = row;
            store(i, pool.poolPoint(row), pool.evaluateIndex(row), weighted);
        }

        private void store(int i, double[] x, double[] phi, boolean weighted) {
            int m = phi.length;
            System.arraycopy(x, 0, points.data(), i * x.length, x.length);
            System.arraycopy(phi, 0, features.data(), i * m, m);
            double k = 0;
            for (double v : phi) {
                k += v * v;
            }
            weights[i] = weighted ? m / k : 1;
        }

        /** A uniformly random order of the rows (Fisher–Yates), applied to every array alike. */
        void shuffle(Random random) {
            int n = points.rows();
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                swapRows(points, i, j);
                swapRows(features, i, j);
                double w = weights[i];
                weights[i] = weights[j];
                weights[j] = w;
                if (rows != null) {
                    int r = rows[i];
                    rows[i] = rows[j];
                    rows[j] = r;
                }
            }
        }

        private static void swapRows(Matrix a, int i, int j) {
            int c = a.cols();
            double[] d = a.data();
            for (int k = 0; k < c; k++) {
                double t = d[i * c + k];
                d[i * c + k] = d[j * c + k];
                d[j * c + k] = t;
            }
        }
    }
}
