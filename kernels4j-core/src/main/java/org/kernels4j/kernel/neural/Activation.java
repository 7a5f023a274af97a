package org.kernels4j.kernel.neural;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.ArcCosine;
import org.kernels4j.linalg.SpecialFunctions;
import org.kernels4j.kernel.Specs;

/**
 * A pointwise nonlinearity φ of a neural network together with its <em>dual</em>: the Gaussian
 * expectations that carry a kernel through one infinitely wide layer. For pre-activations
 * {@code (u, v) ~ N(0, [[q11, q12], [q12, q22]])}:
 * <ul>
 *   <li>{@link #pair}: {@code T(q11, q12, q22) = E[φ(u)·φ(v)]} (the NNGP map);</li>
 *   <li>{@link #derivativePair}: {@code Ṫ(q11, q12, q22) = E[φ'(u)·φ'(v)]} (the extra NTK factor).</li>
 * </ul>
 *
 * <p>Closed forms (θ = arccos of the correlation c = q12/√(q11·q22), clipped to [−1, 1]; c = 0
 * when either variance is 0):
 * <ul>
 *   <li>{@code abrelu(a, b)}: φ(x) = a·x for x &lt; 0, b·x for x ≥ 0 (Neural Tangents' ABRelu);
 *       T = √(q11q22)/(2π)·[(a²+b²)(sin θ + (π−θ)c) − 2ab(sin θ − θc)],
 *       Ṫ = [(a²+b²)(π−θ) + 2abθ]/(2π). {@code relu} is a = 0, b = 1 (the arc-cosine kernel of
 *       order 1), {@code leaky_relu(alpha)} is a = α, b = 1;</li>
 *   <li>{@code identity}: T = q12, Ṫ = 1;</li>
 *   <li>{@code erf}: T = (2/π)·asin(2q12/√((1+2q11)(1+2q22))), Ṫ = (4/π)/√((1+2q11)(1+2q22) − 4q12²);</li>
 *   <li>{@code sign}: T = (2/π)·asin(c); {@code step} (Heaviside): T = (π−θ)/(2π). Their derivative
 *       is zero almost everywhere, so Ṫ = 0: layers below a sign/step layer receive no gradient;</li>
 *   <li>{@code sin}: T = e^{−(q11+q22)/2}·sinh(q12), Ṫ = e^{−(q11+q22)/2}·cosh(q12);</li>
 *   <li>{@code gelu}: φ(x) = x·Φ(x). T in closed form from the orthant moments of the bivariate
 *       Gaussian (u − g₁, v − g₂) with independent standard g (derivation in the source);
 *       Ṫ by Gauss–Hermite quadrature of its smooth integrand.</li>
 * </ul>
 * Any other activation ({@code tanh}, {@code softplus}, {@code swish}, {@code sigmoid},
 * {@code elu}, or one made with {@link #numerical}) is computed by tensor-product Gauss–Hermite
 * quadrature of the 2-D Gaussian expectation with {@value #QUADRATURE_POINTS}² nodes. Accuracy,
 * measured against a kink-split Gauss–Legendre reference (KinkedDualsReferenceTest): for smooth φ the
 * error of T is about 1e−6 relative for variances up to ~3 and correlations |c| ≤ 0.9, but the
 * derivative Ṫ of a saturating φ is only good to about 3e−4 (tanh at variances 2–4) and T itself to
 * about 3e−5 as |c| → 1; for φ with a kink (relu, elu) the error is about 1e−2 of √(q11·q22), so prefer
 * the closed forms (all tested against them). Cost: {@value #QUADRATURE_POINTS}²
 * evaluations of φ per kernel entry and layer, so numerical activations suit n up to a few
 * thousand; the closed forms cost a few dozen flops.
 */
public abstract class Activation {
    /** Gauss–Hermite points per dimension for numerical activations. */
    public static final int QUADRATURE_POINTS = 32;

    private static final List<String> NAMES = List.of("relu", "leaky_relu", "abrelu", "identity", "erf", "sign", "step",
            "sin", "gelu", "tanh", "softplus", "swish", "sigmoid", "elu");

    /** Spec names of the built-in activations. */
    public static List<String> names() {
        return NAMES;
    }

    /** φ(x). */
    public abstract double apply(double x);

    /** φ'(x) (0 where φ is not differentiable). */
    public abstract double derivative(double x);

    /** E[φ(u)φ(v)] for (u, v) centred Gaussian with variances q11, q22 and covariance q12. */
    public abstract double pair(double q11, double q12, double q22);

    /** E[φ'(u)φ'(v)] for the same Gaussian. */
    public abstract double derivativePair(double q11, double q12, double q22);

    /** E[φ(u)²] for u ~ N(0, q). */
    public double self(double q) {
        return pair(q, q, q);
    }

    /** E[φ'(u)²] for u ~ N(0, q). */
    public double derivativeSelf(double q) {
        return derivativePair(q, q, q);
    }

    private final String name;
    private final boolean closedForm;

    Activation(String name, boolean closedForm) {
        this.name = name;
        this.closedForm = closedForm;
    }

    /** True when {@link #pair} is exact (a closed form, not quadrature). */
    public final boolean closedForm() {
        return closedForm;
    }

    /** Spec text of the activation's parameters after {@code activation=NAME}, e.g. ", alpha=0.1"; usually empty. */
    String specParams() {
        return "";
    }

    /** Spec name, e.g. "relu" (for an expression activation, the expression text). */
    public final String name() {
        return name;
    }

    /** How the activation is written as a spec value: its name, or a quoted expression. */
    String specValue() {
        return name;
    }

    @Override
    public String toString() {
        return name() + specParams();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Activation && o.getClass() == getClass() && o.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    // ---------------------------------------------------------------------------------- factories

    /** ReLU, max(0, x). */
    public static Activation relu() {
        return new AbRelu("relu", 0, 1);
    }

    /** Leaky ReLU: x for x ≥ 0, α·x below. */
    public static Activation leakyRelu(double alpha) {
        return new AbRelu("leaky_relu", finite("leaky_relu", "alpha", alpha), 1);
    }

    /** a·x for x &lt; 0, b·x for x ≥ 0. */
    public static Activation abRelu(double a, double b) {
        return new AbRelu("abrelu", finite("abrelu", "a", a), finite("abrelu", "b", b));
    }

    /** A named activation with no parameters (see {@link #names()}). */
    public static Activation named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "relu":
                return relu();
            case "identity":
                return new Identity();
            case "erf":
                return new Erf();
            case "sign":
                return new Sign();
            case "step":
                return new Step();
            case "sin":
                return new Sin();
            case "gelu":
                return new Gelu();
            case "tanh":
                return numerical("tanh", Math::tanh, x -> 1 - Math.tanh(x) * Math.tanh(x));
            case "softplus":
                return numerical("softplus", x -> x > 30 ? x : Math.log1p(Math.exp(x)), Activation::logistic);
            case "swish":
                return numerical("swish", x -> x * logistic(x), x -> {
                    double s = logistic(x);
                    return s + x * s * (1 - s);
                });
            case "sigmoid":
                return numerical("sigmoid", Activation::logistic, x -> logistic(x) * (1 - logistic(x)));
            case "elu":
                return numerical("elu", x -> x >= 0 ? x : Math.expm1(x), x -> x >= 0 ? 1 : Math.exp(x));
            default:
                throw new Kernels4jException("unknown activation '" + name + "'; known: " + String.join(", ", NAMES));
        }
    }

    /**
     * An activation given by its function and derivative, whose duals are computed by Gauss–Hermite
     * quadrature (see the class comment for accuracy and cost). Only built-in names round-trip
     * through kernel specs.
     */
    public static Activation numerical(String name, DoubleUnaryOperator phi, DoubleUnaryOperator dphi) {
        return new Numerical(name, phi, dphi, false);
    }

    /**
     * An activation written as an expression in x, e.g. {@code "x*erf(x)"} (grammar and functions in
     * {@link ActivationExpression}); its derivative is computed exactly, its duals by quadrature as
     * for {@link #numerical}. It round-trips through specs as {@code activation="x*erf(x)"}.
     *
     * @throws Kernels4jException naming the column of a syntax error or unknown function
     */
    public static Activation expression(String text) {
        ActivationExpression.Node node = ActivationExpression.parse(text);
        String t = text.trim();
        return new Numerical(t, x -> {
            double[] out = new double[2];
            node.eval(x, out);
            return out[0];
        }, x -> {
            double[] out = new double[2];
            node.eval(x, out);
            return out[1];
        }, true);
    }

    static double logistic(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    private static double finite(String act, String param, double v) {
        if (!Double.isFinite(v)) {
            throw new Kernels4jException(act + ": " + param + " must be a finite number, got " + v);
        }
        return v;
    }

    /** Correlation q12/√(q11·q22) clipped (and snapped) by {@link ArcCosine#clipCorrelation}; 0 when a variance is 0. */
    static double correlation(double q11, double q12, double q22) {
        double p = Math.sqrt(q11 * q22);
        if (!(p > 0)) {
            return 0;
        }
        return ArcCosine.clipCorrelation(q12 / p);
    }

    // ---------------------------------------------------------------------------- closed forms

    /** a·x below 0, b·x above; covers relu, leaky relu and (a = b = 1) the identity. */
    static final class AbRelu extends Activation {
        final double a;
        final double b;

        AbRelu(String name, double a, double b) {
            super(name, true);
            this.a = a;
            this.b = b;
        }


        @Override
        String specParams() {
            switch (name()) {
                case "relu":
                    return "";
                case "leaky_relu":
                    return ", alpha=" + Specs.num(a);
                default:
                    return ", a=" + Specs.num(a) + ", b=" + Specs.num(b);
            }
        }

        @Override
        public double apply(double x) {
            return x < 0 ? a * x : b * x;
        }

        @Override
        public double derivative(double x) {
            return x < 0 ? a : b;
        }

        @Override
        public double pair(double q11, double q12, double q22) {
            double c = correlation(q11, q12, q22);
            double theta = Math.acos(c);
            double sin = Math.sqrt((1 - c) * (1 + c));
            double p = Math.sqrt(q11 * q22);
            return p / (2 * Math.PI) * ((a * a + b * b) * (sin + (Math.PI - theta) * c) - 2 * a * b * (sin - theta * c));
        }

        @Override
        public double derivativePair(double q11, double q12, double q22) {
            double theta = Math.acos(correlation(q11, q12, q22));
            return ((a * a + b * b) * (Math.PI - theta) + 2 * a * b * theta) / (2 * Math.PI);
        }

        @Override
        public double self(double q) {
            return (a * a + b * b) * q / 2;
        }

        @Override
        public double derivativeSelf(double q) {
            return (a * a + b * b) / 2;
        }

    }

    static final class Identity extends Activation {
        Identity() {
            super("identity", true);
        }


        @Override
        public double apply(double x) {
            return x;
        }

        @Override
        public double derivative(double x) {
            return 1;
        }

        @Override
        public double pair(double q11, double q12, double q22) {
            return q12;
        }

        @Override
        public double derivativePair(double q11, double q12, double q22) {
            return 1;
        }

    }

    static final class Erf extends Activation {
        Erf() {
            super("erf", true);
        }


        @Override
        public double apply(double x) {
            return SpecialFunctions.erf(x);
        }

        @Override
        public double derivative(double x) {
            return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
        }

        @Override
        public double pair(double q11, double q12, double q22) {
            double s = 2 * q12 / Math.sqrt((1 + 2 * q11) * (1 + 2 * q22));
            return 2 / Math.PI * Math.asin(Math.max(-1, Math.min(1, s)));
        }

        @Override
        public double derivativePair(double q11, double q12, double q22) {
            return 4 / Math.PI / Math.sqrt((1 + 2 * q11) * (1 + 2 * q22) - 4 * q12 * q12);
        }

        @Override
        public double self(double q) {
            return 2 / Math.PI * Math.asin(2 * q / (1 + 2 * q));
        }

        @Override
        public double derivativeSelf(double q) {
            return 4 / Math.PI / Math.sqrt(1 + 4 * q);
        }

    }

    static final class Sign extends Activation {
        Sign() {
            super("sign", true);
        }


        @Override
        public double apply(double x) {
            return Math.signum(x);
        }

        @Override
        public double derivative(double x) {
            return 0;
        }

        @Override
        public double pair(double q11, double q12, double q22) {
            if (!(q11 > 0) || !(q22 > 0)) {
                return 0;
            }
            return 2 / Math.PI * Math.asin(correlation(q11, q12, q22));
        }

        @Override
        public double derivativePair(double q11, double q12, double q22) {
            return 0;
        }

        @Override
        public double self(double q) {
            return q > 0 ? 1 : 0;
        }

    }

    static final class Step extends Activation {
        Step() {
            super("step", true);
        }


        @Override
        public double apply(double x) {
            return x > 0 ? 1 : 0;
        }

        @Override
        public double derivative(double x) {
            return 0;
        }

        @Override
        public double pair(double q11, double q12, double q22) {
            if (!(q11 > 0) || !(q22 > 0)) {
                return 0; // a zero-variance pre-activation is exactly 0, and step(0) = 0
            }
            return (Math.PI - Math.acos(correlation(q11, q12, q22))) / (2 * Math.PI);
        }

        @Override
        public double derivativePair(double q11, double q12, double q22) {
            return 0;
        }

        @Override
        public double self(double q) {
            return q > 0 ? 0.5 : 0;
        }

    }

    static final class Sin extends Activation {
        Sin() {
            super("sin", true);
        }


        @Override
        public double apply(double x) {
            return Math.sin(x);
        }

        @Override
        public double derivative(double x) {
            return Math.cos(x);
        }

        @Override
        public double pair(double q11, double q12, double q22) {
            return Math.exp(-(q11 + q22) / 2) * Math.sinh(q12);
        }

        @Override
        public double derivativePair(double q11, double q12, double q22) {
            return Math.exp(-(q11 + q22) / 2) * Math.cosh(q12);
        }

    }

    /**
     * GELU, x·Φ(x). Write Φ(u) = P(g₁ ≤ u) with g₁ ~ N(0, 1) independent, so
     * E[uΦ(u)vΦ(v)] = E[u·v·1{s ≥ 0}·1{t ≥ 0}] with (s, t) = (u − g₁, v − g₂) ~ N(0, M),
     * M = [[q11+1, q12], [q12, q22+1]]. Regressing (u, v) on w = (s, t) gives u = αᵀw + e₁,
     * v = βᵀw + e₂ with α = M⁻¹(q11, q12), β = M⁻¹(q12, q22) and e independent of w, hence
     * E = αᵀ·E[wwᵀ1{w ≥ 0}]·β + Cov(e₁, e₂)·P(w ≥ 0), and the orthant moments of a bivariate Gaussian
     * with correlation ρ are P = 1/4 + asin(ρ)/(2π), E[z₁²1] = P + ρ√(1−ρ²)/(2π),
     * E[z₁z₂1] = ρP + √(1−ρ²)/(2π) (for standardized z).
     */
    static final class Gelu extends Activation {
        private final Numerical numeric = new Numerical("gelu", Gelu::gelu, Gelu::geluDerivative, false);

        Gelu() {
            super("gelu", true);
        }



        static double gelu(double x) {
            return x * SpecialFunctions.normalCdf(x);
        }

        static double geluDerivative(double x) {
            return SpecialFunctions.normalCdf(x) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
        }

        @Override
        public double apply(double x) {
            return gelu(x);
        }

        @Override
        public double derivative(double x) {
            return geluDerivative(x);
        }

        @Override
        public double pair(double q11, double q12, double q22) {
            double m11 = q11 + 1;
            double m22 = q22 + 1;
            double m12 = q12;
            double det = m11 * m22 - m12 * m12;
            // α = M⁻¹(q11, q12), β = M⁻¹(q12, q22)
            double a1 = (m22 * q11 - m12 * q12) / det;
            double a2 = (m11 * q12 - m12 * q11) / det;
            double b1 = (m22 * q12 - m12 * q22) / det;
            double b2 = (m11 * q22 - m12 * q12) / det;
            double covE = q12 - (q11 * b1 + q12 * b2);
            double s1 = Math.sqrt(m11);
            double s2 = Math.sqrt(m22);
            double rho = Math.max(-1, Math.min(1, m12 / (s1 * s2)));
            double root = Math.sqrt((1 - rho) * (1 + rho));
            double p = 0.25 + Math.asin(rho) / (2 * Math.PI);
            double zz = p + rho * root / (2 * Math.PI);
            double z12 = rho * p + root / (2 * Math.PI);
            double w11 = m11 * zz;
            double w22 = m22 * zz;
            double w12 = s1 * s2 * z12;
            return a1 * (w11 * b1 + w12 * b2) + a2 * (w12 * b1 + w22 * b2) + covE * p;
        }

        @Override
        public double derivativePair(double q11, double q12, double q22) {
            return numeric.derivativePair(q11, q12, q22);
        }

    }

    // ----------------------------------------------------------------------------- quadrature

    /** Duals by tensor-product Gauss–Hermite quadrature. */
    static final class Numerical extends Activation {
        private final DoubleUnaryOperator phi;
        private final DoubleUnaryOperator dphi;
        private final boolean expression;

        Numerical(String name, DoubleUnaryOperator phi, DoubleUnaryOperator dphi, boolean expression) {
            super(name, false);
            this.phi = phi;
            this.dphi = dphi;
            this.expression = expression;
        }

        @Override
        String specValue() {
            return expression ? "\"" + name() + "\"" : name();
        }



        @Override
        public double apply(double x) {
            return phi.applyAsDouble(x);
        }

        @Override
        public double derivative(double x) {
            return dphi.applyAsDouble(x);
        }

        @Override
        public double pair(double q11, double q12, double q22) {
            return GaussHermite.expectation(phi, q11, q12, q22);
        }

        @Override
        public double derivativePair(double q11, double q12, double q22) {
            return GaussHermite.expectation(dphi, q11, q12, q22);
        }


        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof Numerical && ((Numerical) o).name().equals(name())
                    && ((Numerical) o).expression == expression && (expression || NAMES.contains(name())));
        }

        @Override
        public int hashCode() {
            return name().hashCode();
        }
    }
}
