package org.ldmlab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Png;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.GuidanceSweep;
import org.ldmlab.ldm.GuidanceSweepTable;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.metrics.AttributeClassifier;
import org.ldmlab.metrics.Evaluation;
import org.ldmlab.p2p.EditKind;
import org.ldmlab.p2p.EditPair;
import org.ldmlab.p2p.InjectionSweep;
import org.ldmlab.p2p.PromptToPrompt;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.ldmlab.viz.ImageGrid;
import org.ldmlab.viz.Plots;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * {@code ldmlab sweep injection}: see {@link InjectionSweep}. {@code ldmlab sweep guidance}: FID, precision/recall, the IS-like score, prompt adherence and diversity across
 * guidance scales (see {@link GuidanceSweep}), as a table (CSV and printed), plots and an image grid. Each finished
 * scale is saved at once, so an interrupted sweep resumes where it stopped.
 */
final class SweepCommand implements Command {
    private static final List<String> GRID_PROMPTS = List.of("a big red circle on the left", "a small blue square at the top",
            "a big yellow triangle in the centre", "a small green square at the bottom");
    /** The injection sweep's default caption pairs per edit kind. */
    private static final int INJECTION_PAIRS = 25;

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public String summary() {
        return "sweep guidance scales (FID, precision/recall, IS-like, adherence, diversity; resumable) or Prompt-to-Prompt's injection steps";
    }

    @Override
    public String usage() {
        return """
                ldmlab sweep guidance [--scales 1,1.5,2,3,5,7.5,10] [--n 500] [--seed 0] [--steps 50] [--threads CORES (1..64)]
                                      [--model PATH] [--classifier PATH] [--out figures]
                  per scale, one image for each caption of the first n test-split samples without a held-out pair
                  (single and two objects; n in 4..5000, about 6 images/s on 2 cores at 50 steps), scored by the attribute
                  classifier against those samples' real images; writes OUT/guidance_sweep.csv (one row per scale, saved
                  as each finishes: a rerun with the same settings, model and classifier resumes),
                  OUT/guidance_fid.png, OUT/guidance_adherence.png, OUT/guidance_tradeoff.png and OUT/guidance_grid.png
                ldmlab sweep injection [--pairs 25] [--seed 0] [--steps 50] [--guidance 3] [--model PATH] [--classifier PATH] [--out figures]
                  Prompt-to-Prompt's word swap (as edit-score runs it, --pairs caption pairs per edit kind) with the
                  source's cross-attention injected for 0%, 20%, ..., 100% of the steps (self-attention 40%; nothing at 0%,
                  the fixed-seed baseline): OUT/injection_sweep.csv, OUT/injection_curves.png (structure IoU and edit
                  success against the fraction) and OUT/injection_grid.png (one pair per kind)""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        String kind = args.positional().size() == 1 ? args.positional().get(0) : "";
        return switch (kind) {
            case "guidance" -> planGuidance(args).run(out);
            case "injection" -> injection(args, out);
            default -> throw new InvalidInputException("say what to sweep: `ldmlab sweep guidance` or `ldmlab sweep injection`"
                    + (kind.isEmpty() ? "" : "; got '" + kind + "'"));
        };
    }

    /**
     * Prompt-to-Prompt's word swap with cross-attention injected for 0%, 20%, ..., 100% of the steps ({@link InjectionSweep}):
     * the table printed and written, the curves and the grid.
     */
    private static int injection(Args args, PrintStream out) throws IOException {
        int perKind = args.integer("pairs", INJECTION_PAIRS);
        long seed = args.longValue("seed", 0);
        SamplerSettings settings = new SamplerSettings(SamplerKind.DDIM, args.integer("steps", 50), 0, args.number("guidance", 3));
        String model = args.string("model", null);
        String classifier = args.string("classifier", null);
        Path dir = Path.of(args.string("out", Repository.path("figures").toString()));
        args.requireAllUsed();
        List<EditPair> pairs = EditPair.draw(perKind, seed);
        Path csv = dir.resolve("injection_sweep.csv");
        AtomicFiles.checkNewFile(csv);
        PromptToPrompt p2p = PromptToPrompt.of(Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM));
        p2p.check(settings);
        AttributeClassifier reader = Models.loadClassifier(Models.resolve(classifier, Models.CLASSIFIER));
        long start = System.nanoTime();
        Table table;
        try (ProgressBar bar = new ProgressBar("sweep injection", InjectionSweep.batches(pairs.size()), System.err)) {
            table = InjectionSweep.run(p2p, reader, pairs, settings, seed, bar::step);
        }
        out.printf("injection sweep: %d caption pairs per kind (seed %d), %d DDIM steps, s = %s, self-attention %.0f%% (none at 0): %.0f s%n",
                perKind, seed, settings.steps(), settings.guidance(), 100 * InjectionSweep.SELF, (System.nanoTime() - start) / 1e9);
        StringBuilder header = new StringBuilder("| kind     |");
        StringBuilder rule = new StringBuilder("|----------|");
        for (double f : InjectionSweep.FRACTIONS) {
            header.append(String.format(" %-24s |", String.format("cross %.0f%%: IoU, success", 100 * f)));
            rule.append("-".repeat(26)).append("|");
        }
        out.println(header);
        out.println(rule);
        for (EditKind kind : EditKind.values()) {
            StringBuilder line = new StringBuilder(String.format("| %-8s |", kind.word()));
            for (Row r : table.where(table.stringColumn("kind").isEqualTo(kind.word()))) {
                line.append(String.format(" %-24s |", String.format("%.3f, %5.1f%%", r.getDouble("iou"), 100 * r.getDouble("success"))));
            }
            out.println(line);
        }
        AtomicFiles.write(csv, o -> table.write().csv(o));
        Png.write(InjectionSweep.curves(table), dir.resolve("injection_curves.png"));
        Png.write(InjectionSweep.grid(p2p, InjectionSweep.examples(pairs), settings, seed), dir.resolve("injection_grid.png"));
        out.println("wrote " + csv + ", injection_curves.png and injection_grid.png beside it");
        return 0;
    }

    /** The largest --n: at about 6 images/s on 2 cores (50 steps, guided), some 15 minutes per scale. */
    private static final int MAX_SAMPLES = 5000;

    /**
     * A guidance sweep whose arguments, model files and CSV to resume are all checked: what {@link #run} does next is
     * the work. {@code ldmlab figures --with-sweep} plans it before it redraws the tour's figures.
     */
    static final class GuidancePlan {
        private final double[] scales;
        private final GuidanceSweepTable.Run run;
        private final int threads;
        private final AttributeClassifier classifier;
        private final Path csv;
        private final TextToImage t2i;
        private final Table table;

        private GuidancePlan(Args args) throws IOException {
            scales = parseScales(args.string("scales", "1,1.5,2,3,5,7.5,10"));
            int n = args.integer("n", 500, 4, MAX_SAMPLES);
            long seed = args.longValue("seed", 0);
            int steps = args.integer("steps", 50);
            threads = args.threads();
            String model = args.string("model", null);
            String classifierName = args.string("classifier", null);
            Path dir = Path.of(args.string("out", Repository.path("figures").toString()));
            args.requireAllUsed();
            csv = dir.resolve("guidance_sweep.csv");
            AtomicFiles.prepareParent(csv); // a bad --out fails now, not after a scale
            Path modelFile = Models.resolve(model, Models.LDM);
            Path classifierFile = Models.resolve(classifierName, Models.CLASSIFIER);
            t2i = TextToImage.of(Models.loadPipeline(modelFile, Models.LDM));
            classifier = Models.loadClassifier(classifierFile);
            new SamplerSettings(SamplerKind.DDIM, steps, 0, 1).create(t2i.diffusion().schedule()); // steps > T fails now
            run = new GuidanceSweepTable.Run(n, steps, seed,
                    GuidanceSweepTable.ModelFile.of(model == null ? "shipped " + Models.LDM : model, modelFile),
                    GuidanceSweepTable.ModelFile.of(classifierName == null ? "shipped " + Models.CLASSIFIER : classifierName, classifierFile));
            table = GuidanceSweepTable.resume(csv, run);
        }

        /** Samples the scales missing in the CSV (saving each as it finishes), then prints, plots and draws the grid. */
        int run(PrintStream out) throws IOException {
            List<Double> todo = new ArrayList<>();
            for (double scale : scales) {
                if (GuidanceSweepTable.has(table, scale)) {
                    out.printf("scale %s: already in %s%n", scale, csv);
                } else {
                    todo.add(scale);
                }
            }
            int n = run.samples();
            if (!todo.isEmpty()) {
                Evaluation evaluation = new Evaluation(classifier, GuidanceSweep.realSet(n, run.seed() + 1));
                GuidanceSweep sweep = new GuidanceSweep(t2i, evaluation, run.steps(), threads);
                try (ProgressBar bar = new ProgressBar("sweep", (long) ((n + TextToImage.BATCH - 1) / TextToImage.BATCH) * todo.size(), System.err)) {
                    for (double scale : todo) {
                        GuidanceSweepTable.append(table, sweep.run(scale, run.seed(), bar::step), run);
                        AtomicFiles.write(csv, o -> table.write().csv(o));
                    }
                }
            }
            Table sorted = table.sortAscendingOn("scale");
            for (Column<?> c : sorted.columns()) {
                if (c instanceof DoubleColumn d && !c.name().equals("scale")) {
                    d.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(3));
                }
            }
            out.println(sorted.selectColumns("scale", "fid", "precision", "recall", "inception_score", "diversity", "seconds")
                    .setName("guidance sweep: sample quality (" + n + " samples per scale)").printAll());
            out.println(sorted.selectColumns("scale", "all_right", "all_right_low", "all_right_high", "one_object_all_right",
                    "two_objects_all_right", "shape", "colour", "size", "position", "count")
                    .setName("guidance sweep: prompt adherence (shares right; all_right with its 95% interval)").printAll());
            Path dir = csv.getParent();
            Plots.save(fidPlot(sorted), dir.resolve("guidance_fid.png"));
            Plots.save(adherencePlot(sorted), dir.resolve("guidance_adherence.png"));
            Plots.save(tradeoffPlot(sorted), dir.resolve("guidance_tradeoff.png"));
            Png.write(grid(t2i, scales, run.steps(), run.seed()), dir.resolve("guidance_grid.png"));
            out.println("wrote " + csv + " and the plots and grid beside it");
            return 0;
        }
    }

    /** Checks everything a guidance sweep needs before any of its work; see {@link GuidancePlan}. */
    static GuidancePlan planGuidance(Args args) throws IOException {
        return new GuidancePlan(args);
    }

    private static double[] parseScales(String text) {
        double[] s;
        try {
            s = Arrays.stream(text.split(",")).mapToDouble(v -> Double.parseDouble(v.trim())).toArray();
            if (s.length == 0 || Arrays.stream(s).anyMatch(v -> !Double.isFinite(v))) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--scales needs comma-separated numbers, e.g. 1,1.5,2,3; got '" + text + "'");
        }
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < i; j++) {
                if (s[i] == s[j]) {
                    throw new InvalidInputException("--scales lists " + s[i] + " twice; each scale is sampled once and is one row");
                }
            }
        }
        return s;
    }

    private static XYChart fidPlot(Table t) {
        XYChart chart = Plots.lineChart("FID (attribute-classifier features) vs guidance", "guidance scale s",
                "FID to the real images of the same captions", 640, 400);
        Plots.line(chart, "FID", t.doubleColumn("scale").asDoubleArray(), t.doubleColumn("fid").asDoubleArray());
        chart.getStyler().setLegendVisible(false); // one line, named by the axis
        return chart;
    }

    private static XYChart adherencePlot(Table t) {
        XYChart chart = Plots.lineChart("Prompt adherence (classifier-read, every attribute right) vs guidance",
                "guidance scale s", "share of samples all right", 640, 400);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        double[] s = t.doubleColumn("scale").asDoubleArray();
        Plots.line(chart, "all captions", s, t.doubleColumn("all_right").asDoubleArray());
        Plots.line(chart, "95% low", s, t.doubleColumn("all_right_low").asDoubleArray());
        Plots.line(chart, "95% high", s, t.doubleColumn("all_right_high").asDoubleArray());
        Plots.line(chart, "one object", s, t.doubleColumn("one_object_all_right").asDoubleArray());
        Plots.line(chart, "two objects", s, t.doubleColumn("two_objects_all_right").asDoubleArray());
        return chart;
    }

    private static XYChart tradeoffPlot(Table t) {
        XYChart chart = Plots.lineChart("Guidance trades FID for adherence", "adherence (share of samples all right)",
                "FID", 640, 400);
        Plots.labelledCurve(chart, "guidance scale s", t.doubleColumn("all_right").asDoubleArray(), t.doubleColumn("fid").asDoubleArray(),
                t.doubleColumn("scale").asList().stream().map(s -> "s = " + new java.text.DecimalFormat("#.#").format(s)).toList());
        return chart;
    }

    /** Rows = prompts, columns = scales; the same seed in every column, so only the guidance changes along a row. */
    private static BufferedImage grid(TextToImage t2i, double[] scales, int steps, long seed) {
        List<List<BufferedImage>> columns = new ArrayList<>();
        for (double scale : scales) {
            columns.add(ImageTensors.pictures(t2i.sample(GRID_PROMPTS, new SamplerSettings(SamplerKind.DDIM, steps, 0, scale), seed, StepCallback.NONE)));
        }
        List<BufferedImage> cells = new ArrayList<>();
        for (int p = 0; p < GRID_PROMPTS.size(); p++) {
            for (List<BufferedImage> column : columns) {
                cells.add(column.get(p));
            }
        }
        return new ImageGrid(cells, scales.length).scale(3).rowHeaders(GRID_PROMPTS)
                .columnHeaders(Arrays.stream(scales).mapToObj(s -> "s=" + s).toList())
                .title("The same seed at each guidance scale (" + steps + " DDIM steps)").render();
    }
}
