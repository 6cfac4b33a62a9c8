package org.ldmlab.train;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongToDoubleFunction;
import java.util.function.Supplier;
import org.ldmlab.InvalidInputException;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.checkpoint.CheckpointBuilder;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Var;

/**
 * The loop every training command runs. Each step: compute the loss, back-propagate, clip the gradients
 * (optional), update with {@link Adam}, update the {@link Ema}; show step, loss, steps/s and ETA on a
 * {@link ProgressBar}; save a {@link Checkpoint} every K steps and at the end.
 * <ul>
 * <li>{@link #resume} continues from the checkpoint's step. It repeats an uninterrupted run bit for bit when
 *     the step function follows the {@link StepSeed} contract and the settings are the same ({@link Resumption}).</li>
 * <li>A NaN or infinite loss, or weights that became NaN or infinite, stop the run; the bad state is not saved,
 *     the last checkpoint is kept.</li>
 * <li>Ctrl-C saves at the next step boundary: a shutdown hook calls {@link #requestStop()} and waits for
 *     the save.</li>
 * <li>{@link #dataParallel} splits each batch over replicas of the model on several threads: the step is
 *     then a {@link ShardedStep}, which computes the loss of one {@link Shard} of the batch on one replica.</li>
 * </ul>
 * <pre>{@code
 * Result r = new TrainingLoop(model, new Adam(model, 1e-3), new Ema(model, 0.999))
 *         .steps(10_000)
 *         .checkpoint(path, () -> Checkpoint.builder("autoencoder").seed(seed).config(config), 500)
 *         .start(step -> model.loss(data.batch(new SplittableRandom(StepSeed.of(seed, step)))));
 * }</pre>
 * One loop object trains once; build a new one (with a fresh model) to resume in the same process.
 *
 * @param <M> the kind of model trained
 */
public final class TrainingLoop<M extends Module> {
    /** Computes the loss of one step; steps count from 1. Randomness must come from {@link StepSeed}. */
    @FunctionalInterface
    public interface Step {
        Var loss(long step);
    }

    /**
     * Computes the loss of one shard of a step's batch on one replica of the model: draw the whole batch
     * from the {@link StepSeed} (so it does not depend on the number of shards), keep {@code shard.of(...)}
     * of it, and return {@code replica}'s mean loss over those rows. {@link SharedBatch} draws the batch once
     * for all replicas.
     */
    @FunctionalInterface
    public interface ShardedStep<M> {
        Var loss(M replica, long step, Shard shard);
    }

    /** How a run ended: at which step, after how many steps and seconds in this run, with what loss. */
    public record Result(long step, long stepsRun, double wallSeconds, double finalLoss, boolean interrupted,
            Path checkpoint) {
        public String summary() {
            return String.format("%s at step %d after %d steps in %.1f s, final loss %.6g; checkpoint %s",
                    interrupted ? "stopped" : "finished", step, stepsRun, wallSeconds, finalLoss, checkpoint);
        }
    }

    /** How long Ctrl-C waits for the current step and the save before the JVM exits anyway. */
    private static final long SAVE_ON_EXIT_SECONDS = 60;
    private static final long NONE = -1;

    private final M model;
    private final Adam optimizer;
    private final Ema ema;
    private long totalSteps;
    private Path checkpoint;
    private Supplier<CheckpointBuilder> runDescription;
    private long checkpointEvery;
    private LongToDoubleFunction learningRate;
    private double maxGradNorm = Double.POSITIVE_INFINITY;
    private PrintStream progress = System.err;
    private long lastSaved = NONE;
    private volatile boolean stopRequested;
    private final CountDownLatch finished = new CountDownLatch(1);
    private boolean used;
    private int workers = 1;
    private Supplier<M> newReplica;

    public TrainingLoop(M model, Adam optimizer, Ema ema) {
        this.model = model;
        this.optimizer = optimizer;
        this.ema = ema;
    }

    /** Trains until this many steps are done in total (counting those of a resumed checkpoint). */
    public TrainingLoop<M> steps(long totalSteps) {
        if (totalSteps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + totalSteps);
        }
        this.totalSteps = totalSteps;
        return this;
    }

    /**
     * Saves to {@code path} every {@code every} steps and at the end. {@code runDescription} starts each
     * checkpoint with the run's kind, seed, config, command line and extras; the loop adds the step, the
     * time trained and the model, EMA and optimizer tensors.
     */
    public TrainingLoop<M> checkpoint(Path path, Supplier<CheckpointBuilder> runDescription, long every) {
        if (every < 1) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1 step, got " + every);
        }
        this.checkpoint = path;
        this.runDescription = runDescription;
        this.checkpointEvery = every;
        return this;
    }

    /** The learning rate of each step (warm-up, decay); without it Adam's own rate is used throughout. */
    public TrainingLoop<M> learningRate(LongToDoubleFunction schedule) {
        this.learningRate = schedule;
        return this;
    }

    /** Clips the global gradient norm to {@code maxNorm} before each update (1.0 is common for diffusion). */
    public TrainingLoop<M> clipGradNorm(double maxNorm) {
        this.maxGradNorm = maxNorm;
        return this;
    }

    /** Where the progress bar goes (standard error by default). */
    public TrainingLoop<M> progressTo(PrintStream out) {
        this.progress = out;
        return this;
    }

    /**
     * Trains on {@code workers} replicas at once, one thread each ({@link DataParallel}); {@code newReplica}
     * builds a model of the same architecture (its weights are overwritten). The batch must split evenly.
     */
    public TrainingLoop<M> dataParallel(int workers, Supplier<M> newReplica) {
        if (workers < 1) {
            throw new InvalidInputException("the number of data-parallel workers must be >= 1, got " + workers);
        }
        this.workers = workers;
        this.newReplica = newReplica;
        return this;
    }

    /** Trains from the module's current weights on whole batches (one worker). */
    public Result start(Step step) throws IOException {
        return start(whole(step));
    }

    /** Loads the checkpoint and trains on from its step, on whole batches (one worker). */
    public Result resume(Step step) throws IOException {
        return resume(whole(step));
    }

    /** Trains from the module's current weights; refuses to overwrite an existing checkpoint. */
    public Result start(ShardedStep<M> step) throws IOException {
        requireCheckpointPath();
        if (Files.exists(checkpoint)) {
            throw new InvalidInputException(checkpoint + " already exists; resume it, or delete it to train from scratch");
        }
        AtomicFiles.prepareParent(checkpoint); // fail now, not at the first save
        return run(step, 0, 0);
    }

    /**
     * Loads model, EMA and optimizer state from the checkpoint and trains on from its step. Refuses another seed, an
     * exported checkpoint and a total at or below the checkpoint's step; warns of other training settings.
     */
    public Result resume(ShardedStep<M> step) throws IOException {
        requireCheckpointPath();
        CheckpointBuilder run = runDescription.get();
        Checkpoint saved = Checkpoint.load(checkpoint, run.kind());
        Resumption.requireResumable(saved, run.seed(), totalSteps);
        Resumption.requireSameModel(saved, run.build().config());
        Resumption.warnOfChanges(saved, run.build(), progress);
        saved.loadInto(model, Checkpoint.MODEL);
        ema.restoreFrom(saved);
        optimizer.restoreFrom(saved);
        lastSaved = saved.step();
        return run(step, saved.step(), saved.secondsTrained());
    }

    /**
     * Asks the loop to save and stop at the end of the current step. Ctrl-C calls it (via the shutdown
     * hook); so may another thread, e.g. a notebook's stop button.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** The shutdown hook's work: request the stop, then wait (bounded) until the loop has saved and ended. */
    void saveOnExit() {
        requestStop();
        try {
            finished.await(SAVE_ON_EXIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Result run(ShardedStep<M> step, long firstStep, double secondsBefore) throws IOException {
        if (used) {
            throw new IllegalStateException("a TrainingLoop trains once; build a new one to train again");
        }
        used = true;
        Thread hook = new Thread(this::saveOnExit, "ldmlab-save-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        try (DataParallel<M> replicas = new DataParallel<>(model, newReplica, workers)) {
            Result result = train(replicas, step, firstStep, secondsBefore);
            if (result.interrupted()) {
                progress.println("stopped at step " + result.step() + "; saved " + checkpoint + "; resume to go on");
            }
            return result;
        } finally {
            finished.countDown();
            removeHook(hook);
        }
    }

    private Result train(DataParallel<M> replicas, ShardedStep<M> lossAt, long firstStep, double secondsBefore)
            throws IOException {
        long startNanos = System.nanoTime();
        double loss = Double.NaN;
        long step = firstStep;
        try (ProgressBar bar = new ProgressBar(runDescription.get().kind(), totalSteps, progress).resumeAt(firstStep)) {
            while (step < totalSteps) {
                step++;
                loss = trainStep(replicas, lossAt, step);
                bar.step(String.format("loss %.4f", loss));
                boolean stopping = stopRequested;
                if (stopping || step % checkpointEvery == 0 || step == totalSteps) {
                    save(step, secondsBefore + seconds(startNanos));
                }
                if (stopping) {
                    break;
                }
            }
        }
        return new Result(step, step - firstStep, seconds(startNanos), loss, step < totalSteps, checkpoint);
    }

    /** One step; returns the loss. A non-finite loss throws before anything is updated. */
    private double trainStep(DataParallel<M> replicas, ShardedStep<M> lossAt, long step) {
        if (learningRate != null) {
            optimizer.setLearningRate(learningRate.applyAsDouble(step));
        }
        optimizer.zeroGrad();
        double value = replicas.lossAndGradients(lossAt, step);
        if (!Double.isFinite(value)) {
            throw diverged("loss became " + value, step);
        }
        if (maxGradNorm < Double.POSITIVE_INFINITY) {
            optimizer.clipGradNorm(maxGradNorm);
        }
        optimizer.step();
        replicas.broadcastWeights();
        ema.update();
        return value;
    }

    private void save(long step, double secondsTrained) throws IOException {
        CheckpointBuilder content = runDescription.get()
                .step(step)
                .secondsTrained(secondsTrained)
                .module(Checkpoint.MODEL, model);
        ema.saveTo(content);
        optimizer.saveTo(content);
        Checkpoint c = content.build();
        String bad = c.nonFiniteTensor();
        if (bad != null) {
            throw diverged("the weights became NaN or infinite (" + bad + ")", step);
        }
        c.save(checkpoint);
        lastSaved = step;
    }

    /** The run stopped at {@code step} because of {@code what}; says which checkpoint is kept. */
    private InvalidInputException diverged(String what, long step) {
        return new InvalidInputException(what + " at step " + step + "; " + (lastSaved == NONE ? "no checkpoint was written yet"
                : "the last good checkpoint (step " + lastSaved + ") is kept at " + checkpoint) + "; try a lower learning rate");
    }

    private ShardedStep<M> whole(Step step) {
        if (workers > 1) {
            throw new IllegalStateException("with " + workers + " data-parallel workers the step must be a ShardedStep");
        }
        return (replica, number, shard) -> step.loss(number);
    }

    private void requireCheckpointPath() {
        if (checkpoint == null) {
            throw new IllegalStateException("call checkpoint(path, runDescription, every) before training");
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting and the hook is running: it returns now that the run has finished
        }
    }
}
