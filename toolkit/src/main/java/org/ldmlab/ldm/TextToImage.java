package org.ldmlab.ldm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ldmlab.InvalidInputException;
import org.ldmlab.autoencoder.LatentSpace;
import org.ldmlab.sampling.ClassifierFreeGuidance;
import org.ldmlab.sampling.Conditioning;
import org.ldmlab.sampling.NoiseModel;
import org.ldmlab.sampling.Sampler;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Text to image with a trained latent diffusion model: encode the prompt with tau_theta, sample latents
 * z_T ~ N(0, I) -> z_0 with DDIM or DDPM and classifier-free guidance (the empty prompt as the unconditional
 * case), then decode x = D(z_0 / scaleFactor).
 */
public final class TextToImage {
    /** How many prompts {@link #sampleAll} samples in one batch (with guidance the UNet sees twice as many). */
    public static final int BATCH = 32;

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

    /**
     * Refuses what sampling could not do, before any work: a prompt with a word the tokenizer does not know, and steps
     * or an eta the schedule does not allow. Every {@code sample} checks this first; a command calls it before its
     * other work.
     */
    public void check(List<String> prompts, SamplerSettings settings) {
        prompts.forEach(diffusion.tokenizer()::encode);
        settings.create(diffusion.schedule());
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
        check(prompts, settings);
        Sampler sampler = settings.create(diffusion.schedule());
        Conditioning cond = diffusion.conditioning(prompts, concat);
        NoiseModel model = settings.guidance() == 1.0 ? diffusion.noiseModel()
                : new ClassifierFreeGuidance(diffusion.noiseModel(),
                        diffusion.conditioning(java.util.Collections.nCopies(prompts.size(), ""), concat), settings.guidance());
        long[] latent = diffusion.latentShape(); // [c, h, w]
        long[] shape = {prompts.size(), latent[0], latent[1], latent[2]};
        INDArray z0 = sampler.sample(model, cond, shape, seed, callback); // [B, c, h, w]
        return settings.checkSamples(latents.decode(z0));
    }

    /**
     * One image per prompt, [N, 3, H, W], in batches of {@link #BATCH} prompts spread over {@code threads} Java
     * threads (ND4J runs on one native thread here, so a second Java thread is what uses a second core). Batch k,
     * prompts kB .. kB + B - 1, is sampled with seed + kB exactly as {@link #sample(List, SamplerSettings, long,
     * StepCallback)} would alone, so the images do not depend on the number of threads.
     *
     * <p>Sampling only reads the weights; each batch has its own sampler, conditioning, guidance and noise, and
     * {@link org.ldmlab.nn.Var#noGrad()} is per thread. An attention controller is the one shared, mutable hook
     * (it would see the batches of several threads interleaved), so with one set this refuses more than one thread.
     *
     * @param afterBatch called once per finished batch (one call at a time), e.g. a progress bar's step
     */
    public INDArray sampleAll(List<String> prompts, SamplerSettings settings, long seed, int threads, Runnable afterBatch) {
        if (prompts.isEmpty() || threads < 1) {
            throw new InvalidInputException("sampling needs at least one prompt and one thread; got " + prompts.size()
                    + " prompts and " + threads + " threads");
        }
        if (threads > 1 && diffusion.attentionSites().attached()) {
            throw new IllegalStateException("an attention controller is attached: it would see batches from " + threads
                    + " threads at once; sample on one thread, or close the controller's scope first");
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Object progress = new Object();
        try {
            List<Future<INDArray>> batches = new ArrayList<>();
            for (int from = 0; from < prompts.size(); from += BATCH) {
                List<String> batch = prompts.subList(from, Math.min(from + BATCH, prompts.size()));
                long batchSeed = seed + from;
                batches.add(pool.submit(() -> {
                    INDArray images = sample(batch, settings, batchSeed, StepCallback.NONE); // [b, 3, H, W]
                    synchronized (progress) {
                        afterBatch.run();
                    }
                    return images;
                }));
            }
            List<INDArray> images = new ArrayList<>();
            for (Future<INDArray> batch : batches) {
                images.add(batch.get());
            }
            return images.size() == 1 ? images.get(0) : Nd4j.concat(0, images.toArray(INDArray[]::new)); // [N, 3, H, W]
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("sampling failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sampling", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
