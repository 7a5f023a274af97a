package org.kernels4j.linalg;

import org.kernels4j.Kernels4jException;

/** Fixed quadrature rules shared by the numerical code. */
public final class Quadrature {
    private Quadrature() {
    }

    /**
     * The n-point Gauss–Legendre rule on [−1, 1]: nodes (ascending) in row 0 and weights in row 1, so
     * that Σ_k w_k·g(x_k) = ∫₋₁¹ g(x) dx exactly for polynomials g of degree ≤ 2n − 1. Nodes by
     * Newton's method on the three-term recurrence from Tricomi's initial guesses; O(n²) per call.
     */
    public static double[][] gaussLegendre(int n) {
        if (n < 1) {
            throw new Kernels4jException("a Gauss–Legendre rule needs at least one node, got " + n);
        }
        double[] nodes = new double[n];
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1;
                double p1 = z;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n == 1 ? 1 : n * (z * p1 - p0) / (z * z - 1);
                double step = p1 / dp;
                z -= step;
                if (Math.abs(step) < 1e-16) {
                    break;
                }
            }
            nodes[n - 1 - i] = z;
            weights[n - 1 - i] = 2 / ((1 - z * z) * dp * dp);
        }
        return new double[][] {nodes, weights};
    }
}
