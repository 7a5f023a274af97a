package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.bench.CntkBenchmark;
import org.kernels4j.io.Dataset;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.neural.ConvolutionalKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cntk", mixinStandardHelpOptions = true,
        description = {"Time a convolutional kernel's Gram matrix on images, its achieved flop rate against dgemm's.",
            "Default: CNTK with global average pooling, five 3x3 conv + ReLU layers, on the 1,797 bundled 8x8 digits;",
            "reports time, per-pair GFLOP/s over dgemm GFLOP/s measured in the same run, and the maximum resident set."})
final class CntkBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", defaultValue = "data/digits.csv", paramLabel = "FILE",
            description = "Images, one per row, target in the last column (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--kernel", paramLabel = "SPEC", defaultValue = "cntk(shape=[8, 8, 1], layers=[conv3, relu, conv3, "
            + "relu, conv3, relu, conv3, relu, conv3, relu], readout=gap)",
            description = "A cnngp(...) or cntk(...) spec (default: ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--n", defaultValue = "0", paramLabel = "N", description = "Use the first N rows (default: all).")
    int n;

    @Override
    public Integer call() {
        Kernel k = UsageException.of(() -> KernelSpec.parse(kernel));
        if (!(k instanceof ConvolutionalKernel)) {
            throw new UsageException("bench cntk needs a cnngp(...) or cntk(...) kernel, got " + k.toSpec());
        }
        if (n < 0) {
            throw new UsageException("--n must be >= 0, got " + n);
        }
        Dataset ds = new DataOptions().readWithTarget(data, "-1");
        Matrix x = ds.features();
        if (n > 0 && n < x.rows()) {
            x = x.selectRows(java.util.stream.IntStream.range(0, n).toArray());
        }
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "cntk bench %s on %s: %d rows x %d, threads=%d%n", k.toSpec(), data, x.rows(), x.cols(),
                Parallelism.threads());
        out.flush();
        CntkBenchmark.Result r = CntkBenchmark.run((ConvolutionalKernel) k, x);
        out.printf(Locale.ROOT, "gram_seconds: %.2f%n", r.seconds());
        out.printf(Locale.ROOT, "pairs: %.0f  flops_per_pair: %.4g%n", r.pairs(), r.flopsPerPair());
        out.printf(Locale.ROOT, "pair_gflops: %.2f  dgemm_gflops: %.2f  ratio: %.3f%n", r.gflops(), r.dgemmGflops(),
                r.ratio());
        out.printf(Locale.ROOT, "cpu_seconds: %.4g  pair_gflops_per_cpu_s: %.4g  dgemm_gflops_per_cpu_s: %.4g  cpu_ratio: %.4g%n",
                r.cpuSeconds(), r.cpuGflops(), r.dgemmCpuGflops(), r.cpuRatio());
        out.printf(Locale.ROOT, "max_resident_mib: %.0f%n", r.maxResidentBytes() / 1048576.0);
        return 0;
    }
}
