package org.kernels4j.bench;

import java.util.function.DoubleConsumer;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.ElementOps;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeBuffer;
import org.kernels4j.linalg.Parallelism;

/**
 * Times a kernel matrix against one BLAS {@code dgemm} of the same shapes in the same run, and reports the ratio:
 * the symmetric Gram matrix K(X, X) (n×n, d features) against X·Xᵀ, or the cross matrix K(X, Z) (n×m) against X·Zᵀ
 * (off-heap buffers, all threads). Each figure is the best of {@code reps} runs after one warm-up, because these
 * machines are shared and noisy; the process CPU time of each run is kept too (best of the same runs), since on a
 * loaded machine it moves less than the wall clock.
 */
public final class GramVsGemm {
    /**
     * Result in seconds.
     *
     * @param n rows of X
     * @param m rows of Z (n for the symmetric Gram matrix)
     * @param d features
     * @param cross true for K(X, Z), false for K(X, X)
     * @param kernel the kernel's spec
     * @param gemmSeconds best wall time of the dgemm
     * @param gramSeconds best wall time of the kernel matrix
     * @param gemmCpuSeconds best process CPU time of the dgemm (NaN where the JVM does not report it)
     * @param gramCpuSeconds best process CPU time of the kernel matrix (NaN likewise)
     * @param elementOps the element-wise implementation ({@link ElementOps#name()})
     * @param threads kernels4j's thread count
     */
    public record Result(int n, int m, int d, boolean cross, String kernel, double gemmSeconds, double gramSeconds,
            double gemmCpuSeconds, double gramCpuSeconds, String elementOps, int threads) {
        /** Gram time / GEMM time (wall clock). */
        public double ratio() {
            return gramSeconds / gemmSeconds;
        }

        /** Gram time / GEMM time in process CPU seconds. */
        public double cpuRatio() {
            return gramCpuSeconds / gemmCpuSeconds;
        }
    }

    private GramVsGemm() {
    }

    /** Times K(X, X) against X·Xᵀ; {@code log} receives each wall timing as it is measured. */
    public static Result run(Kernel kernel, int n, int d, int reps, long seed, DoubleConsumer log) {
        Matrix x = SyntheticData.regression(n, d, seed).x();
        return run(kernel, x, null, reps, log);
    }

    /**
     * Times K(X, Z) (n×m) against X·Zᵀ, for the seeded synthetic X (seed) and Z (seed + 1) of
     * {@link SyntheticData#regression}; {@code log} receives each wall timing as it is measured.
     */
    public static Result runCross(Kernel kernel, int n, int m, int d, int reps, long seed, DoubleConsumer log) {
        return run(kernel, SyntheticData.regression(n, d, seed).x(), crossPoints(m, d, seed), reps, log);
    }

    /** The second point set of {@link #runCross}: m×d, seed + 1. */
    static Matrix crossPoints(int m, int d, long seed) {
        return SyntheticData.regression(m, d, seed + 1).x();
    }

    private static Result run(Kernel kernel, Matrix x, Matrix z, int reps, DoubleConsumer log) {
        int n = x.rows();
        int d = x.cols();
        int m = z == null ? n : z.rows();
        double[] gemm = {Double.MAX_VALUE, Double.MAX_VALUE};
        try (NativeBuffer a = NativeBuffer.copyOf(x.data());
                NativeBuffer b = z == null ? null : NativeBuffer.copyOf(z.data());
                NativeBuffer c = new NativeBuffer((long) n * m)) {
            NativeBuffer right = b == null ? a : b;
            best(reps, log, gemm, () -> Parallelism.blas(() -> {
                Blas.gemmNT(a, right, c, n, m, d);
                return null;
            }));
        }
        double[] gram = bestGram(kernel, x, z, reps, log);
        return new Result(n, m, d, z != null, kernel.toSpec(), gemm[0], gram[0], gemm[1], gram[1],
                ElementOps.get().name(), Parallelism.threads());
    }

    /** Best of {@code reps} timings (after one warm-up) of K(X, X) for the seeded synthetic X of this size. */
    public static double bestGramSeconds(Kernel kernel, int n, int d, int reps, long seed, DoubleConsumer log) {
        return bestGram(kernel, SyntheticData.regression(n, d, seed).x(), null, reps, log)[0];
    }

    /** {best wall seconds, best process CPU seconds} of K(X, X) (z null) or K(X, Z) into one reused output. */
    private static double[] bestGram(Kernel kernel, Matrix x, Matrix z, int reps, DoubleConsumer log) {
        Matrix out = new Matrix(x.rows(), z == null ? x.rows() : z.rows());
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        best(reps, log, best, () -> {
            if (z == null) {
                GramEngine.gram(kernel, x, out, org.kernels4j.ProgressListener.NONE);
            } else {
                GramEngine.cross(kernel, x, z, out, org.kernels4j.ProgressListener.NONE);
            }
        });
        return best;
    }

    /** Runs {@code work} 1 + reps times and keeps, in {@code best}, the least wall and CPU seconds after the first. */
    private static void best(int reps, DoubleConsumer log, double[] best, Runnable work) {
        for (int r = 0; r <= reps; r++) {
            long c0 = CntkBenchmark.cpuNanos();
            long t0 = System.nanoTime();
            work.run();
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = c0 < 0 ? Double.NaN : (CntkBenchmark.cpuNanos() - c0) / 1e9;
            if (r > 0) {
                best[0] = Math.min(best[0], s);
                best[1] = Double.isNaN(cpu) ? Double.NaN : Math.min(best[1], cpu);
                log.accept(s);
            }
        }
    }
}
