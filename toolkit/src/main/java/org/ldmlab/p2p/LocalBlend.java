package org.ldmlab.p2p;

import java.util.Arrays;
import org.ldmlab.attention.AttentionController;
import org.ldmlab.attention.AttentionSite;
import org.ldmlab.sampling.LatentHook;
import org.ldmlab.sampling.SamplingStep;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Local editing (Prompt-to-Prompt, Hertz et al. 2022, section 3.2, "Local editing"): only the region of the blend
 * words changes, the rest of the target's latent is the source's. As a controller it sums, during one step, the
 * chosen words' cross-attention maps at the latent grid's level over layers and heads, for the source and for the
 * target; as the sampler's latent hook it then builds a mask per prompt (3x3 max-pool, stride 1, same size;
 * upsampling to the latent grid is the identity here; divide by the max; threshold 0.3) and blends, with
 * m = source mask OR target mask:
 * z_t* := z_t + m (z_t* - z_t)    (computed as m z_t* + (1 - m) z_t: equal, and exact at m = 0 and m = 1).
 * It starts at step round(start S) of S (the reference: 20% of the steps); before that the latents are kept.
 * The maps it reads are the unedited ones when it comes first in an {@link AttentionController#andThen} chain.
 */
public final class LocalBlend implements AttentionController, LatentHook {
    /** The reference's start: the first 20% of the steps are left unblended. */
    public static final double DEFAULT_START = 0.2;
    private static final double THRESHOLD = 0.3;

    private final int[] sourceTokens;
    private final int[] targetTokens;
    private final int height;
    private final int width;
    private final double start;
    private INDArray sourceMaps; // [Nq]: this step's sum of the source's word maps
    private INDArray targetMaps; // [Nq]

    /**
     * @param sourceTokens the blend words' token positions in the source (may be empty)
     * @param targetTokens the blend words' token positions in the target (may be empty)
     * @param height       the latent grid, whose attention level is read (h x w image tokens)
     * @param start        the fraction of the steps before the first blend, in [0, 1]
     */
    public LocalBlend(int[] sourceTokens, int[] targetTokens, int height, int width, double start) {
        this.sourceTokens = sourceTokens.clone();
        this.targetTokens = targetTokens.clone();
        this.height = height;
        this.width = width;
        this.start = start;
    }

    @Override
    public INDArray onAttention(AttentionSite site, INDArray probs) {
        if (site.cross() && site.height() == height && site.width() == width) {
            sourceMaps = add(sourceMaps, wordMaps(site.conditional(probs, AttentionEdit.SOURCE), sourceTokens));
            targetMaps = add(targetMaps, wordMaps(site.conditional(probs, AttentionEdit.TARGET), targetTokens));
        }
        return probs;
    }

    @Override
    public INDArray afterStep(SamplingStep step, INDArray z) {
        INDArray source = sourceMaps;
        INDArray target = targetMaps;
        sourceMaps = null;
        targetMaps = null;
        if (source == null || step.index() < InjectionSchedule.injectedSteps(start, step.count())) {
            return z;
        }
        INDArray mask = Transforms.max(mask(source), mask(target));                      // [h, w]: OR of 0/1 masks
        INDArray out = z.dup();                                                          // [2, C, h, w]
        out.get(NDArrayIndex.point(AttentionEdit.TARGET)).assign(blend(z.get(NDArrayIndex.point(AttentionEdit.SOURCE)),
                z.get(NDArrayIndex.point(AttentionEdit.TARGET)), mask.castTo(z.dataType())));
        return out;
    }

    /** z_target [C, h, w] kept where mask [h, w] is 1, z_source where it is 0: m z_target + (1 - m) z_source. */
    static INDArray blend(INDArray zSource, INDArray zTarget, INDArray mask) {
        return Broadcast.mul(zTarget, mask, zTarget.ulike(), 1, 2)
                .addi(Broadcast.mul(zSource, mask.rsub(1), zSource.ulike(), 1, 2));       // [C, h, w]
    }

    /** A summed map [Nq] -> 0/1 mask [h, w]: 3x3 max-pool, divide by the max, threshold. All zeros for no words. */
    INDArray mask(INDArray summed) {
        INDArray pooled = maxPool3x3(summed.reshape(height, width));                      // [h, w]
        double max = pooled.maxNumber().doubleValue();
        return max > 0 ? pooled.div(max).gte(THRESHOLD).castTo(summed.dataType()) : pooled.mul(0);
    }

    /** Max over each pixel's 3x3 neighbourhood, stride 1, same size; maps are >= 0, so zero padding is neutral. */
    static INDArray maxPool3x3(INDArray map) {
        long h = map.size(0);
        long w = map.size(1);
        INDArray padded = Nd4j.zeros(map.dataType(), h + 2, w + 2);                      // [h + 2, w + 2]
        padded.get(NDArrayIndex.interval(1, h + 1), NDArrayIndex.interval(1, w + 1)).assign(map);
        INDArray pooled = map.dup();                                                      // [h, w]
        for (int dy = 0; dy < 3; dy++) {
            for (int dx = 0; dx < 3; dx++) {
                Transforms.max(pooled, padded.get(NDArrayIndex.interval(dy, dy + h), NDArrayIndex.interval(dx, dx + w)), false);
            }
        }
        return pooled;
    }

    /** probs [heads, Nq, L] -> the chosen tokens' maps summed over heads and tokens, [Nq]. */
    private static INDArray wordMaps(INDArray probs, int[] tokens) {
        if (tokens.length == 0) {
            return probs.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)).sum(0).mul(0);
        }
        long[] columns = Arrays.stream(tokens).asLongStream().toArray();
        return probs.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.indices(columns)).sum(0, 2); // [Nq]
    }

    private static INDArray add(INDArray sum, INDArray maps) {
        return sum == null ? maps.dup() : sum.addi(maps);
    }
}
