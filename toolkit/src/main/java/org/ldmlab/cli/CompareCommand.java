package org.ldmlab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.autoencoder.KlAutoencoder;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.data.Split;
import org.ldmlab.dit.DiTPreset;
import org.ldmlab.dit.DiTVariant;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Png;
import org.ldmlab.ldm.LatentPool;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.ldm.TrainingComparison.Entry;
import org.ldmlab.ldm.TrainingComparison.Point;
import org.ldmlab.ldm.TrainingComparison;
import org.ldmlab.metrics.Evaluation;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.ldmlab.text.TextEncoderConfig;
import org.ldmlab.text.TokenMixing;
import org.ldmlab.text.Tokenizer;
import org.ldmlab.unet.UNetConfig;
import org.ldmlab.viz.ComparisonFigures.Measure;
import org.ldmlab.viz.ComparisonFigures;
import org.ldmlab.viz.ImageGrid;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

/**
 * {@code ldmlab compare conditioning|backbones}: trains several models on the same data, seed and steps within a
 * time budget, evaluating each at regular intervals (see {@link TrainingComparison}); prints the tables and writes
 * them, the curves and a sample grid per model to figures/.
 */
final class CompareCommand implements Command {
    private static final String CONDITIONING = "conditioning";
    private static final String BACKBONES = "backbones";
    private static final List<DiTPreset> BACKBONE_PRESETS = List.of(DiTPreset.S_4_TINY, DiTPreset.S_2_TINY, DiTPreset.S_1_TINY,
            DiTPreset.B_2_TINY);
    private static final int PROBE_STEPS = 20;
    private static final int SAMPLE_CAPTIONS = 8;
    /** The share of the budget kept for the last step, the figures and the sample grid. */
    private static final double FIGURES_SHARE = 0.03;
    /** A week: a longer run is a typo (1e300 minutes planned billions of steps); so are more steps or evaluations. */
    private static final double MAX_BUDGET_MINUTES = 7 * 24 * 60;
    private static final long MAX_STEPS = 1_000_000;
    private static final int MAX_EVALS = 100;

    @Override
    public String name() {
        return "compare";
    }

    @Override
    public String summary() {
        return "train DiT conditioning variants, or the UNet and DiTs of several sizes, side by side within a time budget";
    }

    @Override
    public String usage() {
        return """
                ldmlab compare conditioning|backbones [--budget-minutes 60] [--steps N] [--evals 4] [--out DIR] [--figures DIR]
                                                      [--preset NAME] [--variant V] [--batch 32] [--lr 5e-4] [--seed 0] [--pool 8192]
                                                      [--workers CORES] [--threads CORES]
                  conditioning: the five DiT variants (in-context, cross-attention, adaln, adaln-zero, adaln-zero-cross) of
                                --preset (default B/2-tiny) (the DiT paper's Figure 5 in kind)
                  backbones:    the UNet and the DiTs S/4-tiny, S/2-tiny, S/1-tiny, B/2-tiny with --variant (default
                                adaln-zero) (Figures 8 and 9 in kind; B/2-tiny and S/1-tiny match the UNet's Gflops)
                  --budget-minutes  the whole run's wall time, at most a week: the steps per model are chosen from measured
                                costs so that training and evaluations fit (ignored with --steps, or when --out already holds a run)
                  --steps       steps per model (a multiple of 50 x --evals, at most 1000000), the same for every model
                  --evals       evaluations per model, evenly spaced (default 4): FID and adherence on every single-object
                                caption and 100 two-object test captions (25 DDIM steps, guidance 3), loss on fixed triples
                  --out         checkpoints and points.csv (default runs/compare/<which>); run again to resume
                  --figures     where the tables and figures go (default figures/)""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        if (args.positional().size() != 1 || !List.of(CONDITIONING, BACKBONES).contains(args.positional().get(0))) {
            throw new InvalidInputException("say what to compare: `ldmlab compare conditioning` or `ldmlab compare backbones`");
        }
        String which = args.positional().get(0);
        double budget = args.number("budget-minutes", 60);
        long steps = args.longValue("steps", -1);
        boolean stepsGiven = args.has("steps");
        int evals = args.integer("evals", 4, 1, MAX_EVALS);
        Path folder = Path.of(args.string("out", Repository.path("runs").resolve("compare").resolve(which).toString()));
        Path figures = Path.of(args.string("figures", Repository.path("figures").toString()));
        DiTPreset preset = DiTPreset.parse(args.string("preset", DiTPreset.B_2_TINY.word()));
        DiTVariant variant = DiTVariant.parse(args.string("variant", DiTVariant.ADALN_ZERO.word()));
        int batch = args.integer("batch", 32, 1, TrainCommand.MAX_BATCH); // train's bounds: the same models are trained
        double lr = args.number("lr", 5e-4);
        long seed = args.longValue("seed", 0);
        int poolSize = args.integer("pool", 8192, 1, TrainCommand.MAX_POOL);
        int workers = args.integer("workers", Math.min(Runtime.getRuntime().availableProcessors(), batch), 1, batch);
        int threads = args.threads();
        args.requireAllUsed();
        if (!(budget > 0 && budget <= MAX_BUDGET_MINUTES)) {
            throw new InvalidInputException("--budget-minutes must be > 0 and at most " + (int) MAX_BUDGET_MINUTES + " (a week); got " + budget);
        }
        if (!(lr > 0 && lr <= 1)) { // as train's
            throw new InvalidInputException("--lr must be > 0 and <= 1; got " + lr);
        }
        if (batch % workers != 0) {
            throw new InvalidInputException("--workers must divide --batch " + batch + " (each replica takes an equal share), got " + workers);
        }
        if (stepsGiven && (steps < 1 || steps > MAX_STEPS || steps % (50L * evals) != 0)) {
            throw new InvalidInputException("--steps must be a multiple of 50 x --evals = " + 50 * evals + " up to " + MAX_STEPS + ", got " + steps);
        }
        if (preset.paper()) {
            throw new InvalidInputException("--preset " + preset.word() + " is the paper's model on 32x32x4 latents; compare -tiny presets");
        }
        AtomicFiles.checkFolder(folder); // now, not after hours of training; the checkpoints and figures make the folders
        AtomicFiles.checkFolder(figures);

        long started = System.nanoTime();
        Tokenizer tokenizer = Tokenizer.forShapes();
        TextEncoderConfig text = TextEncoderConfig.forTokenizer(tokenizer, TokenMixing.FULL);
        List<Entry> entries = which.equals(CONDITIONING)
                ? Arrays.stream(DiTVariant.values()).map(v -> new Entry(v.word(), preset.config(v, text.width()))).toList()
                : backbones(variant, text.width());
        KlAutoencoder ae = Models.loadAutoencoder(Models.shipped(Models.AUTOENCODER));
        Evaluation evaluation = new Evaluation(Models.loadClassifier(Models.shipped(Models.CLASSIFIER)), Evaluation.realSet(1, 100, seed));
        LatentPool pool = LatentPool.encode(ae, new ShapesDataset(seed, Split.TRAIN), poolSize, false, seed);
        SamplerSettings sampler = new SamplerSettings(SamplerKind.DDIM, 25, 0, 3);

        long[] saved = TrainingComparison.savedSteps(folder);
        long evalEvery;
        if (stepsGiven) {
            evalEvery = steps / evals;
        } else if (saved != null) {
            steps = saved[0];
            evalEvery = saved[1];
            out.printf("%s holds a comparison of %d steps per model: going on with it%n", folder, steps);
        } else {
            out.printf("measuring each model's costs to fit a %.0f-minute budget:%n", budget);
            TrainingComparison probe = new TrainingComparison(entries, folder, tokenizer, text, ae, pool, evaluation,
                    new TrainingComparison.Plan(50, 50, batch, lr, seed, workers, sampler, threads));
            double[][] costs = probe.measureCosts(PROBE_STEPS, out);
            double elapsed = (System.nanoTime() - started) / 1e9; // encoding the pool and measuring
            steps = TrainingComparison.stepsWithin((1 - FIGURES_SHARE) * budget * 60 - elapsed, costs, evals);
            evalEvery = steps / evals;
            double minutes = TrainingComparison.secondsFor(steps, costs, evals) / 60;
            out.printf("%d steps per model, evaluated every %d: about %.0f minutes at the measured costs%s%n", steps, evalEvery,
                    minutes, minutes > budget ? " (more than the budget: 50 steps per evaluation is the least a comparison runs)" : "");
        }
        TrainingComparison comparison = new TrainingComparison(entries, folder, tokenizer, text, ae, pool, evaluation,
                new TrainingComparison.Plan(steps, evalEvery, batch, lr, seed, workers, sampler, threads));
        List<Point> points = comparison.run("ldmlab compare " + String.join(" ", args.words()), out);
        if (points.stream().map(Point::model).distinct().count() < entries.size()
                || points.stream().filter(p -> p.step() == comparison.plan().steps()).count() < entries.size()) {
            out.println("not every model has finished: figures are written when the comparison is complete");
            return 1;
        }
        writeFigures(which, comparison, entries, points, evaluation, figures, out);
        return 0;
    }

    /** The UNet and the DiTs of {@link #BACKBONE_PRESETS} with one variant. */
    private static List<Entry> backbones(DiTVariant variant, int textWidth) {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry("UNet", UNetConfig.textToImage(textWidth)));
        BACKBONE_PRESETS.forEach(p -> entries.add(new Entry("DiT-" + p.word(), p.config(variant, textWidth))));
        return entries;
    }

    private static void writeFigures(String which, TrainingComparison comparison, List<Entry> entries, List<Point> points,
            Evaluation evaluation, Path figures, PrintStream out) throws IOException {
        String prefix = "compare_" + which;
        Table table = TrainingComparison.table(points);
        Table summary = TrainingComparison.summary(points);
        out.println(summary.printAll());
        AtomicFiles.write(figures.resolve(prefix + ".csv"), o -> table.write().csv(o));
        AtomicFiles.write(figures.resolve(prefix + "_summary.csv"), o -> summary.write().csv(o));
        String title = which.equals(CONDITIONING) ? "DiT conditioning variants" : "UNet and DiTs";
        Png.write(ComparisonFigures.curves(title + ": FID against training steps", points, Measure.FID, false),
                figures.resolve(prefix + "_fid_steps.png"));
        Png.write(ComparisonFigures.curves(title + ": FID against training compute", points, Measure.FID, true),
                figures.resolve(prefix + "_fid_compute.png"));
        Png.write(ComparisonFigures.curves(title + ": single objects", points, Measure.SINGLE, false),
                figures.resolve(prefix + "_single.png"));
        Png.write(ComparisonFigures.curves(title + ": pairs", points, Measure.PAIR, false), figures.resolve(prefix + "_pairs.png"));
        Png.write(ComparisonFigures.curves(title + ": loss", points, Measure.LOSS, false), figures.resolve(prefix + "_loss.png"));
        if (which.equals(BACKBONES)) {
            Png.write(ComparisonFigures.fidAgainstGflops(title + ": FID against Gflops", points), figures.resolve(prefix + "_fid_gflops.png"));
        }
        Png.write(sampleGrid(comparison, entries, evaluation), figures.resolve(prefix + "_samples.png"));
        out.println("wrote " + figures.resolve(prefix + ".csv") + ", " + prefix + "_summary.csv and the " + prefix + "_*.png figures");
    }

    /** One column per model (EMA weights, last step), one row per caption: the same captions and seed for every model. */
    private static BufferedImage sampleGrid(TrainingComparison comparison, List<Entry> entries, Evaluation evaluation) {
        List<String> all = evaluation.captions();
        List<String> captions = IntStream.range(0, SAMPLE_CAPTIONS).mapToObj(i -> all.get((int) ((long) i * (all.size() - 1) / (SAMPLE_CAPTIONS - 1))))
                .toList();
        List<List<BufferedImage>> byModel = new ArrayList<>();
        for (Entry entry : entries) {
            TextToImage model = TextToImage.of(Models.loadPipeline(comparison.checkpoint(entry), Models.LDM));
            INDArray images = model.sample(captions, new SamplerSettings(SamplerKind.DDIM, 50, 0, 3), 1, StepCallback.NONE);
            byModel.add(ImageTensors.pictures(images));
        }
        List<BufferedImage> pictures = new ArrayList<>();
        for (int c = 0; c < captions.size(); c++) {
            for (List<BufferedImage> model : byModel) {
                pictures.add(model.get(c));
            }
        }
        return new ImageGrid(pictures, entries.size()).scale(3).columnHeaders(entries.stream().map(Entry::name).toList())
                .rowHeaders(captions).render();
    }
}
