package org.ldmlab.sampling;

import org.ldmlab.InvalidInputException;
import org.ldmlab.schedule.Noise;
import org.ldmlab.schedule.NoiseSchedule;
import org.ldmlab.schedule.Parameterization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * DDIM (Song et al. 2021) over an evenly spaced subsequence of S timesteps. (DDIM's alpha is DDPM's abar.)
 * x_prev = sqrt(abar_prev) x0_hat + sqrt(1 - abar_prev - sigma_t^2) eps + sigma_t z (DDIM eq. 12), with
 * sigma_t = eta sqrt((1 - abar_prev) / (1 - abar_t)) sqrt(1 - abar_t / abar_prev) (DDIM eq. 16).
 * eta = 0 is deterministic; eta = 1 is ancestral DDPM sampling with the posterior variance. Above 1, sigma_t
 * outgrows the noise that x_prev should keep (1 - abar_prev - sigma_t^2 turns negative; with 50 steps of the LDM
 * schedule from eta of about 1.02): that is no longer a sampler of the DDIM family, and at eta = 1e308 every image is NaN.
 */
public final class DdimSampler extends RespacedSampler {
    private final double eta;
    private final boolean clipX0;

    /** The largest eta: DDPM's noise. */
    public static final double MAX_ETA = 1;

    /** {@code steps} in 1..T, {@code eta} in [0, 1]; x0_hat is not clipped (latents are not bounded). */
    public DdimSampler(NoiseSchedule schedule, int steps, double eta) {
        this(schedule, steps, eta, false);
    }

    /** As above; {@code clipX0} clips x0_hat to [-1, 1] at every step (pixel-space models only). */
    public DdimSampler(NoiseSchedule schedule, int steps, double eta, boolean clipX0) {
        super(schedule, steps);
        if (!(eta >= 0 && eta <= MAX_ETA)) {
            throw new InvalidInputException("eta must be a number >= 0 and <= 1 (0: deterministic DDIM, 1: DDPM's noise; "
                    + "above 1 the added noise outgrows the noise level of the next step); got " + eta);
        }
        this.eta = eta;
        this.clipX0 = clipX0;
    }

    @Override
    protected Prediction step(int i, int[] index, INDArray x, INDArray eps, INDArray x0Hat, Noise noise) {
        if (clipX0) {
            // keep x_t, x0_hat and eps consistent, as improved DDPM's ddim_sample does
            x0Hat = Transforms.min(Transforms.max(x0Hat, -1.0), 1.0);
            eps = Parameterization.epsFromX0(respaced, x, index, x0Hat);
        }
        return new Prediction(previous(i, x0Hat, eps, noise), x0Hat);
    }

    /** DDIM eq. 12: x_prev = sqrt(abar_prev) x0_hat + sqrt(1 - abar_prev - sigma^2) eps + sigma z. */
    private INDArray previous(int i, INDArray x0Hat, INDArray eps, Noise noise) {
        double abarPrev = respaced.alphaBarPrev(i);
        double sigma = sigma(i);
        double direction = Math.sqrt(Math.max(0, 1 - abarPrev - sigma * sigma)); // max: rounding at the last step
        INDArray x = x0Hat.mul(Math.sqrt(abarPrev)).add(eps.mul(direction));  // [B, C, H, W]
        return sigma > 0 ? x.add(noise.like(x).mul(sigma)) : x;
    }

    /** DDIM eq. 16: sigma = eta sqrt((1 - abar_prev) / (1 - abar_t)) sqrt(1 - abar_t / abar_prev); 0 at the last step. */
    private double sigma(int i) {
        double abar = respaced.alphaBar(i);
        double abarPrev = respaced.alphaBarPrev(i);
        return eta * Math.sqrt((1 - abarPrev) / (1 - abar)) * Math.sqrt(1 - abar / abarPrev);
    }
}
