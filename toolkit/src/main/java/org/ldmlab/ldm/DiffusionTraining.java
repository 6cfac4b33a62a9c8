package org.ldmlab.ldm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ldmlab.autoencoder.KlAutoencoder;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.io.Settings;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Var;
import org.ldmlab.schedule.LossWeighting;
import org.ldmlab.schedule.Noise;
import org.ldmlab.train.Adam;
import org.ldmlab.train.Ema;
import org.ldmlab.train.LearningRateSchedule;
import org.ldmlab.train.Shard;
import org.ldmlab.train.SharedBatch;
import org.ldmlab.train.StepSeed;
import org.ldmlab.train.TrainingLoop;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training recipe of a latent diffusion model, whatever its backbone (UNet or DiT), as the commands and the
 * notebooks run it. Each step (DDPM Algorithm 1 in the latent space, LDM eq. 3):
 * <ol>
 * <li>draw {@code batch} rows of the {@link LatentPool}: z_0, its caption (and concat input);</li>
 * <li>replace each caption by the empty one with probability 0.1, so one model learns eps(z_t, t, y) and
 *     eps(z_t, t, {}) for classifier-free guidance (Ho and Salimans 2022, section 3.2);</li>
 * <li>draw t uniformly from {0 .. T-1} and eps ~ N(0, I);</li>
 * <li>loss = w_t || eps - eps_theta(sqrt(abar_t) z_0 + sqrt(1 - abar_t) eps, t, tau(y)) ||^2, w_t = 1 unless the
 *     {@link Recipe} weights it ({@link LossWeighting});</li>
 * <li>Adam at the step's learning rate ({@link LearningRateSchedule}), gradient norm clipped at 1, EMA of the weights
 *     with decay 0.999.</li>
 * </ol>
 * Every draw comes from the step's {@link StepSeed}, so a resumed run repeats an uninterrupted one.
 *
 * @param kind         the checkpoint's kind (text to image: {@link Models#LDM}; {@link Models#INPAINT})
 * @param architecture the settings that rebuild the model ({@link Models#describe})
 * @param autoencoder  the frozen autoencoder whose latents these are, saved inside the checkpoint
 * @param commandLine  how the run was started, for the checkpoint's record
 */
public record DiffusionTraining(String kind, Settings architecture, KlAutoencoder autoencoder, LatentPool pool,
        long seed, Recipe recipe, int workers, String commandLine) {
    /**
     * What a run may choose of the recipe: images per step, the learning rate's peak, warm-up and decay, and the loss
     * weighting.
     */
    public record Recipe(int batch, double lr, long warmup, LearningRateSchedule.Decay decay, LossWeighting weighting) {
        /** Adam at {@code lr} throughout, no warm-up, L_simple: the shipped LDM's recipe (at batch 32 and 5e-4). */
        public static Recipe constant(int batch, double lr) {
            return new Recipe(batch, lr, 0, LearningRateSchedule.Decay.CONSTANT, LossWeighting.UNIFORM);
        }

        /** The learning rate of each step of a run to {@code total} steps. */
        public LearningRateSchedule schedule(long total) {
            return new LearningRateSchedule(lr, warmup, decay, total);
        }
    }

    /** The share of captions dropped to "" (Ho and Salimans 2022 use 0.1 to 0.2). */
    public static final double CAPTION_DROPOUT = 0.1;
    public static final double EMA_DECAY = 0.999;
    public static final double MAX_GRAD_NORM = 1.0;

    /** A model of the architecture, with the run's initial weights. */
    public LatentDiffusion newModel() {
        return Models.newDiffusion(architecture, new Init(seed));
    }

    /**
     * Trains until {@code steps} steps are done, saving to {@code checkpoint} every {@code every} steps and at the end
     * (Ctrl-C saves and stops). {@code resume}: continue from the checkpoint; otherwise start from scratch, and an
     * existing checkpoint is refused rather than overwritten.
     */
    public TrainingLoop.Result train(long steps, Path checkpoint, int every, boolean resume, PrintStream out) throws IOException {
        return train(steps, checkpoint, every, resume, out, step());
    }

    /** As {@link #train}, with each step's loss computed by {@code step} (the recipe's {@link #step()}, perhaps watched). */
    TrainingLoop.Result train(long steps, Path checkpoint, int every, boolean resume, PrintStream out,
            TrainingLoop.ShardedStep<LatentDiffusion> step) throws IOException {
        LatentDiffusion model = newModel();
        Ema ema = new Ema(model, EMA_DECAY);
        LearningRateSchedule schedule = recipe.schedule(steps);
        TrainingLoop<LatentDiffusion> loop = new TrainingLoop<>(model, new Adam(model, recipe.lr()), ema).steps(steps)
                .learningRate(schedule).clipGradNorm(MAX_GRAD_NORM).checkpoint(checkpoint, () -> Checkpoint.builder(kind)
                        .seed(seed).commandLine(commandLine).config(architecture.asMap())
                        .extra("scale_factor", Double.toString(pool.scaleFactor()))
                        .trainedWith("batch", recipe.batch()).trainedWith("lr", schedule).trainedWith("workers", workers)
                        .trainedWith("loss_weighting", recipe.weighting())
                        .trainedWith("pool", pool.size()).module(Models.AUTOENCODER_GROUP, autoencoder), every);
        out.printf("%d data-parallel worker%s (batch %d = %d x %d); learning rate %s; loss weighting %s%n", workers,
                workers == 1 ? "" : "s", recipe.batch(), workers, recipe.batch() / workers, schedule, recipe.weighting());
        loop.dataParallel(workers, this::newModel);
        return resume ? loop.resume(step) : loop.start(step);
    }

    /**
     * As {@link #train}, resuming when the checkpoint exists (for comparisons that run model after model); a checkpoint
     * at {@code steps} already (saved just before the run was killed) is left as it is.
     */
    public TrainingLoop.Result trainOrResume(long steps, Path checkpoint, int every, PrintStream out) throws IOException {
        if (Files.exists(checkpoint)) {
            long saved = Checkpoint.load(checkpoint, kind).step();
            if (saved >= steps) {
                return new TrainingLoop.Result(saved, 0, 0, Double.NaN, false, checkpoint);
            }
        }
        return train(steps, checkpoint, every, Files.exists(checkpoint), out);
    }

    /** The recipe's step: each step's whole batch drawn once ({@link #drawBatch}), each replica's loss on its shard. */
    public TrainingLoop.ShardedStep<LatentDiffusion> step() {
        return new SharedBatch<>(this::drawBatch, this::loss);
    }

    /**
     * One step's whole batch: z_0 [B, c, h, w], the captions (some dropped to ""), the concat input [B, c + 1, h, w]
     * (inpainting; else null), the timesteps and the noise [B, c, h, w].
     */
    public record Batch(INDArray z0, List<String> captions, INDArray concat, int[] t, INDArray eps) {}

    /** Step {@code step}'s batch, from the step's seed alone. */
    public Batch drawBatch(long step) {
        SplittableRandom random = new SplittableRandom(StepSeed.of(seed, step));
        int batch = recipe.batch();
        int[] rows = random.ints(batch, 0, pool.size()).toArray();
        List<String> captions = new ArrayList<>();
        for (int r : rows) {
            captions.add(random.nextDouble() < CAPTION_DROPOUT ? "" : pool.captions().get(r));
        }
        int[] t = random.ints(batch, 0, architecture.integer("schedule.steps")).toArray();
        INDArray z0 = LatentPool.rows(pool.latents(), rows);
        INDArray concat = pool.concat() == null ? null : LatentPool.rows(pool.concat(), rows);
        return new Batch(z0, captions, concat, t, new Noise(random.nextLong()).like(z0));
    }

    /** The loss of one shard of a step's batch on one replica. */
    public Var loss(LatentDiffusion replica, Batch b, Shard shard) {
        return replica.loss(shard.of(b.z0()), shard.of(b.captions()), b.concat() == null ? null : shard.of(b.concat()),
                shard.of(b.t()), shard.of(b.eps()), recipe.weighting());
    }
}
