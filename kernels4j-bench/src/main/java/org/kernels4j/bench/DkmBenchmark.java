package org.kernels4j.bench;

import java.util.Arrays;
import java.util.Random;
import org.kernels4j.dkm.DeepKernelMachine;
import org.kernels4j.dkm.GramMap;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * {@code bench dkm}: the cost of one exact deep-kernel-machine objective-and-gradient evaluation (the unit of
 * L-BFGS work) as a multiple of one Cholesky factorization of an n×n matrix, measured in the same run on the
 * same machine. Data: Friedman-1 (n rows, d features, noise 1). The evaluation is taken at the NNGP start
 * moved by a small random perturbation of the factors (so every KL term and gradient is non-trivial); the
 * Cholesky is LAPACK {@code dpotrf} (through {@link Cholesky#factor}, one n×n copy included) of the
 * layer-1 kernel plus noise. Both are timed after {@code warmup} untimed runs; the median of {@code repeats}.
 *
 * <p>The Cholesky is timed twice per run, with the library's thread count and with one thread
 * ({@link Parallelism#withThreadLimit}): a multi-threaded {@code dpotrf} at n = 2,000 stalls when its threads
 * wait for each other on a loaded machine (measured 3–10× slower than one thread there), which would flatter
 * the ratio; the one-thread ratio is the strict one.
 */
public final class DkmBenchmark {
    /**
     * What to run.
     *
     * @param map the layer map
     * @param layers L
     * @param n training rows
     * @param d features
     * @param repeats timed runs of each (median reported), ≥ 1
     * @param warmup untimed runs first
     */
    public record Options(GramMap map, int layers, int n, int d, int repeats, int warmup) {
    }

    /**
     * The measurement.
     *
     * @param evaluationSeconds median seconds of one objective-and-gradient evaluation
     * @param choleskySeconds median seconds of one n×n Cholesky with the library's threads
     * @param ratio evaluationSeconds / choleskySeconds
     * @param parameters the number of optimized numbers, L·n(n+1)/2
     * @param choleskyOneThreadSeconds median seconds of the same Cholesky on one thread
     * @param ratioOneThread evaluationSeconds / choleskyOneThreadSeconds
     */
    public record Result(double evaluationSeconds, double choleskySeconds, double ratio, long parameters,
            double choleskyOneThreadSeconds, double ratioOneThread) {
    }

    private DkmBenchmark() {
    }

    /** Runs the measurement. */
    public static Result run(Options o) {
        SyntheticData.Regression data = SyntheticData.friedman1(o.n(), o.d(), 1.0, 2000 + o.n());
        DeepKernelMachine dkm = DeepKernelMachine.builder(o.map()).layers(o.layers()).nu(1).noise(0.1).build();
        DeepKernelMachine.Problem p = dkm.whitenedProblem(data.x(), standardized(data.y()), null); // what fit evaluates
        double[] theta = p.theta().clone();
        Random rnd = new Random(7);
        for (int i = 0; i < theta.length; i++) {
            theta[i] += 1e-3 * rnd.nextGaussian();
        }
        double[] gradient = new double[theta.length];
        Matrix spd = new Matrix(o.n(), o.n());
        Blas.syrk(1.0 / o.d(), data.x(), 0, spd);
        for (int i = 0; i < o.n(); i++) {
            spd.set(i, i, spd.get(i, i) + 1); // XXᵀ/d + I: positive definite, no jitter search
        }
        double[] eval = new double[o.repeats()];
        double[] chol = new double[o.repeats()];
        double[] chol1 = new double[o.repeats()];
        for (int r = -o.warmup(); r < o.repeats(); r++) {
            long t0 = System.nanoTime();
            double f = p.objective().valueAndGradient(theta, gradient);
            long t1 = System.nanoTime();
            try (Cholesky c = Cholesky.factor(spd, "benchmark matrix")) {
                if (c.jitter() != 0) {
                    throw new IllegalStateException("the benchmark matrix needed jitter");
                }
            }
            long t2 = System.nanoTime();
            Parallelism.withThreadLimit(1, () -> {
                try (Cholesky c = Cholesky.factor(spd, "benchmark matrix")) {
                    return c.jitter();
                }
            });
            long t3 = System.nanoTime();
            if (!Double.isFinite(f)) {
                throw new IllegalStateException("the objective is not finite at the benchmark point");
            }
            if (r >= 0) {
                eval[r] = (t1 - t0) / 1e9;
                chol[r] = (t2 - t1) / 1e9;
                chol1[r] = (t3 - t2) / 1e9;
            }
        }
        double e = median(eval);
        double c = median(chol);
        double c1 = median(chol1);
        return new Result(e, c, e / c, (long) theta.length, c1, e / c1);
    }

    private static Matrix standardized(Matrix y) {
        double[] v = y.column(0);
        double mean = Arrays.stream(v).average().orElse(0);
        double var = Arrays.stream(v).map(a -> (a - mean) * (a - mean)).average().orElse(1);
        Matrix out = new Matrix(v.length, 1);
        for (int i = 0; i < v.length; i++) {
            out.set(i, 0, (v[i] - mean) / Math.sqrt(var));
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length;
        return m % 2 == 1 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
    }
}
