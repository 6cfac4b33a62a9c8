package org.ldmlab.p2p;

import java.util.Arrays;
import java.util.Locale;
import org.ldmlab.InvalidInputException;

/** The three edits of Prompt-to-Prompt (Hertz et al. 2022, section 3.2). */
public enum EditMode {
    /** Word swap: the target's maps are the source's, token by token ({@link AttentionReplace}). */
    REPLACE,
    /** Adding or removing words: aligned tokens take the source's maps ({@link AttentionRefine}). */
    REFINE,
    /** Fader control: refine (the identity alignment when the prompts are equal), then {@link AttentionReweight}. */
    REWEIGHT;

    public static EditMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("unknown edit mode '" + text + "'; use one of "
                    + String.join(", ", Arrays.stream(values()).map(EditMode::word).toList()));
        }
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
