package org.kernels4j.bench;

import java.nio.file.Path;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.Kernel;

/**
 * {@code bench gram}: the Gram matrix K(X, X) of seeded synthetic points, or the cross matrix K(X, Z) with a second
 * seeded set Z, against one BLAS {@code dgemm} of the same shapes ({@link GramVsGemm}), and optionally against another
 * kernel's Gram matrix on the same points. Times are wall-clock seconds, each the best of {@code reps} runs after one
 * warm-up, with the process CPU seconds of the same runs beside them.
 */
public final class GramBenchmark {
    /**
     * What to run.
     *
     * @param kernel the kernel timed
     * @param baseline a second kernel timed on the same points (symmetric Gram matrix), or null
     * @param n number of points (≥ 1)
     * @param d number of features (≥ 1)
     * @param reps timed repetitions, the best kept (≥ 1)
     * @param seed seed of the synthetic points ({@link SyntheticData#regression}; Z uses seed + 1)
     * @param export where to also write the points X as .npy (for peer benchmarks), or null; with {@code cross}, Z
     *     goes beside it ({@link #crossExport})
     * @param cross rows m of a second set Z, to time the n×m matrix K(X, Z) instead of K(X, X); 0 for K(X, X)
     */
    public record Options(Kernel kernel, Kernel baseline, int n, int d, int reps, long seed, Path export, int cross) {
        /** Checks the sizes. */
        public Options {
            if (n < 1 || d < 1 || reps < 1 || cross < 0) {
                throw new IllegalArgumentException("n, d and reps must be positive and cross not negative, got " + n
                        + ", " + d + ", " + reps + ", " + cross);
            }
        }

        /** The symmetric Gram matrix K(X, X). */
        public Options(Kernel kernel, Kernel baseline, int n, int d, int reps, long seed, Path export) {
            this(kernel, baseline, n, d, reps, seed, export, 0);
        }
    }

    /**
     * What was measured, in seconds.
     *
     * @param gram the kernel matrix against dgemm (kernel spec, shapes, threads, element ops, wall and CPU times)
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

    /** Where Z is written for a cross benchmark exported to {@code export}: {@code name.npy} → {@code name_z.npy}. */
    public static Path crossExport(Path export) {
        String name = export.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return export.resolveSibling(stem + "_z.npy");
    }

    /** Writes the export (if any), then times dgemm, the kernel and the baseline (if any). */
    public static Result run(Options o) {
        if (o.export() != null) {
            Npy.write(SyntheticData.regression(o.n(), o.d(), o.seed()).x(), o.export());
            if (o.cross() > 0) {
                Npy.write(GramVsGemm.crossPoints(o.cross(), o.d(), o.seed()), crossExport(o.export()));
            }
        }
        GramVsGemm.Result r = o.cross() > 0
                ? GramVsGemm.runCross(o.kernel(), o.n(), o.cross(), o.d(), o.reps(), o.seed(), s -> { })
                : GramVsGemm.run(o.kernel(), o.n(), o.d(), o.reps(), o.seed(), s -> { });
        if (o.baseline() == null) {
            return new Result(r, null, Double.NaN);
        }
        double b = GramVsGemm.bestGramSeconds(o.baseline(), o.n(), o.d(), o.reps(), o.seed(), s -> { });
        return new Result(r, o.baseline().toSpec(), b);
    }
}
