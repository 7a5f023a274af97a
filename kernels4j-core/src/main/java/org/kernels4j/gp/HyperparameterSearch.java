package org.kernels4j.gp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.optim.BoundedLbfgs;
import org.kernels4j.linalg.NotPositiveDefiniteException;

/**
 * Maximizes a model's evidence (log marginal likelihood, or a lower bound on it) over a kernel's
 * hyperparameters, in log space within bounds, by {@link BoundedLbfgs} from the kernel's current
 * values and from {@code restarts} further starting points drawn log-uniformly within the bounds
 * (seeded), keeping the best optimum, as scikit-learn's {@code n_restarts_optimizer} does.
 *
 * <p>Bounds default to each {@link Hyperparameter}'s own; {@link Builder#bound} narrows one by name
 * and {@link Builder#fix} holds one at its current value. An evidence that cannot be evaluated
 * (the covariance is not positive definite) counts as −∞, so the line search backs away from it.
 * Cost: one evidence evaluation per line-search trial, typically 10–60 per start.
 */
public final class HyperparameterSearch {
    /**
     * An evidence value and its gradient with respect to the log of every kernel hyperparameter,
     * in {@link Kernel#hyperparameters()} order.
     */
    public record Evidence(double value, double[] gradient, double[] extraGradient) {
        /** An evidence with no extra variables. */
        public Evidence(double value, double[] gradient) {
            this(value, gradient, new double[0]);
        }
    }

    /**
     * One optimizer run.
     *
     * @param initial the starting hyperparameters θ (all of them, fixed ones included)
     * @param optimum where it ended
     * @param evidence the evidence there (−∞ if the start itself could not be evaluated)
     * @param iterations L-BFGS iterations
     * @param evaluations evidence evaluations
     * @param stop why it stopped (null if the start could not be evaluated)
     */
    public record Start(double[] initial, double[] optimum, double evidence, int iterations, int evaluations,
            BoundedLbfgs.Stop stop) {
    }

    /**
     * The outcome.
     *
     * @param kernel the kernel at the best optimum
     * @param evidence the evidence there
     * @param hyperparameters the learned parameters with the bounds that applied
     * @param fixed names of the parameters held fixed
     * @param starts every run, the kernel's own start first
     * @param best index of the best run in {@code starts}
     * @param extra the extra variables at the best optimum (empty when there were none)
     */
    public record Result(Kernel kernel, double evidence, List<Hyperparameter> hyperparameters, Set<String> fixed,
            List<Start> starts, int best, double[] extra) {
    }

    private final int restarts;
    private final long seed;
    private final Map<String, double[]> bounds;
    private final Set<String> fixed;
    private final BoundedLbfgs optimizer;

    private HyperparameterSearch(Builder b) {
        this.restarts = b.restarts;
        this.seed = b.seed;
        this.bounds = Map.copyOf(b.bounds);
        this.fixed = Set.copyOf(b.fixed);
        this.optimizer = BoundedLbfgs.defaults().withMaxIterations(b.maxIterations);
    }

    /** Options: no restarts, seed 0, the kernel's own bounds, nothing fixed, 1000 iterations per start. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link HyperparameterSearch}. */
    public static final class Builder {
        private int restarts;
        private long seed;
        private final Map<String, double[]> bounds = new LinkedHashMap<>();
        private final Set<String> fixed = new LinkedHashSet<>();
        private int maxIterations = 1000;

        private Builder() {
        }

        /** Extra random starting points (≥ 0). */
        public Builder restarts(int count) {
            if (count < 0) {
                throw new Kernels4jException("restarts must be >= 0, got " + count);
            }
            this.restarts = count;
            return this;
        }

        /** Seed for the restart points. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Bounds 0 &lt; lower ≤ upper &lt; ∞ on θ for the parameter with this name (e.g. {@code rbf.length}). */
        public Builder bound(String name, double lower, double upper) {
            if (!(lower > 0) || !(upper >= lower) || Double.isInfinite(upper)) {
                throw new Kernels4jException("bounds for " + name + " must satisfy 0 < lower <= upper < inf, got ["
                        + lower + ", " + upper + "]");
            }
            bounds.put(name, new double[] {lower, upper});
            return this;
        }

        /** Holds the parameter with this name at its current value. */
        public Builder fix(String name) {
            fixed.add(name);
            return this;
        }

        /** L-BFGS iteration limit per start (≥ 1). */
        public Builder maxIterations(int limit) {
            if (limit < 1) {
                throw new Kernels4jException("the iteration limit must be >= 1, got " + limit);
            }
            this.maxIterations = limit;
            return this;
        }

        /** The search. */
        public HyperparameterSearch build() {
            return new HyperparameterSearch(this);
        }
    }

    /**
     * Maximizes {@code evidence} over the kernel's free hyperparameters.
     *
     * @param evidence evaluates the evidence and its log-space gradient for a kernel; it may throw
     *     {@link NotPositiveDefiniteException} where the model is undefined
     * @throws Kernels4jException for a bound or fixed name the kernel does not have, or when the
     *     kernel has no free hyperparameters
     */
    public Result maximize(Kernel kernel, Function<Kernel, Evidence> evidence) {
        return maximize(kernel, new double[0], (k, unused) -> evidence.apply(k));
    }

    /**
     * Maximizes {@code evidence} over the kernel's free hyperparameters together with unbounded extra
     * variables (such as inducing inputs), which every start begins from {@code extra}; the
     * evidence's {@code extraGradient} is its gradient with respect to them.
     */
    public Result maximize(Kernel kernel, double[] extra, java.util.function.BiFunction<Kernel, double[], Evidence> evidence) {
        List<Hyperparameter> params = new ArrayList<>(kernel.hyperparameters());
        List<String> names = params.stream().map(Hyperparameter::name).toList();
        for (String name : bounds.keySet()) {
            requireKnown(name, names, kernel, "bounds");
        }
        for (String name : fixed) {
            requireKnown(name, names, kernel, "fixed parameter");
        }
        int total = params.size();
        List<Integer> free = new ArrayList<>();
        for (int p = 0; p < total; p++) {
            Hyperparameter h = params.get(p);
            double[] b = bounds.get(h.name());
            if (b != null) {
                params.set(p, h.withBounds(b[0], b[1]));
            }
            if (!fixed.contains(h.name())) {
                free.add(p);
            }
        }
        if (free.isEmpty()) {
            throw new Kernels4jException("the kernel " + kernel.toSpec() + " has no free hyperparameters to optimize"
                    + (total > 0 ? " (all are fixed)" : ""));
        }
        double[] base = params.stream().mapToDouble(Hyperparameter::value).toArray();
        int m = free.size();
        int e0 = extra.length;
        double[] lower = new double[m + e0];
        double[] upper = new double[m + e0];
        double[] x0 = new double[m + e0];
        for (int i = 0; i < m; i++) {
            Hyperparameter h = params.get(free.get(i));
            lower[i] = Math.log(h.lower());
            upper[i] = Math.log(h.upper());
            x0[i] = Math.log(h.value());
        }
        for (int i = 0; i < e0; i++) {
            lower[m + i] = Double.NEGATIVE_INFINITY;
            upper[m + i] = Double.POSITIVE_INFINITY;
            x0[m + i] = extra[i];
        }
        BoundedLbfgs.Objective objective = (x, grad) -> {
            Evidence e;
            try {
                e = evidence.apply(kernel.withHyperparameters(theta(base, free, x)), java.util.Arrays.copyOfRange(x, m, m + e0));
            } catch (NotPositiveDefiniteException notPd) {
                return Double.NaN;
            }
            for (int i = 0; i < m; i++) {
                grad[i] = -e.gradient()[free.get(i)];
            }
            for (int i = 0; i < e0; i++) {
                grad[m + i] = -e.extraGradient()[i];
            }
            return -e.value();
        };
        List<Start> starts = new ArrayList<>();
        List<double[]> extras = new ArrayList<>();
        Random random = new Random(seed);
        int best = -1;
        for (int s = 0; s <= restarts; s++) {
            double[] start = x0.clone();
            if (s > 0) {
                for (int i = 0; i < m; i++) { // the extra variables start where they were given
                    start[i] = lower[i] + random.nextDouble() * (upper[i] - lower[i]);
                }
            }
            Start run;
            try {
                BoundedLbfgs.Result r = optimizer.minimize(objective, start, lower, upper);
                run = new Start(theta(base, free, start), theta(base, free, r.x()), -r.value(), r.iterations(),
                        r.evaluations(), r.stop());
                extras.add(java.util.Arrays.copyOfRange(r.x(), m, m + e0));
            } catch (Kernels4jException notFinite) {
                if (s == 0) {
                    throw new Kernels4jException("the evidence cannot be evaluated at the starting hyperparameters of "
                            + kernel.toSpec() + " (is the covariance positive definite? add white(noise=...) or raise "
                            + "the noise)");
                }
                run = new Start(theta(base, free, start), theta(base, free, start), Double.NEGATIVE_INFINITY, 0, 1, null);
                extras.add(extra.clone());
            }
            starts.add(run);
            if (best < 0 || run.evidence() > starts.get(best).evidence()) {
                best = s;
            }
        }
        Start chosen = starts.get(best);
        if (chosen.stop() == BoundedLbfgs.Stop.ITERATIONS) {
            System.getLogger(HyperparameterSearch.class.getName()).log(System.Logger.Level.WARNING, () -> String.format(
                    "GP hyperparameter search did not converge: the best of %d starts stopped at the iteration limit"
                    + " (%d) with log evidence %.6g; raise the iteration limit", starts.size(), chosen.iterations(),
                    chosen.evidence()));
        }
        double[] optimum = chosen.optimum();
        List<Hyperparameter> learned = new ArrayList<>();
        for (int p = 0; p < total; p++) {
            Hyperparameter h = params.get(p);
            learned.add(new Hyperparameter(h.name(), optimum[p], h.lower(), h.upper()));
        }
        return new Result(kernel.withHyperparameters(optimum), starts.get(best).evidence(), List.copyOf(learned),
                fixed, List.copyOf(starts), best, extras.get(best));
    }

    private static double[] theta(double[] base, List<Integer> free, double[] logFree) {
        double[] t = base.clone();
        for (int i = 0; i < free.size(); i++) {
            t[free.get(i)] = Math.exp(logFree[i]);
        }
        return t;
    }

    private static void requireKnown(String name, List<String> names, Kernel kernel, String what) {
        if (!names.contains(name)) {
            throw new Kernels4jException(what + ": the kernel " + kernel.toSpec() + " has no hyperparameter '" + name
                    + "'; its hyperparameters are " + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
    }

    @Override
    public String toString() {
        return "HyperparameterSearch(restarts=" + restarts + ", seed=" + seed + ", bounds=" + bounds.keySet()
                + ", fixed=" + fixed + ", " + optimizer + ")";
    }
}
