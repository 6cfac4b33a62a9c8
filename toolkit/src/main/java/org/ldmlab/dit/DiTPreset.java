package org.ldmlab.dit;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.ldmlab.InvalidInputException;

/**
 * Named DiT sizes, one line each. The paper's (Peebles and Xie 2023, Table 1: layers N, hidden size d, heads; patch
 * 2, 4, 8) run on its setting, 256x256 images whose latents are 32x32x4, and learn Sigma: they are here to be
 * counted ({@code ldmlab flops}), not trained on a laptop. The {@code -tiny} ones are this toolkit's own, scaled down
 * to the 8x8x4 latents of the shapes dataset so that they train on 2 CPU cores; nobody should read them as the paper's.
 */
public enum DiTPreset {
    //          name            layers width heads patch  latent
    S_8("S/8", 12, 384, 6, 8, Scale.PAPER),
    S_4("S/4", 12, 384, 6, 4, Scale.PAPER),
    S_2("S/2", 12, 384, 6, 2, Scale.PAPER),
    B_8("B/8", 12, 768, 12, 8, Scale.PAPER),
    B_4("B/4", 12, 768, 12, 4, Scale.PAPER),
    B_2("B/2", 12, 768, 12, 2, Scale.PAPER),
    L_8("L/8", 24, 1024, 16, 8, Scale.PAPER),
    L_4("L/4", 24, 1024, 16, 4, Scale.PAPER),
    L_2("L/2", 24, 1024, 16, 2, Scale.PAPER),
    XL_8("XL/8", 28, 1152, 16, 8, Scale.PAPER),
    XL_4("XL/4", 28, 1152, 16, 4, Scale.PAPER),
    XL_2("XL/2", 28, 1152, 16, 2, Scale.PAPER),
    S_4_TINY("S/4-tiny", 5, 64, 4, 4, Scale.TINY),
    S_2_TINY("S/2-tiny", 5, 64, 4, 2, Scale.TINY),
    S_1_TINY("S/1-tiny", 5, 64, 4, 1, Scale.TINY),
    B_2_TINY("B/2-tiny", 6, 128, 4, 2, Scale.TINY),
    B_1_TINY("B/1-tiny", 6, 128, 4, 1, Scale.TINY);

    /** Where a preset runs: the paper's 32x32x4 latents (timestep features 256, Sigma learnt) or the toolkit's 8x8x4. */
    private enum Scale {
        PAPER(32, 256, true),
        TINY(8, 64, false);

        final int latentSize;
        final int timeFeatures;
        final boolean learnSigma;

        Scale(int latentSize, int timeFeatures, boolean learnSigma) {
            this.latentSize = latentSize;
            this.timeFeatures = timeFeatures;
            this.learnSigma = learnSigma;
        }
    }

    private final String word;
    private final int depth;
    private final int width;
    private final int heads;
    private final int patch;
    private final Scale scale;

    DiTPreset(String word, int depth, int width, int heads, int patch, Scale scale) {
        this.word = word;
        this.depth = depth;
        this.width = width;
        this.heads = heads;
        this.patch = patch;
        this.scale = scale;
    }

    /** "S/2", "XL/8", "S/2-tiny". */
    public String word() {
        return word;
    }

    /** Whether this is one of the paper's models (as opposed to a {@code -tiny} one). */
    public boolean paper() {
        return scale == Scale.PAPER;
    }

    /** This size with the given conditioning, reading captions of width {@code contextDim}, on 4 latent channels. */
    public DiTConfig config(DiTVariant variant, int contextDim) {
        return new DiTConfig(variant, scale.latentSize, 4, patch, depth, width, heads, contextDim, scale.timeFeatures, scale.learnSigma);
    }

    public static DiTPreset parse(String word) {
        for (DiTPreset p : values()) {
            if (p.word.equals(word)) {
                return p;
            }
        }
        throw new InvalidInputException("unknown DiT preset '" + word + "'; choose "
                + Arrays.stream(values()).map(DiTPreset::word).collect(Collectors.joining(", ")));
    }
}
