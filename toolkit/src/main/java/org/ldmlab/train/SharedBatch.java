package org.ldmlab.train;

import java.util.function.LongFunction;
import org.ldmlab.nn.Arena;
import org.ldmlab.nn.Var;

/**
 * A {@link TrainingLoop.ShardedStep} that draws each step's whole batch once and gives every replica its
 * {@link Shard} of it. Drawing the batch (rendering images, drawing noise) on each of R replicas and keeping 1/R of
 * it did the same work R times; here the first replica to ask draws it and the others wait for it. The batch
 * depends on the step alone ({@link StepSeed}), so training is bit for bit what it was with a draw per replica.
 *
 * @param <M> the model trained
 * @param <B> what one step draws, e.g. a record of images and noise
 */
public final class SharedBatch<M, B> implements TrainingLoop.ShardedStep<M> {
    /** The loss of one shard of a drawn batch on one replica. */
    @FunctionalInterface
    public interface ShardLoss<M, B> {
        Var loss(M replica, B batch, Shard shard);
    }

    private final LongFunction<B> draw;
    private final ShardLoss<M, B> loss;
    private long drawnStep;
    private B batch;

    /** {@code draw}: step number -> that step's whole batch; {@code loss}: one shard's loss on one replica. */
    public SharedBatch(LongFunction<B> draw, ShardLoss<M, B> loss) {
        this.draw = draw;
        this.loss = loss;
    }

    @Override
    public Var loss(M replica, long step, Shard shard) {
        return loss.loss(replica, batch(step), shard);
    }

    /**
     * Step {@code step}'s batch, drawn by the first caller. {@link DataParallel} has every replica finish a step before
     * any starts the next, so only the latest step's batch is kept.
     */
    private synchronized B batch(long step) {
        if (batch == null || step != drawnStep) {
            batch = Arena.outside(() -> draw.apply(step)); // read by every replica, so in no replica's arena
            drawnStep = step;
        }
        return batch;
    }
}
