package org.kernels4j.cli;

import java.util.concurrent.Callable;
import org.kernels4j.bench.DkmBenchmark;
import org.kernels4j.bench.SparseDkmBenchmark;
import org.kernels4j.dkm.GramMap;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench dkm}: prints {@link DkmBenchmark}'s one line. */
@Command(name = "dkm", mixinStandardHelpOptions = true,
        description = {"Time one exact deep kernel machine objective-and-gradient evaluation against one n x n "
                + "Cholesky in the same run (Friedman-1 data).",
            "With --inducing M: the sparse DKM on --n rows (default then 100000), its start and one Adam epoch timed, "
                + "and its test RMSE against the exact DKM's on the first --exact-n rows."})
final class DkmBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--map", defaultValue = "nngp(activation=relu, w_var=2, b_var=0.1)",
            description = "Layer map (default: ${DEFAULT-VALUE}).")
    String map;

    @Option(names = "--layers", defaultValue = "2", description = "Learned Gram matrices (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--n", description = "Training rows (default: 2000; 100000 with --inducing).")
    Integer n;

    @Option(names = "--inducing", paramLabel = "M", description = "Sparse DKM with M inducing points (e.g. 256).")
    Integer inducing;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Sparse: minibatch rows (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--epochs", defaultValue = "1", description = "Sparse: Adam epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--learning-rate", defaultValue = "0.01", description = "Sparse: Adam's step (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--exact-n", defaultValue = "500", description = "Sparse: rows of the exact DKM it is compared with "
            + "(default: ${DEFAULT-VALUE}).")
    int exactN;

    @Option(names = "--exact-iterations", defaultValue = "100", description = "Sparse: the exact DKM's L-BFGS limit "
            + "(default: ${DEFAULT-VALUE}).")
    int exactIterations;

    @Option(names = "--test-n", defaultValue = "2000", description = "Sparse: test rows (default: ${DEFAULT-VALUE}).")
    int testN;

    @Option(names = "--d", defaultValue = "10", description = "Features (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed runs, median reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Override
    public Integer call() {
        if (inducing != null) {
            return sparse();
        }
        int n = this.n == null ? 2000 : this.n;
        if (n < 2 || d < 5 || layers < 1 || repeats < 1 || warmup < 0) {
            throw new UsageException("need --n >= 2, --d >= 5 (Friedman-1), --layers >= 1, --repeats >= 1, --warmup >= 0");
        }
        GramMap m = GramMap.parse(map);
        var out = spec.commandLine().getOut();
        DkmBenchmark.Result r = DkmBenchmark.run(new DkmBenchmark.Options(m, layers, n, d, repeats, warmup));
        out.printf("dkm %s layers=%d n=%d d=%d threads=%d parameters=%d%n", m.toSpec(), layers, n, d,
                Parallelism.threads(), r.parameters());
        out.printf("objective+gradient %.4f s, cholesky %.4f s, ratio %.2f%n", r.evaluationSeconds(),
                r.choleskySeconds(), r.ratio());
        out.printf("cholesky on one thread %.4f s, ratio %.2f%n", r.choleskyOneThreadSeconds(), r.ratioOneThread());
        return 0;
    }

    private Integer sparse() {
        int rows = n == null ? 100_000 : n;
        if (d < 5 || layers < 1 || inducing < 1 || inducing > rows || batchSize < 1 || batchSize > rows || epochs < 1
                || !(learningRate > 0) || exactN < 2 || exactN > rows || exactIterations < 1 || testN < 1) {
            throw new UsageException("need --d >= 5, --layers >= 1, 1 <= --inducing <= --n, 1 <= --batch-size <= --n, "
                    + "--epochs >= 1, --learning-rate > 0, 2 <= --exact-n <= --n, --exact-iterations >= 1, --test-n >= 1");
        }
        GramMap m = GramMap.parse(map);
        var out = spec.commandLine().getOut();
        SparseDkmBenchmark.Result r = SparseDkmBenchmark.run(new SparseDkmBenchmark.Options(m, layers, rows, inducing, d,
                batchSize, epochs, learningRate, exactN, exactIterations, testN));
        out.printf("sparse dkm %s layers=%d n=%d m=%d d=%d batch=%d epochs=%d threads=%d (Friedman-1, sigma2=0.05, nu=1)%n",
                m.toSpec(), layers, rows, inducing, d, batchSize, epochs, Parallelism.threads());
        out.printf("start %.2f s, one epoch %.2f s; test RMSE (standardized, %d rows): sparse %.4f, sparse NNGP start "
                + "%.4f%n", r.startSeconds(), r.epochSeconds(), testN, r.sparseRmse(), r.nngpRmse());
        out.printf("exact dkm on the first %d rows: %.2f s (L-BFGS stopped on %s), test RMSE %.4f%n", exactN,
                r.exactSeconds(), r.exactStop(), r.exactRmse());
        return 0;
    }
}
