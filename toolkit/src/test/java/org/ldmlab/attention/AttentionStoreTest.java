package org.ldmlab.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ldmlab.attention.AttentionSite.Place;
import org.ldmlab.sampling.SamplingStep;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The store records only conditional rows, averages heads, sums steps into windows, and changes nothing. */
class AttentionStoreTest {
    private static final int PROMPTS = 2;
    private static final int HEADS = 3;

    private static AttentionSite site(boolean cross, int step, int steps, boolean guided) {
        return new AttentionSite("unet.up.0.attn.block.attn" + (cross ? 2 : 1), Place.UP, 0, 2, 2, cross,
                new SamplingStep(step, steps, 1000 - step, guided), PROMPTS);
    }

    /** probs [2P, heads, 4, 5] whose value is the row index + 10 * step, so rows are told apart. */
    private static INDArray probs(int step) {
        INDArray p = Nd4j.zeros(DataType.FLOAT, 2 * PROMPTS, HEADS, 4, 5);
        for (int row = 0; row < 2 * PROMPTS; row++) {
            p.get(NDArrayIndex.point(row)).assign(row + 10 * step);
        }
        return p;
    }

    @Test
    void recordsTheConditionalRowsHeadMeanPerWindowAndReturnsItsInput() {
        AttentionStore store = AttentionStore.crossAttention(2);
        for (int step = 0; step < 4; step++) {
            INDArray in = probs(step);
            assertSame(in, store.onAttention(site(true, step, 4, true), in), "a store changes nothing");
        }
        AttentionStore.LayerRecord layer = store.layers().get(0);
        assertEquals(2, store.prompts());
        // window 0 = steps 0 and 1; prompt p's conditional row is 2 + p: mean value 2 + p + 10 * 0.5
        INDArray early = layer.mean(0, 1);                                   // [P, Nq, Nk]
        assertEquals(7.0, early.getDouble(0, 0, 0), 1e-6);
        assertEquals(8.0, early.getDouble(1, 3, 4), 1e-6);
        INDArray all = layer.mean(0, 2);
        assertEquals(2 + 15.0, all.getDouble(0, 1, 1), 1e-6);
    }

    @Test
    void withoutGuidanceEveryRowIsConditional() {
        AttentionStore store = AttentionStore.crossAttention(1);
        INDArray p = probs(0).get(NDArrayIndex.interval(0, PROMPTS));      // [P, heads, 4, 5]: rows 0, 1
        store.onAttention(site(true, 0, 1, false), p);
        assertEquals(1.0, store.layers().get(0).mean(0, 1).getDouble(1, 0, 0), 1e-6);
    }

    @Test
    void selfAttentionOnlyOnRequestAndCallsOutsideSamplingAreRefused() {
        AttentionStore cross = AttentionStore.crossAttention(1);
        cross.onAttention(site(false, 0, 1, true), probs(0));
        assertTrue(cross.layers().isEmpty());
        AttentionStore both = AttentionStore.crossAndSelfAttention(1);
        both.onAttention(site(false, 0, 1, true), probs(0));
        assertFalse(both.layers().get(0).cross());
        AttentionSite outside = new AttentionSite("l", Place.MID, 0, 2, 2, true, SamplingStep.NONE, PROMPTS);
        assertThrows(IllegalStateException.class, () -> cross.onAttention(outside, probs(0)));
    }
}
