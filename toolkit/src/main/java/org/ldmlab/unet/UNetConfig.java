package org.ldmlab.unet;

import java.util.Set;
import java.util.TreeSet;
import org.ldmlab.io.Settings;
import org.ldmlab.nn.Denoiser;
import org.ldmlab.nn.DenoiserConfig;
import org.ldmlab.nn.Init;

/**
 * The shape of a UNet: latent channels and grid side, extra channels concatenated to z_t (concat/hybrid), the
 * width of each resolution level (each level halves the resolution), the text context width, heads and groups.
 * (A UNet runs on any grid the levels can halve; {@code latentSize} is the grid it is trained and sampled on.)
 */
public record UNetConfig(int latentChannels, int latentSize, int concatChannels, int[] channels, int contextDim, int heads,
        int groups, int timeFeatures, ConditioningKey key) implements DenoiserConfig {
    public static final String BACKBONE = "unet";
    /** The latent grid of the toolkit's autoencoder (32x32 images, f = 4), and of checkpoints that predate the key. */
    public static final int LATENT_SIZE = 8;

    /** The default text-to-image model of the toolkit: 8x8x4 latents, widths 32/64, cross-attention. */
    public static UNetConfig textToImage(int contextDim) {
        return new UNetConfig(4, LATENT_SIZE, 0, new int[] {32, 64}, contextDim, 4, 8, 64, ConditioningKey.CROSSATTN);
    }

    @Override
    public String backbone() {
        return BACKBONE;
    }

    @Override
    public boolean usesText() {
        return key.usesCrossAttention();
    }

    @Override
    public int concatChannels() {
        return key.usesConcat() ? concatChannels : 0;
    }

    /** The latent side, halved at each level. */
    @Override
    public Set<Integer> attentionLevels() {
        Set<Integer> sides = new TreeSet<>();
        for (int l = 0; l < channels.length; l++) {
            sides.add(latentSize >> l);
        }
        return sides;
    }

    @Override
    public Denoiser build(Init init) {
        return new UNet(this, init);
    }

    @Override
    public Settings toSettings(Settings s) {
        return s.put("backbone", BACKBONE).put("unet.latent_channels", latentChannels).put("unet.latent_size", latentSize).put("unet.concat_channels", concatChannels)
                .put("unet.channels", channels).put("unet.context_dim", contextDim).put("unet.heads", heads)
                .put("unet.groups", groups).put("unet.time_features", timeFeatures).put("unet.key", key.word());
    }

    public static UNetConfig from(Settings s) {
        return new UNetConfig(s.integer("unet.latent_channels"),
                Integer.parseInt(s.string("unet.latent_size", Integer.toString(LATENT_SIZE))), s.integer("unet.concat_channels"),
                s.integers("unet.channels"), s.integer("unet.context_dim"), s.integer("unet.heads"),
                s.integer("unet.groups"), s.integer("unet.time_features"), ConditioningKey.parse(s.string("unet.key")));
    }

    /**
     * The inpainting model (LDM section 4.5): z_t joined with the masked image's latent (4 channels) and the mask at
     * latent resolution (1 channel), and the caption by cross-attention: the hybrid key.
     */
    public static UNetConfig inpainting(int contextDim) {
        return new UNetConfig(4, LATENT_SIZE, 5, new int[] {32, 64}, contextDim, 4, 8, 64, ConditioningKey.HYBRID);
    }

    public int inputChannels() {
        return latentChannels + concatChannels();
    }

    public int embeddingDim() {
        return 4 * timeFeatures;
    }
}
