package org.kernels4j.kernel.graph;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * Embeddings of an n×n distance matrix Δ (symmetric, zero diagonal, finite, non-negative) in k dimensions.
 * <ul>
 *   <li>Classical (Torgerson) MDS: B = −½·J·Δ²·J (Δ² element-wise, J = I − 11ᵀ/n), X = V_k·Λ_k^{½} from the top k
 *       eigenpairs (negative eigenvalues clipped to 0). Exact for Euclidean Δ, up to a rotation. O(n³) (full
 *       symmetric eigendecomposition).</li>
 *   <li>Metric MDS by SMACOF (de Leeuw; Borg &amp; Groenen ch. 8), unit weights, started from the classical
 *       solution: the Guttman transform X ← (1/n)·B(X)·X with B_ij = −Δ_ij/d_ij(X) (i ≠ j, 0 when d_ij = 0),
 *       B_ii = −Σ_{j≠i} B_ij, which never increases the raw stress σ(X) = Σ_{i&lt;j}(d_ij(X) − Δ_ij)². Stops when the
 *       relative decrease is below {@code tolerance} or after {@code maxIterations}. O(n²k) per iteration.</li>
 * </ul>
 */
public final class MultidimensionalScaling {
    private MultidimensionalScaling() {
    }

    /**
     * An embedding.
     *
     * @param points n×k coordinates
     * @param stress raw stress Σ_{i&lt;j}(‖x_i − x_j‖ − Δ_ij)²
     * @param iterations SMACOF iterations (0 for classical)
     */
    public record Embedding(Matrix points, double stress, int iterations) {
    }

    /** Classical MDS in k dimensions (1 ≤ k ≤ n). */
    public static Embedding classical(Matrix distances, int k) {
        int n = check(distances, k);
        Matrix sq = distances.copy();
        double[] s = sq.data();
        for (int q = 0; q < s.length; q++) {
            s[q] *= s[q];
        }
        SymmetricEigen e = SymmetricEigen.ofInPlace(GraphKernels.toKernel(sq));
        Matrix x = new Matrix(n, k);
        double[] v = e.vectors().data();
        for (int c = 0; c < k; c++) {
            int col = n - 1 - c; // eigenvalues ascend
            double scale = Math.sqrt(Math.max(0, e.value(col)));
            for (int i = 0; i < n; i++) {
                x.set(i, c, v[i * n + col] * scale);
            }
        }
        return new Embedding(x, stress(x, distances), 0);
    }

    /** Metric MDS by SMACOF from the classical start. */
    public static Embedding smacof(Matrix distances, int k, int maxIterations, double tolerance) {
        int n = check(distances, k);
        if (maxIterations < 0 || !(tolerance >= 0)) {
            throw new Kernels4jException("SMACOF needs maxIterations >= 0 and tolerance >= 0, got " + maxIterations
                    + ", " + tolerance);
        }
        Matrix x = classical(distances, k).points();
        double[] delta = distances.data();
        double current = stress(x, distances);
        int it = 0;
        while (it < maxIterations) {
            double[] xd = x.data();
            Matrix next = new Matrix(n, k);
            double[] nd = next.data();
            for (int i = 0; i < n; i++) {
                double diag = 0;
                for (int j = 0; j < n; j++) {
                    if (j == i) {
                        continue;
                    }
                    double dij = distance(xd, i, j, k);
                    double b = dij > 0 ? -delta[i * n + j] / dij : 0;
                    diag -= b;
                    for (int c = 0; c < k; c++) {
                        nd[i * k + c] += b * xd[j * k + c];
                    }
                }
                for (int c = 0; c < k; c++) {
                    nd[i * k + c] = (nd[i * k + c] + diag * xd[i * k + c]) / n;
                }
            }
            it++;
            double s = stress(next, distances);
            x = next;
            boolean done = current - s <= tolerance * current;
            current = s;
            if (done) {
                break;
            }
        }
        return new Embedding(x, current, it);
    }

    /** Raw stress Σ_{i&lt;j}(‖x_i − x_j‖ − Δ_ij)². */
    public static double stress(Matrix x, Matrix distances) {
        int n = x.rows();
        int k = x.cols();
        double[] xd = x.data();
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double r = distance(xd, i, j, k) - distances.get(i, j);
                s += r * r;
            }
        }
        return s;
    }

    private static double distance(double[] x, int i, int j, int k) {
        double s = 0;
        for (int c = 0; c < k; c++) {
            double d = x[i * k + c] - x[j * k + c];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private static int check(Matrix d, int k) {
        int n = d.rows();
        if (d.cols() != n) {
            throw new Kernels4jException("MDS needs a square distance matrix, got " + d.shape());
        }
        if (k < 1 || k > n) {
            throw new Kernels4jException("MDS dimension k must be in 1.." + n + ", got " + k);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = d.get(i, j);
                if (!(v >= 0) || Double.isInfinite(v) || (i == j && v != 0)
                        || Math.abs(v - d.get(j, i)) > 1e-9 * Math.max(1, Math.abs(v))) {
                    throw new Kernels4jException("MDS needs a symmetric, finite, non-negative distance matrix with a"
                            + " zero diagonal; entry (" + i + ", " + j + ") is " + v);
                }
            }
        }
        return n;
    }
}
