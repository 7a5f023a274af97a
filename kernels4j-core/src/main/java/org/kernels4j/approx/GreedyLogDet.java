package org.kernels4j.approx;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * Greedy selection of informative points by the log-determinant (coding rate) of their kernel
 * matrix: choose S, |S| = m, one point at a time, each maximising the gain of
 * <pre>
 *   F(S) = log det(I + K_SS / ε)      (ε &gt; 0; ε = 0: log det K_SS)
 * </pre>
 * the MCR² coding rate of KECOR (Luo et al., 2023) with 1/ε = d/(n·ε'²) folded into ε, and the MAP
 * of a DPP with L = I + K/ε. By the Schur complement of εI + K_{S+i},
 * F(S ∪ {i}) − F(S) = log(1 + r_i/ε) with r_i = k_ii − k_iSᵀ(εI + K_SS)⁻¹k_iS, the regularised
 * residual variance of point i, so the greedy step takes the largest r_i (ties: the smaller index):
 * pivoted incomplete Cholesky of K + εI (Chen, Zhang &amp; Zhou, "Fast greedy MAP inference for
 * DPPs", NeurIPS 2018). With ε = 0 it is the classic pivoted Cholesky (greedy max det K_SS).
 *
 * <p>Cost: m kernel columns (n·m kernel values) and O(n·m²) flops; memory O(n·m). It serves as the
 * Nyström landmark sampler {@link Landmarks.Sampler#LOGDET}, and on any precomputed PSD matrix
 * (an empirical NTK, for active learning) through {@link #select(Matrix, int, double)}.
 */
public final class GreedyLogDet {
    private GreedyLogDet() {
    }

    /**
     * The chosen points in the order chosen, with their gains log(1 + r_i/ε) (r_i for ε = 0), and
     * F(S) = their sum (for ε = 0, log det K_SS = Σ log r_i).
     */
    public record Selection(int[] order, double[] gains, double objective) {
    }

    /** Greedy selection on the rows of x under the kernel: kernel columns computed as needed. */
    public static Selection select(Kernel kernel, Matrix x, int m, double epsilon) {
        double[] diag = GramEngine.diagonal(kernel, x);
        return run(diag, j -> GramEngine.cross(kernel, x, x.rowRange(j, j + 1)).data(), m, epsilon);
    }

    /** Greedy selection on a precomputed symmetric PSD n×n matrix K. */
    public static Selection select(Matrix k, int m, double epsilon) {
        if (k.rows() != k.cols()) {
            throw new Kernels4jException("greedy log-det selection needs a square kernel matrix, got " + k.shape());
        }
        k.requireFinite("kernel matrix");
        double[] diag = new double[k.rows()];
        for (int i = 0; i < diag.length; i++) {
            diag[i] = k.get(i, i);
        }
        return run(diag, k::column, m, epsilon);
    }

    private static Selection run(double[] diag, java.util.function.IntFunction<double[]> column, int m,
            double epsilon) {
        Steps s = steps(diag, column, m, epsilon, Double.NEGATIVE_INFINITY, false);
        return new Selection(s.order(), s.gains(), s.objective());
    }

    /**
     * The greedy steps with everything the incomplete Cholesky factorisation needs as well.
     *
     * @param order the pivots in the order chosen
     * @param gains log(1 + r/ε) per pivot (log r for ε = 0)
     * @param objective the sum of the gains
     * @param columns columns[t] = the t-th column of the factor G of εI + K on the pivots' span, length n each
     *     (only when asked for; else null)
     * @param pivotResiduals r of each pivot when chosen (kernlab's {@code maxresiduals})
     * @param traces Σ_i of the residuals after t = 0..|order| pivots: tr(K − G_tG_tᵀ) for ε = 0
     */
    record Steps(int[] order, double[] gains, double objective, double[][] columns, double[] pivotResiduals,
            double[] traces) {
    }

    /**
     * Up to m greedy steps, stopping early (kernlab's {@code inchol} rule) once the largest residual is at most
     * {@code stopAtOrBelow}; with {@code allColumns} the factor column of the last pivot is computed too.
     */
    static Steps steps(double[] diag, java.util.function.IntFunction<double[]> column, int m, double epsilon,
            double stopAtOrBelow, boolean allColumns) {
        int n = diag.length;
        if (m < 1 || m > n) {
            throw new Kernels4jException("cannot choose " + m + " points from " + n);
        }
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new Kernels4jException("the log-det regulariser epsilon must be >= 0 and finite, got " + epsilon);
        }
        double[] residual = diag.clone();
        double[][] c = new double[m][]; // c[t][i] = (L⁻¹ k_iS)_t, L the Cholesky factor of εI + K_SS
        boolean[] chosen = new boolean[n];
        int[] order = new int[m];
        double[] gains = new double[m];
        double[] picked = new double[m];
        double[] traces = new double[m + 1];
        double objective = 0;
        int count = 0;
        traces[0] = sumUnchosen(residual, chosen);
        for (int t = 0; t < m; t++) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!chosen[i] && (best < 0 || residual[best] < residual[i])) {
                    best = i;
                }
            }
            if (residual[best] <= stopAtOrBelow) {
                break;
            }
            double r = Math.max(residual[best], 0);
            chosen[best] = true;
            order[t] = best;
            picked[t] = r;
            gains[t] = epsilon > 0 ? Math.log1p(r / epsilon) : Math.log(r);
            objective += gains[t];
            count = t + 1;
            if (t == m - 1 && !allColumns) {
                traces[t + 1] = Double.NaN;
                break;
            }
            double pivot = Math.sqrt(epsilon + r);
            double[] col = column.apply(best);
            double[] e = new double[n];
            if (pivot > 1e-300) {
                for (int i = 0; i < n; i++) {
                    double s = col[i];
                    for (int q = 0; q < t; q++) {
                        s -= c[q][i] * c[q][best];
                    }
                    e[i] = s / pivot;
                    if (!chosen[i]) {
                        residual[i] -= e[i] * e[i];
                    }
                }
            }
            c[t] = e;
            traces[t + 1] = sumUnchosen(residual, chosen);
        }
        return new Steps(Arrays.copyOf(order, count), Arrays.copyOf(gains, count), objective,
                allColumns ? Arrays.copyOf(c, count) : null, Arrays.copyOf(picked, count),
                Arrays.copyOf(traces, count + 1));
    }

    /** Σ of the residuals of the points not chosen (a chosen point's residual is 0: it is reproduced exactly). */
    private static double sumUnchosen(double[] residual, boolean[] chosen) {
        double s = 0;
        for (int i = 0; i < residual.length; i++) {
            if (!chosen[i]) {
                s += Math.max(residual[i], 0);
            }
        }
        return s;
    }
}
