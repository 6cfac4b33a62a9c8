package org.ldmlab.dit;

import org.ldmlab.Choice;

/**
 * How a DiT block reads its condition (Peebles and Xie 2023, section 3.2 and Figure 5), for a caption y and the
 * timestep t. The pooled caption is the text encoder's token vectors averaged over the real tokens; the paper's
 * class label embedding y_emb becomes a linear map of it.
 */
public enum DiTVariant implements Choice {
    /** t and the caption's token vectors appended to the image tokens, dropped after the last block. */
    IN_CONTEXT("in-context"),
    /** A cross-attention layer over the caption's tokens after self-attention (about 15% more Gflops in the paper). */
    CROSS_ATTENTION("cross-attention"),
    /** LayerNorm's scale and shift regressed from c = t_emb + y_emb (no gates, no zero initialisation). */
    ADALN("adaln"),
    /** adaLN with gates before each residual, and the modulation zero-initialised: every block starts as the identity. */
    ADALN_ZERO("adaln-zero"),
    /** adaLN-Zero for t and the pooled caption, cross-attention for the caption's tokens (as PixArt-alpha, Chen et al. 2024). */
    ADALN_ZERO_CROSS("adaln-zero-cross");

    private final String word;

    DiTVariant(String word) {
        this.word = word;
    }

    @Override
    public String word() {
        return word;
    }

    public static DiTVariant parse(String word) {
        return Choice.parse(DiTVariant.class, word, "DiT variant");
    }

    /** Whether c = t_emb + y_emb modulates the LayerNorms (adaLN, adaLN-Zero, adaLN-Zero + cross-attention). */
    public boolean modulates() {
        return this == ADALN || this == ADALN_ZERO || this == ADALN_ZERO_CROSS;
    }

    /** Whether the blocks attend to the caption's tokens with a cross-attention layer. */
    public boolean crossAttends() {
        return this == CROSS_ATTENTION || this == ADALN_ZERO_CROSS;
    }
}
