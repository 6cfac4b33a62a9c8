package org.ldmlab.viz;

import java.awt.image.BufferedImage;
import java.util.Comparator;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.ldmlab.ldm.TrainingComparison.Point;

/**
 * The curves of a training comparison (the DiT paper's Figures 5, 8 and 9 in kind), one line per model: a measure
 * against training steps or against training compute, and the last evaluation's FID against Gflops per forward.
 */
public final class ComparisonFigures {
    /** What a curve plots: its axis title and how it reads a point. */
    public enum Measure {
        FID("FID (attribute-classifier features), lower is better"),
        SINGLE("single objects: every attribute right"),
        PAIR("pairs: every attribute right"),
        LOSS("loss on a fixed set of (z0, t, eps)");

        private final String title;

        Measure(String title) {
            this.title = title;
        }

        double of(Point p) {
            return switch (this) {
                case FID -> p.fid();
                case SINGLE -> p.single();
                case PAIR -> p.pair();
                case LOSS -> p.loss();
            };
        }
    }

    private static final int WIDTH = 620;
    private static final int HEIGHT = 400;

    private ComparisonFigures() {}

    /** {@code measure} against training steps, or (compute) against training Gflops = Gflops x batch x steps x 3, log scale. */
    public static BufferedImage curves(String title, List<Point> points, Measure measure, boolean compute) {
        XYChart chart = Plots.lineChart(title, compute ? "training compute (Gflops, log scale)" : "training steps", measure.title,
                WIDTH, HEIGHT);
        chart.getStyler().setXAxisLogarithmic(compute);
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        for (String model : models(points)) {
            List<Point> mine = points.stream().filter(p -> p.model().equals(model)).toList();
            double[] x = mine.stream().mapToDouble(p -> compute ? p.trainingGflops() : p.step()).toArray();
            double[] y = mine.stream().mapToDouble(measure::of).toArray();
            chart.addSeries(model, x, y);
        }
        return Plots.image(chart);
    }

    /**
     * Each model's last evaluation: FID against Gflops per forward pass (Figure 8 in kind). The DiTs (models named
     * "DiT-...") are one curve in order of Gflops, as the paper draws its sizes and patches; any other model (the UNet)
     * is a point of its own. Every point is labelled with its model.
     */
    public static BufferedImage fidAgainstGflops(String title, List<Point> points) {
        XYChart chart = Plots.lineChart(title, "Gflops per forward pass", Measure.FID.title, WIDTH, HEIGHT);
        List<Point> last = models(points).stream().map(m -> points.stream().filter(p -> p.model().equals(m))
                .max(Comparator.comparingLong(Point::step)).orElseThrow())
                .sorted(Comparator.comparingDouble(Point::gflops)).toList();
        List<Point> dits = last.stream().filter(p -> p.model().startsWith("DiT")).toList();
        Plots.labelledCurve(chart, "DiTs, by Gflops", dits.stream().mapToDouble(Point::gflops).toArray(),
                dits.stream().mapToDouble(Point::fid).toArray(), dits.stream().map(Point::model).toList());
        double span = last.get(last.size() - 1).gflops() - last.get(0).gflops();
        for (Point other : last.stream().filter(p -> !p.model().startsWith("DiT")).toList()) {
            chart.addSeries(other.model(), new double[] {other.gflops()}, new double[] {other.fid()})
                    .setMarker(SeriesMarkers.DIAMOND);
            chart.addAnnotation(new AnnotationText(other.model(), other.gflops() - 0.06 * span, other.fid(), false));
        }
        double fidMin = last.stream().mapToDouble(Point::fid).min().orElseThrow();
        double fidSpan = last.stream().mapToDouble(Point::fid).max().orElseThrow() - fidMin;
        chart.getStyler().setXAxisMin(last.get(0).gflops() - 0.12 * span); // room for every point and its label
        chart.getStyler().setXAxisMax(last.get(last.size() - 1).gflops() + 0.08 * span);
        chart.getStyler().setYAxisMin(fidMin - 0.08 * fidSpan);
        chart.getStyler().setYAxisMax(fidMin + 1.08 * fidSpan);
        return Plots.image(chart);
    }

    private static List<String> models(List<Point> points) {
        return points.stream().map(Point::model).distinct().toList();
    }
}
