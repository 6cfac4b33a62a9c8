package org.ldmlab.sampling;

import java.util.function.Function;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Classifier-free guidance (Ho & Salimans 2022, eq. 6): eps = eps_u + s (eps_c - eps_u), every channel guided.
 * The paper (and the lecture) write (1 + w) eps_c - w eps_u: the same thing with s = 1 + w.
 * s = 1 is the plain conditional model, s = 0 the unconditional one, s > 1 pushes towards the condition.
 *
 * <p>Both predictions come from ONE batched call: the model sees 2B samples, the first B with the
 * unconditional conditioning and the last B with the conditional one (Prompt-to-Prompt edits only the latter);
 * the step it passes on says so ({@link SamplingStep#guided()}).
 *
 * <p>The unconditional conditioning may change from step to step: null-text inversion (Mokady et al. 2023) optimises
 * one unconditional embedding per step so that guided sampling retraces an inverted image.
 */
public final class ClassifierFreeGuidance implements NoiseModel {
    private final NoiseModel model;
    private final Function<SamplingStep, Conditioning> unconditional;
    private final double scale;

    /** unconditional: e.g. the empty prompt's context, batch 1 (repeated) or B; scale: s = 1 + w. */
    public ClassifierFreeGuidance(NoiseModel model, Conditioning unconditional, double scale) {
        this(model, step -> unconditional, scale);
    }

    /** As above, with the unconditional conditioning of each sampling step (e.g. null-text inversion's embeddings). */
    public ClassifierFreeGuidance(NoiseModel model, Function<SamplingStep, Conditioning> unconditional, double scale) {
        if (!Double.isFinite(scale)) {
            throw new InvalidInputException("the guidance scale must be a finite number; got " + scale);
        }
        this.model = model;
        this.unconditional = unconditional;
        this.scale = scale;
    }

    @Override
    public INDArray predictEps(INDArray xt, int[] t, Conditioning cond, SamplingStep step) {
        if (scale == 1) {
            return model.predictEps(xt, t, cond, step); // eps_u + 1 (eps_c - eps_u) = eps_c, without the unconditional pass
        }
        long batch = xt.size(0);
        INDArray eps = model.predictEps(Nd4j.concat(0, xt, xt), twice(t),       // [2B, C, H, W]
                Conditioning.stack(unconditional.apply(step).expandTo(batch), cond), step.withGuidance());
        INDArray epsU = eps.get(NDArrayIndex.interval(0, batch));               // [B, C, H, W]
        INDArray epsC = eps.get(NDArrayIndex.interval(batch, 2 * batch));       // [B, C, H, W]
        return epsU.add(epsC.sub(epsU).mul(scale));
    }

    private static int[] twice(int[] t) {
        int[] both = new int[2 * t.length];
        System.arraycopy(t, 0, both, 0, t.length);
        System.arraycopy(t, 0, both, t.length, t.length);
        return both;
    }
}
