package org.ldmlab.attention;

import org.ldmlab.sampling.SamplingStep;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One attention call, as a controller sees it: which layer (its module path, the name its weights have in a
 * checkpoint, e.g. {@code unet.up.0.attn.block.attn2}), where in the backbone (place, block, and the level: the
 * query resolution height x width), self or cross attention, and when (the sampler's step and timestep).
 *
 * <p><b>Rows of the probabilities</b> [B, heads, Nq, Nk]: with classifier-free guidance the batch is
 * [unconditional rows | conditional rows], each half prompt-major (row p of a half is prompt p); without guidance
 * (s = 1) there are only conditional rows. {@link #conditionalRow(int)} gives prompt p's conditional row, whatever
 * the case. Editing controllers touch only conditional rows (Prompt-to-Prompt, Hertz et al. 2022, section 3).
 *
 * @param step     the sampler's step: index 0 first, its timestep; index -1 outside a sampling run
 * @param prompts  how many prompts the batch holds (B, or B / 2 under guidance)
 */
public record AttentionSite(String layer, Place place, int block, int height, int width, boolean cross,
        SamplingStep step, int prompts) {

    /** Where a layer sits in the backbone: the UNet's down path, its middle, its up path; a DiT's blocks are MID. */
    public enum Place implements org.ldmlab.Choice {
        DOWN, MID, UP
    }

    /** Whether the batch carries unconditional rows (classifier-free guidance with s != 1). */
    public boolean guided() {
        return step.guided();
    }

    /** How many rows come before the conditional ones: the prompts under guidance, else 0. */
    public int unconditionalRows() {
        return guided() ? prompts : 0;
    }

    /** The batch row of prompt p's conditional call. */
    public int conditionalRow(int prompt) {
        if (prompt < 0 || prompt >= prompts) {
            throw new IndexOutOfBoundsException("prompt " + prompt + " of " + prompts);
        }
        return unconditionalRows() + prompt;
    }

    /** Prompt p's conditional probabilities, a view [heads, Nq, Nk] into {@code probs} [B, heads, Nq, Nk]. */
    public INDArray conditional(INDArray probs, int prompt) {
        return probs.get(NDArrayIndex.point(conditionalRow(prompt)), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** The level as text, e.g. "8x8". */
    public String level() {
        return height + "x" + width;
    }
}
