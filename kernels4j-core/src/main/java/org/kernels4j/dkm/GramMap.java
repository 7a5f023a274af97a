package org.kernels4j.dkm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Specs;
import org.kernels4j.kernel.neural.Activation;

/**
 * A deep kernel machine's layer map: the kernel K(G) computed entry by entry from a Gram matrix G,
 * K_ij = f(G_ii, G_ij, G_jj), so that it needs no features, only the previous layer's Gram matrix.
 *
 * <ul>
 *   <li>{@code se(length=ℓ)}: the squared exponential on Gram entries,
 *       f = exp(−(G_ii + G_jj − 2G_ij)/(2ℓ²)) (the squared distance of the features whose Gram G is).</li>
 *   <li>{@code nngp(activation=relu, w_var=σ_w², b_var=σ_b²)}: one layer of the NNGP recursion of
 *       {@link org.kernels4j.kernel.neural.NeuralKernel}, f = σ_w²·E[φ(u)φ(v)] + σ_b² with
 *       (u, v) ~ N(0, [[G_ii, G_ij], [G_ij, G_jj]]), through the same activation duals
 *       ({@link Activation#pair}). The arc-cosine kernel of order 1 is {@code nngp(activation=relu, w_var=2)}.</li>
 * </ul>
 *
 * <p>Gradients need ∂f/∂G_ij and ∂f/∂G_ii. For the NNGP map, ∂E[φ(u)φ(v)]/∂G_ij = E[φ'(u)φ'(v)]
 * (Price's theorem, {@link Activation#derivativePair}); ∂/∂G_ii follows from positive homogeneity:
 * for φ(s·u) = s·φ(u), s &gt; 0, Euler's identity 2G_ii·∂_ii + G_ij·∂_ij = E[φ(u)φ(v)] gives it without
 * a second derivative of φ. So the NNGP map takes the positively homogeneous activations: relu,
 * leaky_relu, abrelu and identity.
 */
public abstract sealed class GramMap permits GramMap.SquaredExponential, GramMap.Nngp {
    private GramMap() {
    }

    /** f(G_ii, G_ij, G_jj). */
    public abstract double value(double gii, double gij, double gjj);

    /**
     * Writes ∂f/∂G_ii into {@code out[0]} and ∂f/∂G_ij into {@code out[1]} (∂f/∂G_jj is ∂f/∂G_ii with
     * the roles swapped, since f is symmetric in (G_ii, G_jj)).
     */
    public abstract void partials(double gii, double gij, double gjj, double[] out);

    /**
     * f and its three partial derivatives at one entry in one call: {@code out[0]} = f(G_ii, G_ij, G_jj),
     * {@code out[1]} = ∂f/∂G_ii, {@code out[2]} = ∂f/∂G_jj, {@code out[3]} = ∂f/∂G_ij. The DKM objective
     * needs all four for every entry of an n×n matrix; the maps override this to share the expensive
     * part (the exponential, the arccosine and square roots) between them. This default is the reference:
     * {@link #value} and {@link #partials} called twice (once with the roles of G_ii and G_jj swapped).
     */
    void valueAndPartials(double gii, double gij, double gjj, double[] out) {
        double[] p = new double[2];
        partials(gjj, gij, gii, p);
        out[2] = p[0];
        partials(gii, gij, gjj, p);
        out[1] = p[0];
        out[3] = p[1];
        out[0] = value(gii, gij, gjj);
    }

    /** The spec that {@link #parse} reads back, e.g. {@code se(length=1.5)}. */
    public abstract String toSpec();

    @Override
    public String toString() {
        return toSpec();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GramMap m && m.toSpec().equals(toSpec());
    }

    @Override
    public int hashCode() {
        return toSpec().hashCode();
    }

    /** The squared exponential on Gram entries with length scale ℓ &gt; 0. */
    public static GramMap squaredExponential(double length) {
        return new SquaredExponential(length);
    }

    /**
     * One NNGP layer σ_w²·E[φ(u)φ(v)] + σ_b² for a positively homogeneous φ.
     *
     * @throws Kernels4jException for other activations or variances out of range
     */
    public static GramMap nngp(Activation activation, double weightVariance, double biasVariance) {
        return new Nngp(activation, weightVariance, biasVariance);
    }

    /**
     * Parses {@code se(length=1)} or {@code nngp(activation=relu, w_var=2, b_var=0.1)}; for
     * {@code activation=leaky_relu} an {@code alpha}, for {@code abrelu} the slopes {@code a}, {@code b}.
     *
     * @throws Kernels4jException naming what is wrong
     */
    public static GramMap parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        int open = s.indexOf('(');
        String name = (open < 0 ? s : s.substring(0, open)).strip().toLowerCase(Locale.ROOT);
        if (open >= 0 && !s.endsWith(")")) {
            throw new Kernels4jException("layer map '" + spec + "': missing ')'");
        }
        Map<String, String> args = new LinkedHashMap<>();
        String inside = open < 0 ? "" : s.substring(open + 1, s.length() - 1).strip();
        if (!inside.isEmpty()) {
            for (String part : inside.split(",")) {
                int eq = part.indexOf('=');
                if (eq < 0) {
                    throw new Kernels4jException("layer map '" + spec + "': expected key=value, got '" + part.strip() + "'");
                }
                args.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT), part.substring(eq + 1).strip());
            }
        }
        switch (name) {
            case "se": {
                double length = number(spec, args, "length", 1);
                requireNoOthers(spec, args);
                return squaredExponential(length);
            }
            case "nngp": {
                String act = args.containsKey("activation") ? args.remove("activation").toLowerCase(Locale.ROOT) : "relu";
                Activation a;
                if (act.equals("leaky_relu")) {
                    a = Activation.leakyRelu(number(spec, args, "alpha", 0.01));
                } else if (act.equals("abrelu")) {
                    a = Activation.abRelu(number(spec, args, "a", 0), number(spec, args, "b", 1));
                } else {
                    a = Activation.named(act);
                }
                double w = number(spec, args, "w_var", 1);
                double b = number(spec, args, "b_var", 0);
                requireNoOthers(spec, args);
                return nngp(a, w, b);
            }
            default:
                throw new Kernels4jException("unknown layer map '" + spec + "'; use se(length=...) or nngp(activation=relu, "
                        + "w_var=..., b_var=...)");
        }
    }

    private static double number(String spec, Map<String, String> args, String key, double fallback) {
        String v = args.remove(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new Kernels4jException("layer map '" + spec + "': " + key + " must be a number, got '" + v + "'");
        }
    }

    private static void requireNoOthers(String spec, Map<String, String> args) {
        if (!args.isEmpty()) {
            throw new Kernels4jException("layer map '" + spec + "': unknown parameter '" + args.keySet().iterator().next()
                    + "'");
        }
    }

    /** exp(−(G_ii + G_jj − 2G_ij)/(2ℓ²)). */
    static final class SquaredExponential extends GramMap {
        private final double length;
        private final double scale;

        SquaredExponential(double length) {
            if (!(length > 0) || Double.isInfinite(length)) {
                throw new Kernels4jException("se: the length scale must be positive and finite, got " + length);
            }
            this.length = length;
            this.scale = 1 / (2 * length * length);
        }

        /** ℓ. */
        double length() {
            return length;
        }

        @Override
        public double value(double gii, double gij, double gjj) {
            return Math.exp(-scale * Math.max(0, gii + gjj - 2 * gij));
        }

        @Override
        public void partials(double gii, double gij, double gjj, double[] out) {
            double f = value(gii, gij, gjj);
            out[0] = -scale * f;
            out[1] = 2 * scale * f;
        }

        @Override
        void valueAndPartials(double gii, double gij, double gjj, double[] out) {
            double f = value(gii, gij, gjj);
            out[0] = f;
            out[1] = -scale * f;
            out[2] = -scale * f;
            out[3] = 2 * scale * f;
        }

        @Override
        public String toSpec() {
            return "se(length=" + Specs.num(length) + ")";
        }
    }

    /** σ_w²·E[φ(u)φ(v)] + σ_b² for a positively homogeneous φ. */
    static final class Nngp extends GramMap {
        private static final java.util.Set<String> HOMOGENEOUS = java.util.Set.of("relu", "leaky_relu", "abrelu",
                "identity");
        private final Activation activation;
        private final double wVar;
        private final double bVar;

        Nngp(Activation activation, double wVar, double bVar) {
            if (activation == null || !HOMOGENEOUS.contains(activation.name())) {
                throw new Kernels4jException("nngp layer map: the activation must be positively homogeneous (relu, "
                        + "leaky_relu, abrelu or identity), got " + (activation == null ? "none" : activation.name()));
            }
            if (!(wVar > 0) || Double.isInfinite(wVar)) {
                throw new Kernels4jException("nngp layer map: w_var must be positive and finite, got " + wVar);
            }
            if (!(bVar >= 0) || Double.isInfinite(bVar)) {
                throw new Kernels4jException("nngp layer map: b_var must be >= 0 and finite, got " + bVar);
            }
            this.activation = activation;
            this.wVar = wVar;
            this.bVar = bVar;
            this.piecewiseLinear = !activation.name().equals("identity");
            this.slopeBelow = activation.derivative(-1);
            this.slopeAbove = activation.derivative(1);
        }

        /** Whether φ(x) = a·x (x &lt; 0), b·x (x ≥ 0) with a = {@link #slopeBelow}, b = {@link #slopeAbove}. */
        private final boolean piecewiseLinear;
        private final double slopeBelow;
        private final double slopeAbove;

        /**
         * The closed forms of {@code Activation.pair}/{@code derivativePair} for φ = a·x⁻ + b·x⁺ (Cho &amp; Saul's
         * arc-cosine family; relu is a = 0, b = 1) written out here so that one arccosine and two square roots
         * serve the value and all partials (the activation's own methods take one arccosine each, and the DKM
         * gradient needs them for every entry of two n×n matrices per evaluation): with p = √(G_ii·G_jj),
         * c = G_ij/p, θ = arccos c, s = √(1 − c²),
         * E[φφ] = p/(2π)·[(a² + b²)(s + (π − θ)c) − 2ab(s − θc)], E[φ'φ'] = [(a² + b²)(π − θ) + 2abθ]/(2π),
         * and ∂/∂G_ii from Euler's identity as in {@link #partials}. Checked against the activation's methods
         * in DeepKernelMachineTest.
         */
        @Override
        void valueAndPartials(double gii, double gij, double gjj, double[] out) {
            double p = Math.sqrt(gii * gjj);
            if (!piecewiseLinear || !(p > 0)) {
                super.valueAndPartials(gii, gij, gjj, out);
                return;
            }
            double a = slopeBelow;
            double b = slopeAbove;
            double c = org.kernels4j.linalg.ArcCosine.clipCorrelation(gij / p);
            double theta = org.kernels4j.linalg.ArcCosine.acos(c);
            double sin = Math.sqrt((1 - c) * (1 + c));
            double squares = a * a + b * b;
            double pair = p / (2 * Math.PI) * (squares * (sin + (Math.PI - theta) * c) - 2 * a * b * (sin - theta * c));
            double dij = (squares * (Math.PI - theta) + 2 * a * b * theta) / (2 * Math.PI);
            double euler = wVar * (pair - gij * dij) / 2;
            out[0] = wVar * pair + bVar;
            out[1] = euler / gii;
            out[2] = euler / gjj;
            out[3] = wVar * dij;
        }

        @Override
        public double value(double gii, double gij, double gjj) {
            return wVar * activation.pair(gii, gij, gjj) + bVar;
        }

        @Override
        public void partials(double gii, double gij, double gjj, double[] out) {
            double pair = activation.pair(gii, gij, gjj);
            double dij = activation.derivativePair(gii, gij, gjj);
            out[1] = wVar * dij;
            // Euler's identity for a degree-1 homogeneous φ: 2·G_ii·∂_ii + G_ij·∂_ij = E[φ(u)φ(v)]
            out[0] = gii > 0 ? wVar * (pair - gij * dij) / (2 * gii) : 0;
        }

        @Override
        public String toSpec() {
            return "nngp(activation=" + activation + ", w_var=" + Specs.num(wVar)
                    + ", b_var=" + Specs.num(bVar) + ")";
        }
    }
}
