package org.kernels4j.bo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.kernels4j.Kernels4jException;

/**
 * A box of named parameters that a {@link BayesianOptimizer} searches: each is continuous
 * (a real in [lower, upper]) or integer (an integer in [lower, upper]), on a linear or a
 * logarithmic scale. The optimizer works in the unit cube u ∈ [0, 1]^d and maps each coordinate
 * to a value by
 * <pre>
 *   linear:  v = lower + u·(upper − lower)
 *   log:     v = exp(ln lower + u·(ln upper − ln lower))        (lower &gt; 0)
 *   integer: v = lower + ⌊u·(upper − lower + 1)⌋ (capped at upper): equal-width bins, u = bin centre
 *            on the way back; on a log scale v = round(the log formula)
 * </pre>
 * Integer parameters are searched by relaxation: the acquisition is maximized over the continuous u,
 * the proposal is rounded to the nearest integer, and the surrogate is conditioned on the rounded
 * point mapped back to u (so it never sees a value that was not evaluated). Immutable.
 *
 * <pre>{@code
 * SearchSpace space = SearchSpace.builder().continuous("x", -5, 10).logScale("lr", 1e-4, 1e-1)
 *         .integer("layers", 1, 8).build();
 * }</pre>
 */
public final class SearchSpace {
    /** How a parameter's values are spread. */
    public enum Type {
        /** A real number. */
        CONTINUOUS,
        /** An integer. */
        INTEGER
    }

    /**
     * One parameter.
     *
     * @param name a unique name (letters, digits, '_', '-' or '.')
     * @param type continuous or integer
     * @param lower smallest value
     * @param upper largest value, &gt; lower
     * @param log whether values are searched on a log scale (then lower &gt; 0)
     */
    public record Parameter(String name, Type type, double lower, double upper, boolean log) {
        /** @throws Kernels4jException for a bad name, non-finite or empty bounds, or a log scale reaching 0 */
        public Parameter {
            if (name == null || !name.matches("[A-Za-z0-9_.\\-]+")) {
                throw new Kernels4jException("parameter name \"" + name
                        + "\" must be non-empty and use only letters, digits, '_', '-' or '.'");
            }
            if (type == null) {
                throw new Kernels4jException("parameter " + name + ": a type (continuous or integer) is needed");
            }
            if (!Double.isFinite(lower) || !Double.isFinite(upper)) {
                throw new Kernels4jException("parameter " + name + ": bounds must be finite, got [" + lower + ", "
                        + upper + "]");
            }
            if (!(upper > lower)) {
                throw new Kernels4jException("parameter " + name + ": upper bound " + upper
                        + " must be greater than lower bound " + lower);
            }
            if (type == Type.INTEGER && (lower != Math.rint(lower) || upper != Math.rint(upper))) {
                throw new Kernels4jException("parameter " + name + ": an integer parameter needs integer bounds, got ["
                        + lower + ", " + upper + "]");
            }
            if (log && !(lower > 0)) {
                throw new Kernels4jException("parameter " + name + ": a log-scaled parameter needs lower > 0, got "
                        + lower);
            }
        }

        /** The value at unit coordinate u ∈ [0, 1] (clamped); see the class comment for integers. */
        public double fromUnit(double u) {
            double t = Math.min(1, Math.max(0, u));
            if (type == Type.INTEGER && !log) {
                return Math.min(upper, lower + Math.floor(t * (upper - lower + 1)));
            }
            double v = log ? Math.exp(Math.log(lower) + t * (Math.log(upper) - Math.log(lower)))
                    : lower + t * (upper - lower);
            if (type == Type.INTEGER) {
                v = Math.rint(v);
            }
            return Math.min(upper, Math.max(lower, v));
        }

        /** The unit coordinate of a value in [lower, upper] (the centre of its bin for a linear integer). */
        public double toUnit(double v) {
            double t;
            if (type == Type.INTEGER && !log) {
                t = (v - lower + 0.5) / (upper - lower + 1);
            } else {
                t = log ? (Math.log(v) - Math.log(lower)) / (Math.log(upper) - Math.log(lower))
                        : (v - lower) / (upper - lower);
            }
            return Math.min(1, Math.max(0, t));
        }
    }

    private final List<Parameter> parameters;

    private SearchSpace(List<Parameter> parameters) {
        this.parameters = List.copyOf(parameters);
    }

    /** Starts an empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Adds parameters in order; names must be unique, at least one parameter. */
    public static final class Builder {
        private final List<Parameter> parameters = new ArrayList<>();

        private Builder() {
        }

        /** A real parameter in [lower, upper] on a linear scale. */
        public Builder continuous(String name, double lower, double upper) {
            return add(new Parameter(name, Type.CONTINUOUS, lower, upper, false));
        }

        /** A real parameter in [lower, upper], 0 &lt; lower, searched on a log scale. */
        public Builder logScale(String name, double lower, double upper) {
            return add(new Parameter(name, Type.CONTINUOUS, lower, upper, true));
        }

        /** An integer parameter in [lower, upper] on a linear scale. */
        public Builder integer(String name, int lower, int upper) {
            return add(new Parameter(name, Type.INTEGER, lower, upper, false));
        }

        /** Any parameter. */
        public Builder add(Parameter p) {
            if (p == null) {
                throw new Kernels4jException("a search-space parameter cannot be null");
            }
            parameters.add(p);
            return this;
        }

        /** @throws Kernels4jException for no parameters or a repeated name */
        public SearchSpace build() {
            if (parameters.isEmpty()) {
                throw new Kernels4jException("a search space needs at least one parameter");
            }
            Set<String> seen = new HashSet<>();
            for (Parameter p : parameters) {
                if (!seen.add(p.name())) {
                    throw new Kernels4jException("parameter name " + p.name() + " appears twice in the search space");
                }
            }
            return new SearchSpace(parameters);
        }
    }

    /** A box of continuous linear parameters x1 … xd with these bounds (as the standard test functions use). */
    public static SearchSpace box(double[] lower, double[] upper) {
        if (lower.length != upper.length) {
            throw new Kernels4jException("box bounds have " + lower.length + " lower and " + upper.length
                    + " upper values");
        }
        Builder b = builder();
        for (int i = 0; i < lower.length; i++) {
            b.continuous("x" + (i + 1), lower[i], upper[i]);
        }
        return b.build();
    }

    /** The parameters, in order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Number of parameters d. */
    public int dimension() {
        return parameters.size();
    }

    /** The point (parameter values) at unit coordinates u. */
    public double[] fromUnit(double[] u) {
        requireLength(u, "unit point");
        double[] v = new double[u.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = parameters.get(i).fromUnit(u[i]);
        }
        return v;
    }

    /** The unit coordinates of a point inside the space. */
    public double[] toUnit(double[] point) {
        requireInside(point);
        double[] u = new double[point.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = parameters.get(i).toUnit(point[i]);
        }
        return u;
    }

    /**
     * Checks that a point has d finite values within the bounds, integers where the parameter is one.
     *
     * @throws Kernels4jException naming the first offending parameter
     */
    public void requireInside(double[] point) {
        requireLength(point, "point");
        for (int i = 0; i < point.length; i++) {
            Parameter p = parameters.get(i);
            double v = point[i];
            if (!Double.isFinite(v) || v < p.lower() || v > p.upper()) {
                throw new Kernels4jException("parameter " + p.name() + " = " + v + " is outside [" + p.lower() + ", "
                        + p.upper() + "]");
            }
            if (p.type() == Type.INTEGER && v != Math.rint(v)) {
                throw new Kernels4jException("parameter " + p.name() + " = " + v + " must be an integer");
            }
        }
    }

    private void requireLength(double[] point, String what) {
        if (point == null || point.length != parameters.size()) {
            throw new Kernels4jException("a " + what + " needs " + parameters.size() + " values (one per parameter), got "
                    + (point == null ? "none" : point.length));
        }
    }

    @Override
    public String toString() {
        return "SearchSpace" + parameters;
    }
}
