package org.kernels4j.gp;

import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NotPositiveDefiniteException;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * The exact linear algebra of {@link KroneckerGaussianProcess} on a grid of N = Π n_d cells, of
 * which the set O is observed and M = N − |O| are missing. With C = K + σ²I = (⊗Q_d)(Λ + σ²)(⊗Q_d)ᵀ
 * on the full grid (Λ = ⊗Λ_d from the per-axis eigendecompositions K_d = Q_d·Λ_d·Q_dᵀ) and
 * W = C⁻¹·E_M (the columns of C⁻¹ at the missing cells), the Schur complement gives, exactly,
 * <pre>
 *   log det C_OO = Σ_i log(Λ_i + σ²) + log det W_MM
 *   (C_OO)⁻¹     = [C⁻¹ − W·W_MM⁻¹·Wᵀ]_OO      (the bracket B vanishes on missing rows and columns)
 * </pre>
 * so α = B·ỹ (ỹ = y with zeros at missing cells) and, with V = W·L⁻ᵀ (W_MM = L·Lᵀ),
 * tr(B·∂K) = tr(C⁻¹·∂K) − Σ_a v_aᵀ·∂K·v_a. Every product with a Kronecker matrix is done axis by
 * axis, O(N·n_d) each. Cost: O(Σ n_d³) for the eigendecompositions, O(N·Σ n_d) per solve,
 * O(M·N·Σ n_d + M³) and 8·N·M bytes for the missing cells. (This is exact, unlike the "imaginary
 * observations" of Wilson et al. 2014, whose log-determinant is approximate; it suits grids where M
 * is at most a few thousand.)
 */
final class KroneckerAlgebra {
    final int[] sizes;
    final int cells;
    final Matrix[] axisMatrices;
    final double[][] grams;
    final double[][] vectors;
    final double[][] axisValues;
    final double[] spectrum;
    final double noise;
    final int[] missing;
    /** V = W·L⁻ᵀ, column a at [a·N, (a+1)·N); empty when nothing is missing. */
    final double[] v;
    final double logDetMissing;

    KroneckerAlgebra(List<Kernel> kernels, List<double[]> axes, boolean[] observed, double noise) {
        int dims = axes.size();
        this.sizes = new int[dims];
        this.axisMatrices = new Matrix[dims];
        this.grams = new double[dims][];
        this.vectors = new double[dims][];
        this.axisValues = new double[dims][];
        this.noise = noise;
        int n = 1;
        for (int d = 0; d < dims; d++) {
            sizes[d] = axes.get(d).length;
            n *= sizes[d];
            axisMatrices[d] = Matrix.column(axes.get(d).clone());
            Matrix g = GramEngine.gram(kernels.get(d), axisMatrices[d]);
            grams[d] = g.data().clone();
            SymmetricEigen e = SymmetricEigen.of(g);
            vectors[d] = e.vectors().data().clone();
            axisValues[d] = e.values();
        }
        this.cells = n;
        this.spectrum = new double[n];
        java.util.Arrays.fill(spectrum, 1);
        forEachAxis((d, at, i) -> spectrum[at] *= Math.max(axisValues[d][i], 0));
        int m = 0;
        for (boolean o : observed) {
            m += o ? 0 : 1;
        }
        this.missing = new int[m];
        for (int i = 0, a = 0; i < n; i++) {
            if (!observed[i]) {
                missing[a++] = i;
            }
        }
        if (m == 0) {
            this.v = new double[0];
            this.logDetMissing = 0;
            return;
        }
        // W = C⁻¹·E_M column by column, then W_MM = L·Lᵀ and V = W·L⁻ᵀ
        double[] w = new double[m * n];
        Matrix wmm = new Matrix(m, m);
        for (int a = 0; a < m; a++) {
            double[] e = new double[n];
            e[missing[a]] = 1;
            double[] col = solve(e);
            System.arraycopy(col, 0, w, a * n, n);
            for (int b = 0; b < m; b++) {
                wmm.set(b, a, col[missing[b]]);
            }
        }
        Matrix lower;
        try (Cholesky c = Cholesky.factor(symmetrized(wmm), "the missing-cell block of (K + noise*I)^-1")) {
            this.logDetMissing = c.logDeterminant();
            lower = c.lower();
        }
        // V = W·L⁻ᵀ: row-wise forward substitution on each of the N rows of W
        this.v = new double[m * n];
        double[] row = new double[m];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < m; a++) {
                double s = w[a * n + i];
                for (int b = 0; b < a; b++) {
                    s -= lower.get(a, b) * row[b];
                }
                row[a] = s / lower.get(a, a);
                v[a * n + i] = row[a];
            }
        }
    }

    private static Matrix symmetrized(Matrix a) {
        int m = a.rows();
        Matrix s = new Matrix(m, m);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                s.set(i, j, 0.5 * (a.get(i, j) + a.get(j, i)));
            }
        }
        return s;
    }

    interface AxisVisitor {
        void visit(int axis, int cell, int index);
    }

    /** Calls the visitor for every (axis, cell, index of the cell along that axis), cells in row-major order. */
    void forEachAxis(AxisVisitor visitor) {
        for (int d = 0; d < sizes.length; d++) {
            int post = 1;
            for (int e = d + 1; e < sizes.length; e++) {
                post *= sizes[e];
            }
            for (int c = 0; c < cells; c++) {
                visitor.visit(d, c, (c / post) % sizes[d]);
            }
        }
    }

    /** out = (I ⊗ … ⊗ M ⊗ … ⊗ I)·x with M (or Mᵀ) on axis d. */
    double[] alongAxis(double[] x, int d, double[] mat, boolean transpose) {
        int n = sizes[d];
        int post = 1;
        for (int e = d + 1; e < sizes.length; e++) {
            post *= sizes[e];
        }
        int pre = cells / (n * post);
        double[] out = new double[cells];
        for (int a = 0; a < pre; a++) {
            int base = a * n * post;
            for (int i = 0; i < n; i++) {
                int dst = base + i * post;
                for (int j = 0; j < n; j++) {
                    double c = transpose ? mat[j * n + i] : mat[i * n + j];
                    if (c != 0) {
                        int src = base + j * post;
                        for (int b = 0; b < post; b++) {
                            out[dst + b] += c * x[src + b];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** R_ij = Σ over the other axes of x[…i…]·y[…j…], n_d × n_d. */
    double[] contraction(double[] x, double[] y, int d) {
        int n = sizes[d];
        int post = 1;
        for (int e = d + 1; e < sizes.length; e++) {
            post *= sizes[e];
        }
        int pre = cells / (n * post);
        double[] r = new double[n * n];
        for (int a = 0; a < pre; a++) {
            int base = a * n * post;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    int xi = base + i * post;
                    int yj = base + j * post;
                    for (int b = 0; b < post; b++) {
                        s += x[xi + b] * y[yj + b];
                    }
                    r[i * n + j] += s;
                }
            }
        }
        return r;
    }

    /** C⁻¹·x on the full grid. */
    double[] solve(double[] x) {
        double[] u = x;
        for (int d = 0; d < sizes.length; d++) {
            u = alongAxis(u, d, vectors[d], true);
        }
        for (int i = 0; i < cells; i++) {
            u[i] /= spectrum[i] + noise;
        }
        for (int d = 0; d < sizes.length; d++) {
            u = alongAxis(u, d, vectors[d], false);
        }
        return u;
    }

    /** K·x with the Kronecker factors on every axis except {@code skip} (−1: all). */
    double[] times(double[] x, int skip) {
        double[] u = x;
        for (int d = 0; d < sizes.length; d++) {
            if (d != skip) {
                u = alongAxis(u, d, grams[d], false);
            }
        }
        return u;
    }

    /** α = B·ỹ: zero at missing cells, (C_OO)⁻¹·y_O at observed ones. */
    double[] alpha(double[] yFilled) {
        double[] z = solve(yFilled);
        int m = missing.length;
        if (m == 0) {
            return z;
        }
        // α = z − W·W_MM⁻¹·z_M = z − V·(L⁻¹·z_M), and L⁻¹·z_M = L⁻¹·Wᵀ·ỹ = Vᵀ·ỹ
        double[] c = new double[m];
        for (int a = 0; a < m; a++) {
            double s = 0;
            for (int i = 0; i < cells; i++) {
                s += v[a * cells + i] * yFilled[i];
            }
            c[a] = s;
        }
        for (int a = 0; a < m; a++) {
            for (int i = 0; i < cells; i++) {
                z[i] -= v[a * cells + i] * c[a];
            }
        }
        for (int i : missing) {
            z[i] = 0; // exactly zero in exact arithmetic; remove the rounding
        }
        return z;
    }

    /** log det C_OO. */
    double logDeterminant() {
        double s = logDetMissing;
        for (int i = 0; i < cells; i++) {
            double e = spectrum[i] + noise;
            if (!(e > 0)) {
                throw new NotPositiveDefiniteException("grid GP: K + noise*I is not positive definite");
            }
            s += Math.log(e);
        }
        return s;
    }

    /**
     * The gradient of log p(y_O) with respect to every hyperparameter of every axis kernel, in order,
     * then log σ².
     */
    double[] gradient(List<Kernel> kernels, double[] alpha) {
        int dims = sizes.length;
        int m = missing.length;
        java.util.List<Double> out = new java.util.ArrayList<>();
        for (int d = 0; d < dims; d++) {
            int n = sizes[d];
            double[] weight = contraction(alpha, times(alpha, d), d);
            // tr(C⁻¹·∂K) = Σ_jk (∂K_d)_jk·[Q_d·diag(c)·Q_dᵀ]_jk, c_i = Σ_{cells with index i on d} Λ_cell/λ_{d,i}/(Λ_cell + σ²)
            double[] c = new double[n];
            int post = 1;
            for (int e = d + 1; e < dims; e++) {
                post *= sizes[e];
            }
            for (int cell = 0; cell < cells; cell++) {
                int i = (cell / post) % n;
                double others = 1;
                int rest = cell;
                for (int e = dims - 1; e >= 0; e--) {
                    int idx = rest % sizes[e];
                    rest /= sizes[e];
                    if (e != d) {
                        others *= Math.max(axisValues[e][idx], 0);
                    }
                }
                c[i] += others / (spectrum[cell] + noise);
            }
            double[] q = vectors[d];
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += q[j * n + i] * c[i] * q[k * n + i];
                    }
                    weight[j * n + k] -= s;
                }
            }
            for (int a = 0; a < m; a++) {
                double[] va = java.util.Arrays.copyOfRange(v, a * cells, (a + 1) * cells);
                double[] r = contraction(va, times(va, d), d);
                for (int i = 0; i < n * n; i++) {
                    weight[i] += r[i];
                }
            }
            Matrix w = new Matrix(n, n);
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    w.set(j, k, 0.25 * (weight[j * n + k] + weight[k * n + j]));
                }
            }
            for (double g : GramEngine.gradientContractions(kernels.get(d), axisMatrices[d], w)) {
                out.add(g);
            }
        }
        // noise: ½·σ²·(αᵀα − tr B), tr B = Σ 1/(Λ + σ²) − Σ_a ‖v_a‖²
        double aa = 0;
        for (double a : alpha) {
            aa += a * a;
        }
        double trace = 0;
        for (int i = 0; i < cells; i++) {
            trace += 1 / (spectrum[i] + noise);
        }
        for (double x : v) {
            trace -= x * x;
        }
        out.add(0.5 * noise * (aa - trace));
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Per-axis kernel vectors k_d(x*_d, grid_d) for one query row. */
    double[][] queryVectors(List<Kernel> kernels, double[] row) {
        double[][] k = new double[sizes.length][];
        for (int d = 0; d < sizes.length; d++) {
            k[d] = new double[sizes[d]];
            double[] q = {row[d]};
            double[] g = axisMatrices[d].data();
            for (int i = 0; i < sizes[d]; i++) {
                k[d][i] = kernels.get(d).value(q, new double[] {g[i]});
            }
        }
        return k;
    }

    /** The full-grid vector ⊗_d a_d (row-major). */
    double[] outer(double[][] a) {
        double[] out = {1};
        for (double[] ad : a) {
            double[] next = new double[out.length * ad.length];
            for (int i = 0; i < out.length; i++) {
                for (int j = 0; j < ad.length; j++) {
                    next[i * ad.length + j] = out[i] * ad[j];
                }
            }
            out = next;
        }
        if (out.length != cells) {
            throw new Kernels4jException("internal: outer product has " + out.length + " cells, expected " + cells);
        }
        return out;
    }

    /** k*ᵀ·B·k* for the Kronecker vector k* = ⊗ k_d. */
    double quadratic(double[][] k) {
        double[][] p = new double[k.length][];
        for (int d = 0; d < k.length; d++) {
            int n = sizes[d];
            p[d] = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += vectors[d][j * n + i] * k[d][j];
                }
                p[d][i] = s * s;
            }
        }
        double[] proj = outer(p);
        double s = 0;
        for (int i = 0; i < cells; i++) {
            s += proj[i] / (spectrum[i] + noise);
        }
        if (missing.length > 0) {
            double[] full = outer(k);
            for (int a = 0; a < missing.length; a++) {
                double t = 0;
                for (int i = 0; i < cells; i++) {
                    t += v[a * cells + i] * full[i];
                }
                s -= t * t;
            }
        }
        return s;
    }
}
