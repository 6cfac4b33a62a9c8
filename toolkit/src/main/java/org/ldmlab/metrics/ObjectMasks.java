package org.ldmlab.metrics;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Renderer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pixels of each object in a generated image, found from the picture itself: the background is plain and the
 * caption names each object's colour, so a pixel belongs to the object whose colour it is nearest to (in RGB),
 * or to the background when that is nearer. Exact for rendered images; for generated ones, the objects as drawn.
 * The objects of a scored pair must differ in colour.
 */
public final class ObjectMasks {
    private ObjectMasks() {}

    /** One 0/1 mask [H, W] per colour, in the order given. */
    public static List<INDArray> fromColours(BufferedImage image, List<Colour> colours) {
        if (colours.stream().distinct().count() != colours.size()) {
            throw new IllegalArgumentException("objects found by colour must differ in colour, got " + colours);
        }
        int h = image.getHeight();
        int w = image.getWidth();
        List<float[]> masks = new ArrayList<>();
        colours.forEach(c -> masks.add(new float[h * w]));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int nearest = -1;
                double best = distance(rgb, Renderer.BACKGROUND_RGB);
                for (int c = 0; c < colours.size(); c++) {
                    double d = distance(rgb, colours.get(c).rgb());
                    if (d < best) {
                        best = d;
                        nearest = c;
                    }
                }
                if (nearest >= 0) {
                    masks.get(nearest)[y * w + x] = 1;
                }
            }
        }
        return masks.stream().map(m -> Nd4j.createFromArray(m).reshape(h, w).castTo(DataType.FLOAT)).toList();
    }

    private static double distance(int a, int b) {
        int dr = ((a >> 16) & 0xFF) - ((b >> 16) & 0xFF);
        int dg = ((a >> 8) & 0xFF) - ((b >> 8) & 0xFF);
        int db = (a & 0xFF) - (b & 0xFF);
        return dr * dr + dg * dg + db * db;
    }
}
