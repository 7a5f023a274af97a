package org.kernels4j.kernel.neural;

import java.util.function.DoubleUnaryOperator;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * Gauss–Hermite quadrature for Gaussian expectations. Nodes and weights come from the
 * Golub–Welsch algorithm: the eigenvalues of the symmetric tridiagonal Jacobi matrix of the
 * Hermite recurrence (off-diagonal √(k/2)) are the nodes t_i, and √π times the squared first
 * component of each unit eigenvector is the weight w_i, so that ∫e^{−t²}f(t)dt ≈ Σ w_i f(t_i),
 * exact for polynomials of degree &lt; 2N.
 */
final class GaussHermite {
    private static final double[] NODES;
    private static final double[] WEIGHTS; // normalized: Σ = 1, for E over N(0, 1) at √2·t_i

    static {
        int n = Activation.QUADRATURE_POINTS;
        Matrix j = new Matrix(n, n);
        for (int k = 1; k < n; k++) {
            double off = Math.sqrt(k / 2.0);
            j.set(k, k - 1, off);
            j.set(k - 1, k, off);
        }
        SymmetricEigen e = SymmetricEigen.of(j);
        NODES = new double[n];
        WEIGHTS = new double[n];
        for (int i = 0; i < n; i++) {
            NODES[i] = Math.sqrt(2) * e.value(i);
            double v0 = e.vectors().get(0, i);
            WEIGHTS[i] = v0 * v0;
        }
    }

    private GaussHermite() {
    }

    /**
     * E[f(u)·f(v)] for (u, v) ~ N(0, [[q11, q12], [q12, q22]]), using the Cholesky factor
     * u = √q11·g₁, v = √q22·(c·g₁ + √(1−c²)·g₂) with c the clipped correlation.
     */
    static double expectation(DoubleUnaryOperator f, double q11, double q12, double q22) {
        if (q22 > q11) {
            // the rule is not symmetric in its two variables; a fixed order makes k(x, z) = k(z, x) exactly
            double t = q11;
            q11 = q22;
            q22 = t;
        }
        double s1 = Math.sqrt(Math.max(q11, 0));
        double s2 = Math.sqrt(Math.max(q22, 0));
        double c = Activation.correlation(q11, q12, q22);
        double r = Math.sqrt((1 - c) * (1 + c));
        double total = 0;
        for (int i = 0; i < NODES.length; i++) {
            double fu = f.applyAsDouble(s1 * NODES[i]);
            if (fu == 0) {
                continue;
            }
            double inner = 0;
            double base = c * NODES[i];
            for (int k = 0; k < NODES.length; k++) {
                inner += WEIGHTS[k] * f.applyAsDouble(s2 * (base + r * NODES[k]));
            }
            total += WEIGHTS[i] * fu * inner;
        }
        return total;
    }
}
