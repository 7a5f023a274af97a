package org.kernels4j.gp;

import org.apache.commons.numbers.gamma.Digamma;
import org.apache.commons.numbers.gamma.LogGamma;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NotPositiveDefiniteException;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;

/**
 * Student-t process regression (Shah, Wilson &amp; Ghahramani, AISTATS 2014): each output column
 * y ∈ ℝⁿ is one draw of a multivariate Student-t with ν degrees of freedom, mean 0 and shape
 * matrix c·A, where A = K(X, X) + σ²I (σ² = {@code noise}, fixed; noise can also live in the
 * kernel as {@code + white(noise=…)}). With β = yᵀA⁻¹y and α = A⁻¹y:
 * <pre>
 *   log p(y) = lnΓ((ν+n)/2) − lnΓ(ν/2) − (n/2)·ln(νcπ) − ½·ln|A| − ((ν+n)/2)·ln(1 + β/(νc))
 *   y* | y  ~ t_{ν+n}( K*ᵀα,  (νc + β)/(ν+n) · (K** − K*ᵀA⁻¹K*) )     (location, shape)
 *   Cov[y* | y] = (νc + β)/(ν+n−2) · (K** − K*ᵀA⁻¹K*)                   (ν + n &gt; 2)
 * </pre>
 * The predictive mean is the Gaussian process mean; only the spread changes, and it grows with
 * the data's misfit β: heavy tails that adapt to the observed scale.
 *
 * <p>One implementation, two views of c:
 * <ul>
 *   <li>{@link Builder#degreesOfFreedom} (Shah et al.): ν &gt; 2 and c = (ν−2)/ν, so that K is the
 *       prior <em>covariance</em>; then log p(y) = lnΓ((ν+n)/2) − lnΓ(ν/2) − (n/2)·ln((ν−2)π) − ½·ln|A|
 *       − ((ν+n)/2)·ln(1 + β/(ν−2)), and as ν → ∞ the process is the Gaussian process with kernel k
 *       (log-likelihood and predictive). ν can be learned ({@link Builder#learnDegreesOfFreedom}).</li>
 *   <li>{@link Builder#inverseGammaPrior} (the scale mixture of NNGPs, Lee, Yun, Yang &amp; Lee, ICLR
 *       2022): the last-layer variance of an infinitely wide network, a factor v on the kernel,
 *       has the prior v ~ InvGamma(a, b); integrating it out gives ν = 2a and c = b/a. With an
 *       {@code nngp(...)} kernel this is their Student-t regression posterior (d₁ = ν + β/c); any
 *       kernel works the same way.</li>
 * </ul>
 * Multiple output columns are independent processes sharing the kernel (each has its own β).
 *
 * <p>Hyperparameters: {@link #evidence} returns log p(y) and its gradient with respect to log θ
 * for every kernel hyperparameter,
 * <pre>
 *   ∂ log p / ∂ log θ_j = ½·tr((w·ααᵀ − A⁻¹)·∂A/∂log θ_j),   w = (ν+n)/(νc + β)
 * </pre>
 * (one Cholesky, A⁻¹ and one tile-wise pass of {@link GramEngine#gradientContractions}), and, in
 * the covariance view, with respect to u = ln(ν − 2):
 * <pre>
 *   ∂ log p/∂u = (ν−2)·[ ½ψ((ν+n)/2) − ½ψ(ν/2) − n/(2(ν−2)) − ½·ln(1 + β/(ν−2)) + (ν+n)β/(2(ν−2)(ν−2+β)) ]
 * </pre>
 * (ψ the digamma function). {@link Builder#optimize} maximizes it with {@link HyperparameterSearch}
 * (u as an unbounded extra variable when ν is learned). Cost as for {@link GaussianProcess}: fit
 * O(n³/3), memory O(n²), predictions O(m·n) mean and O(m·n²) variances.
 *
 * <pre>{@code
 * StudentTProcessModel m = StudentTProcess.builder(kernel).noise(1e-2).degreesOfFreedom(5).build().fit(x, y);
 * Matrix mean = m.predict(xTest);
 * Matrix scale = m.predictiveScale(xTest);     // the t's squared scale; dof m.degreesOfFreedom()
 * }</pre>
 */
public final class StudentTProcess implements Estimator<StudentTProcessModel> {
    private final Kernel kernel;
    private final double noise;
    private final boolean normalizeTargets;
    private final double nu;
    private final double priorShape; // the inverse-gamma a (NaN in the covariance view)
    private final double priorScale; // the inverse-gamma b (NaN in the covariance view)
    private final boolean learnNu;
    private final HyperparameterSearch search;

    private StudentTProcess(Kernel kernel, double noise, boolean normalizeTargets, double nu, double priorShape,
            double priorScale, boolean learnNu, HyperparameterSearch search) {
        this.kernel = kernel;
        this.noise = noise;
        this.normalizeTargets = normalizeTargets;
        this.nu = nu;
        this.priorShape = priorShape;
        this.priorScale = priorScale;
        this.learnNu = learnNu;
        this.search = search;
    }

    /** Starts a builder; defaults: covariance view with ν = 5, noise σ² = 1e-10, no normalization, no search. */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private double noise = 1e-10;
        private boolean normalizeTargets;
        private double nu = 5;
        private double a = Double.NaN;
        private double b = Double.NaN;
        private boolean learnNu;
        private HyperparameterSearch search;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("a Student-t process needs a kernel");
            }
            this.kernel = kernel;
        }

        /** The fixed observation noise variance σ² ≥ 0 added to the diagonal of K. */
        public Builder noise(double value) {
            this.noise = value;
            return this;
        }

        /** Centre and scale each output to unit variance before fitting (as {@link GaussianProcess}). */
        public Builder normalizeTargets(boolean on) {
            this.normalizeTargets = on;
            return this;
        }

        /** Covariance view: ν &gt; 2 degrees of freedom, K the prior covariance (replaces an inverse-gamma prior). */
        public Builder degreesOfFreedom(double value) {
            this.nu = value;
            this.a = Double.NaN;
            this.b = Double.NaN;
            return this;
        }

        /**
         * Scale-mixture view: the kernel's variance factor v ~ InvGamma(a, b) (density ∝ v^{−a−1}e^{−b/v}),
         * a, b &gt; 0; then ν = 2a and the shape matrix is (b/a)·A (replaces {@link #degreesOfFreedom}).
         */
        public Builder inverseGammaPrior(double shape, double scale) {
            this.a = shape;
            this.b = scale;
            return this;
        }

        /** Covariance view only: learn ν (as ln(ν − 2)) together with the kernel's hyperparameters; needs {@link #optimize}. */
        public Builder learnDegreesOfFreedom(boolean on) {
            this.learnNu = on;
            return this;
        }

        /** Learn the kernel's hyperparameters (and ν when asked) by maximizing the log-likelihood before fitting. */
        public Builder optimize(HyperparameterSearch value) {
            this.search = value;
            return this;
        }

        /** @throws Kernels4jException for an invalid noise, ν, prior, or ν learning without a search or prior */
        public StudentTProcess build() {
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new Kernels4jException("the noise variance must be >= 0 and finite, got " + noise);
            }
            boolean mixture = !Double.isNaN(a) || !Double.isNaN(b);
            if (mixture) {
                if (!(a > 0) || !(b > 0) || Double.isInfinite(a) || Double.isInfinite(b)) {
                    throw new Kernels4jException("the inverse-gamma prior needs shape a > 0 and scale b > 0, finite, got a = "
                            + a + ", b = " + b);
                }
                if (learnNu) {
                    throw new Kernels4jException("the degrees of freedom are learned only in the covariance view "
                            + "(degreesOfFreedom); with an inverse-gamma prior, nu = 2a is fixed by the prior");
                }
                return new StudentTProcess(kernel, noise, normalizeTargets, 2 * a, a, b, false, search);
            }
            if (!(nu > 2) || Double.isInfinite(nu)) {
                throw new Kernels4jException("a Student-t process with covariance K needs degrees of freedom nu > 2 and "
                        + "finite, got " + nu + " (use the inverse-gamma prior for nu <= 2)");
            }
            if (learnNu && search == null) {
                throw new Kernels4jException("learning the degrees of freedom needs a hyperparameter search (optimize)");
            }
            return new StudentTProcess(kernel, noise, normalizeTargets, nu, Double.NaN, Double.NaN, learnNu, search);
        }
    }

    /** The same process with another kernel and degrees of freedom (keeps the view; no search). */
    StudentTProcess with(Kernel other, double newNu) {
        return new StudentTProcess(other, noise, normalizeTargets, newNu, priorShape, priorScale, false, null);
    }

    /** The prior kernel. */
    public Kernel kernel() {
        return kernel;
    }

    /** The fixed noise variance σ². */
    public double noise() {
        return noise;
    }

    /** The prior degrees of freedom ν. */
    public double degreesOfFreedom() {
        return nu;
    }

    /** c, the factor on A in the shape matrix: (ν−2)/ν in the covariance view, b/a with an inverse-gamma prior. */
    public double shapeScale() {
        return shapeScale(nu);
    }

    private boolean covarianceView() {
        return Double.isNaN(priorShape);
    }

    private double shapeScale(double dof) {
        return covarianceView() ? (dof - 2) / dof : priorScale / priorShape;
    }

    /** Fits: learns the hyperparameters first when a search was set, then conditions on (x, y) (y is n × k). */
    @Override
    public StudentTProcessModel fit(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        if (search != null) {
            HyperparameterSearch.Result learned = optimize(x, y, search);
            double newNu = learnNu ? 2 + Math.exp(learned.extra()[0]) : nu;
            return with(learned.kernel(), newNu).fit(x, y).withSearch(learned);
        }
        GaussianProcessModel gp = GaussianProcess.builder(kernel).noise(noise).normalizeTargets(normalizeTargets).build()
                .fit(x, y);
        Matrix yn = GaussianProcess.normalize(y, normalizeTargets).values();
        double[] quad = quadraticForms(yn, gp.alpha());
        double c = shapeScale();
        double lml = 0;
        double logDet = 2 * sumLogDiagonal(gp.choleskyFactor());
        for (double beta : quad) {
            lml += logLikelihood(nu, c, x.rows(), logDet, beta);
        }
        FitReport report = FitReport.builder().add("log_marginal_likelihood", lml).add("degrees_of_freedom", nu)
                .add("shape_scale", c).add("noise", noise).add("jitter", gp.jitter()).build();
        return new StudentTProcessModel(gp, nu, c, quad, lml, report, null, priorShape, priorScale);
    }

    /** β_o = y_oᵀα_o per output. */
    static double[] quadraticForms(Matrix y, Matrix alpha) {
        double[] q = new double[y.cols()];
        for (int i = 0; i < y.rows(); i++) {
            for (int o = 0; o < q.length; o++) {
                q[o] += y.get(i, o) * alpha.get(i, o);
            }
        }
        return q;
    }

    private static double sumLogDiagonal(Matrix lower) {
        double s = 0;
        for (int i = 0; i < lower.rows(); i++) {
            s += Math.log(lower.get(i, i));
        }
        return s;
    }

    /** One output's log-likelihood given ln|A| and β (the class formula). */
    static double logLikelihood(double nu, double c, int n, double logDet, double beta) {
        return LogGamma.value((nu + n) / 2) - LogGamma.value(nu / 2) - 0.5 * n * Math.log(nu * c * Math.PI)
                - 0.5 * logDet - 0.5 * (nu + n) * Math.log1p(beta / (nu * c));
    }

    /**
     * log p(y | X, θ, ν) summed over outputs (of the normalized targets when normalizing), its
     * gradient with respect to log θ in {@link Kernel#hyperparameters()} order and, in the
     * covariance view, {@code extraGradient} = [∂/∂ln(ν − 2)] (empty with an inverse-gamma prior).
     *
     * @throws NotPositiveDefiniteException when K + σ²I is not numerically positive definite
     */
    public HyperparameterSearch.Evidence evidence(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        Matrix yn = GaussianProcess.normalize(y, normalizeTargets).values();
        int n = x.rows();
        int k = yn.cols();
        double c = shapeScale();
        double value = 0;
        double dNu = 0;
        Matrix w;
        try (Cholesky chol = GaussianProcess.builder(kernel).noise(noise).build().factor(x, false)) {
            Matrix alpha = chol.solve(yn);
            double logDet = chol.logDeterminant();
            double[] quad = quadraticForms(yn, alpha);
            double[] weight = new double[k];
            for (int o = 0; o < k; o++) {
                value += logLikelihood(nu, c, n, logDet, quad[o]);
                weight[o] = (nu + n) / (nu * c + quad[o]);
                if (covarianceView()) {
                    double m = nu - 2;
                    double b = quad[o];
                    dNu += m * (0.5 * Digamma.value((nu + n) / 2) - 0.5 * Digamma.value(nu / 2) - n / (2 * m)
                            - 0.5 * Math.log1p(b / m) + (nu + n) * b / (2 * m * (m + b)));
                }
            }
            w = chol.inverse();
            double[] wd = w.data();
            double[] ad = alpha.data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = -k * wd[i * n + j];
                    for (int o = 0; o < k; o++) {
                        s += weight[o] * ad[i * k + o] * ad[j * k + o];
                    }
                    wd[i * n + j] = s;
                }
            }
        }
        double[] gradient = GramEngine.gradientContractions(kernel, x, w);
        for (int p = 0; p < gradient.length; p++) {
            gradient[p] *= 0.5;
        }
        return new HyperparameterSearch.Evidence(value, gradient, covarianceView() ? new double[] {dNu} : new double[0]);
    }

    /**
     * Maximizes {@link #evidence} over the kernel's free hyperparameters and, when learning ν,
     * u = ln(ν − 2) (starting from the builder's ν; the result's {@code extra()[0]} is the learned u).
     */
    public HyperparameterSearch.Result optimize(Matrix x, Matrix y, HyperparameterSearch search) {
        TrainingData.require(x, y);
        if (!learnNu) {
            return search.maximize(kernel, k -> with(k, nu).evidence(x, y));
        }
        return search.maximize(kernel, new double[] {Math.log(nu - 2)}, (k, u) -> {
            double dof = 2 + Math.exp(u[0]);
            if (!(dof > 2) || Double.isInfinite(dof)) {
                throw new NotPositiveDefiniteException("nu = 2 + exp(" + u[0] + ") is out of range");
            }
            return with(k, dof).evidence(x, y);
        });
    }
}
