package org.kernels4j.bench;

import java.util.SplittableRandom;
import org.kernels4j.linalg.Matrix;

/**
 * Seeded synthetic regression data for benchmarks: x ~ U[−1, 1]^d and
 * {@code y = sin(π·x₀·x₁) + 2·(x₂ − 0.5)² + x₃ + 0.5·x₄ + ε} (a Friedman-1-like target on the first
 * five features, the rest are noise), ε ~ N(0, 0.1²). The same seed gives the same data in any JVM.
 */
public final class SyntheticData {
    /** Inputs and targets. */
    public record Regression(Matrix x, Matrix y) {
    }

    private SyntheticData() {
    }

    /** Inputs and ±1 labels. */
    public record Classification(Matrix x, double[] y) {
    }

    /**
     * Seeded two-class data for SVM benchmarks: x ~ U[−1, 1]^d (d ≥ 5) and y = sign(g(x) − 1.17 + ε) with
     * the Friedman-like g of {@link #regression} (mean ≈ 1.17 on this cube, so the classes are about
     * balanced), ε ~ N(0, 0.3²): a curved boundary with overlap, so a sizeable fraction of rows
     * become support vectors, as in real data.
     */
    public static Classification classification(int n, int d, long seed) {
        if (d < 5) {
            throw new IllegalArgumentException("classification data needs d >= 5, got " + d);
        }
        SplittableRandom r = new SplittableRandom(seed);
        Matrix x = new Matrix(n, d);
        double[] y = new double[n];
        double[] a = x.data();
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                a[i * d + f] = 2 * r.nextDouble() - 1;
            }
            int o = i * d;
            double v = Math.sin(Math.PI * a[o] * a[o + 1]) + 2 * Math.pow(a[o + 2] - 0.5, 2) + a[o + 3] + 0.5 * a[o + 4];
            y[i] = v - 1.17 + 0.3 * gaussian(r) > 0 ? 1 : -1;
        }
        return new Classification(x, y);
    }

    /** n samples with d ≥ 1 features. */
    public static Regression regression(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Matrix x = new Matrix(n, d);
        Matrix y = new Matrix(n, 1);
        double[] a = x.data();
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                a[i * d + f] = 2 * r.nextDouble() - 1;
            }
            double v = 0;
            v += d > 1 ? Math.sin(Math.PI * a[i * d] * a[i * d + 1]) : Math.sin(Math.PI * a[i * d]);
            v += d > 2 ? 2 * Math.pow(a[i * d + 2] - 0.5, 2) : 0;
            v += d > 3 ? a[i * d + 3] : 0;
            v += d > 4 ? 0.5 * a[i * d + 4] : 0;
            y.set(i, 0, v + 0.1 * gaussian(r));
        }
        return new Regression(x, y);
    }

    /**
     * Friedman's first problem exactly as scikit-learn's {@code make_friedman1} defines it:
     * x ~ U[0, 1]^d (d ≥ 5) and {@code y = 10·sin(π·x₀·x₁) + 20·(x₂ − 0.5)² + 10·x₃ + 5·x₄ + noise·ε},
     * ε ~ N(0, 1); only the first five features matter. Seeded with this class's generator, so the
     * values differ from scikit-learn's draws; peer benchmarks export them.
     */
    public static Regression friedman1(int n, int d, double noise, long seed) {
        if (d < 5) {
            throw new IllegalArgumentException("Friedman-1 needs d >= 5, got " + d);
        }
        SplittableRandom r = new SplittableRandom(seed);
        Matrix x = new Matrix(n, d);
        Matrix y = new Matrix(n, 1);
        double[] a = x.data();
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                a[i * d + f] = r.nextDouble();
            }
            int o = i * d;
            double v = 10 * Math.sin(Math.PI * a[o] * a[o + 1]) + 20 * Math.pow(a[o + 2] - 0.5, 2) + 10 * a[o + 3]
                    + 5 * a[o + 4];
            y.set(i, 0, v + noise * gaussian(r));
        }
        return new Regression(x, y);
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
