package org.ldmlab.schedule;

import java.util.Arrays;
import java.util.function.Function;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** Gaussian noise eps ~ N(0, I) from explicitly seeded ND4J generators; never ND4J's global generator. */
public final class Noise {
    private Noise() {}

    /** A new generator: the same seed gives the same sequence of draws. Close it when done. */
    public static Random generator(long seed) {
        return Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    /** Runs {@code body} with a fresh generator seeded by {@code seed}, then releases the generator. */
    public static <R> R withGenerator(long seed, Function<Random, R> body) {
        Random rng = generator(seed);
        try {
            return body.apply(rng);
        } finally {
            close(rng);
        }
    }

    /** A FLOAT tensor of the given shape [B, ...] with independent N(0, 1) entries. */
    public static INDArray standardNormal(long[] shape, Random rng) {
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(n -> n < 1)) {
            throw new InvalidInputException("a sample shape is [B, ...] with positive sizes; got " + Arrays.toString(shape));
        }
        return Nd4j.randn(Nd4j.createUninitialized(DataType.FLOAT, shape), rng);
    }

    /** N(0, I) noise with x's shape and data type. */
    public static INDArray like(INDArray x, Random rng) {
        return Nd4j.randn(Nd4j.createUninitialized(x.dataType(), x.shape()), rng);
    }

    private static void close(Random rng) {
        try {
            rng.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not release an ND4J random generator", e);
        }
    }
}
