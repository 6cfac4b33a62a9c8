package org.ldmlab.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Relation;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Renderer;
import org.ldmlab.data.Scene;
import org.ldmlab.ldm.Models;
import org.ldmlab.metrics.AttributeClassifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Edit scores of rendered images: a perfect edit renders the target scene with the source's placement. */
class EditScoreTest {
    private static final ObjectLabel RED_CIRCLE = new ObjectLabel(Shape.CIRCLE, Colour.RED, Size.BIG, Position.LEFT);
    private static final ObjectLabel BLUE_SQUARE = new ObjectLabel(Shape.SQUARE, Colour.BLUE, Size.SMALL, Position.RIGHT);
    private static AttributeClassifier classifier;

    @BeforeAll
    static void load() {
        classifier = Models.loadClassifier(Models.shipped(Models.CLASSIFIER));
    }

    /** The scene rendered with the placement of {@code seed}: [3, 32, 32] in [-1, 1]. */
    private static INDArray render(Scene scene, long seed) {
        return ImageTensors.toTensor(List.of(Renderer.render(scene, new SplittableRandom(seed)).image())).get(
                org.nd4j.linalg.indexing.NDArrayIndex.point(0));
    }

    private static EditScore score(EditPair pair, INDArray source, INDArray edited) {
        return EditScore.of(pair, source, edited, classifier.predict(edited.reshape(1, 3, Renderer.SIZE, Renderer.SIZE)).get(0));
    }

    private static EditPair edit(EditKind kind, ObjectLabel edited) {
        return new EditPair(kind, Scene.single(RED_CIRCLE), Scene.single(edited), 0);
    }

    @Test
    void aPerfectColourSwapKeepsTheStructureAndTheRestExactly() {
        EditPair pair = edit(EditKind.COLOUR, new ObjectLabel(Shape.CIRCLE, Colour.GREEN, Size.BIG, Position.LEFT));
        EditScore s = score(pair, render(pair.source(), 5), render(pair.target(), 5));
        assertEquals(1.0, s.structureIou());
        assertTrue(s.success());
        assertEquals(Double.POSITIVE_INFINITY, s.psnrRest());
    }

    @Test
    void anUneditedImageFailsTheEditAndShowsNoObjectOfTheNewColour() {
        EditPair pair = edit(EditKind.COLOUR, new ObjectLabel(Shape.CIRCLE, Colour.GREEN, Size.BIG, Position.LEFT));
        INDArray source = render(pair.source(), 5);
        EditScore s = score(pair, source, source);
        assertFalse(s.success());
        assertEquals(0.0, s.structureIou());
    }

    @Test
    void perfectShapeSizeAndPositionSwapsSucceedAndKeepTheRestWhileTheStructureMovesAsTheyMust() {
        ObjectLabel square = new ObjectLabel(Shape.SQUARE, Colour.RED, Size.BIG, Position.LEFT);
        ObjectLabel small = new ObjectLabel(Shape.CIRCLE, Colour.RED, Size.SMALL, Position.LEFT);
        ObjectLabel right = new ObjectLabel(Shape.CIRCLE, Colour.RED, Size.BIG, Position.RIGHT);
        EditScore shape = score(edit(EditKind.SHAPE, square), render(Scene.single(RED_CIRCLE), 5), render(Scene.single(square), 5));
        EditScore size = score(edit(EditKind.SIZE, small), render(Scene.single(RED_CIRCLE), 5), render(Scene.single(small), 5));
        EditScore position = score(edit(EditKind.POSITION, right), render(Scene.single(RED_CIRCLE), 5), render(Scene.single(right), 5));
        for (EditScore s : List.of(shape, size, position)) {
            assertTrue(s.success(), s.toString());
            assertEquals(Double.POSITIVE_INFINITY, s.psnrRest(), s.toString());
        }
        assertTrue(shape.structureIou() > 0.5 && shape.structureIou() < 1, shape.toString());  // a circle in its square
        assertTrue(size.structureIou() > 0.2 && size.structureIou() < 0.6, size.toString());  // a small circle inside the big one
        assertEquals(0.0, position.structureIou());                                               // moved to the other half
    }

    @Test
    void inAPairTheRestIsTheOtherObject() {
        Scene source = Scene.pair(RED_CIRCLE, Relation.LEFT_OF, BLUE_SQUARE);
        Scene target = Scene.pair(new ObjectLabel(Shape.CIRCLE, Colour.YELLOW, Size.BIG, Position.LEFT), Relation.LEFT_OF, BLUE_SQUARE);
        EditPair pair = new EditPair(EditKind.PAIR, source, target, 0);
        EditScore perfect = score(pair, render(source, 9), render(target, 9));
        assertEquals(1.0, perfect.structureIou());
        assertTrue(perfect.success());
        assertEquals(Double.POSITIVE_INFINITY, perfect.psnrRest());
        // the other object drawn elsewhere (another placement): the rest is no longer preserved
        EditScore moved = score(pair, render(source, 9), render(target, 10));
        assertTrue(moved.psnrRest() < 20, moved.toString());
    }
}
