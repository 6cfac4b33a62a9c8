package org.ldmlab.viz;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.ldmlab.ldm.InversionBenchmark.Method;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * The round-trip error of inversion ({@link org.ldmlab.ldm.InversionBenchmark}'s table) as line charts: PSNR of the
 * reconstruction against the guidance scale at one step count, and against the step count at one guidance scale, one
 * line per method. At s = 1 the methods are one, measured as DDIM inverted at s = 1: every line starts there.
 */
public final class InversionFigures {
    private InversionFigures() {}

    /** PSNR against the guidance scale, at {@code steps}. */
    public static XYChart againstGuidance(Table table, int steps) {
        XYChart chart = chart("Round trip vs guidance, " + steps + " DDIM steps", "guidance scale s");
        for (Method m : Method.values()) {
            List<double[]> points = new ArrayList<>();
            for (Row r : table) {
                if (r.getInt("steps") == steps && (label(r).equals(m.label()) || (r.getDouble("guidance") == 1 && !m.measuredAt(1)
                        && label(r).equals(Method.DDIM_AT_ONE.label())))) {
                    points.add(new double[] {r.getDouble("guidance"), r.getDouble("psnr")});
                }
            }
            add(chart, m.label(), points);
        }
        return chart;
    }

    /** PSNR against the number of steps, at guidance {@code s}. */
    public static XYChart againstSteps(Table table, double s) {
        XYChart chart = chart("Round trip vs steps, s = " + (s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s)), "DDIM steps");
        for (Method m : Method.values()) {
            List<double[]> points = new ArrayList<>();
            for (Row r : table) {
                if (r.getDouble("guidance") == s && label(r).equals(m.label())) {
                    points.add(new double[] {r.getInt("steps"), r.getDouble("psnr")});
                }
            }
            add(chart, m.label(), points);
        }
        return chart;
    }

    /** A chart with the legend below the plot, where no line runs. */
    private static XYChart chart(String title, String xTitle) {
        XYChart chart = Plots.lineChart(title, xTitle, "PSNR of the reconstruction (dB)", 640, 440);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        return chart;
    }

    private static String label(Row r) {
        return r.getString("method");
    }

    private static void add(XYChart chart, String name, List<double[]> points) {
        if (points.isEmpty()) {
            return;
        }
        points.sort((a, b) -> Double.compare(a[0], b[0]));
        Plots.markedLine(chart, name, points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
    }
}
