package org.ldmlab.sampling;

import org.ldmlab.Choice;

/** The two samplers: DDIM (Song et al. 2021; eta 0 deterministic) and DDPM ancestral sampling (Ho et al. 2020). */
public enum SamplerKind implements Choice {
    DDIM, DDPM;

    /** As the command line writes it (so a settings record prints as before: sampler=ddim). */
    @Override
    public String toString() {
        return word();
    }

    /** "ddim" or "ddpm"; another word is a clear error that lists them. */
    public static SamplerKind parse(String word) {
        return Choice.parse(SamplerKind.class, word, "sampler");
    }
}
