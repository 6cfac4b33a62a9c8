package org.ldmlab.schedule;

import static org.ldmlab.schedule.PerSample.coefficient;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward-process posterior q(x_{t-1} | x_t, x_0) = N(mu_tilde_t(x_t, x_0), beta_tilde_t I) (DDPM eq. 6-7):
 * mu_tilde_t = beta_t sqrt(abar_{t-1}) / (1 - abar_t) x_0 + (1 - abar_{t-1}) sqrt(alpha_t) / (1 - abar_t) x_t,
 * beta_tilde_t = beta_t (1 - abar_{t-1}) / (1 - abar_t).
 */
public final class Posterior {
    private final NoiseSchedule schedule;

    public Posterior(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    /** beta_t sqrt(abar_{t-1}) / (1 - abar_t), the weight of x_0 in mu_tilde_t (DDPM eq. 7). */
    public double meanCoefX0(int t) {
        return schedule.beta(t) * Math.sqrt(schedule.alphaBarPrev(t)) / (1 - schedule.alphaBar(t));
    }

    /** (1 - abar_{t-1}) sqrt(alpha_t) / (1 - abar_t), the weight of x_t in mu_tilde_t (DDPM eq. 7). */
    public double meanCoefXt(int t) {
        return (1 - schedule.alphaBarPrev(t)) * Math.sqrt(schedule.alpha(t)) / (1 - schedule.alphaBar(t));
    }

    /** beta_tilde_t = beta_t (1 - abar_{t-1}) / (1 - abar_t) (DDPM eq. 7); 0 at t = 0, where x_{t-1} is x_0. */
    public double variance(int t) {
        return schedule.beta(t) * (1 - schedule.alphaBarPrev(t)) / (1 - schedule.alphaBar(t));
    }

    /**
     * log beta_tilde_t with t = 0's value (log 0) replaced by t = 1's, as the reference code does.
     * A one-step schedule has no t = 1 and keeps log 0 = -infinity.
     */
    public double logVarianceClipped(int t) {
        return Math.log(variance(t == 0 && schedule.steps() > 1 ? 1 : t));
    }

    /** mu_tilde_t(x_t, x_0) for each sample's own t (DDPM eq. 7). x0, xt: [B, C, H, W]. */
    public INDArray mean(INDArray x0, INDArray xt, int[] t) {
        return x0.mul(coefficient(this::meanCoefX0, t, x0)).add(xt.mul(coefficient(this::meanCoefXt, t, xt))); // [B, C, H, W]
    }
}
