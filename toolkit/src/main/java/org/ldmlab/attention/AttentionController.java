package org.ldmlab.attention;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sees, and may change, the attention probabilities of every attention layer of a backbone during sampling, right
 * after the softmax: the single hook of Prompt-to-Prompt (Hertz et al. 2022, section 3). A controller that records
 * builds attention maps ({@link AttentionStore}); one that edits builds Prompt-to-Prompt ({@code p2p}).
 * Attach one with a scope, and it is gone when the scope ends:
 * <pre>{@code
 * try (var attached = ldm.attach((site, probs) -> probs)) { ... sample ... }
 * }</pre>
 * Called only when no gradient is recorded (sampling), once per attention layer per model call.
 */
@FunctionalInterface
public interface AttentionController {
    /**
     * @param site  which layer, which step, and how the batch's rows are laid out (see {@link AttentionSite})
     * @param probs softmax(Q K^T / sqrt(d)), [B, heads, Nq, Nk]; Nq = height * width image tokens,
     *              Nk = text tokens (cross) or image tokens (self)
     * @return the probabilities to use, of the same shape (return {@code probs} to leave them alone)
     */
    INDArray onAttention(AttentionSite site, INDArray probs);

    /** This controller, then {@code next} on what it returned. */
    default AttentionController andThen(AttentionController next) {
        return (site, probs) -> next.onAttention(site, onAttention(site, probs));
    }
}
