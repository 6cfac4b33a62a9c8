package org.ldmlab.p2p;

import org.ldmlab.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Word swap (Prompt-to-Prompt, Hertz et al. 2022, section 3.2): "a big red circle" -> "a big blue circle". The
 * target's cross-attention maps are the source's, Edit(M_t, M_t*, t) := M_t, so the new word is drawn where the
 * old one was. Tokens correspond one to one ({@link WordAlignment#replace}: one token per word, equal word counts).
 */
public final class AttentionReplace extends AttentionEdit {
    /** Refuses prompts whose word counts differ. */
    public AttentionReplace(InjectionSchedule schedule, Tokenizer tokenizer, String source, String target) {
        super(schedule, tokenizer, target);
        WordAlignment.replace(tokenizer, source, target);
    }

    @Override
    protected INDArray editCross(INDArray source, INDArray target) {
        return source; // [heads, Nq, L]: M_t* := M_t
    }
}
