package org.kernels4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.DataFormat;
import org.kernels4j.io.Dataset;
import org.kernels4j.linalg.Matrix;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A CSV table read for {@code balance} and {@code effect}: columns by name, cells checked with the file line they
 * came from, and the balance diagnostics both commands print and draw (standardised mean differences, Love plot).
 */
final class BalanceData {
    final Path file;
    final Dataset table;
    private final DataOptions options;
    private long[] lines;

    private BalanceData(Path file, Dataset table, DataOptions options) {
        this.file = file;
        this.table = table;
        this.options = options;
    }

    /** Reads {@code file} as CSV with every column a feature (header names as column names). */
    static BalanceData read(Path file, DataOptions options) {
        if (options.formatOf(file) == DataFormat.LIBSVM) {
            throw new Kernels4jException(file + ": balancing reads CSV files with named columns, not LibSVM");
        }
        // the columns it uses are checked cell by cell (file and line) when read
        return new BalanceData(file, options.csvKeepingNonFinite(null).build().read(file), options);
    }

    int rows() {
        return table.rows();
    }

    List<String> names() {
        return table.featureNames();
    }

    /** The index of column {@code name} (a header name, else a 0-based index), named with {@code option} in errors. */
    int column(String name, String option) {
        int byName = names().indexOf(name);
        if (byName >= 0) {
            return byName;
        }
        try {
            int idx = Integer.parseInt(name.trim());
            if (idx >= 0 && idx < names().size()) {
                return idx;
            }
        } catch (NumberFormatException e) {
            // not an index: reported below
        }
        throw new Kernels4jException(file + ": no column '" + name + "' (" + option + "); columns are "
                + String.join(", ", names()));
    }

    /**
     * The covariate columns: --covariates by name, else every column not in {@code excluded} (names of the
     * columns other options use) nor in --ignore.
     */
    int[] covariates(BalanceOptions o, List<String> excluded) {
        Set<Integer> cols = new LinkedHashSet<>();
        if (o.covariates != null && !o.covariates.isEmpty()) {
            if (!o.ignore.isEmpty()) { // --ignore only thins the default list; with --covariates it was ignored itself
                throw new UsageException("--ignore applies when the covariates are every other column; with "
                        + "--covariates, list only the columns to balance");
            }
            for (String name : o.covariates) {
                int j = column(name.trim(), "--covariates");
                if (excluded.contains(names().get(j))) {
                    throw new UsageException("column '" + names().get(j) + "' cannot be a covariate and also be used by "
                            + "another option");
                }
                cols.add(j);
            }
        } else {
            Set<Integer> skip = new java.util.HashSet<>();
            for (String name : o.ignore) {
                skip.add(column(name.trim(), "--ignore"));
            }
            for (int j = 0; j < names().size(); j++) {
                if (!skip.contains(j) && !excluded.contains(names().get(j))) {
                    cols.add(j);
                }
            }
        }
        if (cols.isEmpty()) {
            throw new Kernels4jException(file + ": no covariate columns left to balance");
        }
        return cols.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The same columns, found by name in this (target) table. */
    int[] sameColumns(BalanceData other, int[] cols) {
        int[] out = new int[cols.length];
        for (int k = 0; k < cols.length; k++) {
            String name = other.names().get(cols[k]);
            out[k] = names().indexOf(name);
            if (out[k] < 0) {
                throw new Kernels4jException(file + ": no column '" + name + "' (a covariate of " + other.file
                        + "); columns are " + String.join(", ", names()));
            }
        }
        return out;
    }

    /** {@code file:line:column: } of a cell, for messages. */
    String where(int row, int col) {
        return file + ":" + line(row) + ":" + (col + 1) + ": ";
    }

    /** The file line of data row {@code row} (0-based): parsed again only when a message needs it. */
    long line(int row) {
        if (lines == null) {
            lines = recordLines();
        }
        return lines[row];
    }

    /** The line of every data row: the reader's record lines, less the header record when there is one. */
    private long[] recordLines() {
        long[] all = options.csvKeepingNonFinite(null).build().recordLines(file);
        return java.util.Arrays.copyOfRange(all, all.length - rows(), all.length);
    }

    /** Column {@code col} as 0/1 flags; any other value is an error naming the cell. */
    boolean[] flags(int col, String option) {
        boolean[] out = new boolean[rows()];
        for (int i = 0; i < out.length; i++) {
            double v = table.features().get(i, col);
            if (v != 0 && v != 1) {
                throw new Kernels4jException(where(i, col) + "column '" + names().get(col) + "' (" + option
                        + ") must hold 0 or 1, got " + v);
            }
            out[i] = v == 1;
        }
        return out;
    }

    /**
     * The largest magnitude a value may have: the estimators square outcomes (standard errors, bootstrap variances) and
     * kernels square covariate differences, and a square above ~1.8e308 overflows to infinity, which surfaced as an
     * internal check ("the standard error must be finite") naming no cell.
     */
    static final double MAX_MAGNITUDE = 1e150;

    /**
     * Column {@code col} at {@code rows}, every value finite (NaN is readable with --allow-nonfinite) and of magnitude
     * at most {@link #MAX_MAGNITUDE}.
     */
    double[] finiteValues(int col, int[] rows, String what) {
        double[] out = new double[rows.length];
        for (int k = 0; k < rows.length; k++) {
            double v = table.features().get(rows[k], col);
            if (!Double.isFinite(v)) {
                throw new Kernels4jException(where(rows[k], col) + what + " '" + names().get(col) + "' is " + v
                        + "; drop the row or impute the value first");
            }
            if (Math.abs(v) > MAX_MAGNITUDE) {
                throw new Kernels4jException(where(rows[k], col) + what + " '" + names().get(col) + "' is " + v
                        + ", too large: its square overflows a double in the estimates' variances and the kernel's "
                        + "distances; rescale the column (e.g. to other units)");
            }
            out[k] = v;
        }
        return out;
    }

    /** The covariates {@code cols} of {@code rows}, all finite. */
    Matrix covariates(int[] rows, int[] cols) {
        Matrix x = new Matrix(rows.length, cols.length);
        for (int j = 0; j < cols.length; j++) {
            double[] v = finiteValues(cols[j], rows, "covariate");
            for (int k = 0; k < rows.length; k++) {
                x.set(k, j, v[k]);
            }
        }
        return x;
    }

    static int[] allRows(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    static int[] rowsWhere(boolean[] flags, boolean value) {
        return java.util.stream.IntStream.range(0, flags.length).filter(i -> flags[i] == value).toArray();
    }

    /**
     * The target sample's column means and (population) standard deviations: the scale of the standardised
     * covariates and of the standardised mean differences.
     */
    record Scale(double[] mean, double[] sd) {
        static Scale of(Matrix target) {
            double[] m = target.columnMeans();
            return new Scale(m, target.columnStandardDeviations(m));
        }

        /** A copy of x centred and scaled; a covariate constant in the target is an error naming it. */
        Matrix apply(Matrix x, List<String> names, Path targetFile) {
            for (int j = 0; j < sd.length; j++) {
                if (!(sd[j] > 0)) {
                    throw new Kernels4jException(targetFile + ": covariate '" + names.get(j) + "' is constant over the "
                            + "target rows (" + mean[j] + "), so it cannot be standardised; leave it out (--ignore "
                            + names.get(j) + ") or use --no-standardize");
                }
            }
            Matrix out = x.copy();
            out.standardizeColumns(mean, sd);
            return out;
        }
    }

    /**
     * The standardised mean difference of each covariate, (Σ_i w_i x_ij − m_j)/s_j with the target's mean m and
     * standard deviation s (NaN where s = 0); w sums to 1.
     */
    static double[] smd(Matrix x, double[] w, Scale target) {
        double[] out = new double[x.cols()];
        for (int j = 0; j < out.length; j++) {
            double mean = 0;
            for (int i = 0; i < w.length; i++) {
                mean += w[i] * x.get(i, j);
            }
            out[j] = target.sd()[j] > 0 ? (mean - target.mean()[j]) / target.sd()[j] : Double.NaN;
        }
        return out;
    }

    /** Weights v/Σv (uniform when v is null). */
    static double[] normalised(double[] v, int n) {
        double[] out = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += v == null ? 1 : v[i];
        }
        for (int i = 0; i < n; i++) {
            out[i] = (v == null ? 1 : v[i]) / sum;
        }
        return out;
    }

    /** One series of a Love plot: the SMD of every covariate. */
    record Series(String name, double[] smd, Color color, Marker marker) {
    }

    /** Prints the balance table: one row per covariate, one column per series. */
    static void printTable(java.io.PrintWriter pw, List<String> covariates, List<Series> series) {
        int width = Math.max(12, covariates.stream().mapToInt(String::length).max().orElse(0) + 2);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", "covariate"));
        for (Series s : series) {
            head.append(String.format(Locale.ROOT, " %16s", s.name()));
        }
        pw.println(head.toString().stripTrailing());
        for (int j = 0; j < covariates.size(); j++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", covariates.get(j)));
            for (Series s : series) {
                row.append(String.format(Locale.ROOT, " %16.6f", s.smd()[j]));
            }
            pw.println(row);
        }
    }

    /** Threshold of the Love plot: |SMD| below 0.1 is conventionally taken as balanced. */
    static final double SMD_THRESHOLD = 0.1;

    /**
     * A Love plot: |SMD| per covariate (covariates along the horizontal axis, so every name is a labelled
     * category), one marker series per {@code series}, and the conventional 0.1 threshold as a dashed line. PNG or
     * SVG by the file's extension, written atomically. A covariate whose SMD is undefined (NaN) has no marker.
     */
    static void lovePlot(Path out, String title, List<String> covariates, List<Series> series) {
        System.setProperty("java.awt.headless", "true");
        int p = covariates.size();
        CategoryChart chart = new CategoryChart(Math.max(700, 160 + 70 * p), 540);
        chart.setTitle(title);
        chart.setXAxisTitle("covariate");
        chart.setYAxisTitle("|standardised mean difference|");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setMarkerSize(11);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        if (p > 8) {
            chart.getStyler().setXAxisLabelRotation(45);
        }
        double max = SMD_THRESHOLD;
        for (Series s : series) {
            List<Double> ys = new ArrayList<>();
            for (int j = 0; j < p; j++) {
                double v = Math.abs(s.smd()[j]);
                ys.add(Double.isFinite(v) ? v : null);
                max = Double.isFinite(v) ? Math.max(max, v) : max;
            }
            CategorySeries cs = chart.addSeries(s.name(), covariates, ys);
            cs.setMarker(s.marker());
            cs.setMarkerColor(s.color());
        }
        chart.getStyler().setYAxisMax(1.08 * max);
        List<Double> threshold = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            threshold.add(SMD_THRESHOLD);
        }
        CategorySeries line = chart.addSeries("|SMD| = " + SMD_THRESHOLD, covariates, threshold);
        line.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Color.GRAY);
        line.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f},
                0f));
        Charts.save(chart, out);
    }

    static final Color BEFORE = new Color(200, 60, 40);
    static final Color AFTER = new Color(20, 60, 160);
    static final Color BEFORE_2 = new Color(230, 150, 40);
    static final Color AFTER_2 = new Color(40, 150, 90);
}
