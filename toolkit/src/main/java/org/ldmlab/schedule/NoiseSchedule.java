package org.ldmlab.schedule;

import java.util.stream.IntStream;
import org.ldmlab.InvalidInputException;

/**
 * A noise schedule beta_t and the quantities derived from it (DDPM section 2):
 * alpha_t = 1 - beta_t, abar_t = prod_{s <= t} alpha_s (DDPM eq. 4), snr_t = abar_t / (1 - abar_t).
 * Timestep indices t run 0..T-1 as in the reference code (the paper's t is index + 1); abar_prev(0) := 1.
 * A respaced schedule runs over a subsequence of another's timesteps; {@link #timestep(int)} maps back.
 */
public final class NoiseSchedule {
    private final double[] beta;
    private final double[] alphaBar;
    private final int[] timesteps; // the original timestep of each index: identity unless respaced

    private NoiseSchedule(double[] beta, int[] timesteps) {
        this.beta = beta;
        this.timesteps = timesteps;
        this.alphaBar = new double[beta.length];
        double product = 1;
        for (int t = 0; t < beta.length; t++) {
            product *= 1 - beta[t];
            alphaBar[t] = product;
        }
    }

    /** The schedule of kind {@code linear}, {@code scaled_linear} or {@code cosine} with T steps. */
    public static NoiseSchedule of(String kind, int T) {
        return of(ScheduleKind.parse(kind), T);
    }

    public static NoiseSchedule of(ScheduleKind kind, int T) {
        if (T < 2) {
            throw new InvalidInputException("the number of steps T must be >= 2; got " + T);
        }
        return new NoiseSchedule(kind.betas(T), IntStream.range(0, T).toArray());
    }

    /** T, the number of timesteps (S for a respaced schedule). */
    public int steps() {
        return beta.length;
    }

    /** The timestep of the original schedule that index t stands for (what a model was trained on). */
    public int timestep(int t) {
        return timesteps[check(t)];
    }

    public double beta(int t) {
        return beta[check(t)];
    }

    public double alpha(int t) {
        return 1 - beta(t);
    }

    public double alphaBar(int t) {
        return alphaBar[check(t)];
    }

    public double alphaBarPrev(int t) {
        return t == 0 ? 1 : alphaBar(t - 1);
    }

    public double sqrtAlphaBar(int t) {
        return Math.sqrt(alphaBar(t));
    }

    public double sqrtOneMinusAlphaBar(int t) {
        return Math.sqrt(1 - alphaBar(t));
    }

    /** Signal-to-noise ratio abar_t / (1 - abar_t) of x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps. */
    public double snr(int t) {
        return alphaBar(t) / (1 - alphaBar(t));
    }

    /**
     * S timesteps spread evenly over 0..T-1, first 0 and last T-1 (improved DDPM section 4: "K evenly spaced
     * real numbers between 1 and T, rounded"). For S = 1 the single step is T-1, where sampling starts.
     */
    public int[] evenlySpacedTimesteps(int S) {
        int T = steps();
        if (S < 1 || S > T) {
            throw new InvalidInputException("the number of sampling steps must be in 1.." + T + " (T = " + T + "); got " + S);
        }
        if (S == 1) {
            return new int[] {T - 1};
        }
        return IntStream.range(0, S).map(i -> (int) Math.round(i * (T - 1) / (double) (S - 1))).toArray();
    }

    /**
     * The schedule over the increasing subsequence {@code subsequence} of this one's timesteps
     * (improved DDPM section 4): beta_i = 1 - abar_{t_i} / abar_{t_{i-1}}, so abar_i = abar_{t_i}.
     */
    public NoiseSchedule respace(int[] subsequence) {
        requireIncreasing(subsequence);
        double[] newBeta = new double[subsequence.length];
        int[] original = new int[subsequence.length];
        double previous = 1; // abar before the first step
        for (int i = 0; i < subsequence.length; i++) {
            newBeta[i] = 1 - alphaBar(subsequence[i]) / previous;
            original[i] = timestep(subsequence[i]);
            previous = alphaBar(subsequence[i]);
        }
        return new NoiseSchedule(newBeta, original);
    }

    private static void requireIncreasing(int[] subsequence) {
        if (subsequence.length == 0) {
            throw new InvalidInputException("respacing needs at least one timestep");
        }
        for (int i = 1; i < subsequence.length; i++) {
            if (subsequence[i] <= subsequence[i - 1]) {
                throw new InvalidInputException("respaced timesteps must increase; got " + subsequence[i - 1]
                        + " then " + subsequence[i]);
            }
        }
    }

    private int check(int t) {
        if (t < 0 || t >= beta.length) {
            throw new InvalidInputException("timestep " + t + " is outside 0.." + (beta.length - 1));
        }
        return t;
    }
}
