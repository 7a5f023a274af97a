package org.kernels4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.Dataset;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.stats.Hsic;
import org.kernels4j.stats.Mmd;
import org.kernels4j.stats.NullDistribution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code test mmd|hsic}: kernel hypothesis tests with p-values; one line per result. */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Kernel hypothesis tests with p-values: 'test mmd' (do two samples come from the same "
                + "distribution?) and 'test hsic' (are two sets of variables independent?).",
            "Default kernel: rbf with the median heuristic (length = median pairwise distance). Default null: 1000 "
                + "permutations (exact level); --null gamma is the faster asymptotic Gamma approximation."},
        subcommands = {TestCommand.MmdTest.class, TestCommand.HsicTest.class})
final class TestCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: a usage error (exit 2) naming them, as any other missing argument is. */
    @Override
    public void run() {
        throw UsageException.missingSubcommand(spec);
    }

    /** Options both tests take (a picocli mixin). */
    static final class NullOptions {
        @Option(names = "--null", defaultValue = "permutation", paramLabel = "permutation|gamma",
                description = "How the p-value is computed: permutation (exact at any size) or gamma (moment-matched "
                        + "Gamma approximation; mmd needs samples of equal size) (default: ${DEFAULT-VALUE}).")
        String nullDistribution;

        @Option(names = "--permutations", defaultValue = "1000", paramLabel = "B",
                description = "Permutations for --null permutation; the smallest p-value is 1/(B+1) "
                        + "(default: ${DEFAULT-VALUE}).")
        int permutations;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the permutations "
                + "(default: ${DEFAULT-VALUE}).")
        long seed;

        NullDistribution parsed() {
            if (permutations < 1) {
                throw new UsageException("--permutations must be >= 1, got " + permutations);
            }
            return UsageException.of(() -> NullDistribution.parse(nullDistribution));
        }
    }

    private static Kernel kernel(String spec) {
        return spec == null ? null : KernelSpec.parse(spec);
    }

    private static String describe(Kernel used, String given) {
        return used.toSpec() + (given == null ? " (median heuristic)" : "");
    }

    private static String p(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    @Command(name = "mmd", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Kernel two-sample test: are the rows of --data and of --data2 drawn from the same "
                    + "distribution? Prints the unbiased MMD^2 (and the biased one) with its p-value on one line."})
    static final class MmdTest implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "A.csv", description = "The first sample (.csv or .libsvm).")
        Path data;

        @Option(names = "--data2", required = true, paramLabel = "B.csv",
                description = "The second sample, with the same features.")
        Path data2;

        @Option(names = "--target", defaultValue = "none", paramLabel = "NAME|INDEX|none",
                description = "A column of both files to leave out (default: none, every column is a feature).")
        String target;

        @Option(names = "--kernel", paramLabel = "SPEC",
                description = "Kernel spec (default: rbf with the median heuristic on the pooled sample).")
        String kernel;

        @Mixin
        NullOptions nullOptions;

        @Mixin
        DataOptionsMixin options;

        @Override
        public Integer call() {
            NullDistribution nd = nullOptions.parsed();
            Kernel k = kernel(kernel);
            options.options.checkTarget(data, !target.equalsIgnoreCase("none"));
            Dataset first = options.options.read(data, target, 0);
            Matrix x = first.features();
            Matrix y = ModelData.sameColumns(data, first, data2, options.options.read(data2, target, 0)).features();
            if (x.cols() != y.cols()) {
                throw new Kernels4jException(data2 + " has " + y.cols() + " features but " + data + " has " + x.cols()
                        + "; the two samples need the same features");
            }
            Mmd.Builder b = k == null ? Mmd.builder() : Mmd.builder(k);
            Mmd.Result r = b.nullDistribution(nd).permutations(nullOptions.permutations)
                    .seed(nullOptions.seed).build().test(x, y);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "mmd: MMD^2_u = %s (biased %s), p-value %s (%s); m = %d, n = %d, kernel %s%n",
                    p(r.unbiased()), p(r.biased()), p(r.pValue()), r.nullDescription(), r.m(), r.n(),
                    describe(r.kernel(), kernel));
            return 0;
        }
    }

    @Command(name = "hsic", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"HSIC independence test: are the x variables independent of the y variables? x and y are "
                    + "columns of --data (--columns-x, and --columns-y or all the others), or x is --data and y is "
                    + "--data2 (row i of each is one pair). Prints HSIC (biased and unbiased) with its p-value on one "
                    + "line."})
    static final class HsicTest implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "The data (.csv or .libsvm).")
        Path data;

        @Option(names = "--data2", paramLabel = "Y.csv", description = "The y variables, one row per row of --data.")
        Path data2;

        @Option(names = "--columns-x", split = ",", paramLabel = "COLS",
                description = "The x columns of --data, as header names or 0-based indices.")
        List<String> columnsX;

        @Option(names = "--columns-y", split = ",", paramLabel = "COLS",
                description = "The y columns of --data (default: every column not in --columns-x).")
        List<String> columnsY;

        @Option(names = "--kernel", paramLabel = "SPEC",
                description = "Kernel on x (default: rbf with the median heuristic on x).")
        String kernel;

        @Option(names = "--kernel2", paramLabel = "SPEC",
                description = "Kernel on y (default: rbf with the median heuristic on y).")
        String kernel2;

        @Mixin
        NullOptions nullOptions;

        @Mixin
        DataOptionsMixin options;

        @Override
        public Integer call() {
            if ((data2 == null) == (columnsX == null)) {
                throw new UsageException("give either --columns-x (x and y are columns of --data) or --data2 (y is"
                        + " another file), not both or neither");
            }
            if (data2 != null && columnsY != null) {
                throw new UsageException("--columns-y selects columns of --data; it cannot be used with --data2");
            }
            NullDistribution nd = nullOptions.parsed();
            Kernel kx = kernel(kernel);
            Kernel ky = kernel(kernel2);
            Matrix x;
            Matrix y;
            String what;
            if (data2 != null) {
                x = options.options.read(data, "none", 0).features();
                y = options.options.read(data2, "none", 0).features();
                if (x.rows() != y.rows()) {
                    throw new Kernels4jException(data2 + " has " + y.rows() + " rows but " + data + " has " + x.rows()
                            + "; the test needs one y row per x row");
                }
                what = "x = " + data + ", y = " + data2;
            } else {
                Dataset ds = options.options.read(data, "none", 0);
                List<String> names = ds.featureNames();
                int[] xs = columns(columnsX, names, "--columns-x");
                int[] ys;
                if (columnsY != null) {
                    ys = columns(columnsY, names, "--columns-y");
                } else {
                    List<Integer> rest = new ArrayList<>();
                    for (int c = 0; c < names.size(); c++) {
                        if (!contains(xs, c)) {
                            rest.add(c);
                        }
                    }
                    ys = rest.stream().mapToInt(Integer::intValue).toArray();
                }
                for (int c : ys) {
                    if (contains(xs, c)) {
                        throw new UsageException("column '" + names.get(c) + "' is in both --columns-x and --columns-y");
                    }
                }
                if (ys.length == 0) {
                    throw new UsageException("--columns-x takes every column of " + data + "; no y column is left");
                }
                x = select(ds.features(), xs);
                y = select(ds.features(), ys);
                what = "x = " + names(names, xs) + ", y = " + names(names, ys);
            }
            Hsic.Builder b = kx == null && ky == null ? Hsic.builder() : Hsic.builder(
                    kx != null ? kx : org.kernels4j.kernel.Bandwidth.median(x, nullOptions.seed).rbf(),
                    ky != null ? ky : org.kernels4j.kernel.Bandwidth.median(y, nullOptions.seed).rbf());
            Hsic.Result r = b.nullDistribution(nd).permutations(nullOptions.permutations)
                    .seed(nullOptions.seed).build().test(x, y);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "hsic: HSIC_b = %s (unbiased %s), p-value %s (%s); n = %d, %s, kernels %s and %s%n",
                    p(r.biased()), p(r.unbiased()), p(r.pValue()), r.nullDescription(), r.n(), what,
                    describe(r.kernelX(), kernel), describe(r.kernelY(), kernel2));
            return 0;
        }

        private int[] columns(List<String> given, List<String> names, String option) {
            int[] out = new int[given.size()];
            for (int t = 0; t < out.length; t++) {
                String s = given.get(t).trim();
                int idx = names.indexOf(s);
                if (idx < 0) {
                    try {
                        idx = Integer.parseInt(s);
                    } catch (NumberFormatException e) {
                        idx = -1;
                    }
                    if (idx < 0 || idx >= names.size()) {
                        throw new UsageException(option + ": no column '" + s + "' in " + data + " (columns: "
                                + String.join(", ", names) + ")");
                    }
                }
                if (contains(java.util.Arrays.copyOf(out, t), idx)) {
                    throw new UsageException(option + " names column '" + names.get(idx) + "' twice");
                }
                out[t] = idx;
            }
            return out;
        }

        private static boolean contains(int[] a, int v) {
            for (int x : a) {
                if (x == v) {
                    return true;
                }
            }
            return false;
        }

        private static Matrix select(Matrix m, int[] cols) {
            Matrix out = new Matrix(m.rows(), cols.length);
            for (int i = 0; i < m.rows(); i++) {
                for (int c = 0; c < cols.length; c++) {
                    out.set(i, c, m.get(i, cols[c]));
                }
            }
            return out;
        }

        private static String names(List<String> names, int[] cols) {
            List<String> s = new ArrayList<>();
            for (int c : cols) {
                s.add(names.get(c));
            }
            return "[" + String.join(", ", s) + "]";
        }
    }
}
