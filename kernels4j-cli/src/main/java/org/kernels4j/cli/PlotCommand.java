package org.kernels4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.gp.SparseGaussianProcessModel;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.Model;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.PredictiveVariance;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.regression.NtkPredictorModel;
import org.kernels4j.density.KernelDensity;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.selection.ProbabilityMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Plot a model of one input feature: the predictive mean, and for a Gaussian process the band "
                + "mean +/- 2 standard deviations, optionally with data points; or a kernel density of one feature "
                + "(a curve) or two (a heat map). Writes PNG or SVG (by --out's extension).",
            "With --calibration: the reliability diagram of a classifier with probabilities on labelled --data: per bin "
                + "(--bins equal-width), the mean predicted probability against the observed frequency, with the rows per "
                + "bin; two classes bin the second class's probability, more the top-label confidence."})
final class PlotCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "Model file from 'fit'.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "PLOT.png|PLOT.svg", description = "Image to write.")
    Path out;

    @Option(names = "--data", paramLabel = "FILE", description = "Data points to draw (the model's feature, and its "
            + "target column if present).")
    Path data;

    @Option(names = "--from", paramLabel = "X", description = "Left end of the input range (default: the training "
            + "inputs' range widened by 10%%).")
    Double from;

    @Option(names = "--to", paramLabel = "X", description = "Right end of the input range.")
    Double to;

    @Option(names = "--points", defaultValue = "400", description = "Grid points (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--title", paramLabel = "TEXT", description = "Chart title (default: the kernel spec).")
    String title;

    @Option(names = "--calibration", description = "Draw the reliability diagram of a classifier's probabilities "
            + "on --data (labelled).")
    boolean calibration;

    @Option(names = "--bins", defaultValue = "10", paramLabel = "B", description = "Bins of --calibration "
            + "(default: ${DEFAULT-VALUE}).")
    int bins;

    @Mixin
    DataOptionsMixin options;

    @Override
    public Integer call() {
        AtomicFiles.checkWritable(out, model, data);
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".svg") && !name.endsWith(".png")) {
            throw new UsageException("--out must end in .png or .svg, got " + out);
        }
        if (points < 2 || points > 100_000) {
            throw new UsageException("--points must be between 2 and 100000, got " + points);
        }
        SavedModel saved = ModelFiles.load(model);
        if (calibration) {
            return plotReliability(saved);
        }
        if (saved.model() instanceof KernelDensity) {
            return plotDensity(saved);
        }
        if (saved.featureNames().size() != 1) {
            throw new Kernels4jException("plot draws models of one input feature; " + model + " has "
                    + saved.featureNames().size());
        }
        Model fitted = saved.model();
        Dataset dataPoints = data == null ? null : ModelData.read(options.options, data, saved, false);
        Matrix trainX = dataPoints != null ? dataPoints.features() : trainingInputs(fitted);
        if (trainX == null && (from == null || to == null)) {
            throw new Kernels4jException(PredictCommand.describe(fitted) + " keeps no training inputs to take the "
                    + "plot range from; give --from and --to, or --data");
        }
        double lo = trainX == null ? 0 : Double.POSITIVE_INFINITY;
        double hi = trainX == null ? 1 : Double.NEGATIVE_INFINITY;
        for (double v : trainX == null ? new double[0] : trainX.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double pad = 0.1 * Math.max(hi - lo, 1e-9);
        double a = from != null ? from : lo - pad;
        double b = to != null ? to : hi + pad;
        requireRange(a, b);
        double[] grid = new double[points];
        for (int i = 0; i < points; i++) {
            grid[i] = a + (b - a) * i / (points - 1);
        }
        String target = saved.targetName() == null ? "y" : saved.targetName();
        Object kernelSpec = ModelCodecs.encode(fitted).fields().get("kernel");
        String heading = title != null ? title : String.valueOf(kernelSpec != null ? kernelSpec : ModelCodecs.kindOf(fitted));
        boolean bands = fitted instanceof PredictiveVariance;
        int drawn = 0;
        double[] px = null;
        double[] py = null;
        if (dataPoints != null && dataPoints.hasTarget()) {
            px = dataPoints.features().column(0);
            py = dataPoints.target().column(0);
            drawn = px.length;
        }
        XYChart chart = oneFeatureChart(fitted, grid, heading, saved.featureNames().get(0), target, px, py);
        Charts.save(chart, out);
        // the curves' names (one row predicted for the column count: the chart keeps no prediction)
        String curves = bands ? "mean +/- 2 sd"
                : String.join(", ", curveNames(fitted, fitted.predict(Matrix.column(new double[] {grid[0]})).cols()));
        spec.commandLine().getOut().printf("wrote %s: %s on [%s, %s]%s%s%n", out, curves, a, b,
                drawn > 0 ? ", " + drawn + " data points" : "",
                bands ? "" : " (" + PredictCommand.describe(fitted) + " has no standard deviation)");
        return 0;
    }


    /**
     * The chart of a model of one input feature over {@code grid}: its mean, the band mean ± 2 standard
     * deviations when it has a predictive variance, and the points (px, py) when given (null: none).
     */
    static XYChart oneFeatureChart(Model fitted, double[] grid, String title, String xTitle, String yTitle,
            double[] px, double[] py) {
        int points = grid.length;
        Matrix gx = Matrix.column(grid.clone());
        Matrix prediction = fitted.predict(gx);
        double[] mean = prediction.column(0);
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChart(900, 540);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        if (fitted instanceof PredictiveVariance pv) {
            double[] upper = new double[points];
            double[] lower = new double[points];
            double[] var = pv.predictiveVariance(gx).column(0);
            for (int i = 0; i < points; i++) {
                double s = Math.sqrt(var[i]);
                upper[i] = mean[i] + 2 * s;
                lower[i] = mean[i] - 2 * s;
            }
            for (String band : new String[] {"mean + 2 sd", "mean - 2 sd"}) {
                XYSeries s = chart.addSeries(band, grid, band.contains("+") ? upper : lower);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineColor(new Color(120, 150, 220));
                s.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            }
        }
        String[] names = curveNames(fitted, prediction.cols());
        for (int o = 0; o < names.length; o++) { // several outputs (kqr's quantiles): one curve each
            XYSeries m = chart.addSeries(names[o], grid, o == 0 ? mean : prediction.column(o));
            m.setMarker(SeriesMarkers.NONE);
            m.setLineColor(names.length == 1 ? new Color(20, 60, 160)
                    : Color.getHSBColor(0.62f - 0.5f * o / (names.length - 1), 0.8f, 0.75f));
            m.setLineStyle(new BasicStroke(2f));
        }
        if (px != null) {
            XYSeries s = chart.addSeries("data", px, py);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(new Color(200, 60, 40));
        }
        return chart;
    }

    /** The legend of each predicted column: "mean" for one, "quantile τ" for kqr, "output k" otherwise. */
    static String[] curveNames(Model fitted, int outputs) {
        String[] names = new String[outputs];
        for (int o = 0; o < outputs; o++) {
            names[o] = outputs == 1 ? "mean"
                    : fitted instanceof org.kernels4j.svm.KernelQuantileRegressionModel q ? "quantile " + q.quantiles()[o]
                    : "output " + (o + 1);
        }
        return names;
    }

    /** The training inputs of models that keep them, else null. */
    private static Matrix trainingInputs(Model m) {
        if (m instanceof KernelRidgeModel k) {
            return k.trainingInputs();
        }
        if (m instanceof GaussianProcessModel g) {
            return g.trainingInputs();
        }
        if (m instanceof SparseGaussianProcessModel g) {
            return g.inducingInputs();
        }
        if (m instanceof NtkPredictorModel n) {
            return n.trainingInputs();
        }
        return null;
    }

    /** The input range [a, b] of a plot: finite, and a &lt; b. */
    private static void requireRange(double a, double b) {
        if (!(a < b) || !Double.isFinite(a) || !Double.isFinite(b)) {
            throw new Kernels4jException("the plot range must satisfy --from < --to, got " + a + " and " + b);
        }
    }

    /** One feature: the density curve; two: a heat map on a grid of at most 80×80 cells. */
    private Integer plotDensity(SavedModel saved) {
        KernelDensity f = (KernelDensity) saved.model();
        int d = saved.featureNames().size();
        if (d > 2) {
            throw new Kernels4jException("plot draws densities of one or two features; " + model + " has " + d);
        }
        Matrix pts = f.points();
        Matrix h = f.bandwidth();
        double[][] range = new double[d][2];
        for (int a = 0; a < d; a++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < pts.rows(); i++) {
                lo = Math.min(lo, pts.get(i, a));
                hi = Math.max(hi, pts.get(i, a));
            }
            double pad = 3 * Math.sqrt(h.get(a, a));
            range[a][0] = a == 0 && from != null ? from : lo - pad;
            range[a][1] = a == 0 && to != null ? to : hi + pad;
        }
        requireRange(range[0][0], range[0][1]);
        // --data: its rows drawn over the density (a rug under the curve; points on the level map), by the
        // density's feature names where the file has a header
        Matrix shown = data == null ? null : ModelData.read(options.options, data, saved, false).features();
        System.setProperty("java.awt.headless", "true");
        String heading = title != null ? title : "kernel density (" + f.profile().name().toLowerCase(Locale.ROOT) + ")";
        if (d == 1) {
            double[] grid = new double[points];
            for (int i = 0; i < points; i++) {
                grid[i] = range[0][0] + (range[0][1] - range[0][0]) * i / (points - 1);
            }
            double[] ld = f.logDensity(Matrix.column(grid.clone()));
            double[] dens = new double[points];
            for (int i = 0; i < points; i++) {
                dens[i] = Math.exp(ld[i]);
            }
            XYChart chart = new XYChart(900, 540);
            chart.setTitle(heading);
            chart.setXAxisTitle(saved.featureNames().get(0));
            chart.setYAxisTitle("density");
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            XYSeries s = chart.addSeries("density", grid, dens);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(new Color(20, 60, 160));
            s.setLineStyle(new BasicStroke(2f));
            if (shown != null) {
                XYSeries rug = chart.addSeries("data (" + shown.rows() + " rows)", shown.column(0),
                        new double[shown.rows()]);
                rug.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                rug.setMarker(SeriesMarkers.DIAMOND);
                rug.setMarkerColor(new Color(200, 60, 40));
            }
            Charts.save(chart, out);
        } else {
            // a level map: the grid's cells as square markers, one series (one shade) per tenth of the maximum
            int cells = Math.min(points, 90);
            Matrix grid = new Matrix(cells * cells, 2);
            for (int i = 0; i < cells; i++) {
                for (int j = 0; j < cells; j++) {
                    grid.set(i * cells + j, 0, range[0][0] + (range[0][1] - range[0][0]) * (i + 0.5) / cells);
                    grid.set(i * cells + j, 1, range[1][0] + (range[1][1] - range[1][0]) * (j + 0.5) / cells);
                }
            }
            double[] ld = f.logDensity(grid);
            double max = 0;
            for (double v : ld) {
                max = Math.max(max, Math.exp(v));
            }
            int levels = 10;
            java.util.List<java.util.List<double[]>> byLevel = new java.util.ArrayList<>();
            for (int l = 0; l < levels; l++) {
                byLevel.add(new java.util.ArrayList<>());
            }
            for (int k = 0; k < ld.length; k++) {
                int l = (int) Math.min(levels - 1, Math.floor(levels * Math.exp(ld[k]) / max));
                byLevel.get(l).add(new double[] {grid.get(k, 0), grid.get(k, 1)});
            }
            XYChart chart = new XYChart(820, 760);
            chart.setTitle(heading);
            chart.setXAxisTitle(saved.featureNames().get(0));
            chart.setYAxisTitle(saved.featureNames().get(1));
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            chart.getStyler().setPlotBackgroundColor(Color.WHITE);
            chart.getStyler().setMarkerSize(Math.max(3, 600 / cells + 1));
            chart.getStyler().setXAxisDecimalPattern("0.###");
            chart.getStyler().setYAxisDecimalPattern("0.###");
            chart.getStyler().setLegendVisible(true);
            for (int l = 1; l < levels; l++) { // the lowest tenth stays white
                java.util.List<double[]> cellsAt = byLevel.get(l);
                if (cellsAt.isEmpty()) {
                    continue;
                }
                double[] cx = new double[cellsAt.size()];
                double[] cy = new double[cellsAt.size()];
                for (int k = 0; k < cx.length; k++) {
                    cx[k] = cellsAt.get(k)[0];
                    cy[k] = cellsAt.get(k)[1];
                }
                XYSeries sr = chart.addSeries(String.format(Locale.ROOT, ">= %.0f%% of max", 100.0 * l / levels), cx, cy);
                sr.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                sr.setMarker(SeriesMarkers.SQUARE);
                float t = (float) l / (levels - 1);
                sr.setMarkerColor(new Color(Math.round(230 - 210 * t), Math.round(235 - 195 * t), Math.round(250 - 130 * t)));
            }
            if (shown != null) {
                XYSeries pts2 = chart.addSeries("data (" + shown.rows() + " rows)", shown.column(0), shown.column(1));
                pts2.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                pts2.setMarker(SeriesMarkers.CIRCLE);
                pts2.setMarkerColor(new Color(200, 60, 40));
            }
            Charts.save(chart, out);
        }
        spec.commandLine().getOut().printf("wrote %s: density of %s on [%s, %s]%s%s%n", out,
                String.join(" and ", saved.featureNames()), range[0][0], range[0][1],
                d == 2 ? " x [" + range[1][0] + ", " + range[1][1] + "]" : "",
                shown == null ? "" : ", with the " + shown.rows() + " rows of " + data);
        return 0;
    }

    /** The reliability diagram: observed frequency against mean predicted probability per bin, rows per bin beside. */
    private Integer plotReliability(SavedModel saved) {
        Model fitted = saved.model();
        if (!(fitted instanceof Classifier c && c.hasProbabilities())) {
            throw new UsageException("--calibration needs a classifier with probabilities (fit --model gpc, svc "
                    + "--probability, or --calibrate); " + model + " holds " + PredictCommand.describe(fitted));
        }
        if (data == null) {
            throw new Kernels4jException("--calibration needs labelled --data");
        }
        Dataset ds = ModelData.read(options.options, data, saved, true);
        ProbabilityMetrics pm = ProbabilityMetrics.of(c.classes(), ds.target().data(), c.probabilities(ds.features()), bins);
        ProbabilityMetrics.Reliability r = pm.reliability();
        java.util.List<Double> px = new java.util.ArrayList<>();
        java.util.List<Double> py = new java.util.ArrayList<>();
        double[] mids = new double[r.bins()];
        double[] counts = new double[r.bins()];
        var pw = spec.commandLine().getOut();
        String what = r.topLabel() ? "top-label confidence" : "P(class " + saved.label(c.classes()[1]) + ")";
        pw.printf("%-14s %8s %12s %12s%n", "bin", "rows", "predicted", "observed");
        for (int b = 0; b < r.bins(); b++) {
            mids[b] = r.lower()[b] + 0.5 / r.bins();
            counts[b] = r.counts()[b];
            pw.printf(Locale.ROOT, "[%.3f, %.3f%s %8d %12.4f %12.4f%n", r.lower()[b], r.lower()[b] + 1.0 / r.bins(),
                    b == r.bins() - 1 ? "]" : ")", r.counts()[b], r.predicted()[b], r.observed()[b]);
            if (r.counts()[b] > 0) {
                px.add(r.predicted()[b]);
                py.add(r.observed()[b]);
            }
        }
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChart(900, 640);
        chart.setTitle(title != null ? title : String.format(Locale.ROOT, "reliability (%s), ECE %.4f over %d bins",
                ModelCodecs.kindOf(fitted), pm.expectedCalibrationError(), bins));
        chart.setXAxisTitle("mean predicted " + what);
        chart.setYAxisTitle("observed frequency");
        chart.setYAxisGroupTitle(1, "rows per bin");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(1.0);
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMax(0, 1.0);
        chart.getStyler().setYAxisMin(1, 0.0);
        XYSeries bars = chart.addSeries("rows per bin", mids, counts);
        bars.setYAxisGroup(1);
        bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        bars.setMarker(SeriesMarkers.SQUARE);
        bars.setMarkerColor(new Color(190, 190, 190));
        XYSeries diag = chart.addSeries("perfectly calibrated", new double[] {0, 1}, new double[] {0, 1});
        diag.setMarker(SeriesMarkers.NONE);
        diag.setLineColor(Color.GRAY);
        diag.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        XYSeries rel = chart.addSeries("model", px.stream().mapToDouble(Double::doubleValue).toArray(),
                py.stream().mapToDouble(Double::doubleValue).toArray());
        rel.setMarker(SeriesMarkers.CIRCLE);
        rel.setLineColor(new Color(20, 60, 160));
        rel.setMarkerColor(new Color(20, 60, 160));
        rel.setLineStyle(new BasicStroke(2f));
        Charts.save(chart, out);
        pw.printf("wrote %s: reliability diagram of %s over %d bins, %d rows; ece: %s%n", out, what, bins, ds.rows(),
                pm.expectedCalibrationError());
        return 0;
    }
}
