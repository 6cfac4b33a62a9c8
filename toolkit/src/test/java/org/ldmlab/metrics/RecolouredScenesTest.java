package org.ldmlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ldmlab.data.HeldOut;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.Scene;
import org.ldmlab.data.SceneSampler;
import org.ldmlab.data.Split;

class RecolouredScenesTest {
    @Test
    void recolouringKeepsShapeSizePositionAndRelation() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            Scene scene = SceneSampler.draw(Split.TRAIN, random);
            Scene recoloured = RecolouredScenes.recolour(scene, random); // the Scene constructor checks a pair differs
            assertEquals(scene.relation(), recoloured.relation());
            for (int k = 0; k < scene.objects().size(); k++) {
                ObjectLabel before = scene.objects().get(k);
                ObjectLabel after = recoloured.objects().get(k);
                assertEquals(List.of(before.shape(), before.size(), before.position()),
                        List.of(after.shape(), after.size(), after.position()));
            }
        }
    }

    @Test
    void batchesShowHeldOutCombinations() {
        List<RenderedSample> batch = RecolouredScenes.batch(new SplittableRandom(4), 64);
        assertEquals(64, batch.size());
        assertTrue(batch.stream().anyMatch(s -> HeldOut.appearsIn(s.scene())));
    }
}
