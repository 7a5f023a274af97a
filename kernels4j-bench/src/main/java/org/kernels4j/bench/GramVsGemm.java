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
 * Times a Gram matrix K(X, X) (n×n, d features) against one BLAS {@code dgemm} of the same shapes
 * (X·Xᵀ on off-heap buffers, all threads), in the same run, and reports the ratio. Each figure is
 * the best of {@code reps} runs after one warm-up, because these machines are shared and noisy.
 */
public final class GramVsGemm {
    /** Result in seconds. */
    public record Result(int n, int d, String kernel, double gemmSeconds, double gramSeconds, String elementOps,
            int threads) {
        /** Gram time / GEMM time. */
        public double ratio() {
            return gramSeconds / gemmSeconds;
        }
    }

    private GramVsGemm() {
    }

    /** Runs the comparison; {@code log} receives each timing as it is measured. */
    public static Result run(Kernel kernel, int n, int d, int reps, long seed, DoubleConsumer log) {
        Matrix x = SyntheticData.regression(n, d, seed).x();
        double gemm = Double.MAX_VALUE;
        try (NativeBuffer a = NativeBuffer.copyOf(x.data()); NativeBuffer c = new NativeBuffer((long) n * n)) {
            for (int r = 0; r <= reps; r++) {
                long t0 = System.nanoTime();
                Parallelism.blas(() -> {
                    Blas.gemmNT(a, a, c, n, n, d);
                    return null;
                });
                double s = (System.nanoTime() - t0) / 1e9;
                if (r > 0) {
                    gemm = Math.min(gemm, s);
                    log.accept(s);
                }
            }
        }
        double gram = bestGramSeconds(kernel, x, reps, log);
        return new Result(n, d, kernel.toSpec(), gemm, gram, ElementOps.get().name(), Parallelism.threads());
    }

    /** Best of {@code reps} timings (after one warm-up) of K(X, X) for the seeded synthetic X of this size. */
    public static double bestGramSeconds(Kernel kernel, int n, int d, int reps, long seed, DoubleConsumer log) {
        return bestGramSeconds(kernel, SyntheticData.regression(n, d, seed).x(), reps, log);
    }

    private static double bestGramSeconds(Kernel kernel, Matrix x, int reps, DoubleConsumer log) {
        int n = x.rows();
        double gram = Double.MAX_VALUE;
        Matrix out = new Matrix(n, n);
        for (int r = 0; r <= reps; r++) {
            long t0 = System.nanoTime();
            GramEngine.gram(kernel, x, out, org.kernels4j.ProgressListener.NONE);
            double s = (System.nanoTime() - t0) / 1e9;
            if (r > 0) {
                gram = Math.min(gram, s);
                log.accept(s);
            }
        }
        return gram;
    }
}
