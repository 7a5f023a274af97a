package org.kernels4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.learn.GaussianProcess;
import org.kernels4j.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Plot a model of one input feature: the predictive mean, and for a Gaussian process the band "
                + "mean +/- 2 standard deviations, optionally with data points. Writes PNG or SVG (by --out's extension)."})
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
            + "inputs' range widened by 10%).")
    Double from;

    @Option(names = "--to", paramLabel = "X", description = "Right end of the input range.")
    Double to;

    @Option(names = "--points", defaultValue = "400", description = "Grid points (default: ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--title", paramLabel = "TEXT", description = "Chart title (default: the kernel spec).")
    String title;

    @Mixin
    DataOptionsMixin options;

    @Override
    public Integer call() {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean svg = name.endsWith(".svg");
        if (!svg && !name.endsWith(".png")) {
            throw new Kernels4jException("--out must end in .png or .svg, got " + out);
        }
        if (points < 2 || points > 100_000) {
            throw new Kernels4jException("--points must be between 2 and 100000, got " + points);
        }
        SavedModel saved = ModelFiles.load(model);
        if (saved.featureNames().size() != 1) {
            throw new Kernels4jException("plot draws models of one input feature; " + model + " has "
                    + saved.featureNames().size());
        }
        Matrix trainX = saved.model().trainingInputs();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : trainX.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double pad = 0.1 * Math.max(hi - lo, 1e-9);
        double a = from != null ? from : lo - pad;
        double b = to != null ? to : hi + pad;
        if (!(a < b) || !Double.isFinite(a) || !Double.isFinite(b)) {
            throw new Kernels4jException("the plot range must satisfy --from < --to, got " + a + " and " + b);
        }
        double[] grid = new double[points];
        for (int i = 0; i < points; i++) {
            grid[i] = a + (b - a) * i / (points - 1);
        }
        Matrix gx = Matrix.column(grid.clone());
        double[] mean = saved.model().predict(gx).column(0);
        String target = saved.targetName() == null ? "y" : saved.targetName();
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChart(900, 540);
        chart.setTitle(title != null ? title : saved.model().kernel().toSpec());
        chart.setXAxisTitle(saved.featureNames().get(0));
        chart.setYAxisTitle(target);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        if (saved.isGaussianProcess()) {
            double[] upper = new double[points];
            double[] lower = new double[points];
            try (GaussianProcess.Model gp = saved.gaussianProcess()) {
                double[] var = gp.variance(gx, 0);
                for (int i = 0; i < points; i++) {
                    double s = Math.sqrt(var[i]);
                    upper[i] = mean[i] + 2 * s;
                    lower[i] = mean[i] - 2 * s;
                }
            }
            for (String band : new String[] {"mean + 2 sd", "mean - 2 sd"}) {
                XYSeries s = chart.addSeries(band, grid, band.contains("+") ? upper : lower);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineColor(new Color(120, 150, 220));
                s.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            }
        }
        XYSeries m = chart.addSeries("mean", grid, mean);
        m.setMarker(SeriesMarkers.NONE);
        m.setLineColor(new Color(20, 60, 160));
        m.setLineStyle(new BasicStroke(2f));
        int drawn = 0;
        if (data != null) {
            Dataset ds = ModelData.read(options.options, data, saved, false);
            double[] px = ds.features().column(0);
            if (ds.hasTarget()) {
                XYSeries s = chart.addSeries("data", px, ds.target().column(0));
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(new Color(200, 60, 40));
                drawn = px.length;
            }
        }
        AtomicFiles.write(out, stream -> {
            if (svg) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, stream, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                BitmapEncoder.saveBitmap(chart, stream, BitmapEncoder.BitmapFormat.PNG);
            }
        });
        spec.commandLine().getOut().printf("wrote %s: %s on [%s, %s]%s%s%n", out,
                saved.isGaussianProcess() ? "mean +/- 2 sd" : "mean", a, b, drawn > 0 ? ", " + drawn + " data points" : "",
                saved.isGaussianProcess() ? "" : " (a '" + saved.kind() + "' model has no standard deviation)");
        return 0;
    }
}
