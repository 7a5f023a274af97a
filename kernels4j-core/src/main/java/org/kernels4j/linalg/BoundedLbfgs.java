package org.kernels4j.linalg;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.kernels4j.Kernels4jException;

/**
 * Minimizes a smooth function of a few hundred variables at most subject to box constraints
 * {@code lower ≤ x ≤ upper}, by limited-memory BFGS with projection (an active-set L-BFGS-B).
 *
 * <p>Each iteration: variables at a bound whose gradient pushes outward are held fixed; the
 * two-loop recursion over the last m (s, y) pairs, restricted to the free variables, gives the
 * search direction; a backtracking line search along the projected path x(α) = P(x + α·d)
 * accepts the first α with f(x(α)) ≤ f(x) + c₁·∇f·(x(α) − x) (Armijo, c₁ = 10⁻⁴), trying
 * α = 1 first and shrinking by safeguarded quadratic interpolation. Pairs with sᵀy ≤ 0 are not
 * stored. It stops when the projected gradient ‖P(x − ∇f) − x‖∞ ≤ {@code gradientTolerance}, when
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
    private static final int MAX_BACKTRACKS = 40;

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
        double[] x = project(x0, lower, upper);
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
            double alpha = pairs.isEmpty() ? Math.min(1.0, 1.0 / maxAbs(d)) : 1.0;
            double fn = Double.NaN;
            boolean accepted = false;
            for (int t = 0; t < MAX_BACKTRACKS; t++) {
                for (int i = 0; i < n; i++) {
                    xn[i] = Math.min(upper[i], Math.max(lower[i], x[i] + alpha * d[i]));
                }
                fn = f.valueAndGradient(xn, gn);
                evaluations++;
                double predicted = 0;
                for (int i = 0; i < n; i++) {
                    predicted += g[i] * (xn[i] - x[i]);
                }
                if (Double.isFinite(fn) && allFinite(gn) && fn <= fx + ARMIJO * predicted) {
                    accepted = true;
                    break;
                }
                double next = 0.5 * alpha;
                if (Double.isFinite(fn)) { // minimizer of the quadratic through f(0), f'(0) and f(α)
                    double q = -slope * alpha * alpha / (2 * (fn - fx - slope * alpha));
                    if (q > 0.1 * alpha && q < 0.5 * alpha) {
                        next = q;
                    }
                } else {
                    next = 0.1 * alpha;
                }
                alpha = next;
            }
            if (!accepted) {
                if (!pairs.isEmpty()) { // one more try from steepest descent before giving up
                    pairs.clear();
                    continue;
                }
                return new Result(x, fx, g, iter, evaluations, Stop.LINE_SEARCH);
            }
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
