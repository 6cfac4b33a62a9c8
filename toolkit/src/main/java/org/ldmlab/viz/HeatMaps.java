package org.ldmlab.viz;

import java.awt.image.BufferedImage;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Attention maps drawn over the image they belong to: each pixel's map value in [0, 1] coloured by a perceptually
 * ordered dark-blue-to-yellow scale (close to matplotlib's viridis, by five anchor colours) and mixed with the
 * image in grey, so the shapes stay visible under the heat and their colours do not pass for heat.
 */
public final class HeatMaps {
    /** viridis at 0, 0.25, 0.5, 0.75 and 1 (van der Walt and Smith's colour map; the anchor values only). */
    private static final int[][] ANCHORS = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    /** The heat's share of each output pixel. */
    private static final double HEAT = 0.6;

    private HeatMaps() {}

    /** {@code map} [H, W] in [0, 1] over {@code image} (H x W): a new picture of the same size. */
    public static BufferedImage overlay(BufferedImage image, INDArray map) {
        int h = image.getHeight();
        int w = image.getWidth();
        if (map.rank() != 2 || map.size(0) != h || map.size(1) != w) {
            throw new IllegalArgumentException("a " + w + "x" + h + " image needs a [" + h + ", " + w + "] map, got "
                    + java.util.Arrays.toString(map.shape()));
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int grey = (int) Math.round(0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF));
                int heat = colour(map.getDouble(y, x));
                int r = mix(grey, (heat >> 16) & 0xFF);
                int g = mix(grey, (heat >> 8) & 0xFF);
                int b = mix(grey, heat & 0xFF);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    /** The colour of value v (clamped to [0, 1]) as packed 0xRRGGBB. */
    public static int colour(double v) {
        double t = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v)) * (ANCHORS.length - 1);
        int i = Math.min(ANCHORS.length - 2, (int) t);
        double f = t - i;
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
            rgb = (rgb << 8) | (int) Math.round(ANCHORS[i][c] + f * (ANCHORS[i + 1][c] - ANCHORS[i][c]));
        }
        return rgb;
    }

    private static int mix(int image, int heat) {
        return (int) Math.round((1 - HEAT) * image + HEAT * heat);
    }
}
