package org.ldmlab.metrics;

import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Size;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Renderer;
import org.ldmlab.data.Scene;

/**
 * Reads colour, size and position of the single object in a generated 32x32 image from its pixels: each pixel
 * goes to the nearest colour of the dataset's palette (or the background); the object's colour is the majority
 * vote, its position the region centre nearest to the centre of its bounding box (as the renderer places
 * objects by their box), its size small or big by area. A stand-in until the evaluation uses the
 * {@link AttributeClassifier} (which also reads shape, and two-object scenes); it assumes one object.
 */
public final class PixelAttributes {
    private static final Map<Position, double[]> CENTRES = new EnumMap<>(Map.of(
            Position.LEFT, new double[] {8, 16}, Position.RIGHT, new double[] {24, 16},
            Position.TOP, new double[] {16, 8}, Position.BOTTOM, new double[] {16, 24},
            Position.CENTRE, new double[] {16, 16}));

    private PixelAttributes() {}

    /** What the pixels show; any attribute is null when no object pixel was found. */
    public record Reading(Colour colour, Size size, Position position) {}

    /** @param expected the caption's object: its shape sets the area that separates small from big */
    public static Reading read(BufferedImage image, ObjectLabel expected) {
        Colour[] pixels = new Colour[image.getWidth() * image.getHeight()];
        int[] votes = new int[Colour.values().length];
        int area = 0;
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = nearestColour(image.getRGB(i % image.getWidth(), i / image.getWidth()) & 0xFFFFFF);
            if (pixels[i] != null) {
                votes[pixels[i].ordinal()]++;
                area++;
            }
        }
        if (area == 0) {
            return new Reading(null, null, null);
        }
        int best = 0;
        for (int i = 1; i < votes.length; i++) {
            best = votes[i] > votes[best] ? i : best;
        }
        Colour colour = Colour.values()[best];
        Size size = area > sizeThreshold(expected) ? Size.BIG : Size.SMALL;
        return new Reading(colour, size, boxPosition(pixels, colour, image.getWidth()));
    }

    /** The position whose region centre is nearest to the centre of the box around the pixels of {@code colour}. */
    private static Position boxPosition(Colour[] pixels, Colour colour, int width) {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = -1;
        int maxY = -1;
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] == colour) {
                minX = Math.min(minX, i % width);
                maxX = Math.max(maxX, i % width);
                minY = Math.min(minY, i / width);
                maxY = Math.max(maxY, i / width);
            }
        }
        return nearestPosition((minX + maxX + 1) / 2.0, (minY + maxY + 1) / 2.0);
    }

    /** The palette colour nearest to {@code rgb}, or null when the background is nearer. */
    private static Colour nearestColour(int rgb) {
        Colour best = null;
        double bestDistance = distance(rgb, Renderer.BACKGROUND_RGB);
        for (Colour c : Colour.values()) {
            double d = distance(rgb, c.rgb());
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    private static double distance(int a, int b) {
        int dr = ((a >> 16) & 255) - ((b >> 16) & 255);
        int dg = ((a >> 8) & 255) - ((b >> 8) & 255);
        int db = (a & 255) - (b & 255);
        return dr * dr + dg * dg + db * db;
    }

    private static Position nearestPosition(double x, double y) {
        Position best = Position.CENTRE;
        double bestDistance = Double.MAX_VALUE;
        for (var e : CENTRES.entrySet()) {
            double d = Math.hypot(x - e.getValue()[0], y - e.getValue()[1]);
            if (d < bestDistance) {
                best = e.getKey();
                bestDistance = d;
            }
        }
        return best;
    }

    /** Halfway between the areas the renderer gives this shape when small and when big. */
    private static double sizeThreshold(ObjectLabel o) {
        return (area(new ObjectLabel(o.shape(), o.colour(), Size.SMALL, Position.CENTRE))
                + area(new ObjectLabel(o.shape(), o.colour(), Size.BIG, Position.CENTRE))) / 2.0;
    }

    private static int area(ObjectLabel o) {
        return Renderer.render(Scene.single(o), new SplittableRandom(0)).masks().get(0).area();
    }
}
