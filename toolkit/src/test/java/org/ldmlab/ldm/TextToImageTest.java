package org.ldmlab.ldm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Sampling on several threads gives the images of one thread, batch by batch. */
class TextToImageTest {
    private static final SamplerSettings FEW_STEPS = new SamplerSettings(SamplerKind.DDIM, 2, 0, 3);

    @Test
    void oneAndTwoThreadsGiveIdenticalImagesAndEachBatchIsSeededByItsFirstIndex() {
        TextToImage t2i = TextToImage.of(Models.loadPipeline(Models.shipped(Models.LDM), Models.LDM));
        List<String> prompts = IntStream.range(0, TextToImage.BATCH + 5)
                .mapToObj(i -> i % 2 == 0 ? "a big red circle on the left" : "a small blue square at the top").toList();
        AtomicInteger batches = new AtomicInteger();
        INDArray one = t2i.sampleAll(prompts, FEW_STEPS, 7, 1, batches::incrementAndGet); // [37, 3, 32, 32]
        INDArray two = t2i.sampleAll(prompts, FEW_STEPS, 7, 2, () -> {});
        assertEquals(2, batches.get());
        assertEquals(one, two);
        INDArray second = t2i.sample(prompts.subList(TextToImage.BATCH, prompts.size()), FEW_STEPS, 7 + TextToImage.BATCH, StepCallback.NONE);
        assertEquals(second, one.get(NDArrayIndex.interval(TextToImage.BATCH, prompts.size())));
    }

    @Test
    void refusesSeveralThreadsWhileAnAttentionControllerIsAttached() {
        TextToImage t2i = TextToImage.of(Models.loadPipeline(Models.shipped(Models.LDM), Models.LDM));
        try (var attached = t2i.diffusion().attach((site, probs) -> probs)) {
            assertThrows(IllegalStateException.class, () -> t2i.sampleAll(List.of("a big red circle on the left"), FEW_STEPS, 0, 2, () -> {}));
        }
        assertEquals(1, t2i.sampleAll(List.of("a big red circle on the left"), FEW_STEPS, 0, 2, () -> {}).size(0),
                "closing the scope detaches the controller");
    }
}
