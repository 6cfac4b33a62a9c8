package org.ldmlab.nn;

/**
 * The noise model eps_theta(z_t, t, y) of a latent diffusion model (LDM eq. 3): a backbone that the sampling,
 * training, checkpoint and attention code use without knowing which one it is (the UNet of LDM, or the
 * Diffusion Transformer of Peebles and Xie 2023). Latents are channels-last here, [B, h, w, c].
 */
public abstract class Denoiser extends Module {
    /** The architecture, as written to and read from a checkpoint. */
    public abstract DenoiserConfig config();

    /**
     * eps_theta(z_t, t, y).
     *
     * @param zt     noisy latents [B, h, w, c]
     * @param t      timestep index per sample
     * @param text   the caption (models that read text), else null
     * @param concat spatially aligned conditioning [B, h, w, c'] (models that take one), else null
     * @return the predicted noise [B, h, w, c]
     */
    public abstract Var forward(Var zt, int[] t, TextContext text, Var concat);
}
