package org.ldmlab.schedule;

import org.nd4j.linalg.api.ndarray.INDArray;

/** What a denoising network outputs: the noise eps, the clean sample x_0, or the velocity v (see {@link Parameterization}). */
public enum Prediction {
    EPS, X0, V;

    /** The network output turned into an eps prediction. xt, output: [B, C, H, W]. */
    public INDArray toEps(NoiseSchedule s, INDArray xt, int[] t, INDArray output) {
        return switch (this) {
            case EPS -> output;
            case X0 -> Parameterization.epsFromX0(s, xt, t, output);
            case V -> Parameterization.epsFromV(s, xt, t, output);
        };
    }

    /** The network output turned into an x_0 prediction. xt, output: [B, C, H, W]. */
    public INDArray toX0(NoiseSchedule s, INDArray xt, int[] t, INDArray output) {
        return switch (this) {
            case EPS -> Parameterization.x0FromEps(s, xt, t, output);
            case X0 -> output;
            case V -> Parameterization.x0FromV(s, xt, t, output);
        };
    }
}
