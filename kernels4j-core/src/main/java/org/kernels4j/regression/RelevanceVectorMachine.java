package org.kernels4j.regression;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;

/**
 * The relevance vector machine (Tipping, JMLR 2001; kernlab's {@code rvm}): a sparse Bayesian linear model on the
 * kernel basis {@code φ(x) = (k(x_1, x), …, k(x_n, x))} (as kernlab, without a bias column), weights w with
 * independent priors {@code w_i ~ N(0, 1/α_i)} whose precisions α are chosen by type-II maximum likelihood. Most
 * α_i diverge; their basis functions are pruned (α_i above {@link Builder#pruneThreshold}, default 10⁹), and the
 * training rows that remain are the <i>relevance vectors</i>.
 *
 * <p><b>Regression</b> (one target column t, Gaussian noise of precision β): with Φ the n×m active columns of K
 * and A = diag(α), the posterior of w is N(μ, Σ), {@code Σ = (βΦᵀΦ + A)⁻¹}, {@code μ = βΣΦᵀt}. MacKay's fixed-point
 * updates (Tipping 2001, eqs. 16–18) are iterated:
 * {@code γ_i = 1 − α_iΣ_ii}, {@code α_i ← γ_i/μ_i²}, {@code 1/β ← ‖t − Φμ‖²/(n − Σ_iγ_i)}, until
 * {@code max_i |Δ log α_i|} falls below the tolerance (default 10⁻³, kernlab's {@code minmaxdiff}) or after
 * {@link Builder#maxIterations} (default 100, kernlab's). Starting values as kernlab: α_i = 5 and noise variance
 * 0.1 (relative to var(t) here, so the start does not depend on the target's units). Prediction: mean
 * {@code φ_m(x)ᵀμ} and variance {@code 1/β + φ_m(x)ᵀΣφ_m(x)}.
 *
 * <p><b>Classification</b> (Tipping 2001, §3; Laplace's approximation): t ∈ {0, 1},
 * {@code p(t = 1 | w) = σ(φᵀw)}. For the current α the mode μ of the posterior is found by Newton's method
 * (IRLS) on {@code Σ_i [t_i·f_i − log(1 + e^{f_i})] − ½wᵀAw}; Σ is the inverse Hessian {@code (ΦᵀBΦ + A)⁻¹} there,
 * B = diag(σ_i(1 − σ_i)), and α is updated by the same γ_i/μ_i² rule. More than two classes are fitted one-vs-rest
 * (class c against all others); the probabilities σ(φᵀμ_c) are then normalised to sum to 1, and the prediction is
 * the most probable class.
 *
 * <p>Cost: the Gram matrix (n²d) and, for regression, K² once (n³ flops); each iteration one Cholesky of the
 * active m×m Hessian (m³/3) and O(nm) (regression) or O(nm²) per Newton step (classification), m falling from n
 * to the number of relevance vectors. Memory: two n×n matrices.
 */
public final class RelevanceVectorMachine implements Estimator<org.kernels4j.model.Model> {
    private final Kernel kernel;
    private final boolean classification;
    private final int maxIterations;
    private final double tolerance;
    private final double pruneThreshold;
    private final double initialAlpha;
    private final double initialNoise;

    private RelevanceVectorMachine(Builder b) {
        this.kernel = b.kernel;
        this.classification = b.classification;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.pruneThreshold = b.pruneThreshold;
        this.initialAlpha = b.initialAlpha;
        this.initialNoise = b.initialNoise;
    }

    /** An RVM regression (one target column). */
    public static Builder regression(Kernel kernel) {
        return new Builder(kernel, false);
    }

    /** An RVM classifier (one column of class labels, at least two classes). */
    public static Builder classifier(Kernel kernel) {
        return new Builder(kernel, true);
    }

    /** Options for {@link RelevanceVectorMachine}; validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private final boolean classification;
        private int maxIterations = 100;
        private double tolerance = 1e-3;
        private double pruneThreshold = 1e9;
        private double initialAlpha = 5;
        private double initialNoise = 0.1;

        private Builder(Kernel kernel, boolean classification) {
            if (kernel == null) {
                throw new Kernels4jException("a relevance vector machine needs a kernel");
            }
            this.kernel = kernel;
            this.classification = classification;
        }

        /** The most α updates, ≥ 1 (default 100, as kernlab). */
        public Builder maxIterations(int value) {
            this.maxIterations = value;
            return this;
        }

        /** Stop when the largest change of log α_i is below this, &gt; 0 (default 10⁻³). */
        public Builder tolerance(double value) {
            this.tolerance = value;
            return this;
        }

        /** α_i above this prunes basis function i, &gt; 0 (default 10⁹). */
        public Builder pruneThreshold(double value) {
            this.pruneThreshold = value;
            return this;
        }

        /** The starting precision of every weight, &gt; 0 (default 5, kernlab's). */
        public Builder initialAlpha(double value) {
            this.initialAlpha = value;
            return this;
        }

        /** Regression: the starting noise variance as a fraction of var(t), &gt; 0 (default 0.1). */
        public Builder initialNoise(double value) {
            this.initialNoise = value;
            return this;
        }

        /** @throws Kernels4jException naming the first option out of range */
        public RelevanceVectorMachine build() {
            if (maxIterations < 1) {
                throw new Kernels4jException("relevance vector machine: max iterations must be >= 1, got " + maxIterations);
            }
            check("tolerance", tolerance);
            check("prune threshold", pruneThreshold);
            check("initial alpha", initialAlpha);
            check("initial noise", initialNoise);
            return new RelevanceVectorMachine(this);
        }

        private static void check(String name, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new Kernels4jException("relevance vector machine: " + name + " must be a positive finite number, got "
                        + v);
            }
        }
    }

    /** One sparse Bayesian problem's result: active rows, their α, posterior mean and covariance. */
    record Solution(int[] active, double[] alpha, double[] mean, Matrix covariance, double noiseVariance,
            int iterations, boolean converged) {
    }

    /**
     * Fits the model.
     *
     * @param x n×d inputs
     * @param y n×1 targets (regression) or class labels (classifier)
     */
    @Override
    public org.kernels4j.model.Model fit(Matrix x, Matrix y) {
        return classification ? fitClassifier(x, y) : fitRegression(x, y);
    }

    /**
     * Fits a regression RVM.
     *
     * @throws Kernels4jException when this was built as a classifier
     */
    public RelevanceVectorModel fitRegression(Matrix x, Matrix y) {
        if (classification) {
            throw new Kernels4jException("this relevance vector machine was built as a classifier; call fitClassifier");
        }
        TrainingData.require(x, y);
        if (y.cols() != 1) {
            throw new Kernels4jException("relevance vector regression takes one target column, got " + y.cols());
        }
        Matrix k = GramEngine.gram(kernel, x);
        Solution s = regress(k, y.column(0));
        int[] rows = s.active;
        FitReport r = FitReport.builder().add("type", "regression").add("relevance_vectors", (long) rows.length)
                .add("iterations", (long) s.iterations).add("converged", s.converged)
                .add("noise_variance", s.noiseVariance).build();
        return new RelevanceVectorModel(kernel, x.selectRows(rows), rows, Matrix.column(s.mean), s.covariance,
                s.noiseVariance, r);
    }

    /**
     * Fits an RVM classifier (one-vs-rest for more than two classes).
     *
     * @throws Kernels4jException when this was built for regression
     */
    public RelevanceVectorClassifierModel fitClassifier(Matrix x, Matrix y) {
        if (!classification) {
            throw new Kernels4jException("this relevance vector machine was built for regression; call fitRegression");
        }
        int n = x.rows();
        double[] classes = TrainingData.requireLabels(x, y);
        if (classes.length < 2) {
            throw new Kernels4jException("relevance vector classification needs at least two classes, but every "
                    + "label is " + classes[0]);
        }
        Matrix k = GramEngine.gram(kernel, x);
        int problems = classes.length == 2 ? 1 : classes.length;
        List<Solution> solutions = new ArrayList<>();
        for (int p = 0; p < problems; p++) {
            double positive = classes[problems == 1 ? 1 : p];
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = y.get(i, 0) == positive ? 1 : 0;
            }
            solutions.add(classify(k, t));
        }
        return model(x, solutions, classes);
    }

    private RelevanceVectorClassifierModel model(Matrix x, List<Solution> solutions, double[] classes) {
        int n = x.rows();
        boolean[] used = new boolean[n];
        for (Solution s : solutions) {
            for (int i : s.active) {
                used[i] = true;
            }
        }
        int[] where = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            where[i] = used[i] ? m++ : -1;
        }
        int[] rows = new int[m];
        for (int i = 0; i < n; i++) {
            if (used[i]) {
                rows[where[i]] = i;
            }
        }
        Matrix weights = new Matrix(m, solutions.size());
        List<FitReport> parts = new ArrayList<>();
        int iterations = 0;
        boolean converged = true;
        for (int p = 0; p < solutions.size(); p++) {
            Solution s = solutions.get(p);
            for (int j = 0; j < s.active.length; j++) {
                weights.set(where[s.active[j]], p, s.mean[j]);
            }
            iterations += s.iterations;
            converged &= s.converged;
            parts.add(FitReport.builder().add("relevance_vectors", (long) s.active.length)
                    .add("iterations", (long) s.iterations).add("converged", s.converged).build());
        }
        FitReport.Builder r = FitReport.builder().add("type", "classification")
                .add("relevance_vectors", (long) m).add("iterations", (long) iterations).add("converged", converged);
        if (solutions.size() > 1) {
            r.add("problems", parts);
        }
        return new RelevanceVectorClassifierModel(kernel, x.selectRows(rows), rows, weights, classes, r.build());
    }

    /** MacKay's updates for regression on the Gram matrix k and targets t. */
    Solution regress(Matrix k, double[] t) {
        int n = t.length;
        Matrix k2 = new Matrix(n, n);
        Blas.syrk(1.0, k, 0.0, k2); // K·Kᵀ = ΦᵀΦ over all basis functions, restricted to the active ones below
        double[] kt = new double[n];
        Blas.gemv(false, 1.0, k, t, 0.0, kt);
        double mean = Arrays.stream(t).average().orElse(0);
        double var = Arrays.stream(t).map(v -> (v - mean) * (v - mean)).sum() / n;
        double beta = 1 / (initialNoise * (var > 0 ? var : 1));
        int[] active = range(n);
        double[] alpha = new double[n];
        Arrays.fill(alpha, initialAlpha);
        int it = 0;
        boolean converged = false;
        while (true) {
            int m = active.length;
            if (m == 0) {
                throw new Kernels4jException("relevance vector regression pruned every basis function; the target may be "
                        + "constant or the prune threshold too low");
            }
            Matrix h = new Matrix(m, m);
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    h.set(a, b, beta * k2.get(active[a], active[b]));
                }
                h.set(a, a, h.get(a, a) + alpha[a]);
            }
            Matrix sigma;
            try (Cholesky chol = Cholesky.factor(h, "the RVM posterior precision")) {
                sigma = chol.inverse();
            }
            double[] mu = new double[m];
            for (int a = 0; a < m; a++) {
                double s = 0;
                for (int b = 0; b < m; b++) {
                    s += sigma.get(a, b) * kt[active[b]];
                }
                mu[a] = beta * s;
            }
            if (converged || it >= maxIterations) {
                double noise = 1 / beta;
                return new Solution(active, alpha, mu, sigma, noise, it, converged);
            }
            it++;
            double gammaSum = 0;
            double change = 0;
            boolean[] keep = new boolean[m];
            int kept = 0;
            for (int a = 0; a < m; a++) {
                double gamma = 1 - alpha[a] * sigma.get(a, a);
                gammaSum += gamma;
                double next = gamma / (mu[a] * mu[a]);
                if (next > 0 && next < pruneThreshold) {
                    change = Math.max(change, Math.abs(Math.log(next / alpha[a])));
                    alpha[a] = next;
                    keep[a] = true;
                    kept++;
                } else {
                    change = Double.POSITIVE_INFINITY;
                }
            }
            double rss = 0;
            for (int i = 0; i < n; i++) {
                double f = 0;
                for (int a = 0; a < m; a++) {
                    f += k.get(i, active[a]) * mu[a];
                }
                rss += (t[i] - f) * (t[i] - f);
            }
            beta = Math.max(n - gammaSum, 1e-12) / Math.max(rss, 1e-300 * n);
            int[] nextActive = new int[kept];
            double[] nextAlpha = new double[kept];
            for (int a = 0, j = 0; a < m; a++) {
                if (keep[a]) {
                    nextActive[j] = active[a];
                    nextAlpha[j++] = alpha[a];
                }
            }
            active = nextActive;
            alpha = nextAlpha;
            converged = change < tolerance;
        }
    }

    /** Laplace-approximation updates for binary targets t ∈ {0, 1}. */
    Solution classify(Matrix k, double[] t) {
        int n = t.length;
        int[] active = range(n);
        double[] alpha = new double[n];
        Arrays.fill(alpha, initialAlpha);
        double[] w = new double[n];
        int it = 0;
        boolean converged = false;
        while (true) {
            int m = active.length;
            if (m == 0) {
                throw new Kernels4jException("relevance vector classification pruned every basis function");
            }
            Matrix phi = k.selectColumns(active);
            Matrix sigma;
            // Newton's method (IRLS) for the posterior mode, with step halving so the objective never falls
            for (int newton = 0; newton < 30; newton++) {
                double[] f = new double[n];
                Blas.gemv(false, 1.0, phi, w, 0.0, f);
                double[] r = new double[n];
                Matrix scaled = new Matrix(n, m);
                for (int i = 0; i < n; i++) {
                    double s = sigmoid(f[i]);
                    r[i] = t[i] - s;
                    double b = Math.sqrt(Math.max(s * (1 - s), 1e-300));
                    for (int a = 0; a < m; a++) {
                        scaled.set(i, a, phi.get(i, a) * b);
                    }
                }
                double[] g = new double[m];
                Blas.gemv(true, 1.0, phi, r, 0.0, g);
                double largest = 0;
                for (int a = 0; a < m; a++) {
                    g[a] -= alpha[a] * w[a];
                    largest = Math.max(largest, Math.abs(g[a]));
                }
                if (largest < 1e-10 * n) {
                    break; // the mode: the gradient vanishes to rounding level
                }
                Matrix h = new Matrix(m, m);
                Blas.gemm(true, false, 1.0, scaled, scaled, 0.0, h);
                for (int a = 0; a < m; a++) {
                    h.set(a, a, h.get(a, a) + alpha[a]);
                }
                double[] step;
                try (Cholesky chol = Cholesky.factor(h, "the RVM posterior precision")) {
                    step = chol.solve(g);
                }
                double before = objective(phi, w, alpha, t);
                double length = 1;
                double[] trial = new double[m];
                double after;
                do {
                    for (int a = 0; a < m; a++) {
                        trial[a] = w[a] + length * step[a];
                    }
                    after = objective(phi, trial, alpha, t);
                    length /= 2;
                } while (after < before && length > 1e-10);
                double moved = 0;
                for (int a = 0; a < m; a++) {
                    moved = Math.max(moved, Math.abs(trial[a] - w[a]));
                }
                if (after >= before) {
                    System.arraycopy(trial, 0, w, 0, m);
                }
                if (moved < 1e-9 || after - before < 1e-12 * Math.abs(before)) {
                    break;
                }
            }
            // Σ belongs to the Hessian at the mode: one more evaluation there
            sigma = classificationCovariance(phi, w, alpha);
            if (converged || it >= maxIterations) {
                return new Solution(active, alpha, Arrays.copyOf(w, m), sigma, 0, it, converged);
            }
            it++;
            double change = 0;
            boolean[] keep = new boolean[m];
            int kept = 0;
            for (int a = 0; a < m; a++) {
                double gamma = 1 - alpha[a] * sigma.get(a, a);
                double next = gamma / (w[a] * w[a]);
                if (next > 0 && next < pruneThreshold) {
                    change = Math.max(change, Math.abs(Math.log(next / alpha[a])));
                    alpha[a] = next;
                    keep[a] = true;
                    kept++;
                } else {
                    change = Double.POSITIVE_INFINITY;
                }
            }
            int[] nextActive = new int[kept];
            double[] nextAlpha = new double[kept];
            double[] nextW = new double[kept];
            for (int a = 0, j = 0; a < m; a++) {
                if (keep[a]) {
                    nextActive[j] = active[a];
                    nextW[j] = w[a];
                    nextAlpha[j++] = alpha[a];
                }
            }
            active = nextActive;
            alpha = nextAlpha;
            w = nextW;
            converged = change < tolerance;
        }
    }

    private static Matrix classificationCovariance(Matrix phi, double[] w, double[] alpha) {
        int n = phi.rows();
        int m = phi.cols();
        double[] f = new double[n];
        Blas.gemv(false, 1.0, phi, w, 0.0, f);
        Matrix scaled = new Matrix(n, m);
        for (int i = 0; i < n; i++) {
            double s = sigmoid(f[i]);
            double b = Math.sqrt(Math.max(s * (1 - s), 1e-300));
            for (int a = 0; a < m; a++) {
                scaled.set(i, a, phi.get(i, a) * b);
            }
        }
        Matrix h = new Matrix(m, m);
        Blas.gemm(true, false, 1.0, scaled, scaled, 0.0, h);
        for (int a = 0; a < m; a++) {
            h.set(a, a, h.get(a, a) + alpha[a]);
        }
        try (Cholesky chol = Cholesky.factor(h, "the RVM posterior precision")) {
            return chol.inverse();
        }
    }

    /** The log posterior Σ_i [t_i·f_i − log(1 + e^{f_i})] − ½·Σ α_a·w_a², up to a constant. */
    private static double objective(Matrix phi, double[] w, double[] alpha, double[] t) {
        double[] f = new double[phi.rows()];
        Blas.gemv(false, 1.0, phi, Arrays.copyOf(w, phi.cols()), 0.0, f);
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            // log(1 + e^f) computed without overflow
            s += t[i] * f[i] - (f[i] > 0 ? f[i] + Math.log1p(Math.exp(-f[i])) : Math.log1p(Math.exp(f[i])));
        }
        for (int a = 0; a < phi.cols(); a++) {
            s -= 0.5 * alpha[a] * w[a] * w[a];
        }
        return s;
    }

    static double sigmoid(double f) {
        return f >= 0 ? 1 / (1 + Math.exp(-f)) : Math.exp(f) / (1 + Math.exp(f));
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** The kernel. */
    public Kernel kernel() {
        return kernel;
    }

    @Override
    public String toString() {
        return "RelevanceVectorMachine(kernel=" + kernel.toSpec() + ", " + (classification ? "classification"
                : "regression") + ")";
    }
}
