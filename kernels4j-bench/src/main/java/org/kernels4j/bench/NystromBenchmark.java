package org.kernels4j.bench;

import java.nio.file.Path;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.regression.NystromKernelRidge;
import org.kernels4j.selection.RegressionMetrics;

/**
 * {@code bench nystrom}: Nyström kernel ridge regression (centre seed 1; the solver and CG stopping rule as
 * given — tolerance 0 runs exactly {@code maxIterations} steps) on seeded synthetic data ({@link SyntheticData#regression};
 * training seed 1000 + n, test seed 7), optionally against exact KRR on the first rows. Times are
 * wall-clock seconds after a small warm-up fit; heap figures in MiB.
 */
public final class NystromBenchmark {
    /**
     * What to run.
     *
     * @param kernel the kernel
     * @param lambda regularization, as for exact KRR
     * @param n training rows (≥ 1)
     * @param d features (≥ 1)
     * @param centers Nyström centres
     * @param test test rows (≥ 1)
     * @param maxIterations CG iteration limit
     * @param exactN also fit exact KRR on the first min(exactN, n) rows; 0 to skip
     * @param exportDir where to write the data, centre indices and our time and RMSE, or null
     * @param solver how the Nyström system is solved
     * @param stopping the CG stopping rule
     * @param tolerance its tolerance (NaN: the rule's default; 0: every iteration runs)
     * @param intercept whether the targets are centred (an intercept), as scikit-learn's Ridge(fit_intercept=True)
     * @param preconditionerRows {@link NystromKernelRidge.Builder#preconditionerRows}, or −1 for its default
     */
    public record Options(Kernel kernel, double lambda, int n, int d, int centers, int test, int maxIterations,
            int exactN, Path exportDir, NystromKernelRidge.Solver solver, NystromKernelRidge.Stopping stopping,
            double tolerance, boolean intercept, int preconditionerRows) {
        /** Checks the sizes. */
        public Options {
            if (n < 1 || d < 1 || test < 1) {
                throw new IllegalArgumentException("n, d and test must be >= 1, got " + n + ", " + d + " and " + test);
            }
        }

        /** Streaming CG running exactly {@code maxIterations} steps, no intercept (the benchmark before 2026-12). */
        public Options(Kernel kernel, double lambda, int n, int d, int centers, int test, int maxIterations, int exactN,
                Path exportDir) {
            this(kernel, lambda, n, d, centers, test, maxIterations, exactN, exportDir,
                    NystromKernelRidge.Solver.STREAMING_CG, NystromKernelRidge.Stopping.RESIDUAL, 0, false, -1);
        }
    }

    /**
     * Exact KRR on a subsample.
     *
     * @param n rows fitted
     * @param seconds fit and predict time, s
     * @param testRmse test RMSE
     */
    public record Exact(int n, double seconds, double testRmse) {
    }

    /**
     * What was measured.
     *
     * @param fitSeconds Nyström fit time, s
     * @param solver the solver that ran ("cg", "stored-cg" or "direct")
     * @param cgIterations CG iterations run
     * @param relativeResidual the final relative residual of the first output
     * @param heapUsedMib heap in use after fit and predict, MiB
     * @param maxHeapMib the JVM's maximum heap, MiB
     * @param testRmse test RMSE
     * @param exact the exact KRR comparison, or null when skipped
     */
    public record Result(double fitSeconds, String solver, int cgIterations, double relativeResidual, long heapUsedMib,
            long maxHeapMib, double testRmse, Exact exact) {
        /** Nyström test RMSE / exact test RMSE (NaN without the comparison). */
        public double rmseRatio() {
            return exact == null ? Double.NaN : testRmse / exact.testRmse();
        }
    }

    private NystromBenchmark() {
    }

    /** Generates the data, warms up, times the fit, and runs the exact comparison if asked. */
    public static Result run(Options o) {
        Kernel k = o.kernel();
        int n = o.n();
        NystromKernelRidge.Builder b = NystromKernelRidge.builder(k).lambda(o.lambda()).centers(o.centers())
                .maxIterations(o.maxIterations()).solver(o.solver()).stopping(o.stopping()).centerTargets(o.intercept())
                .seed(1);
        if (!Double.isNaN(o.tolerance())) {
            b.tolerance(o.tolerance());
        }
        if (o.preconditionerRows() >= 0) {
            b.preconditionerRows(o.preconditionerRows());
        }
        NystromKernelRidge krr = b.build();
        SyntheticData.Regression tr = SyntheticData.regression(n, o.d(), 1000 + n);
        SyntheticData.Regression te = SyntheticData.regression(o.test(), o.d(), 7);
        NystromKernelRidge.builder(k).lambda(o.lambda()).centers(Math.min(200, n)).maxIterations(2).build()
                .fit(tr.x().rowRange(0, Math.min(n, 2000)), tr.y().rowRange(0, Math.min(n, 2000))); // JIT warm-up
        Runtime rt = Runtime.getRuntime();
        long t0 = System.nanoTime();
        KernelRidgeModel fit = krr.fit(tr.x(), tr.y());
        long t1 = System.nanoTime();
        Matrix pred = fit.predict(te.x());
        double rmse = RegressionMetrics.of(te.y(), pred).rmse();
        double fitSeconds = (t1 - t0) / 1e9;
        long used = (rt.totalMemory() - rt.freeMemory()) >> 20;
        if (o.exportDir() != null) {
            Path dir = o.exportDir();
            Exports.createDirectory(dir);
            Npy.write(tr.x(), dir.resolve("train_x.npy"));
            Npy.write(tr.y(), dir.resolve("train_y.npy"));
            Npy.write(te.x(), dir.resolve("test_x.npy"));
            Npy.write(te.y(), dir.resolve("test_y.npy"));
            Matrix centreRows = new Matrix(centerIndices(fit).length, 1);
            for (int i = 0; i < centerIndices(fit).length; i++) {
                centreRows.set(i, 0, centerIndices(fit)[i]);
            }
            Npy.write(centreRows, dir.resolve("centers.npy"));
            AtomicFiles.writeString(dir.resolve("ours.txt"), fitSeconds + " " + rmse + "\n");
        }
        Exact exact = null;
        if (o.exactN() > 0) {
            int e = Math.min(o.exactN(), n);
            long s0 = System.nanoTime();
            KernelRidgeModel m = KernelRidge.builder(k).lambda(o.lambda()).build()
                    .fit(tr.x().rowRange(0, e), tr.y().rowRange(0, e));
            double exactRmse = RegressionMetrics.of(te.y(), m.predict(te.x())).rmse();
            exact = new Exact(e, (System.nanoTime() - s0) / 1e9, exactRmse);
        }
        return new Result(fitSeconds, fit.report().text("solver"), (int) fit.report().number("cg_iterations"),
                fit.report().numbers("relative_residuals")[0], used, rt.maxMemory() >> 20, rmse, exact);
    }

    private static int[] centerIndices(KernelRidgeModel m) {
        return java.util.Arrays.stream(m.report().numbers("center_indices")).mapToInt(v -> (int) v).toArray();
    }
}
