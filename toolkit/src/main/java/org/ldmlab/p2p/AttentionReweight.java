package org.ldmlab.p2p;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.ldmlab.InvalidInputException;
import org.ldmlab.attention.AttentionController;
import org.ldmlab.attention.AttentionSite;
import org.ldmlab.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Attention re-weighting (Prompt-to-Prompt, Hertz et al. 2022, section 3.2, "fader control"): the target's
 * cross-attention map of word j is scaled by c in [-2, 2] in the paper, M_t*[:, j] := c M_t*[:, j], without
 * renormalising; the other columns stay. Placed after a replace or refine edit with
 * {@link AttentionController#andThen}. Unlike the reference, which scales only during the injected steps, this
 * scales at every step, so a factor holds even where the base edit no longer injects.
 */
public final class AttentionReweight implements AttentionController {
    private final INDArray factors; // [L]: c for the reweighted words' tokens, 1 elsewhere

    /** @param factors per target word, its factor (any finite number; negative allowed) */
    public AttentionReweight(Tokenizer tokenizer, String target, Map<String, Double> factors) {
        float[] c = new float[tokenizer.contextLength()];
        Arrays.fill(c, 1f);
        for (Map.Entry<String, Double> e : new TreeMap<>(factors).entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                throw new InvalidInputException("--reweight " + e.getKey() + " needs a finite factor; got " + e.getValue());
            }
            for (int position : PromptWords.positions(tokenizer, target, e.getKey(), "--reweight")) {
                c[position] = e.getValue().floatValue();
            }
        }
        this.factors = Nd4j.createFromArray(c);
    }

    @Override
    public INDArray onAttention(AttentionSite site, INDArray probs) {
        if (!site.cross()) {
            return probs;
        }
        INDArray out = probs.dup();                                            // [B, heads, Nq, L]
        INDArray target = site.conditional(out, AttentionEdit.TARGET);        // [heads, Nq, L], a view
        Broadcast.mul(target, factors.castTo(probs.dataType()), target, 2);    // column j times c_j, in place
        return out;
    }
}
