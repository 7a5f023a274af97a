package org.kernels4j.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kernels4j.Kernels4jException;

/**
 * One positive, continuous parameter θ of a kernel that a learner may tune, such as a length
 * scale, a variance, a period or a noise level. Learners work with log θ, so θ stays positive
 * and relative changes are treated alike at every scale; {@link Kernel#computeGradientBlock}
 * gives derivatives with respect to log θ, i.e. θ·∂k/∂θ.
 *
 * <p>Bounds [lower, upper] are on θ itself. The default is [10⁻⁵, 10⁵] (as in scikit-learn),
 * widened to include the current value. Learners may narrow them or fix a parameter by name.
 *
 * @param name dotted path, e.g. {@code rbf.length}, {@code rbf.length[2]} (one entry of an ARD
 *     vector), {@code scale}, {@code white.noise}; in composite kernels a repeated name gets
 *     {@code #2}, {@code #3}, … after its kernel name, e.g. {@code rbf#2.length}
 * @param value θ &gt; 0
 * @param lower lower bound, 0 &lt; lower ≤ value
 * @param upper upper bound, value ≤ upper &lt; ∞
 */
public record Hyperparameter(String name, double value, double lower, double upper) {
    /** Default lower bound. */
    public static final double DEFAULT_LOWER = 1e-5;
    /** Default upper bound. */
    public static final double DEFAULT_UPPER = 1e5;

    /** Checks the bounds. */
    public Hyperparameter {
        if (!(lower > 0) || !(upper >= lower) || Double.isInfinite(upper)) {
            throw new Kernels4jException("hyperparameter " + name + ": bounds must satisfy 0 < lower <= upper < inf, got ["
                    + Specs.num(lower) + ", " + Specs.num(upper) + "]");
        }
    }

    /** θ with the default bounds widened to contain it. */
    public static Hyperparameter of(String name, double value) {
        return new Hyperparameter(name, value, Math.min(DEFAULT_LOWER, value), Math.max(DEFAULT_UPPER, value));
    }

    /** The same parameter under another name. */
    Hyperparameter named(String newName) {
        return new Hyperparameter(newName, value, lower, upper);
    }

    /** The same parameter with other bounds. */
    public Hyperparameter withBounds(double newLower, double newUpper) {
        return new Hyperparameter(name, value, newLower, newUpper);
    }

    /** Names for a vector parameter: {@code base} for one entry, else {@code base[0]}, {@code base[1]}, …. */
    static List<Hyperparameter> vector(String base, double[] values) {
        List<Hyperparameter> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(of(values.length == 1 ? base : base + "[" + i + "]", values[i]));
        }
        return out;
    }

    /**
     * The parameters of several kernels in order, with repeated names made unique: the second
     * {@code rbf.length} becomes {@code rbf#2.length} (the mark goes after the first path part).
     */
    static List<Hyperparameter> concat(List<Kernel> kernels) {
        List<Hyperparameter> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Kernel k : kernels) {
            for (Hyperparameter h : k.hyperparameters()) {
                int count = seen.merge(h.name(), 1, Integer::sum);
                String prefix = firstPart(h.name());
                out.add(count == 1 ? h : h.named(prefix + "#" + count + h.name().substring(prefix.length())));
            }
        }
        return out;
    }

    private static String firstPart(String name) {
        int dot = name.indexOf('.');
        int bracket = name.indexOf('[');
        int end = name.length();
        if (dot >= 0) {
            end = dot;
        }
        if (bracket >= 0 && bracket < end) {
            end = bracket;
        }
        return name.substring(0, end);
    }

    /** Checks that a replacement vector has one positive finite value per parameter. */
    public static void requireValues(Kernel kernel, double[] values, int count) {
        if (values.length != count) {
            throw new Kernels4jException(kernel.toSpec() + " has " + count + " hyperparameters, got " + values.length
                    + " values");
        }
        for (double v : values) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new Kernels4jException("hyperparameter values must be positive and finite, got " + Specs.num(v)
                        + " for " + kernel.toSpec());
            }
        }
    }
}
