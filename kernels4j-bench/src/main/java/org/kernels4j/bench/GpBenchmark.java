package org.kernels4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Npy;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * {@code bench gp}: Gaussian process hyperparameter learning (L-BFGS on the log marginal likelihood,
 * no restarts) plus the final fit, one row per problem. Times are wall-clock seconds after a warm-up
 * on 300 Friedman-1 rows (when the problem has at least 5 features).
 */
public final class GpBenchmark {
    /**
     * One data set.
     *
     * @param name its name in the output and in export file names
     * @param x inputs
     * @param y n×1 targets
     */
    public record Problem(String name, Matrix x, Matrix y) {
    }

    /**
     * What to run.
     *
     * @param kernel the initial kernel
     * @param noise fixed diagonal term (scikit-learn's alpha)
     * @param normalize normalize the target (scikit-learn's normalize_y)
     * @param problems the data sets, at least one
     * @param exportDir where to write each problem's data and our results for the peer script, or null
     */
    public record Options(Kernel kernel, double noise, boolean normalize, List<Problem> problems, Path exportDir) {
        /** Copies the problems. */
        public Options {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("no problems to run");
            }
        }
    }

    /**
     * One problem's learning.
     *
     * @param name the problem's name
     * @param n its rows
     * @param seconds learning and final fit, s
     * @param iterations L-BFGS iterations
     * @param evaluations likelihood evaluations
     * @param logMarginalLikelihood the final fit's log marginal likelihood
     * @param learnedKernel the learned kernel's spec
     */
    public record Row(String name, int n, double seconds, int iterations, int evaluations, double logMarginalLikelihood,
            String learnedKernel) {
    }

    /** Every row, in the order of the problems. */
    public record Result(List<Row> rows) {
        /** Copies the rows. */
        public Result {
            rows = List.copyOf(rows);
        }
    }

    private GpBenchmark() {
    }

    /** Friedman-1 problems of these sizes with d features (noise 1, seed 2000 + n), each named "friedman1". */
    public static List<Problem> friedman1(List<Integer> sizes, int d) {
        List<Problem> problems = new ArrayList<>();
        for (int n : sizes) {
            SyntheticData.Regression r = SyntheticData.friedman1(n, d, 1.0, 2000 + n);
            problems.add(new Problem("friedman1", r.x(), r.y()));
        }
        return problems;
    }

    /** Runs every problem; {@code onRow} receives each row as soon as it is measured. */
    public static Result run(Options o, Consumer<Row> onRow) {
        GaussianProcess gp = GaussianProcess.builder(o.kernel()).noise(o.noise()).normalizeTargets(o.normalize()).build();
        Exports.createDirectory(o.exportDir());
        // JIT warm-up on a small problem, so compilation is not timed
        int cols = o.problems().get(0).x().cols();
        SyntheticData.Regression warm = SyntheticData.friedman1(300, Math.max(5, cols), 1, 1);
        if (warm.x().cols() == cols) {
            gp.optimize(warm.x(), warm.y(), HyperparameterSearch.builder().build());
        }
        List<Row> rows = new ArrayList<>();
        for (Problem pr : o.problems()) {
            int n = pr.x().rows();
            long t0 = System.nanoTime();
            HyperparameterSearch.Result r = gp.optimize(pr.x(), pr.y(), HyperparameterSearch.builder().build());
            double lml = gp.withKernel(r.kernel()).fit(pr.x(), pr.y()).logMarginalLikelihood();
            double seconds = (System.nanoTime() - t0) / 1e9;
            HyperparameterSearch.Start s = r.starts().get(r.best());
            Row row = new Row(pr.name(), n, seconds, s.iterations(), s.evaluations(), lml, r.kernel().toSpec());
            if (o.exportDir() != null) {
                String tag = pr.name() + "_" + n;
                Npy.write(pr.x(), o.exportDir().resolve("x_" + tag + ".npy"));
                Npy.write(pr.y(), o.exportDir().resolve("y_" + tag + ".npy"));
                StringBuilder theta = new StringBuilder();
                for (var h : r.hyperparameters()) {
                    theta.append(Math.log(h.value())).append(' ');
                }
                AtomicFiles.writeString(o.exportDir().resolve("ours_" + tag + ".txt"),
                        seconds + "\n" + lml + "\n" + theta.toString().trim() + "\n" + o.normalize() + "\n");
            }
            rows.add(row);
            onRow.accept(row);
        }
        return new Result(rows);
    }
}
