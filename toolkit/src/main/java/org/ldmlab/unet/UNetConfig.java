package org.ldmlab.unet;

import org.ldmlab.io.Settings;

/**
 * The shape of a UNet: latent channels, extra channels concatenated to z_t (concat/hybrid), the width of
 * each resolution level (each level halves the resolution), the text context width, heads and groups.
 */
public record UNetConfig(int latentChannels, int concatChannels, int[] channels, int contextDim, int heads,
        int groups, int timeFeatures, ConditioningKey key) {

    /** The default text-to-image model of the toolkit: 8x8x4 latents, widths 32/64, cross-attention. */
    public static UNetConfig textToImage(int contextDim) {
        return new UNetConfig(4, 0, new int[] {32, 64}, contextDim, 4, 8, 64, ConditioningKey.CROSSATTN);
    }

    public Settings toSettings(Settings s) {
        return s.put("unet.latent_channels", latentChannels).put("unet.concat_channels", concatChannels)
                .put("unet.channels", channels).put("unet.context_dim", contextDim).put("unet.heads", heads)
                .put("unet.groups", groups).put("unet.time_features", timeFeatures).put("unet.key", key.word());
    }

    public static UNetConfig from(Settings s) {
        return new UNetConfig(s.integer("unet.latent_channels"), s.integer("unet.concat_channels"),
                s.integers("unet.channels"), s.integer("unet.context_dim"), s.integer("unet.heads"),
                s.integer("unet.groups"), s.integer("unet.time_features"), ConditioningKey.parse(s.string("unet.key")));
    }

    /**
     * The inpainting model (LDM section 4.5): z_t joined with the masked image's latent (4 channels) and the mask at
     * latent resolution (1 channel), and the caption by cross-attention: the hybrid key.
     */
    public static UNetConfig inpainting(int contextDim) {
        return new UNetConfig(4, 5, new int[] {32, 64}, contextDim, 4, 8, 64, ConditioningKey.HYBRID);
    }

    public int inputChannels() {
        return latentChannels + (key.usesConcat() ? concatChannels : 0);
    }

    public int embeddingDim() {
        return 4 * timeFeatures;
    }
}
