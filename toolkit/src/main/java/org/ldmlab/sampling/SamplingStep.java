package org.ldmlab.sampling;

/**
 * Where a call of the noise model sits in a sampling run, so that attention controllers need not count calls:
 * the step index (0 for the first step taken, up to {@code count - 1}), the timestep t the model is evaluated at,
 * and whether the batch carries classifier-free guidance's unconditional rows in front of the conditional ones.
 */
public record SamplingStep(int index, int count, int timestep, boolean guided) {
    /** A call made outside any sampling run (index -1). */
    public static final SamplingStep NONE = new SamplingStep(-1, 0, -1, false);

    /** Step {@code index} of {@code count}, at timestep {@code t}, before guidance doubles the batch. */
    public static SamplingStep of(int index, int count, int t) {
        return new SamplingStep(index, count, t, false);
    }

    /** The same step with the batch doubled as [unconditional rows | conditional rows]. */
    public SamplingStep withGuidance() {
        return new SamplingStep(index, count, timestep, true);
    }

    /** The step as a fraction of the run, 0 for the first and 1 for the last; 0 outside a run. */
    public double progress() {
        return count <= 1 ? 0 : (double) index / (count - 1);
    }
}
