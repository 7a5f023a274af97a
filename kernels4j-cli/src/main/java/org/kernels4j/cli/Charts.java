package org.kernels4j.cli;

import java.awt.Color;
import java.nio.file.Path;
import java.util.Locale;
import org.kernels4j.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

/** The plots' common parts: a log-log chart, and writing a chart atomically as PNG or SVG by the file's extension. */
final class Charts {
    private Charts() {
    }

    /** A 900×600 chart with white background, grid lines and both axes logarithmic, labelled between decades too. */
    static XYChart logLog(String title, String xTitle, String yTitle) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChart(900, 600);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        // labels between the decades too: a curve spanning less than one decade would otherwise get one or two labels
        chart.getStyler().setXAxisLogarithmicDecadeOnly(false);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
        return chart;
    }

    /** Writes the chart to {@code file} (temporary file, then rename): SVG when the name ends in .svg, else PNG. */
    static void save(Chart<?, ?> chart, Path file) {
        boolean svg = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg");
        AtomicFiles.write(file, stream -> {
            if (svg) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, stream, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                BitmapEncoder.saveBitmap(chart, stream, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }

    /** Checks a --plot path before any work: .png or .svg, writable. */
    static void checkPlot(Path plot, Path... inputs) {
        if (plot == null) {
            return;
        }
        String name = plot.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".png") && !name.endsWith(".svg")) {
            throw new UsageException("--plot must end in .png or .svg, got " + plot);
        }
        AtomicFiles.checkWritable(plot, inputs);
    }
}
