package org.ldmlab.dit;

import java.util.Set;
import org.ldmlab.InvalidInputException;
import org.ldmlab.io.Settings;
import org.ldmlab.nn.Denoiser;
import org.ldmlab.nn.DenoiserConfig;
import org.ldmlab.nn.Init;

/**
 * The shape of a Diffusion Transformer (Peebles and Xie 2023, section 3.2): the latent grid I x I x C it runs on,
 * the patch side p (T = (I / p)^2 tokens), N blocks of width d with their heads, how the condition enters
 * ({@link DiTVariant}), the caption's token width, the timestep's sinusoidal features, and whether the output also
 * carries the variance (the paper's models learn Sigma: 2C output channels, of which eps is the first C).
 * The named sizes are in {@link DiTPreset}.
 */
public record DiTConfig(DiTVariant variant, int latentSize, int latentChannels, int patch, int depth, int width, int heads,
        int contextDim, int timeFeatures, boolean learnSigma) implements DenoiserConfig {
    public static final String BACKBONE = "dit";
    /** The MLP's hidden width is 4 d (mlp_ratio in the paper's code). */
    public static final int MLP_RATIO = 4;

    public DiTConfig {
        if (patch < 1 || latentSize % patch != 0) {
            throw new InvalidInputException("patch size " + patch + " does not tile the " + latentSize + "x" + latentSize + " latent grid");
        }
        if (depth < 1 || width < 1 || heads < 1 || width % heads != 0) {
            throw new InvalidInputException("a DiT needs >= 1 block and a width " + width + " that splits into " + heads + " heads");
        }
        if (width % 4 != 0) {
            throw new InvalidInputException("the 2-D sin-cos position embedding needs a width divisible by 4, got " + width);
        }
    }

    /** T = (I / p)^2, the image tokens. */
    public int tokens() {
        return gridSide() * gridSide();
    }

    /** I / p, the side of the token grid. */
    public int gridSide() {
        return latentSize / patch;
    }

    /** Channels the final layer predicts per latent position: eps, and Sigma when learnt. */
    public int outputChannels() {
        return learnSigma ? 2 * latentChannels : latentChannels;
    }

    public DiTConfig withVariant(DiTVariant v) {
        return new DiTConfig(v, latentSize, latentChannels, patch, depth, width, heads, contextDim, timeFeatures, learnSigma);
    }

    @Override
    public String backbone() {
        return BACKBONE;
    }

    @Override
    public boolean usesText() {
        return true;
    }

    @Override
    public int concatChannels() {
        return 0;
    }

    @Override
    public Set<Integer> attentionLevels() {
        return Set.of(gridSide());
    }

    @Override
    public Denoiser build(Init init) {
        return new DiT(this, init);
    }

    @Override
    public Settings toSettings(Settings s) {
        return s.put("backbone", BACKBONE).put("dit.variant", variant.word()).put("dit.latent_size", latentSize)
                .put("dit.latent_channels", latentChannels).put("dit.patch", patch).put("dit.depth", depth)
                .put("dit.width", width).put("dit.heads", heads).put("dit.context_dim", contextDim)
                .put("dit.time_features", timeFeatures).put("dit.learn_sigma", learnSigma);
    }

    public static DiTConfig from(Settings s) {
        return new DiTConfig(DiTVariant.parse(s.string("dit.variant")), s.integer("dit.latent_size"),
                s.integer("dit.latent_channels"), s.integer("dit.patch"), s.integer("dit.depth"), s.integer("dit.width"),
                s.integer("dit.heads"), s.integer("dit.context_dim"), s.integer("dit.time_features"),
                Boolean.parseBoolean(s.string("dit.learn_sigma")));
    }
}
