package org.ldmlab.sampling;

import org.ldmlab.schedule.Noise;
import org.ldmlab.schedule.NoiseSchedule;
import org.ldmlab.schedule.Parameterization;
import org.ldmlab.schedule.Posterior;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Ancestral sampling (DDPM Algorithm 2): x_{t-1} = mu_theta(x_t, t) + sigma_t z, z ~ N(0, I), no noise at the last step.
 * (The lecture slide adds sigma_t^2 z; the step adds the standard deviation sigma_t times z.)
 * With S < T steps it runs the respaced schedule over S of the T timesteps (improved DDPM section 4);
 * the model still sees the original timestep index.
 */
public final class DdpmSampler extends RespacedSampler {
    /** The choice of sigma_t^2 (DDPM section 3.2); the paper found both gave similar samples. */
    public enum Variance {
        /** sigma_t^2 = beta_tilde_t, the posterior variance: optimal for a deterministic x_0. */
        POSTERIOR,
        /** sigma_t^2 = beta_t: optimal for x_0 ~ N(0, I). */
        BETA
    }

    private final Posterior posterior;
    private final Variance variance;

    /** Samples in {@code steps} (1..T) steps evenly spread over the schedule's T timesteps. */
    public DdpmSampler(NoiseSchedule schedule, int steps, Variance variance) {
        super(schedule, steps);
        this.posterior = new Posterior(respaced);
        this.variance = variance;
    }

    /** Samples in all T steps. */
    public DdpmSampler(NoiseSchedule schedule, Variance variance) {
        this(schedule, schedule.steps(), variance);
    }

    @Override
    protected Prediction step(int i, int[] index, INDArray x, INDArray eps, INDArray x0Hat, Noise noise) {
        INDArray mean = Parameterization.muFromEps(respaced, x, index, eps); // DDPM eq. 11
        return new Prediction(i > 0 ? mean.add(noise.like(x).mul(sigma(i))) : mean, x0Hat);
    }

    private double sigma(int i) {
        return Math.sqrt(variance == Variance.POSTERIOR ? posterior.variance(i) : respaced.beta(i));
    }
}
