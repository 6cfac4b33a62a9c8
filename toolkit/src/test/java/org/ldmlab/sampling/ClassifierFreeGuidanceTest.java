package org.ldmlab.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ClassifierFreeGuidanceTest {
    private static final int B = 3;
    private final INDArray xt = SamplerTest.gaussian(1, B, 2, 4, 4);                             // [B, C, H, W]
    private final int[] t = {5, 50, 95};
    private final Conditioning cond = new Conditioning(SamplerTest.gaussian(2, B, 6, 8), null); // [B, L, d]
    private final Conditioning uncond = new Conditioning(SamplerTest.gaussian(3, B, 6, 8), null);

    /** A toy eps_theta whose output depends on the conditioning: 0.1 x_t + mean(context) per sample; it records its calls. */
    private static final class ToyModel implements NoiseModel {
        final List<INDArray> contexts = new ArrayList<>();
        final List<int[]> timesteps = new ArrayList<>();

        @Override
        public INDArray predictEps(INDArray xt, int[] t, Conditioning cond, SamplingStep step) {
            contexts.add(cond.context());
            timesteps.add(t);
            INDArray shift = cond.context().mean(1, 2).reshape(xt.size(0), 1, 1, 1);           // [B, 1, 1, 1]
            return xt.mul(0.1).add(shift);
        }
    }

    @Test
    void scaleOneIsExactlyTheConditionalPrediction() {
        ToyModel model = new ToyModel();
        INDArray guided = new ClassifierFreeGuidance(model, uncond, 1).predictEps(xt, t, cond);
        assertEquals(new ToyModel().predictEps(xt, t, cond), guided);
        assertEquals(1, model.contexts.size());
        assertSame(cond.context(), model.contexts.get(0));
    }

    @Test
    void guidanceExtrapolatesFromUnconditionalTowardsConditional() {
        double s = 7.5;
        INDArray epsU = new ToyModel().predictEps(xt, t, uncond);
        INDArray epsC = new ToyModel().predictEps(xt, t, cond);
        ToyModel model = new ToyModel();
        INDArray guided = new ClassifierFreeGuidance(model, uncond, s).predictEps(xt, t, cond);
        INDArray expected = epsU.add(epsC.sub(epsU).mul(s));                                   // eps_u + s (eps_c - eps_u)
        assertTrue(expected.equalsWithEps(guided, 1e-5), "guided eps");
        assertTrue(!epsC.equalsWithEps(guided, 1e-2), "guidance must change the prediction");
        INDArray w = epsC.mul(1 + (s - 1)).sub(epsU.mul(s - 1));                              // (1 + w) eps_c - w eps_u, w = s - 1
        assertTrue(w.equalsWithEps(guided, 1e-5), "the paper's form with w = s - 1");
    }

    @Test
    void oneBatchedCallUnconditionalFirst() {
        ToyModel model = new ToyModel();
        new ClassifierFreeGuidance(model, uncond, 3).predictEps(xt, t, cond);
        assertEquals(1, model.contexts.size());
        INDArray batched = model.contexts.get(0);                                                // [2B, L, d]
        assertEquals(2 * B, batched.size(0));
        assertEquals(uncond.context(), batched.get(NDArrayIndex.interval(0, B)));
        assertEquals(cond.context(), batched.get(NDArrayIndex.interval(B, 2 * B)));
        assertEquals(List.of(5, 50, 95, 5, 50, 95), java.util.Arrays.stream(model.timesteps.get(0)).boxed().toList());
    }

    @Test
    void batchOneUnconditioningIsRepeatedForEverySample() {
        INDArray single = SamplerTest.gaussian(4, 1, 6, 8);                                     // [1, L, d]
        ToyModel model = new ToyModel();
        INDArray guided = new ClassifierFreeGuidance(model, new Conditioning(single, null), 2).predictEps(xt, t, cond);
        INDArray repeated = single.repeat(0, B);
        for (int b = 0; b < B; b++) {
            assertEquals(single.get(NDArrayIndex.point(0)), model.contexts.get(0).get(NDArrayIndex.point(b)));
        }
        INDArray expected = new ClassifierFreeGuidance(new ToyModel(), new Conditioning(repeated, null), 2).predictEps(xt, t, cond);
        assertTrue(expected.equalsWithEps(guided, 1e-6));
    }

    @Test
    void mismatchedConditioningsAreRejected() {
        ClassifierFreeGuidance cfg = new ClassifierFreeGuidance(new ToyModel(), Conditioning.NONE, 2);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> cfg.predictEps(xt, t, cond));
        assertTrue(e.getMessage().contains("context"), e.getMessage());
        Conditioning wrongBatch = new Conditioning(SamplerTest.gaussian(5, 2, 6, 8), null);
        ClassifierFreeGuidance cfg2 = new ClassifierFreeGuidance(new ToyModel(), wrongBatch, 2);
        e = assertThrows(InvalidInputException.class, () -> cfg2.predictEps(xt, t, cond));
        assertTrue(e.getMessage().contains("batch 2"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> new ClassifierFreeGuidance(new ToyModel(), uncond, Double.NaN));
    }
}
