package org.ldmlab.sampling;

import static org.ldmlab.schedule.PerSample.timesteps;

import org.ldmlab.schedule.Noise;
import org.ldmlab.schedule.NoiseSchedule;
import org.ldmlab.schedule.Parameterization;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The loop DDPM and DDIM share: over S evenly spaced timesteps of the schedule (the respaced schedule, improved
 * DDPM section 4), from i = S-1 down to 0: predict eps_theta(x_t, t, c) at the original timestep t, form
 * x0_hat (DDIM eq. 12's "predicted x_0"), take the sampler's own step to x_{t-1}, hand it to the latent hook
 * (which may replace it), report it.
 */
abstract class RespacedSampler implements Sampler {
    protected final NoiseSchedule respaced;

    protected RespacedSampler(NoiseSchedule schedule, int steps) {
        this.respaced = schedule.respace(schedule.evenlySpacedTimesteps(steps));
    }

    @Override
    public final INDArray sample(NoiseModel model, Conditioning cond, INDArray xT, Noise noise, StepCallback cb,
            LatentHook hook) {
        INDArray x = xT;                                                       // [B, C, H, W]
        int batch = (int) x.size(0);
        int count = respaced.steps();
        for (int i = count - 1; i >= 0; i--) {
            SamplingStep step = SamplingStep.of(count - 1 - i, count, respaced.timestep(i));
            int[] index = timesteps(batch, i);                                 // into the respaced schedule
            INDArray eps = model.predictEps(x, timesteps(batch, step.timestep()), cond, step); // eps_theta(x_t, t, c)
            Prediction p = step(i, index, x, eps, Parameterization.x0FromEps(respaced, x, index, eps), noise);
            x = hook.afterStep(step, p.previous());
            cb.onStep(step.index(), step.timestep(), x, p.x0Hat());
        }
        return x;
    }

    /** x_{t-1}, and the x0_hat the step used (a sampler may adjust it, e.g. by clipping). */
    protected record Prediction(INDArray previous, INDArray x0Hat) {}

    /** One step from x_t (respaced index i) given eps_theta and x0_hat. */
    protected abstract Prediction step(int i, int[] index, INDArray x, INDArray eps, INDArray x0Hat, Noise noise);
}
