package org.ldmlab.data;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws a scene: a plain dark canvas with each object painted in its flat colour. The scene fixes what
 * is drawn; {@code random} only supplies the small size and position jitter, so one caption can be
 * rendered many slightly different ways, and the same random stream always gives the same picture.
 */
public final class Renderer {
    /** Width and height of every image, in pixels. */
    public static final int SIZE = 32;
    /** The background colour, (24, 24, 32): dark, and darker than every object colour. */
    public static final int BACKGROUND_RGB = 0x181820;

    private Renderer() {}

    public static RenderedSample render(Scene scene, SplittableRandom random) {
        BufferedImage image = blankCanvas();
        // Objects never overlap (a pair sits in opposite halves, see Placement), so every pixel is painted
        // at most once and each mask is exactly the pixels of its object's colour.
        List<Mask> masks = new ArrayList<>();
        for (ObjectLabel object : scene.objects()) {
            Mask mask = Rasteriser.rasterise(object.shape(), Placement.place(object, SIZE, random), SIZE);
            paint(image, mask, object.colour().rgb());
            masks.add(mask);
        }
        return new RenderedSample(scene.caption(), scene, image, masks);
    }

    private static BufferedImage blankCanvas() {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                image.setRGB(x, y, BACKGROUND_RGB);
            }
        }
        return image;
    }

    private static void paint(BufferedImage image, Mask mask, int rgb) {
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                if (mask.get(x, y)) {
                    image.setRGB(x, y, rgb);
                }
            }
        }
    }
}
