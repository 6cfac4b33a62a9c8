package org.ldmlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShapesDatasetTest {
    @Test
    void aSampleDependsOnlyOnSeedSplitAndIndex() {
        ShapesDataset forwards = new ShapesDataset(3, Split.TRAIN);
        ShapesDataset backwards = new ShapesDataset(3, Split.TRAIN);
        RenderedSample[] first = new RenderedSample[50];
        for (int i = 0; i < first.length; i++) {
            first[i] = forwards.sample(i);
        }
        for (int i = first.length - 1; i >= 0; i--) {
            RenderedSample again = backwards.sample(i);
            assertEquals(first[i].scene(), again.scene());
            assertArrayEquals(pixels(first[i].image()), pixels(again.image()), "sample " + i);
        }
    }

    @Test
    void seedsSplitsAndIndicesGiveDifferentSamples() {
        assertNotEquals(captions(new ShapesDataset(0, Split.TRAIN)), captions(new ShapesDataset(1, Split.TRAIN)));
        assertNotEquals(captions(new ShapesDataset(0, Split.TRAIN)), captions(new ShapesDataset(0, Split.VAL)));
        // Captions repeat (there are only 100 single-object captions in train), but jitter makes images differ.
        ShapesDataset dataset = new ShapesDataset(0, Split.TRAIN);
        long distinct = IntStream.range(0, 200).mapToObj(i -> Arrays.toString(pixels(dataset.sample(i).image())))
                .distinct().count();
        assertTrue(distinct > 190, "only " + distinct + " distinct images in 200 samples");
    }

    @Test
    void aboutSixtyPercentOfScenesShowOneObject() {
        ShapesDataset dataset = new ShapesDataset(11, Split.TRAIN);
        int n = 3000;
        int single = 0;
        for (int i = 0; i < n; i++) {
            single += dataset.sample(i).scene().objects().size() == 1 ? 1 : 0;
        }
        assertEquals(SceneSampler.SINGLE_OBJECT_SHARE, single / (double) n, 0.03);
    }

    @Test
    void heldOutCombinationsNeverAppearInTrainOrVal() {
        for (Split split : new Split[] {Split.TRAIN, Split.VAL}) {
            ShapesDataset dataset = new ShapesDataset(5, split);
            for (int i = 0; i < 3000; i++) {
                Scene scene = dataset.sample(i).scene();
                assertFalse(HeldOut.appearsIn(scene), split + " sample " + i + ": " + scene.caption());
            }
        }
    }

    @Test
    void testSplitShowsEveryHeldOutCombinationAsFirstAndSecondObject() {
        ShapesDataset dataset = new ShapesDataset(5, Split.TEST);
        Set<String> seen = new HashSet<>();
        int heldOut = 0;
        int n = 3000;
        for (int i = 0; i < n; i++) {
            Scene scene = dataset.sample(i).scene();
            heldOut += HeldOut.appearsIn(scene) ? 1 : 0;
            for (int k = 0; k < scene.objects().size(); k++) {
                ColouredShape look = scene.objects().get(k).colouredShape();
                if (HeldOut.COMBINATIONS.contains(look)) {
                    seen.add(look + " as object " + k);
                }
            }
        }
        assertEquals(2 * HeldOut.COMBINATIONS.size(), seen.size(), seen.toString());
        assertTrue(heldOut > n / 10, "only " + heldOut + " of " + n + " test samples show a held-out combination");
    }

    private static String captions(ShapesDataset dataset) {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            all.append(dataset.sample(i).caption()).append('\n');
        }
        return all.toString();
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
