package org.ldmlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Relation;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;

class CaptionGrammarTest {
    /** The vocabulary as the dataset spec (datasets/README.md) lists it, written out independently of the code. */
    private static final Set<String> SPEC_WORDS = Set.of("a", "small", "big", "red", "green", "blue", "yellow",
            "circle", "square", "triangle", "on", "at", "in", "the", "left", "right", "top", "bottom", "centre",
            "above", "below", "to", "of");

    @Test
    void captionsReadAsTheSpecSays() {
        ObjectLabel redCircle = new ObjectLabel(Shape.CIRCLE, Colour.RED, Size.BIG, Position.LEFT);
        assertEquals("a big red circle on the left", Scene.single(redCircle).caption());
        Scene pair = Scene.pair(new ObjectLabel(Shape.CIRCLE, Colour.RED, Size.SMALL, Position.TOP), Relation.ABOVE,
                new ObjectLabel(Shape.SQUARE, Colour.BLUE, Size.BIG, Position.BOTTOM));
        assertEquals("a small red circle above a big blue square", pair.caption());
        Scene leftOf = Scene.pair(new ObjectLabel(Shape.TRIANGLE, Colour.GREEN, Size.BIG, Position.LEFT),
                Relation.LEFT_OF, new ObjectLabel(Shape.CIRCLE, Colour.YELLOW, Size.SMALL, Position.RIGHT));
        assertEquals("a big green triangle to the left of a small yellow circle", leftOf.caption());
    }

    @Test
    void everySceneSurvivesCaptionAndParse() {
        List<Scene> scenes = AllScenes.list();
        assertEquals(3 * 4 * 2 * 5 + 4 * (24 * 24 - 24 * 2), scenes.size());
        for (Scene scene : scenes) {
            assertEquals(scene, CaptionGrammar.parse(scene.caption()), scene.caption());
        }
    }

    @Test
    void captionsUseOnlyTheSpecVocabulary() {
        for (Scene scene : AllScenes.list()) {
            for (String word : scene.caption().split(" ")) {
                assertTrue(SPEC_WORDS.contains(word), () -> "'" + word + "' in " + scene.caption());
            }
        }
        assertEquals(SPEC_WORDS, CaptionGrammar.vocabulary());
    }

    @Test
    void forgivesCaseAndSpacing() {
        assertEquals(CaptionGrammar.parse("a big red circle on the left"),
                CaptionGrammar.parse("  A Big RED circle   on the left "));
    }

    @Test
    void unknownWordIsNamedWithTheNearestKnownWords() {
        String message = assertThrows(InvalidInputException.class,
                () -> CaptionGrammar.parse("a big red circel on the left")).getMessage();
        assertTrue(message.startsWith("unknown word 'circel' in \"a big red circel on the left\"; did you mean: circle?"),
                message);
        assertTrue(message.contains("Known words: a, above, at, below, big"), message);
        String center = assertThrows(InvalidInputException.class,
                () -> CaptionGrammar.parse("a big red circle in the center")).getMessage();
        assertTrue(center.contains("'center'") && center.contains("did you mean: centre?"), center);
    }

    @Test
    void malformedCaptionsSayWhatTheGrammarExpects() {
        assertMalformed("a red circle on the left", "expected a size (small, big) after 'a', found 'red'");
        assertMalformed("big red circle on the left", "expected 'a' at the start, found 'big'");
        assertMalformed("a big red circle", "expected where the object is (on the left, on the right, at the top, "
                + "at the bottom, in the centre) or a relation to a second object (above, below, to the left of, "
                + "to the right of) after 'circle', found the end of the caption");
        assertMalformed("a big red circle on the left a", "expected the end of the caption after 'left', found 'a'");
        assertMalformed("a big red circle above a big blue", "expected a shape (circle, square, triangle)");
        assertMalformed("a big red circle on the top", "found 'on'");
        assertMalformed("", "expected 'a' at the start, found the end of the caption");
        String start = assertThrows(InvalidInputException.class, () -> CaptionGrammar.parse("big red circle on the left")).getMessage();
        assertTrue(start.endsWith("found 'big'; captions read \"a <size> <colour> <shape> <position>\" or "
                + "\"a <size> <colour> <shape> <relation> a <size> <colour> <shape>\""), "where no words are listed, the forms: " + start);
    }

    @Test
    void twoIdenticalObjectsAreRejected() {
        String message = assertThrows(InvalidInputException.class,
                () -> CaptionGrammar.parse("a big red circle above a small red circle")).getMessage();
        assertTrue(message.contains("must differ in colour or shape"), message);
    }

    @Test
    void editDistanceCountsSingleLetterEdits() {
        assertEquals(0, EditDistance.between("circle", "circle"));
        assertEquals(2, EditDistance.between("circel", "circle"));
        assertEquals(1, EditDistance.between("squre", "square"));
        assertEquals(3, EditDistance.between("", "red"));
        assertEquals(3, EditDistance.between("kitten", "sitting"));
    }

    @Test
    void nearestWordsAreTheClosestInTheGivenOrder() {
        assertEquals(List.of("circle"), EditDistance.nearest("circel", CaptionGrammar.vocabulary(), 3));
        // "bed" is 1 from "red" (2 from "big"); "tp" is 1 from both "to" and "top", listed alphabetically
        assertEquals(List.of("red"), EditDistance.nearest("bed", CaptionGrammar.vocabulary(), 3));
        assertEquals(List.of("to", "top"), EditDistance.nearest("tp", CaptionGrammar.vocabulary(), 3));
        assertEquals(List.of("to"), EditDistance.nearest("tp", CaptionGrammar.vocabulary(), 1));
        assertEquals(List.of(), EditDistance.nearest("red", List.of(), 3));
    }

    @Test
    void aCaptionLongerThanAnyCaptionIsRefusedInAFewWords() {
        // a 2,100-word caption gave a 402-character "one-line" reason: its start, then the whole grammar with examples
        String caption = String.join(" ", java.util.Collections.nCopies(350, "a big red circle on the left"));
        String message = assertThrows(InvalidInputException.class, () -> CaptionGrammar.parse(caption)).getMessage();
        assertTrue(message.startsWith("a caption has at most 12 words; \"a big red circle on the left a big")
                && message.endsWith("... (10149 characters)\" has 2450"), message);
    }

    private static void assertMalformed(String caption, String expected) {
        String message = assertThrows(InvalidInputException.class, () -> CaptionGrammar.parse(caption)).getMessage();
        assertTrue(message.contains(expected), message);
        assertTrue(message.length() <= 260, "one short line: " + message);
    }
}
