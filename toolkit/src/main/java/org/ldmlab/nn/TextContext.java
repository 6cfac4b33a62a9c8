package org.ldmlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A caption as a noise model reads it: the text encoder's token vectors tau_theta(y) and which of them are real
 * tokens (the caption's words and its start and end tokens) rather than padding.
 *
 * @param tokens [B, M, d_tau]
 * @param real   [B, M], 1 for a real token and 0 for padding; null when every token counts as real
 */
public record TextContext(Var tokens, INDArray real) {
    /**
     * The caption as one vector: the token vectors averaged over the real tokens only, [B, d_tau]. (The DiT's text
     * variants condition on it where the class-conditional DiT had its label embedding y.)
     */
    public Var pooled() {
        long[] s = tokens.shape(); // [B, M, d]
        INDArray weights = real == null ? Nd4j.ones(tokens.value().dataType(), s[0], s[1])
                : real.castTo(tokens.value().dataType());                                     // [B, M]
        weights = weights.divColumnVector(weights.sum(true, 1)).reshape(s[0], 1, s[1]);        // [B, 1, M], rows sum to 1
        return Ops.reshape(Ops.matmul(Var.constant(weights), tokens), s[0], s[2]);            // [B, d]
    }
}
