package org.kernels4j.bo;

import java.util.function.ToDoubleFunction;
import org.kernels4j.Kernels4jException;

/**
 * Standard test functions for global optimization, with their domains and known minima (as listed
 * by Surjanovic &amp; Bingham's "Virtual Library of Simulation Experiments"), for checking and
 * benchmarking {@link BayesianOptimizer}.
 */
public final class TestFunctions {
    /**
     * A function to minimize.
     *
     * @param name its name
     * @param space its domain (parameters x1 … xd)
     * @param function f(x)
     * @param minimum the global minimum value
     * @param minimizer one global minimizer
     */
    public record TestFunction(String name, SearchSpace space, ToDoubleFunction<double[]> function, double minimum,
            double[] minimizer) {
        /** f(x). */
        public double value(double[] x) {
            return function.applyAsDouble(x);
        }

        /** A copy of the minimizer. */
        @Override
        public double[] minimizer() {
            return minimizer.clone();
        }
    }

    private static final double[][] HARTMANN_A = {
        {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] HARTMANN_P = {
        {1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
        {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};
    private static final double[] HARTMANN_ALPHA = {1.0, 1.2, 3.0, 3.2};

    private TestFunctions() {
    }

    /**
     * Branin–Hoo on [−5, 10] × [0, 15]: f = (x₂ − 5.1x₁²/(4π²) + 5x₁/π − 6)² + 10(1 − 1/(8π))·cos x₁ + 10;
     * minimum 5/(4π) ≈ 0.397887 at (−π, 12.275), (π, 2.275) and (9.42478, 2.475).
     */
    public static TestFunction branin() {
        return new TestFunction("branin", SearchSpace.box(new double[] {-5, 0}, new double[] {10, 15}),
                TestFunctions::branin, 5 / (4 * Math.PI), new double[] {Math.PI, 2.275});
    }

    /** The Branin value. */
    public static double branin(double[] x) {
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        double u = x[1] - b * x[0] * x[0] + c * x[0] - 6;
        return u * u + 10 * (1 - t) * Math.cos(x[0]) + 10;
    }

    /**
     * Hartmann-6 on [0, 1]⁶: f = −Σ_i α_i·exp(−Σ_j A_ij(x_j − P_ij)²) (A, P ·10⁻⁴ and α the standard
     * constants); minimum ≈ −3.32237 at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573).
     */
    public static TestFunction hartmann6() {
        double[] lo = new double[6];
        double[] hi = {1, 1, 1, 1, 1, 1};
        return new TestFunction("hartmann6", SearchSpace.box(lo, hi), TestFunctions::hartmann6, -3.32237,
                new double[] {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573});
    }

    /** The Hartmann-6 value. */
    public static double hartmann6(double[] x) {
        double s = 0;
        for (int i = 0; i < 4; i++) {
            double inner = 0;
            for (int j = 0; j < 6; j++) {
                double d = x[j] - 1e-4 * HARTMANN_P[i][j];
                inner += HARTMANN_A[i][j] * d * d;
            }
            s += HARTMANN_ALPHA[i] * Math.exp(-inner);
        }
        return -s;
    }

    /**
     * Ackley in d ≥ 1 dimensions on [−32.768, 32.768]^d: f = −20·exp(−0.2·√(Σx²/d)) − exp(Σcos(2πx)/d)
     * + 20 + e; minimum 0 at the origin.
     */
    public static TestFunction ackley(int d) {
        if (d < 1) {
            throw new Kernels4jException("Ackley needs at least 1 dimension, got " + d);
        }
        double[] lo = new double[d];
        double[] hi = new double[d];
        java.util.Arrays.fill(lo, -32.768);
        java.util.Arrays.fill(hi, 32.768);
        return new TestFunction("ackley" + d, SearchSpace.box(lo, hi), TestFunctions::ackley, 0, new double[d]);
    }

    /** The Ackley value. */
    public static double ackley(double[] x) {
        int d = x.length;
        double sq = 0;
        double cos = 0;
        for (double v : x) {
            sq += v * v;
            cos += Math.cos(2 * Math.PI * v);
        }
        return -20 * Math.exp(-0.2 * Math.sqrt(sq / d)) - Math.exp(cos / d) + 20 + Math.E;
    }
}
