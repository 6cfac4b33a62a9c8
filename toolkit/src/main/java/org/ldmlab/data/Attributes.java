package org.ldmlab.data;

import java.util.Locale;

/**
 * The vocabulary of the shapes dataset, defined once: every attribute an object can have and the
 * caption words that name it.
 */
public final class Attributes {
    private Attributes() {}

    /**
     * One attribute value. Its {@code label} is one word, used in the manifest and by classifiers; its
     * {@code words} are how a caption says it, which may be a phrase such as "on the left".
     */
    public interface Attribute {
        /** The enum constant's name; every attribute is an enum. */
        String name();

        default String label() {
            // Locale.ROOT: in a Turkish locale "TRIANGLE".toLowerCase() would give "trıangle".
            return name().toLowerCase(Locale.ROOT);
        }

        default String words() {
            return label();
        }
    }

    public enum Shape implements Attribute {
        CIRCLE, SQUARE, TRIANGLE
    }

    /** Colours far apart in RGB, so a classifier (or a student's eye) never confuses two of them. */
    public enum Colour implements Attribute {
        RED(230, 40, 40), GREEN(40, 200, 60), BLUE(50, 90, 240), YELLOW(240, 220, 40);

        private final int rgb;

        Colour(int red, int green, int blue) {
            this.rgb = (red << 16) | (green << 8) | blue;
        }

        /** Packed 0xRRGGBB, as {@link java.awt.image.BufferedImage#setRGB} takes it. */
        public int rgb() {
            return rgb;
        }
    }

    /**
     * How many pixels across an object is. The renderer jitters the span by at most one pixel, which
     * keeps the sizes apart (small 7-9 px, big 12-14 px), so "small" and "big" never mean the same size.
     */
    public enum Size implements Attribute {
        SMALL(8), BIG(13);

        public static final int JITTER = 1;

        private final int span;

        Size(int span) {
            this.span = span;
        }

        public int span() {
            return span;
        }
    }

    /** Where an object sits on the canvas. A single object's caption says it; in a pair the relation implies it. */
    public enum Position implements Attribute {
        LEFT("on the left"), RIGHT("on the right"), TOP("at the top"), BOTTOM("at the bottom"), CENTRE("in the centre");

        private final String words;

        Position(String words) {
            this.words = words;
        }

        @Override
        public String words() {
            return words;
        }
    }

    /** How the first object of a pair sits relative to the second; it fixes both objects' positions. */
    public enum Relation implements Attribute {
        ABOVE("above", Position.TOP, Position.BOTTOM),
        BELOW("below", Position.BOTTOM, Position.TOP),
        LEFT_OF("to the left of", Position.LEFT, Position.RIGHT),
        RIGHT_OF("to the right of", Position.RIGHT, Position.LEFT);

        private final String words;
        private final Position first;
        private final Position second;

        Relation(String words, Position first, Position second) {
            this.words = words;
            this.first = first;
            this.second = second;
        }

        @Override
        public String words() {
            return words;
        }

        /** The position of the object named before the relation ("a red circle" in "a red circle above ..."). */
        public Position first() {
            return first;
        }

        /** The position of the object named after the relation. */
        public Position second() {
            return second;
        }
    }
}
