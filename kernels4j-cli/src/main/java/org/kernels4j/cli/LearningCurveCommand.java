package org.kernels4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.spectral.LearningCurve;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "learning-curve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predicted learning curve of kernel ridge regression (the eigenlearning estimate) against a "
                + "measured one: test MSE as a function of the number of training samples n, at --lambda, at 0 "
                + "(interpolation) and at the predicted optimal lambda, and the cost of overfitting MSE(0)/MSE(optimal).",
            "With --train the spectrum and target coefficients are those of K/N on the data's N rows (the empirical "
                + "distribution); the measured curve fits n rows drawn from a training pool and scores the held-out "
                + "rows (--test-fraction). With --power-law A:B the task is lambda_i ~ i^-A, v_i^2 ~ i^-B on --modes "
                + "modes with label noise --noise, and the measured curve is a simulation of Gaussian features with that "
                + "spectrum (exact test MSE, no test set).",
            "See docs/learning-curves.md."})
final class LearningCurveCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--train", paramLabel = "FILE", description = "Data (.csv, or LibSVM): estimate the spectrum from it "
            + "and measure on it.")
    Path train;

    @Option(names = "--target", defaultValue = "-1", paramLabel = "NAME|INDEX",
            description = "Target column: a header name or a 0-based index, negative from the end (default: last column).")
    String target;

    @Option(names = "--kernel", paramLabel = "SPEC", description = "Kernel spec (with --train).")
    String kernel;

    @Option(names = "--power-law", paramLabel = "A:B", description = "A synthetic task instead of data: eigenvalues "
            + "lambda_i ~ i^-A (A > 0), target coefficients v_i^2 ~ i^-B (B >= 0), both normalised to sum 1.")
    String powerLaw;

    @Option(names = "--modes", paramLabel = "P", description = "Modes of the power-law task (default: 2000).")
    Integer modes;

    @Option(names = "--noise", paramLabel = "S2", description = "Label noise variance of the power-law task, relative to "
            + "the target's power 1 (default: 0.1).")
    Double noise;

    @Option(names = "--sizes", split = ",", defaultValue = "20,50,100,200", paramLabel = "N",
            description = "Training set sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--lambda", defaultValue = "0", paramLabel = "VALUE", description = "Ridge lambda >= 0 of the fits, "
            + "alpha = (K + lambda I)^-1 y (default: ${DEFAULT-VALUE}, interpolation; measured fits on data then use "
            + "lambda = 1e-10 * n_max * mean k(x,x), the power-law simulation the pseudo-inverse).")
    double lambda;

    @Option(names = "--repeats", defaultValue = "10", paramLabel = "R", description = "Fits per size for the measured "
            + "curve (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--test-fraction", defaultValue = "0.25", paramLabel = "F", description = "With --train: the share "
            + "of rows held out for scoring (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--spectrum-rows", defaultValue = "2000", paramLabel = "M", description = "With --train: at most this "
            + "many rows (a seeded uniform sample) for the spectrum, an M x M eigendecomposition (default: "
            + "${DEFAULT-VALUE}).")
    int spectrumRows;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Also write the table as CSV (full precision).")
    Path out;

    @Option(names = "--plot", paramLabel = "FILE.png|svg", description = "Also draw predicted and measured curves "
            + "(log-log).")
    Path plot;

    @Mixin
    DataOptionsMixin dataOptions;

    /** One row of the table. */
    record Row(int n, LearningCurve.Estimate predicted, LearningCurve.Measurement measured, LearningCurve.Estimate zero,
            LearningCurve.Estimate optimal, double cost) {
    }

    @Override
    public Integer call() {
        checkOptions();
        PrintWriter pw = spec.commandLine().getOut();
        int[] ns = sizes.stream().mapToInt(Integer::intValue).toArray();
        LearningCurve lc;
        List<LearningCurve.Measurement> measured;
        String measuredHow;
        if (powerLaw != null) {
            double[] ab = parsePowerLaw(powerLaw);
            int p = modes == null ? 2000 : modes;
            double s2 = noise == null ? 0.1 : noise;
            int nMax = Arrays.stream(ns).max().orElse(1);
            Limits.requireSquareMatrix("simulating n samples", nMax, "use smaller --sizes");
            lc = UsageException.of(() -> LearningCurve.powerLaw(ab[0], ab[1], p, s2));
            pw.printf(Locale.ROOT, "task: power law lambda_i ~ i^-%s, v_i^2 ~ i^-%s on %d modes (both sum to 1), noise "
                    + "variance %s%n", num(ab[0]), num(ab[1]), p, num(s2));
            measured = lc.simulate(ns, lambda, repeats, seed);
            measuredHow = String.format(Locale.ROOT, "simulated: Gaussian features z ~ N(0, I_%d), k(z,z') = sum_k "
                    + "lambda_k z_k z'_k, %d draws per n (seed %d), exact test MSE%s", p, repeats, seed,
                    lambda == 0 ? "; lambda = 0 by the pseudo-inverse" : "");
        } else {
            Kernel k = KernelSpec.parse(kernel);
            dataOptions.options.checkTarget(train, spec.commandLine().getParseResult().hasMatchedOption("--target"));
            Dataset ds = dataOptions.options.readWithTarget(train, target);
            if (ds.target().cols() != 1) {
                throw new UsageException("learning-curve takes one target column, " + train + " gives " + ds.target().cols());
            }
            int rows = ds.rows();
            int held = (int) Math.round(testFraction * rows);
            int pool = rows - held;
            if (held < 1 || pool < 1) {
                throw new UsageException(String.format(Locale.ROOT, "--test-fraction %s of %d rows leaves %d held out and "
                        + "%d for training; both need at least 1", num(testFraction), rows, held, pool));
            }
            for (int n : ns) {
                if (n > pool) {
                    throw new UsageException(String.format(Locale.ROOT, "--sizes %d is larger than the %d training rows "
                            + "(%d rows of %s minus %d held out by --test-fraction %s)", n, pool, rows, train, held,
                            num(testFraction)));
                }
            }
            int m = Math.min(rows, spectrumRows);
            Limits.requireSquareMatrix("the spectrum estimate", m, "use a smaller --spectrum-rows");
            // the spectrum: every row in file order, or a seeded sample of --spectrum-rows of them
            Matrix xs = ds.features();
            Matrix ys = ds.target();
            if (m < rows) {
                int[] pick = Arrays.copyOf(permutation(rows, new SplittableRandom(seed ^ 0x5DEECE66DL)), m);
                Arrays.sort(pick);
                xs = xs.selectRows(pick);
                ys = ys.selectRows(pick);
            }
            lc = LearningCurve.fromData(k, xs, ys);
            double meanDiag = 0;
            for (double l : lc.eigenvalues()) {
                meanDiag += l;
            }
            int nMax = Arrays.stream(ns).max().orElse(1);
            double fitLambda = lambda > 0 ? lambda : 1e-10 * nMax * meanDiag;
            int[] perm = permutation(rows, new SplittableRandom(seed));
            int[] poolRows = Arrays.copyOfRange(perm, 0, pool);
            int[] testRows = Arrays.copyOfRange(perm, pool, rows);
            KernelRidge krr = UsageException.of(() -> KernelRidge.builder(k).lambda(fitLambda).build());
            pw.printf(Locale.ROOT, "task: %s on %s (%d rows x %d features): eigenvalues of K/N and v = Q^T y / sqrt(N) on "
                    + "%s; noise is in v%n", k.toSpec(), train, rows, ds.features().cols(),
                    m == rows ? "all N = " + rows + " rows" : "N = " + m + " sampled rows (seed " + seed + ")");
            measured = LearningCurve.measure(krr, ds.features().selectRows(poolRows), ds.target().selectRows(poolRows),
                    ds.features().selectRows(testRows), ds.target().selectRows(testRows), ns, repeats, seed);
            measuredHow = String.format(Locale.ROOT, "measured: kernel ridge on n of %d training rows, MSE on %d held-out "
                    + "rows, %d fits per n (seed %d)%s", pool, held, repeats, seed,
                    lambda == 0 ? String.format(Locale.ROOT, "; lambda = 0 fitted with lambda = %.3g", fitLambda) : "");
        }
        List<Row> table = new ArrayList<>();
        for (int i = 0; i < ns.length; i++) {
            int n = ns[i];
            LearningCurve.Estimate opt = lc.optimal(n);
            LearningCurve.Estimate zero = lc.estimate(n, 0);
            double cost = zero.testMse() == 0 ? 1 : zero.testMse() / opt.testMse();
            table.add(new Row(n, lc.estimate(n, lambda), measured.get(i), zero, opt, cost));
        }
        pw.println(measuredHow);
        printTable(pw, table);
        if (out != null) {
            writeCsv(table);
            pw.printf("wrote %s: %d rows%n", out, table.size());
        }
        if (plot != null) {
            drawPlot(lc, table, powerLaw != null ? "power law " + powerLaw + ", " + lc.modes() + " modes"
                    : kernel + " on " + train.getFileName());
            pw.printf("wrote %s: predicted and measured learning curves%n", plot);
        }
        return 0;
    }

    private void checkOptions() {
        if ((train == null) == (powerLaw == null)) {
            throw new UsageException("give data (--train FILE --kernel SPEC) or a synthetic task (--power-law A:B), "
                    + "one of them");
        }
        if (train != null) {
            if (kernel == null) {
                throw new UsageException("--train needs --kernel SPEC");
            }
            if (modes != null || noise != null) {
                throw new UsageException("--modes and --noise describe a --power-law task, not --train data");
            }
            if (!(testFraction > 0 && testFraction < 1)) {
                throw new UsageException("--test-fraction must be between 0 and 1, got " + num(testFraction));
            }
            if (spectrumRows < 2) {
                throw new UsageException("--spectrum-rows must be >= 2, got " + spectrumRows);
            }
        } else {
            if (kernel != null) {
                throw new UsageException("--kernel is for --train data; a --power-law task has its own spectrum");
            }
            for (String o : new String[] {"--test-fraction", "--spectrum-rows", "--target"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new UsageException(o + " is for --train data, not a --power-law task");
                }
            }
            parsePowerLaw(powerLaw);
            if (modes != null && modes < 1) {
                throw new UsageException("--modes must be >= 1, got " + modes);
            }
            if (noise != null && (!(noise >= 0) || Double.isInfinite(noise))) {
                throw new UsageException("--noise must be a variance >= 0, got " + noise);
            }
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new UsageException("--lambda must be >= 0 and finite, got " + lambda);
        }
        if (repeats < 1) {
            throw new UsageException("--repeats must be >= 1, got " + repeats);
        }
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n == null || n < 1)) {
            throw new UsageException("--sizes must be positive integers, got " + sizes);
        }
        if (new TreeSet<>(sizes).size() != sizes.size()) {
            throw new UsageException("--sizes lists a size twice: " + sizes);
        }
        Path[] inputs = train == null ? new Path[0] : new Path[] {train};
        if (out != null) {
            AtomicFiles.checkWritable(out, inputs);
        }
        Charts.checkPlot(plot, inputs);
        OutputFiles.requireDistinct("--out", out, "--plot", plot);
    }

    /** "A:B" with A &gt; 0 and B ≥ 0. */
    static double[] parsePowerLaw(String text) {
        String[] parts = text.split(":", -1);
        double a;
        double b;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            a = Double.parseDouble(parts[0].trim());
            b = Double.parseDouble(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--power-law must be A:B (two numbers, e.g. 1.5:2.5), got '" + text + "'");
        }
        if (!(a > 0) || Double.isInfinite(a) || !(b >= 0) || Double.isInfinite(b)) {
            throw new UsageException("--power-law A:B needs A > 0 and B >= 0 (finite), got '" + text + "'");
        }
        return new double[] {a, b};
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates); also ntk-depth's train/test split. */
    static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
    }

    private static String cell(double v) {
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.5g", v);
    }

    private void printTable(PrintWriter pw, List<Row> table) {
        pw.printf(Locale.ROOT, "%7s  %13s  %22s  %13s  %13s  %11s  %9s%n", "n", "pred_mse", "measured_mse +/- se",
                "pred_mse_l=0", "pred_mse_opt", "opt_lambda", "cost_ovf");
        pw.printf(Locale.ROOT, "%7s  %13s  %22s  %13s  %13s  %11s  %9s%n", "", "(lambda=" + num(lambda) + ")", "", "", "",
                "", "");
        for (Row r : table) {
            String m = cell(r.measured().mean()) + " +/- " + (Double.isNaN(r.measured().standardError()) ? "-"
                    : String.format(Locale.ROOT, "%.2g", r.measured().standardError()));
            pw.printf(Locale.ROOT, "%7d  %13s  %22s  %13s  %13s  %11s  %9s%n", r.n(), cell(r.predicted().testMse()), m,
                    cell(r.zero().testMse()), cell(r.optimal().testMse()), cell(r.optimal().ridge()), cell(r.cost()));
        }
    }

    private void writeCsv(List<Row> table) {
        AtomicFiles.write(out, stream -> {
            var writer = new java.io.OutputStreamWriter(stream, java.nio.charset.StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
            csv.printRecord("n", "lambda", "kappa", "e0", "predicted_mse", "predicted_train_mse", "measured_mse",
                    "measured_se", "repeats", "predicted_mse_lambda0", "predicted_mse_optimal", "optimal_lambda",
                    "cost_of_overfitting");
            for (Row r : table) {
                csv.printRecord(r.n(), d(lambda), d(r.predicted().kappa()), d(r.predicted().e0()),
                        d(r.predicted().testMse()), d(r.predicted().trainMse()), d(r.measured().mean()),
                        d(r.measured().standardError()), r.measured().repeats(), d(r.zero().testMse()),
                        d(r.optimal().testMse()), d(r.optimal().ridge()), d(r.cost()));
            }
            csv.flush();
        });
    }

    private static String d(double v) {
        return Double.toString(v);
    }

    private void drawPlot(LearningCurve lc, List<Row> table, String title) {
        XYChart chart = Charts.logLog("learning curve: " + title, "training samples n", "test MSE");
        int lo = table.stream().mapToInt(Row::n).min().orElse(1);
        int hi = table.stream().mapToInt(Row::n).max().orElse(1);
        TreeSet<Integer> grid = new TreeSet<>();
        for (int i = 0; i <= 40; i++) {
            grid.add((int) Math.round(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / 40.0)));
        }
        for (Row r : table) {
            grid.add(r.n());
        }
        addCurve(chart, "predicted, lambda = " + num(lambda), grid, n -> lc.estimate(n, lambda).testMse(),
                new Color(20, 60, 160), null);
        if (lambda != 0) {
            addCurve(chart, "predicted, lambda = 0", grid, n -> lc.estimate(n, 0).testMse(), new Color(200, 60, 40),
                    new float[] {6f, 4f});
        }
        addCurve(chart, "predicted, optimal lambda", grid, n -> lc.optimal(n).testMse(), new Color(40, 150, 90),
                new float[] {2f, 3f});
        List<Double> mx = new ArrayList<>();
        List<Double> my = new ArrayList<>();
        List<Double> me = new ArrayList<>();
        boolean bars = true;
        for (Row r : table) {
            double mean = r.measured().mean();
            if (Double.isFinite(mean) && mean > 0) {
                double se = r.measured().standardError();
                mx.add((double) r.n());
                my.add(mean);
                me.add(Double.isFinite(se) ? se : 0.0);
                bars &= Double.isFinite(se) && mean - se > 0;
            }
        }
        if (!mx.isEmpty()) {
            XYSeries s = bars ? chart.addSeries("measured (mean +/- se, lambda = " + num(lambda) + ")", mx, my, me)
                    : chart.addSeries("measured (mean, lambda = " + num(lambda) + ")", mx, my);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.DIAMOND);
            s.setMarkerColor(new Color(20, 20, 20));
        }
        Charts.save(chart, plot);
    }

    /** A predicted curve over the grid; points where it is not finite and positive (the interpolation peak) are left out. */
    private static void addCurve(XYChart chart, String name, TreeSet<Integer> grid,
            java.util.function.IntToDoubleFunction f, Color color, float[] dash) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int n : grid) {
            double v = f.applyAsDouble(n);
            if (Double.isFinite(v) && v > 0) {
                x.add((double) n);
                y.add(v);
            }
        }
        if (x.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(dash == null ? new BasicStroke(2f)
                : new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
    }
}
