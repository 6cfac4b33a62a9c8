package org.ldmlab.viz;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.ldmlab.io.Png;

/** XChart line and bar plots in one house style, as images (for notebooks) or PNG files (for figures/). */
public final class Plots {
    private static final java.text.DecimalFormat TICK = new java.text.DecimalFormat("#.###");

    private Plots() {}

    /** An empty line chart with titles; add series with {@link #line}. */
    public static XYChart lineChart(String title, String xTitle, String yTitle, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setPlotGridLinesVisible(true);
        return chart;
    }

    /**
     * Labels the x axis at multiples of {@code step} only. For evenly spaced x (t = 0..T-1), XChart puts
     * ticks on data points, taking every k-th point for the smallest k whose labels are unique and fit; blank
     * labels between the multiples make it settle on the multiples instead of a crowded row of numbers.
     */
    public static void xTicksEvery(XYChart chart, double step) {
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> Math.abs(x / step - Math.rint(x / step)) < 1e-9 ? TICK.format(x) : "");
    }

    /** Adds a line without markers. */
    public static void line(XYChart chart, String name, double[] x, double[] y) {
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }

    /** Adds a line through marked points (measurements at a few settings). */
    public static void markedLine(XYChart chart, String name, double[] x, double[] y) {
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
    }

    /**
     * A line through marked points, each labelled beside it (e.g. a trade-off curve with each point's setting),
     * with room around the points for the labels; the labels replace the legend. An empty label leaves its point bare.
     */
    public static void labelledCurve(XYChart chart, String name, double[] x, double[] y, List<String> labels) {
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
        double xMin = Arrays.stream(x).min().orElse(0);
        double xSpan = Arrays.stream(x).max().orElse(1) - xMin;
        double yMin = Arrays.stream(y).min().orElse(0);
        double ySpan = Arrays.stream(y).max().orElse(1) - yMin;
        XYStyler styler = chart.getStyler();
        styler.setLegendVisible(false);
        styler.setXAxisMin(xMin - 0.05 * xSpan);
        styler.setXAxisMax(xMin + 1.05 * xSpan);
        styler.setYAxisMin(yMin - 0.08 * ySpan);
        styler.setYAxisMax(yMin + 1.08 * ySpan);
        for (int i = 0; i < x.length; i++) {
            if (labels.get(i).isEmpty()) {
                continue; // XChart cannot lay out an empty text
            }
            boolean leftHalf = x[i] < xMin + xSpan / 2; // label on the side with more room
            chart.addAnnotation(new AnnotationText(labels.get(i), x[i] + (leftHalf ? 0.06 : -0.06) * xSpan, y[i], false));
        }
    }

    /** An empty bar chart with titles; add series with {@link #bars}. */
    public static CategoryChart barChart(String title, String xTitle, String yTitle, int width, int height) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(40);
        return chart;
    }

    /** Adds one bar per category. */
    public static void bars(CategoryChart chart, String name, List<String> categories, double[] values) {
        chart.addSeries(name, categories, Arrays.stream(values).boxed().toList());
    }

    public static BufferedImage image(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    public static void save(Chart<?, ?> chart, Path target) throws IOException {
        Png.write(image(chart), target);
    }
}
