package org.ldmlab.p2p;

import org.ldmlab.attention.AttentionController;
import org.ldmlab.attention.AttentionSite;
import org.ldmlab.text.Tokenizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;

/**
 * Prompt-to-Prompt's editing step (Hertz et al. 2022, section 3.2, Algorithm 1): the batch holds two prompts,
 * [source, target]; at every attention layer the target's conditional maps M_t* become Edit(M_t, M_t*, t), built
 * from the source's maps M_t, while the step is injected ({@link InjectionSchedule}): the cross-attention maps
 * token by token by the subclass's edit, the self-attention maps wholesale (M_t* := M_t; the reference does so for
 * maps up to 16x16 tokens, and every level here is smaller). Unconditional rows and the source row are left alone.
 */
public abstract class AttentionEdit implements AttentionController {
    static final int SOURCE = 0;
    static final int TARGET = 1;

    private final InjectionSchedule schedule;
    private final Tokenizer tokenizer;
    private final String target;
    private INDArray crossSteps; // [L]: how many steps each target token's cross-attention is injected for
    private int crossStepsCount = -1;

    protected AttentionEdit(InjectionSchedule schedule, Tokenizer tokenizer, String target) {
        this.schedule = schedule;
        this.tokenizer = tokenizer;
        this.target = target;
        schedule.crossStepsPerToken(tokenizer, target, 1); // a per-word fraction for a word not in the target fails now
    }

    /** The edited cross-attention maps of the target from the source's: [heads, Nq, L] each. */
    protected abstract INDArray editCross(INDArray source, INDArray target);

    @Override
    public final INDArray onAttention(AttentionSite site, INDArray probs) {
        if (site.prompts() != 2) {
            throw new IllegalStateException("Prompt-to-Prompt samples [source, target] in one batch; this batch has "
                    + site.prompts() + " prompts");
        }
        INDArray source = site.conditional(probs, SOURCE); // [heads, Nq, Nk]
        INDArray target = site.conditional(probs, TARGET); // [heads, Nq, Nk]
        INDArray edited;
        if (site.cross()) {
            INDArray injected = crossSteps(site.step().count()).gt(site.step().index()).castTo(probs.dataType()); // [L] 1 or 0
            if (injected.sumNumber().doubleValue() == 0) {
                return probs;
            }
            INDArray kept = injected.rsub(1);                                                                   // [L]
            // per token j: injected ? Edit_j : M_t*_j, written as a sum so that both cases are exact
            edited = Broadcast.mul(editCross(source, target), injected, target.ulike(), 2)
                    .addi(Broadcast.mul(target, kept, target.ulike(), 2));                                      // [heads, Nq, L]
        } else if (schedule.injectsSelf(site.step())) {
            edited = source;
        } else {
            return probs;
        }
        INDArray out = probs.dup();                                                                             // [B, heads, Nq, Nk]
        site.conditional(out, TARGET).assign(edited);
        return out;
    }

    private INDArray crossSteps(int count) {
        if (count != crossStepsCount) {
            crossSteps = schedule.crossStepsPerToken(tokenizer, target, count);
            crossStepsCount = count;
        }
        return crossSteps;
    }
}
