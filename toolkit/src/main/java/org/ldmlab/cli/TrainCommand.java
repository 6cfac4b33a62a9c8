package org.ldmlab.cli;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.autoencoder.AutoencoderConfig;
import org.ldmlab.autoencoder.KlAutoencoder;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.checkpoint.CheckpointBuilder;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.data.Split;
import org.ldmlab.dit.DiTPreset;
import org.ldmlab.dit.DiTVariant;
import org.ldmlab.io.FolderLock;
import org.ldmlab.io.PeakMemory;
import org.ldmlab.io.Settings;
import org.ldmlab.ldm.DiffusionTraining;
import org.ldmlab.ldm.LatentPool;
import org.ldmlab.ldm.Models;
import org.ldmlab.metrics.AttributeAccuracy;
import org.ldmlab.metrics.AttributeClassifier;
import org.ldmlab.metrics.Psnr;
import org.ldmlab.metrics.RecolouredScenes;
import org.ldmlab.nn.CpuKernels;
import org.ldmlab.nn.DenoiserConfig;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Layout;
import org.ldmlab.nn.Module;
import org.ldmlab.schedule.LossWeighting;
import org.ldmlab.schedule.Noise;
import org.ldmlab.text.TextEncoderConfig;
import org.ldmlab.text.TokenMixing;
import org.ldmlab.text.Tokenizer;
import org.ldmlab.train.Adam;
import org.ldmlab.train.Ema;
import org.ldmlab.train.LearningRateSchedule;
import org.ldmlab.train.Resumption;
import org.ldmlab.train.SharedBatch;
import org.ldmlab.train.StepSeed;
import org.ldmlab.train.TrainingLoop;
import org.ldmlab.unet.UNetConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code ldmlab train autoencoder|ldm|inpaint|classifier}: trains a model of the toolkit on the shapes dataset (rendered on the
 * fly, so every step sees new samples), with progress, checkpoints, resume and Ctrl-C as {@link TrainingLoop}
 * provides them.
 */
final class TrainCommand implements Command {
    private static final int ACCURACY_IMAGES = 1000;
    /** A UNet step at batch 512 took 4.6 GB and 28 s on 2 cores; the launcher lets ND4J have 4 GB. */
    static final int MAX_BATCH = 256;
    /** About 6 s per 1,000 images to encode on 2 cores (8,192: 50 s); 65,536 latents take ~7 minutes and 64 MB. */
    static final int MAX_POOL = 65_536;
    private static final DiTPreset DEFAULT_DIT_PRESET = DiTPreset.S_2_TINY;
    /**
     * The LDM's recipe unless told otherwise, the shipped model's: batch 16 with min-SNR-5 weighting for 7,000 steps
     * (under 14 minutes on 2 cores) gets two-object captions right where batch 32 with L_simple needed 10,000 steps
     * (README, "How long the LDM must train"). The DiT and inpainting models keep the recipe they were compared and
     * shipped with.
     */
    private static final long LDM_STEPS = 7000;
    private static final int LDM_BATCH = 16;
    private static final double LDM_MIN_SNR = 5;

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train the autoencoder, the text-to-image LDM or the attribute classifier (progress, checkpoints, --resume)";
    }

    @Override
    public String usage() {
        return """
                ldmlab train autoencoder|ldm|dit|inpaint|classifier [--steps N] [--out DIR] [--resume] [--batch B] [--lr LR] [--seed S] [--every K] [--workers W]
                  --steps        total steps to train (a resumed run continues to N, which must be past its step);
                                 required, except for the LDM: 7000 (the shipped model's)
                  --out          folder for the checkpoint DIR/<kind>.zip (default runs/)
                  --resume       continue from DIR/<kind>.zip, bit for bit with the same --seed (required),
                                 --batch, --lr and --workers (others are allowed, with a warning)
                  --batch        images per step, 1..256 (default 16 for the autoencoder and the LDM, 32 for the DiT and
                                 inpainting, 64 for the classifier; a UNet step at 512 needs 4.6 GB)
                  --lr           Adam learning rate, > 0 and <= 1 (default 1e-3 autoencoder and classifier, 5e-4 LDM and DiT)
                  --seed         seed of weights and data (default 0)
                  --every        checkpoint every K steps (default 250)
                  --workers      data-parallel replicas, one thread each, splitting every batch (default: the
                                 CPU cores, down to a divisor of the batch; 1 on a GPU). Runs with the same W
                                 repeat bit for bit; another W follows the same path up to rounding.
                  --autoencoder  (ldm, dit, inpaint) the autoencoder checkpoint to train in (default: the shipped one)
                  --pool         (ldm, dit, inpaint) training images encoded to latents up front, 1..65536 (default
                                 8192: about 50 s to encode on 2 cores)
                  --preset       (dit) the DiT's size and patch: S/4-tiny, S/2-tiny (default), S/1-tiny, B/2-tiny, B/1-tiny
                  --variant      (dit) how it reads the caption: in-context, cross-attention, adaln, adaln-zero (default),
                                 adaln-zero-cross
                  --text-mixing  (ldm, dit, inpaint) which caption tokens each text-encoder token sees: full (LDM's,
                                 the default), causal (CLIP's) or none (each token only itself)
                  --warmup       (ldm, dit, inpaint) steps of linear learning-rate warm-up from 0 to --lr (default 0)
                  --lr-decay     (ldm, dit, inpaint) after the warm-up: constant (default) or cosine (to 0 at --steps)
                  --min-snr      (ldm, dit, inpaint) weight the loss by min-SNR-gamma (Hang et al. 2023; they use 5), or
                                 off: unweighted, L_simple (default 5 for the LDM, off for the DiT and inpainting)
                ldm trains the UNet text-to-image model, dit a Diffusion Transformer in its place (checkpoint DIR/dit.zip,
                a text-to-image model that sample, eval, attention and edit take with --model);
                inpaint trains the hybrid model: masked image and mask by concat, caption by cross-attention;
                classifier trains the attribute classifier of the evaluation (and of FID's features)""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        if (args.positional().size() != 1) {
            throw new InvalidInputException("say what to train: `ldmlab train autoencoder`, `ldmlab train ldm`, `ldmlab train dit`, `ldmlab train inpaint` or `ldmlab train classifier`");
        }
        String kind = args.positional().get(0);
        String checkpointKind = switch (kind) {
            case Models.AUTOENCODER, Models.LDM, Models.INPAINT, Models.CLASSIFIER -> kind;
            case Models.DIT -> Models.LDM; // a text-to-image checkpoint with another backbone
            default -> throw new InvalidInputException("cannot train '" + kind + "'; choose autoencoder, ldm, dit, inpaint or classifier");
        };
        Options o = new Options(args, kind);
        // One run per folder: a second would overwrite the first's checkpoints. A run that fails before its first
        // checkpoint (a NaN loss) leaves no empty folder behind.
        try (FolderLock lock = FolderLock.acquire(o.checkpoint().toAbsolutePath().getParent(), "training")) {
            if (o.resume()) { // before encoding latents or building models
                Resumption.requireResumable(Checkpoint.load(o.checkpoint(), checkpointKind), o.seed(), o.steps());
            }
            TrainingLoop.Result result = switch (kind) {
                case Models.AUTOENCODER -> trainAutoencoder(o, args, out);
                case Models.CLASSIFIER -> trainClassifier(o, args, out);
                default -> trainDiffusion(kind, o, args, out);
            };
            out.println(result.summary());
            PeakMemory.print(out);
        }
        return 0;
    }

    /** The options every kind shares. */
    private record Options(long steps, Path checkpoint, boolean resume, int batch, double lr, long seed, int every, int workers) {
        Options(Args a, String kind) {
            this(a.longValue("steps", kind.equals(Models.LDM) ? LDM_STEPS : -1), Path.of(a.string("out", Repository.path("runs").toString())).resolve(kind + ".zip"),
                    a.flag("resume"), a.integer("batch", defaultBatch(kind), 1, MAX_BATCH),
                    a.number("lr", kind.equals(Models.LDM) || kind.equals(Models.INPAINT) || kind.equals(Models.DIT) ? 5e-4 : 1e-3),
                    a.longValue("seed", 0), a.integer("every", 250),
                    a.has("workers") ? a.integer("workers", 0) : defaultWorkers(a.integer("batch", defaultBatch(kind))));
        }

        Options {
            if (steps < 1) {
                throw new InvalidInputException("--steps must be given, >= 1");
            }
            if (every < 1) {
                throw new InvalidInputException("--every must be >= 1; got " + every);
            }
            if (!(lr > 0 && lr <= 1)) { // Adam moves each weight by about lr per step, and weights are ~0.1 to 1: no run trains above 1
                throw new InvalidInputException("--lr must be > 0 and <= 1; got " + lr);
            }
            if (workers < 1 || batch % workers != 0) {
                throw new InvalidInputException("--workers must be >= 1 and divide --batch " + batch + " (each replica takes an equal share), got " + workers);
            }
        }

        /** One replica per CPU core, as many as split the batch evenly; one on a GPU, which parallelises each op itself. */
        private static int defaultWorkers(int batch) {
            if (!CpuKernels.onCpuBackend() || batch < 1) { // a bad --batch is reported by the checks below
                return 1;
            }
            int workers = Math.min(Runtime.getRuntime().availableProcessors(), batch);
            while (batch % workers != 0) {
                workers--;
            }
            return workers;
        }

        private static int defaultBatch(String kind) {
            return switch (kind) {
                case Models.AUTOENCODER -> 16;
                case Models.LDM -> LDM_BATCH;
                case Models.CLASSIFIER -> 64;
                default -> 32;
            };
        }

        /** {@code run} with the settings a resumed run should keep to go on bit for bit. */
        CheckpointBuilder record(CheckpointBuilder run) {
            return run.trainedWith("batch", batch).trainedWith("lr", lr).trainedWith("workers", workers);
        }

        /** Trains {@code model} on {@link #workers} replicas, each built by {@code newReplica}. */
        <M extends Module> TrainingLoop.Result run(TrainingLoop<M> loop, Supplier<M> newReplica, PrintStream out,
                TrainingLoop.ShardedStep<M> step) throws IOException {
            out.printf("%d data-parallel worker%s (batch %d = %d x %d)%n", workers, workers == 1 ? "" : "s", batch, workers, batch / workers);
            loop.dataParallel(workers, newReplica);
            return resume ? loop.resume(step) : loop.start(step);
        }
    }

    // ---- autoencoder -------------------------------------------------------------------------------

    private TrainingLoop.Result trainAutoencoder(Options o, Args args, PrintStream out) throws IOException {
        args.requireAllUsed();
        AutoencoderConfig config = AutoencoderConfig.defaults();
        KlAutoencoder ae = new KlAutoencoder(config, new Init(o.seed()));
        ShapesDataset train = new ShapesDataset(o.seed(), Split.TRAIN);
        out.printf("autoencoder: %d parameters, f = %d, batch %d%n", ae.parameterCount(), config.factor(), o.batch());
        Ema ema = new Ema(ae, 0.999);
        TrainingLoop<KlAutoencoder> loop = new TrainingLoop<>(ae, new Adam(ae, o.lr()), ema).steps(o.steps()).clipGradNorm(1.0)
                .checkpoint(o.checkpoint(), () -> o.record(Checkpoint.builder(Models.AUTOENCODER).seed(o.seed())
                        .commandLine(commandLine(args)).config(config.toSettings(Settings.empty()).asMap())), o.every());
        TrainingLoop.Result result = o.run(loop, () -> new KlAutoencoder(config, new Init(o.seed())), out,
                new SharedBatch<KlAutoencoder, AutoencoderBatch>(step -> {
                    SplittableRandom random = new SplittableRandom(StepSeed.of(o.seed(), step));
                    INDArray x = Layout.channelsLast(ImageTensors.toTensorOf(train.batch(random, o.batch())));       // [B, 32, 32, 3]
                    INDArray eps = new Noise(random.nextLong()).standardNormal(o.batch(), 8, 8, config.latentChannels());
                    return new AutoencoderBatch(x, eps);
                }, (replica, batch, shard) -> replica.loss(shard.of(batch.x()), shard.of(batch.eps())).total()));
        ema.copyTo(ae);
        out.printf("autoencoder PSNR on %d test images: %.2f dB (EMA weights)%n", Psnr.TEST_IMAGES, Psnr.ofAutoencoder(ae, o.seed()));
        return result;
    }

    /** One autoencoder step's images [B, 32, 32, 3] and the noise of its latent samples [B, 8, 8, c]. */
    private record AutoencoderBatch(INDArray x, INDArray eps) {}

    // ---- attribute classifier -------------------------------------------------------------------------

    private TrainingLoop.Result trainClassifier(Options o, Args args, PrintStream out) throws IOException {
        args.requireAllUsed();
        AttributeClassifier classifier = new AttributeClassifier(new Init(o.seed()));
        out.printf("classifier: %d parameters, batch %d%n", classifier.parameterCount(), o.batch());
        Ema ema = new Ema(classifier, 0.999);
        TrainingLoop<AttributeClassifier> loop = new TrainingLoop<>(classifier, new Adam(classifier, o.lr()), ema).steps(o.steps())
                .checkpoint(o.checkpoint(), () -> o.record(Checkpoint.builder(Models.CLASSIFIER).seed(o.seed())
                        .commandLine(commandLine(args))), o.every());
        TrainingLoop.Result result = o.run(loop, () -> new AttributeClassifier(new Init(o.seed())), out,
                new SharedBatch<AttributeClassifier, List<RenderedSample>>(
                        step -> RecolouredScenes.batch(new SplittableRandom(StepSeed.of(o.seed(), step)), o.batch()),
                        (replica, batch, shard) -> {
                            List<RenderedSample> mine = shard.of(batch);
                            return replica.loss(ImageTensors.toTensorOf(mine), mine.stream().map(RenderedSample::scene).toList()); // [B / W, 3, 32, 32]
                        }));
        ema.copyTo(classifier);
        ShapesDataset test = new ShapesDataset(o.seed() + 1, Split.TEST);
        List<RenderedSample> held = IntStream.range(0, ACCURACY_IMAGES).mapToObj(test::sample).toList();
        out.printf("accuracy on %d test images (EMA weights): %s%n", ACCURACY_IMAGES,
                AttributeAccuracy.measure(classifier, held).summary());
        return result;
    }

    // ---- latent diffusion --------------------------------------------------------------------------

    /**
     * The text-to-image LDM (UNet), the hybrid inpainting model, or a text-to-image DiT, in the autoencoder's latent
     * space; the recipe is {@link DiffusionTraining}'s.
     */
    private TrainingLoop.Result trainDiffusion(String kind, Options o, Args args, PrintStream out) throws IOException {
        boolean inpaint = kind.equals(Models.INPAINT);
        boolean dit = kind.equals(Models.DIT);
        Path aePath = Models.resolve(args.string("autoencoder", null), Models.AUTOENCODER);
        int poolSize = args.integer("pool", 8192, 1, MAX_POOL);
        TokenMixing mixing = TokenMixing.parse(args.string("text-mixing", TokenMixing.FULL.word()));
        DiTPreset preset = dit ? DiTPreset.parse(args.string("preset", DEFAULT_DIT_PRESET.word())) : null;
        DiTVariant variant = dit ? DiTVariant.parse(args.string("variant", DiTVariant.ADALN_ZERO.word())) : null;
        DiffusionTraining.Recipe recipe = new DiffusionTraining.Recipe(o.batch(), o.lr(), args.longValue("warmup", 0),
                LearningRateSchedule.Decay.parse(args.string("lr-decay", LearningRateSchedule.Decay.CONSTANT.word())),
                weighting(args, kind));
        recipe.schedule(o.steps()); // a warm-up as long as the run is refused here, before the latents are encoded
        args.requireAllUsed();
        if (dit && preset.paper()) {
            throw new InvalidInputException("--preset " + preset.word() + " is the paper's model on 32x32x4 latents; the shapes "
                    + "dataset's latents are 8x8x4: train a -tiny preset (count the paper's with `ldmlab flops --preset`)");
        }
        KlAutoencoder ae = Models.loadAutoencoder(aePath);
        Tokenizer tokenizer = Tokenizer.forShapes();
        TextEncoderConfig textConfig = TextEncoderConfig.forTokenizer(tokenizer, mixing);
        DenoiserConfig backbone = dit ? preset.config(variant, textConfig.width())
                : inpaint ? UNetConfig.inpainting(textConfig.width()) : UNetConfig.textToImage(textConfig.width());
        Settings settings = Models.describe(tokenizer, textConfig, backbone, "scaled_linear", 1000);
        ae.config().toSettings(settings);
        if (o.resume()) { // another backbone or text mixing is another model: refused before the latents are encoded
            Resumption.requireSameModel(Checkpoint.load(o.checkpoint(), inpaint ? Models.INPAINT : Models.LDM), settings.asMap());
        }
        LatentPool pool = LatentPool.encode(ae, new ShapesDataset(o.seed(), Split.TRAIN), poolSize, inpaint, o.seed());
        DiffusionTraining training = new DiffusionTraining(inpaint ? Models.INPAINT : Models.LDM, settings, ae, pool, o.seed(),
                recipe, o.workers(), commandLine(args));
        out.printf(kind + ": %s, %d parameters (text encoder + %s), %d latents, scale factor %.4f, batch %d%n",
                dit ? "DiT-" + preset.word() + " " + variant.word() : backbone.backbone(), training.newModel().parameterCount(),
                backbone.backbone(), poolSize, pool.scaleFactor(), o.batch());
        return training.train(o.steps(), o.checkpoint(), o.every(), o.resume(), out);
    }

    /** --min-snr GAMMA, or off (L_simple); the LDM's default is {@link #LDM_MIN_SNR}, the other backbones' L_simple. */
    private static LossWeighting weighting(Args args, String kind) {
        if ("off".equals(args.string("min-snr", null))) {
            return LossWeighting.UNIFORM;
        }
        if (args.has("min-snr")) {
            return LossWeighting.minSnr(args.number("min-snr", 0));
        }
        return kind.equals(Models.LDM) ? LossWeighting.minSnr(LDM_MIN_SNR) : LossWeighting.UNIFORM;
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static String commandLine(Args args) {
        return "ldmlab train " + String.join(" ", args.words());
    }
}
