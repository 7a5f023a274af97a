package org.kernels4j.bo;

import java.util.Arrays;
import java.util.Locale;
import org.kernels4j.Kernels4jException;

/**
 * What a {@link BayesianOptimizer} maximizes to choose the next point, given the surrogate's
 * posterior f(x) ~ N(μ(x), σ²(x)). Everything is written for <em>maximizing</em> f (a minimizing
 * optimizer fits −y); τ is the incumbent, the best value observed so far.
 * <ul>
 *   <li>Expected improvement (Jones, Schonlau &amp; Welch 1998): with z = (μ − τ − ξ)/σ,
 *       EI = (μ − τ − ξ)·Φ(z) + σ·φ(z) = E[max(f − τ − ξ, 0)]; ξ ≥ 0 (default 0) demands a margin,
 *       which {@link BayesianOptimizer} measures in standard deviations of the observed values (so ξ = 0.01
 *       means the same whatever the objective's units).</li>
 *   <li>Probability of improvement (Kushner 1964): PI = Φ(z) = P(f &gt; τ + ξ).</li>
 *   <li>Upper confidence bound (Srinivas et al. 2010): UCB = μ + β·σ, constant β &gt; 0 (default 2).</li>
 *   <li>Knowledge gradient, discretised (Frazier, Powell &amp; Dayanik 2009, "correlated beliefs"):
 *       KG(x) = E[max_{x'∈A} μ₁(x')] − max_{x'∈A} μ(x'), where μ₁ is the posterior mean after one more
 *       noisy evaluation at x: μ₁(x') = μ(x') + σ̃(x', x)·Z, σ̃(x', x) = Cov(x', x)/√(σ²(x) + σ²_n),
 *       Z ~ N(0, 1). A is the observed points, {@code candidates} fixed uniform random points and x
 *       itself; the expectation of a maximum of lines a_i + b_i·Z is exact
 *       ({@link #expectedMaximumOfLines}). KG has no closed-form gradient here: it is maximized
 *       with central-difference gradients.</li>
 *   <li>Noisy expected improvement, plug-in version: EI with τ = max_i μ(x_i) over the observed points
 *       instead of the best noisy observation (as in Picheny, Wagner &amp; Ginsbourger 2013's
 *       "plug-in" criteria), so that a lucky noisy draw does not become an unbeatable target. It is not
 *       Letham et al.'s Monte-Carlo NEI, which integrates over the noisy incumbent.</li>
 * </ul>
 * Derivatives with respect to μ and σ² ({@link #expectedImprovementPartials} etc.) turn, through
 * {@link Posterior#gradient}, into analytic input gradients for EI, PI, UCB and noisy EI. Immutable.
 */
public final class Acquisition {
    /** The acquisition functions. */
    public enum Kind {
        /** EI. */
        EXPECTED_IMPROVEMENT("ei"),
        /** PI. */
        PROBABILITY_OF_IMPROVEMENT("pi"),
        /** UCB. */
        UPPER_CONFIDENCE_BOUND("ucb"),
        /** KG, discretised. */
        KNOWLEDGE_GRADIENT("kg"),
        /** Plug-in noisy EI. */
        NOISY_EXPECTED_IMPROVEMENT("nei");

        private final String shortName;

        Kind(String shortName) {
            this.shortName = shortName;
        }

        /** ei, pi, ucb, kg or nei. */
        public String shortName() {
            return shortName;
        }
    }

    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);

    private final Kind kind;
    private final double margin;
    private final double beta;
    private final int candidates;

    private Acquisition(Kind kind, double margin, double beta, int candidates) {
        this.kind = kind;
        this.margin = margin;
        this.beta = beta;
        this.candidates = candidates;
    }

    /** EI with ξ = 0. */
    public static Acquisition expectedImprovement() {
        return new Acquisition(Kind.EXPECTED_IMPROVEMENT, 0, 2, 0);
    }

    /** EI with margin ξ ≥ 0. */
    public static Acquisition expectedImprovement(double margin) {
        return new Acquisition(Kind.EXPECTED_IMPROVEMENT, checkMargin(margin), 2, 0);
    }

    /** PI with margin ξ ≥ 0 (ξ = 0 makes PI greedy; 0.01 on unit-variance targets is common). */
    public static Acquisition probabilityOfImprovement(double margin) {
        return new Acquisition(Kind.PROBABILITY_OF_IMPROVEMENT, checkMargin(margin), 2, 0);
    }

    /** UCB = μ + β·σ with β &gt; 0. */
    public static Acquisition upperConfidenceBound(double beta) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new Kernels4jException("the UCB factor beta must be > 0 and finite, got " + beta);
        }
        return new Acquisition(Kind.UPPER_CONFIDENCE_BOUND, 0, beta, 0);
    }

    /** Discretised KG over the observed points and {@code candidates} ≥ 1 random points. */
    public static Acquisition knowledgeGradient(int candidates) {
        if (candidates < 1) {
            throw new Kernels4jException("the knowledge gradient needs at least 1 candidate point, got " + candidates);
        }
        return new Acquisition(Kind.KNOWLEDGE_GRADIENT, 0, 2, candidates);
    }

    /** Plug-in noisy EI (ξ = 0). */
    public static Acquisition noisyExpectedImprovement() {
        return new Acquisition(Kind.NOISY_EXPECTED_IMPROVEMENT, 0, 2, 0);
    }

    /**
     * The default of each kind by its short name: ei, pi (ξ = 0.01), ucb (β = 2), kg (64 candidates) or nei.
     *
     * @throws Kernels4jException for any other name
     */
    public static Acquisition parse(String name) {
        String s = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "ei":
                return expectedImprovement();
            case "pi":
                return probabilityOfImprovement(0.01);
            case "ucb":
                return upperConfidenceBound(2);
            case "kg":
                return knowledgeGradient(64);
            case "nei":
                return noisyExpectedImprovement();
            default:
                throw new Kernels4jException("unknown acquisition function \"" + name + "\"; use ei, pi, ucb, kg or nei");
        }
    }

    private static double checkMargin(double margin) {
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new Kernels4jException("the improvement margin xi must be >= 0 and finite, got " + margin);
        }
        return margin;
    }

    /** Which function. */
    public Kind kind() {
        return kind;
    }

    /** ξ (EI, PI). */
    public double margin() {
        return margin;
    }

    /** β (UCB). */
    public double beta() {
        return beta;
    }

    /** The number of random discretisation points (KG), else 0. */
    public int candidates() {
        return candidates;
    }

    /** Whether the input gradient is analytic (all but KG). */
    public boolean hasAnalyticGradient() {
        return kind != Kind.KNOWLEDGE_GRADIENT;
    }

    /** EI = (μ − τ)·Φ(z) + σ·φ(z), z = (μ − τ)/σ; max(μ − τ, 0) when σ = 0. */
    public static double expectedImprovement(double mean, double variance, double incumbent) {
        return expectedImprovementPartials(mean, variance, incumbent)[0];
    }

    /** {EI, ∂EI/∂μ = Φ(z), ∂EI/∂σ² = φ(z)/(2σ)}. */
    public static double[] expectedImprovementPartials(double mean, double variance, double incumbent) {
        double d = mean - incumbent;
        double s = Math.sqrt(Math.max(variance, 0));
        if (!(s > 1e-12 * Math.max(1, Math.abs(d)))) {
            return new double[] {Math.max(d, 0), d > 0 ? 1 : 0, 0};
        }
        double z = d / s;
        double cdf = normalCdf(z);
        double pdf = normalPdf(z);
        return new double[] {d * cdf + s * pdf, cdf, pdf / (2 * s)};
    }

    /** PI = Φ((μ − τ)/σ); 1 or 0 when σ = 0. */
    public static double probabilityOfImprovement(double mean, double variance, double incumbent) {
        return probabilityOfImprovementPartials(mean, variance, incumbent)[0];
    }

    /** {PI, ∂PI/∂μ = φ(z)/σ, ∂PI/∂σ² = −z·φ(z)/(2σ²)}. */
    public static double[] probabilityOfImprovementPartials(double mean, double variance, double incumbent) {
        double d = mean - incumbent;
        double s = Math.sqrt(Math.max(variance, 0));
        if (!(s > 1e-12 * Math.max(1, Math.abs(d)))) {
            return new double[] {d > 0 ? 1 : 0, 0, 0};
        }
        double z = d / s;
        double pdf = normalPdf(z);
        return new double[] {normalCdf(z), pdf / s, -z * pdf / (2 * s * s)};
    }

    /** UCB = μ + β·σ. */
    public static double upperConfidenceBound(double mean, double variance, double beta) {
        return mean + beta * Math.sqrt(Math.max(variance, 0));
    }

    /** {UCB, 1, β/(2σ)} (the σ² derivative is 0 at σ = 0, where it is undefined). */
    public static double[] upperConfidenceBoundPartials(double mean, double variance, double beta) {
        double s = Math.sqrt(Math.max(variance, 0));
        return new double[] {mean + beta * s, 1, s > 0 ? beta / (2 * s) : 0};
    }

    /**
     * E[max_i (a_i + b_i·Z)] for Z ~ N(0, 1), exactly: the upper envelope of the lines, sorted by
     * slope, with breakpoints c_k, gives Σ_k a_k·(Φ(c_{k+1}) − Φ(c_k)) + b_k·(φ(c_k) − φ(c_{k+1}))
     * (Frazier, Powell &amp; Dayanik 2009, Algorithm 1). O(m log m).
     */
    public static double expectedMaximumOfLines(double[] a, double[] b) {
        int m = a.length;
        if (m == 0 || b.length != m) {
            throw new Kernels4jException("expected maximum of lines: need as many slopes as intercepts (>= 1), got "
                    + m + " and " + b.length);
        }
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> b[i] != b[j] ? Double.compare(b[i], b[j]) : Double.compare(a[i], a[j]));
        int[] stack = new int[m];
        double[] start = new double[m];
        int top = 0;
        for (int t = 0; t < m; t++) {
            int i = order[t];
            if (t + 1 < m && b[order[t + 1]] == b[i]) {
                continue; // a line with the same slope and a larger intercept follows
            }
            double c = Double.NEGATIVE_INFINITY;
            while (top > 0) {
                int j = stack[top - 1];
                c = (a[j] - a[i]) / (b[i] - b[j]);
                if (c <= start[top - 1]) {
                    top--; // line j is never on top
                    c = Double.NEGATIVE_INFINITY;
                } else {
                    break;
                }
            }
            stack[top] = i;
            start[top] = top == 0 ? Double.NEGATIVE_INFINITY : c;
            top++;
        }
        double sum = 0;
        for (int k = 0; k < top; k++) {
            double lo = start[k];
            double hi = k + 1 < top ? start[k + 1] : Double.POSITIVE_INFINITY;
            int i = stack[k];
            double mass = normalCdf(hi) - normalCdf(lo);
            sum += a[i] * mass + b[i] * (normalPdf(lo) - normalPdf(hi));
        }
        return sum;
    }

    /** φ(z); 0 at ±∞. */
    static double normalPdf(double z) {
        return Double.isInfinite(z) ? 0 : Math.exp(-0.5 * z * z) / SQRT_2PI;
    }

    /** Φ(z) via erfc (accurate in both tails). */
    static double normalCdf(double z) {
        if (z == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        if (z == Double.POSITIVE_INFINITY) {
            return 1;
        }
        return 0.5 * org.apache.commons.numbers.gamma.Erfc.value(-z / Math.sqrt(2));
    }

    @Override
    public String toString() {
        switch (kind) {
            case EXPECTED_IMPROVEMENT:
            case PROBABILITY_OF_IMPROVEMENT:
                return kind.shortName() + "(xi=" + margin + ")";
            case UPPER_CONFIDENCE_BOUND:
                return "ucb(beta=" + beta + ")";
            case KNOWLEDGE_GRADIENT:
                return "kg(candidates=" + candidates + ")";
            default:
                return kind.shortName();
        }
    }
}
