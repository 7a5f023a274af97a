package org.kernels4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.neural.ConvolutionalKernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;

/**
 * {@code bench cntk}: the Gram matrix of a convolutional kernel (default: CNTK with global average
 * pooling, 5 layers of 3×3 convolutions and ReLU) on images, timed, with its per-pair work as an
 * achieved floating-point rate ({@link ConvolutionalKernel#flopsPerPair} × pairs ÷ time, pairs = the
 * n(n+1)/2 the symmetric engine computes) against dgemm's rate measured in the same run on the same
 * threads (C = A·Bᵀ, 1536×1536×1536, best of 3). Memory is the process's maximum resident set
 * (VmHWM from /proc/self/status, which includes the JVM and the n×n result).
 *
 * <p>Both rates are also given per second of the process's CPU time (all its threads, OpenBLAS's
 * included), because on a shared machine the wall-clock rates of the two phases depend on how
 * many cores other jobs left each of them, which the CPU-time ratio does not.
 */
public final class CntkBenchmark {
    private CntkBenchmark() {
    }

    /**
     * The result.
     *
     * @param n images
     * @param seconds Gram time (mean over repetitions where one is under {@value CntkBenchmark#MIN_SECONDS} s)
     * @param pairs pairs computed
     * @param flopsPerPair counted flops of one pair
     * @param gflops achieved rate of the pair recursion, GFLOP/s
     * @param dgemmGflops dgemm's rate in this run, GFLOP/s
     * @param maxResidentBytes VmHWM after the run (−1 where /proc is unavailable)
     * @param cpuSeconds the process's CPU time per Gram matrix (all threads; NaN if unavailable)
     * @param dgemmCpuGflops dgemm's flops per CPU second (best of 3; NaN if unavailable)
     * @param gram the Gram matrix
     */
    public record Result(int n, double seconds, double pairs, double flopsPerPair, double gflops, double dgemmGflops,
            long maxResidentBytes, double cpuSeconds, double dgemmCpuGflops, Matrix gram) {
        /** achieved rate / dgemm rate, wall clock. */
        public double ratio() {
            return gflops / dgemmGflops;
        }

        /** The pair recursion's flops per CPU second, GFLOP/s. */
        public double cpuGflops() {
            return flopsPerPair * pairs / cpuSeconds * 1e-9;
        }

        /** achieved rate / dgemm rate, both per CPU second. */
        public double cpuRatio() {
            return cpuGflops() / dgemmCpuGflops;
        }
    }

    /** A Gram matrix faster than this is repeated until the repetitions together span it, seconds. */
    static final double MIN_SECONDS = 0.5;

    /** At most this many repetitions of a fast Gram matrix. */
    static final int MAX_REPS = 1_000_000;

    /**
     * Times the Gram matrix of {@code kernel} on the rows of {@code x}: one computation, or, where one takes under
     * {@value #MIN_SECONDS} s, as many as span that time, reporting the mean per computation (the process CPU clock
     * only advances in 10 ms ticks).
     */
    public static Result run(ConvolutionalKernel kernel, Matrix x) {
        double[] dgemm = dgemmRate(1536);
        // The process CPU clock ticks in jiffies (10 ms on Linux), so a small Gram matrix is repeated until the
        // run spans MIN_SECONDS and both clocks have advanced; the figures are per repetition.
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        Matrix g;
        int reps = 0;
        long wall;
        long cpuSpent;
        do {
            g = GramEngine.gram(kernel, x);
            reps++;
            wall = System.nanoTime() - t0;
            cpuSpent = c0 < 0 ? 1 : cpuNanos() - c0;
        } while ((wall < MIN_SECONDS * 1e9 || cpuSpent <= 0) && reps < MAX_REPS);
        double seconds = wall * 1e-9 / reps;
        double cpu = c0 < 0 || cpuSpent <= 0 ? Double.NaN : cpuSpent * 1e-9 / reps;
        int n = x.rows();
        double pairs = n * (n + 1.0) / 2;
        double fpp = kernel.flopsPerPair(x.cols());
        return new Result(n, seconds, pairs, fpp, fpp * pairs / seconds * 1e-9, dgemm[0], maxResident(), cpu, dgemm[1],
                g);
    }

    /** dgemm GFLOP/s on m×m×m, best of three: {per wall second, per CPU second of the process}. */
    static double[] dgemmRate(int m) {
        Matrix a = SyntheticData.regression(m, m, 5).x();
        Matrix b = SyntheticData.regression(m, m, 6).x();
        Matrix c = new Matrix(m, m);
        double best = Double.POSITIVE_INFINITY;
        double bestCpu = Double.POSITIVE_INFINITY;
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            Blas.gemm(false, true, 1.0, a, b, 0.0, c);
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
            bestCpu = Math.min(bestCpu, c0 < 0 ? Double.NaN : (cpuNanos() - c0) * 1e-9);
        }
        double flops = 2.0 * m * m * m;
        return new double[] {flops / best * 1e-9, flops / bestCpu * 1e-9};
    }

    /** The process's CPU time in ns (all threads), or −1 where the JVM does not report it. */
    static long cpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** VmHWM in bytes, or −1. */
    static long maxResident() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
