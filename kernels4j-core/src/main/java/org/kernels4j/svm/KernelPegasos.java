package org.kernels4j.svm;

import java.util.Arrays;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;

/**
 * Kernel Pegasos (Shalev-Shwartz, Singer, Srebro &amp; Cotter 2011, Fig. 3): stochastic sub-gradient descent
 * on the SVM primal without a bias term,
 *
 * <pre>  min_w  P(w) = λ/2·‖w‖² + (1/l)·Σ_i max(0, 1 − y_i·⟨w, φ(x_i)⟩),   y_i ∈ {−1, +1}, </pre>
 *
 * kept in the kernel form w_{t+1} = (1/(λt))·Σ_j α_j·y_j·φ(x_j) with integer counts α. Step t = 1 … T
 * draws a row i uniformly (row {@code new Random(seed + problem).nextInt(l)}, the same sequence for the
 * same seed) and adds 1 to α_i when y_i·(1/(λt))·Σ_j α_j·y_j·k(x_j, x_i) &lt; 1 (the paper's Fig. 3 as printed). The model is f(x) = Σ_j β_j·y_j·k(x_j, x) with
 * β = α/(λT) (the last iterate) or, with {@link Builder#averaging(boolean) averaging}, the mean of the
 * iterates w_2 … w_{T+1}: β_j = (1/(λT))·Σ_{increments of α_j at steps s} (H_T − H_{s−1}), H the
 * harmonic numbers. For the average, E[P(w̄)] − min P ≤ G²·(1 + ln T)/(2λT) with G = 2·max √k(x, x)
 * (Theorem 1 and its kernel form); the same problem is the C-SVC dual without the equality constraint,
 * C = 1/(λl).
 *
 * <p>More than two classes: one problem per pair of classes (one-vs-one, votes), as C-SVC. The model is an
 * {@link SvmModel} of type C-SVC with ρ = 0, so it predicts, reports and saves as any SVM.
 *
 * <p>Cost: O(T) draws; each increment adds one kernel row to the decision values of the problem's l rows,
 * O(l·d) (O(l) when the problem's Gram matrix fits in the cache budget and is computed once, O(l²·d)). Memory
 * O(l) plus that Gram matrix. Immutable; build with {@link #builder(Kernel)}.
 */
public final class KernelPegasos implements Estimator<SvmModel> {
    private final Kernel kernel;
    private final double lambda;
    private final long iterations;
    private final boolean averaging;
    private final long seed;
    private final long cacheBytes;

    private KernelPegasos(Builder b) {
        this.kernel = b.kernel;
        this.lambda = b.lambda;
        this.iterations = b.iterations;
        this.averaging = b.averaging;
        this.seed = b.seed;
        this.cacheBytes = b.cacheBytes;
    }

    /** A builder with λ = 10⁻³, T = 10·l iterations per binary problem, no averaging, seed 1. */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** λ. */
    public double lambda() {
        return lambda;
    }

    /**
     * Trains on x (n×d) with class labels y (n×1, at least two classes).
     *
     * @throws Kernels4jException for non-finite inputs, a wrong target shape or a single class
     */
    @Override
    public SvmModel fit(Matrix x, Matrix y) {
        x.requireFinite("features");
        if (y == null || y.cols() != 1 || y.rows() != x.rows()) {
            throw new Kernels4jException("Pegasos needs one class label per training row (" + x.rows() + "x1), got "
                    + (y == null ? "none" : y.shape()));
        }
        y.requireFinite("class labels");
        double[] labels = y.data();
        double[] classes = Arrays.stream(labels).distinct().sorted().toArray();
        if (classes.length < 2) {
            throw new Kernels4jException("Pegasos needs at least two classes, found " + classes.length);
        }
        int n = x.rows();
        int k = classes.length;
        long nn = n;
        KernelSource src = 8 * nn * nn <= cacheBytes ? KernelSource.precomputed(GramEngine.gram(kernel, x))
                : KernelSource.of(kernel, x);
        int problems = k * (k - 1) / 2;
        double[][] coef = new double[problems][n];
        int p = 0;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++, p++) {
                double ca = classes[a];
                double cb = classes[b];
                int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> labels[i] == ca || labels[i] == cb)
                        .toArray();
                double[] yb = new double[rows.length];
                for (int t = 0; t < rows.length; t++) {
                    yb[t] = labels[rows[t]] == ca ? 1 : -1; // f > 0 votes for the smaller class, as LIBSVM
                }
                double[] beta = solve(rows.length == n ? src : src.subset(rows), yb, seed + p);
                for (int t = 0; t < rows.length; t++) {
                    coef[p][rows[t]] = yb[t] * beta[t];
                }
            }
        }
        int[] sv = java.util.stream.IntStream.range(0, n).filter(i -> {
            for (double[] c : coef) {
                if (c[i] != 0) {
                    return true;
                }
            }
            return false;
        }).toArray();
        Matrix coefficients = new Matrix(sv.length, problems);
        for (int s = 0; s < sv.length; s++) {
            for (int q = 0; q < problems; q++) {
                coefficients.set(s, q, coef[q][sv[s]]);
            }
        }
        return new SvmModel(SvmModel.Type.C_SVC, kernel, x.selectRows(sv), sv, n, coefficients, new double[problems],
                classes, SvmModel.Multiclass.ONE_VS_ONE, null);
    }

    /** β of one binary problem (labels ±1), as described in the class comment. */
    double[] solve(KernelSource src, double[] yb, long problemSeed) {
        int l = yb.length;
        long steps = iterations > 0 ? iterations : 10L * l;
        java.util.Random rng = new java.util.Random(problemSeed);
        double[] alpha = new double[l];
        double[] weight = new double[l]; // averaging: Σ over increments of H_T − H_{s−1}, built as −H_{s−1} + count·H_T
        double[] score = new double[l]; // Σ_j α_j·y_j·k(x_j, x_i)
        int[] all = java.util.stream.IntStream.range(0, l).toArray();
        double harmonicBefore = 0; // H_{t−1}
        for (long t = 1; t <= steps; t++) {
            int i = rng.nextInt(l);
            if (yb[i] * score[i] / (lambda * t) < 1) {
                alpha[i]++;
                weight[i] -= harmonicBefore;
                double[] column = src.times(all, new int[] {i}, new double[] {yb[i]});
                for (int u = 0; u < l; u++) {
                    score[u] += column[u];
                }
            }
            harmonicBefore += 1.0 / t;
        }
        double[] beta = new double[l];
        for (int j = 0; j < l; j++) {
            double v = averaging ? weight[j] + alpha[j] * harmonicBefore : alpha[j]; // harmonicBefore is now H_T
            beta[j] = v / (lambda * steps);
        }
        return beta;
    }

    /** Options for {@link KernelPegasos}; every setter validates at once. */
    public static final class Builder {
        private final Kernel kernel;
        private double lambda = 1e-3;
        private long iterations;
        private boolean averaging;
        private long seed = 1;
        private long cacheBytes = 512L << 20;

        private Builder(Kernel kernel) {
            this.kernel = java.util.Objects.requireNonNull(kernel, "kernel");
        }

        /** λ &gt; 0, the weight of ½‖w‖² (default 10⁻³; the C-SVC with C = 1/(λl) solves the same problem). */
        public Builder lambda(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new Kernels4jException("lambda must be a positive number, got " + value);
            }
            this.lambda = value;
            return this;
        }

        /** T ≥ 1 stochastic steps per binary problem (default 10·l, l the problem's rows). */
        public Builder iterations(long value) {
            if (value < 1) {
                throw new Kernels4jException("iterations must be at least 1, got " + value);
            }
            this.iterations = value;
            return this;
        }

        /** Whether to return the average of the iterates (default false: the last one). */
        public Builder averaging(boolean value) {
            this.averaging = value;
            return this;
        }

        /** Seed of the row draws (problem p uses seed + p). */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Memory budget in MiB for a precomputed Gram matrix (default 512; larger problems compute rows as needed). */
        public Builder cacheMegabytes(long value) {
            if (value < 1) {
                throw new Kernels4jException("cache size must be at least 1 MB, got " + value);
            }
            this.cacheBytes = value << 20;
            return this;
        }

        /** The estimator. */
        public KernelPegasos build() {
            return new KernelPegasos(this);
        }
    }

    @Override
    public String toString() {
        return "KernelPegasos" + List.of(kernel.toSpec(), lambda, iterations, averaging);
    }
}
