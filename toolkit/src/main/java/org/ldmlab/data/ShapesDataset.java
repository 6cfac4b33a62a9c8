package org.ldmlab.data;

import java.util.SplittableRandom;

/**
 * The captioned shapes dataset as an endless, indexable list: {@code sample(i)} depends only on the seed,
 * the split and {@code i}, never on which other samples were drawn before or on any global state. So a
 * training loop may read samples in any order, in parallel, or resume halfway, and see the same data.
 */
public final class ShapesDataset {
    private final long seed;
    private final Split split;

    public ShapesDataset(long seed, Split split) {
        this.seed = seed;
        this.split = split;
    }

    public long seed() {
        return seed;
    }

    public Split split() {
        return split;
    }

    /** {@code size} samples at random indices drawn from {@code random}: a training batch. */
    public java.util.List<RenderedSample> batch(SplittableRandom random, int size) {
        return java.util.stream.IntStream.range(0, size).mapToObj(i -> sample(random.nextInt(Integer.MAX_VALUE))).toList();
    }

    public RenderedSample sample(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("sample index must be >= 0, got " + index);
        }
        SplittableRandom random = randomFor(index);
        return Renderer.render(SceneSampler.draw(split, random), random);
    }

    /**
     * A random stream of its own for one sample. The first number a SplittableRandom gives is a thorough
     * scramble of its seed, so chaining three of them hashes (seed, split, index) into an unrelated
     * starting point: neighbouring indices, seeds or splits do not give similar streams.
     */
    private SplittableRandom randomFor(int index) {
        long key = new SplittableRandom(seed).nextLong();
        key = new SplittableRandom(key + split.ordinal()).nextLong();
        key = new SplittableRandom(key + index).nextLong();
        return new SplittableRandom(key);
    }
}
