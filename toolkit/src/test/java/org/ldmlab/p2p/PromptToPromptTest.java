package org.ldmlab.p2p;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ldmlab.InvalidInputException;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Identities of an edit on the shipped model, 10 DDIM steps at guidance 3. */
class PromptToPromptTest {
    private static final SamplerSettings TEN_STEPS = new SamplerSettings(SamplerKind.DDIM, 10, 0, 3);
    private static final String SOURCE = "a big red circle on the left";
    private static final String TARGET = "a big blue circle on the left";
    private static final long SEED = 7;
    private static Models.Pipeline pipeline;
    private static PromptToPrompt p2p;

    @BeforeAll
    static void load() {
        pipeline = Models.loadPipeline(Models.shipped(Models.LDM), Models.LDM);
        p2p = PromptToPrompt.of(pipeline);
    }

    private static float[] bits(INDArray x) {
        return x.dup().data().asFloat();
    }

    private static double maxDifference(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    @Test
    void aControllerThatReturnsItsInputChangesNothing() {
        TextToImage t2i = TextToImage.of(pipeline);
        INDArray plain = t2i.sample(List.of(SOURCE, TARGET), TEN_STEPS, SEED, StepCallback.NONE);
        INDArray attached;
        try (var scope = pipeline.diffusion().attach((site, probs) -> probs)) {
            attached = t2i.sample(List.of(SOURCE, TARGET), TEN_STEPS, SEED, StepCallback.NONE);
        }
        assertArrayEquals(bits(plain), bits(attached));
    }

    @Test
    void anEditThatInjectsNothingIsTheBaselineBitForBit() {
        EditSettings nothing = new EditSettings(EditMode.REPLACE, InjectionSchedule.none(), Map.of(), List.of());
        INDArray edited = p2p.edit(SOURCE, TARGET, nothing, TEN_STEPS, SEED, StepCallback.NONE).edited();
        INDArray baseline = p2p.baseline(SOURCE, TARGET, TEN_STEPS, SEED, StepCallback.NONE);
        assertArrayEquals(bits(baseline), bits(edited));
        // the plain target sample of the seed, up to the float rounding of another batch position
        INDArray alone = TextToImage.of(pipeline).sample(List.of(TARGET), TEN_STEPS, SEED, StepCallback.NONE).get(NDArrayIndex.point(0));
        assertTrue(maxDifference(alone, edited) < 1e-3, "baseline vs the target alone: " + maxDifference(alone, edited));
        INDArray defaults = p2p.edit(SOURCE, TARGET, EditSettings.defaults(), TEN_STEPS, SEED, StepCallback.NONE).edited();
        assertTrue(maxDifference(defaults, baseline) > 0.05, "the default edit changes the target");
    }

    @Test
    void editsSampledAsOneBatchAreEachEditSampledAloneUpToRounding() {
        EditSettings blend = new EditSettings(EditMode.REFINE, InjectionSchedule.defaults(), Map.of(), List.of("red", "blue"));
        List<PromptToPrompt.Request> requests = List.of(
                new PromptToPrompt.Request(SOURCE, TARGET, EditSettings.defaults(), SEED),
                new PromptToPrompt.Request("a small green square at the top", "a small green triangle at the top", new EditSettings(EditMode.REFINE, InjectionSchedule.defaults(), Map.of(), List.of()), 3),
                new PromptToPrompt.Request(SOURCE, TARGET, blend, 11));
        List<PromptToPrompt.Result> batch = p2p.edit(requests, TEN_STEPS, null, StepCallback.NONE);
        List<INDArray> baselines = p2p.baseline(requests, TEN_STEPS, null, StepCallback.NONE);
        for (int i = 0; i < requests.size(); i++) {
            PromptToPrompt.Request r = requests.get(i);
            PromptToPrompt.Result alone = p2p.edit(r.source(), r.target(), r.edit(), TEN_STEPS, r.seed(), StepCallback.NONE);
            assertTrue(maxDifference(alone.source(), batch.get(i).source()) < 1e-3, "source " + i);
            assertTrue(maxDifference(alone.edited(), batch.get(i).edited()) < 1e-3, "edited " + i);
            INDArray baseline = p2p.baseline(r.source(), r.target(), TEN_STEPS, r.seed(), StepCallback.NONE);
            assertTrue(maxDifference(baseline, baselines.get(i)) < 1e-3, "baseline " + i);
        }
        assertTrue(maxDifference(batch.get(0).edited(), batch.get(2).edited()) > 0.05, "each edit has its own seed");
    }

    @Test
    void aTargetEqualToTheSourceReproducesTheSourceWhateverTheInjection() {
        for (EditSettings edit : List.of(EditSettings.defaults(),
                new EditSettings(EditMode.REFINE, new InjectionSchedule(1, Map.of("circle", 0.3), 1), Map.of(), List.of("circle")),
                new EditSettings(EditMode.REPLACE, InjectionSchedule.none(), Map.of(), List.of()))) {
            PromptToPrompt.Result r = p2p.edit(SOURCE, SOURCE, edit, TEN_STEPS, SEED, StepCallback.NONE);
            // equal up to float rounding: the two rows of one batch get slightly different bits from OpenBLAS
            assertTrue(maxDifference(r.source(), r.edited()) < 1e-3, edit + ": " + maxDifference(r.source(), r.edited()));
        }
    }

    @Test
    void refusesStochasticSamplingAndBadWordsBeforeSampling() {
        assertThrows(InvalidInputException.class, () -> p2p.edit(SOURCE, TARGET, EditSettings.defaults(),
                new SamplerSettings(SamplerKind.DDPM, 10, 0, 3), SEED, StepCallback.NONE));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> p2p.plan(SOURCE, TARGET,
                new EditSettings(EditMode.REPLACE, InjectionSchedule.defaults(), Map.of(), List.of("square"))));
        assertTrue(e.getMessage().contains("--blend") && e.getMessage().contains("circle"), e.getMessage());
        assertFalse(pipeline.diffusion().attentionSites().attached());
    }
}
