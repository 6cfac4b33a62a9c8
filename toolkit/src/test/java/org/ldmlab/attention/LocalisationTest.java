package org.ldmlab.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ldmlab.data.CaptionGrammar;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.Renderer;
import org.ldmlab.data.Scene;
import org.ldmlab.data.WordRole;
import org.ldmlab.metrics.ObjectMasks;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.text.Tokenizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Scores against exact masks: IoU and mass share by hand, word roles, and masks found by colour. */
class LocalisationTest {
    private static final Scene PAIR = CaptionGrammar.parse("a small red square above a big blue circle");

    @Test
    void iouAndMassShareOnAHandMadeCase() {
        INDArray mask = Nd4j.zeros(DataType.FLOAT, 4, 4);
        mask.putScalar(0, 0, 1);
        mask.putScalar(0, 1, 1);
        INDArray map = Nd4j.zeros(DataType.FLOAT, 4, 4);
        map.putScalar(0, 0, 1.0);   // inside, above tau
        map.putScalar(3, 3, 0.5);   // outside, above tau
        map.putScalar(0, 1, 0.25);  // inside, below tau 0.4
        assertEquals(1.0 / 3, Localisation.iou(map, mask, 0.4), 1e-6);    // {00} / {00, 01, 33}
        assertEquals(1.25 / 1.75, Localisation.massShare(map, mask), 1e-6);
        assertEquals(0.0, Localisation.iou(map.mul(0).addi(0.4), mask, 0.4), 0, "map > tau, not >=: nothing is on");
    }

    @Test
    void everyContentWordHasItsRoleAndObject() {
        List<WordRole> roles = WordRole.of(PAIR);
        assertEquals(List.of(PAIR.caption().split(" ")), roles.stream().map(WordRole::word).toList());
        assertEquals(new WordRole("square", WordRole.Kind.SHAPE, 0), roles.get(3));
        assertEquals(new WordRole("above", WordRole.Kind.RELATION, -1), roles.get(4));
        assertEquals(new WordRole("blue", WordRole.Kind.COLOUR, 1), roles.get(7));
        List<WordRole> single = WordRole.of(CaptionGrammar.parse("a big green square on the left"));
        assertEquals(new WordRole("left", WordRole.Kind.POSITION, 0), single.get(6));
        assertEquals(WordRole.Kind.FUNCTION, single.get(5).kind());
        List<WordRole> leftOf = WordRole.of(CaptionGrammar.parse("a big green square to the left of a small red circle"));
        assertEquals(new WordRole("left", WordRole.Kind.RELATION, -1), leftOf.get(6));
    }

    @Test
    void masksFoundByColourAreTheRenderersMasksOnARenderedScene() {
        RenderedSample s = Renderer.render(PAIR, new SplittableRandom(3));
        List<INDArray> found = ObjectMasks.fromColours(s.image(), PAIR.objects().stream().map(ObjectLabel::colour).toList());
        for (int o = 0; o < 2; o++) {
            for (int y = 0; y < Renderer.SIZE; y++) {
                for (int x = 0; x < Renderer.SIZE; x++) {
                    assertEquals(s.masks().get(o).get(x, y) ? 1.0 : 0.0, found.get(o).getDouble(y, x), 0, "object " + o + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void aWordMapEqualToItsObjectsMaskScoresOneAndRelationsUseBothObjects() {
        RenderedSample s = Renderer.render(PAIR, new SplittableRandom(3));
        List<INDArray> masks = ObjectMasks.fromColours(s.image(), PAIR.objects().stream().map(ObjectLabel::colour).toList());
        List<String> tokens = Tokenizer.forShapes().tokens(PAIR.caption());
        List<INDArray> perToken = new ArrayList<>();
        List<WordRole> roles = WordRole.of(PAIR);
        for (int t = 0; t < tokens.size(); t++) {
            int w = t - 1;
            boolean word = w >= 0 && w < roles.size();
            perToken.add(word && roles.get(w).object() >= 0 ? masks.get(roles.get(w).object()) : Nd4j.ones(DataType.FLOAT, 32, 32));
        }
        TokenMaps maps = new TokenMaps(tokens, Nd4j.stack(0, perToken.toArray(INDArray[]::new)));
        for (Localisation.WordScore score : Localisation.score(maps, roles, masks, 0.4)) {
            if (score.kind() == WordRole.Kind.RELATION) {
                double union = masks.get(0).add(masks.get(1)).sumNumber().doubleValue() / 1024;
                assertEquals(union, score.iou(), 1e-6, "a flat map's IoU with both masks is their area share");
            } else {
                assertEquals(1.0, score.iou(), 1e-6, score.word());
                assertEquals(1.0, score.massShare(), 1e-6, score.word());
            }
        }
        List<WordRole> shifted = roles.subList(1, roles.size());
        assertThrows(IllegalArgumentException.class, () -> Localisation.score(maps, shifted, masks, 0.4));
    }
}
