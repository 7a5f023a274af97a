package org.kernels4j.bench;

import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.gp.SparseGaussianProcess;
import org.kernels4j.gp.SparseGaussianProcessModel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.selection.RegressionMetrics;

/**
 * {@code bench sgpr}: a sparse GP (Titsias' bound; hyperparameters and, unless fixed, inducing points
 * learned; seed 1) on Friedman-1 data (training noise 1, seed 3000 + n; noise-free test targets, seed
 * 7), optionally against exact GPs on the first rows. Times are wall-clock seconds after a small
 * warm-up fit.
 */
public final class SparseGpBenchmark {
    /**
     * What to run.
     *
     * @param kernel the initial kernel
     * @param n training rows (≥ 1)
     * @param d features (≥ 5)
     * @param inducing inducing points
     * @param test test rows (≥ 1)
     * @param maxIterations L-BFGS iterations (sparse and exact learning)
     * @param exactN also learn an exact GP on the first min(exactN, n) rows; 0 to skip
     * @param exactFitN also fit an exact GP with the sparse GP's learned kernel on the first
     *     min(exactFitN, n) rows (one Cholesky, no learning); 0 to skip
     * @param fixedInducing keep the inducing points where k-means++ put them
     * @param normalize normalize the target (all models)
     */
    public record Options(Kernel kernel, int n, int d, int inducing, int test, int maxIterations, int exactN,
            int exactFitN, boolean fixedInducing, boolean normalize) {
        /** Checks the sizes. */
        public Options {
            if (n < 1 || d < 5 || test < 1) {
                throw new IllegalArgumentException("n and test must be >= 1 and d >= 5");
            }
        }
    }

    /**
     * An exact GP on the first rows.
     *
     * @param n rows
     * @param seconds learning (if any), fit and prediction, s
     * @param testRmse test RMSE
     * @param kernel the learned kernel's spec (the sparse GP's own kernel when nothing was learned)
     */
    public record Exact(int n, double seconds, double testRmse, String kernel) {
    }

    /**
     * What was measured.
     *
     * @param fitSeconds sparse GP learning time, s
     * @param iterations L-BFGS iterations of the best start
     * @param evaluations bound evaluations of the best start
     * @param bound the final variational lower bound
     * @param kernel the learned kernel's spec
     * @param testRmse test RMSE against the noise-free targets
     * @param exact the exact GP learned on a subsample, or null when skipped
     * @param exactFit the exact GP with the sparse GP's kernel, or null when skipped
     */
    public record Result(double fitSeconds, int iterations, int evaluations, double bound, String kernel,
            double testRmse, Exact exact, Exact exactFit) {
        /** Seconds per bound evaluation. */
        public double secondsPerEvaluation() {
            return fitSeconds / evaluations;
        }
    }

    private SparseGpBenchmark() {
    }

    /** Generates the data, warms up, times the sparse GP, and runs the exact comparisons if asked. */
    public static Result run(Options o) {
        Kernel k = o.kernel();
        int n = o.n();
        SyntheticData.Regression tr = SyntheticData.friedman1(n, o.d(), 1.0, 3000 + n);
        SyntheticData.Regression te = SyntheticData.friedman1(o.test(), o.d(), 0.0, 7);
        HyperparameterSearch search = HyperparameterSearch.builder().maxIterations(o.maxIterations()).build();
        SparseGaussianProcess.builder(k).inducing(Math.min(50, n))
                .optimize(HyperparameterSearch.builder().maxIterations(3).build()).build()
                .fit(tr.x().rowRange(0, Math.min(n, 1000)), tr.y().rowRange(0, Math.min(n, 1000))); // JIT warm-up
        long t0 = System.nanoTime();
        SparseGaussianProcessModel m = SparseGaussianProcess.builder(k).inducing(o.inducing()).seed(1)
                .optimizeInducing(!o.fixedInducing()).normalizeTargets(o.normalize()).optimize(search).build()
                .fit(tr.x(), tr.y());
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rmse = RegressionMetrics.of(te.y(), m.predict(te.x())).rmse();
        HyperparameterSearch.Start s = m.search().starts().get(m.search().best());
        Exact exact = null;
        if (o.exactN() > 0) {
            int e = Math.min(o.exactN(), n);
            long s0 = System.nanoTime();
            GaussianProcess gp = GaussianProcess.builder(k).noise(1e-10).normalizeTargets(o.normalize()).build();
            HyperparameterSearch.Result r = gp.optimize(tr.x().rowRange(0, e), tr.y().rowRange(0, e),
                    HyperparameterSearch.builder().maxIterations(o.maxIterations()).build());
            double exactRmse = RegressionMetrics.of(te.y(), gp.withKernel(r.kernel())
                    .fit(tr.x().rowRange(0, e), tr.y().rowRange(0, e)).predict(te.x())).rmse();
            exact = new Exact(e, (System.nanoTime() - s0) / 1e9, exactRmse, r.kernel().toSpec());
        }
        Exact exactFit = null;
        if (o.exactFitN() > 0) {
            int e = Math.min(o.exactFitN(), n);
            long s0 = System.nanoTime();
            double exactRmse = RegressionMetrics.of(te.y(), GaussianProcess.builder(m.kernel()).noise(1e-10)
                    .normalizeTargets(o.normalize()).build().fit(tr.x().rowRange(0, e), tr.y().rowRange(0, e))
                    .predict(te.x())).rmse();
            exactFit = new Exact(e, (System.nanoTime() - s0) / 1e9, exactRmse, m.kernel().toSpec());
        }
        return new Result(seconds, s.iterations(), s.evaluations(), m.bound(), m.kernel().toSpec(), rmse, exact,
                exactFit);
    }
}
