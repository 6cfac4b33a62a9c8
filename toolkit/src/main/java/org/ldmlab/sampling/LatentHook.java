package org.ldmlab.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one hook a sampling loop offers on its latents: called after every step with the new z_{t_prev}, it returns
 * the latent the loop continues from (itself, or a replacement). Prompt-to-Prompt's local blend writes z_t here
 * (Hertz et al. 2022, section 3.2); a hook that returns its input changes nothing.
 */
@FunctionalInterface
public interface LatentHook {
    /** Leaves every latent alone. */
    LatentHook NONE = (step, z) -> z;

    /** @param step the step just taken; z the latents it produced [B, C, H, W] */
    INDArray afterStep(SamplingStep step, INDArray z);
}
