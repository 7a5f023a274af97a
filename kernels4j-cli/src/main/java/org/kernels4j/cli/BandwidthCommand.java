package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kernels4j.io.Dataset;
import org.kernels4j.kernel.Bandwidth;
import org.kernels4j.kernel.Specs;
import org.kernels4j.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bandwidth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Suggest RBF bandwidths for a data set.",
            "kernlab's sigest (gamma from the 0.9, 0.5 and 0.1 quantiles of squared distances between random pairs of "
                + "rows) and the median heuristic (median pairwise distance as the length): starting points for cv, "
                + "grid search or the GP evidence."})
final class BandwidthCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Rows of X (.csv or .libsvm).")
    Path data;

    @Option(names = "--target", defaultValue = "none", paramLabel = "NAME|INDEX|none",
            description = "A column to drop first (default: none, all columns are features).")
    String target;

    @Option(names = "--frac", defaultValue = "0.5", paramLabel = "F",
            description = "sigest: number of random pairs as a fraction of the rows (default: 0.5, kernlab's).")
    double frac;

    @Option(names = "--standardize", description = "Standardize each feature first (mean 0, sample sd 1), as"
            + " kernlab's sigest and ksvm do by default; without it the features are used as given, as fit uses them.")
    boolean standardize;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Random seed (default: 1).")
    long seed;

    @Mixin
    DataOptionsMixin options;

    @Override
    public Integer call() {
        if (!(frac > 0) || Double.isInfinite(frac)) {
            throw new UsageException("--frac must be a positive number, got " + frac);
        }
        Dataset ds = options.options.read(data, target, 0);
        Matrix x = ds.features();
        Bandwidth.Sigest s = Bandwidth.sigest(x, frac, standardize, seed);
        Bandwidth.Median m = Bandwidth.median(x, standardize, seed);
        var out = spec.commandLine().getOut();
        out.printf("%d rows, %d features, %s%n", x.rows(), x.cols(),
                standardize ? "each feature standardized (mean 0, sample sd 1)" : "features as given");
        out.printf("sigest (kernlab): gamma %s / %s / %s from the 0.9 / 0.5 / 0.1 quantiles of |x-z|^2 over %d random"
                + " pairs (seed %d)%n", g(s.gammaLow()), g(s.gammaMedian()), g(s.gammaHigh()), s.pairs(), seed);
        out.printf("    try rbf(gamma=%s), or any gamma from %s to %s%n", g(s.gammaMedian()), g(s.gammaLow()),
                g(s.gammaHigh()));
        out.printf("median heuristic: median |x-z| = %s over %s%n", g(m.distance()),
                m.exact() ? "all " + m.pairs() + " pairs" : m.pairs() + " random pairs (seed " + seed + ")");
        out.printf("    rbf(length=%s) = rbf(gamma=%s)%n", g(m.distance()), g(m.gamma()));
        if (standardize) {
            out.println("these values are for standardized features: standardize the data the model sees the same way");
        }
        return 0;
    }

    /** Four significant digits, printed so that a spec can take it. */
    private static String g(double v) {
        return Specs.num(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4g", v)));
    }
}
