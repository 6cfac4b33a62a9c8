package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Relation;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Scene;
import org.ldmlab.metrics.Adherence.Measure;

/** Attributes count per object in slot order, the count and "all right" per image. */
class AdherenceTest {
    private static final ObjectLabel RED_CIRCLE_TOP = new ObjectLabel(Shape.CIRCLE, Colour.RED, Size.SMALL, Position.TOP);
    private static final ObjectLabel BLUE_SQUARE_BOTTOM = new ObjectLabel(Shape.SQUARE, Colour.BLUE, Size.BIG, Position.BOTTOM);

    @Test
    void countsEachAttributePerObjectAndTheRestPerImage() {
        Adherence tally = new Adherence();
        // "below" names the bottom object first; the classifier reads slots top first: both objects right
        tally.add(Scene.pair(BLUE_SQUARE_BOTTOM, Relation.BELOW, RED_CIRCLE_TOP), List.of(RED_CIRCLE_TOP, BLUE_SQUARE_BOTTOM));
        // the colour bound to the wrong object: colours wrong on both, shapes right
        tally.add(Scene.pair(RED_CIRCLE_TOP, Relation.ABOVE, BLUE_SQUARE_BOTTOM), List.of(
                new ObjectLabel(Shape.CIRCLE, Colour.BLUE, Size.SMALL, Position.TOP),
                new ObjectLabel(Shape.SQUARE, Colour.RED, Size.BIG, Position.BOTTOM)));
        // one object seen of two: the missing one is wrong on everything
        tally.add(Scene.pair(RED_CIRCLE_TOP, Relation.ABOVE, BLUE_SQUARE_BOTTOM), List.of(RED_CIRCLE_TOP));
        assertEquals(3, tally.images());
        assertEquals(new Proportion(5, 6), tally.of(Measure.SHAPE));
        assertEquals(new Proportion(3, 6), tally.of(Measure.COLOUR));
        assertEquals(new Proportion(5, 6), tally.of(Measure.POSITION));
        assertEquals(new Proportion(2, 3), tally.of(Measure.COUNT));
        assertEquals(new Proportion(1, 3), tally.of(Measure.ALL_RIGHT));
    }
}
