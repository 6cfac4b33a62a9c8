package org.ldmlab.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.ldmlab.attention.AttentionSite;
import org.ldmlab.attention.AttentionSite.Place;
import org.ldmlab.sampling.SamplingStep;
import org.ldmlab.schedule.Noise;
import org.ldmlab.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The controllers on small tensors: [u_source, u_target, c_source, c_target] rows, 2 heads, 2x2 queries, 16 tokens. */
class ControllersTest {
    private static final Tokenizer TOKENIZER = Tokenizer.forShapes();
    private static final String SOURCE = "a big red circle on the left";
    private static final String TARGET = "a big blue circle on the left";
    private static final int STEPS = 10;

    private static AttentionSite site(boolean cross, int step) {
        return new AttentionSite("unet.mid.attn", Place.MID, 0, 2, 2, cross, SamplingStep.of(step, STEPS, 999 - step).withGuidance(), 2);
    }

    private static INDArray probs(boolean cross) {
        return Transforms.abs(new Noise(3).standardNormal(4, 2, 4, cross ? 16 : 4)); // [B, heads, Nq, Nk], like probabilities >= 0
    }

    private static INDArray row(INDArray probs, int row) {
        return probs.get(NDArrayIndex.point(row));
    }

    private static void assertRowsKept(INDArray before, INDArray after, int... rows) {
        for (int r : rows) {
            assertEquals(row(before, r), row(after, r), "row " + r + " untouched");
            assertEquals(0, row(before, r).sub(row(after, r)).amaxNumber().doubleValue(), "row " + r + " bit for bit");
        }
    }

    @Test
    void replaceGivesTheTargetTheSourcesMapsWhileInjectedAndTouchesNoOtherRow() {
        AttentionReplace replace = new AttentionReplace(new InjectionSchedule(0.8, Map.of("circle", 0.4), 0.4), TOKENIZER, SOURCE, TARGET);
        INDArray cross = probs(true);
        INDArray early = replace.onAttention(site(true, 0), cross);
        assertEquals(0, row(early, 3).sub(row(cross, 2)).amaxNumber().doubleValue(), "step 0: every column is the source's");
        assertRowsKept(cross, early, 0, 1, 2);
        INDArray mid = replace.onAttention(site(true, 5), cross); // circle (token 4) injected for 4 steps, the rest for 8
        INDArray circle = mid.get(NDArrayIndex.point(3), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(4));
        assertEquals(0, circle.sub(cross.get(NDArrayIndex.point(3), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(4))).amaxNumber().doubleValue());
        INDArray red = mid.get(NDArrayIndex.point(3), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(3));
        assertEquals(0, red.sub(cross.get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(3))).amaxNumber().doubleValue());
        assertSame(cross, replace.onAttention(site(true, 8), cross), "round(0.8 * 10) = 8 steps injected: step 8 is not");

        INDArray self = probs(false);
        INDArray selfEarly = replace.onAttention(site(false, 3), self);
        assertEquals(0, row(selfEarly, 3).sub(row(self, 2)).amaxNumber().doubleValue());
        assertRowsKept(self, selfEarly, 0, 1, 2);
        assertSame(self, replace.onAttention(site(false, 4), self), "round(0.4 * 10) = 4 steps of self-attention");
    }

    @Test
    void fractionZeroNeverInjectsAndOneAlwaysDoes() {
        INDArray cross = probs(true);
        AttentionReplace never = new AttentionReplace(InjectionSchedule.none(), TOKENIZER, SOURCE, TARGET);
        AttentionReplace always = new AttentionReplace(new InjectionSchedule(1, Map.of(), 1), TOKENIZER, SOURCE, TARGET);
        for (int step = 0; step < STEPS; step++) {
            assertSame(cross, never.onAttention(site(true, step), cross));
            assertEquals(0, row(always.onAttention(site(true, step), cross), 3).sub(row(cross, 2)).amaxNumber().doubleValue());
        }
    }

    @Test
    void refineTakesAlignedColumnsFromTheSourceAndKeepsTheNewWordsOwn() {
        AttentionRefine refine = new AttentionRefine(new InjectionSchedule(1, Map.of(), 0), TOKENIZER, "a red circle", "a big red circle");
        INDArray cross = probs(true);
        INDArray out = refine.onAttention(site(true, 0), cross);
        int[] sourceOf = WordAlignment.refine(TOKENIZER, "a red circle", "a big red circle").sourceOf();
        for (int j = 0; j < 16; j++) {
            INDArray expected = cross.get(NDArrayIndex.point(sourceOf[j] < 0 ? 3 : 2), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.point(sourceOf[j] < 0 ? j : sourceOf[j]));
            INDArray got = out.get(NDArrayIndex.point(3), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(j));
            assertEquals(0, got.sub(expected).amaxNumber().doubleValue(), "target token " + j);
        }
        assertRowsKept(cross, out, 0, 1, 2);
    }

    @Test
    void reweightMultipliesExactlyThatColumnOfExactlyTheConditionalTargetRow() {
        INDArray cross = probs(true);
        INDArray out = new AttentionReweight(TOKENIZER, TARGET, Map.of("blue", -1.5)).onAttention(site(true, 0), cross);
        INDArray expected = cross.dup();
        INDArray blue = expected.get(NDArrayIndex.point(3), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(3));
        blue.assign(blue.mul(-1.5));
        assertEquals(0, out.sub(expected).amaxNumber().doubleValue());
        assertTrue(out.sub(cross).amaxNumber().doubleValue() > 0);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new AttentionReweight(TOKENIZER, TARGET, Map.of("square", 2.0)));
        assertTrue(e.getMessage().contains("a, big, blue, circle, on, the, left"), e.getMessage());
    }

    @Test
    void blendKeepsTheSourceOutsideTheMaskAndTheTargetInside() {
        INDArray zSource = new Noise(1).standardNormal(4, 3, 3);  // [C, h, w]
        INDArray zTarget = new Noise(2).standardNormal(4, 3, 3);
        INDArray mask = Nd4j.createFromArray(new float[][] {{0, 0, 1}, {0, 1, 1}, {0, 0, 0}}); // [h, w]
        INDArray z = LocalBlend.blend(zSource, zTarget, mask);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                INDArray expected = (mask.getDouble(y, x) == 1 ? zTarget : zSource).get(NDArrayIndex.all(), NDArrayIndex.point(y), NDArrayIndex.point(x));
                assertEquals(0, z.get(NDArrayIndex.all(), NDArrayIndex.point(y), NDArrayIndex.point(x)).sub(expected).amaxNumber().doubleValue());
            }
        }
    }

    @Test
    void localBlendMasksTheMaxPooledWordMapsOfBothPrompts() {
        LocalBlend blend = new LocalBlend(new int[] {3}, new int[] {3}, 4, 4, 0);
        INDArray cross = Nd4j.zeros(4, 2, 16, 16).addi(0.01);           // [B, heads, Nq = 4x4, L]
        cross.putScalar(new long[] {2, 0, 0, 3}, 1);                      // source's 'red' at pixel (0, 0)
        cross.putScalar(new long[] {3, 1, 15, 3}, 1);                     // target's 'blue' at pixel (3, 3)
        cross.putScalar(new long[] {1, 1, 5, 3}, 5);                      // an unconditional row: ignored
        AttentionSite level = new AttentionSite("unet.mid.attn2", Place.MID, 0, 4, 4, true, SamplingStep.of(0, 5, 999).withGuidance(), 2);
        assertSame(cross, blend.onAttention(level, cross));
        INDArray z = new Noise(4).standardNormal(2, 1, 4, 4);           // [2, C, h, w]
        INDArray out = blend.afterStep(SamplingStep.of(0, 5, 999), z);
        float[][] expectedMask = {{1, 1, 0, 0}, {1, 1, 0, 0}, {0, 0, 1, 1}, {0, 0, 1, 1}}; // 3x3 max-pool of each, OR
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                int from = expectedMask[y][x] == 1 ? 1 : 0;
                assertEquals(z.getFloat(from, 0, y, x), out.getFloat(1, 0, y, x), "pixel " + y + "," + x);
                assertEquals(z.getFloat(0, 0, y, x), out.getFloat(0, 0, y, x), "the source row is never blended");
            }
        }
        assertSame(z, blend.afterStep(SamplingStep.of(1, 5, 799), z), "maps are per step: none seen, nothing blended");
    }

    @Test
    void maxPoolIsThreeByThreeStrideOneSameSize() {
        INDArray map = Nd4j.createFromArray(new float[][] {{0, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 1}});
        INDArray expected = Nd4j.createFromArray(new float[][] {{2, 2, 2, 0}, {2, 2, 2, 0}, {2, 2, 2, 1}, {0, 0, 1, 1}});
        assertEquals(expected, LocalBlend.maxPool3x3(map));
    }
}
