package org.kernels4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.RegularizationPath;
import org.kernels4j.spectral.SpectralFilter;

/**
 * {@code bench spectral}: every spectral filter's whole regularisation path (GCV at each of L parameter values,
 * then the fit at the chosen one) from ONE eigendecomposition of the n×n kernel matrix, timed against that
 * eigendecomposition in the same run. Data: {@link SyntheticData#regression} (seed 1000 + n), with an intercept.
 * The ratio reported per filter is (eigendecomposition + path) / eigendecomposition.
 */
public final class SpectralPathBenchmark {
    /**
     * What to run.
     *
     * @param kernel the kernel
     * @param n training rows
     * @param d features
     * @param pathLength parameter values per filter (L)
     */
    public record Options(Kernel kernel, int n, int d, int pathLength) {
    }

    /**
     * One filter's path.
     *
     * @param filter the filter's spec
     * @param pathSeconds the path's time (scores for every value and the chosen fit), s
     * @param ratio (eigendecomposition + path) / eigendecomposition
     * @param chosen the chosen parameter value
     * @param gcv its GCV score
     */
    public record Row(String filter, double pathSeconds, double ratio, double chosen, double gcv) {
    }

    /**
     * The whole run.
     *
     * @param gramSeconds the kernel matrix, s
     * @param eigenSeconds the eigendecomposition alone, s
     * @param rows one per filter
     * @param allFiltersRatio (eigendecomposition + every path) / eigendecomposition
     */
    public record Result(double gramSeconds, double eigenSeconds, List<Row> rows, double allFiltersRatio) {
        /** Copies the rows. */
        public Result {
            rows = List.copyOf(rows);
        }
    }

    private SpectralPathBenchmark() {
    }

    /** The L parameter values each filter is scored at. */
    static double[] grid(SpectralFilter f, int length) {
        switch (f.parameterName()) {
            case "iterations":
                return distinctWholeNumbers(f.kind() == SpectralFilter.Kind.NU_METHOD ? 3e3 : 1e5, length, 1);
            case "rounds":
                return distinctWholeNumbers(length - 1.0, length, 0);
            case "time":
                return KernelRidge.logGrid(1e-3, 1e7, length);
            default:
                return KernelRidge.logGrid(1e-7, 1e3, length);
        }
    }

    /** {@code length} strictly increasing whole numbers from {@code first}, log-spaced up to about {@code last}. */
    private static double[] distinctWholeNumbers(double last, int length, int first) {
        double[] g = new double[length];
        double[] log = KernelRidge.logGrid(1, Math.max(last, length), length);
        for (int i = 0; i < length; i++) {
            double v = first == 0 ? i * (last / Math.max(1, length - 1)) : log[i];
            g[i] = Math.max(Math.round(v), i == 0 ? first : g[i - 1] + 1);
        }
        return g;
    }

    /** The filters of the benchmark, each with its default shape. */
    static List<SpectralFilter> filters() {
        return List.of(SpectralFilter.tikhonov(), SpectralFilter.iteratedTikhonov(2), SpectralFilter.cutoff(),
                SpectralFilter.landweber(), SpectralFilter.gradientFlow(), SpectralFilter.nuMethod(1),
                SpectralFilter.selfDistillation(1e-2, 0.5));
    }

    /** Runs every filter on one eigendecomposition; {@code onRow} receives each row as soon as it is measured. */
    public static Result run(Options o, Consumer<Row> onRow) {
        SyntheticData.Regression data = SyntheticData.regression(o.n(), o.d(), 1000 + o.n());
        // warm-up on 300 rows so JIT compilation is not timed
        SymmetricEigen small = SymmetricEigen.ofInPlace(GramEngine.gram(o.kernel(), data.x().rowRange(0, Math.min(300,
                o.n()))));
        for (SpectralFilter f : filters()) {
            RegularizationPath.compute(small, data.y().rowRange(0, small.size()), f, grid(f, o.pathLength()),
                    RegularizationPath.Criterion.GCV, true);
        }
        long t0 = System.nanoTime();
        Matrix gram = GramEngine.gram(o.kernel(), data.x());
        long t1 = System.nanoTime();
        SymmetricEigen eig = SymmetricEigen.ofInPlace(gram);
        long t2 = System.nanoTime();
        double eigen = (t2 - t1) / 1e9;
        List<Row> rows = new ArrayList<>();
        double all = 0;
        for (SpectralFilter f : filters()) {
            double[] grid = grid(f, o.pathLength());
            long s = System.nanoTime();
            RegularizationPath path = RegularizationPath.compute(eig, data.y(), f, grid,
                    RegularizationPath.Criterion.GCV, true);
            double seconds = (System.nanoTime() - s) / 1e9;
            all += seconds;
            Row row = new Row(f.toSpec(), seconds, (eigen + seconds) / eigen, path.chosenParameter(),
                    path.gcv()[path.chosenIndex()]);
            rows.add(row);
            onRow.accept(row);
        }
        return new Result((t1 - t0) / 1e9, eigen, rows, (eigen + all) / eigen);
    }
}
