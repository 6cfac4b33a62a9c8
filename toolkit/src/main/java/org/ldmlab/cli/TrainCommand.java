package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.autoencoder.AutoencoderConfig;
import org.ldmlab.autoencoder.KlAutoencoder;
import org.ldmlab.autoencoder.LatentSpace;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.data.Split;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.io.Settings;
import org.ldmlab.ldm.InpaintingMasks;
import org.ldmlab.ldm.LatentDiffusion;
import org.ldmlab.ldm.Models;
import org.ldmlab.metrics.AttributeAccuracy;
import org.ldmlab.metrics.AttributeClassifier;
import org.ldmlab.metrics.Psnr;
import org.ldmlab.metrics.RecolouredScenes;
import org.ldmlab.nn.CpuKernels;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Layout;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Var;
import org.ldmlab.schedule.Noise;
import org.ldmlab.text.TextEncoderConfig;
import org.ldmlab.text.TokenMixing;
import org.ldmlab.text.Tokenizer;
import org.ldmlab.train.Adam;
import org.ldmlab.train.Checkpoint;
import org.ldmlab.train.Ema;
import org.ldmlab.train.StepSeed;
import org.ldmlab.train.TrainingLoop;
import org.ldmlab.unet.UNetConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code ldmlab train autoencoder|ldm|inpaint|classifier}: trains a model of the toolkit on the shapes dataset (rendered on the
 * fly, so every step sees new samples), with progress, checkpoints, resume and Ctrl-C as {@link TrainingLoop}
 * provides them.
 */
final class TrainCommand implements Command {
    private static final int ACCURACY_IMAGES = 1000;

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
                ldmlab train autoencoder|ldm|inpaint|classifier --steps N [--out DIR] [--resume] [--batch B] [--lr LR] [--seed S] [--every K] [--workers W]
                  --steps        total steps to train (a resumed run continues to N)
                  --out          folder for the checkpoint DIR/<kind>.zip (default runs/)
                  --resume       continue from DIR/<kind>.zip, bit for bit
                  --batch        images per step (default 16 for the autoencoder, 32 for the LDM, 64 for the classifier)
                  --lr           Adam learning rate (default 1e-3 autoencoder and classifier, 5e-4 LDM)
                  --seed         seed of weights and data (default 0)
                  --every        checkpoint every K steps (default 250)
                  --workers      data-parallel replicas, one thread each, splitting every batch (default: the
                                 CPU cores, down to a divisor of the batch; 1 on a GPU). Runs with the same W
                                 repeat bit for bit; another W follows the same path up to rounding.
                  --autoencoder  (ldm, inpaint) the autoencoder checkpoint to train in (default: the shipped one)
                  --pool         (ldm, inpaint) training images encoded to latents up front (default 8192)
                  --text-mixing  (ldm, inpaint) which caption tokens each text-encoder token sees: full (LDM's,
                                 the default), causal (CLIP's) or none (each token only itself)
                inpaint trains the hybrid model: masked image and mask by concat, caption by cross-attention;
                classifier trains the attribute classifier of the evaluation (and of FID's features)""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        if (args.positional().size() != 1) {
            throw new InvalidInputException("say what to train: `ldmlab train autoencoder`, `ldmlab train ldm`, `ldmlab train inpaint` or `ldmlab train classifier`");
        }
        String kind = args.positional().get(0);
        Options o = new Options(args, kind);
        TrainingLoop.Result result = switch (kind) {
            case Models.AUTOENCODER -> trainAutoencoder(o, args, out);
            case Models.LDM, Models.INPAINT -> trainDiffusion(kind, o, args, out);
            case Models.CLASSIFIER -> trainClassifier(o, args, out);
            default -> throw new InvalidInputException("cannot train '" + kind + "'; choose autoencoder, ldm, inpaint or classifier");
        };
        out.println(result.summary());
        return 0;
    }

    /** The options every kind shares. */
    private record Options(long steps, Path checkpoint, boolean resume, int batch, double lr, long seed, int every, int workers) {
        Options(Args a, String kind) {
            this(a.longValue("steps", -1), Path.of(a.string("out", Repository.path("runs").toString())).resolve(kind + ".zip"),
                    a.flag("resume"), a.integer("batch", defaultBatch(kind)),
                    a.number("lr", kind.equals(Models.LDM) || kind.equals(Models.INPAINT) ? 5e-4 : 1e-3),
                    a.longValue("seed", 0), a.integer("every", 250),
                    a.has("workers") ? a.integer("workers", 0) : defaultWorkers(a.integer("batch", defaultBatch(kind))));
        }

        Options {
            if (steps < 1) {
                throw new InvalidInputException("--steps must be given, >= 1");
            }
            if (batch < 1 || every < 1 || !(lr > 0)) {
                throw new InvalidInputException("--batch and --every must be >= 1 and --lr > 0");
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
                case Models.CLASSIFIER -> 64;
                default -> 32;
            };
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
                .checkpoint(o.checkpoint(), () -> Checkpoint.builder(Models.AUTOENCODER).seed(o.seed())
                        .commandLine(commandLine(args)).config(config.toSettings(Settings.empty()).asMap()), o.every());
        TrainingLoop.Result result = o.run(loop, () -> new KlAutoencoder(config, new Init(o.seed())), out, (replica, step, shard) -> {
            SplittableRandom random = new SplittableRandom(StepSeed.of(o.seed(), step));
            INDArray x = Layout.channelsLast(ImageTensors.toTensorOf(train.batch(random, o.batch())));       // [B, 32, 32, 3]
            INDArray eps = new Noise(random.nextLong()).standardNormal(o.batch(), 8, 8, config.latentChannels());
            return replica.loss(shard.of(x), shard.of(eps)).total();
        });
        ema.copyTo(ae);
        out.printf("autoencoder PSNR on %d test images: %.2f dB (EMA weights)%n", Psnr.TEST_IMAGES, Psnr.ofAutoencoder(ae, o.seed()));
        return result;
    }

    // ---- attribute classifier -------------------------------------------------------------------------

    private TrainingLoop.Result trainClassifier(Options o, Args args, PrintStream out) throws IOException {
        args.requireAllUsed();
        AttributeClassifier classifier = new AttributeClassifier(new Init(o.seed()));
        out.printf("classifier: %d parameters, batch %d%n", classifier.parameterCount(), o.batch());
        Ema ema = new Ema(classifier, 0.999);
        TrainingLoop<AttributeClassifier> loop = new TrainingLoop<>(classifier, new Adam(classifier, o.lr()), ema).steps(o.steps())
                .checkpoint(o.checkpoint(), () -> Checkpoint.builder(Models.CLASSIFIER).seed(o.seed())
                        .commandLine(commandLine(args)), o.every());
        TrainingLoop.Result result = o.run(loop, () -> new AttributeClassifier(new Init(o.seed())), out, (replica, step, shard) -> {
            List<RenderedSample> batch = shard.of(RecolouredScenes.batch(new SplittableRandom(StepSeed.of(o.seed(), step)), o.batch()));
            return replica.loss(ImageTensors.toTensorOf(batch), batch.stream().map(RenderedSample::scene).toList()); // [B / W, 3, 32, 32]
        });
        ema.copyTo(classifier);
        ShapesDataset test = new ShapesDataset(o.seed() + 1, Split.TEST);
        List<RenderedSample> held = IntStream.range(0, ACCURACY_IMAGES).mapToObj(test::sample).toList();
        out.printf("accuracy on %d test images (EMA weights): %s%n", ACCURACY_IMAGES,
                AttributeAccuracy.measure(classifier, held).summary());
        return result;
    }

    // ---- latent diffusion --------------------------------------------------------------------------

    /** The text-to-image LDM, or (inpaint) the hybrid inpainting model, in the autoencoder's latent space. */
    private TrainingLoop.Result trainDiffusion(String kind, Options o, Args args, PrintStream out) throws IOException {
        boolean inpaint = kind.equals(Models.INPAINT);
        Path aePath = Models.resolve(args.string("autoencoder", null), Models.AUTOENCODER);
        int poolSize = args.integer("pool", 8192);
        TokenMixing mixing = TokenMixing.parse(args.string("text-mixing", TokenMixing.FULL.word()));
        args.requireAllUsed();
        KlAutoencoder ae = Models.loadAutoencoder(aePath);
        Tokenizer tokenizer = Tokenizer.forShapes();
        TextEncoderConfig textConfig = TextEncoderConfig.forTokenizer(tokenizer, mixing);
        UNetConfig unetConfig = inpaint ? UNetConfig.inpainting(textConfig.width()) : UNetConfig.textToImage(textConfig.width());
        Settings settings = Models.describe(tokenizer, textConfig, unetConfig, "scaled_linear", 1000);
        ae.config().toSettings(settings);
        LatentDiffusion ldm = Models.newDiffusion(settings, new Init(o.seed()));

        Pool pool = Pool.encode(ae, new ShapesDataset(o.seed(), Split.TRAIN), poolSize, inpaint, o.seed());
        out.printf(kind + ": %d parameters (text encoder + UNet), %d latents, scale factor %.4f, batch %d%n",
                ldm.parameterCount(), poolSize, pool.scaleFactor(), o.batch());
        Ema ema = new Ema(ldm, 0.999);
        TrainingLoop<LatentDiffusion> loop = new TrainingLoop<>(ldm, new Adam(ldm, o.lr()), ema).steps(o.steps()).clipGradNorm(1.0)
                .checkpoint(o.checkpoint(), () -> Checkpoint.builder(kind).seed(o.seed()).commandLine(commandLine(args))
                        .config(settings.asMap()).extra("scale_factor", Double.toString(pool.scaleFactor()))
                        .module(Models.AUTOENCODER_GROUP, ae), o.every());
        int steps = ldm.schedule().steps();
        return o.run(loop, () -> Models.newDiffusion(settings, new Init(o.seed())), out, (replica, step, shard) -> {
            SplittableRandom random = new SplittableRandom(StepSeed.of(o.seed(), step));
            int[] rows = random.ints(o.batch(), 0, poolSize).toArray();
            List<String> captions = new ArrayList<>();
            for (int r : rows) {
                captions.add(random.nextDouble() < 0.1 ? "" : pool.captions().get(r)); // CFG: 10% unconditional
            }
            int[] t = random.ints(o.batch(), 0, steps).toArray();
            INDArray z0 = rowsOf(pool.latents(), rows);                                    // [B, 4, 8, 8]
            INDArray concat = pool.concat() == null ? null : rowsOf(pool.concat(), rows);  // [B, 5, 8, 8]
            INDArray eps = new Noise(random.nextLong()).like(z0);
            return replica.loss(shard.of(z0), shard.of(captions), concat == null ? null : shard.of(concat), shard.of(t), shard.of(eps));
        });
    }

    private static INDArray rowsOf(INDArray pool, int[] rows) {
        long[] s = pool.shape();
        return Nd4j.pullRows(pool.reshape(s[0], -1), 1, rows).reshape(rows.length, s[1], s[2], s[3]);
    }

    /**
     * Training latents computed once: z = scaleFactor * mean of q(z | x), with each image's caption, and for
     * inpainting the concat conditioning [E(x (1 - m)) * scale, m at latent resolution] with a drawn mask m.
     */
    private record Pool(INDArray latents, INDArray concat, List<String> captions, double scaleFactor) {
        static Pool encode(KlAutoencoder ae, ShapesDataset data, int size, boolean inpaint, long seed) {
            LatentSpace unscaled = new LatentSpace(ae, 1.0);
            List<INDArray> latents = new ArrayList<>();
            List<INDArray> kept = new ArrayList<>();
            List<INDArray> masks = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(StepSeed.of(seed, -1));
            int chunk = 64;
            try (ProgressBar bar = new ProgressBar("encode latents", (size + chunk - 1) / chunk, System.err)) {
                for (int start = 0; start < size; start += chunk) {
                    List<RenderedSample> samples = IntStream.range(start, Math.min(size, start + chunk)).mapToObj(data::sample).toList();
                    samples.forEach(s -> captions.add(s.caption()));
                    INDArray x = ImageTensors.toTensorOf(samples);
                    latents.add(unscaled.encode(x));
                    if (inpaint) {
                        INDArray m = Nd4j.concat(0, samples.stream().map(s -> InpaintingMasks.draw(s, random)).toArray(INDArray[]::new));
                        kept.add(unscaled.encode(x.mul(m.rsub(1.0))));
                        masks.add(InpaintingMasks.toLatentResolution(m, ae.config().factor()));
                    }
                    bar.step();
                }
            }
            INDArray z = Nd4j.concat(0, latents.toArray(INDArray[]::new)); // [N, c, h, w]
            double scale = LatentSpace.fitScaleFactor(z);
            INDArray concat = inpaint ? Nd4j.concat(1, Nd4j.concat(0, kept.toArray(INDArray[]::new)).muli(scale),
                    Nd4j.concat(0, masks.toArray(INDArray[]::new))) : null; // [N, c + 1, h, w]
            return new Pool(z.muli(scale), concat, captions, scale);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static String commandLine(Args args) {
        return "ldmlab train " + String.join(" ", args.words());
    }
}
