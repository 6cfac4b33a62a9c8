package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.ldmlab.data.HeldOut;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.Scene;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.metrics.Adherence;
import org.ldmlab.metrics.Adherence.Measure;
import org.ldmlab.metrics.Evaluation;
import org.ldmlab.metrics.Proportion;
import org.ldmlab.metrics.Psnr;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * {@code ldmlab eval}: a text-to-image model's card: the PSNR of its autoencoder; prompt adherence read by the
 * attribute classifier for every single-object caption (trained and held-out colour-shape pairs apart) and for
 * two-object captions of the test split; FID, precision/recall and the IS-like score of all those images against
 * real renders of the same captions (see {@link Evaluation}); and the sampling speed. Printed, and written as CSV.
 */
final class EvalCommand implements Command {
    private static final List<String> GROUPS = List.of("trained single-object captions", "held-out single-object captions",
            "two-object test captions");
    private static final List<Predicate<Scene>> GROUP_SCENES = List.of(
            s -> s.objects().size() == 1 && !HeldOut.appearsIn(s), s -> s.objects().size() == 1 && HeldOut.appearsIn(s),
            s -> s.objects().size() == 2);
    /** 120 single-object captions per --n: at most 6,000 images, as many as --pairs allows. */
    private static final int MAX_N = 50;
    private static final int MAX_PAIRS = 5000;

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "a model's card: autoencoder PSNR, adherence per attribute (classifier-read), FID, precision/recall, speed";
    }

    @Override
    public String usage() {
        return """
                ldmlab eval [--model PATH] [--classifier PATH] [--guidance 3] [--steps 50] [--n 1] [--pairs 100] [--seed 0]
                            [--threads CORES (1..64)] [--csv figures/eval.csv]
                  samples every single-object caption n times (1..50; 120 captions) and --pairs two-object test captions
                  once (0..5000; about 6 images/s on 2 cores at 50 steps, so the largest run takes half an hour); the attribute
                  classifier reads count, shape, colour, size and position of each object; FID, precision/recall and the
                  IS-like score compare all these images with real renders of the same captions; writes the numbers to --csv""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        String model = args.string("model", null);
        String classifierPath = args.string("classifier", null);
        SamplerSettings settings = new SamplerSettings(SamplerKind.DDIM, args.integer("steps", 50), 0, args.number("guidance", 3));
        int n = args.integer("n", 1, 1, MAX_N);
        int pairs = args.integer("pairs", 100, 0, MAX_PAIRS);
        long seed = args.longValue("seed", 0);
        int threads = args.threads();
        Path csv = Path.of(args.string("csv", Repository.path("figures").resolve("eval.csv").toString()));
        args.requireAllUsed();
        // n >= 1 takes every single-object caption: more images than precision and recall need (a 3rd neighbour each)
        List<RenderedSample> real = Evaluation.realSet(n, pairs, seed);
        AtomicFiles.checkNewFile(csv); // a bad --csv fails now, not after the sampling
        Models.Pipeline pipeline = Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM);
        settings.create(pipeline.diffusion().schedule()); // --steps > T fails now, not after the autoencoder's PSNR
        Evaluation evaluation = new Evaluation(Models.loadClassifier(Models.resolve(classifierPath, Models.CLASSIFIER)), real);
        Card card = new Card(model == null ? "shipped ldm" : model);
        out.printf("model: %s, step %d, %.0f s trained%n", card.model(), pipeline.checkpoint().step(),
                pipeline.checkpoint().secondsTrained());
        double psnr = Psnr.ofAutoencoder(pipeline.latents().autoencoder(), 0);
        out.printf("autoencoder PSNR (%d test images): %.2f dB%n", Psnr.TEST_IMAGES, psnr);
        card.add("autoencoder_psnr_db", psnr);

        List<String> captions = evaluation.captions();
        long start = System.nanoTime();
        INDArray images; // [N, 3, 32, 32]
        try (ProgressBar bar = new ProgressBar("eval", (captions.size() + TextToImage.BATCH - 1) / TextToImage.BATCH, System.err)) {
            images = TextToImage.of(pipeline).sampleAll(captions, settings, seed, threads, bar::step);
        }
        double perSecond = captions.size() / ((System.nanoTime() - start) / 1e9);
        Evaluation.Result result = evaluation.score(images);
        out.printf("%d images, guidance %s, %d DDIM steps: %.2f images/s on %d threads%n", captions.size(), settings.guidance(),
                settings.steps(), perSecond, threads);
        for (int g = 0; g < GROUPS.size(); g++) {
            Adherence adherence = result.adherence(GROUP_SCENES.get(g));
            if (adherence.images() == 0) { // --pairs 0: shares of nothing are not numbers, in the card either
                out.printf("%s: no samples%n", GROUPS.get(g));
                continue;
            }
            out.printf("%s: %d images%n", GROUPS.get(g), adherence.images());
            for (Measure m : Measure.values()) {
                out.printf("  %-9s %s%n", m.label().replace('_', ' '), adherence.of(m));
                card.add(GROUPS.get(g).replace(' ', '_').replace('-', '_') + ":" + m.label(), adherence.of(m));
            }
        }
        out.printf("all %d images against real renders of their captions: FID %.3f, precision %.3f, recall %.3f, IS-like %.2f%n",
                captions.size(), result.fid(), result.precisionRecall().precision(), result.precisionRecall().recall(),
                result.inceptionScore());
        card.add("fid", result.fid());
        card.add("precision", result.precisionRecall().precision());
        card.add("recall", result.precisionRecall().recall());
        card.add("inception_score", result.inceptionScore());
        card.add("images_per_second", perSecond);
        card.add("guidance", settings.guidance());
        card.add("steps", settings.steps());
        card.add("seed", seed);
        AtomicFiles.write(csv, o -> card.table.write().csv(o));
        out.println("wrote " + csv);
        return 0;
    }

    /** The numbers of one model as a table: model, measure, value, and for shares the 95% interval. */
    private static final class Card {
        private final String model;
        private final Table table = Table.create("model card", StringColumn.create("model"), StringColumn.create("measure"),
                DoubleColumn.create("value"), DoubleColumn.create("low"), DoubleColumn.create("high"));

        Card(String model) {
            this.model = model;
        }

        String model() {
            return model;
        }

        void add(String measure, double value) {
            add(measure, value, Double.NaN, Double.NaN);
        }

        void add(String measure, Proportion p) {
            double[] ci = p.interval95();
            add(measure, p.value(), ci[0], ci[1]);
        }

        private void add(String measure, double value, double low, double high) {
            table.stringColumn("model").append(model);
            table.stringColumn("measure").append(measure);
            table.doubleColumn("value").append(value);
            table.doubleColumn("low").append(low);
            table.doubleColumn("high").append(high);
        }
    }
}
