package org.ldmlab.unet;

import org.ldmlab.Choice;

/**
 * How conditioning enters the UNet: the LDM "switch" (Rombach et al. 2022, Fig. 3 and section 3.3).
 * Spatially aligned inputs (a masked image, a mask, a low-resolution image) are concatenated to z_t on
 * the channel axis; inputs without a spatial layout (text, a class) are attended to by cross-attention;
 * hybrid does both at once, e.g. inpainting guided by a caption.
 */
public enum ConditioningKey implements Choice {
    CROSSATTN,
    CONCAT,
    HYBRID;

    public boolean usesCrossAttention() {
        return this != CONCAT;
    }

    public boolean usesConcat() {
        return this != CROSSATTN;
    }

    public static ConditioningKey parse(String word) {
        return Choice.parse(ConditioningKey.class, word, "conditioning key");
    }
}
