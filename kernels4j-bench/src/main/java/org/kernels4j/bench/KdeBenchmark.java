package org.kernels4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.kernels4j.density.KernelDensity;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Npy;
import org.kernels4j.linalg.Matrix;

/**
 * {@code bench kde}: kernel density estimation (log-density of every query) on seeded
 * standard-normal-like data ({@link SyntheticData#regression} inputs; points seed 11 + d, queries
 * seed 12 + d), bandwidth h = n^(−1/(d+4)) (Scott's factor), one row per dimension. Times are
 * wall-clock seconds of fit plus evaluation, after a warm-up on at most 2000 points.
 */
public final class KdeBenchmark {
    /**
     * What to run.
     *
     * @param profile the kernel profile
     * @param n points (≥ 1)
     * @param queries queries (≥ 1)
     * @param dims dimensions, one row each
     * @param rtol relative tolerance: 0 for the exact tiled mode, > 0 for the tree mode
     * @param exportDir where to write points, queries and our log-densities for the peer script, or null
     */
    public record Options(KernelDensity.Profile profile, int n, int queries, List<Integer> dims, double rtol,
            Path exportDir) {
        /** Checks the sizes and copies the dimensions. */
        public Options {
            if (n < 1 || queries < 1) {
                throw new IllegalArgumentException("n and queries must be >= 1");
            }
            dims = List.copyOf(dims);
        }
    }

    /**
     * One dimension.
     *
     * @param d dimension
     * @param bandwidth h
     * @param seconds fit and evaluation, s
     * @param meanLogDensity mean log-density over the queries
     * @param method the evaluation method used ("exact" or "tree")
     * @param achievedRtol the relative error bound achieved (0 when exact)
     */
    public record Row(int d, double bandwidth, double seconds, double meanLogDensity, String method,
            double achievedRtol) {
    }

    /** Every row, in the order of the dimensions. */
    public record Result(List<Row> rows) {
        /** Copies the rows. */
        public Result {
            rows = List.copyOf(rows);
        }
    }

    private KdeBenchmark() {
    }

    /** Runs every dimension; {@code onRow} receives each row as soon as it is measured. */
    public static Result run(Options o, Consumer<Row> onRow) {
        Exports.createDirectory(o.exportDir());
        int n = o.n();
        int queries = o.queries();
        KernelDensity.Profile profile = o.profile();
        List<Row> rows = new ArrayList<>();
        for (int d : o.dims()) {
            Matrix x = SyntheticData.regression(n, d, 11 + d).x();
            Matrix q = SyntheticData.regression(queries, d, 12 + d).x();
            double h = Math.pow(n, -1.0 / (d + 4));
            KernelDensity.fit(profile, x.rowRange(0, Math.min(n, 2000)), null, KernelDensity.scalar(h, d))
                    .logDensity(q.rowRange(0, Math.min(queries, 500))); // JIT warm-up
            long t0 = System.nanoTime();
            KernelDensity f = KernelDensity.fit(profile, x, null, KernelDensity.scalar(h, d));
            KernelDensity.Approximate a = f.logDensity(q, o.rtol());
            double[] ld = a.logDensity();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double mean = 0;
            for (double v : ld) {
                mean += v / ld.length;
            }
            Row row = new Row(d, h, seconds, mean, a.method(), a.achieved());
            if (o.exportDir() != null) {
                Path dir = o.exportDir();
                Npy.write(x, dir.resolve("kde_x_" + d + ".npy"));
                Npy.write(q, dir.resolve("kde_q_" + d + ".npy"));
                Npy.write(Matrix.column(ld), dir.resolve("kde_ours_" + d + ".npy"));
                AtomicFiles.writeString(dir.resolve("kde_ours_" + d + ".txt"), seconds + "\n" + h + "\n");
            }
            rows.add(row);
            onRow.accept(row);
        }
        return new Result(rows);
    }
}
