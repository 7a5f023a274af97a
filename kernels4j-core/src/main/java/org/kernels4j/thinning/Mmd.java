package org.kernels4j.thinning;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.GramInputs;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.kernel.ScaledKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * Maximum mean discrepancy between a (possibly weighted) coreset and a reference distribution.
 *
 * <p>For distributions Q and P and a kernel k, {@code MMD²(Q, P) = E k(X, X') − 2·E k(X, Y) + E k(Y, Y')}
 * with X, X' ~ Q and Y, Y' ~ P independent: the squared RKHS distance between the kernel mean
 * embeddings. A coreset with rows z_r = x_{i_r} and weights w_r is {@code Q = Σ_r w_r δ_{z_r}}.
 *
 * <ul>
 *   <li>To the input sample P_n = (1/n) Σ_i δ_{x_i}: {@code MMD² = wᵀK_SS w − 2 Σ_r w_r·k̄(z_r) + k̄̄}, with
 *       {@code k̄(z) = (1/n) Σ_i k(z, x_i)} and {@code k̄̄ = (1/n²) Σ_ij k(x_i, x_j)}. {@link #sample} computes
 *       k̄ at every input row and k̄̄ once (n² kernel values, blocked GEMM through {@link GramEngine}); each
 *       coreset then costs s² + s. {@link #squared} does it all for one coreset.</li>
 *   <li>To a Gaussian P = N(μ, Σ) under the Gaussian kernel k(x, y) = c·exp(−γ‖x − y‖²), in closed form
 *       ({@link #gaussianTarget}): {@code E_Y k(x, Y) = c·det(I + 2γΣ)^{−1/2}·exp(−γ (x−μ)ᵀ(I + 2γΣ)⁻¹(x−μ))} and
 *       {@code E k(Y, Y') = c·det(I + 4γΣ)^{−1/2}} (Y − Y' ~ N(0, 2Σ)). Cost s² + s·d².</li>
 * </ul>
 * Round-off: MMD² is a difference of O(k(x, x)) terms, so values below about 1e−15·k(x, x) are noise; a
 * negative MMD² from round-off is reported as MMD 0.
 */
public final class Mmd {
    private Mmd() {
    }

    /** MMD² between the coreset (rows of x) and the whole sample x, from scratch: O(n²) kernel values. */
    public static double squared(Kernel kernel, Matrix x, Coreset coreset) {
        return sample(kernel, x).squared(coreset);
    }

    /** MMD between the coreset (rows of x) and the whole sample x: {@code sqrt(max(0, MMD²))}. */
    public static double of(Kernel kernel, Matrix x, Coreset coreset) {
        return root(squared(kernel, x, coreset));
    }

    /**
     * Precomputes k̄(x_i) for every row and k̄̄ (n² kernel values), so that the MMD of many coresets of
     * the same sample costs s² + s each.
     */
    public static Sample sample(Kernel kernel, Matrix x) {
        Thinning.requireData(x);
        return new Sample(kernel, x, rowMeans(kernel, x));
    }

    /** The closed-form MMD to N(mean, covariance) for a Gaussian (optionally scaled, isotropic) kernel. */
    public static GaussianTarget gaussianTarget(Kernel kernel, double[] mean, Matrix covariance) {
        return new GaussianTarget(kernel, mean, covariance);
    }

    /**
     * k̄(x_i) = (1/n) Σ_j k(x_i, x_j) for every row i. K is symmetric, so only the GEMM tiles on or above the
     * diagonal are computed (n²/2 kernel values): tile (a, b) adds its row sums to the rows of a and its column
     * sums to the rows of b. Row tile a is one parallel task; its column sums go to its own array and are added
     * in task order, so the result does not depend on the threads. Beyond {@link #SYMMETRIC_LIMIT} doubles of
     * those arrays it falls back to the full product K·1 (n² values, O(n) memory).
     */
    static double[] rowMeans(Kernel kernel, Matrix x) {
        int n = x.rows();
        int t = GramEngine.tileSize();
        int tiles = (n + t - 1) / t;
        if ((long) tiles * n > SYMMETRIC_LIMIT) {
            Matrix ones = new Matrix(n, 1);
            Arrays.fill(ones.data(), 1.0 / n);
            return GramEngine.crossTimes(kernel, x, x, ones, org.kernels4j.ProgressListener.NONE).data();
        }
        double[] own = new double[n];
        double[][] columnSums = new double[tiles][];
        java.util.List<GramBlock> made = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        ThreadLocal<GramBlock> local = new ThreadLocal<>();
        ThreadLocal<double[]> buffers = ThreadLocal.withInitial(() -> new double[t * t]);
        double[] ones = new double[t];
        Arrays.fill(ones, 1.0);
        org.kernels4j.linalg.ElementOps ops = org.kernels4j.linalg.ElementOps.get();
        try (GramInputs in = new GramInputs(x.requireFinite("input data"), x.columnMeans())) {
            Parallelism.forEachBlock(tiles, a -> {
                GramBlock b = local.get();
                if (b == null) {
                    b = new GramBlock(in, in, true, t * t);
                    made.add(b);
                    local.set(b);
                }
                double[] buf = buffers.get();
                int r0 = a * t;
                int h = Math.min(t, n - r0);
                double[] cols = new double[n];
                for (int c0 = r0; c0 < n; c0 += t) {
                    int w = Math.min(t, n - c0);
                    b.moveTo(r0, h, c0, w);
                    kernel.computeBlock(b, buf);
                    for (int i = 0; i < h; i++) {
                        own[r0 + i] += ops.dot(buf, i * w, ones, 0, w); // vector reduction (a loop is add-latency bound)
                    }
                    if (c0 != r0) {
                        for (int i = 0; i < h; i++) {
                            int off = i * w;
                            for (int j = 0; j < w; j++) {
                                cols[c0 + j] += buf[off + j];
                            }
                        }
                    }
                }
                columnSums[a] = cols;
            });
        } finally {
            for (GramBlock b : made) {
                b.release();
            }
        }
        double[] means = new double[n];
        for (int i = 0; i < n; i++) {
            double s = own[i];
            for (int a = 0; a < i / t; a++) {
                s += columnSums[a][i];
            }
            means[i] = s / n;
        }
        return means;
    }

    /** Most doubles {@link #rowMeans} spends on per-task column sums (256 MiB). */
    private static final long SYMMETRIC_LIMIT = 1L << 25;

    static double root(double squared) {
        return Math.sqrt(Math.max(0, squared));
    }

    /** The input sample as the reference: k̄ at every row and k̄̄, computed once. */
    public static final class Sample {
        private final Kernel kernel;
        private final Matrix x;
        private final double[] rowMeans;
        private final double grandMean;

        Sample(Kernel kernel, Matrix x, double[] rowMeans) {
            this.kernel = kernel;
            this.x = x;
            this.rowMeans = rowMeans;
            double s = 0;
            for (double v : rowMeans) {
                s += v;
            }
            this.grandMean = s / rowMeans.length;
        }

        /** k̄̄ = (1/n²) Σ_ij k(x_i, x_j). */
        public double grandMean() {
            return grandMean;
        }

        /** k̄(x_i) = (1/n) Σ_j k(x_i, x_j), a copy. */
        public double[] rowMeans() {
            return rowMeans.clone();
        }

        /** MMD² of the coreset to the sample. */
        public double squared(Coreset c) {
            int[] idx = c.indices();
            double[] w = c.weightsOrUniform();
            for (int i : idx) {
                if (i >= x.rows()) {
                    throw new Kernels4jException("coreset row " + i + " is outside the data's " + x.rows() + " rows");
                }
            }
            Matrix kss = GramEngine.gram(kernel, x.selectRows(idx));
            double quad = quadratic(kss, w);
            double lin = 0;
            for (int r = 0; r < idx.length; r++) {
                lin += w[r] * rowMeans[idx[r]];
            }
            return quad - 2 * lin + grandMean;
        }

        /** MMD of the coreset to the sample. */
        public double of(Coreset c) {
            return root(squared(c));
        }
    }

    static double quadratic(Matrix k, double[] w) {
        int s = w.length;
        double[] a = k.data();
        double quad = 0;
        for (int r = 0; r < s; r++) {
            double row = 0;
            for (int q = 0; q < s; q++) {
                row += a[r * s + q] * w[q];
            }
            quad += w[r] * row;
        }
        return quad;
    }

    /** The Gaussian target N(μ, Σ) under the kernel c·exp(−γ‖x − y‖²): MMD in closed form. */
    public static final class GaussianTarget {
        private final Kernel kernel;
        private final double gamma;
        private final double scale;
        private final double[] mean;
        private final Matrix vectors;
        private final double[] shrink; // 1/(1 + 2γλ_k) per eigen-direction of Σ
        private final double firstFactor; // c·det(I + 2γΣ)^{-1/2}
        private final double selfTerm; // c·det(I + 4γΣ)^{-1/2}

        GaussianTarget(Kernel kernel, double[] mean, Matrix covariance) {
            double c = 1;
            Kernel inner = kernel;
            if (inner instanceof ScaledKernel) {
                c = ((ScaledKernel) inner).scale();
                inner = ((ScaledKernel) inner).kernel();
            }
            if (!(inner instanceof RbfKernel) || ((RbfKernel) inner).lengthScales() != null) {
                throw new Kernels4jException("the closed-form MMD to a Gaussian needs an isotropic Gaussian kernel "
                        + "(rbf(gamma=...) or rbf(length=...), optionally scaled), got " + kernel.toSpec());
            }
            int d = mean.length;
            if (d == 0 || covariance.rows() != d || covariance.cols() != d) {
                throw new Kernels4jException("Gaussian target: mean has " + d + " entries but the covariance is "
                        + covariance.shape());
            }
            for (double v : mean) {
                if (!Double.isFinite(v)) {
                    throw new Kernels4jException("Gaussian target: the mean has a non-finite entry " + v);
                }
            }
            covariance.requireFinite("Gaussian target covariance");
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    if (Math.abs(covariance.get(i, j) - covariance.get(j, i)) > 1e-12 * (1 + Math.abs(covariance.get(i, j)))) {
                        throw new Kernels4jException("Gaussian target: the covariance is not symmetric at (" + i + ", "
                                + j + ")");
                    }
                }
            }
            this.kernel = kernel;
            this.gamma = ((RbfKernel) inner).gamma();
            this.scale = c;
            this.mean = mean.clone();
            SymmetricEigen e = SymmetricEigen.of(covariance);
            this.vectors = e.vectors();
            this.shrink = new double[d];
            double logDet2 = 0;
            double logDet4 = 0;
            for (int k = 0; k < d; k++) {
                double lambda = e.value(k);
                if (lambda < -1e-12 * (1 + Math.abs(lambda))) {
                    throw new Kernels4jException("Gaussian target: the covariance is not positive semi-definite "
                            + "(eigenvalue " + lambda + ")");
                }
                lambda = Math.max(0, lambda);
                shrink[k] = 1 / (1 + 2 * gamma * lambda);
                logDet2 += Math.log1p(2 * gamma * lambda);
                logDet4 += Math.log1p(4 * gamma * lambda);
            }
            this.firstFactor = c * Math.exp(-0.5 * logDet2);
            this.selfTerm = c * Math.exp(-0.5 * logDet4);
        }

        /** E k(Y, Y') for Y, Y' ~ P independent. */
        public double selfTerm() {
            return selfTerm;
        }

        /** E_Y k(z, Y) for Y ~ P. */
        public double meanEmbedding(double[] z) {
            int d = mean.length;
            if (z.length != d) {
                throw new Kernels4jException("point has " + z.length + " features, the Gaussian target " + d);
            }
            double q = 0;
            for (int k = 0; k < d; k++) {
                double p = 0;
                for (int f = 0; f < d; f++) {
                    p += vectors.get(f, k) * (z[f] - mean[f]);
                }
                q += p * p * shrink[k];
            }
            return firstFactor * Math.exp(-gamma * q);
        }

        /** MMD² between Σ_r w_r δ_{z_r} (rows of {@code points}; null weights: uniform) and P. */
        public double squared(Matrix points, double[] weights) {
            int s = points.rows();
            if (s == 0) {
                throw new Kernels4jException("MMD to a Gaussian: no points");
            }
            double[] w = weights;
            if (w == null) {
                w = new double[s];
                Arrays.fill(w, 1.0 / s);
            } else if (w.length != s) {
                throw new Kernels4jException("MMD to a Gaussian: " + s + " points but " + w.length + " weights");
            }
            points.requireFinite("points");
            double quad = quadratic(GramEngine.gram(kernel, points), w);
            double lin = 0;
            for (int r = 0; r < s; r++) {
                lin += w[r] * meanEmbedding(points.row(r));
            }
            return quad - 2 * lin + selfTerm;
        }

        /** MMD between the coreset (rows of x, with its weights) and P. */
        public double of(Matrix x, Coreset c) {
            return root(squared(c.select(x), c.weights()));
        }

        /** MMD between the uniform distribution on all rows of {@code points} and P (O(n²) kernel values). */
        public double of(Matrix points) {
            return root(squared(points, null));
        }

        /** The kernel c·exp(−γ‖x − y‖²)'s γ. */
        public double gamma() {
            return gamma;
        }

        /** The kernel's factor c. */
        public double scale() {
            return scale;
        }
    }
}
