package org.ldmlab.sampling;

import org.ldmlab.InvalidInputException;
import org.ldmlab.nn.Finite;
import org.ldmlab.schedule.NoiseSchedule;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How to sample: DDIM (with eta) or DDPM ancestral sampling, the number of steps, and the classifier-free
 * guidance scale s (1 = no guidance). Invalid combinations fail here, before any work.
 */
public record SamplerSettings(SamplerKind sampler, int steps, double eta, double guidance) {
    public SamplerSettings {
        if (sampler == null) {
            throw new InvalidInputException("no sampler given; choose ddim or ddpm");
        }
        if (!Double.isFinite(guidance)) {
            throw new InvalidInputException("the guidance scale must be a finite number; got " + guidance);
        }
        if (sampler == SamplerKind.DDPM && eta != 0) {
            throw new InvalidInputException("--eta is a DDIM setting; DDPM's noise is fixed by its variance (use --sampler ddim)");
        }
    }

    /** The toolkit's default: 50 DDIM steps, eta 0 (deterministic), guidance 3. */
    public static SamplerSettings defaults() {
        return new SamplerSettings(SamplerKind.DDIM, 50, 0.0, 3.0);
    }

    /**
     * {@code images} sampled with these settings, refused if not finite: a command would otherwise write them as black
     * pictures, or score them.
     */
    public INDArray checkSamples(INDArray images) {
        if (!Finite.all(images)) {
            throw new InvalidInputException("sampling gave NaN or infinite values (" + sampler + ", " + steps + " steps, guidance "
                    + guidance + "); a smaller guidance scale may help, else the model is broken");
        }
        return images;
    }

    /** The sampler over {@code schedule}; steps and eta are checked against it (1 <= steps <= T, eta >= 0). */
    public Sampler create(NoiseSchedule schedule) {
        return sampler == SamplerKind.DDIM ? new DdimSampler(schedule, steps, eta)
                : new DdpmSampler(schedule, steps, DdpmSampler.Variance.POSTERIOR);
    }
}
