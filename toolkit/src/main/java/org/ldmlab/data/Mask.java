package org.ldmlab.data;

import java.awt.image.BufferedImage;

/**
 * The ground-truth pixels of one object: true where the renderer painted that object. Attention maps
 * and edits are scored against it. Immutable.
 */
public final class Mask {
    private static final int ON = 0xFFFFFF;
    private static final int OFF = 0x000000;

    private final int width;
    private final int height;
    private final boolean[] pixels;

    /** {@code pixels} is row-major: pixel (x, y) is {@code pixels[y * width + x]}. */
    Mask(int width, int height, boolean[] pixels) {
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " mask needs " + width * height
                    + " pixels, got " + pixels.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels.clone();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public boolean get(int x, int y) {
        return pixels[y * width + x];
    }

    /** How many pixels the object covers. */
    public int area() {
        int area = 0;
        for (boolean p : pixels) {
            area += p ? 1 : 0;
        }
        return area;
    }

    /** The mean x of the covered pixels' centres, in pixels from the left edge; NaN for an empty mask. */
    public double centroidX() {
        double sum = 0;
        for (int i = 0; i < pixels.length; i++) {
            sum += pixels[i] ? i % width + 0.5 : 0;
        }
        return sum / area();
    }

    /** The mean y of the covered pixels' centres, in pixels from the top edge; NaN for an empty mask. */
    public double centroidY() {
        double sum = 0;
        for (int i = 0; i < pixels.length; i++) {
            sum += pixels[i] ? i / width + 0.5 : 0;
        }
        return sum / area();
    }

    /** A grayscale image: white (255) where the object is, black (0) elsewhere. */
    public BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, get(x, y) ? ON : OFF);
            }
        }
        return image;
    }
}
