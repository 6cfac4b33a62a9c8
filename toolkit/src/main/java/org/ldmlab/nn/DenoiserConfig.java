package org.ldmlab.nn;

import java.util.Set;
import org.ldmlab.io.Settings;

/** The architecture of a {@link Denoiser}: what it reads and the latents it works on, and how to build it. */
public interface DenoiserConfig {
    /** The backbone's name in a checkpoint's settings ("unet", "dit"). */
    String backbone();

    /** Channels c of the latents z [B, h, w, c]. */
    int latentChannels();

    /** Side h = w of the latent grid the model is built for. */
    int latentSize();

    /** Whether the model reads the caption (then the pipeline has a text encoder). */
    boolean usesText();

    /** Width d_tau of the caption's token vectors it reads (when it reads text). */
    int contextDim();

    /** Channels joined to z_t (inpainting's masked image and mask), 0 for none. */
    int concatChannels();

    /** The sides of the query grids its attention layers run at (8 for 8x8 maps). */
    Set<Integer> attentionLevels();

    /** Writes the architecture under the backbone's keys. */
    Settings toSettings(Settings s);

    /** A fresh model of this architecture. */
    Denoiser build(Init init);
}
