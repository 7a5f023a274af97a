package org.kernels4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.leastsquares.ApproximationExperiment;
import org.kernels4j.leastsquares.ApproximationExperiment.Cell;
import org.kernels4j.leastsquares.ApproximationExperiment.Result;
import org.kernels4j.leastsquares.ApproximationExperiment.TestFunction;
import org.kernels4j.leastsquares.PolynomialBasis;
import org.kernels4j.leastsquares.SamplingMethod;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "wls-experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Weighted least-squares approximation from few points (Nouy & Michel): the relative L2 error of "
                + "a polynomial approximation against the number of points n for each way of choosing the points — "
                + "i.i.d. from the reference measure (plain least squares), i.i.d. from the optimal density k_m/m "
                + "(weights m/k_m), one projection DPP (n = m), volume-rescaled sampling, and repeated DPPs.",
            "Prints, per sampler and n, the mean error over the trials whose design was not singular, the median and "
                + "90%% error over all trials (a singular design counts as Infinity), the fraction of stable designs "
                + "(||G - I|| <= 1/2) and of singular ones; the best approximation error in the space is the floor. "
                + "Errors are measured on --test-size points from the optimal density with weights m/k_m (an estimate "
                + "of the L2(mu) error that stays computable at high degree). --plot draws the median error against n "
                + "on log-log axes."})
public final class WlsExperimentCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--basis", defaultValue = "legendre", paramLabel = "legendre|hermite",
            description = "Orthonormal polynomials: legendre (uniform on [-1,1]^d) or hermite (standard Gaussian).")
    String basis;

    @Option(names = "--dim", defaultValue = "1", paramLabel = "D", description = "Input dimension d (default 1).")
    int dim;

    @Option(names = "--degree", defaultValue = "10", paramLabel = "P", description = "Polynomial degree (default 10).")
    int degree;

    @Option(names = "--index-set", defaultValue = "total", paramLabel = "total|hyperbolic|tensor",
            description = "Multi-indices: total degree, hyperbolic cross or tensor product (default total).")
    String indexSet;

    @Option(names = "--function", defaultValue = "runge", paramLabel = "NAME",
            description = "Function to approximate: runge, exp, oscillatory, gaussian-peak or kink (default runge).")
    String function;

    @Option(names = "--methods", defaultValue = "reference,iid,dpp,volume,repeated-dpp", split = ",", paramLabel = "LIST",
            description = "Samplers to compare (default all: reference,iid,dpp,volume,repeated-dpp).")
    List<String> methods;

    @Option(names = "--ratios", defaultValue = "1,1.5,2,3,5,10", split = ",", paramLabel = "LIST",
            description = "Values of n/m (each >= 1; default 1,1.5,2,3,5,10).")
    List<Double> ratios;

    @Option(names = "--trials", defaultValue = "50", paramLabel = "T", description = "Trials per cell (default 50).")
    int trials;

    @Option(names = "--test-size", paramLabel = "N",
            description = "Test points for the L2 error (default max(20000, 10·m)).")
    Integer testSize;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed (default 0).")
    long seed;

    @Option(names = "--out", paramLabel = "RESULTS.csv", description = "Write every cell as CSV.")
    Path out;

    @Option(names = "--plot", paramLabel = "ERRORS.png|svg", description = "Median error against n, log-log.")
    Path plot;

    @Override
    public Integer call() {
        if (out != null) {
            AtomicFiles.checkWritable(out);
        }
        Charts.checkPlot(plot);
        OutputFiles.requireDistinct("--out", out, "--plot", plot);
        if (trials < 1) {
            throw new UsageException("--trials must be at least 1, got " + trials);
        }
        PolynomialBasis.Family family = UsageException.of(() -> PolynomialBasis.Family.parse(basis));
        PolynomialBasis.IndexSet set = UsageException.of(() -> PolynomialBasis.IndexSet.parse(indexSet));
        PolynomialBasis space = UsageException.of(() -> PolynomialBasis.of(family, dim, set, degree));
        TestFunction f = UsageException.of(() -> TestFunction.parse(function));
        List<SamplingMethod> chosen = new ArrayList<>();
        for (String name : methods) {
            SamplingMethod m = UsageException.of(() -> SamplingMethod.parse(name));
            if (!chosen.contains(m)) {
                chosen.add(m);
            }
        }
        double[] r = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        for (double v : r) {
            if (!(v >= 1) || Double.isInfinite(v)) {
                throw new UsageException("--ratios must be finite numbers >= 1, got " + v);
            }
        }
        int m = space.dimension();
        if (testSize == null) {
            testSize = Math.max(20000, 10 * m);
        } else if (testSize < 10 * m) {
            throw new UsageException("--test-size must be at least 10·m = " + 10 * m + ", got " + testSize);
        }
        if (chosen.contains(SamplingMethod.PROJECTION_DPP) && java.util.Arrays.stream(r).noneMatch(v -> Math.ceil(v * m - 1e-9) == m)) {
            throw new UsageException("--methods dpp draws exactly n = m = " + m + " points: include 1 in --ratios, or use "
                    + "repeated-dpp or volume for larger n");
        }
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "wls-experiment: %s; f = %s; %d trials; relative L2 error on %d test points%n",
                space.describe(), f.label(), trials, testSize);
        if (chosen.contains(SamplingMethod.REPEATED_DPP)
                && java.util.Arrays.stream(r).anyMatch(v -> Math.ceil(v * m - 1e-9) % m != 0)) {
            pw.printf("note: repeated-dpp rounds n up to a multiple of m = %d%n", m);
        }
        Result result = ApproximationExperiment.run(space, f::value, chosen, r, trials, testSize, seed);
        pw.printf(Locale.ROOT, "best approximation error in the space: %.4g%n", result.bestError());
        pw.printf(Locale.ROOT, "%-13s %6s %11s %11s %11s %8s %9s %11s%n", "sampler", "n", "mean", "median", "90%",
                "stable", "singular", "cond(G)");
        for (Cell c : result.cells()) {
            pw.printf(Locale.ROOT, "%-13s %6d %11.4g %11.4g %11.4g %8.2f %9.2f %11.4g%n", c.method().label(), c.n(),
                    c.meanError(), c.medianError(), c.upperError(), c.stableFraction(), c.singularFraction(),
                    c.meanCondition());
        }
        if (out != null) {
            AtomicFiles.write(out, stream -> {
                var writer = new java.io.OutputStreamWriter(stream, java.nio.charset.StandardCharsets.UTF_8);
                CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
                csv.printRecord("sampler", "n", "m", "mean_error", "median_error", "q90_error", "stable_fraction",
                        "singular_fraction", "mean_condition", "best_error");
                for (Cell c : result.cells()) {
                    csv.printRecord(c.method().label(), c.n(), space.dimension(), c.meanError(), c.medianError(),
                            c.upperError(), c.stableFraction(), c.singularFraction(), c.meanCondition(),
                            result.bestError());
                }
                csv.flush();
            });
            pw.printf("wrote %s%n", out);
        }
        if (plot != null) {
            Map<String, List<double[]>> series = new LinkedHashMap<>();
            for (Cell c : result.cells()) {
                if (Double.isFinite(c.medianError())) {
                    series.computeIfAbsent(c.method().label(), k -> new ArrayList<>())
                            .add(new double[] {c.n(), Math.max(c.medianError(), 1e-16)});
                }
            }
            XYChart chart = Charts.logLog("Median relative L2 error, " + space.describe() + ", f = " + f.label(),
                    "number of points n", "relative L2 error");
            for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
                double[] xs = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
                double[] ys = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
                XYSeries s = chart.addSeries(e.getKey(), xs, ys);
                s.setMarker(SeriesMarkers.CIRCLE);
            }
            double lo = result.cells().stream().mapToInt(Cell::n).min().orElse(1);
            double hi = result.cells().stream().mapToInt(Cell::n).max().orElse(1);
            XYSeries best = chart.addSeries("best in V_m", new double[] {lo, hi},
                    new double[] {Math.max(result.bestError(), 1e-16), Math.max(result.bestError(), 1e-16)});
            best.setMarker(SeriesMarkers.NONE);
            Charts.save(chart, plot);
            pw.printf("wrote %s: median error against n, log-log, %d sampler%s%n", plot, series.size(),
                    series.size() == 1 ? "" : "s");
        }
        pw.flush();
        return 0;
    }
}
