package org.ldmlab.train;

/**
 * The seed of one training step's randomness (which samples form the batch, the noise, the timesteps, the
 * captions dropped for classifier-free guidance), a function of the run's seed and the step number only.
 *
 * <p>The contract that makes resuming exact: draw every random number of step s from
 * {@code new SplittableRandom(StepSeed.of(seed, s))}, or {@code new Init(StepSeed.of(seed, s))} for Gaussian
 * tensors, and never from a generator that lives across steps (such as ND4J's global one). Then no random
 * state needs saving, and N steps straight equal N/2 steps, a checkpoint, and N/2 resumed steps, bit for bit.
 */
public final class StepSeed {
    private StepSeed() {}

    public static long of(long runSeed, long step) {
        return mix(mix(runSeed) + step);
    }

    /**
     * The output function of SplitMix64 (Steele, Lea &amp; Flood 2014; constants from Stafford's "Mix13"):
     * a bijection on 64-bit words under which neighbouring inputs give unrelated outputs.
     */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
