package org.ldmlab.schedule;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded stream of Gaussian noise eps ~ N(0, I): the same seed gives the same draws, on any ND4J backend.
 * The draws are made in Java and copied into an INDArray: ND4J 1.0.0-M2.1's seeded generators
 * ({@code getNewRandomInstance(seed)} with {@code Nd4j.randn}) were found to give different numbers for
 * the same seed from one call to the next, which would make no figure or sample reproducible.
 */
public final class Noise {
    private final SplittableRandom random;
    private double spare = Double.NaN;

    public Noise(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A FLOAT tensor of the given shape [B, ...] with independent N(0, 1) entries. */
    public INDArray standardNormal(long... shape) {
        if (shape.length == 0 || Arrays.stream(shape).anyMatch(n -> n < 1)) {
            throw new InvalidInputException("a sample shape is [B, ...] with positive sizes; got " + Arrays.toString(shape));
        }
        float[] data = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) nextGaussian();
        }
        return Nd4j.create(data, shape, DataType.FLOAT);
    }

    /** N(0, I) noise with x's shape and data type. */
    public INDArray like(INDArray x) {
        return standardNormal(x.shape()).castTo(x.dataType());
    }

    /** Box-Muller: two uniforms give two independent standard normals; the second is kept for the next call. */
    private double nextGaussian() {
        if (!Double.isNaN(spare)) {
            double z = spare;
            spare = Double.NaN;
            return z;
        }
        double radius = Math.sqrt(-2 * Math.log(1.0 - random.nextDouble()));
        double angle = 2 * Math.PI * random.nextDouble();
        spare = radius * Math.sin(angle);
        return radius * Math.cos(angle);
    }
}
