package org.ldmlab.schedule;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import org.ldmlab.InvalidInputException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Values that differ per sample of a batch because each sample b has its own timestep t[b]. */
public final class PerSample {
    private PerSample() {}

    /**
     * coef(t[b]) for every sample b, shaped [B, 1, ..., 1] with x's rank and data type, so that
     * {@code x.mul(coefficient(...))} scales each sample of x [B, C, H, W] by its own schedule value.
     */
    public static INDArray coefficient(IntToDoubleFunction coef, int[] t, INDArray x) {
        if (x.rank() < 1 || x.size(0) != t.length) {
            throw new InvalidInputException("need one timestep per sample: got " + t.length + " timesteps for a tensor of shape "
                    + Arrays.toString(x.shape()));
        }
        long[] shape = new long[x.rank()];
        Arrays.fill(shape, 1);
        shape[0] = t.length;
        double[] values = Arrays.stream(t).mapToDouble(coef).toArray();
        return Nd4j.createFromArray(values).castTo(x.dataType()).reshape(shape); // [B, 1, ..., 1]
    }

    /** The same timestep t for all {@code batch} samples. */
    public static int[] timesteps(int batch, int t) {
        int[] ts = new int[batch];
        Arrays.fill(ts, t);
        return ts;
    }
}
