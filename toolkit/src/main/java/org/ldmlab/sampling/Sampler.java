package org.ldmlab.sampling;

import org.ldmlab.schedule.Noise;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Turns noise x_T ~ N(0, I) into a sample x_0 with a noise model, step by step. */
public interface Sampler {
    /**
     * Denoises {@code xT} [B, C, H, W]; {@code noise} draws any per-step noise z; {@code hook} may replace the
     * latents after each step (see {@link LatentHook}).
     */
    INDArray sample(NoiseModel model, Conditioning cond, INDArray xT, Noise noise, StepCallback cb, LatentHook hook);

    /** Denoises {@code xT} with no latent hook. */
    default INDArray sample(NoiseModel model, Conditioning cond, INDArray xT, Noise noise, StepCallback cb) {
        return sample(model, cond, xT, noise, cb, LatentHook.NONE);
    }

    /** Denoises the given x_T; {@code seed} drives only the per-step noise (reuse x_T to compare prompts). */
    default INDArray sample(NoiseModel model, Conditioning cond, INDArray xT, long seed, StepCallback cb) {
        return sample(model, cond, xT, new Noise(seed), cb);
    }

    /** Draws x_T ~ N(0, I) of {@code shape} [B, C, H, W] from {@code seed}, then the per-step noise from the same generator. */
    default INDArray sample(NoiseModel model, Conditioning cond, long[] shape, long seed, StepCallback cb) {
        Noise noise = new Noise(seed);
        return sample(model, cond, noise.standardNormal(shape), noise, cb);
    }
}
