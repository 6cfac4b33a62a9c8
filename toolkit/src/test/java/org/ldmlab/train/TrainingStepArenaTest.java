package org.ldmlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.TextContext;
import org.ldmlab.nn.Var;
import org.ldmlab.unet.UNet;
import org.ldmlab.unet.UNetConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * A training step whose tensors live in {@link DataParallel}'s {@link org.ldmlab.nn.Arena} computes what it computes
 * with each tensor allocated on its own, bit for bit, step after step (so no tensor of one step is read after the
 * arena was reset for the next), and ND4J's own workspace check finds no op reading a tensor of a closed arena.
 */
class TrainingStepArenaTest {
    private static final int BATCH = 4;
    private static final int STEPS = 3;

    @BeforeEach
    void checkWorkspaces() {
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkWorkspaces(true).build());
    }

    @AfterEach
    void stopChecking() {
        Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
    }

    @Test
    void aUnetTrainsBitForBitAsWithoutTheArena() {
        UNet plain = unet();
        UNet inArena = unet();
        Adam plainAdam = new Adam(plain, 1e-3);
        Adam arenaAdam = new Adam(inArena, 1e-3);
        try (DataParallel<UNet> one = new DataParallel<>(inArena, TrainingStepArenaTest::unet, 1)) {
            for (long step = 1; step <= STEPS; step++) {
                plainAdam.zeroGrad();
                Var loss = loss(plain, step, Shard.WHOLE);
                loss.backward();

                arenaAdam.zeroGrad();
                double arenaLoss = one.lossAndGradients(TrainingStepArenaTest::loss, step);

                assertEquals(loss.value().getDouble(0), arenaLoss, 0.0, "loss at step " + step);
                Map<String, Var> expected = plain.parameters();
                long step0 = step;
                inArena.parameters().forEach((name, p) -> {
                    assertNotNull(p.grad(), name);
                    assertFalse(p.grad().isAttached(), name + "'s gradient must leave the arena");
                    assertTrue(Arrays.equals(expected.get(name).grad().data().asFloat(), p.grad().data().asFloat()),
                            name + "'s gradient differs at step " + step0);
                });
                plainAdam.step();
                arenaAdam.step();
            }
        }
        inArena.parameters().forEach((name, p) -> assertTrue(Arrays.equals(plain.parameters().get(name).value().data().asFloat(),
                p.value().data().asFloat()), name + " differs after " + STEPS + " steps"));
    }

    @Test
    void twoReplicasSharingABatchFollowOneReplicaUpToRounding() {
        UNet serial = unet();
        UNet parallel = unet();
        Adam adam = new Adam(serial, 1e-3);
        SharedBatch<UNet, Batch> shared = new SharedBatch<>(Batch::draw, (replica, batch, shard) -> batch.loss(replica, shard));
        try (DataParallel<UNet> one = new DataParallel<>(serial, TrainingStepArenaTest::unet, 1);
                DataParallel<UNet> two = new DataParallel<>(parallel, TrainingStepArenaTest::unet, 2)) {
            for (long step = 1; step <= STEPS; step++) {
                // the same weights; one replica's arena is laid out for batch 4, the two replicas' for 2 each
                serial.parameters().forEach((name, p) -> parallel.parameters().get(name).value().assign(p.value()));
                two.broadcastWeights();
                adam.zeroGrad();
                parallel.parameters().values().forEach(Var::zeroGrad);
                assertEquals(one.lossAndGradients(shared, step), two.lossAndGradients(shared, step), 1e-5, "loss at step " + step);
                long step0 = step;
                serial.parameters().forEach((name, p) -> {
                    INDArray g = p.grad();
                    double gap = g.sub(parallel.parameters().get(name).grad()).amaxNumber().doubleValue();
                    double scale = Math.max(1e-3, g.amaxNumber().doubleValue());
                    assertTrue(gap <= 1e-4 * scale, name + "'s gradient differs by " + gap + " (largest " + scale + ") at step " + step0);
                });
                adam.step(); // so that the next step's gradients reach every layer (the output convolution starts at zero)
            }
        }
    }

    private static UNet unet() {
        return new UNet(UNetConfig.textToImage(64), new Init(0));
    }

    private static Var loss(UNet replica, long step, Shard shard) {
        return Batch.draw(step).loss(replica, shard);
    }

    /** One step's batch: latents z [B, H, W, C], caption states ctx [B, L, D], noise eps like z, timesteps t [B]. */
    private record Batch(INDArray z, INDArray ctx, INDArray eps, int[] t) {
        static Batch draw(long step) {
            Init draw = new Init(StepSeed.of(11, step));
            int[] t = new int[BATCH];
            Arrays.setAll(t, i -> (int) ((i * 317 + step * 71) % 1000));
            return new Batch(draw.normal(1, BATCH, 8, 8, 4), draw.normal(1, BATCH, 16, 64), draw.normal(1, BATCH, 8, 8, 4), t);
        }

        /** The eps-prediction loss of one shard of the batch. */
        Var loss(UNet replica, Shard shard) {
            return Ops.mse(replica.forward(Var.constant(shard.of(z)), shard.of(t), new TextContext(Var.constant(shard.of(ctx)), null), null),
                    shard.of(eps));
        }
    }
}
