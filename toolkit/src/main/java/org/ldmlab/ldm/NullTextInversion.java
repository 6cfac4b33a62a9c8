package org.ldmlab.ldm;

import org.ldmlab.InvalidInputException;
import org.ldmlab.nn.Layout;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.ldmlab.sampling.ClassifierFreeGuidance;
import org.ldmlab.sampling.Conditioning;
import org.ldmlab.sampling.DdimInversion;
import org.ldmlab.sampling.DdimSampler;
import org.ldmlab.sampling.NoiseModel;
import org.ldmlab.sampling.StepCallback;
import org.ldmlab.schedule.Noise;
import org.ldmlab.schedule.NoiseSchedule;
import org.ldmlab.train.Adam;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Null-text inversion (Mokady et al. 2023, Algorithm 1): DDIM inversion at guidance 1 gives a trajectory z*_T .. z*_0
 * (the pivots) that guided sampling at s > 1 does not retrace; for each step, from z_T down, the unconditional
 * embedding {null}_t is optimised so that one guided DDIM step from the current latent lands on the next pivot:
 * <pre>
 *   min over {null}_t of || z*_{t-1} - z_{t-1}(zbar_t, {null}_t, C) ||^2      (eq. 3)
 *   zbar_{t-1} = z_{t-1}(zbar_t, {null}_t, C),   {null}_{t-1} starts from {null}_t
 * </pre>
 * with z_{t-1}(.) the DDIM step (DDIM eq. 12, eta 0) on eps = eps_u + s (eps_c - eps_u) (classifier-free guidance).
 * The step is linear in eps_u: z_{t-1} = a zbar_t + b (s eps_c + (1 - s) eps_u) with a = sqrt(abar_{t-1} / abar_t)
 * and b = sqrt(1 - abar_{t-1}) - sqrt(abar_{t-1} (1 - abar_t) / abar_t), so the loss is
 * (b (1 - s))^2 mean((eps_u - r)^2) with r = (z*_{t-1} - a zbar_t - b s eps_c) / (b (1 - s)): gradients reach the
 * embedding through the backbone's cross-attention by the toolkit's autodiff. eps_c does not depend on the
 * embedding and is computed once for the updates; the step itself is {@link DdimSampler}'s, on the guided eps.
 *
 * <p>As the authors' code: Adam, {@link #INNER_STEPS} updates per step at most, a fresh optimiser per step with learning
 * rate 1e-2 (1 - k / 100) at step k of 50, early stop once the loss is below 1e-5 + k 2e-5. Departure: the decay and
 * the threshold are written for any S (k / 100 = k / (2 S) at S = 50; 2e-5 k = 1e-3 k / S). A batch of images is
 * optimised at once, each with its own embedding [M, d]: Adam is element-wise, so each image gets what it would
 * alone (up to Adam's epsilon, as the batch mean scales the gradients), and an image stops at its own threshold (its rows are held from then on).
 */
public final class NullTextInversion {
    /** The most Adam updates per step (N = 10 in the paper). */
    public static final int INNER_STEPS = 10;
    private static final double LEARNING_RATE = 1e-2;
    private static final double EARLY_STOP = 1e-5;

    private final LatentDiffusion diffusion;
    private final NoiseSchedule respaced;
    private final double scale;

    /** Optimises for sampling with {@code steps} DDIM steps at guidance {@code scale} (s != 1: at s = 1 nothing is learnt). */
    public NullTextInversion(LatentDiffusion diffusion, int steps, double scale) {
        if (scale == 1) {
            throw new InvalidInputException("null-text inversion optimises the unconditional embedding, which guidance "
                    + "s = 1 does not use; give a guidance scale other than 1 (e.g. 3)");
        }
        this.diffusion = diffusion;
        this.respaced = diffusion.schedule().respace(diffusion.schedule().evenlySpacedTimesteps(steps));
        this.scale = scale;
    }

    /**
     * The optimised embeddings, [S, B, M, d] (index k: the sampler's step k, at timestep t_{S-1-k}), with the loss each
     * step ended at (mean over the batch) and the Adam updates it took (the most over the batch).
     */
    public record Result(INDArray embeddings, double[] loss, int[] updates) {}

    /**
     * @param pivot the DDIM inversion of the images at guidance 1 (its z_T is where sampling starts)
     * @param cond  the captions' conditioning, batch B
     * @param empty the empty prompt's conditioning, batch 1: the starting embedding
     * @param cb    sees each finished step as a sampler reports it (zbar_{t-1}, and x0_hat)
     */
    public Result optimise(DdimInversion.Trajectory pivot, Conditioning cond, Conditioning empty, StepCallback cb) {
        int count = respaced.steps();
        if (pivot.latents().size() != count + 1) {
            throw new IllegalArgumentException("the pivot trajectory has " + (pivot.latents().size() - 1) + " steps; this inversion " + count);
        }
        int batch = (int) pivot.zT().size(0);
        INDArray real = empty.expandTo(batch).realTokens();                             // [B, M]
        INDArray[] embedding = {empty.expandTo(batch).context().dup()};                 // {null}_T [B, M, d]
        INDArray[] perStep = new INDArray[count];
        double[] loss = new double[count];
        int[] updates = new int[count];
        // The sampler takes the guided steps zbar_t -> zbar_{t-1}; before each, this model optimises {null}_t at zbar_t.
        NoiseModel optimising = (z, t, c, step) -> {
            int k = step.index();
            int i = count - 1 - k;                                                      // respaced index of t
            double abar = respaced.alphaBar(i);
            double abarPrev = respaced.alphaBarPrev(i);
            double a = Math.sqrt(abarPrev / abar);
            double b = Math.sqrt(1 - abarPrev) - Math.sqrt(abarPrev * (1 - abar) / abar);
            double coefficient = b * (1 - scale);
            INDArray epsC = diffusion.noiseModel().predictEps(z, t, c, step);           // [B, c, h, w], no gradient
            INDArray r = Layout.channelsLast(pivot.afterStep(k).sub(z.mul(a)).subi(epsC.mul(b * scale)).divi(coefficient)); // [B, h, w, c]
            Optimised o = optimiseStep(z, t, embedding[0], real, r, coefficient * coefficient,
                    LEARNING_RATE * (1 - k / (2.0 * count)), EARLY_STOP + 1e-3 * k / count);
            embedding[0] = o.embedding;
            perStep[k] = o.embedding;
            loss[k] = o.loss;
            updates[k] = o.updates;
            return new ClassifierFreeGuidance(diffusion.noiseModel(), new Conditioning(o.embedding, real, null), scale)
                    .predictEps(z, t, c, step);
        };
        new DdimSampler(diffusion.schedule(), count, 0).sample(optimising, cond, pivot.zT(), new Noise(0), cb); // eta 0: no noise drawn
        return new Result(Nd4j.stack(0, perStep), loss, updates);                       // [S, B, M, d]
    }

    private record Optimised(INDArray embedding, double loss, int updates) {}

    /** Up to {@link #INNER_STEPS} Adam updates of the embedding [B, M, d] towards eps_u = r; each row stops at its threshold. */
    private Optimised optimiseStep(INDArray z, int[] t, INDArray start, INDArray real, INDArray r, double lossScale,
            double learningRate, double threshold) {
        int batch = (int) z.size(0);
        Embedding e = new Embedding(start);
        Adam adam = new Adam(e, learningRate);
        boolean[] done = new boolean[batch];
        double[] last = new double[batch];
        int updates = 0;
        while (updates < INNER_STEPS && !all(done)) {
            INDArray held = e.value().dup();
            Var epsU = diffusion.epsForContext(z, t, e.embedding, real);   // [B, h, w, c]
            INDArray diff = epsU.value().sub(r);
            INDArray perImage = diff.muli(diff).mean(1, 2, 3).muli(lossScale);         // [B]
            adam.zeroGrad();
            Ops.mse(epsU, r).backward();
            adam.step();
            diffusion.parameters().values().forEach(Var::zeroGrad);                    // the weights' gradients are not wanted
            updates++;
            for (int b = 0; b < batch; b++) {
                if (done[b]) {
                    e.value().get(NDArrayIndex.point(b)).assign(held.get(NDArrayIndex.point(b))); // a stopped image keeps its embedding
                } else {
                    last[b] = perImage.getDouble(b);
                    done[b] = last[b] < threshold; // the authors' order: update, then stop on the loss before it
                }
            }
        }
        double mean = 0;
        for (double l : last) {
            mean += l / batch;
        }
        return new Optimised(e.value().dup(), mean, updates);
    }

    private static boolean all(boolean[] flags) {
        for (boolean f : flags) {
            if (!f) {
                return false;
            }
        }
        return true;
    }

    /** The embedding being optimised, as the one parameter of a module (what {@link Adam} updates). */
    private static final class Embedding extends Module {
        private final Var embedding;

        Embedding(INDArray start) {
            this.embedding = parameter("null_text", start.dup());
        }

        INDArray value() {
            return embedding.value();
        }
    }
}
