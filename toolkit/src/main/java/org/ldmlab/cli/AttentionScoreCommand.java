package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ldmlab.InvalidInputException;
import org.ldmlab.attention.Localisation;
import org.ldmlab.attention.MapAggregation;
import org.ldmlab.data.Scene;
import org.ldmlab.data.WordRole;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.LocalisationBenchmark;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.viz.Plots;
import org.knowm.xchart.CategoryChart;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/** {@code ldmlab attention-score}: how well each class of word's attention map finds its object, against exact masks. */
final class AttentionScoreCommand implements Command {
    @Override
    public String name() {
        return "attention-score";
    }

    @Override
    public String summary() {
        return "attention localisation per word class against exact masks (mIoU, mass in mask; --ablate)";
    }

    @Override
    public String usage() {
        return """
                ldmlab attention-score [--n 200] [--seed 0] [--steps 50] [--guidance 3] [--tau 0.4] [--csv figures/attention_score.csv] [--ablate] [--model PATH]
                  samples n test-split captions (single objects, and pairs of two colours), finds each object's pixels in
                  the generated image by the colour its caption names, and scores every size, colour, shape, position and
                  relation word's map (default aggregation: every layer, every step, bicubic, per-token max) against the
                  object it describes: mean IoU of the map thresholded at tau (DAAM: 0.4) and the share of its mass inside
                  the mask, with 95% intervals
                  --ablate  also score other levels, step windows, upsamplings, normalisations and thresholds, one at a
                            time, into attention_ablation.csv and attention_ablation.png beside --csv""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        int n = args.integer("n", 200);
        long seed = args.longValue("seed", 0);
        SamplerSettings settings = new SamplerSettings(SamplerKind.DDIM, args.integer("steps", 50), 0, args.number("guidance", 3));
        double tau = args.number("tau", Localisation.DAAM_TAU);
        Path csv = Path.of(args.string("csv", Repository.path("figures").resolve("attention_score.csv").toString()));
        boolean ablate = args.flag("ablate");
        String model = args.string("model", null);
        args.requireAllUsed();
        if (n < 1 || n > 10_000) {
            throw new InvalidInputException("--n must be between 1 and 10000; got " + n);
        }
        if (!(tau > 0 && tau < 1)) {
            throw new InvalidInputException("--tau must lie strictly between 0 and 1; got " + tau);
        }
        AtomicFiles.checkNewFile(csv);
        Path ablationCsv = csv.resolveSibling("attention_ablation.csv");
        Path ablationPlot = csv.resolveSibling("attention_ablation.png");
        if (ablate) {
            AtomicFiles.checkNewFile(ablationCsv);
        }
        TextToImage t2i = TextToImage.of(Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM));
        settings.create(t2i.diffusion().schedule());
        if (settings.steps() < LocalisationBenchmark.WINDOWS) {
            throw new InvalidInputException("--steps must be at least " + LocalisationBenchmark.WINDOWS + " (the run is scored in tenths)");
        }

        List<Scene> scenes = LocalisationBenchmark.scenes(n, seed);
        List<MapAggregation> aggregations = ablate ? LocalisationBenchmark.ablations() : List.of(MapAggregation.defaults());
        double[] taus = ablate ? LocalisationBenchmark.ABLATION_TAUS : new double[] {tau};
        List<LocalisationBenchmark.Scores> scores;
        long start = System.nanoTime();
        try (ProgressBar bar = new ProgressBar("attention-score", (n + TextToImage.BATCH - 1) / TextToImage.BATCH, System.err)) {
            scores = LocalisationBenchmark.run(t2i, scenes, settings, seed, aggregations, taus, bar::step);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Table all = LocalisationBenchmark.table(scores);
        Table main = all.where(all.stringColumn("aggregation").isEqualTo(MapAggregation.defaults().describe())
                .and(all.doubleColumn("tau").isEqualTo(tau)));
        out.printf("attention localisation: %d captions (seed %d), %d DDIM steps, s = %s, aggregation %s, tau %s; %.0f s%n",
                n, seed, settings.steps(), settings.guidance(), MapAggregation.defaults().describe(), tau, seconds);
        print(main, out);
        AtomicFiles.write(csv, o -> main.write().csv(o));
        out.println("wrote " + csv);
        if (ablate) {
            AtomicFiles.write(ablationCsv, o -> all.write().csv(o));
            Plots.save(ablationPlot(all), ablationPlot);
            out.println("ablation (object words: size, colour, shape; mean IoU at each tau, and mean mass in the mask); reference: "
                    + MapAggregation.everyLayer().describe());
            printAblation(all, out);
            out.println("wrote " + ablationCsv + " and " + ablationPlot);
        }
        return 0;
    }

    private static void print(Table t, PrintStream out) {
        out.printf("| %-9s | %4s | %-22s | %-22s | %-14s |%n", "word", "n", "mIoU [95%]", "mass in mask [95%]", "mask share");
        out.println("|-----------|------|------------------------|------------------------|----------------|");
        for (Row r : t) {
            out.printf("| %-9s | %4d | %.3f [%.3f, %.3f]   | %.3f [%.3f, %.3f]   | %.3f          |%n", r.getString("word_class"), r.getInt("n"),
                    r.getDouble("miou"), r.getDouble("miou_low"), r.getDouble("miou_high"),
                    r.getDouble("mass"), r.getDouble("mass_low"), r.getDouble("mass_high"), r.getDouble("mask_share"));
        }
        out.println("(mask share: the part of the image the masks cover, which a flat map's mass share would equal)");
    }

    /** The mean of {@code column} over the object words (size, colour, shape) for one aggregation and threshold. */
    private static double objectWords(Table all, String aggregation, double tau, String column) {
        Table t = all.where(all.stringColumn("aggregation").isEqualTo(aggregation).and(all.doubleColumn("tau").isEqualTo(tau))
                .and(all.stringColumn("word_class").isIn(WordRole.Kind.SIZE.word(), WordRole.Kind.COLOUR.word(), WordRole.Kind.SHAPE.word())));
        double sum = 0;
        int count = 0;
        for (Row r : t) {
            sum += r.getDouble(column) * r.getInt("n");
            count += r.getInt("n");
        }
        return sum / count;
    }

    private static void printAblation(Table all, PrintStream out) {
        List<String> aggregations = all.stringColumn("aggregation").unique().asList();
        StringBuilder header = new StringBuilder(String.format("| %-32s |", "change from the reference"));
        for (double tau : LocalisationBenchmark.ABLATION_TAUS) {
            header.append(String.format(" tau %.1f |", tau));
        }
        out.println(header.append(" mass in mask |"));
        for (String a : ordered(all, aggregations)) {
            String label = all.where(all.stringColumn("aggregation").isEqualTo(a)).stringColumn("change").get(0);
            StringBuilder row = new StringBuilder(String.format("| %-32s |", label + (a.equals(MapAggregation.defaults().describe()) ? " (default)" : "")));
            for (double tau : LocalisationBenchmark.ABLATION_TAUS) {
                row.append(String.format(" %7.3f |", objectWords(all, a, tau, "miou")));
            }
            out.println(row.append(String.format(" %12.3f |", objectWords(all, a, LocalisationBenchmark.ABLATION_TAUS[0], "mass"))));
        }
    }

    private static List<String> ordered(Table all, List<String> aggregations) {
        List<String> order = new ArrayList<>();
        for (MapAggregation a : LocalisationBenchmark.ablations()) {
            if (aggregations.contains(a.describe())) {
                order.add(a.describe());
            }
        }
        return order;
    }

    private static CategoryChart ablationPlot(Table all) {
        CategoryChart chart = Plots.barChart("Localisation of object words (size, colour, shape) by aggregation",
                "change from the reference: " + MapAggregation.everyLayer().describe(), "mean IoU with the object's mask", 1100, 620);
        List<String> aggregations = ordered(all, all.stringColumn("aggregation").unique().asList());
        List<String> labels = aggregations.stream().map(a -> all.where(all.stringColumn("aggregation").isEqualTo(a))
                .stringColumn("change").get(0) + (a.equals(MapAggregation.defaults().describe()) ? " (default)" : "")).toList();
        for (double tau : LocalisationBenchmark.ABLATION_TAUS) {
            double[] values = aggregations.stream().mapToDouble(a -> objectWords(all, a, tau, "miou")).toArray();
            Plots.bars(chart, String.format("tau %.1f", tau), labels, values);
        }
        return chart;
    }
}
