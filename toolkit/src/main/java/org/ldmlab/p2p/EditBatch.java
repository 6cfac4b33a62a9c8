package org.ldmlab.p2p;

import java.util.List;
import org.ldmlab.attention.AttentionController;
import org.ldmlab.attention.AttentionSite;
import org.ldmlab.sampling.LatentHook;
import org.ldmlab.sampling.SamplingStep;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Several Prompt-to-Prompt edits sampled as one batch, prompts [s_1, t_1, s_2, t_2, ...]: each edit's controller and
 * latent hook see only their own pair of prompts, laid out as if the pair were sampled alone (guided: rows
 * [u_s, u_t, c_s, c_t]), so every {@link AttentionEdit} and {@link LocalBlend} works unchanged. One backbone call
 * then serves k edits: on this CPU a batch of 32 prompts costs about three times a batch of 2.
 */
final class EditBatch implements AttentionController, LatentHook {
    private final List<PromptToPrompt.Plan> plans;

    EditBatch(List<PromptToPrompt.Plan> plans) {
        this.plans = List.copyOf(plans);
    }

    @Override
    public INDArray onAttention(AttentionSite site, INDArray probs) {
        if (site.prompts() != 2 * plans.size()) {
            throw new IllegalStateException("a batch of " + plans.size() + " edits has " + 2 * plans.size()
                    + " prompts; this call has " + site.prompts());
        }
        AttentionSite pairSite = new AttentionSite(site.layer(), site.place(), site.block(), site.height(), site.width(),
                site.cross(), site.step(), 2);
        INDArray out = probs;
        int halves = site.guided() ? 2 : 1; // [unconditional | conditional] halves, each prompt-major
        for (int p = 0; p < plans.size(); p++) {
            INDArray[] pairRows = new INDArray[halves];
            for (int h = 0; h < halves; h++) {
                pairRows[h] = rows(probs, h, p);                                                  // [2, heads, Nq, Nk], a view
            }
            INDArray mine = halves == 1 ? pairRows[0].dup() : Nd4j.concat(0, pairRows);           // [2 or 4, heads, Nq, Nk]
            INDArray edited = plans.get(p).controller().onAttention(pairSite, mine);
            if (edited != mine) {
                out = out == probs ? probs.dup() : out;
                for (int h = 0; h < halves; h++) {
                    rows(out, h, p).assign(edited.get(NDArrayIndex.interval(2L * h, 2L * h + 2), NDArrayIndex.all(),
                            NDArrayIndex.all(), NDArrayIndex.all()));
                }
            }
        }
        return out;
    }

    /** Pair p's two rows [s_p, t_p] in half h of {@code probs} [B, heads, Nq, Nk]: a view. */
    private INDArray rows(INDArray probs, int half, int pair) {
        long first = 2L * plans.size() * half + 2L * pair;
        return probs.get(NDArrayIndex.interval(first, first + 2), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }

    @Override
    public INDArray afterStep(SamplingStep step, INDArray z) {
        INDArray out = z;                                                                        // [2k, C, h, w]
        for (int p = 0; p < plans.size(); p++) {
            INDArray mine = z.get(NDArrayIndex.interval(2L * p, 2L * p + 2), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            INDArray next = plans.get(p).hook().afterStep(step, mine);                            // [2, C, h, w]
            if (next != mine) {
                out = out == z ? z.dup() : out;
                out.get(NDArrayIndex.interval(2L * p, 2L * p + 2), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).assign(next);
            }
        }
        return out;
    }
}
