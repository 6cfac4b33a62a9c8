package org.ldmlab.sampling;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A trained denoiser eps_theta(z_t, t, c): predicts the noise in z_t (DDPM eq. 11, LDM eq. 2). */
@FunctionalInterface
public interface NoiseModel {
    /**
     * xt: [B, C, H, W]; t: one timestep index per sample; step: where the call sits in a sampling run (for attention
     * controllers; {@link SamplingStep#NONE} outside one). Returns eps_hat [B, C, H, W].
     */
    INDArray predictEps(INDArray xt, int[] t, Conditioning cond, SamplingStep step);

    /** A call outside any sampling run. */
    default INDArray predictEps(INDArray xt, int[] t, Conditioning cond) {
        return predictEps(xt, t, cond, SamplingStep.NONE);
    }
}
