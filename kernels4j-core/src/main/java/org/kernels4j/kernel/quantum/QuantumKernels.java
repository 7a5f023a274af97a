package org.kernels4j.kernel.quantum;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.KernelAlignment;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * What a quantum-kernel study needs besides the kernels: the PSD repair of a noisy Gram matrix, the
 * concentration of kernel values, and the choice of the feature-map scale α by kernel–target alignment.
 */
public final class QuantumKernels {
    private QuantumKernels() {
    }

    /**
     * The nearest PSD matrix in Frobenius norm, V·max(Λ, 0)·Vᵀ for K = VΛVᵀ (qiskit-machine-learning's
     * {@code enforce_psd}): what a finite-shot Gram matrix needs before a Cholesky-based learner.
     * K must be symmetric to 10⁻¹² of its largest entry; O(n³).
     */
    public static Matrix clipNegativeEigenvalues(Matrix k) {
        int n = k.rows();
        if (k.cols() != n) {
            throw new Kernels4jException("the kernel matrix must be square, got " + k.shape());
        }
        k.requireFinite("kernel matrix");
        double[] a = k.data();
        double scale = 0;
        for (double v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(a[i * n + j] - a[j * n + i]) > 1e-12 * scale) {
                    throw new Kernels4jException("the kernel matrix is not symmetric: entry (" + (i + 1) + ", " + (j + 1)
                            + ") is " + a[i * n + j] + " but (" + (j + 1) + ", " + (i + 1) + ") is " + a[j * n + i]);
                }
            }
        }
        SymmetricEigen e = SymmetricEigen.of(k);
        double[] values = e.values();
        Matrix v = e.vectors().copy();
        double[] vd = v.data();
        for (int c = 0; c < n; c++) {
            double s = Math.sqrt(Math.max(0, values[c]));
            for (int r = 0; r < n; r++) {
                vd[r * n + c] *= s;
            }
        }
        Matrix out = new Matrix(n, n);
        Blas.syrk(1.0, v, 0.0, out);
        return out;
    }

    /**
     * Summary of the off-diagonal entries of a kernel matrix: their mean, variance, minimum and maximum.
     * Fidelity kernels concentrate: as qubits are added the variance shrinks exponentially (Thanasilp et
     * al. 2022) and an SVM on them needs exponentially many shots to tell points apart.
     */
    public record Concentration(double mean, double variance, double min, double max, long pairs) {
    }

    /** The {@link Concentration} of the entries K_ij, i ≠ j, of a square matrix (n ≥ 2). */
    public static Concentration concentration(Matrix k) {
        int n = k.rows();
        if (k.cols() != n || n < 2) {
            throw new Kernels4jException("concentration needs a square kernel matrix of at least 2 points, got "
                    + k.shape());
        }
        double[] a = k.data();
        double mean = 0;
        double m2 = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                double v = a[i * n + j];
                count++;
                double delta = v - mean;
                mean += delta / count;
                m2 += delta * (v - mean);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return new Concentration(mean, m2 / count, min, max, count);
    }

    /** The result of {@link #alignAlpha}: the best α, its centred alignment, and every α tried with its alignment. */
    public record AlphaSearch(double alpha, double alignment, double[] tried, double[] alignments) {
        /** Copies the arrays. */
        public AlphaSearch {
            tried = tried.clone();
            alignments = alignments.clone();
        }

        @Override
        public double[] tried() {
            return tried.clone();
        }

        @Override
        public double[] alignments() {
            return alignments.clone();
        }
    }

    /**
     * The data-map scale α in [lo, hi] that maximises the centred kernel–target alignment
     * {@link KernelAlignment#centered} of the fidelity kernel on (x, y): a grid of {@code gridPoints}
     * values spaced evenly in log α, plus the kernel's own α when it lies in [lo, hi], then golden-section
     * search in log α within one grid step of the best of them, to a relative width of 10⁻³. The result is
     * the best α tried, so never worse than the kernel's own. For classes pass y = ±1. Cost: one Gram matrix per α
     * tried (about gridPoints + 15).
     */
    public static AlphaSearch alignAlpha(FidelityKernel kernel, Matrix x, double[] y, double lo, double hi,
            int gridPoints) {
        if (!(lo > 0) || !(hi > lo) || !Double.isFinite(hi)) {
            throw new Kernels4jException("the alpha range must satisfy 0 < lo < hi < infinity, got [" + lo + ", " + hi + "]");
        }
        if (gridPoints < 3) {
            throw new Kernels4jException("the alpha grid needs at least 3 points, got " + gridPoints);
        }
        if (x.rows() != y.length) {
            throw new Kernels4jException("x has " + x.rows() + " rows but y has " + y.length + " targets");
        }
        double[] tried = new double[gridPoints + 64];
        double[] scores = new double[tried.length];
        int[] count = {0};
        java.util.function.DoubleUnaryOperator score = logAlpha -> {
            double alpha = Math.exp(logAlpha);
            double s = KernelAlignment.centered(GramEngine.gram(kernel.withAlpha(alpha), x), y);
            tried[count[0]] = alpha;
            scores[count[0]++] = s;
            return s;
        };
        double a = Math.log(lo);
        double b = Math.log(hi);
        double step = (b - a) / (gridPoints - 1);
        int best = 0;
        double[] grid = new double[gridPoints];
        for (int g = 0; g < gridPoints; g++) {
            grid[g] = score.applyAsDouble(a + g * step);
            if (grid[g] > grid[best]) {
                best = g;
            }
        }
        double bestLog = a + best * step;
        double bestScore = grid[best];
        double own = kernel.featureMap().alpha();
        if (own >= lo && own <= hi) {
            // the kernel's own α is a candidate too, so a coarse grid that misses a narrow peak never reports
            // an α worse than the one the user started from
            double s = score.applyAsDouble(Math.log(own));
            if (s > bestScore) {
                bestScore = s;
                bestLog = Math.log(own);
            }
        }
        double left = Math.max(a, bestLog - step);
        double right = Math.min(b, bestLog + step);
        double phi = (Math.sqrt(5) - 1) / 2;
        double c = right - phi * (right - left);
        double d = left + phi * (right - left);
        double fc = score.applyAsDouble(c);
        double fd = score.applyAsDouble(d);
        while (right - left > 1e-3 && count[0] < tried.length - 1) {
            if (fc >= fd) {
                right = d;
                d = c;
                fd = fc;
                c = right - phi * (right - left);
                fc = score.applyAsDouble(c);
            } else {
                left = c;
                c = d;
                fc = fd;
                d = left + phi * (right - left);
                fd = score.applyAsDouble(d);
            }
        }
        for (int i = 0; i < count[0]; i++) {
            if (scores[i] > bestScore) {
                bestScore = scores[i];
                bestLog = Math.log(tried[i]);
            }
        }
        return new AlphaSearch(Math.exp(bestLog), bestScore, Arrays.copyOf(tried, count[0]),
                Arrays.copyOf(scores, count[0]));
    }
}
