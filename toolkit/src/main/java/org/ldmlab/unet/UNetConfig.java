package org.ldmlab.unet;

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

    public int inputChannels() {
        return latentChannels + (key.usesConcat() ? concatChannels : 0);
    }

    public int embeddingDim() {
        return 4 * timeFeatures;
    }
}
