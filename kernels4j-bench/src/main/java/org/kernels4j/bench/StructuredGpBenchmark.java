package org.kernels4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.gp.KroneckerGaussianProcess;
import org.kernels4j.gp.StateSpaceGaussianProcess;
import org.kernels4j.gp.StateSpaceKernel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * {@code bench structured-gp}: (1) the state-space GP's log marginal likelihood and its gradient on n irregular
 * time points for each n, with the least-squares slope of log time against log n (1 = linear); (2) the grid GP's
 * log marginal likelihood and gradient on a side × side grid, and on a smaller grid also the dense GP's (the same
 * kernel as an ARD RBF, gp.GaussianProcess), with the relative difference of the two values. Times are wall-clock
 * seconds of one {@code evidence} call (value and gradient), the least of {@code reps}, after untimed warm-up
 * calls (JIT compilation); the state-space rows also give the calling thread's CPU time, from which the slope is
 * fitted, since wall time on a shared machine mostly measures the other load.
 */
public final class StructuredGpBenchmark {
    /**
     * What to run.
     *
     * @param ssSizes state-space n values (e.g. 10⁴ … 10⁶)
     * @param ssKernel the state-space kernel spec
     * @param gridSide the grid GP's side (e.g. 300: 90 000 cells)
     * @param denseSide the side of the grid on which the dense GP runs too (0 skips it)
     * @param missing cells dropped at random from the big grid (exact missing-cell solver; 0 for a full grid)
     * @param seed data seed
     * @param reps timed runs; the least time is reported
     */
    public record Options(int[] ssSizes, String ssKernel, int gridSide, int denseSide, int missing, long seed, int reps) {
    }

    /**
     * One measurement.
     *
     * @param method ss-gp, kron-gp or dense-gp
     * @param n data points (observed cells for the grids)
     * @param seconds one evidence-and-gradient call, wall clock
     * @param cpuSeconds the same call's CPU time on the calling thread (the state-space recursion is single-threaded,
     *     so this is its cost even on a loaded machine; the grid GP's work is single-threaded too, except the tiny
     *     per-axis Gram matrices); NaN for the dense rows, whose BLAS uses several threads
     * @param logLikelihood the value it returned
     * @param relativeDifference |kron − dense| / |dense| on the dense row, NaN elsewhere
     */
    public record Row(String method, int n, double seconds, double cpuSeconds, double logLikelihood,
            double relativeDifference) {
    }

    /**
     * All rows, and the fitted slopes of log CPU seconds and of log wall seconds against log n over the
     * state-space rows.
     */
    public record Result(List<Row> rows, double stateSpaceSlope, double stateSpaceWallSlope) {
    }

    private StructuredGpBenchmark() {
    }

    /** n sorted irregular times (mean spacing 0.01) and y = sin(t) + sin(7t)/2 + N(0, 0.1²). */
    static Matrix[] series(int n, long seed) {
        Random r = new Random(seed);
        Matrix t = new Matrix(n, 1);
        Matrix y = new Matrix(n, 1);
        double at = 0;
        for (int i = 0; i < n; i++) {
            at += 0.005 + 0.01 * r.nextDouble();
            t.set(i, 0, at);
            y.set(i, 0, Math.sin(at) + 0.5 * Math.sin(7 * at) + 0.1 * r.nextGaussian());
        }
        return new Matrix[] {t, y};
    }

    /** A side × side grid on [0, 3]², a smooth field plus N(0, 0.1²), with {@code missing} cells dropped. */
    static KroneckerGaussianProcess.Grid grid(int side, int missing, long seed) {
        Random r = new Random(seed);
        double[] axis = new double[side];
        for (int i = 0; i < side; i++) {
            axis[i] = 3.0 * i / (side - 1);
        }
        double[] values = new double[side * side];
        boolean[] observed = new boolean[values.length];
        for (int c = 0; c < values.length; c++) {
            values[c] = Math.sin(2 * axis[c / side]) * Math.cos(axis[c % side]) + 0.1 * r.nextGaussian();
            observed[c] = true;
        }
        for (int k = 0; k < missing; ) {
            int c = r.nextInt(values.length);
            if (observed[c]) {
                observed[c] = false;
                k++;
            }
        }
        return new KroneckerGaussianProcess.Grid(List.of(axis, axis.clone()), values, observed);
    }

    private static final double NOISE = 0.01;

    private static KroneckerGaussianProcess gridGp() {
        return KroneckerGaussianProcess.builder(List.of(KernelSpec.parse("1.5*rbf(length=0.6)"),
                KernelSpec.parse("rbf(length=0.9)"))).noise(NOISE).maxMissing(Integer.MAX_VALUE).build();
    }

    private static GaussianProcess denseGp() {
        Kernel k = KernelSpec.parse("1.5*rbf(length=[0.6, 0.9])");
        return GaussianProcess.builder(k).noise(NOISE).build();
    }

    private static double[] timed(java.util.function.Supplier<HyperparameterSearch.Evidence> call, int reps) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double best = Double.POSITIVE_INFINITY;
        double bestCpu = Double.POSITIVE_INFINITY;
        double value = Double.NaN;
        for (int rep = 0; rep < Math.max(1, reps); rep++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            value = call.get().value();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            bestCpu = Math.min(bestCpu, (mx.getCurrentThreadCpuTime() - c0) / 1e9);
        }
        return new double[] {best, value, bestCpu};
    }

    /** Runs everything, handing each row to {@code sink} as soon as it is measured. */
    public static Result run(Options o, Consumer<Row> sink) {
        List<Row> rows = new ArrayList<>();
        Consumer<Row> both = r -> {
            rows.add(r);
            sink.accept(r);
        };
        StateSpaceGaussianProcess ss = StateSpaceGaussianProcess.builder(StateSpaceKernel.parse(o.ssKernel()))
                .noise(NOISE).build();
        double slope = Double.NaN;
        double wallSlope = Double.NaN;
        if (o.ssSizes().length > 0) {
            int warmN = java.util.Arrays.stream(o.ssSizes()).max().getAsInt();
            Matrix[] warm = series(warmN, o.seed() - 1);
            for (int i = 0; i < 2; i++) {
                // until the JIT has compiled the recursion: warm-up on smaller n left the small rows several times
                // slower per point than the large ones (measured), which bent the slope
                ss.evidence(warm[0], warm[1]);
            }
            List<double[]> points = new ArrayList<>();
            List<double[]> wall = new ArrayList<>();
            for (int n : o.ssSizes()) {
                Matrix[] d = series(n, o.seed() + n);
                double[] tv = timed(() -> ss.evidence(d[0], d[1]), o.reps());
                both.accept(new Row("ss-gp", n, tv[0], tv[2], tv[1], Double.NaN));
                points.add(new double[] {Math.log(n), Math.log(tv[2])});
                wall.add(new double[] {Math.log(n), Math.log(tv[0])});
            }
            slope = slope(points);
            wallSlope = slope(wall);
        }
        if (o.gridSide() > 0) {
            KroneckerGaussianProcess kron = gridGp();
            kron.evidence(grid(Math.min(o.gridSide(), 20), 0, o.seed() - 1));
            KroneckerGaussianProcess.Grid big = grid(o.gridSide(), o.missing(), o.seed());
            double[] tv = timed(() -> kron.evidence(big), o.reps());
            both.accept(new Row("kron-gp", big.cells() - big.missing(), tv[0], tv[2], tv[1], Double.NaN));
        }
        if (o.denseSide() > 0) {
            KroneckerGaussianProcess.Grid small = grid(o.denseSide(), 0, o.seed() + 1);
            double[] kv = timed(() -> gridGp().evidence(small), o.reps());
            both.accept(new Row("kron-gp", small.cells(), kv[0], kv[2], kv[1], Double.NaN));
            Matrix x = small.observedPoints();
            Matrix y = small.observedValues();
            double[] dv = timed(() -> denseGp().evidence(x, y), o.reps());
            both.accept(new Row("dense-gp", small.cells(), dv[0], Double.NaN, dv[1],
                    Math.abs(kv[1] - dv[1]) / Math.abs(dv[1])));
        }
        return new Result(rows, slope, wallSlope);
    }

    /** Least-squares slope of y on x over the points (x, y). */
    static double slope(List<double[]> points) {
        double mx = 0;
        double my = 0;
        for (double[] p : points) {
            mx += p[0] / points.size();
            my += p[1] / points.size();
        }
        double sxy = 0;
        double sxx = 0;
        for (double[] p : points) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxx > 0 ? sxy / sxx : Double.NaN;
    }
}
