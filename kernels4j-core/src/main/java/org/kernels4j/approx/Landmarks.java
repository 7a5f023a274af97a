package org.kernels4j.approx;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * Choosing m landmark (Nyström centre) rows out of n. Every method is seeded and returns distinct
 * row indices in increasing order.
 * <ul>
 *   <li>{@link Sampler#UNIFORM}: m rows without replacement. O(n).</li>
 *   <li>{@link Sampler#KMEANS_PP}: k-means++ seeding in the kernel's feature space: each next row
 *       is drawn with probability ∝ its squared feature-space distance to the nearest chosen one,
 *       D²(x) = min_c k(x,x) + k(c,c) − 2k(x,c). Run on a uniform pool of min(n, max(10m, 20000))
 *       rows; O(pool·m) kernel evaluations.</li>
 *   <li>{@link Sampler#LEVERAGE}: ridge leverage scores ℓ_i(λ) = (K(K + λI)⁻¹)_ii approximated by
 *       recursive sampling ({@link #recursiveLeverageScores}, s = min(n, max(m, 500), 2000)
 *       weighted landmarks): ℓ̃_i = (k_ii − k_iSᵀ(K_SS + λI)⁻¹k_iS)/λ in weighted form; then m rows
 *       without replacement with probability ∝ ℓ̃ (Efraimidis–Spirakis keys). O(n·s·d + n·s²).</li>
 *   <li>{@link Sampler#DPP}: an exact k-DPP with k = m (Kulesza &amp; Taskar, 2011, Algorithms 1 and
 *       8): P(S) ∝ det(K_SS) over |S| = m, which favours diverse sets (volume sampling). Run on a
 *       uniform pool of p = min(n, max(2m, 1000)) rows: one p×p eigendecomposition (9p³ flops),
 *       then O(p·m³) for the sequential projection sampling, so keep m ≤ 1000.</li>
 *   <li>{@link Sampler#LOGDET}: deterministic greedy maximisation of log det(I + K_SS/ε) with ε = λ
 *       (λ = 0: log det K_SS, pivoted Cholesky), see {@link GreedyLogDet}; the seed is unused.
 *       O(n·m) kernel evaluations and O(n·m²) flops, all n rows considered.</li>
 *   <li>{@link Sampler#THINNING}: kernel thinning ({@link #thinned}): landmarks whose empirical distribution
 *       matches the data's in the kernel's MMD far better than uniform ones. O((m·2^k)²) kernel
 *       evaluations for k = ⌊log₂(n/m)⌋ halvings, at most n².</li>
 *   <li>{@link Sampler#INCHOL}: the pivots of the pivoted incomplete Cholesky factorisation (kernlab's
 *       {@code inchol}; {@link #incompleteCholesky}): deterministic, λ and the seed unused, at most m rows (fewer
 *       when K's rank is below m). O(n·m) kernel evaluations and O(n·m²) flops.</li>
 * </ul>
 */
public final class Landmarks {
    /** Landmark selection methods. */
    public enum Sampler {
        UNIFORM, KMEANS_PP, LEVERAGE, DPP, LOGDET, THINNING, INCHOL;

        /**
         * Parses uniform, kmeans++ (or kmeans), leverage, dpp, logdet (or greedy-logdet, coding-rate), kt (or
         * thinning, kernel-thinning), inchol (or incomplete-cholesky).
         */
        public static Sampler parse(String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "uniform":
                    return UNIFORM;
                case "kmeans++":
                case "kmeans":
                case "kmeans_pp":
                    return KMEANS_PP;
                case "leverage":
                case "rls":
                    return LEVERAGE;
                case "dpp":
                case "kdpp":
                    return DPP;
                case "logdet":
                case "greedy-logdet":
                case "coding-rate":
                    return LOGDET;
                case "kt":
                case "thinning":
                case "kernel-thinning":
                    return THINNING;
                case "inchol":
                case "incomplete-cholesky":
                    return INCHOL;
                default:
                    throw new Kernels4jException("unknown landmark sampler '" + s
                            + "'; available: uniform, kmeans++, leverage, dpp, logdet, kt, inchol");
            }
        }
    }

    private Landmarks() {
    }

    /** m distinct rows of x by the given method; λ is used by LEVERAGE and by LOGDET (as ε ≥ 0). */
    public static int[] select(Sampler sampler, Kernel kernel, Matrix x, int m, double lambda, long seed) {
        int n = x.rows();
        if (m < 1 || m > n) {
            throw new Kernels4jException("cannot choose " + m + " landmarks from " + n + " rows");
        }
        switch (sampler) {
            case UNIFORM:
                return uniform(n, m, seed);
            case KMEANS_PP:
                return kMeansPlusPlus(kernel, x, m, seed);
            case LEVERAGE:
                return leverage(kernel, x, m, lambda, seed);
            case LOGDET:
                int[] rows = GreedyLogDet.select(kernel, x, m, Math.max(lambda, 0)).order().clone();
                Arrays.sort(rows);
                return rows;
            case THINNING:
                return thinned(kernel, x, m, seed);
            case INCHOL:
                return incompleteCholesky(kernel, x, m);
            default:
                return kDpp(kernel, x, m, seed);
        }
    }

    /**
     * The pivots of kernlab's {@code inchol} run to m columns: each next row is the one whose kernel
     * column the pivots chosen so far reproduce worst (largest residual diagonal). Fewer than m rows, when the
     * residuals vanish first (K of rank below m). Nyström over these rows reproduces the incomplete Cholesky factor
     * exactly; {@link IncompleteCholesky} also reports the trace error. A residual below 1e-12 of the largest diagonal
     * entry counts as zero (round-off).
     */
    public static int[] incompleteCholesky(Kernel kernel, Matrix x, int m) {
        x.requireFinite("landmark data");
        double[] diag = GramEngine.diagonal(kernel, x);
        double top = 0;
        for (double v : diag) {
            top = Math.max(top, v);
        }
        // residuals at round-off level (1e-12 of the largest diagonal entry) count as exhausted
        int[] rows = GreedyLogDet.steps(diag, j -> GramEngine.cross(kernel, x, x.rowRange(j, j + 1)).data(), m, 0,
                1e-12 * top, false).order();
        Arrays.sort(rows);
        return rows;
    }

    /**
     * m rows by kernel thinning (Dwivedi &amp; Mackey): k = ⌊log₂(n/m)⌋ halving rounds of KT-SPLIT + KT-SWAP on a
     * uniform subsample of m·2^k rows, so the landmarks' empirical distribution is close to the data's in the
     * kernel's MMD (O(√(log n)/m) against O(1/√m) for uniform landmarks). Square-root split kernel for Gaussian
     * kernels, the kernel itself otherwise. O((m·2^k)²) kernel evaluations, at most n².
     */
    public static int[] thinned(Kernel kernel, Matrix x, int m, long seed) {
        int n = x.rows();
        int rounds = 31 - Integer.numberOfLeadingZeros(n / m);
        int size = m << rounds;
        int[] pool = size == n ? allRows(n) : uniform(n, size, seed);
        org.kernels4j.thinning.KernelThinning kt = org.kernels4j.thinning.KernelThinning.builder(kernel)
                .split(org.kernels4j.thinning.SplitKernel.hasPowerKernel(kernel)
                        ? org.kernels4j.thinning.SplitKernel.root() : org.kernels4j.thinning.SplitKernel.target())
                .build();
        int[] chosen = kt.thin(x.selectRows(pool), m, seed).indices();
        int[] rows = new int[chosen.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = pool[chosen[i]];
        }
        Arrays.sort(rows);
        return rows;
    }

    /** A uniformly random permutation of 0..n−1 drawn from r (Fisher–Yates). */
    public static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** m of n indices uniformly without replacement (partial Fisher–Yates), sorted. */
    public static int[] uniform(int n, int m, long seed) {
        Random r = new Random(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + r.nextInt(n - i);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        int[] out = Arrays.copyOf(p, m);
        Arrays.sort(out);
        return out;
    }

    /** k-means++ seeding with kernel-space distances on a uniform pool. */
    public static int[] kMeansPlusPlus(Kernel kernel, Matrix x, int m, long seed) {
        int n = x.rows();
        int[] pool = uniform(n, Math.min(n, Math.max(10 * m, 20000)), seed);
        int p = pool.length;
        double[][] rows = new double[p][];
        double[] self = new double[p];
        for (int i = 0; i < p; i++) {
            rows[i] = x.row(pool[i]);
            self[i] = kernel.selfValue(rows[i]);
        }
        Random r = new Random(seed + 1);
        double[] dist = new double[p];
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        boolean[] chosen = new boolean[p];
        int[] out = new int[m];
        int next = r.nextInt(p);
        for (int c = 0; c < m; c++) {
            chosen[next] = true;
            out[c] = pool[next];
            if (c == m - 1) {
                break;
            }
            final double[] center = rows[next];
            final double cSelf = self[next];
            int blocks = (p + 4095) / 4096;
            Parallelism.forEachBlock(blocks, b -> {
                for (int i = b * 4096; i < Math.min(p, (b + 1) * 4096); i++) {
                    double d2 = Math.max(self[i] + cSelf - 2 * kernel.value(rows[i], center), 0);
                    if (d2 < dist[i]) {
                        dist[i] = d2;
                    }
                }
            });
            double total = 0;
            for (int i = 0; i < p; i++) {
                total += chosen[i] ? 0 : dist[i];
            }
            next = -1;
            if (total > 0) {
                double u = r.nextDouble() * total;
                for (int i = 0; i < p; i++) {
                    if (!chosen[i]) {
                        u -= dist[i];
                        if (u < 0) {
                            next = i;
                            break;
                        }
                    }
                }
            }
            if (next < 0) { // all remaining rows coincide with chosen ones (or rounding): any unchosen row
                for (int i = 0; i < p && next < 0; i++) {
                    next = chosen[i] ? -1 : i;
                }
            }
        }
        Arrays.sort(out);
        return out;
    }

    /** Approximate ridge leverage scores ℓ̃_i(λ) for every row, from a uniform pilot of s rows. */
    public static double[] approximateLeverageScores(Kernel kernel, Matrix x, double lambda, int pilot, long seed) {
        int n = x.rows();
        int s = Math.min(n, Math.max(1, pilot));
        int[] rows = uniform(n, s, seed);
        double[] ones = new double[s];
        Arrays.fill(ones, 1);
        return weightedScores(kernel, x, allRows(n), rows, ones, lambda);
    }

    /**
     * Ridge leverage scores by recursive sampling (Musco &amp; Musco, "Recursive Sampling for the
     * Nyström Method", NeurIPS 2017): keep a uniform half of the rows, recursively get a weighted
     * landmark set for that half, estimate every row's score from it, then keep each row with
     * probability p_i = min(1, q·ℓ̃_i) and weight 1/p_i, q chosen so that about {@code size} rows
     * are kept. The scores of all rows come from the final set. Each level costs O(n_l·s·d + n_l·s²)
     * for n_l rows at that level and s ≈ size landmarks; the recursion halves n_l, so the total is
     * about twice the top level. Unlike a uniform pilot, the landmarks concentrate where the scores
     * are high (rare regions of the data), which a uniform pilot of the same size misses.
     */
    public static double[] recursiveLeverageScores(Kernel kernel, Matrix x, double lambda, int size, long seed) {
        if (!(lambda > 0)) {
            throw new Kernels4jException("leverage scores need lambda > 0, got " + lambda);
        }
        int n = x.rows();
        Random r = new Random(seed);
        Weighted set = recurse(kernel, x, allRows(n), lambda, Math.max(1, size), r);
        return weightedScores(kernel, x, allRows(n), set.rows, set.weights, lambda);
    }

    private record Weighted(int[] rows, double[] weights) {
    }

    private static Weighted recurse(Kernel kernel, Matrix x, int[] rows, double lambda, int size, Random r) {
        if (rows.length <= 2 * size) {
            double[] w = new double[rows.length];
            Arrays.fill(w, 1);
            return new Weighted(rows, w);
        }
        int[] half = Arrays.stream(rows).filter(i -> r.nextBoolean()).toArray();
        Weighted inner = recurse(kernel, x, half, lambda, size, r);
        double[] scores = weightedScores(kernel, x, rows, inner.rows, inner.weights, lambda);
        double total = Arrays.stream(scores).sum();
        double q = total > 0 ? size / total : 0;
        int[] keep = new int[rows.length];
        double[] w = new double[rows.length];
        int k = 0;
        for (int i = 0; i < rows.length; i++) {
            double p = Math.min(1, q * scores[i]);
            if (p > 0 && r.nextDouble() < p) {
                keep[k] = rows[i];
                w[k++] = 1 / p;
            }
        }
        if (k == 0) { // degenerate (all scores zero): fall back to the inner set
            return inner;
        }
        return new Weighted(Arrays.copyOf(keep, k), Arrays.copyOf(w, k));
    }

    private static int[] allRows(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /**
     * ℓ̃_i = (k_ii − (D·k_iS)ᵀ(D·K_SS·D + λI)⁻¹(D·k_iS))/λ for the given rows i, from landmarks S
     * with weights w (D = diag(√w)); exact when S is all rows with unit weights.
     */
    private static double[] weightedScores(Kernel kernel, Matrix x, int[] rows, int[] landmarks, double[] weights,
            double lambda) {
        return leverageScoresAgainst(kernel, x.selectRows(rows), x.selectRows(landmarks), weights, lambda);
    }

    /**
     * Approximate ridge leverage scores ℓ̃_i = (k_ii − (D·k_iS)ᵀ(D·K_SS·D + λI)⁻¹(D·k_iS))/λ of the rows of
     * {@code x} against the landmark rows S with weights w (D = diag(√w)): the scoring step of
     * {@link #approximateLeverageScores} (unit weights, S its uniform pilot) and of the recursive sampler, for
     * callers whose rows are spread over machines and who score each part against the same S.
     * O(rows·s·d + rows·s² + s³).
     */
    public static double[] leverageScoresAgainst(Kernel kernel, Matrix x, Matrix landmarks, double[] weights,
            double lambda) {
        if (!(lambda > 0)) {
            throw new Kernels4jException("leverage scores need lambda > 0, got " + lambda);
        }
        int s = landmarks.rows();
        if (weights.length != s) {
            throw new Kernels4jException(s + " landmarks but " + weights.length + " weights");
        }
        Matrix xs = landmarks;
        double[] sw = new double[s];
        for (int j = 0; j < s; j++) {
            sw[j] = Math.sqrt(weights[j]);
        }
        Matrix kss = GramEngine.gram(kernel, xs);
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                kss.set(i, j, kss.get(i, j) * sw[i] * sw[j]);
            }
            kss.set(i, i, kss.get(i, i) + lambda);
        }
        Matrix xr = x;
        double[] diag = GramEngine.diagonal(kernel, xr);
        double[] scores = new double[xr.rows()];
        try (Cholesky chol = Cholesky.factor(kss, "landmark kernel matrix for leverage scores")) {
            int chunk = 4096;
            for (int start = 0; start < xr.rows(); start += chunk) {
                int end = Math.min(xr.rows(), start + chunk);
                Matrix kxs = GramEngine.cross(kernel, xr.rowRange(start, end), xs); // rows × s
                Matrix t = kxs.transpose();
                for (int j = 0; j < s; j++) {
                    for (int c = 0; c < end - start; c++) {
                        t.set(j, c, t.get(j, c) * sw[j]);
                    }
                }
                Matrix w = chol.solveLower(t); // s × rows
                for (int c = 0; c < end - start; c++) {
                    double q = 0;
                    for (int j = 0; j < s; j++) {
                        q += w.get(j, c) * w.get(j, c);
                    }
                    scores[start + c] = Math.max(diag[start + c] - q, 0) / lambda;
                }
            }
        }
        return scores;
    }

    /** m rows without replacement with probability ∝ approximate ridge leverage score. */
    public static int[] leverage(Kernel kernel, Matrix x, int m, double lambda, long seed) {
        int n = x.rows();
        double[] scores = recursiveLeverageScores(kernel, x, lambda, Math.min(Math.max(m, 500), 2000), seed);
        Random r = new Random(seed + 2);
        double[] keys = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            // Efraimidis–Spirakis: the m largest u^(1/w) form a weighted sample without replacement
            double w = Math.max(scores[i], 1e-300);
            keys[i] = Math.log(1 - r.nextDouble()) / w;
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(keys[b], keys[a]));
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = order[i];
        }
        Arrays.sort(out);
        return out;
    }

    /** An exact k-DPP sample (k = m) on a uniform pool, with L = the pool's kernel matrix. */
    public static int[] kDpp(Kernel kernel, Matrix x, int m, long seed) {
        int n = x.rows();
        int[] pool = uniform(n, Math.min(n, Math.max(2 * m, 1000)), seed);
        int[] local = kDppOfMatrix(GramEngine.gram(kernel, x.selectRows(pool)), m, new Random(seed + 3));
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = pool[local[i]];
        }
        Arrays.sort(out);
        return out;
    }

    /** Exact k-DPP sample from the PSD matrix l (Kulesza &amp; Taskar, Algorithms 8 then 1). */
    static int[] kDppOfMatrix(Matrix l, int k, Random r) {
        int n = l.rows();
        SymmetricEigen eig = SymmetricEigen.of(l);
        double[] lam = eig.values();
        double top = 0;
        for (double v : lam) {
            top = Math.max(top, v);
        }
        int positive = 0;
        for (int i = 0; i < n; i++) {
            lam[i] = Math.max(lam[i], 0) / (top > 0 ? top : 1); // scaling leaves the distribution unchanged
            positive += lam[i] > 1e-14 ? 1 : 0;
        }
        if (k > positive) {
            throw new Kernels4jException("a " + k + "-DPP needs " + k + " linearly independent rows; the kernel"
                    + " matrix of the candidates has rank about " + positive);
        }
        // e[l][j] = elementary symmetric polynomial of order l of lam[0..j), stored divided by a per-order
        // scale c_l with c_l/c_{l−1} = rho[l] chosen so that e[l][n] = 1: without it e_k under- or
        // overflows for k in the hundreds. The sampling ratios λ_j·e_{l−1}(j−1)/e_l(j) only need rho.
        double[][] e = new double[k + 1][n + 1];
        double[] rho = new double[k + 1];
        for (int j = 0; j <= n; j++) {
            e[0][j] = 1;
        }
        for (int lv = 1; lv <= k; lv++) {
            for (int j = 1; j <= n; j++) {
                e[lv][j] = e[lv][j - 1] + lam[j - 1] * e[lv - 1][j - 1];
            }
            rho[lv] = e[lv][n];
            if (!(rho[lv] > 0) || !Double.isFinite(rho[lv])) {
                throw new Kernels4jException("k-DPP with k = " + k + " is numerically out of reach for this kernel"
                        + " matrix; use fewer landmarks or the leverage sampler");
            }
            for (int j = 0; j <= n; j++) {
                e[lv][j] /= rho[lv];
            }
        }
        int[] pick = new int[k];
        int rem = k;
        for (int j = n; j >= 1 && rem > 0; j--) {
            double pr = lam[j - 1] * e[rem - 1][j - 1] / (e[rem][j] * rho[rem]);
            if (r.nextDouble() < pr) {
                pick[--rem] = j - 1;
            }
        }
        Matrix vectors = eig.vectors();
        double[][] v = new double[k][n]; // selected eigenvectors as rows
        for (int a = 0; a < k; a++) {
            for (int i = 0; i < n; i++) {
                v[a][i] = vectors.get(i, pick[a]);
            }
        }
        int[] out = new int[k];
        int dim = k;
        for (int step = 0; step < k; step++) {
            double total = 0;
            double[] prob = new double[n];
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < dim; a++) {
                    prob[i] += v[a][i] * v[a][i];
                }
                total += prob[i];
            }
            double u = r.nextDouble() * total;
            int chosen = n - 1;
            for (int i = 0; i < n; i++) {
                u -= prob[i];
                if (u < 0) {
                    chosen = i;
                    break;
                }
            }
            out[step] = chosen;
            // restrict the span to vectors vanishing at `chosen`, then re-orthonormalize
            int pivot = 0;
            for (int a = 1; a < dim; a++) {
                if (Math.abs(v[a][chosen]) > Math.abs(v[pivot][chosen])) {
                    pivot = a;
                }
            }
            double[] pv = v[pivot];
            v[pivot] = v[dim - 1];
            v[dim - 1] = pv;
            dim--;
            for (int a = 0; a < dim; a++) {
                double f = v[a][chosen] / pv[chosen];
                for (int i = 0; i < n; i++) {
                    v[a][i] -= f * pv[i];
                }
            }
            for (int a = 0; a < dim; a++) {
                for (int b = 0; b < a; b++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += v[a][i] * v[b][i];
                    }
                    for (int i = 0; i < n; i++) {
                        v[a][i] -= dot * v[b][i];
                    }
                }
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    norm += v[a][i] * v[a][i];
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < n; i++) {
                    v[a][i] /= norm;
                }
            }
        }
        Arrays.sort(out);
        return out;
    }
}
