package org.kernels4j.cli;

import java.util.concurrent.Callable;
import org.kernels4j.bench.DkmBenchmark;
import org.kernels4j.dkm.GramMap;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench dkm}: prints {@link DkmBenchmark}'s one line. */
@Command(name = "dkm", mixinStandardHelpOptions = true,
        description = {"Time one exact deep kernel machine objective-and-gradient evaluation against one n x n "
                + "Cholesky in the same run (Friedman-1 data)."})
final class DkmBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--map", defaultValue = "nngp(activation=relu, w_var=2, b_var=0.1)",
            description = "Layer map (default: ${DEFAULT-VALUE}).")
    String map;

    @Option(names = "--layers", defaultValue = "2", description = "Learned Gram matrices (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--n", defaultValue = "2000", description = "Training rows (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--d", defaultValue = "10", description = "Features (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed runs, median reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Override
    public Integer call() {
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
        return 0;
    }
}
