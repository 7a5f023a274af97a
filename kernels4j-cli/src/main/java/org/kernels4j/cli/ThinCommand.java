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
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.thinning.CompressPlusPlus;
import org.kernels4j.thinning.Coreset;
import org.kernels4j.thinning.Mmd;
import org.kernels4j.thinning.SplitKernel;
import org.kernels4j.thinning.Thinner;
import org.kernels4j.thinning.Thinning;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "thin", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compress the rows of a data set to a small coreset whose distribution is close to the whole "
                + "sample's in the kernel's maximum mean discrepancy (MMD): kernel thinning (kt, kt+, kt-target), "
                + "Compress++ (near-linear time), kernel herding, and the i.i.d. and every-k-th baselines.",
            "Writes the chosen rows with the input's columns (so the file can be used as a data set), prints the MMD "
                + "of the coreset to the input sample, and with --plot draws MMD against output size for each method "
                + "on log-log axes.",
            "Sizes: kt/kt+/kt-target give floor(n/2^m) rows (sqrt(n) for m = log2(n)/2); compress++ a power of two "
                + "not above 2^(g+1)*sqrt(n4) (n4: the largest power of 4 <= n); herding, iid and standard any size."})
final class ThinCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The rows to thin (.csv or .libsvm).")
    Path data;

    @Option(names = "--kernel", required = true, paramLabel = "SPEC", description = "Target kernel, e.g. 'rbf(gamma=0.5)'.")
    String kernel;

    @Option(names = "--size", required = true, paramLabel = "M", description = "Output size (see the sizes above).")
    int size;

    @Option(names = "--method", defaultValue = "kt", paramLabel = "NAME",
            description = "kt (square-root split kernel for rbf, else target), kt+, kt-target, compress++, herding, iid, "
                    + "standard (default: kt).")
    String method;

    @Option(names = "--g", defaultValue = "4", paramLabel = "G", description = "Compress++ oversampling g (default 4).")
    int g;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of every random choice (default 0).")
    long seed;

    @Option(names = "--target", defaultValue = "none", paramLabel = "NAME|INDEX|none",
            description = "A column that is not a feature (it is copied to --out, not used by the kernel; default: none).")
    String target;

    @Option(names = "--out", required = true, paramLabel = "CORESET.csv",
            description = "The chosen rows, with the input's columns and header.")
    Path out;

    @Option(names = "--index-out", paramLabel = "INDEX.csv",
            description = "Also write each chosen row's 1-based row number in --data and its weight.")
    Path indexOut;

    @Option(names = "--plot", paramLabel = "MMD.png|svg", description = "Draw MMD to the input against output size, "
            + "log-log, for each of --plot-methods at each size it allows (from 4 up to --size).")
    Path plot;

    @Option(names = "--plot-methods", defaultValue = "kt,kt+,compress++,herding,iid", split = ",", paramLabel = "LIST",
            description = "Methods in the plot (default: kt,kt+,compress++,herding,iid; kt+ is left out for kernels "
                    + "other than rbf).")
    List<String> plotMethods;

    @Mixin
    DataOptionsMixin options;

    @Override
    public Integer call() {
        OutputFiles.requireDistinct("--out", out, "--index-out", indexOut, "--plot", plot);
        AtomicFiles.checkWritable(out, data);
        if (indexOut != null) {
            AtomicFiles.checkWritable(indexOut, data);
        }
        Charts.checkPlot(plot, data);
        Kernel k = KernelSpec.parse(kernel);
        Thinning.Method m = UsageException.of(() -> Thinning.Method.parse(method));
        if (g < 0 || g > 15) {
            throw new UsageException("--g must be in 0..15, got " + g);
        }
        Thinner thinner = UsageException.of(() -> thinner(m, k));
        List<Thinning.Method> plotted = new ArrayList<>();
        if (plot != null) {
            for (String name : plotMethods) {
                Thinning.Method pm = UsageException.of(() -> Thinning.Method.parse(name));
                if ((pm == Thinning.Method.KT_PLUS) && !SplitKernel.hasPowerKernel(k)) {
                    continue;
                }
                plotted.add(pm);
            }
        }
        Dataset ds = options.options.read(data, target, 0);
        Matrix x = ds.features();
        int n = x.rows();
        UsageException.of(() -> {
            thinner.requireSize(n, size);
            return null;
        });
        PrintWriter pw = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        Coreset c = thinner.thin(x, size, seed);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Mmd.Sample reference = Mmd.sample(k, x);
        double mmd = reference.of(c);
        int[] copies = copies(c, size);
        writeRows(ds, c, copies);
        pw.printf(Locale.ROOT, "thin: %d rows of %s (%d features) to %d with %s, kernel %s, seed %d, %.3f s%n", n, data,
                x.cols(), copies != null ? size : c.size(), m.label(), k.toSpec(), seed, seconds);
        pw.printf(Locale.ROOT, "MMD to the input sample: %.10g%n", mmd);
        if (m != Thinning.Method.IID) {
            double iid = reference.of(Thinning.iid().thin(x, size, seed));
            pw.printf(Locale.ROOT, "MMD of %d i.i.d. rows (same seed), for comparison: %.10g%n", size, iid);
        }
        if (copies != null) {
            pw.printf("wrote %s: %d rows (%d distinct: a row chosen k times is written k times, so the rows have equal "
                    + "weights)%n", out, size, c.size());
        } else {
            pw.printf("wrote %s: %d rows%s%n", out, c.size(), c.isWeighted()
                    ? " (a weighted coreset: its weights are in --index-out)" : "");
            if (c.isWeighted() && indexOut == null) {
                spec.commandLine().getErr().printf("kernels4j: warning: %s holds a weighted coreset, and its weights "
                        + "are written only with --index-out%n", out);
            }
        }
        if (indexOut != null) {
            writeIndex(c);
            pw.printf("wrote %s: row, weight%n", indexOut);
        }
        if (plot != null) {
            plot(pw, k, x, reference, plotted);
        }
        return 0;
    }

    private Thinner thinner(Thinning.Method m, Kernel k) {
        if (m == Thinning.Method.COMPRESS_PP) {
            return CompressPlusPlus.builder(k).oversampling(g)
                    .split(SplitKernel.hasPowerKernel(k) ? SplitKernel.root() : SplitKernel.target()).build();
        }
        return m.thinner(k);
    }

    /**
     * When every weight of a weighted coreset is a multiple of 1/size (herding and the other greedy methods choose a
     * row again instead of weighting it), how many times each row was chosen; otherwise null. Writing each row that
     * many times makes the CSV, read as an unweighted data set, the coreset itself.
     */
    private static int[] copies(Coreset c, int size) {
        if (!c.isWeighted()) {
            return null;
        }
        double[] w = c.weightsOrUniform();
        int[] k = new int[w.length];
        int total = 0;
        for (int r = 0; r < w.length; r++) {
            k[r] = (int) Math.round(w[r] * size);
            if (k[r] < 1 || Math.abs(w[r] * size - k[r]) > 1e-9) {
                return null;
            }
            total += k[r];
        }
        return total == size ? k : null;
    }

    private void writeRows(Dataset ds, Coreset c, int[] copies) {
        Matrix x = ds.features();
        int[] idx = c.indices();
        AtomicFiles.write(out, stream -> {
            var writer = new java.io.OutputStreamWriter(stream, java.nio.charset.StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
            List<String> header = new ArrayList<>(ds.featureNames());
            if (ds.hasTarget()) {
                header.add(ds.targetName() == null ? "y" : ds.targetName());
            }
            csv.printRecord(header);
            for (int r = 0; r < idx.length; r++) {
                int i = idx[r];
                List<String> cells = new ArrayList<>();
                for (int j = 0; j < x.cols(); j++) {
                    cells.add(Double.toString(x.get(i, j)));
                }
                if (ds.hasTarget()) {
                    for (int j = 0; j < ds.target().cols(); j++) {
                        cells.add(Double.toString(ds.target().get(i, j)));
                    }
                }
                for (int copy = 0; copy < (copies == null ? 1 : copies[r]); copy++) {
                    csv.printRecord(cells);
                }
            }
            csv.flush();
        });
    }

    private void writeIndex(Coreset c) {
        int[] idx = c.indices();
        double[] w = c.weightsOrUniform();
        AtomicFiles.write(indexOut, stream -> {
            var writer = new java.io.OutputStreamWriter(stream, java.nio.charset.StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
            csv.printRecord("row", "weight");
            for (int r = 0; r < idx.length; r++) {
                csv.printRecord(idx[r] + 1, Double.toString(w[r]));
            }
            csv.flush();
        });
    }

    /** Every size from 4 to --size that the method allows: MMD to the input, one series per method. */
    private void plot(PrintWriter pw, Kernel k, Matrix x, Mmd.Sample reference, List<Thinning.Method> methods) {
        int n = x.rows();
        Map<String, double[][]> series = new LinkedHashMap<>();
        pw.println("MMD to the input sample by output size:");
        for (Thinning.Method pm : methods) {
            Thinner t = thinner(pm, k);
            List<double[]> points = new ArrayList<>();
            for (int s = 4; s <= Math.max(4, size); s++) {
                try {
                    t.requireSize(n, s);
                } catch (Kernels4jException e) {
                    continue;
                }
                double v = reference.of(t.thin(x, s, seed));
                points.add(new double[] {s, v});
                pw.printf(Locale.ROOT, "  %-10s size %6d  MMD %.6g%n", pm.label(), s, v);
            }
            if (points.isEmpty()) {
                continue;
            }
            double[][] xy = new double[2][points.size()];
            for (int p = 0; p < points.size(); p++) {
                xy[0][p] = points.get(p)[0];
                xy[1][p] = Math.max(points.get(p)[1], 1e-12); // log axis: an exact zero is drawn at 1e-12
            }
            series.put(pm.label(), xy);
        }
        XYChart chart = Charts.logLog("MMD to " + n + " input rows, " + k.toSpec(), "output size", "MMD");
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        Charts.save(chart, plot);
        pw.printf("wrote %s: MMD against output size, log-log, %d methods%n", plot, series.size());
    }
}
