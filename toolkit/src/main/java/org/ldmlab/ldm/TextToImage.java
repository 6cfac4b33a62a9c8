package org.ldmlab.ldm;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ldmlab.InvalidInputException;
import org.ldmlab.autoencoder.LatentSpace;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.sampling.ClassifierFreeGuidance;
import org.ldmlab.sampling.Conditioning;
import org.ldmlab.sampling.NoiseModel;
import org.ldmlab.sampling.Sampler;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Text to image with a trained latent diffusion model: encode the prompt with tau_theta, sample latents
 * z_T ~ N(0, I) -> z_0 with DDIM or DDPM and classifier-free guidance (the empty prompt as the unconditional
 * case), then decode x = D(z_0 / scaleFactor).
 */
public final class TextToImage {
    private final LatentSpace latents;
    private final LatentDiffusion diffusion;

    public TextToImage(LatentSpace latents, LatentDiffusion diffusion) {
        this.latents = latents;
        this.diffusion = diffusion;
    }

    public static TextToImage of(Models.Pipeline pipeline) {
        return new TextToImage(pipeline.latents(), pipeline.diffusion());
    }

    public LatentDiffusion diffusion() {
        return diffusion;
    }

    /** {@code n} images of one prompt: [n, 3, H, W] in about [-1, 1]. The same seed gives the same images. */
    public INDArray sample(String prompt, int n, SamplerSettings settings, long seed, StepCallback callback) {
        if (n < 1) {
            throw new InvalidInputException("the number of images must be >= 1; got " + n);
        }
        return sample(Collections.nCopies(n, prompt), settings, seed, callback);
    }

    /** One image per prompt, [B, 3, H, W]. */
    public INDArray sample(List<String> prompts, SamplerSettings settings, long seed, StepCallback callback) {
        return sample(prompts, null, settings, seed, callback);
    }

    /**
     * One image per prompt, with a spatially aligned {@code concat} conditioning [B, c', h, w] for the concat and
     * hybrid keys (e.g. inpainting), or null. Guidance contrasts the prompt with the empty prompt; both see the
     * same concat input, so it guides by the text alone.
     */
    public INDArray sample(List<String> prompts, INDArray concat, SamplerSettings settings, long seed, StepCallback callback) {
        Sampler sampler = settings.create(diffusion.schedule());
        Conditioning cond = diffusion.conditioning(prompts, concat);
        NoiseModel model = settings.guidance() == 1.0 ? diffusion.noiseModel()
                : new ClassifierFreeGuidance(diffusion.noiseModel(),
                        diffusion.conditioning(java.util.Collections.nCopies(prompts.size(), ""), concat), settings.guidance());
        long[] shape = {prompts.size(), diffusion.unet().config().latentChannels(), 8, 8};
        INDArray z0 = sampler.sample(model, cond, shape, seed, callback); // [B, c, h, w]
        return latents.decode(z0);
    }

    /** The images of a [B, 3, H, W] batch as pictures. */
    public static List<BufferedImage> pictures(INDArray images) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < images.size(0); i++) {
            out.add(ImageTensors.toImage(images.get(NDArrayIndex.point(i))));
        }
        return out;
    }
}
