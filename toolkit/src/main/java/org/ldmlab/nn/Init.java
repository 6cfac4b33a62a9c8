package org.ldmlab.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded weight initialisation, independent of ND4J's global random state, so the same seed builds the
 * same model on any backend. Defaults follow PyTorch: uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)).
 */
public final class Init {
    private final SplittableRandom random;
    private final DataType dataType;

    /** FLOAT weights, as the models train and sample. */
    public Init(long seed) {
        this(seed, DataType.FLOAT);
    }

    /** Weights of another type: DOUBLE for finite-difference gradient checks. */
    public Init(long seed, DataType dataType) {
        this.random = new SplittableRandom(seed);
        this.dataType = dataType;
    }

    /** The data type of the tensors this initialiser makes. */
    public DataType dataType() {
        return dataType;
    }

    /** Uniform(-bound, bound), the PyTorch default for linear and convolution weights with bound 1/sqrt(fan_in). */
    public INDArray uniform(double bound, long... shape) {
        float[] data = new float[(int) length(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return Nd4j.create(data, shape, DataType.FLOAT).castTo(dataType);
    }

    public INDArray normal(double std, long... shape) {
        float[] data = new float[(int) length(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (gaussian() * std);
        }
        return Nd4j.create(data, shape, DataType.FLOAT).castTo(dataType);
    }

    public INDArray zeros(long... shape) {
        return Nd4j.zeros(dataType, shape);
    }

    public INDArray ones(long... shape) {
        return Nd4j.ones(dataType, shape);
    }

    private double gaussian() {
        // Box-Muller
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static long length(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
