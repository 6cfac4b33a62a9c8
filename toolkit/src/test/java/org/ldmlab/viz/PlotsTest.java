package org.ldmlab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class PlotsTest {
    @Test
    void aLabelledCurveLeavesRoomForItsLabelsAndDrawsThem() {
        XYChart chart = Plots.lineChart("t", "x", "y", 320, 200);
        Plots.labelledCurve(chart, "curve", new double[] {0.5, 0.9, 1.0}, new double[] {12, 10, 16}, List.of("a", "b", "c"));
        assertEquals(0.5 - 0.025, chart.getStyler().getXAxisMin(), 1e-12);
        assertEquals(1.0 + 0.025, chart.getStyler().getXAxisMax(), 1e-12);
        assertEquals(10 - 0.48, chart.getStyler().getYAxisMin(), 1e-12);
        assertEquals(16 + 0.48, chart.getStyler().getYAxisMax(), 1e-12);
        assertFalse(chart.getStyler().isLegendVisible(), "the labels name the points");

        BufferedImage withLabels = Plots.image(chart);
        XYChart bare = Plots.lineChart("t", "x", "y", 320, 200);
        Plots.labelledCurve(bare, "curve", new double[] {0.5, 0.9, 1.0}, new double[] {12, 10, 16}, List.of("", "", ""));
        BufferedImage withoutLabels = Plots.image(bare);
        assertTrue(differingPixels(withLabels, withoutLabels) > 20, "the labels are drawn");
    }

    private static int differingPixels(BufferedImage a, BufferedImage b) {
        int n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                n += a.getRGB(x, y) != b.getRGB(x, y) ? 1 : 0;
            }
        }
        return n;
    }
}
