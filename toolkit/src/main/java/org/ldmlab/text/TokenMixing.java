package org.ldmlab.text;

import org.ldmlab.Choice;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Which tokens of the caption a token of the text encoder may attend to, as an additive attention mask [L, L]
 * (0: may look, {@link #BLOCKED}: may not). It decides how much of the whole caption each token's vector
 * carries into the UNet's cross-attention, and so how much a per-token attention map can mean:
 * <ul>
 *   <li>{@link #FULL}: every token sees every token, padding included (LDM's unmasked tau_theta);</li>
 *   <li>{@link #CAUSAL}: token i sees tokens 0..i (CLIP's text encoder, Radford et al. 2021, which Stable
 *       Diffusion uses and on whose maps Prompt-to-Prompt and DAAM rely);</li>
 *   <li>{@link #NONE}: token i sees only itself: its vector is its word and position, passed through the same
 *       layers, with nothing of the other words.</li>
 * </ul>
 */
public enum TokenMixing implements Choice {
    FULL,
    CAUSAL,
    NONE;

    /** Added to a blocked score before the softmax: exp(-1e9) is exactly 0 in float. */
    public static final double BLOCKED = -1e9;

    public static TokenMixing parse(String word) {
        return Choice.parse(TokenMixing.class, word, "token mixing");
    }

    /** The additive mask [L, L] for a context of {@code length} tokens, or null for {@link #FULL} (no mask). */
    public INDArray mask(int length, DataType type) {
        if (this == FULL) {
            return null;
        }
        INDArray m = Nd4j.zeros(type, length, length); // [query i, key j]
        for (int i = 0; i < length; i++) {
            for (int j = 0; j < length; j++) {
                boolean visible = this == CAUSAL ? j <= i : j == i;
                if (!visible) {
                    m.putScalar(i, j, BLOCKED);
                }
            }
        }
        return m;
    }
}
