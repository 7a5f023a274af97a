package org.kernels4j.optim;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.kernels4j.Kernels4jException;

/**
 * Minimizes a smooth function of a few hundred variables at most subject to box constraints
 * {@code lower ≤ x ≤ upper}, by limited-memory BFGS with projection (an active-set L-BFGS-B).
 *
 * <p>Each iteration: variables at a bound whose gradient pushes outward are held fixed; the
 * two-loop recursion over the last m (s, y) pairs, restricted to the free variables, gives the
 * search direction; a line search along x + α·d, up to the largest step that stays in the box,
 * looks for the strong Wolfe conditions (c₁ = 10⁻⁴, c₂ = 0.9), trying α = 1 first. Pairs with
 * sᵀy ≤ 0 are not stored. It stops when the projected gradient ‖P(x − ∇f) − x‖∞ ≤ {@code gradientTolerance}, when
 * one step lowers f by at most {@code relativeTolerance}·max(|f|, |f_new|, 1), or after
 * {@code maxIterations}: the same three tests, with the same defaults (10⁻⁵, 2.2·10⁻⁹), as
 * SciPy's L-BFGS-B, which scikit-learn uses. It differs from Byrd–Lu–Nocedal's L-BFGS-B in finding
 * the active set from the current point instead of a generalized Cauchy point; for the
 * low-dimensional, mostly unconstrained problems of hyperparameter learning the two reach the same
 * optimum.
 *
 * <p>Hand-written because no permissively licensed Java L-BFGS-B is available on Maven Central
 * (the ones that exist wrap Fortran or are GPL), and the method is short. The objective may
 * return +∞ or NaN where it is undefined (a kernel matrix that is not positive definite, say);
 * the line search then backs off.
 */
public final class BoundedLbfgs {
    /** An objective: returns f(x) and writes ∇f(x) into {@code gradient}. */
    public interface Objective {
        double valueAndGradient(double[] x, double[] gradient);
    }

    /** Why the minimization stopped. */
    public enum Stop {
        /** The projected gradient fell below the tolerance. */
        GRADIENT,
        /** The relative decrease of f in one step fell below the tolerance. */
        RELATIVE_DECREASE,
        /** The iteration limit was reached. */
        ITERATIONS,
        /** No step along the search direction decreased f (converged to rounding level). */
        LINE_SEARCH
    }

    /**
     * The outcome.
     *
     * @param x the best point found
     * @param value f(x)
     * @param gradient ∇f(x)
     * @param iterations iterations taken
     * @param evaluations objective evaluations, the initial one included
     * @param stop why it stopped
     */
    public record Result(double[] x, double value, double[] gradient, int iterations, int evaluations, Stop stop) {
    }

    private static final double ARMIJO = 1e-4;
    private static final double CURVATURE = 0.9;
    private static final int MAX_TRIALS = 40;
    private static final System.Logger LOG = System.getLogger(BoundedLbfgs.class.getName());

    private final int memory;
    private final int maxIterations;
    private final double gradientTolerance;
    private final double relativeTolerance;

    private BoundedLbfgs(int memory, int maxIterations, double gradientTolerance, double relativeTolerance) {
        this.memory = memory;
        this.maxIterations = maxIterations;
        this.gradientTolerance = gradientTolerance;
        this.relativeTolerance = relativeTolerance;
    }

    /** Memory 10, 15000 iterations, gradient tolerance 10⁻⁵, relative tolerance 10⁷·ε ≈ 2.2·10⁻⁹ (SciPy's defaults). */
    public static BoundedLbfgs defaults() {
        return new BoundedLbfgs(10, 15000, 1e-5, 1e7 * Math.ulp(1.0));
    }

    /** The same settings with another iteration limit (≥ 1). */
    public BoundedLbfgs withMaxIterations(int limit) {
        if (limit < 1) {
            throw new Kernels4jException("the iteration limit must be >= 1, got " + limit);
        }
        return new BoundedLbfgs(memory, limit, gradientTolerance, relativeTolerance);
    }

    /** The same settings with other stopping tolerances (both ≥ 0). */
    public BoundedLbfgs withTolerances(double gradient, double relative) {
        if (!(gradient >= 0) || !(relative >= 0)) {
            throw new Kernels4jException("tolerances must be >= 0, got " + gradient + " and " + relative);
        }
        return new BoundedLbfgs(memory, maxIterations, gradient, relative);
    }

    /**
     * Minimizes f from x₀ (projected into the box first).
     *
     * @throws Kernels4jException if the bounds are inconsistent or f is not finite at the start
     */
    public Result minimize(Objective f, double[] x0, double[] lower, double[] upper) {
        int n = x0.length;
        if (lower.length != n || upper.length != n) {
            throw new Kernels4jException("bounds have lengths " + lower.length + " and " + upper.length + " for " + n
                    + " variables");
        }
        for (int i = 0; i < n; i++) {
            if (!(lower[i] <= upper[i])) {
                throw new Kernels4jException("variable " + i + ": lower bound " + lower[i] + " exceeds upper bound "
                        + upper[i]);
            }
        }
        Result r = iterate(f, project(x0, lower, upper), lower, upper);
        // DEBUG only: whether stopping at the limit matters is the caller's to say (GP hyperparameter search and
        // deep kernel machines log a WARNING then; kernel balancing goes on with Newton steps)
        LOG.log(System.Logger.Level.DEBUG, () -> String.format("L-BFGS stopped (%s) after %d iterations and %d "
                + "evaluations: f = %.10g, projected gradient %.3g (tolerance %.3g)", r.stop(), r.iterations(),
                r.evaluations(), r.value(), projectedGradientNorm(r.x(), r.gradient(), lower, upper), gradientTolerance));
        return r;
    }

    /** The iterations from a point already inside the box (the body of {@link #minimize}). */
    private Result iterate(Objective f, double[] x, double[] lower, double[] upper) {
        int n = x.length;
        double[] g = new double[n];
        double fx = f.valueAndGradient(x, g);
        int evaluations = 1;
        if (!Double.isFinite(fx) || !allFinite(g)) {
            throw new Kernels4jException("the objective is not finite at the starting point");
        }
        ArrayDeque<double[][]> pairs = new ArrayDeque<>(); // {s, y, {1/(yᵀs)}}, newest last
        double[] xn = new double[n];
        double[] gn = new double[n];
        for (int iter = 0; iter < maxIterations; iter++) {
            if (projectedGradientNorm(x, g, lower, upper) <= gradientTolerance) {
                return new Result(x, fx, g, iter, evaluations, Stop.GRADIENT);
            }
            boolean[] free = new boolean[n];
            for (int i = 0; i < n; i++) {
                free[i] = !((x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0));
            }
            double[] d = direction(g, free, pairs);
            double slope = dot(g, d);
            if (!(slope < 0)) { // the quasi-Newton model went bad: restart from steepest descent
                pairs.clear();
                d = direction(g, free, pairs);
                slope = dot(g, d);
            }
            // the largest step that keeps x + α·d inside the box: the path is a straight line up to it
            double alphaMax = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (d[i] > 0) {
                    alphaMax = Math.min(alphaMax, (upper[i] - x[i]) / d[i]);
                } else if (d[i] < 0) {
                    alphaMax = Math.min(alphaMax, (lower[i] - x[i]) / d[i]);
                }
            }
            double first = pairs.isEmpty() ? Math.min(1.0, 1.0 / maxAbs(d)) : 1.0;
            LineSearch ls = new LineSearch(f, x, fx, d, slope, xn, gn, lower, upper);
            boolean accepted = alphaMax > 0 && ls.search(Math.min(first, alphaMax), alphaMax);
            evaluations += ls.evaluations;
            if (!accepted) {
                if (!pairs.isEmpty()) { // one more try from steepest descent before giving up
                    pairs.clear();
                    continue;
                }
                return new Result(x, fx, g, iter, evaluations, Stop.LINE_SEARCH);
            }
            double fn = ls.value;
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = xn[i] - x[i];
                y[i] = gn[i] - g[i];
            }
            double sy = dot(s, y);
            if (sy > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) {
                if (pairs.size() == memory) {
                    pairs.removeFirst();
                }
                pairs.addLast(new double[][] {s, y, {1.0 / sy}});
            }
            double decrease = fx - fn;
            System.arraycopy(xn, 0, x, 0, n);
            System.arraycopy(gn, 0, g, 0, n);
            double previous = fx;
            fx = fn;
            if (decrease <= relativeTolerance * Math.max(Math.max(Math.abs(previous), Math.abs(fn)), 1.0)) {
                return new Result(x, fx, g, iter + 1, evaluations, Stop.RELATIVE_DECREASE);
            }
        }
        return new Result(x, fx, g, maxIterations, evaluations, Stop.ITERATIONS);
    }

    /**
     * A line search for the strong Wolfe conditions φ(α) ≤ φ(0) + c₁·α·φ'(0) and
     * |φ'(α)| ≤ c₂·|φ'(0)| on φ(α) = f(x + α·d), α ∈ (0, α_max] (Nocedal &amp; Wright, Algorithms 3.5
     * and 3.6, with bisection-safeguarded cubic interpolation). Reaching α_max with sufficient
     * decrease is accepted: a bound has been hit. Non-finite values count as too long a step.
     * On success, {@code xn}, {@code gn} and {@code value} hold the accepted point.
     */
    private static final class LineSearch {
        private final Objective f;
        private final double[] x;
        private final double f0;
        private final double[] d;
        private final double slope0;
        private final double[] xn;
        private final double[] gn;
        private final double[] lower;
        private final double[] upper;
        private final double[] bestX;
        private final double[] bestG;
        int evaluations;
        double value;
        private double bestAlpha;
        private double bestValue = Double.NaN;

        LineSearch(Objective f, double[] x, double f0, double[] d, double slope0, double[] xn, double[] gn,
                double[] lower, double[] upper) {
            this.f = f;
            this.x = x;
            this.f0 = f0;
            this.d = d;
            this.slope0 = slope0;
            this.xn = xn;
            this.gn = gn;
            this.lower = lower;
            this.upper = upper;
            this.bestX = new double[x.length];
            this.bestG = new double[x.length];
        }

        /** φ(α), with φ'(α) in {@code slope[0]}; remembers the best point with sufficient decrease. */
        private double phi(double alpha, double[] slope) {
            for (int i = 0; i < x.length; i++) {
                // α ≤ α_max keeps x + α·d in the box except for rounding, which at α = α_max can land one
                // ulp outside the bound that stops the step: clamp, so every point tried is in the box
                xn[i] = Math.min(upper[i], Math.max(lower[i], x[i] + alpha * d[i]));
            }
            double v = f.valueAndGradient(xn, gn);
            evaluations++;
            if (!Double.isFinite(v) || !allFinite(gn)) {
                slope[0] = Double.NaN;
                return Double.NaN;
            }
            slope[0] = dot(gn, d);
            if (v <= f0 + ARMIJO * alpha * slope0 && (Double.isNaN(bestValue) || v < bestValue)) {
                bestValue = v;
                bestAlpha = alpha;
                System.arraycopy(xn, 0, bestX, 0, x.length);
                System.arraycopy(gn, 0, bestG, 0, x.length);
            }
            return v;
        }

        private boolean accept(double v) {
            value = v;
            return true;
        }

        boolean search(double alpha, double alphaMax) {
            double[] slope = new double[1];
            double prevAlpha = 0;
            double prevValue = f0;
            double prevSlope = slope0;
            for (int t = 0; t < MAX_TRIALS; t++) {
                double v = phi(alpha, slope);
                if (Double.isNaN(v) || v > f0 + ARMIJO * alpha * slope0 || (t > 0 && v >= prevValue)) {
                    return zoom(prevAlpha, prevValue, prevSlope, alpha, v, slope[0], t);
                }
                if (Math.abs(slope[0]) <= -CURVATURE * slope0) {
                    return accept(v);
                }
                if (slope[0] >= 0) {
                    return zoom(alpha, v, slope[0], prevAlpha, prevValue, prevSlope, t);
                }
                if (alpha >= alphaMax) {
                    return accept(v); // a bound stops the step with sufficient decrease
                }
                prevAlpha = alpha;
                prevValue = v;
                prevSlope = slope[0];
                alpha = Math.min(2 * alpha, alphaMax);
            }
            return fallBack();
        }

        /** Narrows [lo, hi], where lo has sufficient decrease and the lowest value so far. */
        private boolean zoom(double lo, double vLo, double sLo, double hi, double vHi, double sHi, int used) {
            double[] slope = new double[1];
            for (int t = used; t < MAX_TRIALS; t++) {
                double alpha = interpolate(lo, vLo, sLo, hi, vHi, sHi);
                double v = phi(alpha, slope);
                if (Double.isNaN(v) || v > f0 + ARMIJO * alpha * slope0 || v >= vLo) {
                    hi = alpha;
                    vHi = v;
                    sHi = slope[0];
                } else {
                    if (Math.abs(slope[0]) <= -CURVATURE * slope0) {
                        return accept(v);
                    }
                    if (slope[0] * (hi - lo) >= 0) {
                        hi = lo;
                        vHi = vLo;
                        sHi = sLo;
                    }
                    lo = alpha;
                    vLo = v;
                    sLo = slope[0];
                }
                if (Math.abs(hi - lo) <= 1e-12 * Math.max(Math.abs(lo), Math.abs(hi))) {
                    break;
                }
            }
            return fallBack();
        }

        /** Without a Wolfe point, the best point with sufficient decrease, if any. */
        private boolean fallBack() {
            if (Double.isNaN(bestValue)) {
                return false;
            }
            System.arraycopy(bestX, 0, xn, 0, x.length);
            System.arraycopy(bestG, 0, gn, 0, x.length);
            return accept(bestValue);
        }

        /** The cubic's minimizer through both ends, kept in the middle 80% of the interval; else the midpoint. */
        private static double interpolate(double a, double fa, double sa, double b, double fb, double sb) {
            double lo = Math.min(a, b);
            double hi = Math.max(a, b);
            double mid = 0.5 * (a + b);
            if (!Double.isFinite(fb) || !Double.isFinite(sb)) {
                return a + 0.25 * (b - a); // the far end is undefined: step back towards the good one
            }
            double d1 = sa + sb - 3 * (fa - fb) / (a - b);
            double disc = d1 * d1 - sa * sb;
            if (disc < 0) {
                return mid;
            }
            double d2 = Math.signum(b - a) * Math.sqrt(disc);
            double c = b - (b - a) * (sb + d2 - d1) / (sb - sa + 2 * d2);
            double margin = 0.1 * (hi - lo);
            return Double.isFinite(c) && c > lo + margin && c < hi - margin ? c : mid;
        }
    }

    /** −H·g on the free variables by the two-loop recursion (zero on the others). */
    private static double[] direction(double[] g, boolean[] free, ArrayDeque<double[][]> pairs) {
        int n = g.length;
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = free[i] ? -g[i] : 0.0;
        }
        double[] a = new double[pairs.size()];
        int k = pairs.size() - 1;
        for (Iterator<double[][]> it = pairs.descendingIterator(); it.hasNext(); k--) {
            double[][] p = it.next();
            a[k] = p[2][0] * maskedDot(p[0], q, free);
            axpyMasked(q, p[1], -a[k], free);
        }
        if (!pairs.isEmpty()) {
            double[][] last = pairs.getLast();
            double yy = maskedDot(last[1], last[1], free);
            double sy = maskedDot(last[0], last[1], free);
            if (yy > 0 && sy > 0) {
                for (int i = 0; i < n; i++) {
                    q[i] *= sy / yy;
                }
            }
        }
        k = 0;
        for (double[][] p : pairs) {
            double b = p[2][0] * maskedDot(p[1], q, free);
            axpyMasked(q, p[0], a[k] - b, free);
            k++;
        }
        return q;
    }

    private static double maskedDot(double[] a, double[] b, boolean[] free) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            if (free[i]) {
                s += a[i] * b[i];
            }
        }
        return s;
    }

    private static void axpyMasked(double[] q, double[] v, double c, boolean[] free) {
        for (int i = 0; i < q.length; i++) {
            if (free[i]) {
                q[i] += c * v[i];
            }
        }
    }

    private static double projectedGradientNorm(double[] x, double[] g, double[] lower, double[] upper) {
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double p = Math.min(upper[i], Math.max(lower[i], x[i] - g[i])) - x[i];
            worst = Math.max(worst, Math.abs(p));
        }
        return worst;
    }

    private static double[] project(double[] x, double[] lower, double[] upper) {
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.min(upper[i], Math.max(lower[i], x[i]));
        }
        return p;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m > 0 ? m : 1.0;
    }

    private static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "BoundedLbfgs(memory=" + memory + ", maxIterations=" + maxIterations + ", gtol=" + gradientTolerance
                + ", ftol=" + relativeTolerance + ")";
    }
}
