package org.ldmlab.autoencoder;

import org.ldmlab.io.Settings;

/**
 * The shape of the KL autoencoder: image channels, latent channels, and the width at each resolution.
 * Each width after the first halves the resolution, so f = 2^(levels - 1); the default is f = 4:
 * 32x32x3 images <-> 8x8x4 latents.
 */
public record AutoencoderConfig(int imageChannels, int latentChannels, int[] channels, int groups, double klWeight) {

    /** The toolkit's default: widths 16/32/64 at 32/16/8 px, 4 latent channels, KL weight 1e-6 as in LDM's KL-f4/f8. */
    public static AutoencoderConfig defaults() {
        return new AutoencoderConfig(3, 4, new int[] {16, 32, 64}, 8, 1e-6);
    }

    public Settings toSettings(Settings s) {
        return s.put("ae.image_channels", imageChannels).put("ae.latent_channels", latentChannels)
                .put("ae.channels", channels).put("ae.groups", groups).put("ae.kl_weight", klWeight);
    }

    public static AutoencoderConfig from(Settings s) {
        return new AutoencoderConfig(s.integer("ae.image_channels"), s.integer("ae.latent_channels"),
                s.integers("ae.channels"), s.integer("ae.groups"), s.number("ae.kl_weight"));
    }

    /** The downsampling factor f = H / h. */
    public int factor() {
        return 1 << (channels.length - 1);
    }
}
