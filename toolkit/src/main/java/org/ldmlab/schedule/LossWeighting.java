package org.ldmlab.schedule;

import static org.ldmlab.schedule.PerSample.coefficient;

import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weight w_t of each sample's term in an eps-prediction model's training loss, w_t || eps - eps_theta(x_t, t) ||^2.
 * <ul>
 * <li>Uniform, w_t = 1: DDPM's L_simple (Ho et al. 2020, eq. 14), which the LDM paper trains with (LDM eq. 2).</li>
 * <li>Min-SNR-gamma (Hang et al. 2023, "Efficient Diffusion Training via Min-SNR Weighting Strategy", section 3.4):
 *     the x_0 loss weighted by min(SNR_t, gamma). Since x_0 - x0_theta = sqrt((1 - abar_t) / abar_t) (eps - eps_theta),
 *     || x_0 - x0_theta ||^2 = || eps - eps_theta ||^2 / SNR_t, the same weighting on the eps loss is
 *     w_t = min(SNR_t, gamma) / SNR_t: 1 where the noise dominates (SNR_t &lt;= gamma), less where little noise is
 *     left, so the nearly clean steps, easy and in conflict with the noisy ones, no longer steer training.
 *     The paper uses gamma = 5.</li>
 * </ul>
 * Uniform is gamma = infinity.
 */
public record LossWeighting(double gamma) {
    public static final LossWeighting UNIFORM = new LossWeighting(Double.POSITIVE_INFINITY);

    public LossWeighting {
        if (!(gamma > 0)) {
            throw new InvalidInputException("min-SNR gamma must be > 0; got " + gamma);
        }
    }

    public static LossWeighting minSnr(double gamma) {
        return new LossWeighting(gamma);
    }

    public boolean uniform() {
        return gamma == Double.POSITIVE_INFINITY;
    }

    /** w_t = min(SNR_t, gamma) / SNR_t for each sample's timestep, shaped [B, 1, ..., 1] with x's rank. */
    public INDArray weights(NoiseSchedule schedule, int[] t, INDArray x) {
        return coefficient(i -> Math.min(schedule.snr(i), gamma) / schedule.snr(i), t, x);
    }

    /** "uniform" or "min-SNR-5", as the training run records it. */
    @Override
    public String toString() {
        return uniform() ? "uniform" : "min-SNR-" + (gamma == Math.rint(gamma) ? Long.toString((long) gamma) : Double.toString(gamma));
    }
}
