package org.kernels4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bench.GramVsGemm;
import org.kernels4j.bench.SyntheticData;
import org.kernels4j.io.Npy;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.io.Dataset;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.density.KernelDensity;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.regression.NystromKernelRidge;
import org.kernels4j.privacy.PrivateKernelSum;
import org.kernels4j.selection.RegressionMetrics;
import org.kernels4j.gp.SparseGaussianProcess;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks. Every figure is measured in this run; ratios compare with BLAS in the same run.",
            "Peer comparisons with scikit-learn: bench/run-peer-comparison.sh."},
        subcommands = {BenchCommand.Gram.class, BenchCommand.Krr.class, BenchCommand.NystromKrr.class,
            BenchCommand.GpLearning.class, BenchCommand.SparseGp.class, BenchCommand.Kde.class,
            BenchCommand.PrivateKde.class, SvmBenchCommand.class})
final class BenchCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "gram", mixinStandardHelpOptions = true,
            description = "Time the Gram matrix K(X, X) against one dgemm X*X^T of the same shapes.")
    static final class Gram implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", defaultValue = "20000", description = "Number of points (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--d", defaultValue = "64", description = "Number of features (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--kernel", defaultValue = "rbf(gamma=0.01)", description = "Kernel spec (default: ${DEFAULT-VALUE}).")
        String kernel;

        @Option(names = "--reps", defaultValue = "3", description = "Timed repetitions; the best is kept (default: ${DEFAULT-VALUE}).")
        int reps;

        @Option(names = "--export", paramLabel = "X.npy", description = "Also write the input points, for peer benchmarks.")
        Path export;

        @Option(names = "--baseline", paramLabel = "SPEC",
                description = "Also time this kernel's Gram matrix on the same data and report the ratio, "
                        + "e.g. --kernel \"ntk(depth=10)\" --baseline \"rbf(gamma=0.01)\".")
        String baseline;

        @Override
        public Integer call() {
            if (n < 1 || d < 1 || reps < 1) {
                throw new Kernels4jException("--n, --d and --reps must be positive");
            }
            Kernel k = KernelSpec.parse(kernel);
            Kernel b = baseline == null ? null : KernelSpec.parse(baseline);
            if (export != null) {
                Npy.write(SyntheticData.regression(n, d, 1).x(), export);
            }
            GramVsGemm.Result r = GramVsGemm.run(k, n, d, reps, 1, s -> { });
            var out = spec.commandLine().getOut();
            out.printf("gram %s n=%d d=%d threads=%d ops=%s%n", r.kernel(), n, d, r.threads(), r.elementOps());
            out.printf("dgemm_seconds: %.4f%n", r.gemmSeconds());
            out.printf("gram_seconds: %.4f%n", r.gramSeconds());
            out.printf("ratio_gram_over_dgemm: %.3f%n", r.ratio());
            if (b != null) {
                double bs = GramVsGemm.bestGramSeconds(b, n, d, reps, 1, s -> { });
                out.printf("baseline %s gram_seconds: %.4f%n", b.toSpec(), bs);
                out.printf("ratio_gram_over_baseline: %.3f%n", r.gramSeconds() / bs);
            }
            return 0;
        }
    }

    @Command(name = "krr", mixinStandardHelpOptions = true,
            description = "Time exact kernel ridge regression fit + predict on seeded synthetic data.")
    static final class Krr implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", defaultValue = "5000,10000,20000", split = ",",
                description = "Training sizes (default: ${DEFAULT-VALUE}).")
        List<Integer> sizes;

        @Option(names = "--test", defaultValue = "2000", description = "Test size (default: ${DEFAULT-VALUE}).")
        int test;

        @Option(names = "--d", defaultValue = "8", description = "Number of features (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--kernel", defaultValue = "rbf(gamma=0.5)", description = "Kernel spec (default: ${DEFAULT-VALUE}).")
        String kernel;

        @Option(names = "--lambda", defaultValue = "0.001", description = "Regularization (default: ${DEFAULT-VALUE}).")
        double lambda;

        @Option(names = "--export-dir", paramLabel = "DIR",
                description = "Write each size's data and our predictions as .npy for the peer script.")
        Path exportDir;

        @Override
        public Integer call() throws Exception {
            Kernel k = KernelSpec.parse(kernel);
            var out = spec.commandLine().getOut();
            out.printf("krr %s lambda=%s d=%d test=%d threads=%d%n", k.toSpec(), lambda, d, test, Parallelism.threads());
            out.printf("%8s %10s %10s %10s %12s%n", "n", "fit_s", "predict_s", "total_s", "test_rmse");
            if (exportDir != null) {
                Files.createDirectories(exportDir);
            }
            for (int n : sizes) {
                SyntheticData.Regression tr = SyntheticData.regression(n, d, 1000 + n);
                SyntheticData.Regression te = SyntheticData.regression(test, d, 7);
                KernelRidge krr = KernelRidge.builder(k).lambda(lambda).build();
                // one small warm-up so JIT compilation is not timed
                krr.fit(tr.x().rowRange(0, Math.min(n, 500)), tr.y().rowRange(0, Math.min(n, 500)));
                long t0 = System.nanoTime();
                KernelRidgeModel m = krr.fit(tr.x(), tr.y());
                long t1 = System.nanoTime();
                Matrix pred = m.predict(te.x());
                long t2 = System.nanoTime();
                double rmse = RegressionMetrics.of(te.y(), pred).rmse();
                out.printf("%8d %10.3f %10.3f %10.3f %12.8f%n", n, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9, rmse);
                if (exportDir != null) {
                    Npy.write(tr.x(), exportDir.resolve("train_x_" + n + ".npy"));
                    Npy.write(tr.y(), exportDir.resolve("train_y_" + n + ".npy"));
                    Npy.write(te.x(), exportDir.resolve("test_x_" + n + ".npy"));
                    Npy.write(te.y(), exportDir.resolve("test_y_" + n + ".npy"));
                    Npy.write(pred, exportDir.resolve("pred_" + n + ".npy"));
                    org.kernels4j.io.AtomicFiles.writeString(exportDir.resolve("time_" + n + ".txt"), String.valueOf((t2 - t0) / 1e9));
                }
            }
            return 0;
        }
    }

    @Command(name = "nystrom", mixinStandardHelpOptions = true,
            description = {"Time Nystrom kernel ridge regression (Falkon-style CG) on seeded synthetic data, and compare its",
                "test RMSE with exact kernel ridge regression on the largest subsample given by --exact-n."})
    static final class NystromKrr implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", defaultValue = "1000000", description = "Training size (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--d", defaultValue = "20", description = "Number of features (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--centers", defaultValue = "5000", description = "Nystrom centres (default: ${DEFAULT-VALUE}).")
        int centers;

        @Option(names = "--test", defaultValue = "10000", description = "Test size (default: ${DEFAULT-VALUE}).")
        int test;

        @Option(names = "--kernel", defaultValue = "rbf(gamma=0.05)", description = "Kernel spec (default: ${DEFAULT-VALUE}).")
        String kernel;

        @Option(names = "--lambda", defaultValue = "1", description = "Regularization, as for exact KRR "
                + "(default: ${DEFAULT-VALUE}).")
        double lambda;

        @Option(names = "--max-iter", defaultValue = "20", description = "CG iterations (default: ${DEFAULT-VALUE}).")
        int maxIter;

        @Option(names = "--exact-n", defaultValue = "0", description = "Also fit exact KRR on the first N rows "
                + "(0: skip; default: ${DEFAULT-VALUE}).")
        int exactN;

        @Option(names = "--export-dir", paramLabel = "DIR",
                description = "Write the data and our test predictions as .npy for the peer script.")
        Path exportDir;

        @Override
        public Integer call() throws Exception {
            Kernel k = KernelSpec.parse(kernel);
            if (n < 1 || d < 1 || test < 1) {
                throw new Kernels4jException("--n, --d and --test must be >= 1, got " + n + ", " + d + " and " + test);
            }
            NystromKernelRidge krr = NystromKernelRidge.builder(k).lambda(lambda).centers(centers).maxIterations(maxIter)
                    .tolerance(0).seed(1).build();
            var out = spec.commandLine().getOut();
            SyntheticData.Regression tr = SyntheticData.regression(n, d, 1000 + n);
            SyntheticData.Regression te = SyntheticData.regression(test, d, 7);
            out.printf("nystrom krr %s lambda=%s n=%d d=%d m=%d iterations=%d threads=%d%n", k.toSpec(), lambda, n, d,
                    centers, maxIter, Parallelism.threads());
            NystromKernelRidge.builder(k).lambda(lambda).centers(Math.min(200, n)).maxIterations(2).build()
                    .fit(tr.x().rowRange(0, Math.min(n, 2000)), tr.y().rowRange(0, Math.min(n, 2000))); // JIT warm-up
            Runtime rt = Runtime.getRuntime();
            long t0 = System.nanoTime();
            NystromKernelRidge.Fit fit = krr.fit(tr.x(), tr.y());
            long t1 = System.nanoTime();
            Matrix pred = fit.model().predict(te.x());
            double rmse = RegressionMetrics.of(te.y(), pred).rmse();
            out.printf("fit_seconds: %.2f%n", (t1 - t0) / 1e9);
            out.printf("cg_iterations: %d, relative_residual: %.3g%n", fit.iterations(), fit.relativeResiduals()[0]);
            out.printf("heap_used_mib: %d (max heap %d MiB)%n", (rt.totalMemory() - rt.freeMemory()) >> 20,
                    rt.maxMemory() >> 20);
            out.printf("test_rmse: %.6f%n", rmse);
            if (exportDir != null) {
                Files.createDirectories(exportDir);
                Npy.write(tr.x(), exportDir.resolve("train_x.npy"));
                Npy.write(tr.y(), exportDir.resolve("train_y.npy"));
                Npy.write(te.x(), exportDir.resolve("test_x.npy"));
                Npy.write(te.y(), exportDir.resolve("test_y.npy"));
                Matrix centreRows = new Matrix(fit.centerIndices().length, 1);
                for (int i = 0; i < fit.centerIndices().length; i++) {
                    centreRows.set(i, 0, fit.centerIndices()[i]);
                }
                Npy.write(centreRows, exportDir.resolve("centers.npy"));
                org.kernels4j.io.AtomicFiles.writeString(exportDir.resolve("ours.txt"), (t1 - t0) / 1e9 + " " + rmse + "\n");
            }
            if (exactN > 0) {
                int e = Math.min(exactN, n);
                long s0 = System.nanoTime();
                KernelRidgeModel m = KernelRidge.builder(k).lambda(lambda).build()
                        .fit(tr.x().rowRange(0, e), tr.y().rowRange(0, e));
                double exact = RegressionMetrics.of(te.y(), m.predict(te.x())).rmse();
                out.printf("exact_krr n=%d seconds: %.2f test_rmse: %.6f%n", e, (System.nanoTime() - s0) / 1e9, exact);
                out.printf("rmse_ratio_nystrom_over_exact: %.4f%n", rmse / exact);
            }
            return 0;
        }
    }

    @Command(name = "gp", mixinStandardHelpOptions = true,
            description = {"Time Gaussian process hyperparameter learning (L-BFGS on the log marginal likelihood, no "
                    + "restarts) plus the final fit, on Friedman-1 data or a CSV file.",
                "With --export-dir, writes each problem's data, our learned log-hyperparameters, evidence and time for "
                    + "bench/sklearn_peer.py gp."})
    static final class GpLearning implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", defaultValue = "1000,2000,5000", split = ",",
                description = "Friedman-1 training sizes (default: ${DEFAULT-VALUE}).")
        List<Integer> sizes;

        @Option(names = "--d", defaultValue = "10", description = "Friedman-1 features, >= 5 (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--data", paramLabel = "FILE.csv",
                description = "Use this CSV (header row, target in the last column) instead of Friedman-1.")
        Path data;

        @Option(names = "--kernel", defaultValue = "1*rbf(length=1) + white(noise=1)",
                description = "Initial kernel (default: ${DEFAULT-VALUE}).")
        String kernel;

        @Option(names = "--noise", defaultValue = "1e-10",
                description = "Fixed diagonal term, scikit-learn's alpha (default: ${DEFAULT-VALUE}).")
        double noise;

        @Option(names = "--normalize", description = "Normalize the target (scikit-learn's normalize_y).")
        boolean normalize;

        @Option(names = "--export-dir", paramLabel = "DIR", description = "Write data and results as .npy/.txt.")
        Path exportDir;

        @Override
        public Integer call() throws Exception {
            Kernel k = KernelSpec.parse(kernel);
            GaussianProcess gp = GaussianProcess.of(k, noise, normalize);
            var out = spec.commandLine().getOut();
            out.printf("gp learning %s noise=%s threads=%d%n", k.toSpec(), noise, Parallelism.threads());
            out.printf("%-12s %8s %10s %6s %6s %18s  %s%n", "data", "n", "seconds", "iters", "evals", "log_marginal_lik",
                    "learned kernel");
            if (exportDir != null) {
                Files.createDirectories(exportDir);
            }
            List<String> names = new java.util.ArrayList<>();
            List<SyntheticData.Regression> problems = new java.util.ArrayList<>();
            if (data != null) {
                Dataset ds = new DataOptions().readWithTarget(data, "-1");
                names.add(data.getFileName().toString().replaceFirst("\\.csv$", ""));
                problems.add(new SyntheticData.Regression(ds.features(), ds.target()));
            } else {
                for (int n : sizes) {
                    names.add("friedman1");
                    problems.add(SyntheticData.friedman1(n, d, 1.0, 2000 + n));
                }
            }
            // JIT warm-up on a small problem, so compilation is not timed
            SyntheticData.Regression warm = SyntheticData.friedman1(300, Math.max(5, problems.get(0).x().cols()), 1, 1);
            if (warm.x().cols() == problems.get(0).x().cols()) {
                gp.optimize(warm.x(), warm.y(), HyperparameterSearch.builder().build());
            }
            for (int p = 0; p < problems.size(); p++) {
                SyntheticData.Regression pr = problems.get(p);
                int n = pr.x().rows();
                long t0 = System.nanoTime();
                HyperparameterSearch.Result r = gp.optimize(pr.x(), pr.y(), HyperparameterSearch.builder().build());
                double lml;
                try (GaussianProcess.Model m = gp.withKernel(r.kernel()).fit(pr.x(), pr.y())) {
                    lml = m.logMarginalLikelihood();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                HyperparameterSearch.Start s = r.starts().get(r.best());
                out.printf("%-12s %8d %10.3f %6d %6d %18.10f  %s%n", names.get(p), n, seconds, s.iterations(),
                        s.evaluations(), lml, r.kernel().toSpec());
                if (exportDir != null) {
                    String tag = names.get(p) + "_" + n;
                    Npy.write(pr.x(), exportDir.resolve("x_" + tag + ".npy"));
                    Npy.write(pr.y(), exportDir.resolve("y_" + tag + ".npy"));
                    StringBuilder theta = new StringBuilder();
                    for (var h : r.hyperparameters()) {
                        theta.append(Math.log(h.value())).append(' ');
                    }
                    org.kernels4j.io.AtomicFiles.writeString(exportDir.resolve("ours_" + tag + ".txt"),
                            seconds + "\n" + lml + "\n" + theta.toString().trim() + "\n" + normalize + "\n");
                }
            }
            return 0;
        }
    }

    @Command(name = "sgpr", mixinStandardHelpOptions = true,
            description = {"Time a sparse GP (Titsias' bound; hyperparameters and inducing points learned) on Friedman-1 "
                    + "data, and compare its test RMSE with an exact GP learned on the first --exact-n rows."})
    static final class SparseGp implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", defaultValue = "100000", description = "Training size (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--d", defaultValue = "10", description = "Features, >= 5 (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--inducing", defaultValue = "500", description = "Inducing points (default: ${DEFAULT-VALUE}).")
        int inducing;

        @Option(names = "--test", defaultValue = "10000", description = "Test size (default: ${DEFAULT-VALUE}).")
        int test;

        @Option(names = "--kernel", defaultValue = "1*rbf(length=1) + white(noise=1)",
                description = "Initial kernel (default: ${DEFAULT-VALUE}).")
        String kernel;

        @Option(names = "--max-iter", defaultValue = "100", description = "L-BFGS iterations (default: ${DEFAULT-VALUE}).")
        int maxIter;

        @Option(names = "--exact-n", defaultValue = "0", description = "Also learn an exact GP on the first N rows "
                + "(0: skip; default: ${DEFAULT-VALUE}).")
        int exactN;

        @Option(names = "--exact-fit-n", defaultValue = "0", description = "Also fit an exact GP with the sparse GP's "
                + "learned kernel (no learning: one Cholesky) on the first N rows (0: skip; default: ${DEFAULT-VALUE}).")
        int exactFitN;

        @Option(names = "--fixed-inducing", description = "Keep the inducing points where k-means++ put them.")
        boolean fixedInducing;

        @Option(names = "--normalize", description = "Normalize the target (both models).")
        boolean normalize;

        @Override
        public Integer call() {
            if (n < 1 || d < 5 || test < 1) {
                throw new Kernels4jException("--n and --test must be >= 1 and --d >= 5");
            }
            Kernel k = KernelSpec.parse(kernel);
            SyntheticData.Regression tr = SyntheticData.friedman1(n, d, 1.0, 3000 + n);
            SyntheticData.Regression te = SyntheticData.friedman1(test, d, 0.0, 7);
            var out = spec.commandLine().getOut();
            out.printf("sgpr %s n=%d d=%d m=%d test=%d threads=%d%n", k.toSpec(), n, d, inducing, test,
                    Parallelism.threads());
            HyperparameterSearch search = HyperparameterSearch.builder().maxIterations(maxIter).build();
            SparseGaussianProcess.builder(k).inducing(Math.min(50, n)).build()
                    .fit(tr.x().rowRange(0, Math.min(n, 1000)), tr.y().rowRange(0, Math.min(n, 1000)),
                            HyperparameterSearch.builder().maxIterations(3).build()); // JIT warm-up
            long t0 = System.nanoTime();
            SparseGaussianProcess.Model m = SparseGaussianProcess.builder(k).inducing(inducing).seed(1)
                    .optimizeInducing(!fixedInducing).normalizeTargets(normalize).build().fit(tr.x(), tr.y(), search);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rmse = RegressionMetrics.of(te.y(), m.mean(te.x())).rmse();
            HyperparameterSearch.Start s = m.search().starts().get(m.search().best());
            out.printf("sgpr_fit_seconds: %.2f (%d iterations, %d evaluations, %.2f s per evaluation)%n", seconds,
                    s.iterations(), s.evaluations(), seconds / s.evaluations());
            out.printf("sgpr_bound: %.6f%n", m.bound());
            out.printf("sgpr_kernel: %s%n", m.kernel().toSpec());
            out.printf("sgpr_test_rmse: %.6f (noise-free test targets)%n", rmse);
            if (exactN > 0) {
                int e = Math.min(exactN, n);
                long s0 = System.nanoTime();
                GaussianProcess gp = GaussianProcess.of(k, 1e-10, normalize);
                HyperparameterSearch.Result r = gp.optimize(tr.x().rowRange(0, e), tr.y().rowRange(0, e),
                        HyperparameterSearch.builder().maxIterations(maxIter).build());
                double exact;
                try (GaussianProcess.Model em = gp.withKernel(r.kernel()).fit(tr.x().rowRange(0, e), tr.y().rowRange(0, e))) {
                    exact = RegressionMetrics.of(te.y(), em.mean(te.x())).rmse();
                }
                out.printf("exact_gp n=%d seconds: %.2f test_rmse: %.6f kernel: %s%n", e, (System.nanoTime() - s0) / 1e9,
                        exact, r.kernel().toSpec());
                out.printf("rmse_ratio_sgpr_over_exact: %.4f%n", rmse / exact);
            }
            if (exactFitN > 0) {
                int e = Math.min(exactFitN, n);
                long s0 = System.nanoTime();
                double exact;
                try (GaussianProcess.Model em = GaussianProcess.of(m.kernel(), 1e-10, normalize)
                        .fit(tr.x().rowRange(0, e), tr.y().rowRange(0, e))) {
                    exact = RegressionMetrics.of(te.y(), em.mean(te.x())).rmse();
                }
                out.printf("exact_gp_with_sgpr_kernel n=%d seconds: %.2f test_rmse: %.6f%n", e,
                        (System.nanoTime() - s0) / 1e9, exact);
                out.printf("rmse_ratio_sgpr_over_exact_fit: %.4f%n", rmse / exact);
            }
            return 0;
        }
    }

    @Command(name = "kde", mixinStandardHelpOptions = true,
            description = {"Time exact Gaussian kernel density estimation (log-density of every query) on seeded "
                    + "standard-normal data, bandwidth h = n^(-1/(d+4)) (Scott's factor).",
                "With --export-dir, writes the points, queries and our log-densities for bench/sklearn_peer.py kde."})
    static final class Kde implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", defaultValue = "100000", description = "Training points (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--queries", defaultValue = "10000", description = "Queries (default: ${DEFAULT-VALUE}).")
        int queries;

        @Option(names = "--d", defaultValue = "2,8,32", split = ",", description = "Dimensions (default: ${DEFAULT-VALUE}).")
        List<Integer> dims;

        @Option(names = "--kernel", defaultValue = "gaussian", description = "Profile (default: ${DEFAULT-VALUE}).")
        String kernel;

        @Option(names = "--rtol", defaultValue = "0", description = "Relative tolerance: 0 for the exact tiled mode, "
                + "> 0 for the tree mode (default: ${DEFAULT-VALUE}).")
        double rtol;

        @Option(names = "--export-dir", paramLabel = "DIR", description = "Write data and results as .npy/.txt.")
        Path exportDir;

        @Override
        public Integer call() throws Exception {
            if (n < 1 || queries < 1) {
                throw new Kernels4jException("--n and --queries must be >= 1");
            }
            KernelDensity.Profile profile = KernelDensity.Profile.parse(kernel);
            var out = spec.commandLine().getOut();
            out.printf("kde %s n=%d queries=%d threads=%d%n", kernel, n, queries, Parallelism.threads());
            out.printf("%4s %10s %10s %14s %8s %12s%n", "d", "h", "seconds", "mean_log_density", "method", "achieved_rtol");
            if (exportDir != null) {
                Files.createDirectories(exportDir);
            }
            for (int d : dims) {
                Matrix x = SyntheticData.regression(n, d, 11 + d).x();
                Matrix q = SyntheticData.regression(queries, d, 12 + d).x();
                double h = Math.pow(n, -1.0 / (d + 4));
                KernelDensity.fit(profile, x.rowRange(0, Math.min(n, 2000)), null, KernelDensity.scalar(h, d))
                        .logDensity(q.rowRange(0, Math.min(queries, 500))); // JIT warm-up
                long t0 = System.nanoTime();
                KernelDensity f = KernelDensity.fit(profile, x, null, KernelDensity.scalar(h, d));
                KernelDensity.Approximate a = f.logDensity(q, rtol);
                double[] ld = a.logDensity();
                double seconds = (System.nanoTime() - t0) / 1e9;
                double mean = 0;
                for (double v : ld) {
                    mean += v / ld.length;
                }
                out.printf("%4d %10.5f %10.3f %14.6f %8s %12.3g%n", d, h, seconds, mean, a.method(), a.achieved());
                if (exportDir != null) {
                    Npy.write(x, exportDir.resolve("kde_x_" + d + ".npy"));
                    Npy.write(q, exportDir.resolve("kde_q_" + d + ".npy"));
                    Npy.write(Matrix.column(ld), exportDir.resolve("kde_ours_" + d + ".npy"));
                    org.kernels4j.io.AtomicFiles.writeString(exportDir.resolve("kde_ours_" + d + ".txt"), seconds + "\n" + h + "\n");
                }
            }
            return 0;
        }
    }

    @Command(name = "private-kde", mixinStandardHelpOptions = true,
            description = {"Mean relative error of epsilon-DP Gaussian kernel sums (random features + Laplace) against "
                    + "the exact sums, and query time, for each epsilon, on seeded standard-normal data."})
    static final class PrivateKde implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", defaultValue = "100000", description = "Private points (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--queries", defaultValue = "1000", description = "Queries (default: ${DEFAULT-VALUE}).")
        int queries;

        @Option(names = "--d", defaultValue = "8", description = "Dimension (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--kernel", defaultValue = "rbf(gamma=0.1)", description = "Kernel (default: ${DEFAULT-VALUE}).")
        String kernel;

        @Option(names = "--epsilon", defaultValue = "0.1,0.5,1,5", split = ",", description = "Privacy levels "
                + "(default: ${DEFAULT-VALUE}).")
        List<Double> epsilons;

        @Option(names = "--features", defaultValue = "1024,4096", split = ",", description = "Random feature counts D "
                + "(default: ${DEFAULT-VALUE}).")
        List<Integer> featureCounts;

        @Option(names = "--repeats", defaultValue = "5", description = "Releases per setting, averaged "
                + "(default: ${DEFAULT-VALUE}).")
        int repeats;

        @Override
        public Integer call() {
            Kernel k = KernelSpec.parse(kernel);
            Matrix x = SyntheticData.regression(n, d, 21).x();
            Matrix q = SyntheticData.regression(queries, d, 22).x();
            Matrix ones = new Matrix(n, 1);
            java.util.Arrays.fill(ones.data(), 1.0);
            long e0 = System.nanoTime();
            double[] exact = GramEngine.crossTimes(k, q, x, ones, org.kernels4j.ProgressListener.NONE).data();
            double exactSeconds = (System.nanoTime() - e0) / 1e9;
            var out = spec.commandLine().getOut();
            out.printf("private kernel sums %s n=%d d=%d queries=%d repeats=%d threads=%d%n", k.toSpec(), n, d, queries,
                    repeats, Parallelism.threads());
            out.printf("exact sums: %.3f s for all queries (%.1f us per query)%n", exactSeconds, 1e6 * exactSeconds / queries);
            out.printf("%8s %8s %22s %16s %16s%n", "epsilon", "D", "mean_relative_error", "predicted_noise", "us_per_query");
            for (int features : featureCounts) {
                for (double eps : epsilons) {
                    double err = 0;
                    double seconds = 0;
                    double noise = 0;
                    for (int r = 0; r < repeats; r++) {
                        PrivateKernelSum p = PrivateKernelSum.release(k, x, features, eps, 100 + r, 200 + r);
                        long t0 = System.nanoTime();
                        double[] est = p.sums(q);
                        seconds += (System.nanoTime() - t0) / 1e9;
                        for (int i = 0; i < queries; i++) {
                            err += Math.abs(est[i] - exact[i]) / exact[i] / (queries * repeats);
                        }
                        double meanExact = 0;
                        for (double v : exact) {
                            meanExact += v / queries;
                        }
                        noise = n * p.noiseStandardDeviation() / meanExact;
                    }
                    out.printf("%8s %8d %22.4f %16.4f %16.2f%n", eps, features, err, noise, 1e6 * seconds / (queries * repeats));
                }
            }
            out.println("(predicted_noise: the Laplace term's standard deviation relative to the mean exact sum)");
            return 0;
        }
    }
}
