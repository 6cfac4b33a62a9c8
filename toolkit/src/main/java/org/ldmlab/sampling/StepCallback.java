package org.ldmlab.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Called by a {@link Sampler} after every denoising step (progress bars, attention recording, intermediate images). */
@FunctionalInterface
public interface StepCallback {
    /** Does nothing. */
    StepCallback NONE = (step, t, sample, x0Hat) -> {};

    /**
     * @param step   0 for the first step taken, up to S - 1 for the last
     * @param t      the (original) timestep index the model was evaluated at; decreases from step to step
     * @param sample the new sample x_{t_prev} this step produced [B, C, H, W]
     * @param x0Hat  the step's estimate of x_0 [B, C, H, W]
     */
    void onStep(int step, int t, INDArray sample, INDArray x0Hat);
}
