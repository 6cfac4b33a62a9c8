package org.ldmlab.schedule;

import static org.ldmlab.schedule.PerSample.coefficient;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Conversions between what a network can predict (eps, x_0, v) and the posterior mean, all following from
 * x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps (DDPM eq. 4). Every tensor is [B, C, H, W]; t holds one timestep per sample.
 */
public final class Parameterization {
    private Parameterization() {}

    /** x_0 = (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t) (DDPM eq. 4 solved for x_0; eq. 15). */
    public static INDArray x0FromEps(NoiseSchedule s, INDArray xt, int[] t, INDArray eps) {
        return xt.sub(eps.mul(coefficient(s::sqrtOneMinusAlphaBar, t, xt))).div(coefficient(s::sqrtAlphaBar, t, xt));
    }

    /** eps = (x_t - sqrt(abar_t) x_0) / sqrt(1 - abar_t) (DDPM eq. 4 solved for eps). */
    public static INDArray epsFromX0(NoiseSchedule s, INDArray xt, int[] t, INDArray x0) {
        return xt.sub(x0.mul(coefficient(s::sqrtAlphaBar, t, xt))).div(coefficient(s::sqrtOneMinusAlphaBar, t, xt));
    }

    /** mu_theta = (x_t - beta_t / sqrt(1 - abar_t) eps) / sqrt(alpha_t) (DDPM eq. 11). */
    public static INDArray muFromEps(NoiseSchedule s, INDArray xt, int[] t, INDArray eps) {
        return xt.sub(eps.mul(coefficient(i -> s.beta(i) / s.sqrtOneMinusAlphaBar(i), t, xt)))
                .div(coefficient(i -> Math.sqrt(s.alpha(i)), t, xt));
    }

    /** v = sqrt(abar_t) eps - sqrt(1 - abar_t) x_0 (Salimans & Ho 2022, "v-prediction", section 4). */
    public static INDArray v(NoiseSchedule s, INDArray x0, int[] t, INDArray eps) {
        return eps.mul(coefficient(s::sqrtAlphaBar, t, x0)).sub(x0.mul(coefficient(s::sqrtOneMinusAlphaBar, t, x0)));
    }

    /** x_0 = sqrt(abar_t) x_t - sqrt(1 - abar_t) v (substitute x_t and v; sqrt(abar)^2 + sqrt(1 - abar)^2 = 1). */
    public static INDArray x0FromV(NoiseSchedule s, INDArray xt, int[] t, INDArray v) {
        return xt.mul(coefficient(s::sqrtAlphaBar, t, xt)).sub(v.mul(coefficient(s::sqrtOneMinusAlphaBar, t, xt)));
    }

    /** eps = sqrt(1 - abar_t) x_t + sqrt(abar_t) v (the same rotation as x0FromV, the other way round). */
    public static INDArray epsFromV(NoiseSchedule s, INDArray xt, int[] t, INDArray v) {
        return xt.mul(coefficient(s::sqrtOneMinusAlphaBar, t, xt)).add(v.mul(coefficient(s::sqrtAlphaBar, t, xt)));
    }
}
