package org.kernels4j.leastsquares;

import org.kernels4j.linalg.Matrix;

/**
 * The n points of a weighted least-squares design with what the fit needs: the points (n × d), the
 * basis evaluated there (Φ, n × m), the weights w_i, and for a pool the chosen row indices.
 *
 * @param method    how the points were drawn
 * @param points    the points, n × d
 * @param features  Φ_ij = φ_j(x_i), n × m
 * @param weights   w_i = m/k_m(x_i) (1 for {@link SamplingMethod#REFERENCE_IID})
 * @param poolRows  the pool row of each point for a {@link PoolBasis}, else null
 * @param proposals the number of candidate points drawn, rejection steps included (n when nothing is rejected)
 */
public record WeightedSample(SamplingMethod method, Matrix points, Matrix features, double[] weights, int[] poolRows,
        long proposals) {
    /** n, the number of points. */
    public int size() {
        return points.rows();
    }
}
