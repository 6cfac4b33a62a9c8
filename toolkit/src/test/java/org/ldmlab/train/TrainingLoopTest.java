package org.ldmlab.train;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ldmlab.train.Tensors.assertSameParameters;
import static org.ldmlab.train.Tensors.assertSameTensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.InvalidInputException;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.checkpoint.CheckpointBuilder;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.factory.Nd4j;

class TrainingLoopTest {
    private static final long SEED = 17;
    private static final int STEPS = 20;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @Test
    void resumingHalfWayRepeatsTheStraightRunBitForBit() throws IOException {
        TinyNet straight = new TinyNet(1, 8);
        TrainingLoop.Result all = loop(straight, STEPS, "straight.ckpt").start(step -> straight.loss(SEED, step));
        assertEquals(STEPS, all.step());
        assertFalse(all.interrupted());
        assertTrue(all.summary().startsWith("finished at step 20 after 20 steps"), all.summary());

        TinyNet firstHalf = new TinyNet(1, 8);
        loop(firstHalf, STEPS / 2, "split.ckpt").start(step -> firstHalf.loss(SEED, step));
        TinyNet secondHalf = new TinyNet(99, 8); // other initial weights: the checkpoint must replace them all
        TrainingLoop.Result resumed = loop(secondHalf, STEPS, "split.ckpt").resume(step -> secondHalf.loss(SEED, step));
        assertEquals(STEPS, resumed.step());
        assertEquals(STEPS / 2, resumed.stepsRun());

        assertSameParameters(straight, secondHalf);
        assertEquals(all.finalLoss(), resumed.finalLoss());
        assertSameRun(dir.resolve("straight.ckpt"), dir.resolve("split.ckpt"));
    }

    @Test
    void aStopRequestSavesAtTheStepBoundaryAndResumesExactly() throws IOException {
        TinyNet straight = new TinyNet(1, 8);
        loop(straight, STEPS, "straight.ckpt").start(step -> straight.loss(SEED, step));

        TinyNet stopped = new TinyNet(1, 8);
        TrainingLoop<TinyNet> first = loop(stopped, STEPS, "stopped.ckpt");
        TrainingLoop.Result result = first.start(step -> {
            if (step == 7) {
                first.requestStop(); // what Ctrl-C's shutdown hook calls
            }
            return stopped.loss(SEED, step);
        });
        assertTrue(result.interrupted());
        assertEquals(7, result.step());
        assertEquals(7, Checkpoint.load(dir.resolve("stopped.ckpt"), "tiny").step(), "saved although 7 % 5 != 0");
        assertTrue(progress.toString().contains("stopped at step 7"), progress.toString());

        TinyNet resumed = new TinyNet(2, 8);
        loop(resumed, STEPS, "stopped.ckpt").resume(step -> resumed.loss(SEED, step));
        assertSameParameters(straight, resumed);
        assertSameRun(dir.resolve("straight.ckpt"), dir.resolve("stopped.ckpt"));
    }

    @Test
    void theShutdownHookWaitsUntilTheStateIsSaved() throws Exception {
        TinyNet net = new TinyNet(1, 8);
        TrainingLoop<TinyNet> loop = loop(net, 100_000, "hook.ckpt");
        Thread hook = new Thread(loop::saveOnExit);
        TrainingLoop.Result result = loop.start(step -> {
            if (step == 3) {
                hook.start();
            }
            return net.loss(SEED, step);
        });
        hook.join(10_000);
        assertFalse(hook.isAlive(), "the hook returned once the loop had saved");
        assertTrue(result.interrupted());
        assertEquals(result.step(), Checkpoint.load(dir.resolve("hook.ckpt"), "tiny").step());
    }

    @Test
    void aNanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws IOException {
        TinyNet net = new TinyNet(1, 8);
        Path file = dir.resolve("nan.ckpt");
        byte[][] afterStep5 = new byte[1][];
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> loop(net, STEPS, "nan.ckpt").start(step -> {
            if (step == 6) {
                afterStep5[0] = bytes(file);
            }
            return step == 8 ? times(net.loss(SEED, step), Float.NaN) : net.loss(SEED, step);
        }));
        assertEquals("loss became NaN at step 8; the last good checkpoint (step 5) is kept at " + file
                + "; try a lower learning rate", e.getMessage());
        assertArrayEquals(afterStep5[0], Files.readAllBytes(file), "the checkpoint is the one written at step 5");
    }

    @Test
    void anInfiniteLossBeforeTheFirstCheckpointSavesNothing() {
        TinyNet net = new TinyNet(1, 8);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> loop(net, STEPS, "inf.ckpt")
                .start(step -> step == 2 ? times(net.loss(SEED, step), Float.POSITIVE_INFINITY) : net.loss(SEED, step)));
        assertTrue(e.getMessage().startsWith("loss became Infinity at step 2; no checkpoint was written yet"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("inf.ckpt")));
    }

    @Test
    void theLossFallsAndIsShownOnTheProgressBar() throws IOException {
        TinyNet net = new TinyNet(1, 8);
        List<Double> losses = new ArrayList<>();
        TrainingLoop.Result result = loop(net, 60, "fit.ckpt").learningRate(step -> 0.05).start(step -> {
            Var loss = net.loss(SEED, step);
            losses.add(loss.value().getDouble(0));
            return loss;
        });
        double first = losses.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(50, 60).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < first / 20, "loss " + first + " -> " + last);
        assertEquals(losses.get(59), result.finalLoss());
        assertTrue(progress.toString().contains("60/60"), progress.toString());
        assertTrue(progress.toString().contains(String.format("loss %.4f", result.finalLoss())), progress.toString());
    }

    @Test
    void startingAfreshNeverOverwritesACheckpoint() throws IOException {
        Path file = Files.writeString(dir.resolve("old.ckpt"), "precious");
        TinyNet net = new TinyNet(1, 8);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> loop(net, STEPS, "old.ckpt").start(step -> net.loss(SEED, step)));
        assertTrue(e.getMessage().contains("already exists; resume it"), e.getMessage());
        assertEquals("precious", Files.readString(file));
    }

    @Test
    void weightsThatBecomeInfiniteAreNotSaved() throws IOException {
        TinyNet net = new TinyNet(1, 8);
        TrainingLoop<TinyNet> loop = loop(net, 7, "diverged.ckpt").learningRate(step -> step == 7 ? Double.POSITIVE_INFINITY : 0.02);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> loop.start(step -> net.loss(SEED, step)));
        assertTrue(e.getMessage().startsWith("the weights became NaN or infinite (model/"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at step 7; the last good checkpoint (step 5) is kept at " + dir.resolve("diverged.ckpt")
                + "; try a lower learning rate"), e.getMessage());
        assertEquals(5, Checkpoint.load(dir.resolve("diverged.ckpt"), "tiny").step());
    }

    @Test
    void aResumeRefusesAnotherSeedAnExportOrNoStepsLeftAndWarnsOfOtherSettings() throws IOException {
        Path file = dir.resolve("run.ckpt");
        TinyNet net = new TinyNet(1, 8);
        described(net, 10, file, SEED, 16).start(step -> net.loss(SEED, step));
        byte[] saved = Files.readAllBytes(file);

        InvalidInputException seed = assertThrows(InvalidInputException.class,
                () -> described(new TinyNet(1, 8), 20, file, SEED + 1, 16).resume(step -> net.loss(SEED + 1, step)));
        assertEquals(file + " was trained with seed 17, and this run's seed is 18: the steps after the checkpoint would draw "
                + "another run's data; resume with seed 17 (--seed 17)", seed.getMessage());
        for (long steps : new long[] {10, 4}) {
            InvalidInputException done = assertThrows(InvalidInputException.class,
                    () -> described(new TinyNet(1, 8), steps, file, SEED, 16).resume(step -> net.loss(SEED, step)));
            assertEquals(file + " is at step 10 already, and the run is to end at step " + steps + ": nothing to train; ask for "
                    + "more steps than 10", done.getMessage());
        }
        assertArrayEquals(saved, Files.readAllBytes(file), "a refused resume leaves the checkpoint as it was");

        Checkpoint trained = Checkpoint.load(file, "tiny");
        CheckpointBuilder export = Checkpoint.builder("tiny").seed(SEED).step(10);
        trained.tensorNames().stream().filter(n -> n.startsWith(Ema.GROUP + "/")).forEach(n -> export.tensor(n, trained.tensor(n)));
        Path exported = dir.resolve("exported.ckpt");
        export.build().save(exported);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> described(new TinyNet(1, 8), 20, exported, SEED, 16).resume(step -> net.loss(SEED, step)));
        assertTrue(e.getMessage().startsWith(exported + " is an exported checkpoint") && e.getMessage().contains(
                "exported checkpoints cannot be resumed"), e.getMessage());

        TinyNet resumed = new TinyNet(1, 8);
        described(resumed, 12, file, SEED, 8).resume(step -> resumed.loss(SEED, step));
        assertTrue(progress.toString().contains("warning: " + file + " was trained with batch 16, this run uses batch 8: the "
                + "resumed run will not repeat an uninterrupted one bit for bit"), progress.toString());
        assertEquals(12, Checkpoint.load(file, "tiny").step());
    }

    /** A loop whose checkpoints record the seed and a batch size (TinyNet's own batch is fixed: only the record differs). */
    private TrainingLoop<TinyNet> described(TinyNet net, long steps, Path file, long seed, int batch) {
        return new TrainingLoop<>(net, new Adam(net, 0.02), new Ema(net, 0.99)).steps(steps).progressTo(new PrintStream(progress, true))
                .checkpoint(file, () -> Checkpoint.builder("tiny").seed(seed).trainedWith("batch", batch), 5);
    }

    static TrainingLoop<TinyNet> loop(TinyNet net, long steps, Path file, PrintStream progress) {
        return new TrainingLoop<>(net, new Adam(net, 0.02), new Ema(net, 0.99))
                .steps(steps)
                .checkpoint(file, () -> Checkpoint.builder("tiny").seed(SEED).config("width", "8"), 5)
                .learningRate(step -> 0.02 * Math.min(1, step / 5.0))
                .clipGradNorm(1.0)
                .progressTo(progress);
    }

    private TrainingLoop<TinyNet> loop(TinyNet net, long steps, String file) {
        return loop(net, steps, dir.resolve(file), new PrintStream(progress, true));
    }

    /**
     * loss * value, through a tensor: ND4J 1.0.0-M2.1 does not propagate a NaN scalar operand
     * ({@code x.mul(Double.NaN)} gives 1e-5 x), so {@code Ops.scale(loss, NaN)} would not poison the loss.
     */
    private static Var times(Var loss, float value) {
        return Ops.mul(loss, Var.constant(Nd4j.scalar(value)));
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Same step, model, EMA and optimizer state; only the wall-clock time may differ. */
    static void assertSameRun(Path expected, Path actual) {
        Checkpoint a = Checkpoint.load(expected, "tiny");
        Checkpoint b = Checkpoint.load(actual, "tiny");
        assertEquals(a.step(), b.step());
        assertEquals(a.extras(), b.extras());
        assertEquals(a.config(), b.config());
        assertTrue(a.tensorNames().containsAll(List.of("model/out.bias", "ema/out.bias", "optim/m/out.bias", "optim/v/out.bias")));
        assertSameTensors(a, b);
    }
}
