package org.kernels4j.bo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.optim.BoundedLbfgs;

/**
 * Bayesian optimization of an expensive black-box function over a {@link SearchSpace}, by an
 * ask/tell loop: {@link #ask} proposes points, the caller evaluates them, and {@link #tell} returns
 * a new optimizer that also knows the results. The optimizer is immutable (observations included);
 * {@code ask} is a pure function of the observations, the options and the seed, so asking twice
 * without telling returns the same points.
 *
 * <p>One proposal:
 * <ol>
 *   <li>While fewer than {@code initialPoints} observations exist, the points of a Latin hypercube
 *       design of that size (seeded) are returned, in order.</li>
 *   <li>Otherwise the {@link Surrogate} is fitted to the observations in unit-cube coordinates (the
 *       targets negated when minimizing), its hyperparameters learned from the previous fit's values
 *       (warm start, carried from optimizer to optimizer by {@code tell}).</li>
 *   <li>The {@link Acquisition} is evaluated at {@code rawSamples} uniform random points; the best
 *       {@code starts} of them and the best observed point start {@link BoundedLbfgs} on [0, 1]^d,
 *       with the analytic input gradient where the acquisition has one (else central differences);
 *       the best optimum is proposed. Integer parameters are rounded afterwards
 *       ({@link SearchSpace}).</li>
 *   <li>For q &gt; 1 ("Kriging believer", Ginsbourger, Le Riche &amp; Carraro 2010): after each pick the
 *       posterior is conditioned on the fantasy observation f(x) = μ(x), hyperparameters fixed, and
 *       the next point maximizes the acquisition under it; the fantasy lowers σ near x, which spreads
 *       the batch. (EI's incumbent includes fantasies.)</li>
 * </ol>
 * Cost of a proposal with n observations in d dimensions: the hyperparameter search, O(n³) per
 * evidence evaluation (tens of them), plus O(n² + n·d) per acquisition evaluation (a few thousand
 * of them), plus O(n³) per extra batch point.
 *
 * <pre>{@code
 * BayesianOptimizer bo = BayesianOptimizer.builder(space).acquisition(Acquisition.expectedImprovement()).seed(1).build();
 * for (int i = 0; i < 30; i++) {
 *     double[] x = bo.ask();
 *     bo = bo.tell(x, objective.applyAsDouble(x));
 * }
 * Observation best = bo.best();
 * }</pre>
 */
public final class BayesianOptimizer {
    /** Whether smaller or larger values are better. */
    public enum Goal {
        /** Look for the smallest value. */
        MINIMIZE,
        /** Look for the largest value. */
        MAXIMIZE
    }

    private final SearchSpace space;
    private final Acquisition acquisition;
    private final Surrogate surrogate;
    private final Goal goal;
    private final int initialPoints;
    private final int starts;
    private final int rawSamples;
    private final long seed;
    private final List<Observation> observations;
    private final Kernel warmStart;
    private volatile Posterior fitted;

    private BayesianOptimizer(Builder b, List<Observation> observations, Kernel warmStart) {
        this.space = b.space;
        this.acquisition = b.acquisition;
        this.surrogate = b.surrogate;
        this.goal = b.goal;
        this.initialPoints = b.initialPoints < 0 ? Math.max(5, 2 * space.dimension()) : b.initialPoints;
        this.starts = b.starts;
        this.rawSamples = b.rawSamples;
        this.seed = b.seed;
        this.observations = List.copyOf(observations);
        this.warmStart = warmStart;
    }

    private BayesianOptimizer(BayesianOptimizer o, List<Observation> observations, Kernel warmStart) {
        this.space = o.space;
        this.acquisition = o.acquisition;
        this.surrogate = o.surrogate;
        this.goal = o.goal;
        this.initialPoints = o.initialPoints;
        this.starts = o.starts;
        this.rawSamples = o.rawSamples;
        this.seed = o.seed;
        this.observations = List.copyOf(observations);
        this.warmStart = warmStart;
    }

    /**
     * Starts a builder. Defaults: expected improvement, {@link Surrogate#matern52()}, minimize,
     * max(5, 2d) initial points, 5 L-BFGS starts, 512 raw samples, seed 0.
     */
    public static Builder builder(SearchSpace space) {
        return new Builder(space);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final SearchSpace space;
        private Acquisition acquisition = Acquisition.expectedImprovement();
        private Surrogate surrogate = Surrogate.matern52();
        private Goal goal = Goal.MINIMIZE;
        private int initialPoints = -1;
        private int starts = 5;
        private int rawSamples = 512;
        private long seed;

        private Builder(SearchSpace space) {
            if (space == null) {
                throw new Kernels4jException("Bayesian optimization needs a search space");
            }
            this.space = space;
        }

        /** The acquisition function. */
        public Builder acquisition(Acquisition value) {
            this.acquisition = value;
            return this;
        }

        /** The surrogate model. */
        public Builder surrogate(Surrogate value) {
            this.surrogate = value;
            return this;
        }

        /** Minimize (default) or maximize. */
        public Builder goal(Goal value) {
            this.goal = value;
            return this;
        }

        /** Size k ≥ 1 of the space-filling initial design evaluated before the surrogate is used. */
        public Builder initialPoints(int k) {
            this.initialPoints = k;
            return this;
        }

        /** L-BFGS starts (≥ 1) per acquisition maximization. */
        public Builder starts(int count) {
            this.starts = count;
            return this;
        }

        /** Random points (≥ 1) at which the acquisition is evaluated to choose the starts. */
        public Builder rawSamples(int count) {
            this.rawSamples = count;
            return this;
        }

        /** The seed of the design, the raw samples and the hyperparameter restarts. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** @throws Kernels4jException for a missing component or a count below 1 */
        public BayesianOptimizer build() {
            if (acquisition == null || surrogate == null || goal == null) {
                throw new Kernels4jException("Bayesian optimization needs an acquisition function, a surrogate and a goal");
            }
            if (initialPoints == 0 || initialPoints < -1) {
                throw new Kernels4jException("the initial design needs at least 1 point, got " + initialPoints);
            }
            if (starts < 1 || rawSamples < 1) {
                throw new Kernels4jException("acquisition maximization needs >= 1 start and >= 1 raw sample, got "
                        + starts + " and " + rawSamples);
            }
            return new BayesianOptimizer(this, List.of(), null);
        }
    }

    /** The search space. */
    public SearchSpace space() {
        return space;
    }

    /** The acquisition function. */
    public Acquisition acquisition() {
        return acquisition;
    }

    /** The goal. */
    public Goal goal() {
        return goal;
    }

    /** The size of the initial design. */
    public int initialPoints() {
        return initialPoints;
    }

    /** The observations told so far, in order (immutable). */
    public List<Observation> observations() {
        return observations;
    }

    /**
     * A new optimizer that also knows f(point) = value; this one is unchanged.
     *
     * @throws Kernels4jException when the point is outside the space (or not integer where it must
     *     be) or the value is not finite
     */
    public BayesianOptimizer tell(double[] point, double value) {
        return tell(List.of(new Observation(point, value)));
    }

    /** A new optimizer that also knows these observations. */
    public BayesianOptimizer tell(List<Observation> more) {
        List<Observation> all = new ArrayList<>(observations);
        for (Observation o : more) {
            space.requireInside(o.point());
            if (!Double.isFinite(o.value())) {
                throw new Kernels4jException("the objective value at " + o + " is not finite; "
                        + "skip the point or tell a penalty value instead");
            }
            all.add(o);
        }
        Posterior p = fitted;
        return new BayesianOptimizer(this, all, p != null ? p.kernel() : warmStart);
    }

    /**
     * The best observation (smallest value when minimizing, largest when maximizing; the first of
     * equals).
     *
     * @throws Kernels4jException when nothing has been observed
     */
    public Observation best() {
        if (observations.isEmpty()) {
            throw new Kernels4jException("no observations yet: ask for points and tell their values first");
        }
        Observation best = observations.get(0);
        for (Observation o : observations) {
            if (sign() * o.value() > sign() * best.value()) {
                best = o;
            }
        }
        return best;
    }

    /** One proposal: {@code ask(1).get(0)}. */
    public double[] ask() {
        return ask(1).get(0);
    }

    /**
     * q ≥ 1 points to evaluate next (see the class comment), as parameter values in space order.
     *
     * @throws Kernels4jException for q &lt; 1
     */
    public List<double[]> ask(int q) {
        if (q < 1) {
            throw new Kernels4jException("ask for at least 1 point, got " + q);
        }
        int n = observations.size();
        List<double[]> out = new ArrayList<>();
        if (n < initialPoints) {
            double[][] design = design();
            for (int i = 0; i < q; i++) {
                int index = n + i;
                double[] u = index < design.length ? design[index] : uniform(new SplittableRandom(mix(seed, index)));
                out.add(space.fromUnit(u));
            }
            return Collections.unmodifiableList(out);
        }
        Posterior posterior = posterior();
        Matrix u = unitPoints();
        double[] g = targets();
        double incumbent = Double.NEGATIVE_INFINITY;
        for (double v : g) {
            incumbent = Math.max(incumbent, v);
        }
        SplittableRandom random = new SplittableRandom(mix(seed, n + 0x5DEECE66DL));
        double[][] kgSet = null;
        if (acquisition.kind() == Acquisition.Kind.KNOWLEDGE_GRADIENT) {
            kgSet = new double[acquisition.candidates()][];
            for (int i = 0; i < kgSet.length; i++) {
                kgSet[i] = uniform(random);
            }
        }
        for (int i = 0; i < q; i++) {
            Objective objective = new Objective(posterior, acquisition, incumbent, spread(g), u, kgSet);
            double[] best = maximize(objective, random, bestObservedUnit());
            double[] point = space.fromUnit(best);
            out.add(point);
            if (i + 1 < q) {
                double[] ur = space.toUnit(point);
                double fantasy = posterior.mean(ur);
                posterior = posterior.condition(ur, fantasy);
                u = append(u, ur);
                incumbent = Math.max(incumbent, fantasy);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The surrogate fitted to the observations in unit-cube coordinates, of the value itself
     * when maximizing and of its negation when minimizing (computed once per optimizer).
     *
     * @throws Kernels4jException with fewer than 2 observations
     */
    public Posterior posterior() {
        Posterior p = fitted;
        if (p == null) {
            if (observations.size() < 2) {
                throw new Kernels4jException("the surrogate needs at least 2 observations, got " + observations.size());
            }
            p = surrogate.fit(unitPoints(), targets(), warmStart, mix(seed, observations.size()));
            fitted = p;
        }
        return p;
    }

    /** The acquisition function's value at a point (parameter values), under {@link #posterior()}. */
    public double acquisitionValue(double[] point) {
        double incumbent = Double.NEGATIVE_INFINITY;
        for (double v : targets()) {
            incumbent = Math.max(incumbent, v);
        }
        double[][] kgSet = null;
        if (acquisition.kind() == Acquisition.Kind.KNOWLEDGE_GRADIENT) {
            SplittableRandom random = new SplittableRandom(mix(seed, observations.size() + 0x5DEECE66DL));
            kgSet = new double[acquisition.candidates()][];
            for (int i = 0; i < kgSet.length; i++) {
                kgSet[i] = uniform(random);
            }
        }
        return new Objective(posterior(), acquisition, incumbent, spread(targets()), unitPoints(), kgSet)
                .value(space.toUnit(point));
    }

    /** The population standard deviation of the values (1 when they are all equal). */
    private static double spread(double[] g) {
        double mean = 0;
        for (double v : g) {
            mean += v / g.length;
        }
        double ss = 0;
        for (double v : g) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / g.length);
        return sd > 0 ? sd : 1;
    }

    private double sign() {
        return goal == Goal.MINIMIZE ? -1 : 1;
    }

    private double[] targets() {
        double[] g = new double[observations.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = sign() * observations.get(i).value();
        }
        return g;
    }

    private Matrix unitPoints() {
        int d = space.dimension();
        Matrix u = new Matrix(observations.size(), d);
        for (int i = 0; i < observations.size(); i++) {
            double[] r = space.toUnit(observations.get(i).point());
            for (int f = 0; f < d; f++) {
                u.set(i, f, r[f]);
            }
        }
        return u;
    }

    private double[] bestObservedUnit() {
        return space.toUnit(best().point());
    }

    private static Matrix append(Matrix u, double[] row) {
        int n = u.rows();
        int d = u.cols();
        double[] data = java.util.Arrays.copyOf(u.data(), (n + 1) * d);
        System.arraycopy(row, 0, data, n * d, d);
        return Matrix.wrap(n + 1, d, data);
    }

    /** A Latin hypercube of {@code initialPoints} points: one point per stratum in every coordinate. */
    private double[][] design() {
        int k = initialPoints;
        int d = space.dimension();
        SplittableRandom random = new SplittableRandom(mix(seed, -1));
        double[][] points = new double[k][d];
        for (int f = 0; f < d; f++) {
            int[] perm = new int[k];
            for (int i = 0; i < k; i++) {
                perm[i] = i;
            }
            for (int i = k - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            for (int i = 0; i < k; i++) {
                points[i][f] = (perm[i] + random.nextDouble()) / k;
            }
        }
        return points;
    }

    private double[] uniform(SplittableRandom random) {
        double[] u = new double[space.dimension()];
        for (int f = 0; f < u.length; f++) {
            u[f] = random.nextDouble();
        }
        return u;
    }

    private static long mix(long seed, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + salt * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 27);
    }

    /** Raw samples, then multi-start L-BFGS on −acquisition over [0, 1]^d. */
    private double[] maximize(Objective objective, SplittableRandom random, double[] incumbentPoint) {
        int d = space.dimension();
        int raw = acquisition.hasAnalyticGradient() ? rawSamples : Math.max(1, rawSamples / 4);
        double[][] samples = new double[raw + 1][];
        double[] values = new double[raw + 1];
        samples[0] = incumbentPoint;
        for (int i = 1; i <= raw; i++) {
            samples[i] = uniform(random);
        }
        Integer[] order = new Integer[raw + 1];
        for (int i = 0; i <= raw; i++) {
            values[i] = objective.value(samples[i]);
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        double[] lower = new double[d];
        double[] upper = new double[d];
        java.util.Arrays.fill(upper, 1.0);
        BoundedLbfgs lbfgs = BoundedLbfgs.defaults().withMaxIterations(100);
        double[] best = samples[order[0]];
        double bestValue = values[order[0]];
        List<double[]> startPoints = new ArrayList<>();
        for (int i = 0; i < Math.min(starts, order.length); i++) {
            startPoints.add(samples[order[i]]);
        }
        if (!startPoints.contains(incumbentPoint)) {
            startPoints.add(incumbentPoint);
        }
        for (double[] start : startPoints) {
            BoundedLbfgs.Result r;
            try {
                r = lbfgs.minimize((x, grad) -> {
                    double v = objective.valueAndGradient(x, grad);
                    for (int f = 0; f < d; f++) {
                        grad[f] = -grad[f];
                    }
                    return -v;
                }, start, lower, upper);
            } catch (Kernels4jException e) {
                continue; // the acquisition is not finite at this start; the raw samples still count
            }
            if (-r.value() > bestValue) {
                bestValue = -r.value();
                best = r.x();
            }
        }
        return best.clone();
    }

    /** The acquisition at unit-cube points, with its gradient. */
    static final class Objective {
        private static final double STEP = 1e-6;
        private final Posterior posterior;
        private final Acquisition acquisition;
        private final double incumbent;
        private final double[][] kgSet;
        private final double[][] kgWhitened;
        private final double[] kgMeans;

        Objective(Posterior posterior, Acquisition acquisition, double incumbent, Matrix observed, double[][] kgRandom) {
            this(posterior, acquisition, incumbent, 1.0, observed, kgRandom);
        }

        /** {@code spread}: the unit of the margin ξ (the observed values' standard deviation). */
        Objective(Posterior posterior, Acquisition acquisition, double incumbent, double spread, Matrix observed,
                double[][] kgRandom) {
            this.posterior = posterior;
            this.acquisition = acquisition;
            double tau = incumbent;
            if (acquisition.kind() == Acquisition.Kind.NOISY_EXPECTED_IMPROVEMENT) {
                tau = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < observed.rows(); i++) {
                    tau = Math.max(tau, posterior.mean(observed.row(i)));
                }
            }
            this.incumbent = tau + acquisition.margin() * spread;
            if (kgRandom != null) {
                int n = observed.rows();
                kgSet = new double[n + kgRandom.length][];
                for (int i = 0; i < n; i++) {
                    kgSet[i] = observed.row(i);
                }
                System.arraycopy(kgRandom, 0, kgSet, n, kgRandom.length);
                kgWhitened = new double[kgSet.length][];
                kgMeans = new double[kgSet.length];
                for (int i = 0; i < kgSet.length; i++) {
                    kgWhitened[i] = posterior.whitened(kgSet[i]);
                    kgMeans[i] = posterior.mean(kgSet[i]);
                }
            } else {
                kgSet = null;
                kgWhitened = null;
                kgMeans = null;
            }
        }

        double value(double[] u) {
            if (kgSet != null) {
                return knowledgeGradient(u);
            }
            double[] m = posterior.moments(u);
            return partials(m[0], m[1])[0];
        }

        double valueAndGradient(double[] u, double[] gradient) {
            if (kgSet != null) {
                double v = knowledgeGradient(u);
                double[] p = u.clone();
                for (int f = 0; f < u.length; f++) {
                    p[f] = u[f] + STEP;
                    double up = knowledgeGradient(p);
                    p[f] = u[f] - STEP;
                    double down = knowledgeGradient(p);
                    p[f] = u[f];
                    gradient[f] = (up - down) / (2 * STEP);
                }
                return v;
            }
            double[] m = posterior.moments(u);
            double[] a = partials(m[0], m[1]);
            double[] g = posterior.gradient(u, a[1], a[2]);
            System.arraycopy(g, 0, gradient, 0, g.length);
            return a[0];
        }

        private double[] partials(double mean, double variance) {
            switch (acquisition.kind()) {
                case PROBABILITY_OF_IMPROVEMENT:
                    return Acquisition.probabilityOfImprovementPartials(mean, variance, incumbent);
                case UPPER_CONFIDENCE_BOUND:
                    return Acquisition.upperConfidenceBoundPartials(mean, variance, acquisition.beta());
                default:
                    return Acquisition.expectedImprovementPartials(mean, variance, incumbent);
            }
        }

        /** Discretised KG over the fixed set and u itself. */
        private double knowledgeGradient(double[] u) {
            int m = kgSet.length;
            double[] vu = posterior.whitened(u);
            double[] mom = posterior.moments(u);
            double denom = Math.sqrt(mom[1] + posterior.noiseVariance());
            double[] a = new double[m + 1];
            double[] b = new double[m + 1];
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < m; i++) {
                a[i] = kgMeans[i];
                b[i] = denom > 0 ? posterior.covariance(kgSet[i], kgWhitened[i], u, vu) / denom : 0;
                best = Math.max(best, a[i]);
            }
            a[m] = mom[0];
            b[m] = denom > 0 ? mom[1] / denom : 0;
            best = Math.max(best, a[m]);
            return Math.max(Acquisition.expectedMaximumOfLines(a, b) - best, 0);
        }
    }

    @Override
    public String toString() {
        return "BayesianOptimizer(" + acquisition + ", " + surrogate + ", " + goal.name().toLowerCase(java.util.Locale.ROOT)
                + ", " + observations.size() + " observations)";
    }
}
