package org.kernels4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Precision;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.selection.RegressionMetrics;

/**
 * {@code bench krr}: exact kernel ridge regression fit and predict on seeded synthetic data
 * ({@link SyntheticData#regression}; training seed 1000 + n, test seed 7), one row per training size.
 * Times are wall-clock seconds after a 500-row warm-up fit.
 */
public final class KrrBenchmark {
    /**
     * What to run.
     *
     * @param kernel the kernel
     * @param lambda the ridge regularization
     * @param sizes training sizes, one row each
     * @param test test size
     * @param d number of features
     * @param exportDir where to write each size's data, our predictions (.npy) and total time (.txt), or null
     * @param precision the Cholesky's arithmetic ({@link KernelRidge.Builder#precision})
     */
    public record Options(Kernel kernel, double lambda, List<Integer> sizes, int test, int d, Path exportDir,
            Precision precision) {
        /** Copies the sizes. */
        public Options {
            sizes = List.copyOf(sizes);
            precision = precision == null ? Precision.DOUBLE : precision;
        }

        /** The float64 Cholesky. */
        public Options(Kernel kernel, double lambda, List<Integer> sizes, int test, int d, Path exportDir) {
            this(kernel, lambda, sizes, test, d, exportDir, Precision.DOUBLE);
        }
    }

    /**
     * One training size.
     *
     * @param n training rows
     * @param fitSeconds fit time, s
     * @param predictSeconds prediction time on the test rows, s
     * @param totalSeconds fit + predict, s
     * @param testRmse root mean squared error on the test rows
     * @param path the solve's arithmetic as taken: "double", "mixed", or "double (fallback: reason)"
     * @param refinementSteps refinement steps of the mixed path (0 without it)
     * @param relativeResidual ‖y − (K + λI)α‖/‖y‖ reported by the mixed path (NaN without it)
     */
    public record Row(int n, double fitSeconds, double predictSeconds, double totalSeconds, double testRmse,
            String path, int refinementSteps, double relativeResidual) {
    }

    /** Every row, in the order of the sizes. */
    public record Result(List<Row> rows) {
        /** Copies the rows. */
        public Result {
            rows = List.copyOf(rows);
        }
    }

    private KrrBenchmark() {
    }

    /** Runs every size; {@code onRow} receives each row as soon as it is measured. */
    public static Result run(Options o, Consumer<Row> onRow) {
        Exports.createDirectory(o.exportDir());
        List<Row> rows = new ArrayList<>();
        for (int n : o.sizes()) {
            SyntheticData.Regression tr = SyntheticData.regression(n, o.d(), 1000 + n);
            SyntheticData.Regression te = SyntheticData.regression(o.test(), o.d(), 7);
            KernelRidge krr = KernelRidge.builder(o.kernel()).lambda(o.lambda()).precision(o.precision()).build();
            // one small warm-up so JIT compilation is not timed
            krr.fit(tr.x().rowRange(0, Math.min(n, 500)), tr.y().rowRange(0, Math.min(n, 500)));
            long t0 = System.nanoTime();
            KernelRidgeModel m = krr.fit(tr.x(), tr.y());
            long t1 = System.nanoTime();
            Matrix pred = m.predict(te.x());
            long t2 = System.nanoTime();
            double rmse = RegressionMetrics.of(te.y(), pred).rmse();
            var rep = m.report();
            String path = rep.has("precision") ? rep.text("precision") : "double";
            if (rep.has("precision_fallback")) {
                path += " (fallback: " + rep.text("precision_fallback") + ")";
            }
            Row row = new Row(n, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9, rmse, path,
                    (int) rep.number("refinement_steps", 0), rep.number("relative_residual", Double.NaN));
            if (o.exportDir() != null) {
                Path dir = o.exportDir();
                Npy.write(tr.x(), dir.resolve("train_x_" + n + ".npy"));
                Npy.write(tr.y(), dir.resolve("train_y_" + n + ".npy"));
                Npy.write(te.x(), dir.resolve("test_x_" + n + ".npy"));
                Npy.write(te.y(), dir.resolve("test_y_" + n + ".npy"));
                Npy.write(pred, dir.resolve("pred_" + n + ".npy"));
                AtomicFiles.writeString(dir.resolve("time_" + n + ".txt"), String.valueOf(row.totalSeconds()));
            }
            rows.add(row);
            onRow.accept(row);
        }
        return new Result(rows);
    }
}
