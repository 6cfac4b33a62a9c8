package org.ldmlab.viz;

import java.awt.image.BufferedImage;
import java.util.List;
import org.knowm.xchart.XYChart;
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
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        for (String model : models(points)) {
            List<Point> mine = points.stream().filter(p -> p.model().equals(model)).toList();
            double[] x = mine.stream().mapToDouble(p -> compute ? p.trainingGflops() : p.step()).toArray();
            double[] y = mine.stream().mapToDouble(measure::of).toArray();
            chart.addSeries(model, x, y);
        }
        return Plots.image(chart);
    }

    /** Each model's last evaluation: FID against Gflops per forward pass (log scale), labelled with the model and joined in order of Gflops (Figure 8 in kind). */
    public static BufferedImage fidAgainstGflops(String title, List<Point> points) {
        List<String> models = models(points).stream().sorted(java.util.Comparator.comparingDouble(
                m -> points.stream().filter(p -> p.model().equals(m)).findFirst().orElseThrow().gflops())).toList();
        double[] x = new double[models.size()];
        double[] y = new double[models.size()];
        for (int i = 0; i < models.size(); i++) {
            String m = models.get(i);
            Point last = points.stream().filter(p -> p.model().equals(m)).max(java.util.Comparator.comparingLong(Point::step)).orElseThrow();
            x[i] = last.gflops();
            y[i] = last.fid();
        }
        XYChart chart = Plots.lineChart(title, "Gflops per forward pass", Measure.FID.title, WIDTH, HEIGHT);
        Plots.labelledCurve(chart, "models, by Gflops", x, y, models);
        return Plots.image(chart);
    }

    private static List<String> models(List<Point> points) {
        return points.stream().map(Point::model).distinct().toList();
    }
}
