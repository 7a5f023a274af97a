package org.kernels4j.kernel.graph;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * The symmetric eigendecompositions behind every spectral graph kernel of one graph, each computed on first use
 * and then shared (not thread-safe while a decomposition is being computed; call from one thread):
 * A = V_A Λ_A V_Aᵀ (Walk, Communicability), L = D − A (Forest, Heat, commute time) and
 * S = D^{−½}AD^{−½} (normalised Heat via L_sym = I − S, and the PageRank family, whose P = D⁻¹A is similar to S:
 * P = D^{−½} S D^{½}). Each is one LAPACK {@code dsyevd}, about 9n³ flops.
 *
 * <p>Then any f of the matrix costs one product: F = V·diag(f(λ))·Vᵀ, done as {@code dsyrk} on
 * V·diag(√f(λ)) when f ≥ 0 (n³ flops) and as {@code dgemm} otherwise (2n³ flops).
 */
public final class GraphSpectra {
    private final Graph graph;
    private SymmetricEigen adjacency;
    private SymmetricEigen laplacian;
    private SymmetricEigen normalized;

    private GraphSpectra(Graph graph) {
        this.graph = graph;
    }

    /** Spectra of {@code graph}, none computed yet. */
    public static GraphSpectra of(Graph graph) {
        return new GraphSpectra(graph);
    }

    /** The graph. */
    public Graph graph() {
        return graph;
    }

    /** Eigendecomposition of A (computed on first call). */
    public SymmetricEigen adjacency() {
        if (adjacency == null) {
            adjacency = SymmetricEigen.ofInPlace(graph.adjacency());
        }
        return adjacency;
    }

    /** Eigendecomposition of L = D − A (computed on first call). */
    public SymmetricEigen laplacian() {
        if (laplacian == null) {
            laplacian = SymmetricEigen.ofInPlace(graph.laplacian());
        }
        return laplacian;
    }

    /**
     * Eigendecomposition of S = D^{−½}AD^{−½} (computed on first call).
     *
     * @throws Kernels4jException when a node has no edge (D⁻¹ does not exist); {@code what} names the measure
     */
    public SymmetricEigen normalizedAdjacency(String what) {
        double[] d = graph.degrees();
        for (int i = 0; i < d.length; i++) {
            if (d[i] == 0) {
                throw new Kernels4jException(what + " need every node to have an edge (they use D^-1); node '"
                        + graph.name(i) + "' is isolated");
            }
        }
        if (normalized == null) {
            normalized = SymmetricEigen.ofInPlace(graph.normalizedAdjacency());
        }
        return normalized;
    }

    /** Spectral radius ρ(A) = max |λ(A)|. */
    public double spectralRadius() {
        SymmetricEigen e = adjacency();
        return Math.max(Math.abs(e.value(0)), Math.abs(e.value(e.size() - 1)));
    }

    /**
     * F = diag(left)·V·diag(f)·Vᵀ·diag(right) for the decomposition e and f's values fv at its eigenvalues
     * (left/right null for none). One {@code dsyrk} (f ≥ 0 everywhere, {@code nonNegative}) or one {@code dgemm},
     * plus O(n²).
     */
    static Matrix apply(SymmetricEigen e, double[] fv, boolean nonNegative, double[] left, double[] right) {
        int n = e.size();
        // columns with f = 0 contribute nothing; dropping them shrinks the product (e.g. L's null vector for L⁺)
        int kept = 0;
        for (double v : fv) {
            if (v != 0) {
                kept++;
            }
        }
        double[] v = e.vectors().data();
        Matrix w = new Matrix(n, kept);
        double[] wd = w.data();
        int[] cols = new int[kept];
        double[] scale = new double[kept];
        int c = 0;
        for (int k = 0; k < n; k++) {
            if (fv[k] != 0) {
                cols[c] = k;
                scale[c++] = nonNegative ? Math.sqrt(fv[k]) : fv[k];
            }
        }
        for (int i = 0; i < n; i++) {
            int row = i * n;
            int out = i * kept;
            for (int q = 0; q < kept; q++) {
                wd[out + q] = v[row + cols[q]] * scale[q];
            }
        }
        Matrix h = new Matrix(n, n);
        if (nonNegative) {
            Blas.syrk(1.0, w, 0.0, h);
        } else {
            Matrix vk = new Matrix(n, kept);
            double[] vd = vk.data();
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < kept; q++) {
                    vd[i * kept + q] = v[i * n + cols[q]];
                }
            }
            Blas.gemm(false, true, 1.0, w, vk, 0.0, h);
        }
        if (left != null || right != null) {
            double[] hd = h.data();
            for (int i = 0; i < n; i++) {
                double l = left == null ? 1 : left[i];
                for (int j = 0; j < n; j++) {
                    hd[i * n + j] *= l * (right == null ? 1 : right[j]);
                }
            }
        }
        return h;
    }
}
