package org.ldmlab.train;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One of {@code count} equal slices of a step's batch: the rows one replica trains on in
 * {@link DataParallel} training. Slice {@code index} holds rows [index B / count, (index + 1) B / count).
 * {@link #WHOLE} is the one slice of a run without data parallelism.
 */
public record Shard(int index, int count) {
    public static final Shard WHOLE = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + " of " + count + " does not exist");
        }
    }

    /** This shard's rows of a batch (dimension 0), e.g. images [B, ...] -> [B / count, ...]. */
    public INDArray of(INDArray batch) {
        int size = size(batch.size(0));
        return batch.get(NDArrayIndex.interval((long) index * size, (long) (index + 1) * size)).dup();
    }

    public <T> List<T> of(List<T> batch) {
        int size = size(batch.size());
        return List.copyOf(batch.subList(index * size, (index + 1) * size));
    }

    public int[] of(int[] batch) {
        int size = size(batch.length);
        return java.util.Arrays.copyOfRange(batch, index * size, (index + 1) * size);
    }

    /** Rows per shard; the batch must split evenly so that the mean of the shards' losses is the batch's. */
    private int size(long batch) {
        if (batch % count != 0) {
            throw new IllegalArgumentException("a batch of " + batch + " does not split into " + count + " equal shards");
        }
        return (int) (batch / count);
    }
}
