package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.bench.KernelComparisonBenchmark;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = {"Compare kernels by k-fold cross-validated kernel ridge classification, each kernel's Gram matrix "
            + "computed once on all rows (timed) and every fold's blocks taken from it; lambda per training fold by exact "
            + "leave-one-out over --lambda-grid, intercept, one-hot targets, folds stratified (as cv --task classification).",
            "Prints a Markdown table: kernel, accuracy mean +- sd over folds, Gram seconds."})
final class KernelsBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", defaultValue = "data/digits.csv", paramLabel = "FILE",
            description = "Rows, class label in the last column (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--kernel", paramLabel = "SPEC", required = true, description = "A kernel spec; repeat to compare.")
    List<String> kernels;

    @Option(names = "--n", defaultValue = "0", paramLabel = "N", description = "Use the first N rows (default: all).")
    int n;

    @Option(names = "--scale", defaultValue = "1", paramLabel = "S",
            description = "Multiply every feature by S > 0 first, e.g. 0.0625 for pixels 0..16 (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--folds", defaultValue = "5", description = "Number of folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the fold assignment (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lambda-grid", defaultValue = "1e-6:1e2:17", paramLabel = "FROM:TO:COUNT",
            description = "Log-spaced lambda grid searched by leave-one-out (default: ${DEFAULT-VALUE}).")
    String lambdaGrid;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the table to FILE (Markdown).")
    Path outFile;

    @Override
    public Integer call() {
        if (n < 0) {
            throw new UsageException("--n must be >= 0, got " + n);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new UsageException("--scale must be a finite number > 0, got " + scale);
        }
        double[] grid = FitCommand.parseGrid("--lambda-grid", lambdaGrid);
        List<Kernel> ks = new ArrayList<>();
        for (String s : kernels) {
            ks.add(UsageException.of(() -> KernelSpec.parse(s)));
        }
        Dataset ds = new DataOptions().readWithTarget(data, "-1", true);
        Matrix x = ds.features().copy();
        Matrix y = ds.target();
        if (n > 0 && n < x.rows()) {
            int[] first = java.util.stream.IntStream.range(0, n).toArray();
            x = x.selectRows(first);
            y = y.selectRows(first);
        }
        if (folds < 2 || folds > x.rows()) {
            throw new UsageException("--folds must be between 2 and the number of rows (" + x.rows() + "), got " + folds);
        }
        double[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= scale;
        }
        double[] labels = new double[y.rows()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = y.get(i, 0);
        }
        var out = spec.commandLine().getOut();
        String head = String.format(Locale.ROOT, "%s, %d rows x %d features (x %s), %d-fold kernel ridge, lambda by "
                + "leave-one-out, seed %d, threads=%d", data.getFileName(), x.rows(), x.cols(), trim(scale), folds, seed,
                Parallelism.threads());
        out.println(head);
        out.println();
        StringBuilder table = new StringBuilder();
        table.append("| kernel | accuracy (mean ± sd over folds) | Gram matrix, s |\n|---|---|---|\n");
        out.print(table);
        out.flush();
        KernelComparisonBenchmark.run(ks, x, labels, folds, seed, grid, r -> {
            String line = String.format(Locale.ROOT, "| `%s` | %.4f ± %.4f | %.1f |%n", r.spec(), r.mean(), r.sd(),
                    r.gramSeconds());
            table.append(line);
            out.print(line);
            out.flush();
        });
        if (outFile != null) {
            AtomicFiles.writeString(outFile, "<!-- " + head + " -->\n" + table);
        }
        return 0;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
