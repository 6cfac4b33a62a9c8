package org.ldmlab.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.CaptionGrammar;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.text.Tokenizer;

/** The caption pairs of the edit benchmark. */
class EditPairTest {
    private static final int PER_KIND = 40;

    /** The attributes in which two labels differ. */
    private static Set<EditKind> changed(ObjectLabel a, ObjectLabel b) {
        Set<EditKind> kinds = new java.util.HashSet<>();
        if (a.colour() != b.colour()) {
            kinds.add(EditKind.COLOUR);
        }
        if (a.shape() != b.shape()) {
            kinds.add(EditKind.SHAPE);
        }
        if (a.size() != b.size()) {
            kinds.add(EditKind.SIZE);
        }
        if (a.position() != b.position()) {
            kinds.add(EditKind.POSITION);
        }
        return kinds;
    }

    @Test
    void eachKindChangesExactlyOneAttributeOfOneObjectAndTheCaptionsParse() {
        List<EditPair> pairs = EditPair.draw(PER_KIND, 0);
        assertEquals(PER_KIND * EditKind.values().length, pairs.size());
        Tokenizer tokenizer = Tokenizer.forShapes();
        Map<EditKind, Set<EditKind>> pairAttributes = new java.util.EnumMap<>(EditKind.class);
        for (EditPair p : pairs) {
            assertEquals(p.kind().objects(), p.source().objects().size(), p.toString());
            assertEquals(p.source().relation(), p.target().relation());
            List<Integer> edited = new ArrayList<>();
            for (int o = 0; o < p.source().objects().size(); o++) {
                Set<EditKind> c = changed(p.source().objects().get(o), p.target().objects().get(o));
                if (!c.isEmpty()) {
                    edited.add(o);
                    assertEquals(1, c.size(), p.toString());
                    EditKind attribute = c.iterator().next();
                    if (p.kind() == EditKind.PAIR) {
                        assertNotEquals(EditKind.POSITION, attribute);
                        pairAttributes.computeIfAbsent(p.kind(), k -> new java.util.HashSet<>()).add(attribute);
                    } else {
                        assertEquals(p.kind(), attribute, p.toString());
                    }
                }
            }
            assertEquals(List.of(p.object()), edited, p.toString());
            assertEquals(p.target(), CaptionGrammar.parse(p.targetCaption()));
            assertEquals(p.source(), CaptionGrammar.parse(p.sourceCaption()));
            assertEquals(p.target().objects().size(), p.target().objects().stream().map(ObjectLabel::colour).distinct().count(),
                    "objects stay separable by colour: " + p);
            assertEquals(p.sourceCaption().split(" ").length, p.targetCaption().split(" ").length, "a word swap: " + p);
            new AttentionReplace(InjectionSchedule.defaults(), tokenizer, p.sourceCaption(), p.targetCaption());
        }
        assertEquals(Set.of(EditKind.COLOUR, EditKind.SHAPE, EditKind.SIZE), pairAttributes.get(EditKind.PAIR));
    }

    @Test
    void pairsAreAFunctionOfTheSeedAndEachKindOfItsOwnStream() {
        assertEquals(EditPair.draw(5, 3), EditPair.draw(5, 3));
        assertNotEquals(EditPair.draw(5, 3), EditPair.draw(5, 4));
        List<EditPair> three = EditPair.draw(3, 0);
        List<EditPair> five = EditPair.draw(5, 0);
        for (int k = 0; k < EditKind.values().length; k++) {
            assertEquals(three.subList(3 * k, 3 * k + 3), five.subList(5 * k, 5 * k + 3), "kind " + EditKind.values()[k]);
        }
    }

    @Test
    void refusesNoPairs() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> EditPair.draw(0, 0));
        assertTrue(e.getMessage().contains("--pairs"), e.getMessage());
    }
}
