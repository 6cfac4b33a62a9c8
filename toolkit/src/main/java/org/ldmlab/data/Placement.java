package org.ldmlab.data;

import java.util.SplittableRandom;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Size;

/**
 * Where an object goes and how big it is drawn. Each position owns a region of the canvas (left = the
 * left half, top = the top half, centre = all of it); the object's square box is centred in its region,
 * nudged by a little jitter so the model cannot memorise pixel coordinates, and clamped so it stays
 * inside the region. Because the two objects of a pair sit in opposite halves, they can never overlap.
 */
final class Placement {
    /** How far (in pixels) an object may move from the middle of its region. */
    static final int POSITION_JITTER = 2;

    private Placement() {}

    static Box place(ObjectLabel object, int canvas, SplittableRandom random) {
        int span = object.size().span() + jitter(Size.JITTER, random);
        Box region = region(object.position(), canvas);
        int left = clamp(region.left() + (region.width() - span) / 2 + jitter(POSITION_JITTER, random),
                region.left(), region.right() - span);
        int top = clamp(region.top() + (region.height() - span) / 2 + jitter(POSITION_JITTER, random),
                region.top(), region.bottom() - span);
        return new Box(left, top, span, span);
    }

    static Box region(Position position, int canvas) {
        int half = canvas / 2;
        return switch (position) {
            case LEFT -> new Box(0, 0, half, canvas);
            case RIGHT -> new Box(half, 0, canvas - half, canvas);
            case TOP -> new Box(0, 0, canvas, half);
            case BOTTOM -> new Box(0, half, canvas, canvas - half);
            case CENTRE -> new Box(0, 0, canvas, canvas);
        };
    }

    /** A whole number in [-amount, amount], each equally likely. */
    private static int jitter(int amount, SplittableRandom random) {
        return random.nextInt(-amount, amount + 1);
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
