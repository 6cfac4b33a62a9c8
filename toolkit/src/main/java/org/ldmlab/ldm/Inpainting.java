package org.ldmlab.ldm;

import java.util.List;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inpainting with the hybrid model (LDM section 4.5): the masked image's latent and the mask enter the UNet by
 * concatenation, the caption by cross-attention; the sample is decoded and pasted into the original image
 * inside the mask, so every pixel outside it is kept exactly.
 */
public final class Inpainting {
    private final Models.Pipeline pipeline;

    public Inpainting(Models.Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * @param images  [B, 3, H, W] in [-1, 1]
     * @param masks   [B, 1, H, W], 1 where to fill
     * @param prompts one caption per image
     * @return [B, 3, H, W]: the original outside the mask, the generated content inside
     */
    public INDArray fill(INDArray images, INDArray masks, List<String> prompts, SamplerSettings settings, long seed,
            StepCallback callback) {
        INDArray concat = InpaintingMasks.conditioning(pipeline.latents(), images, masks); // [B, c + 1, h, w]
        INDArray generated = TextToImage.of(pipeline).sample(prompts, concat, settings, seed, callback);
        return generated.mul(masks).addi(images.mul(masks.rsub(1.0)));
    }
}
