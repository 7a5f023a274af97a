package org.kernels4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bench.GraphKernelBenchmark;
import org.kernels4j.bench.KernelKMeansBenchmark;
import org.kernels4j.bench.KernelPcaBenchmark;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench kpca}, {@code bench kmeans}, {@code bench graph-kernels}: options, the harness, its figures. */
final class GraphBenchCommands {
    private GraphBenchCommands() {
    }

    @Command(name = "kpca", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Time exact kernel PCA (rbf, gamma = 1/d, top-k eigenpairs) against a NumPy/SciPy port of "
                    + "scikit-learn's KernelPCA(eigen_solver='arpack') on identical data.",
                "The peer is bench/kpca_port.py run with --python; eigenvalues and projections are compared in the "
                    + "same run. --python none skips it."})
    static final class Kpca implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", defaultValue = "10000", description = "Points (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--d", defaultValue = "20", description = "Features (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--components", defaultValue = "10", description = "Components (default: ${DEFAULT-VALUE}).")
        int components;

        @Option(names = "--reps", defaultValue = "1", description = "Timed fits per side, the least kept "
                + "(default: ${DEFAULT-VALUE}).")
        int reps;

        @Option(names = "--seed", defaultValue = "1", description = "Data seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--python", defaultValue = "python3", paramLabel = "EXE|none", description = "Interpreter "
                + "for the peer, or none (default: ${DEFAULT-VALUE}).")
        String python;

        @Option(names = "--script", defaultValue = "bench/kpca_port.py", paramLabel = "FILE", description = "The "
                + "peer script (default: ${DEFAULT-VALUE}).")
        Path script;

        @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the data and the peer's results go "
                + "(default: a new temporary directory).")
        Path workDir;

        @Override
        public Integer call() throws IOException {
            if (n < 2 || d < 1 || components < 1 || components >= n || reps < 1) {
                throw new UsageException("need --n >= 2, --d >= 1, 1 <= --components < --n and --reps >= 1");
            }
            boolean peer = !python.equalsIgnoreCase("none");
            if (peer && !Files.isRegularFile(script)) {
                throw new Kernels4jException("no peer script at " + script + " (run from the repository root, pass "
                        + "--script, or --python none)");
            }
            Limits.requireSquareMatrix("the kernel PCA benchmark", n, "take a smaller --n");
            Path work = workDir != null ? workDir : Files.createTempDirectory("kpca-bench");
            var out = spec.commandLine().getOut();
            out.printf("kpca n=%d d=%d components=%d reps=%d threads=%d%n", n, d, components, reps,
                    Parallelism.threads());
            out.flush();
            KernelPcaBenchmark.Result r = KernelPcaBenchmark.run(new KernelPcaBenchmark.Options(n, d, components, reps,
                    seed, peer ? python : null, script, work), line -> {
                        out.println("  " + line);
                        out.flush();
                    });
            out.printf(Locale.ROOT, "solver: %s (%d passes over K)%n", r.solver(), r.passes());
            out.printf(Locale.ROOT, "kernels4j_seconds: %.3f%n", r.oursSeconds());
            out.printf(Locale.ROOT, "gram_seconds: %.3f  gemm_seconds: %.3f  gram/gemm: %.2f%n", r.gramSeconds(),
                    r.gemmSeconds(), r.gramToGemm());
            if (peer) {
                out.printf(Locale.ROOT, "peer_seconds: %.3f%n", r.peerSeconds());
                out.printf(Locale.ROOT, "speedup (peer/kernels4j): %.2f%n", r.speedup());
                out.printf(Locale.ROOT, "max_eigenvalue_relative_difference: %.3e%n",
                        r.maxEigenvalueRelativeDifference());
                out.printf(Locale.ROOT, "max_projection_difference (relative to the largest): %.3e%n",
                        r.maxProjectionRelativeDifference());
            }
            return 0;
        }
    }

    @Command(name = "kmeans", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Time kernel k-means with a Nystrom kernel on --n points of planted Gaussian clusters, and "
                    + "compare it with exact kernel k-means (and kernel Ward) on a subsample.",
                "rbf kernel with gamma = 1/(2d); ARI against the planted labels and between the fits."})
    static final class KMeans implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", defaultValue = "20000", description = "Points (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--d", defaultValue = "10", description = "Features (default: ${DEFAULT-VALUE}).")
        int d;

        @Option(names = "--k", defaultValue = "5", description = "Clusters (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--centre-scale", defaultValue = "2", description = "Standard deviation of the cluster "
                + "centres; the points have unit variance (default: ${DEFAULT-VALUE}).")
        double centreScale;

        @Option(names = "--landmarks", defaultValue = "300", description = "Nystrom landmarks (default: "
                + "${DEFAULT-VALUE}).")
        int landmarks;

        @Option(names = "--subsample", defaultValue = "3000", description = "Points of the exact comparison "
                + "(default: ${DEFAULT-VALUE}).")
        int subsample;

        @Option(names = "--restarts", defaultValue = "3", description = "Restarts per fit (default: ${DEFAULT-VALUE}).")
        int restarts;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            if (k < 1 || d < 1 || restarts < 1 || landmarks < 1 || subsample < Math.max(k, landmarks) || subsample > n
                    || !(centreScale >= 0)) {
                throw new UsageException("need --k, --d, --restarts, --landmarks >= 1, max(--k, --landmarks) <= "
                        + "--subsample <= --n and --centre-scale >= 0");
            }
            var out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "kmeans n=%d d=%d k=%d centre_scale=%s landmarks=%d subsample=%d restarts=%d "
                    + "threads=%d%n", n, d, k, centreScale, landmarks, subsample, restarts, Parallelism.threads());
            out.flush();
            KernelKMeansBenchmark.Result r = KernelKMeansBenchmark.run(new KernelKMeansBenchmark.Options(n, d, k,
                    centreScale, landmarks, subsample, restarts, seed));
            out.printf(Locale.ROOT, "nystrom, all %d points: %.3f s, ARI vs planted %.4f%n", n, r.nystromSeconds(),
                    r.nystromAri());
            out.printf(Locale.ROOT, "subsample of %d: exact %.3f s (ARI %.4f, inertia %.6g), nystrom %.3f s "
                    + "(ARI %.4f), ward %.3f s (ARI %.4f)%n", subsample, r.exactSubSeconds(), r.exactSubAri(),
                    r.exactInertia(), r.nystromSubSeconds(), r.nystromSubAri(), r.wardSubSeconds(), r.wardSubAri());
            out.printf(Locale.ROOT, "ARI exact vs nystrom (subsample): %.4f%n", r.exactVsNystromAri());
            out.printf(Locale.ROOT, "ARI exact (subsample) vs the all-points nystrom fit: %.4f%n", r.exactVsLargeAri());
            out.printf(Locale.ROOT, "ARI ward vs exact k-means (subsample): %.4f%n", r.wardVsExactAri());
            return 0;
        }
    }

    @Command(name = "graph-kernels", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Time a parameter sweep of every plain and log graph node kernel from one eigendecomposition "
                    + "per graph matrix, against recomputing each kernel by a dense inverse or matrix exponential.",
                "Graph: a 2-block stochastic block model (p_in = 40/n, p_out = 8/n). The dense route is timed on "
                    + "--dense-values of the values and the routes' results are compared."})
    static final class GraphKernels implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--n", defaultValue = "2000", description = "Nodes (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--values", defaultValue = "30", description = "Parameter values (default: ${DEFAULT-VALUE}).")
        int values;

        @Option(names = "--dense-values", defaultValue = "3", description = "Values recomputed densely per measure "
                + "(default: ${DEFAULT-VALUE}).")
        int denseValues;

        @Option(names = "--quick", description = "n = 300 (seconds).")
        boolean quick;

        @Override
        public Integer call() {
            if (n < 40 || values < 1 || denseValues < 1 || denseValues > values) {
                // n >= 40: the benchmark's graph has p_in = 40/n
                throw new UsageException("need --n >= 40, --values >= 1 and 1 <= --dense-values <= --values");
            }
            GraphKernelBenchmark.Options o = quick ? GraphKernelBenchmark.Options.quick()
                    : new GraphKernelBenchmark.Options(n, values, denseValues);
            var out = spec.commandLine().getOut();
            out.printf("graph-kernels n=%d values=%d dense_values=%d threads=%d%n", o.n(), o.values(),
                    o.denseValues(), Parallelism.threads());
            out.flush();
            // warm-up (JIT, native libraries), at most the run's own size
            GraphKernelBenchmark.run(new GraphKernelBenchmark.Options(Math.min(200, o.n()), Math.min(3, o.values()), 1));
            GraphKernelBenchmark.Result r = GraphKernelBenchmark.run(o);
            out.printf(Locale.ROOT, "edges: %d, decompositions: %.3f s%n", r.edges(), r.decompositionSeconds());
            out.printf("%-14s %16s %16s %8s %14s%n", "measure", "eigen_s/value", "dense_s/value", "ratio",
                    "max_rel_diff");
            for (GraphKernelBenchmark.Row row : r.rows()) {
                out.printf(Locale.ROOT, "%-14s %16.5f %16.5f %8.1f %14.2e%n", row.measure(),
                        row.eigenSecondsPerValue(), row.denseSecondsPerValue(), row.ratio(),
                        row.maxRelativeDifference());
            }
            out.printf(Locale.ROOT, "sweep: eigen %.2f s (decompositions included), dense %.2f s (per value x values), "
                    + "ratio %.1f%n", r.eigenSweepSeconds(), r.denseSweepSecondsEstimate(), r.ratio());
            return 0;
        }
    }
}
