package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.bench.ThinningBenchmark;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kernels4j bench thin}: parses options, runs {@link ThinningBenchmark} and prints its rows. */
@Command(name = "thin", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time Compress++ on --n points of N(0, I_d) to --size points, and KT against Compress++ on --kt-n "
                + "points (sqrt(--kt-n) out), for each --d. Gaussian kernel with sigma^2 = 2d. MMD to N(0, I_d) in "
                + "closed form; on the KT rows also to the input sample.",
            "With --export-dir, writes points_d{d}.npy (the KT rows' inputs) for bench/goodpoints_port.py."})
final class ThinBenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", defaultValue = "1048576", description = "Compress++ input size, >= 16 (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--size", defaultValue = "1024", description = "Compress++ output size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--kt-n", defaultValue = "16384", description = "Input size of the KT-vs-Compress++ rows; 0 skips "
            + "them (default: ${DEFAULT-VALUE}).")
    int ktN;

    @Option(names = "--d", defaultValue = "2,10", split = ",", description = "Feature counts (default: ${DEFAULT-VALUE}).")
    List<Integer> dims;

    @Option(names = "--g", defaultValue = "4", description = "Compress++ oversampling g (default: ${DEFAULT-VALUE}).")
    int g;

    @Option(names = "--seed", defaultValue = "1", description = "Data and thinning seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--reps", defaultValue = "1", description = "Timed runs per method; the least time is printed "
            + "(default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--export-dir", paramLabel = "DIR", description = "Write the KT rows' points as .npy here.")
    Path exportDir;

    @Option(names = "--seeds", defaultValue = "0", description = "Instead of the timing rows: Compress++ against KT on "
            + "--kt-n points over this many seeds, for each --g-values and --d, printing the median, least and largest "
            + "ratio of their MMDs (default: ${DEFAULT-VALUE}, off).")
    int seeds;

    @Option(names = "--g-values", defaultValue = "2,3,4", split = ",", description = "Compress++ g values of the --seeds "
            + "sweep (default: ${DEFAULT-VALUE}).")
    List<Integer> gValues;

    @Override
    public Integer call() {
        if (n != 0 && n < 16 || ktN < 0 || size < 1 || g < 0 || reps < 1 || dims.isEmpty() || dims.stream().anyMatch(d -> d < 1)) {
            throw new UsageException("--n must be 0 or at least 16, --kt-n at least 0, --size, --reps and every --d at "
                    + "least 1, --g at least 0");
        }
        var out = spec.commandLine().getOut();
        if (seeds > 0) {
            if (ktN < 16 || gValues.isEmpty() || gValues.stream().anyMatch(v -> v < 0 || v > 15)) {
                throw new UsageException("--seeds needs --kt-n at least 16 and every --g-values in 0..15");
            }
            return quality(out);
        }
        out.printf(Locale.ROOT, "thin n=%d size=%d kt_n=%d d=%s g=%d seed=%d reps=%d threads=%d%n", n, size, ktN, dims, g, seed, reps,
                Parallelism.threads());
        out.printf("%-11s %3s %8s %5s %10s %14s %14s%n", "method", "d", "n", "size", "seconds", "mmd_to_target",
                "mmd_to_sample");
        out.flush();
        ThinningBenchmark.run(new ThinningBenchmark.Options(n, ktN, dims.stream().mapToInt(Integer::intValue).toArray(),
                size, g, seed, exportDir, reps), r -> {
                    out.printf(Locale.ROOT, "%-11s %3d %8d %5d %10.3f %14.6g %14s%n", r.method(), r.d(), r.n(), r.size(),
                            r.seconds(), r.mmdToTarget(), Double.isNaN(r.mmdToSample()) ? "-"
                                    : String.format(Locale.ROOT, "%.6g", r.mmdToSample()));
                    out.flush();
                });
        return 0;
    }

    private int quality(java.io.PrintWriter out) {
        out.printf(Locale.ROOT, "thin quality n=%d d=%s g=%s seeds=%d threads=%d%n", ktN, dims, gValues, seeds,
                Parallelism.threads());
        out.printf("%3s %2s %-22s %-22s %9s %9s %s%n", "d", "g", "cpp/kt to sample", "cpp/kt to P", "cpp_sec", "kt_sec",
                "per seed (kt, cpp to sample)");
        out.flush();
        ThinningBenchmark.quality(ktN, dims.stream().mapToInt(Integer::intValue).toArray(),
                gValues.stream().mapToInt(Integer::intValue).toArray(), seeds, c -> {
                    StringBuilder per = new StringBuilder();
                    for (int i = 0; i < c.toSample().length; i++) {
                        per.append(String.format(Locale.ROOT, " %.4g/%.4g", c.ktToSample()[i], c.toSample()[i]));
                    }
                    out.printf(Locale.ROOT, "%3d %2d %-22s %-22s %9.2f %9.2f%s%n", c.d(), c.g(), summary(c.sampleRatios()),
                            summary(c.targetRatios()), ThinningBenchmark.median(c.seconds()),
                            ThinningBenchmark.median(c.ktSeconds()), per);
                    out.flush();
                });
        return 0;
    }

    /** "median [least, largest]". */
    private static String summary(double[] v) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", ThinningBenchmark.median(v),
                java.util.Arrays.stream(v).min().orElse(Double.NaN), java.util.Arrays.stream(v).max().orElse(Double.NaN));
    }
}
