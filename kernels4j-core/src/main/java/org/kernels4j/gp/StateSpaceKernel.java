package org.kernels4j.gp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.MaternKernel;
import org.kernels4j.kernel.ScaledKernel;
import org.kernels4j.kernel.Specs;
import org.kernels4j.kernel.SumKernel;

/**
 * A stationary covariance on the real line written as a linear time-invariant SDE, for
 * {@link StateSpaceGaussianProcess}: a sum of components, each
 * <pre>
 *   Matérn:     k(τ) = σ²·M_ν(|τ|/ℓ)                    ν ∈ {½, 3/2, 5/2}
 *   resonator:  k(τ) = σ²·M_ν(|τ|/ℓ)·cos(2π·f·τ)         (f &gt; 0, the frequency in cycles per unit of τ)
 * </pre>
 * with M_½(r) = e^(−r), M_{3/2}(r) = (1 + √3r)e^(−√3r), M_{5/2}(r) = (1 + √5r + 5r²/3)e^(−√5r)
 * (the {@link MaternKernel} correlations). A Matérn component of order p = ν + ½ is the SDE
 * (Hartikainen &amp; Särkkä 2010) with λ = √(2ν)/ℓ, the p×p companion matrix F of (s + λ)^p, H = e₁ᵀ and
 * the stationary covariance P∞ = σ²·D·P₁·D, D = diag(1, λ, …, λ^(p−1)) (P₁ = 1; diag(1, 1);
 * [[1, 0, −⅓], [0, ⅓, 0], [−⅓, 0, 1]]). A resonator is that SDE times a rotation at angular
 * frequency ω = 2πf (state Matérn ⊗ ℝ², F = F_M ⊗ I + I ⊗ [[0, −ω], [ω, 0]], P∞ = P_M ⊗ I, H = e₁ᵀ),
 * whose covariance H·e^(Fτ)·P∞·Hᵀ is exactly the product above.
 *
 * <p>The resonator is the Markov stand-in for one spectral-mixture component: the SM component
 * σ²·exp(−2π²s²τ²)·cos(2πμτ) has a Gaussian spectral density, which no finite SDE has, so it is
 * approximated by a Matérn envelope of matching width (a Student-t spectral density around ±μ, see
 * the notes on GP-HM): the resonator is exact for its own covariance, an approximation only of the
 * Gaussian-envelope one.
 *
 * <p>Discretisation is exact and in closed form: every block of F has the single eigenvalue −λ
 * (times the rotation), so e^(FΔ) = e^(−λΔ)·Σ_{k&lt;p} (Δ^k/k!)·(F + λI)^k (⊗ R(ωΔ) for a resonator),
 * the nilpotent series being finite, and Q(Δ) = P∞ − A·P∞·Aᵀ. Hyperparameters, learned in log
 * space: per component its variance σ², length ℓ and (resonators) frequency f, named
 * {@code matern32.variance}, {@code resonator.frequency}, … with {@code #2}, {@code #3} on repeats.
 *
 * <p>Spec: components joined by {@code +}; a Matérn component is any {@link KernelSpec} of the
 * form {@code matern(nu=…, length=…)} or {@code c*matern(…)} (isotropic), a resonator is
 * {@code resonator(nu=1.5, length=2, variance=1, frequency=0.25)}.
 */
public final class StateSpaceKernel {
    /** One component of the sum; {@code frequency == 0} for a plain Matérn component. */
    public record Component(double nu, double variance, double length, double frequency) {
        /** Checks ν ∈ {½, 3/2, 5/2}, σ² &gt; 0, ℓ &gt; 0, f ≥ 0, all finite. */
        public Component {
            if (nu != 0.5 && nu != 1.5 && nu != 2.5) {
                throw new Kernels4jException("a state-space component needs nu = 0.5, 1.5 or 2.5, got " + Specs.num(nu));
            }
            Specs.positive(frequency > 0 ? "resonator" : "matern", "variance", variance);
            Specs.positive(frequency > 0 ? "resonator" : "matern", "length", length);
            if (!(frequency >= 0) || Double.isInfinite(frequency)) {
                throw new Kernels4jException("resonator: frequency must be >= 0 and finite, got " + Specs.num(frequency));
            }
        }

        /** A Matérn component σ²·M_ν(|τ|/ℓ). */
        public static Component matern(double nu, double variance, double length) {
            return new Component(nu, variance, length, 0);
        }

        /** A resonator σ²·M_ν(|τ|/ℓ)·cos(2πfτ), f &gt; 0. */
        public static Component resonator(double nu, double variance, double length, double frequency) {
            Specs.positive("resonator", "frequency", frequency);
            return new Component(nu, variance, length, frequency);
        }

        /** Whether this is a resonator (f &gt; 0). */
        public boolean isResonator() {
            return frequency > 0;
        }

        /** p = ν + ½, the order of the Matérn SDE. */
        int order() {
            return (int) Math.round(nu + 0.5);
        }

        /** The state dimension: p, or 2p for a resonator. */
        int states() {
            return isResonator() ? 2 * order() : order();
        }

        /** k(τ). */
        public double covariance(double tau) {
            double r = Math.abs(tau) / length;
            double m;
            if (nu == 0.5) {
                m = Math.exp(-r);
            } else if (nu == 1.5) {
                double t = Math.sqrt(3) * r;
                m = (1 + t) * Math.exp(-t);
            } else {
                double t = Math.sqrt(5) * r;
                m = (1 + t + t * t / 3) * Math.exp(-t);
            }
            return variance * m * (isResonator() ? Math.cos(2 * Math.PI * frequency * tau) : 1);
        }

        String label() {
            return isResonator() ? "resonator" : "matern" + (nu == 0.5 ? "12" : nu == 1.5 ? "32" : "52");
        }

        String toSpec() {
            if (isResonator()) {
                return "resonator(nu=" + Specs.num(nu) + ", length=" + Specs.num(length) + ", variance="
                        + Specs.num(variance) + ", frequency=" + Specs.num(frequency) + ")";
            }
            String m = "matern(nu=" + Specs.num(nu) + ", length=" + Specs.num(length) + ")";
            return variance == 1 ? m : Specs.num(variance) + "*" + m;
        }
    }

    private final List<Component> components;
    private final int states;
    private final int parameterCount;
    /** Per component, what does not depend on Δ (computed once: the filter asks for A and Q at every step). */
    private final Block[] blocks;

    /** F (Matérn part, p×p), P∞ and ∂P∞/∂log ℓ (whole block, s×s), λ, and an s×s zero. */
    private record Block(int order, double lambda, double[] f, double[] p, double[] dpLength, double[] zero) {
    }

    private StateSpaceKernel(List<Component> components) {
        if (components.isEmpty()) {
            throw new Kernels4jException("a state-space kernel needs at least one component");
        }
        this.components = List.copyOf(components);
        int s = 0;
        for (Component c : components) {
            s += c.states();
        }
        this.states = s;
        int count = 0;
        for (Component c : components) {
            count += c.isResonator() ? 3 : 2;
        }
        this.parameterCount = count;
        this.blocks = new Block[components.size()];
        for (int ci = 0; ci < blocks.length; ci++) {
            Component c = components.get(ci);
            int p = c.order();
            double lambda = Math.sqrt(2 * c.nu()) / c.length();
            double[] pm = stationaryMatern(p, lambda, c.variance());
            double[] dpm = new double[p * p]; // ∂P/∂log ℓ = −(G·P + P·G), G = diag(0, 1, …)
            for (int i = 0; i < p; i++) {
                for (int k = 0; k < p; k++) {
                    dpm[i * p + k] = -(i + k) * pm[i * p + k];
                }
            }
            double[] i2 = {1, 0, 0, 1};
            int st = c.states();
            blocks[ci] = new Block(p, lambda, companion(p, lambda), c.isResonator() ? kron(pm, p, i2, 2) : pm,
                    c.isResonator() ? kron(dpm, p, i2, 2) : dpm, new double[st * st]);
        }
    }

    /** The number of hyperparameters. */
    int parameterCount() {
        return parameterCount;
    }

    /** The sum of these components. */
    public static StateSpaceKernel of(List<Component> components) {
        return new StateSpaceKernel(components);
    }

    /** The sum of these components. */
    public static StateSpaceKernel of(Component... components) {
        return new StateSpaceKernel(List.of(components));
    }

    /**
     * The SDE form of a kernel built from isotropic Matérn kernels (ν = ½, 3/2, 5/2), positive
     * multiples of them and sums of those.
     *
     * @throws Kernels4jException naming the first part that has no state-space form here
     */
    public static StateSpaceKernel fromKernel(Kernel kernel) {
        List<Component> out = new ArrayList<>();
        collect(kernel, 1, out);
        return new StateSpaceKernel(out);
    }

    private static void collect(Kernel k, double scale, List<Component> out) {
        if (k instanceof SumKernel s) {
            for (Kernel t : s.terms()) {
                collect(t, scale, out);
            }
        } else if (k instanceof ScaledKernel s) {
            collect(s.kernel(), scale * s.scale(), out);
        } else if (k instanceof MaternKernel m && m.lengthScales() == null) {
            out.add(Component.matern(m.nu(), scale, m.length()));
        } else {
            throw new Kernels4jException("'" + k.toSpec() + "' has no state-space form; use sums of c*matern(nu=0.5|1.5|2.5,"
                    + " length=...) and resonator(nu=..., length=..., variance=..., frequency=...)");
        }
    }

    /** Parses components joined by {@code +} (see the class comment). */
    public static StateSpaceKernel parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new Kernels4jException("empty state-space kernel spec; try e.g. matern(nu=1.5, length=2)");
        }
        List<Component> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= spec.length(); i++) {
            char c = i < spec.length() ? spec.charAt(i) : '+';
            depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
            if (c == '+' && depth == 0) {
                String term = spec.substring(start, i).strip();
                if (term.startsWith("resonator")) {
                    out.add(parseResonator(term));
                } else {
                    collect(KernelSpec.parse(term), 1, out);
                }
                start = i + 1;
            }
        }
        return new StateSpaceKernel(out);
    }

    private static Component parseResonator(String term) {
        String body = term.substring("resonator".length()).strip();
        if (!body.startsWith("(") || !body.endsWith(")")) {
            throw new Kernels4jException("cannot read '" + term + "'; write resonator(nu=1.5, length=2, variance=1,"
                    + " frequency=0.25)");
        }
        Map<String, Double> v = new HashMap<>(Map.of("nu", 1.5, "variance", 1.0, "length", 1.0));
        for (String part : body.substring(1, body.length() - 1).split(",")) {
            String[] kv = part.split("=");
            String key = kv[0].strip().toLowerCase(Locale.ROOT);
            if (kv.length != 2 || !(key.equals("nu") || key.equals("variance") || key.equals("length")
                    || key.equals("frequency"))) {
                throw new Kernels4jException("resonator: cannot read '" + part.strip()
                        + "'; expected nu=, length=, variance= or frequency=");
            }
            try {
                v.put(key, Double.parseDouble(kv[1].strip()));
            } catch (NumberFormatException e) {
                throw new Kernels4jException("resonator: " + key + " must be a number, got '" + kv[1].strip() + "'");
            }
        }
        if (!v.containsKey("frequency")) {
            throw new Kernels4jException("resonator: frequency=... is required (cycles per unit of x)");
        }
        return Component.resonator(v.get("nu"), v.get("variance"), v.get("length"), v.get("frequency"));
    }

    /** The components, in order. */
    public List<Component> components() {
        return components;
    }

    /** k(τ) = Σ components. */
    public double covariance(double tau) {
        double s = 0;
        for (Component c : components) {
            s += c.covariance(tau);
        }
        return s;
    }

    /**
     * The same covariance as a {@link Kernel} (a sum of scaled {@link MaternKernel}s), for the dense
     * GP; only when there is no resonator.
     */
    public Kernel toKernel() {
        List<Kernel> terms = new ArrayList<>();
        for (Component c : components) {
            if (c.isResonator()) {
                throw new Kernels4jException("a resonator has no dense kernel in org.kernels4j.kernel");
            }
            terms.add(new ScaledKernel(c.variance(), new MaternKernel(c.nu(), c.length())));
        }
        return terms.size() == 1 ? terms.get(0) : new SumKernel(terms);
    }

    /** Spec text that {@link #parse} reads back to an equal kernel. */
    public String toSpec() {
        StringBuilder sb = new StringBuilder();
        for (Component c : components) {
            sb.append(sb.length() == 0 ? "" : " + ").append(c.toSpec());
        }
        return sb.toString();
    }

    /** Variance, length and (resonators) frequency of each component, in order. */
    public List<Hyperparameter> hyperparameters() {
        List<Hyperparameter> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Component c : components) {
            int count = seen.merge(c.label(), 1, Integer::sum);
            String p = c.label() + (count == 1 ? "" : "#" + count) + ".";
            out.add(Hyperparameter.of(p + "variance", c.variance()));
            out.add(Hyperparameter.of(p + "length", c.length()));
            if (c.isResonator()) {
                out.add(Hyperparameter.of(p + "frequency", c.frequency()));
            }
        }
        return out;
    }

    /** The same structure with new hyperparameter values in {@link #hyperparameters()} order. */
    public StateSpaceKernel withHyperparameters(double[] values) {
        if (values.length != hyperparameters().size()) {
            throw new Kernels4jException(toSpec() + " has " + hyperparameters().size() + " hyperparameters, got "
                    + values.length + " values");
        }
        List<Component> out = new ArrayList<>();
        int at = 0;
        for (Component c : components) {
            double f = c.isResonator() ? values[at + 2] : 0;
            out.add(new Component(c.nu(), values[at], values[at + 1], f));
            at += c.isResonator() ? 3 : 2;
        }
        return new StateSpaceKernel(out);
    }

    /** The state dimension d (Σ p, resonators counting 2p). */
    public int stateDimension() {
        return states;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateSpaceKernel k && k.components.equals(components);
    }

    @Override
    public int hashCode() {
        return components.hashCode();
    }

    @Override
    public String toString() {
        return toSpec();
    }

    // ---- the SDE, dense d×d row-major arrays; block-diagonal over components ----

    /** The state indices that H sums: the first state of each component. */
    int[] observedStates() {
        int[] h = new int[components.size()];
        int at = 0;
        for (int c = 0; c < h.length; c++) {
            h[c] = at;
            at += components.get(c).states();
        }
        return h;
    }

    /**
     * P∞ and, when {@code dp} is not null, ∂P∞/∂log θ_j for every hyperparameter j (d×d each,
     * zero outside the component's block).
     */
    void stationary(double[] p, double[][] dp) {
        transition(-1, null, p, null, null, null, dp);
    }

    /**
     * A = e^(FΔ) and Q = P∞ − A·P∞·Aᵀ for Δ ≥ 0 and, when {@code da} is not null, their derivatives
     * with respect to every log hyperparameter. With Δ &lt; 0 only P∞ (into {@code p}) and ∂P∞ are
     * filled. All outputs are d×d, overwritten.
     */
    void transition(double dt, double[] a, double[] p, double[] q, double[][] da, double[][] dq, double[][] dp) {
        int d = states;
        int params = parameterCount;
        java.util.Arrays.fill(p, 0);
        if (a != null) {
            java.util.Arrays.fill(a, 0);
            java.util.Arrays.fill(q, 0);
        }
        for (int j = 0; j < params; j++) {
            if (dp != null) {
                java.util.Arrays.fill(dp[j], 0);
            }
            if (da != null) {
                java.util.Arrays.fill(da[j], 0);
                java.util.Arrays.fill(dq[j], 0);
            }
        }
        int at = 0;
        int param = 0;
        for (int ci = 0; ci < components.size(); ci++) {
            Component c = components.get(ci);
            Block blk = blocks[ci];
            int pOrder = blk.order;
            double lambda = blk.lambda;
            double[] f = blk.f;
            double[] am = null;
            double[] damL = null;
            if (dt >= 0) {
                am = maternTransition(pOrder, lambda, f, dt);
                // ∂A/∂log λ = G·A − A·G + Δ·F·A
                damL = multiply(f, am, pOrder);
                for (int i = 0; i < pOrder; i++) {
                    for (int k = 0; k < pOrder; k++) {
                        damL[i * pOrder + k] = dt * damL[i * pOrder + k] + (i - k) * am[i * pOrder + k];
                    }
                }
            }
            int s = c.states();
            double[] pb = blk.p;
            double[] ab = null;
            double[] daL = null;
            double[] daF = null;
            if (c.isResonator()) {
                if (am != null) {
                    double w = 2 * Math.PI * c.frequency();
                    double cs = Math.cos(w * dt);
                    double sn = Math.sin(w * dt);
                    double[] r = {cs, -sn, sn, cs};
                    double[] jr = {-sn * w * dt, -cs * w * dt, cs * w * dt, -sn * w * dt}; // ωΔ·J·R
                    ab = kron(am, pOrder, r, 2);
                    daL = kron(damL, pOrder, r, 2);
                    daF = kron(am, pOrder, jr, 2);
                }
            } else {
                ab = am;
                daL = damL;
            }
            place(pb, s, p, d, at);
            // parameters: log σ² (A fixed, P∞ scales), log ℓ = −log λ, log f (P∞ fixed)
            double[][] dA = {blk.zero, scaled(daL, -1), daF};
            double[][] dP = {pb, blk.dpLength, blk.zero};
            int count = c.isResonator() ? 3 : 2;
            for (int j = 0; j < count; j++) {
                if (dp != null) {
                    place(dP[j], s, dp[param + j], d, at);
                }
            }
            if (ab != null) {
                double[] apa = sandwich(ab, pb, s);
                double[] qb = new double[s * s];
                for (int i = 0; i < s * s; i++) {
                    qb[i] = pb[i] - apa[i];
                }
                place(ab, s, a, d, at);
                place(qb, s, q, d, at);
                if (da != null) {
                    for (int j = 0; j < count; j++) {
                        // ∂Q = ∂P∞ − ∂A·P∞·Aᵀ − A·P∞·∂Aᵀ − A·∂P∞·Aᵀ
                        double[] ap = multiply(ab, pb, s);
                        double[] t = multiplyTransposed(multiply(dA[j], pb, s), ab, s);
                        double[] u = multiplyTransposed(ap, dA[j], s);
                        double[] v = sandwich(ab, dP[j], s);
                        double[] dqb = new double[s * s];
                        for (int i = 0; i < s * s; i++) {
                            dqb[i] = dP[j][i] - t[i] - u[i] - v[i];
                        }
                        place(dA[j], s, da[param + j], d, at);
                        place(dqb, s, dq[param + j], d, at);
                    }
                }
            }
            at += s;
            param += count;
        }
    }

    /** F for (s + λ)^p in companion form: ones above the diagonal, last row −C(p, k)·λ^(p−k). */
    private static double[] companion(int p, double lambda) {
        double[] f = new double[p * p];
        for (int i = 0; i + 1 < p; i++) {
            f[i * p + i + 1] = 1;
        }
        for (int k = 0; k < p; k++) {
            f[(p - 1) * p + k] = -binomial(p, k) * Math.pow(lambda, p - k);
        }
        return f;
    }

    private static double binomial(int n, int k) {
        double b = 1;
        for (int i = 1; i <= k; i++) {
            b = b * (n - k + i) / i;
        }
        return b;
    }

    /** σ²·D·P₁·D with D = diag(λ^i). */
    private static double[] stationaryMatern(int p, double lambda, double variance) {
        double[] p1 = switch (p) {
            case 1 -> new double[] {1};
            case 2 -> new double[] {1, 0, 0, 1};
            default -> new double[] {1, 0, -1.0 / 3, 0, 1.0 / 3, 0, -1.0 / 3, 0, 1};
        };
        double[] out = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < p; k++) {
                out[i * p + k] = variance * Math.pow(lambda, i + k) * p1[i * p + k];
            }
        }
        return out;
    }

    /** e^(FΔ) = e^(−λΔ)·Σ_{k&lt;p} Δ^k/k!·N^k, N = F + λI nilpotent (N^p = 0). */
    private static double[] maternTransition(int p, double lambda, double[] f, double dt) {
        double[] nil = f.clone();
        for (int i = 0; i < p; i++) {
            nil[i * p + i] += lambda;
        }
        double[] out = new double[p * p];
        double[] power = new double[p * p];
        for (int i = 0; i < p; i++) {
            power[i * p + i] = 1;
        }
        double coef = 1;
        for (int k = 0; k < p; k++) {
            for (int i = 0; i < p * p; i++) {
                out[i] += coef * power[i];
            }
            power = multiply(power, nil, p);
            coef *= dt / (k + 1);
        }
        double e = Math.exp(-lambda * dt);
        for (int i = 0; i < p * p; i++) {
            out[i] *= e;
        }
        return out;
    }

    private static double[] scaled(double[] m, double c) {
        if (m == null) {
            return null;
        }
        double[] out = m.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= c;
        }
        return out;
    }

    private static double[] kron(double[] a, int na, double[] b, int nb) {
        int n = na * nb;
        double[] out = new double[n * n];
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < na; j++) {
                for (int r = 0; r < nb; r++) {
                    for (int s = 0; s < nb; s++) {
                        out[(i * nb + r) * n + j * nb + s] = a[i * na + j] * b[r * nb + s];
                    }
                }
            }
        }
        return out;
    }

    private static void place(double[] block, int s, double[] into, int d, int at) {
        for (int i = 0; i < s; i++) {
            System.arraycopy(block, i * s, into, (at + i) * d + at, s);
        }
    }

    /** a·b for n×n row-major arrays. */
    static double[] multiply(double[] a, double[] b, int n) {
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double v = a[i * n + k];
                if (v != 0) {
                    for (int j = 0; j < n; j++) {
                        out[i * n + j] += v * b[k * n + j];
                    }
                }
            }
        }
        return out;
    }

    /** a·bᵀ. */
    static double[] multiplyTransposed(double[] a, double[] b, int n) {
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[i * n + k] * b[j * n + k];
                }
                out[i * n + j] = s;
            }
        }
        return out;
    }

    /** a·p·aᵀ. */
    static double[] sandwich(double[] a, double[] p, int n) {
        return multiplyTransposed(multiply(a, p, n), a, n);
    }
}
