package org.kernels4j.gp;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * A one-dimensional Gauss–Hermite rule for expectations over a normal distribution:
 * E[g(f)] for f ~ N(m, v) ≈ Σ_i w_i·g(m + √v·t_i), exact for polynomials g of degree &lt; 2N. Nodes
 * and weights come from the Golub–Welsch algorithm (eigenvalues of the Jacobi matrix of the
 * Hermite recurrence, off-diagonal √(k/2); weight = squared first eigenvector component), scaled to
 * the standard normal. (kernel.neural has a bivariate rule private to the NNGP kernels; this is the
 * univariate one the likelihoods need.)
 */
public final class GaussHermiteRule {
    /** The rule used for likelihood expectations and tilted moments. */
    static final GaussHermiteRule DEFAULT = new GaussHermiteRule(96);

    private final double[] nodes;
    private final double[] weights;

    /** The N-point rule (N ≥ 1), O(N³) once. */
    public GaussHermiteRule(int points) {
        Matrix j = new Matrix(points, points);
        for (int k = 1; k < points; k++) {
            double off = Math.sqrt(k / 2.0);
            j.set(k, k - 1, off);
            j.set(k - 1, k, off);
        }
        SymmetricEigen e = SymmetricEigen.of(j);
        nodes = new double[points];
        weights = new double[points];
        for (int i = 0; i < points; i++) {
            nodes[i] = Math.sqrt(2) * e.value(i);
            double v0 = e.vectors().get(0, i);
            weights[i] = v0 * v0;
        }
    }

    /** N. */
    public int size() {
        return nodes.length;
    }

    /** Standard-normal node t_i (so f = m + √v·t_i). */
    public double node(int i) {
        return nodes[i];
    }

    /** Its weight; the weights sum to 1. */
    public double weight(int i) {
        return weights[i];
    }
}
