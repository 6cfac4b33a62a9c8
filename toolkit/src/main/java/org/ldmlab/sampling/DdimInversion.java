package org.ldmlab.sampling;

import static org.ldmlab.schedule.PerSample.timesteps;

import java.util.ArrayList;
import java.util.List;
import org.ldmlab.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DDIM inversion (Song et al. 2021, section 4.3; Dhariwal &amp; Nichol 2021, appendix F): deterministic DDIM (eta 0)
 * run backwards, z_0 -> z_T, over the same S respaced timesteps {@link DdimSampler} walks down. DDIM eq. 12 at
 * eta 0 is invertible in z_t if eps_theta(z_t, t) is known; inversion evaluates it one step early, at the latent it
 * has, eps_theta(z_{t-1}, t) ~ eps_theta(z_t, t) (the ODE's Euler step the other way), and solves for z_t:
 * <pre>
 *   z_t = sqrt(abar_t) (z_{t-1} - sqrt(1 - abar_{t-1}) eps) / sqrt(abar_{t-1}) + sqrt(1 - abar_t) eps
 * </pre>
 * (DDIM eq. 13 with the signs of dt reversed.) The approximation is the whole error of a round trip: with a noise
 * model that does not depend on z_t the round trip is exact. Guidance enters through the noise model: give
 * {@link ClassifierFreeGuidance} to invert with a guidance scale.
 *
 * <p>Notation: i indexes the respaced schedule (0 = the first step above z_0), abar_i = {@code respaced.alphaBar(i)},
 * abar_{i-1} = {@code respaced.alphaBarPrev(i)} (1 below the first step).
 */
public final class DdimInversion {
    private final NoiseSchedule respaced;

    /** {@code steps} in 1..T, the same S a {@link DdimSampler} will use to walk back down. */
    public DdimInversion(NoiseSchedule schedule, int steps) {
        this.respaced = schedule.respace(schedule.evenlySpacedTimesteps(steps));
    }

    /**
     * The latents z*_0 .. z*_S of the inversion, [B, c, h, w] each: {@code get(0)} is z_0 itself, {@code get(S)} is z_T,
     * and {@code get(S - k)} is where the sampler's step k starts (DDIM's trajectory, read downwards: the pivots of
     * null-text inversion).
     */
    public record Trajectory(List<INDArray> latents) {
        public Trajectory {
            latents = List.copyOf(latents);
        }

        /** z*_T, where sampling starts. */
        public INDArray zT() {
            return latents.get(latents.size() - 1);
        }

        /** The latent after the sampler's step {@code k} (of S) on this trajectory: z*_{S-k-1}. */
        public INDArray afterStep(int k) {
            return latents.get(latents.size() - 2 - k);
        }
    }

    /**
     * Inverts z_0 [B, c, h, w] under {@code cond}; {@code cb} sees every step (index 0 at the first step above z_0,
     * the timestep, the latent reached; x0_hat is z_0's estimate at that step).
     */
    public Trajectory invert(NoiseModel model, Conditioning cond, INDArray z0, StepCallback cb) {
        int count = respaced.steps();
        int batch = (int) z0.size(0);
        List<INDArray> latents = new ArrayList<>(List.of(z0));
        INDArray z = z0;                                                                  // [B, c, h, w]
        for (int i = 0; i < count; i++) {
            int t = respaced.timestep(i);
            // the step as the sampler numbers it (step S-1-i goes from timestep t_i down), so controllers see where it is
            INDArray eps = model.predictEps(z, timesteps(batch, t), cond, SamplingStep.of(count - 1 - i, count, t)); // eps_theta(z_{t-1}, t)
            double abar = respaced.alphaBar(i);
            double abarPrev = respaced.alphaBarPrev(i);
            INDArray x0Hat = z.sub(eps.mul(Math.sqrt(1 - abarPrev))).divi(Math.sqrt(abarPrev)); // [B, c, h, w]
            z = x0Hat.mul(Math.sqrt(abar)).addi(eps.mul(Math.sqrt(1 - abar)));                 // z_t
            latents.add(z);
            cb.onStep(i, t, z, x0Hat);
        }
        return new Trajectory(latents);
    }
}
