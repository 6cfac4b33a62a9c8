package org.ldmlab.schedule;

import static org.ldmlab.schedule.PerSample.coefficient;

import java.util.Arrays;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The forward (noising) process q of DDPM section 2, one step at a time or in closed form. */
public final class ForwardProcess {
    /** A noised tensor x_t and the noise eps that made it; training regresses eps_theta(x_t, t) onto eps (DDPM eq. 14). */
    public record Noised(INDArray xt, INDArray eps) {}

    private final NoiseSchedule schedule;

    public ForwardProcess(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    /** q(x_t | x_0) = N(sqrt(abar_t) x_0, (1 - abar_t) I) (DDPM eq. 4): x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps. */
    public Noised sample(INDArray x0, int[] t, INDArray eps) {
        requireSameShape(x0, eps);
        INDArray xt = x0.mul(coefficient(schedule::sqrtAlphaBar, t, x0))               // [B, C, H, W]
                .add(eps.mul(coefficient(schedule::sqrtOneMinusAlphaBar, t, x0)));
        return new Noised(xt, eps);
    }

    /** q(x_t | x_0) with eps ~ N(0, I) drawn from {@code noise}. */
    public Noised sample(INDArray x0, int[] t, Noise noise) {
        return sample(x0, t, noise.like(x0));
    }

    /** q(x_t | x_0) with eps ~ N(0, I) drawn from a generator seeded by {@code seed}. */
    public Noised sample(INDArray x0, int[] t, long seed) {
        return sample(x0, t, new Noise(seed));
    }

    /** q(x_t | x_{t-1}) = N(sqrt(1 - beta_t) x_{t-1}, beta_t I) (DDPM eq. 2): x_t = sqrt(1 - beta_t) x_{t-1} + sqrt(beta_t) eps. */
    public Noised step(INDArray xPrev, int[] t, INDArray eps) {
        requireSameShape(xPrev, eps);
        INDArray xt = xPrev.mul(coefficient(s -> Math.sqrt(schedule.alpha(s)), t, xPrev))  // [B, C, H, W]
                .add(eps.mul(coefficient(s -> Math.sqrt(schedule.beta(s)), t, xPrev)));
        return new Noised(xt, eps);
    }

    /** q(x_t | x_{t-1}) with eps ~ N(0, I) drawn from {@code rng}. */
    public Noised step(INDArray xPrev, int[] t, Noise noise) {
        return step(xPrev, t, noise.like(xPrev));
    }

    private static void requireSameShape(INDArray x, INDArray eps) {
        if (!Arrays.equals(x.shape(), eps.shape())) {
            throw new InvalidInputException("noise shape " + Arrays.toString(eps.shape()) + " differs from the sample shape "
                    + Arrays.toString(x.shape()));
        }
    }
}
