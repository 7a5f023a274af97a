package org.kernels4j.spectral;

import java.util.Locale;
import org.kernels4j.Kernels4jException;

/**
 * A spectral regularisation of kernel regression: with the kernel matrix {@code K = Q·diag(μ)·Qᵀ} (n×n,
 * μ ≥ 0 its eigenvalues) the fit is {@code α = Q·diag(g(μ))·Qᵀy} and the fitted values are
 * {@code ŷ = Q·diag(h(μ))·Qᵀy} with the <em>profile</em> {@code h(μ) = μ·g(μ) ∈ [0, 1]}: how much of the
 * target's component along each eigenvector is learnt. Every filter has one parameter p (λ, a number of
 * iterations or a time) that trades fit against smoothness.
 *
 * <table>
 *   <caption>The filters (μ an eigenvalue of K, not of K/n; τ = 1/μ_max unless a step is given)</caption>
 *   <tr><th>filter</th><th>parameter</th><th>profile h(μ)</th></tr>
 *   <tr><td>{@link #tikhonov()}: kernel ridge</td><td>λ &gt; 0</td><td>μ/(μ+λ)</td></tr>
 *   <tr><td>{@link #iteratedTikhonov(int)} of order q: q ridge fits, each on the residual of the last</td>
 *       <td>λ &gt; 0</td><td>1 − (λ/(μ+λ))^q</td></tr>
 *   <tr><td>{@link #cutoff()}: truncated eigendecomposition (spectral cut-off)</td><td>λ &gt; 0</td>
 *       <td>𝟙[μ ≥ λ]</td></tr>
 *   <tr><td>{@link #landweber()}: gradient descent α ← α + η(y − Kα) from α = 0</td>
 *       <td>t ∈ {1, 2, …} steps</td><td>1 − (1 − ημ)^t</td></tr>
 *   <tr><td>{@link #gradientFlow()}: the same at infinitesimal steps, dα/dt = y − Kα (the NTK's
 *       training dynamics for the squared loss ½‖y − f‖², time t in units of 1/μ)</td><td>t &gt; 0</td>
 *       <td>1 − e^{−tμ}</td></tr>
 *   <tr><td>{@link #nuMethod(double)}: Brakhage's ν-method, gradient descent with momentum whose residual
 *       polynomials are Jacobi polynomials: t steps do what Landweber needs t² steps for</td>
 *       <td>t ∈ {1, 2, …}</td><td>1 − r_t(τμ), r_t the ν-method's residual polynomial</td></tr>
 *   <tr><td>{@link #selfDistillation(double, double)}: t rounds of ridge fits to a·y + (1 − a)·(the last
 *       fit)</td><td>t ∈ {0, 1, …}</td>
 *       <td>s·[a·(1 − b^t)/(1 − b) + b^t], s = μ/(μ+λ), b = (1 − a)·s</td></tr>
 * </table>
 *
 * <p>Larger λ means more regularisation; more steps or a longer time means less. Every g is evaluated in a
 * form that keeps full relative precision down to μ → 0 ({@code expm1}/{@code log1p}, or the recurrence of
 * the iteration itself), never as {@code (1 − …)/μ}, so tiny eigenvalues give finite, accurate coefficients.
 * Cost: O(n) per parameter value (O(n·t_max) for the whole ν-method path).
 *
 * <p>Immutable. References: Bauer, Pereverzev &amp; Rosasco (2007), "On regularization algorithms in learning
 * theory"; Lo Gerfo et al. (2008), "Spectral algorithms for supervised learning"; Engl, Hanke &amp; Neubauer
 * (1996), §6.3 (the ν-method); Borup &amp; Andersen (2021), "Even your teacher needs guidance" (self-distillation).
 */
public final class SpectralFilter {
    /** The family. */
    public enum Kind {
        /** Kernel ridge regression. */
        TIKHONOV,
        /** Iterated Tikhonov of a given order. */
        ITERATED_TIKHONOV,
        /** Spectral cut-off. */
        CUTOFF,
        /** Landweber iteration (gradient descent). */
        LANDWEBER,
        /** Gradient flow. */
        GRADIENT_FLOW,
        /** Brakhage's ν-method. */
        NU_METHOD,
        /** Self-distillation with a weight on the ground truth. */
        SELF_DISTILLATION
    }

    private final Kind kind;
    private final int order;
    private final double step;
    private final double nu;
    private final double lambda;
    private final double weight;

    private SpectralFilter(Kind kind, int order, double step, double nu, double lambda, double weight) {
        this.kind = kind;
        this.order = order;
        this.step = step;
        this.nu = nu;
        this.lambda = lambda;
        this.weight = weight;
    }

    /** Kernel ridge regression, h = μ/(μ+λ). */
    public static SpectralFilter tikhonov() {
        return new SpectralFilter(Kind.TIKHONOV, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * Iterated Tikhonov of order q ≥ 1: α_0 = 0, α_j = α_{j−1} + (K + λI)⁻¹(y − Kα_{j−1}); h = 1 − (λ/(μ+λ))^q.
     * Order 1 is kernel ridge; higher orders lift ridge's saturation (qualification q instead of 1).
     */
    public static SpectralFilter iteratedTikhonov(int order) {
        if (order < 1) {
            throw new Kernels4jException("iterated Tikhonov needs an order >= 1, got " + order);
        }
        return new SpectralFilter(Kind.ITERATED_TIKHONOV, order, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Spectral cut-off: keeps the eigen-directions with μ ≥ λ, exactly (h = 1), and drops the rest. */
    public static SpectralFilter cutoff() {
        return new SpectralFilter(Kind.CUTOFF, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Landweber iteration with the step η = 1/μ_max (the largest step that never overshoots). */
    public static SpectralFilter landweber() {
        return new SpectralFilter(Kind.LANDWEBER, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * Landweber iteration with a given step η; it converges when η·μ_max &lt; 2 (checked when it is applied).
     */
    public static SpectralFilter landweber(double step) {
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new Kernels4jException("the Landweber step must be positive and finite, got " + step);
        }
        return new SpectralFilter(Kind.LANDWEBER, 1, step, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Gradient flow dα/dt = y − Kα from α = 0 (the infinite-width network's training by gradient flow). */
    public static SpectralFilter gradientFlow() {
        return new SpectralFilter(Kind.GRADIENT_FLOW, 1, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * Brakhage's ν-method with ν &gt; 0 (ν = 1 is the usual choice; its qualification is ν), on the scaled
     * operator τK with τ = 1/μ_max: α_0 = 0, α_k = α_{k−1} + m_k(α_{k−1} − α_{k−2}) + ω_k·τ(y − Kα_{k−1}) with
     * m_1 = 0 and, for k ≥ 1,
     * {@code m_k = (k−1)(2k−3)(2k+2ν−1) / ((k+2ν−1)(2k+4ν−1)(2k+2ν−3))},
     * {@code ω_k = 4(2k+2ν−1)(k+ν−1) / ((k+2ν−1)(2k+4ν−1))}.
     */
    public static SpectralFilter nuMethod(double nu) {
        if (!(nu > 0) || Double.isInfinite(nu)) {
            throw new Kernels4jException("the nu-method needs nu > 0, got " + nu);
        }
        return new SpectralFilter(Kind.NU_METHOD, 1, Double.NaN, nu, Double.NaN, Double.NaN);
    }

    /**
     * Self-distillation of kernel ridge regression: f_0 = S·y and f_t = S·(a·y + (1 − a)·f_{t−1}) with
     * S = K(K + λI)⁻¹ (the fitted values of ridge) and a ∈ [0, 1] the weight on the ground-truth targets. The
     * parameter is the number of distillation rounds t ≥ 0 (t = 0 is ridge itself). As t → ∞ and a &gt; 0 it
     * tends to ridge with λ/a; with a = 0 it is S^{t+1}, ever stronger smoothing.
     */
    public static SpectralFilter selfDistillation(double lambda, double weight) {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new Kernels4jException("self-distillation needs a ridge lambda > 0, got " + lambda);
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new Kernels4jException("the weight on the ground truth must be in [0, 1], got " + weight);
        }
        return new SpectralFilter(Kind.SELF_DISTILLATION, 1, Double.NaN, Double.NaN, lambda, weight);
    }

    /** The family. */
    public Kind kind() {
        return kind;
    }

    /** Name of the parameter p: "lambda", "iterations", "time" or "rounds". */
    public String parameterName() {
        switch (kind) {
            case LANDWEBER:
            case NU_METHOD:
                return "iterations";
            case GRADIENT_FLOW:
                return "time";
            case SELF_DISTILLATION:
                return "rounds";
            default:
                return "lambda";
        }
    }

    /** Whether the parameter counts steps (and must be a whole number). */
    public boolean integerParameter() {
        return kind == Kind.LANDWEBER || kind == Kind.NU_METHOD || kind == Kind.SELF_DISTILLATION;
    }

    /**
     * Whether the exact leave-one-out residual e_i = (y_i − ŷ_i)/(1 − H_ii) holds. It does for ridge only: the
     * fit without row i equals the fit with y_i replaced by its own prediction, a property of penalised least
     * squares that iterations and cut-offs do not have. Select the others by GCV.
     */
    public boolean hasExactLeaveOneOut() {
        return kind == Kind.TIKHONOV;
    }

    /** The filter as text, e.g. {@code landweber(step=0.01)} or {@code iterated(order=3)}. */
    public String toSpec() {
        switch (kind) {
            case TIKHONOV:
                return "tikhonov";
            case ITERATED_TIKHONOV:
                return "iterated(order=" + order + ")";
            case CUTOFF:
                return "cutoff";
            case LANDWEBER:
                return Double.isNaN(step) ? "landweber" : "landweber(step=" + num(step) + ")";
            case GRADIENT_FLOW:
                return "flow";
            case NU_METHOD:
                return "nu-method(nu=" + num(nu) + ")";
            default:
                return "self-distillation(lambda=" + num(lambda) + ", weight=" + num(weight) + ")";
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
    }

    @Override
    public String toString() {
        return toSpec();
    }

    /** Checks one parameter value: positive and finite, a whole number ≥ 1 for iterations (≥ 0 for rounds). */
    public void checkParameter(double p) {
        String name = parameterName();
        if (kind == Kind.SELF_DISTILLATION) {
            if (!(p >= 0) || p != Math.rint(p) || p > 1e9) {
                throw new Kernels4jException("self-distillation rounds must be a whole number >= 0, got " + num(p));
            }
            return;
        }
        if (!(p > 0) || Double.isInfinite(p)) {
            throw new Kernels4jException(toSpec() + ": the " + name + " must be positive and finite, got " + num(p));
        }
        if (integerParameter() && (p != Math.rint(p) || p > 1e9)) {
            throw new Kernels4jException(toSpec() + ": the number of iterations must be a whole number "
                    + "between 1 and 1e9, got " + num(p));
        }
    }

    /**
     * The coefficients g(μ_j; p_l) for every eigenvalue and parameter value: {@code α = Q·diag(g[l])·Qᵀy}.
     * Eigenvalues below 0 (rounding) are treated as 0.
     *
     * @param eigenvalues μ_j of K, any order
     * @param parameters the parameter values p_l (each checked by {@link #checkParameter})
     * @return g[l][j]
     * @throws Kernels4jException for a bad parameter, or a Landweber step with η·μ_max ≥ 2 (divergent)
     */
    public double[][] coefficients(double[] eigenvalues, double[] parameters) {
        for (double p : parameters) {
            checkParameter(p);
        }
        int r = eigenvalues.length;
        double[] mu = new double[r];
        double top = 0;
        for (int j = 0; j < r; j++) {
            if (Double.isNaN(eigenvalues[j])) {
                throw new Kernels4jException("an eigenvalue is NaN");
            }
            mu[j] = Math.max(eigenvalues[j], 0.0);
            top = Math.max(top, mu[j]);
        }
        double[][] g = new double[parameters.length][r];
        if (kind == Kind.NU_METHOD) {
            nuMethodPath(mu, top, parameters, g);
            return g;
        }
        double eta = kind == Kind.LANDWEBER ? landweberStep(top) : Double.NaN;
        for (int l = 0; l < parameters.length; l++) {
            double p = parameters[l];
            for (int j = 0; j < r; j++) {
                g[l][j] = coefficient(mu[j], p, eta);
            }
        }
        return g;
    }

    /** The profiles h(μ_j; p_l) = μ_j·g(μ_j; p_l): the share of each eigen-direction that is fitted. */
    public double[][] profiles(double[] eigenvalues, double[] parameters) {
        double[][] g = coefficients(eigenvalues, parameters);
        for (double[] row : g) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= Math.max(eigenvalues[j], 0.0);
            }
        }
        return g;
    }

    /**
     * The residual factors r(μ_j; p_l) = 1 − h(μ_j; p_l), evaluated directly (λ/(μ+λ), (1 − ημ)^t, e^{−tμ}, the
     * ν-method's residual polynomial…) so that they keep full relative precision where the fit nearly
     * interpolates (h → 1), which {@code 1 − profile} would lose: the residual norm Σ r²z² and tr(I − H) = Σ r of
     * GCV are then accurate there. For the ν-method r may be negative (its residual polynomials oscillate within
     * [−1, 1]), so h may exceed 1.
     *
     * @return r[l][j]
     */
    public double[][] residuals(double[] eigenvalues, double[] parameters) {
        for (double p : parameters) {
            checkParameter(p);
        }
        int n = eigenvalues.length;
        double[] mu = new double[n];
        double top = 0;
        for (int j = 0; j < n; j++) {
            mu[j] = Math.max(eigenvalues[j], 0.0);
            top = Math.max(top, mu[j]);
        }
        double[][] r = new double[parameters.length][n];
        if (kind == Kind.NU_METHOD) {
            nuMethodResiduals(mu, top, parameters, r);
            return r;
        }
        double eta = kind == Kind.LANDWEBER ? landweberStep(top) : Double.NaN;
        for (int l = 0; l < parameters.length; l++) {
            double p = parameters[l];
            for (int j = 0; j < n; j++) {
                r[l][j] = residual(mu[j], p, eta);
            }
        }
        return r;
    }

    private double residual(double mu, double p, double eta) {
        switch (kind) {
            case TIKHONOV:
                return p / (mu + p);
            case ITERATED_TIKHONOV:
                return Math.exp(-order * Math.log1p(mu / p));
            case CUTOFF:
                return mu >= p ? 0 : 1; // p > 0, so a kept μ is positive
            case LANDWEBER: {
                double x = eta * mu;
                return x < 0.5 ? Math.exp(p * Math.log1p(-x)) : Math.pow(1 - x, p);
            }
            case GRADIENT_FLOW:
                return Math.exp(-p * mu);
            default: {
                // r_0 = c and r_t = c + b·r_{t−1}: c·[(1 − b^t)/(1 − b) + b^t] with c = λ/(μ+λ), b = (1 − a)·μ/(μ+λ)
                double c = lambda / (mu + lambda);
                double b = (1 - weight) * mu / (mu + lambda);
                double bt = Math.pow(b, p);
                double sum = 1 - b < 1e-12 ? p : (1 - bt) / (1 - b);
                return c * (sum + bt);
            }
        }
    }

    /** r_k = r_{k−1} + m_k(r_{k−1} − r_{k−2}) − ω_k·τμ·r_{k−1} from r_0 = r_{−1} = 1, recorded at each requested step. */
    private void nuMethodResiduals(double[] mu, double top, double[] parameters, double[][] r) {
        int n = mu.length;
        double tau = top > 0 ? 1 / top : 1.0;
        int last = 0;
        for (double p : parameters) {
            last = Math.max(last, (int) p);
        }
        double[] prev = new double[n]; // r_{−1}: read only through m_1 = 0, so its values do not matter
        double[] cur = new double[n];
        java.util.Arrays.fill(cur, 1);
        for (int k = 1; k <= last; k++) {
            double m = nuMomentum(k);
            double w = nuWeight(k);
            double[] next = prev;
            for (int j = 0; j < n; j++) {
                next[j] = cur[j] + m * (cur[j] - prev[j]) - w * tau * mu[j] * cur[j];
            }
            prev = cur;
            cur = next;
            for (int l = 0; l < parameters.length; l++) {
                if ((int) parameters[l] == k) {
                    System.arraycopy(cur, 0, r[l], 0, n);
                }
            }
        }
    }

    private double landweberStep(double top) {
        if (Double.isNaN(step)) {
            return top > 0 ? 1 / top : 1.0;
        }
        if (step * top >= 2) {
            throw new Kernels4jException("Landweber iteration diverges: step * largest eigenvalue = " + num(step * top)
                    + " >= 2; take a step below " + num(2 / top) + " (or leave the step out for 1/largest eigenvalue)");
        }
        return step;
    }

    private double coefficient(double mu, double p, double eta) {
        switch (kind) {
            case TIKHONOV:
                return 1 / (mu + p);
            case ITERATED_TIKHONOV:
                // h = 1 − (λ/(μ+λ))^q = −expm1(−q·log1p(μ/λ)), exact in relative terms as μ/λ → 0
                return mu == 0 ? order / p : -Math.expm1(-order * Math.log1p(mu / p)) / mu;
            case CUTOFF:
                return mu >= p ? 1 / mu : 0; // p > 0, so a kept μ is positive
            case LANDWEBER: {
                double x = eta * mu;
                if (x == 0) {
                    return p * eta;
                }
                // (1 − x)^t: through log1p while 1 − x is positive and the cancellation in 1 − (1 − x)^t matters
                double h = x < 0.5 ? -Math.expm1(p * Math.log1p(-x)) : 1 - Math.pow(1 - x, p);
                return h / mu;
            }
            case GRADIENT_FLOW:
                return mu == 0 ? p : -Math.expm1(-p * mu) / mu;
            default: {
                double s = mu / (mu + lambda);
                double b = (1 - weight) * s;
                double bt = Math.pow(b, p);
                // Σ_{j<t} b^j; b < 1 always (s < 1 as λ > 0)
                double sum = 1 - b < 1e-12 ? p : (1 - bt) / (1 - b);
                return (weight * sum + bt) / (mu + lambda);
            }
        }
    }

    /** The ν-method's momentum m_k (m_1 = 0, which is also the value of the formula's 0/0 at ν = 1/2). */
    private double nuMomentum(int k) {
        return k == 1 ? 0 : (k - 1.0) * (2 * k - 3.0) * (2 * k + 2 * nu - 1)
                / ((k + 2 * nu - 1) * (2 * k + 4 * nu - 1) * (2 * k + 2 * nu - 3));
    }

    /** The ν-method's step weight ω_k. */
    private double nuWeight(int k) {
        return 4 * (2 * k + 2 * nu - 1) * (k + nu - 1) / ((k + 2 * nu - 1) * (2 * k + 4 * nu - 1));
    }

    /** Runs the ν-method's scalar recurrence for every eigenvalue once, recording g at each requested step. */
    private void nuMethodPath(double[] mu, double top, double[] parameters, double[][] g) {
        int r = mu.length;
        double tau = top > 0 ? 1 / top : 1.0;
        int last = 0;
        for (double p : parameters) {
            last = Math.max(last, (int) p);
        }
        double[] prev = new double[r]; // g_{k−2}
        double[] cur = new double[r]; // g_{k−1}
        for (int k = 1; k <= last; k++) {
            double m = nuMomentum(k);
            double w = nuWeight(k);
            double[] next = prev; // reuse g_{k−2}'s array
            for (int j = 0; j < r; j++) {
                next[j] = cur[j] + m * (cur[j] - prev[j]) + w * tau * (1 - mu[j] * cur[j]);
            }
            prev = cur;
            cur = next;
            for (int l = 0; l < parameters.length; l++) {
                if ((int) parameters[l] == k) {
                    System.arraycopy(cur, 0, g[l], 0, r);
                }
            }
        }
    }
}
