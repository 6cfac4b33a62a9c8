package org.ldmlab.data;

import org.ldmlab.data.Attributes.Shape;

/**
 * Turns a shape in a box into pixels, without anti-aliasing: a pixel belongs to the shape when its
 * centre (x + 0.5, y + 0.5) lies inside. Edges are hard and every pixel is either in or out, so the mask
 * is exactly the set of painted pixels. All coordinates are multiples of 0.25, so the arithmetic is exact
 * in floating point and the result is the same on every machine.
 */
final class Rasteriser {
    private Rasteriser() {}

    static Mask rasterise(Shape shape, Box box, int canvas) {
        boolean[] inside = new boolean[canvas * canvas];
        for (int y = box.top(); y < box.bottom(); y++) {
            for (int x = box.left(); x < box.right(); x++) {
                inside[y * canvas + x] = covers(shape, box, x + 0.5, y + 0.5);
            }
        }
        return new Mask(canvas, canvas, inside);
    }

    /** Whether the shape drawn in {@code box} covers the point (x, y). Every shape fits inside its box. */
    static boolean covers(Shape shape, Box box, double x, double y) {
        return switch (shape) {
            case SQUARE -> box.contains(x, y);
            case CIRCLE -> inCircle(box, x, y);
            case TRIANGLE -> inTriangle(box, x, y);
        };
    }

    /** The circle inscribed in the box: within one radius of its centre. */
    private static boolean inCircle(Box box, double x, double y) {
        double radius = box.width() / 2.0;
        double dx = x - box.centreX();
        double dy = y - box.centreY();
        return dx * dx + dy * dy <= radius * radius;
    }

    /**
     * An upward isosceles triangle: apex at the middle of the box's top edge, base along its bottom edge.
     * It is the intersection of three half-planes: above the base, and inside each slanted side. The
     * sides widen steadily from the apex down, so the base is as wide as the box (in the square boxes the
     * renderer uses: half a pixel on each side per row).
     */
    private static boolean inTriangle(Box box, double x, double y) {
        double halfWidthAtY = (y - box.top()) * (box.width() / 2.0) / box.height();
        boolean aboveBase = y < box.bottom();
        boolean insideLeftSide = box.centreX() - x <= halfWidthAtY;
        boolean insideRightSide = x - box.centreX() <= halfWidthAtY;
        return aboveBase && insideLeftSide && insideRightSide;
    }
}
