package org.ldmlab.attention;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sees, and may change, the attention probabilities of every attention layer during a forward pass
 * (the hook of Prompt-to-Prompt, Hertz et al. 2022, section 3). A controller that records builds
 * attention maps; one that edits builds Prompt-to-Prompt. Called only when no gradient is recorded.
 */
@FunctionalInterface
public interface AttentionController {
    /**
     * @param site  which layer: its name, self or cross attention, and the image resolution of its queries
     * @param probs softmax(Q K^T / sqrt(d)), [B, heads, Nq, Nk]; Nq = height * width image tokens,
     *              Nk = text tokens (cross) or image tokens (self)
     * @return the probabilities to use, of the same shape (return {@code probs} to leave them alone)
     */
    INDArray onAttention(AttentionSite site, INDArray probs);
}
