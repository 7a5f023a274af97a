package org.kernels4j.bench;

import java.nio.file.Path;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.Kernel;

/**
 * {@code bench gram}: the Gram matrix K(X, X) of seeded synthetic points against one BLAS
 * {@code dgemm} X·Xᵀ of the same shapes ({@link GramVsGemm}), and optionally against another
 * kernel's Gram matrix on the same points. Times are wall-clock seconds, each the best of
 * {@code reps} runs after one warm-up.
 */
public final class GramBenchmark {
    /**
     * What to run.
     *
     * @param kernel the kernel timed
     * @param baseline a second kernel timed on the same points, or null
     * @param n number of points (≥ 1)
     * @param d number of features (≥ 1)
     * @param reps timed repetitions, the best kept (≥ 1)
     * @param seed seed of the synthetic points ({@link SyntheticData#regression})
     * @param export where to also write the points as .npy (for peer benchmarks), or null
     */
    public record Options(Kernel kernel, Kernel baseline, int n, int d, int reps, long seed, Path export) {
        /** Checks the sizes. */
        public Options {
            if (n < 1 || d < 1 || reps < 1) {
                throw new IllegalArgumentException("n, d and reps must be positive, got " + n + ", " + d + ", " + reps);
            }
        }
    }

    /**
     * What was measured, in seconds.
     *
     * @param gram the Gram matrix against dgemm (kernel spec, shapes, threads, element ops, both times)
     * @param baselineKernel the baseline's spec, or null when none was timed
     * @param baselineSeconds the baseline's Gram time, NaN when none was timed
     */
    public record Result(GramVsGemm.Result gram, String baselineKernel, double baselineSeconds) {
        /** True when a baseline kernel was timed. */
        public boolean hasBaseline() {
            return baselineKernel != null;
        }

        /** Gram time / dgemm time. */
        public double ratio() {
            return gram.ratio();
        }

        /** Gram time / baseline Gram time (NaN without a baseline). */
        public double ratioOverBaseline() {
            return gram.gramSeconds() / baselineSeconds;
        }
    }

    private GramBenchmark() {
    }

    /** Writes the export (if any), then times dgemm, the kernel and the baseline (if any). */
    public static Result run(Options o) {
        if (o.export() != null) {
            Npy.write(SyntheticData.regression(o.n(), o.d(), o.seed()).x(), o.export());
        }
        GramVsGemm.Result r = GramVsGemm.run(o.kernel(), o.n(), o.d(), o.reps(), o.seed(), s -> { });
        if (o.baseline() == null) {
            return new Result(r, null, Double.NaN);
        }
        double b = GramVsGemm.bestGramSeconds(o.baseline(), o.n(), o.d(), o.reps(), o.seed(), s -> { });
        return new Result(r, o.baseline().toSpec(), b);
    }
}
