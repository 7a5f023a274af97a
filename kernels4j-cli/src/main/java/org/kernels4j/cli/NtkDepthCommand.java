package org.kernels4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.neighbors.NtkDepthSweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ntk-depth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sweep the depth of the NTK classifier and report how often it agrees with 1-nearest neighbour, "
                + "majority vote and the singular-kernel classifier.",
            "Splits the rows of --data into training and test rows, fits the ridgeless NTK classifier (infinitely wide "
                + "network trained to convergence on one-hot targets) of each depth, and prints per depth its test "
                + "accuracy and the fraction of test rows on which its label equals that of each limit classifier "
                + "(Radhakrishnan, Belkin & Uhler, PNAS 2023). Rows are scaled to unit norm first unless --no-normalize.",
            "See docs/deep-ntk.md."})
final class NtkDepthCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Data with a class label column "
            + "(CSV or LibSVM).")
    Path data;

    @Option(names = "--target", defaultValue = "-1", paramLabel = "NAME|INDEX",
            description = "Label column: a header name or a 0-based index, negative from the end (default: last column).")
    String target;

    @Option(names = "--activation", defaultValue = "relu", paramLabel = "NAME",
            description = "Activation of the network, a name such as relu, erf, tanh, gelu (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--w-var", defaultValue = "2", paramLabel = "V", description = "Weight variance (default: "
            + "${DEFAULT-VALUE}).")
    double wVar;

    @Option(names = "--b-var", defaultValue = "0", paramLabel = "V", description = "Bias variance (default: "
            + "${DEFAULT-VALUE}).")
    double bVar;

    @Option(names = "--depths", split = ",", defaultValue = "1,2,4,8,16,32", paramLabel = "L",
            description = "Depths (hidden layers) to sweep (default: ${DEFAULT-VALUE}).")
    List<Integer> depths;

    @Option(names = "--alpha", paramLabel = "A", description = "Exponent of the singular kernel |x - x_i|^-alpha "
            + "(default: the number of features d, the Hilbert kernel).")
    Double alpha;

    @Option(names = "--test-fraction", defaultValue = "0.25", paramLabel = "F", description = "Share of rows held out "
            + "(default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--max-train", defaultValue = "2000", paramLabel = "N", description = "At most this many training "
            + "rows (a seeded sample; one N x N eigendecomposition per depth; default: ${DEFAULT-VALUE}).")
    int maxTrain;

    @Option(names = "--normalize", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Scale rows to unit norm, as the theory assumes (default: on).")
    boolean normalize;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed of the split "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Also write the table as CSV.")
    Path out;

    @Mixin
    DataOptionsMixin dataOptions;

    @Override
    public Integer call() {
        Activation act = UsageException.of(() -> Activation.named(activation));
        if (!(wVar > 0) || Double.isInfinite(wVar) || !(bVar >= 0) || Double.isInfinite(bVar)) {
            throw new UsageException("--w-var must be > 0 and --b-var >= 0 (finite), got " + wVar + " and " + bVar);
        }
        if (depths.isEmpty() || depths.stream().anyMatch(l -> l == null || l < 0 || l > 10_000)) {
            throw new UsageException("--depths must be integers in [0, 10000], got " + depths);
        }
        if (new TreeSet<>(depths).size() != depths.size()) {
            throw new UsageException("--depths lists a depth twice: " + depths);
        }
        if (alpha != null && (!(alpha >= 0))) {
            throw new UsageException("--alpha must be >= 0 (or Infinity), got " + alpha);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new UsageException("--test-fraction must be between 0 and 1, got " + testFraction);
        }
        if (maxTrain < 2) {
            throw new UsageException("--max-train must be >= 2, got " + maxTrain);
        }
        if (out != null) {
            AtomicFiles.checkWritable(out, new Path[] {data});
        }
        dataOptions.options.checkTarget(data, spec.commandLine().getParseResult().hasMatchedOption("--target"));
        Dataset ds = dataOptions.options.readWithTarget(data, target, true);
        int rows = ds.rows();
        long classes = Arrays.stream(ds.target().column(0)).distinct().count();
        if (classes > Math.max(20, rows / 5)) {
            throw new UsageException(String.format(Locale.ROOT, "ntk-depth compares classifiers, but the target of %s has "
                    + "%d distinct values in %d rows: it looks like a regression target; choose a class column with "
                    + "--target", data, classes, rows));
        }
        int held = (int) Math.round(testFraction * rows);
        int pool = rows - held;
        if (held < 1 || pool < 2) {
            throw new UsageException(String.format(Locale.ROOT, "--test-fraction %s of %d rows leaves %d test and %d "
                    + "training rows; need at least 1 and 2", testFraction, rows, held, pool));
        }
        int n = Math.min(pool, maxTrain);
        Limits.requireSquareMatrix("the NTK classifier", n, "use a smaller --max-train");
        int[] perm = LearningCurveCommand.permutation(rows, new SplittableRandom(seed));
        int[] trainRows = Arrays.copyOfRange(perm, 0, n);
        int[] testRows = Arrays.copyOfRange(perm, pool, rows);
        Matrix x = ds.features();
        if (normalize) {
            x = NtkDepthSweep.normalizeRows(x);
        }
        NeuralKernel arch = NeuralKernel.ntk(1, act, wVar, bVar);
        int[] ls = depths.stream().mapToInt(Integer::intValue).toArray();
        NtkDepthSweep.Result r = NtkDepthSweep.run(arch, ls, x.selectRows(trainRows), ds.target().selectRows(trainRows),
                x.selectRows(testRows), ds.target().selectRows(testRows), alpha == null ? Double.NaN : alpha);
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "ntk-depth: ntk(activation=%s, w_var=%s, b_var=%s) on %s: %d training rows, %d test "
                + "rows, %d features%s%n", act.name(), wVar, bVar, data, n, held, x.cols(),
                normalize ? ", rows scaled to unit norm" : "");
        pw.printf(Locale.ROOT, "test accuracy of the limits: 1-NN %.4f, majority %.4f, singular kernel (alpha=%s) %.4f%n",
                r.nearestNeighbourAccuracy(), r.majorityAccuracy(), num(r.alpha()), r.singularKernelAccuracy());
        pw.printf(Locale.ROOT, "%7s  %12s  %10s  %10s  %10s%n", "depth", "ntk_accuracy", "agree_1nn", "agree_maj",
                "agree_sing");
        for (NtkDepthSweep.Row row : r.rows()) {
            pw.printf(Locale.ROOT, "%7d  %12.4f  %10.4f  %10.4f  %10.4f%n", row.depth(), row.ntkAccuracy(),
                    row.agreesWithNearestNeighbour(), row.agreesWithMajority(), row.agreesWithSingularKernel());
        }
        if (out != null) {
            AtomicFiles.write(out, stream -> {
                var writer = new java.io.OutputStreamWriter(stream, java.nio.charset.StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
                csv.printRecord("depth", "ntk_accuracy", "agree_1nn", "agree_majority", "agree_singular", "alpha",
                        "accuracy_1nn", "accuracy_majority", "accuracy_singular");
                for (NtkDepthSweep.Row row : r.rows()) {
                    csv.printRecord(row.depth(), row.ntkAccuracy(), row.agreesWithNearestNeighbour(),
                            row.agreesWithMajority(), row.agreesWithSingularKernel(), r.alpha(),
                            r.nearestNeighbourAccuracy(), r.majorityAccuracy(), r.singularKernelAccuracy());
                }
                csv.flush();
            });
            pw.printf("wrote %s: %d rows%n", out, r.rows().size());
        }
        return 0;
    }

    private static String num(double v) {
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
    }

}
