package org.ldmlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ldmlab.train.Tensors.assertSameParameters;
import static org.ldmlab.train.TrainingLoopTest.assertSameRun;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.InvalidInputException;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DataParallelTest {
    private static final long SEED = 5;
    private static final int STEPS = 12;
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    @Test
    void theMeanOfTheShardGradientsIsTheWholeBatchGradient() {
        TinyNet whole = new TinyNet(1, 8);
        whole.loss(SEED, 3).backward();

        TinyNet model = new TinyNet(1, 8);
        try (DataParallel<TinyNet> replicas = new DataParallel<>(model, () -> new TinyNet(42, 8), 4)) {
            double loss = replicas.lossAndGradients((replica, step, shard) -> replica.loss(SEED, step, shard), 3);
            assertEquals(whole.loss(SEED, 3).value().getDouble(0), loss, 1e-6);
        }
        Map<String, Var> expected = whole.parameters();
        model.parameters().forEach((name, p) -> {
            double gap = p.grad().sub(expected.get(name).grad()).amaxNumber().doubleValue();
            assertTrue(gap < 1e-6, name + " differs by " + gap);
        });
    }

    @Test
    void twoWorkersFollowTheOneWorkerRunUpToRounding() throws IOException {
        TinyNet serial = train(1, "serial.ckpt");
        TinyNet parallel = train(2, "parallel.ckpt");
        serial.parameters().forEach((name, p) -> {
            double gap = p.value().sub(parallel.parameters().get(name).value()).amaxNumber().doubleValue();
            assertTrue(gap < 1e-5, name + " differs by " + gap);
        });
    }

    @Test
    void aParallelRunRepeatsBitForBitAndResumesExactly() throws IOException {
        TinyNet first = train(2, "first.ckpt");
        TinyNet again = train(2, "again.ckpt");
        assertSameParameters(first, again);

        TinyNet half = new TinyNet(1, 8);
        parallel(half, STEPS / 2, "split.ckpt", 2).start((replica, step, shard) -> replica.loss(SEED, step, shard));
        TinyNet resumed = new TinyNet(7, 8);
        parallel(resumed, STEPS, "split.ckpt", 2).resume((replica, step, shard) -> replica.loss(SEED, step, shard));
        assertSameParameters(first, resumed);
        assertSameRun(dir.resolve("first.ckpt"), dir.resolve("split.ckpt"));
    }

    @Test
    void aSharedBatchIsDrawnOncePerStepAndTrainsBitForBitAsADrawPerReplica() throws IOException {
        AtomicInteger draws = new AtomicInteger();
        TinyNet shared = new TinyNet(1, 8);
        parallel(shared, STEPS, "shared.ckpt", 2).start(new SharedBatch<TinyNet, INDArray>(step -> {
            draws.incrementAndGet();
            return TinyNet.batch(SEED, step);
        }, (replica, x, shard) -> replica.loss(shard.of(x))));
        assertEquals(STEPS, draws.get(), "one draw per step, not one per replica");
        assertSameParameters(train(2, "per-replica.ckpt"), shared);
        assertSameRun(dir.resolve("per-replica.ckpt"), dir.resolve("shared.ckpt"));
    }

    @Test
    void aBatchThatDoesNotSplitEvenlyIsRefused() {
        TinyNet net = new TinyNet(1, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                parallel(net, STEPS, "odd.ckpt", 3).start((replica, step, shard) -> replica.loss(SEED, step, shard)));
        assertEquals("a batch of 16 does not split into 3 equal shards", e.getMessage());
    }

    @Test
    void aWholeBatchStepCannotBeSplit() {
        TinyNet net = new TinyNet(1, 8);
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                parallel(net, STEPS, "whole.ckpt", 2).start(step -> net.loss(SEED, step)));
        assertEquals("with 2 data-parallel workers the step must be a ShardedStep", e.getMessage());
    }

    @Test
    void aNanLossOnAnotherReplicaStopsTheRun() {
        TinyNet net = new TinyNet(1, 8);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parallel(net, STEPS, "nan.ckpt", 2)
                .start((replica, step, shard) -> step == 4 && shard.index() == 1
                        ? Ops.mul(replica.loss(SEED, step, shard), Var.constant(Nd4j.scalar(Float.POSITIVE_INFINITY)))
                        : replica.loss(SEED, step, shard)));
        assertTrue(e.getMessage().startsWith("loss became Infinity at step 4"), e.getMessage());
    }

    private TinyNet train(int workers, String file) throws IOException {
        TinyNet net = new TinyNet(1, 8);
        parallel(net, STEPS, file, workers).start((replica, step, shard) -> replica.loss(SEED, step, shard));
        return net;
    }

    private TrainingLoop<TinyNet> parallel(TinyNet net, long steps, String file, int workers) {
        return TrainingLoopTest.loop(net, steps, dir.resolve(file), QUIET).dataParallel(workers, () -> new TinyNet(99, 8));
    }
}
