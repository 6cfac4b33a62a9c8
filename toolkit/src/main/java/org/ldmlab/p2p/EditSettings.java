package org.ldmlab.p2p;

import java.util.List;
import java.util.Map;

/**
 * What a Prompt-to-Prompt edit does, besides sampling: the edit, when it injects, which target words are
 * re-weighted by which factor, and which words (of the source and/or the target) bound a local blend (none: the
 * whole image may change).
 */
public record EditSettings(EditMode mode, InjectionSchedule injection, Map<String, Double> reweights, List<String> blendWords) {
    public EditSettings {
        reweights = Map.copyOf(reweights);
        blendWords = List.copyOf(blendWords);
    }

    /** The paper's word swap: replace, cross-attention 80% and self-attention 40% of the steps, no blend. */
    public static EditSettings defaults() {
        return new EditSettings(EditMode.REPLACE, InjectionSchedule.defaults(), Map.of(), List.of());
    }
}
