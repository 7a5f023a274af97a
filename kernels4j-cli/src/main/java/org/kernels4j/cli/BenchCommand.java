package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bench.BalancingBenchmark;
import org.kernels4j.bench.GpBenchmark;
import org.kernels4j.bench.GramBenchmark;
import org.kernels4j.bench.KdeBenchmark;
import org.kernels4j.bench.KrrBenchmark;
import org.kernels4j.bench.NystromBenchmark;
import org.kernels4j.bench.PrivateKdeBenchmark;
import org.kernels4j.bench.SparseGpBenchmark;
import org.kernels4j.bench.SpectralPathBenchmark;
import org.kernels4j.density.KernelDensity;
import org.kernels4j.io.Dataset;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.regression.NystromKernelRidge;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kernels4j bench}: parses options, runs the harness in {@code kernels4j-bench}
 * ({@code org.kernels4j.bench.*Benchmark}) and prints its records.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks. Every figure is measured in this run; ratios compare with BLAS in the same run.",
            "Peer comparisons with scikit-learn: bench/run-peer-comparison.sh."},
        subcommands = {BenchCommand.Gram.class, BenchCommand.Krr.class, BenchCommand.NystromKrr.class,
            BenchCommand.GpLearning.class, BenchCommand.SparseGp.class, BenchCommand.Kde.class,
            BenchCommand.PrivateKde.class, SvmBenchCommand.class, NuSvcBenchCommand.class, BenchCommand.Balance.class,
            BenchCommand.Spectral.class, ThinBenchCommand.class, QuantumBenchCommand.class, CntkBenchCommand.class,
            GraphBenchCommands.Kpca.class, GraphBenchCommands.KMeans.class, GraphBenchCommands.GraphKernels.class,
            DkmBenchCommand.class, BayesianGpBenchCommand.class, ServeBenchCommand.class,
            StructuredGpBenchCommand.class, BoBenchCommand.class, StringBenchCommand.class,
            ReadBenchCommand.class, KernlabBenchCommand.class,
            KernelsBenchCommand.class, SvgpBenchCommand.class, GpcSoftmaxBenchCommand.class})
final class BenchCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: a usage error (exit 2) naming them, as any other missing argument is. */
    @Override
    public void run() {
        throw UsageException.missingSubcommand(spec);
    }


    @Command(name = "spectral", mixinStandardHelpOptions = true,
            description = "Time every spectral filter's whole regularisation path (GCV at --path values, then the fit at "
                    + "the chosen one) from ONE eigendecomposition of the n x n kernel matrix, against that "
                    + "eigendecomposition.")
    static final class Spectral implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", defaultValue = "10000", description = "Training size (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--d", defaultValue = "8", description = "Number of features (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--kernel", defaultValue = "rbf(gamma=0.5)", description = "Kernel spec (default: ${DEFAULT-VALUE}).")
        String kernel;

        @Option(names = "--path", defaultValue = "100", description = "Parameter values per filter (default: ${DEFAULT-VALUE}).")
        int path;

        @Override
        public Integer call() {
            if (n < 2 || d < 1 || path < 1) {
                throw new UsageException("--n must be at least 2, --d and --path at least 1");
            }
            Kernel k = KernelSpec.parse(kernel);
            Limits.requireSquareMatrix("the spectral benchmark", n, "take a smaller --n");
            var out = spec.commandLine().getOut();
            out.printf("spectral %s n=%d d=%d path=%d threads=%d%n", k.toSpec(), n, d, path, Parallelism.threads());
            out.flush();
            SpectralPathBenchmark.Result r = SpectralPathBenchmark.run(new SpectralPathBenchmark.Options(k, n, d, path),
                    row -> {
                        out.printf("%-34s path_s %8.3f  (eigen+path)/eigen %6.3f  chosen %-10.4g gcv %.6g%n",
                                row.filter(), row.pathSeconds(), row.ratio(), row.chosen(), row.gcv());
                        out.flush();
                    });
            out.printf("gram_seconds: %.3f%n", r.gramSeconds());
            out.printf("eigen_seconds: %.3f%n", r.eigenSeconds());
            out.printf("ratio_all_filters_over_eigen: %.3f%n", r.allFiltersRatio());
            return 0;
        }
    }

    @Command(name = "gram", mixinStandardHelpOptions = true,
            description = "Time the Gram matrix K(X, X) (or K(X, Z) with --cross) against one dgemm of the same shapes.")
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

        @Option(names = "--cross", paramLabel = "M", defaultValue = "0",
                description = "Time the rectangular n x M matrix K(X, Z) for a second seeded set Z of M points, "
                        + "against dgemm X*Z^T, instead of K(X, X).")
        int cross;

        @Option(names = "--export", paramLabel = "X.npy",
                description = "Also write the input points, for peer benchmarks (with --cross, Z goes to X_z.npy).")
        Path export;

        @Option(names = "--baseline", paramLabel = "SPEC",
                description = "Also time this kernel's Gram matrix on the same data and report the ratio, "
                        + "e.g. --kernel \"ntk(depth=10)\" --baseline \"rbf(gamma=0.01)\".")
        String baseline;

        @Override
        public Integer call() {
            if (n < 1 || d < 1 || reps < 1) {
                throw new UsageException("--n, --d and --reps must be positive");
            }
            if (cross < 0) {
                throw new UsageException("--cross must be a positive number of points (or 0 for K(X, X)), got "
                        + cross);
            }
            Kernel k = KernelSpec.parse(kernel);
            Kernel b = baseline == null ? null : KernelSpec.parse(baseline);
            GramBenchmark.Result r = GramBenchmark.run(new GramBenchmark.Options(k, b, n, d, reps, 1, export, cross));
            var out = spec.commandLine().getOut();
            out.printf("%s %s n=%d%s d=%d threads=%d ops=%s%n", cross > 0 ? "cross" : "gram", r.gram().kernel(), n,
                    cross > 0 ? " m=" + cross : "", d, r.gram().threads(), r.gram().elementOps());
            out.println(Parallelism.describeBlas());
            out.printf("dgemm_seconds: %.4f%n", r.gram().gemmSeconds());
            out.printf("gram_seconds: %.4f%n", r.gram().gramSeconds());
            out.printf("ratio_gram_over_dgemm: %.3f%n", r.ratio());
            out.printf("dgemm_cpu_seconds: %.4f%n", r.gram().gemmCpuSeconds());
            out.printf("gram_cpu_seconds: %.4f%n", r.gram().gramCpuSeconds());
            out.printf("ratio_gram_over_dgemm_cpu: %.3f%n", r.gram().cpuRatio());
            if (r.hasBaseline()) {
                out.printf("baseline %s gram_seconds: %.4f%n", r.baselineKernel(), r.baselineSeconds());
                out.printf("ratio_gram_over_baseline: %.3f%n", r.ratioOverBaseline());
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

        @Option(names = "--precision", defaultValue = "double", paramLabel = "double|mixed|auto",
                description = "The Cholesky's arithmetic: double, mixed (float32 factor refined to float64 accuracy, "
                        + "float64 fallback when it does not contract) or auto (default: ${DEFAULT-VALUE}).")
        String precision;

        @Mixin
        ExportDirMixin export;

        @Override
        public Integer call() {
            Kernel k = KernelSpec.parse(kernel);
            org.kernels4j.linalg.Precision p = org.kernels4j.linalg.Precision.parse(precision);
            var out = spec.commandLine().getOut();
            out.printf("krr %s lambda=%s d=%d test=%d threads=%d precision=%s%n", k.toSpec(), lambda, d, test,
                    Parallelism.threads(), p.toSpec());
            out.printf("%8s %10s %10s %10s %12s %6s %10s  %s%n", "n", "fit_s", "predict_s", "total_s", "test_rmse",
                    "steps", "residual", "path");
            KrrBenchmark.run(new KrrBenchmark.Options(k, lambda, sizes, test, d, export.dir, p), r -> out.printf(
                    "%8d %10.3f %10.3f %10.3f %12.8f %6d %10.2e  %s%n", r.n(), r.fitSeconds(), r.predictSeconds(),
                    r.totalSeconds(), r.testRmse(), r.refinementSteps(), r.relativeResidual(), r.path()));
            return 0;
        }
    }

    @Command(name = "nystrom", mixinStandardHelpOptions = true,
            description = "Time Nystrom kernel ridge regression (Falkon-style CG) on seeded synthetic data, and compare its "
                    + "test RMSE with exact kernel ridge regression on the largest subsample given by --exact-n.")
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

        @Option(names = "--max-iter", defaultValue = "100", description = "CG iteration limit (default: ${DEFAULT-VALUE}).")
        int maxIter;

        @Option(names = "--solver", defaultValue = "auto", paramLabel = "auto|cg|stored|direct", description = "How the "
                + "Nystrom system is solved: auto (CG on a stored K_nm when it fits half the free heap, else direct up "
                + "to 1024 centres, else streaming CG), cg (streaming), stored, direct (default: ${DEFAULT-VALUE}).")
        String solver;

        @Option(names = "--preconditioner-rows", paramLabel = "S", description = "Rows whose features estimate "
                + "K_nm^T K_nm in the CG preconditioner; 0: the centres (Falkon's original; default min(n, 8m, 160n/m)).")
        Integer preconditionerRows;

        @Option(names = "--stop", defaultValue = "change", paramLabel = "change|residual", description = "CG stopping "
                + "rule: change (the fit moved by less than --tol of its norm in two steps; default tol 1e-4) or "
                + "residual (relative residual below --tol; default 1e-7) (default: ${DEFAULT-VALUE}).")
        String stop;

        @Option(names = "--tol", paramLabel = "TOL", description = "Tolerance of --stop; 0 runs all --max-iter steps.")
        Double tol;

        @Option(names = "--intercept", description = "Centre the targets (an intercept), as Ridge(fit_intercept=True).")
        boolean intercept;

        @Option(names = "--exact-n", defaultValue = "0", description = "Also fit exact KRR on the first N rows "
                + "(0: skip; default: ${DEFAULT-VALUE}).")
        int exactN;

        @Mixin
        ExportDirMixin export;

        @Override
        public Integer call() {
            Kernel k = KernelSpec.parse(kernel);
            if (n < 1 || d < 1 || test < 1) {
                throw new UsageException("--n, --d and --test must be >= 1, got " + n + ", " + d + " and " + test);
            }
            if (preconditionerRows != null && preconditionerRows < 0) {
                throw new UsageException("--preconditioner-rows must be >= 0, got " + preconditionerRows);
            }
            var out = spec.commandLine().getOut();
            NystromKernelRidge.Solver s = UsageException.of(() -> NystromKernelRidge.Solver.parse(solver));
            NystromKernelRidge.Stopping st = UsageException.of(() -> NystromKernelRidge.Stopping.parse(stop));
            out.printf("nystrom krr %s lambda=%s n=%d d=%d m=%d max_iterations=%d solver=%s stop=%s intercept=%s "
                    + "threads=%d%n", k.toSpec(), lambda, n, d, centers, maxIter, solver, stop, intercept,
                    Parallelism.threads());
            NystromBenchmark.Result r = NystromBenchmark.run(new NystromBenchmark.Options(k, lambda, n, d, centers, test,
                    maxIter, exactN, export.dir, s, st, tol == null ? Double.NaN : tol, intercept,
                    preconditionerRows == null ? -1 : preconditionerRows));
            out.printf("fit_seconds: %.2f%n", r.fitSeconds());
            out.printf("solver: %s, cg_iterations: %d, relative_residual: %.3g%n", r.solver(), r.cgIterations(),
                    r.relativeResidual());
            out.printf("heap_used_mib: %d (max heap %d MiB)%n", r.heapUsedMib(), r.maxHeapMib());
            out.printf("test_rmse: %.6f%n", r.testRmse());
            if (r.exact() != null) {
                out.printf("exact_krr n=%d seconds: %.2f test_rmse: %.6f%n", r.exact().n(), r.exact().seconds(),
                        r.exact().testRmse());
                out.printf("rmse_ratio_nystrom_over_exact: %.4f%n", r.rmseRatio());
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

        @Mixin
        ExportDirMixin export;

        @Override
        public Integer call() {
            Kernel k = KernelSpec.parse(kernel);
            var out = spec.commandLine().getOut();
            out.printf("gp learning %s noise=%s threads=%d%n", k.toSpec(), noise, Parallelism.threads());
            out.printf("%-12s %8s %10s %6s %6s %18s  %s%n", "data", "n", "seconds", "iters", "evals", "log_marginal_lik",
                    "learned kernel");
            List<GpBenchmark.Problem> problems;
            if (data != null) {
                Dataset ds = new DataOptions().readWithTarget(data, "-1");
                problems = List.of(new GpBenchmark.Problem(data.getFileName().toString().replaceFirst("\\.csv$", ""),
                        ds.features(), ds.target()));
            } else {
                problems = GpBenchmark.friedman1(sizes, d);
            }
            GpBenchmark.run(new GpBenchmark.Options(k, noise, normalize, problems, export.dir), r -> out.printf(
                    "%-12s %8d %10.3f %6d %6d %18.10f  %s%n", r.name(), r.n(), r.seconds(), r.iterations(),
                    r.evaluations(), r.logMarginalLikelihood(), r.learnedKernel()));
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
                throw new UsageException("--n and --test must be >= 1 and --d >= 5");
            }
            Kernel k = KernelSpec.parse(kernel);
            var out = spec.commandLine().getOut();
            out.printf("sgpr %s n=%d d=%d m=%d test=%d threads=%d%n", k.toSpec(), n, d, inducing, test,
                    Parallelism.threads());
            SparseGpBenchmark.Result r = SparseGpBenchmark.run(new SparseGpBenchmark.Options(k, n, d, inducing, test,
                    maxIter, exactN, exactFitN, fixedInducing, normalize));
            out.printf("sgpr_fit_seconds: %.2f (%d iterations, %d evaluations, %.2f s per evaluation)%n", r.fitSeconds(),
                    r.iterations(), r.evaluations(), r.secondsPerEvaluation());
            out.printf("sgpr_bound: %.6f%n", r.bound());
            out.printf("sgpr_kernel: %s%n", r.kernel());
            out.printf("sgpr_test_rmse: %.6f (noise-free test targets)%n", r.testRmse());
            if (r.exact() != null) {
                var e = r.exact();
                out.printf("exact_gp n=%d seconds: %.2f test_rmse: %.6f kernel: %s%n", e.n(), e.seconds(), e.testRmse(),
                        e.kernel());
                out.printf("rmse_ratio_sgpr_over_exact: %.4f%n", r.testRmse() / e.testRmse());
            }
            if (r.exactFit() != null) {
                var e = r.exactFit();
                out.printf("exact_gp_with_sgpr_kernel n=%d seconds: %.2f test_rmse: %.6f%n", e.n(), e.seconds(),
                        e.testRmse());
                out.printf("rmse_ratio_sgpr_over_exact_fit: %.4f%n", r.testRmse() / e.testRmse());
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

        @Mixin
        ExportDirMixin export;

        @Override
        public Integer call() {
            if (n < 1 || queries < 1) {
                throw new UsageException("--n and --queries must be >= 1");
            }
            KernelDensity.Profile profile = KernelDensity.Profile.parse(kernel);
            var out = spec.commandLine().getOut();
            out.printf("kde %s n=%d queries=%d threads=%d%n", kernel, n, queries, Parallelism.threads());
            out.printf("%4s %10s %10s %14s %8s %12s%n", "d", "h", "seconds", "mean_log_density", "method", "achieved_rtol");
            KdeBenchmark.run(new KdeBenchmark.Options(profile, n, queries, dims, rtol, export.dir), r -> out.printf(
                    "%4d %10.5f %10.3f %14.6f %8s %12.3g%n", r.d(), r.bandwidth(), r.seconds(), r.meanLogDensity(),
                    r.method(), r.achievedRtol()));
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
            var out = spec.commandLine().getOut();
            PrivateKdeBenchmark.run(new PrivateKdeBenchmark.Options(k, n, queries, d, epsilons, featureCounts, repeats),
                    exactSeconds -> {
                        out.printf("private kernel sums %s n=%d d=%d queries=%d repeats=%d threads=%d%n", k.toSpec(), n, d,
                                queries, repeats, Parallelism.threads());
                        out.printf("exact sums: %.3f s for all queries (%.1f us per query)%n", exactSeconds,
                                1e6 * exactSeconds / queries);
                        out.printf("%8s %8s %22s %16s %16s%n", "epsilon", "D", "mean_relative_error", "predicted_noise",
                                "us_per_query");
                    },
                    r -> out.printf("%8s %8d %22.4f %16.4f %16.2f%n", r.epsilon(), r.features(), r.meanRelativeError(),
                            r.predictedNoise(), r.microsPerQuery()));
            out.println("(predicted_noise: the Laplace term's standard deviation relative to the mean exact sum)");
            return 0;
        }
    }

    @Command(name = "balance", mixinStandardHelpOptions = true,
            description = {"Time kernel balancing weights by the dual (L-BFGS on one multiplier per anchor) against a "
                    + "direct primal solve of the same problem (augmented Lagrangian, exponentiated-gradient inner "
                    + "solves on the n weights), both to the same tolerance, on seeded data with an x-dependent "
                    + "selection (see org.kernels4j.bench.BalancingBenchmark).",
                "Times include building K(X_obs, anchors) and the target means. A primal solve stopped by its time "
                    + "cap says so, and the ratio is then a lower bound."})
    static final class Balance implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", defaultValue = "100000", description = "Observed rows (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--target", defaultValue = "0", description = "Target rows (0: as many as --n; "
                + "default: ${DEFAULT-VALUE}).")
        int target;

        @Option(names = "--anchors", defaultValue = "500", description = "Anchors, by k-means++ on the target rows "
                + "(default: ${DEFAULT-VALUE}).")
        int anchors;

        @Option(names = "--d", defaultValue = "10", description = "Features (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--kernel", defaultValue = "rbf(length=3)", description = "Kernel spec (default: ${DEFAULT-VALUE}).")
        String kernel;

        @Option(names = "--c", defaultValue = "0.01", description = "Constraint tolerance C per anchor "
                + "(default: ${DEFAULT-VALUE}).")
        double c;

        @Option(names = "--ridge", defaultValue = "0", description = "Ridge r (0: hard constraints; "
                + "default: ${DEFAULT-VALUE}).")
        double ridge;

        @Option(names = "--tolerance", defaultValue = "1e-6", description = "Both solvers' tolerance, a bound on each "
                + "constraint violation (default: ${DEFAULT-VALUE}).")
        double tolerance;

        @Option(names = "--seed", defaultValue = "1", description = "Data seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--primal-cap-seconds", defaultValue = "1200", description = "Time limit of the primal solve "
                + "(default: ${DEFAULT-VALUE}).")
        double primalCap;

        @Override
        public Integer call() {
            int nt = target == 0 ? n : target;
            if (n < 1 || nt < 1 || d < 1 || anchors < 1 || anchors > nt) {
                throw new UsageException("--n, --target, --d and --anchors must be >= 1, with --anchors at most the "
                        + "target rows");
            }
            if (!(primalCap > 0)) {
                throw new UsageException("--primal-cap-seconds must be > 0, got " + primalCap);
            }
            Kernel k = KernelSpec.parse(kernel);
            var out = spec.commandLine().getOut();
            out.printf("balance %s n=%d target=%d d=%d m=%d C=%s ridge=%s tolerance=%s threads=%d%n", k.toSpec(), n, nt,
                    d, anchors, c, ridge, tolerance, Parallelism.threads());
            BalancingBenchmark.Result r = BalancingBenchmark.run(new BalancingBenchmark.Options(k, n, nt, d, anchors, c,
                    ridge, tolerance, primalCap, seed));
            out.printf("anchor_seconds: %.3f%n", r.anchorSeconds());
            out.printf("phi_seconds: %.3f%n", r.phiSeconds());
            out.printf("%-7s %12s %10s %12s %16s %16s %14s %10s%n", "solver", "seconds", "iters", "phi_passes", "kl",
                    "objective", "max_violation", "converged");
            for (var row : List.of(java.util.Map.entry("dual", r.dual()), java.util.Map.entry("primal", r.primal()))) {
                BalancingBenchmark.Solver s = row.getValue();
                out.printf("%-7s %12.3f %10d %12d %16.10f %16.10f %14.3e %10s%n", row.getKey(), s.seconds(),
                        s.iterations(), s.evaluations(), s.kl(), s.objective(), s.maxViolation(), s.converged());
            }
            out.printf("primal_stop: %s (outer iterations %d, solve %.3f s, cap %.0f s)%n",
                    r.primalStop().name().toLowerCase(java.util.Locale.ROOT), r.primalOuterIterations(),
                    r.primalSolveSeconds(), primalCap);
            out.printf("max_weight_difference_times_n: %.3e%n", r.maxWeightDifference());
            out.printf("effective_sample_size: %.1f%n", r.effectiveSampleSize());
            out.printf("ratio_primal_over_dual: %s%.2f%n", r.primal().converged() ? "" : ">= ", r.ratio());
            out.printf("ratio_solve_only: %s%.2f%n", r.primal().converged() ? "" : ">= ", r.solveRatio());
            return 0;
        }
    }
}
