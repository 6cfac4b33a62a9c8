package org.ldmlab.p2p;

import org.ldmlab.Choice;

/** The three edits of Prompt-to-Prompt (Hertz et al. 2022, section 3.2). */
public enum EditMode implements Choice {
    /** Word swap: the target's maps are the source's, token by token ({@link AttentionReplace}). */
    REPLACE,
    /** Adding or removing words: aligned tokens take the source's maps ({@link AttentionRefine}). */
    REFINE,
    /** Fader control: refine (the identity alignment when the prompts are equal), then {@link AttentionReweight}. */
    REWEIGHT;

    public static EditMode parse(String word) {
        return Choice.parse(EditMode.class, word, "edit mode");
    }
}
