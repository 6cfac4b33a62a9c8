package org.ldmlab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.ldmlab.InvalidInputException;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Png;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.metrics.GuidanceSweep;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.ldmlab.viz.ImageGrid;
import org.ldmlab.viz.Plots;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * {@code ldmlab sweep guidance}: prompt adherence and sample diversity across guidance scales, as a table
 * (CSV and printed), plots and an image grid. Each finished scale is saved at once, so an interrupted sweep
 * resumes where it stopped.
 */
final class SweepCommand implements Command {
    private static final List<String> GRID_PROMPTS = List.of("a big red circle on the left", "a small blue square at the top",
            "a big yellow triangle in the centre", "a small green square at the bottom");

    @Override
    public String name() {
        return "sweep";
    }

    @Override
    public String summary() {
        return "sweep guidance scales: adherence and diversity table, plots, grid (resumable)";
    }

    @Override
    public String usage() {
        return """
                ldmlab sweep guidance [--scales 1,1.5,2,3,5,7.5,10] [--n 500] [--seed 0] [--steps 50] [--model PATH] [--out figures]
                  samples cycle through the 100 trained single-object captions (diversity needs n >= 200);
                  writes OUT/guidance_sweep.csv (one row per scale, saved as each finishes: a rerun resumes),
                  OUT/guidance_adherence.png, OUT/guidance_tradeoff.png and OUT/guidance_grid.png""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        if (args.positional().size() != 1 || !args.positional().get(0).equals("guidance")) {
            throw new InvalidInputException("say what to sweep: `ldmlab sweep guidance`");
        }
        double[] scales = parseScales(args.string("scales", "1,1.5,2,3,5,7.5,10"));
        int n = args.integer("n", 500);
        long seed = args.longValue("seed", 0);
        int steps = args.integer("steps", 50);
        String model = args.string("model", null);
        Path dir = Path.of(args.string("out", Repository.path("figures").toString()));
        args.requireAllUsed();
        if (n < 2) {
            throw new InvalidInputException("--n must be >= 2 (diversity compares samples); got " + n);
        }
        TextToImage t2i = TextToImage.of(Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM));
        new SamplerSettings("ddim", steps, 0, 1).create(t2i.diffusion().schedule()); // steps > T fails now
        Path csv = dir.resolve("guidance_sweep.csv");
        Table table = resume(csv, n, steps, seed);
        GuidanceSweep sweep = new GuidanceSweep(t2i, steps);
        List<Double> todo = new ArrayList<>();
        for (double scale : scales) {
            if (done(table, scale)) {
                out.printf("scale %s: already in %s%n", scale, csv);
            } else {
                todo.add(scale);
            }
        }
        try (ProgressBar bar = new ProgressBar("sweep", (long) ((n + 31) / 32) * todo.size(), System.err)) {
            for (double scale : todo) {
                GuidanceSweep.Result r = sweep.run(scale, n, seed, bar::step);
                append(table, r, steps, seed);
                AtomicFiles.write(csv, o -> table.write().csv(o));
            }
        }
        Table sorted = table.sortAscendingOn("scale");
        for (String c : List.of("adherence", "adherence_low", "adherence_high", "diversity", "seconds")) {
            sorted.doubleColumn(c).setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(3));
        }
        out.println(sorted.printAll());
        Png.write(Plots.image(adherencePlot(sorted)), dir.resolve("guidance_adherence.png"));
        Png.write(Plots.image(tradeoffPlot(sorted)), dir.resolve("guidance_tradeoff.png"));
        Png.write(grid(t2i, scales, steps, seed), dir.resolve("guidance_grid.png"));
        out.println("wrote " + csv + " and the plots and grid beside it");
        return 0;
    }

    private static double[] parseScales(String text) {
        try {
            double[] s = Arrays.stream(text.split(",")).mapToDouble(v -> Double.parseDouble(v.trim())).toArray();
            if (s.length == 0 || Arrays.stream(s).anyMatch(v -> !Double.isFinite(v))) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--scales needs comma-separated numbers, e.g. 1,1.5,2,3; got '" + text + "'");
        }
    }

    /** The table of an earlier run with the same settings, or a new empty one. */
    private static Table resume(Path csv, int n, int steps, long seed) throws IOException {
        if (!Files.exists(csv)) {
            return Table.create("guidance sweep", DoubleColumn.create("scale"), IntColumn.create("samples"),
                    DoubleColumn.create("adherence"), DoubleColumn.create("adherence_low"), DoubleColumn.create("adherence_high"),
                    DoubleColumn.create("diversity"), DoubleColumn.create("seconds"), IntColumn.create("steps"), IntColumn.create("seed"));
        }
        ColumnType d = ColumnType.DOUBLE;
        ColumnType i = ColumnType.INTEGER;
        Table t = Table.read().usingOptions(CsvReadOptions.builder(csv.toFile())
                .columnTypes(new ColumnType[] {d, i, d, d, d, d, d, i, i})); // not inferred: 1, 3 would read as integers
        for (Row row : t) {
            if (row.getInt("samples") != n || row.getInt("steps") != steps || row.getInt("seed") != seed) {
                throw new InvalidInputException(csv + " holds a sweep with other settings (n, steps or seed); "
                        + "use another --out or delete it to start over");
            }
        }
        return t.setName("guidance sweep");
    }

    private static boolean done(Table table, double scale) {
        return table.doubleColumn("scale").asList().stream().anyMatch(s -> Math.abs(s - scale) < 1e-9);
    }

    private static void append(Table table, GuidanceSweep.Result r, int steps, long seed) {
        double[] ci = r.adherence().interval95();
        table.doubleColumn("scale").append(r.scale());
        table.intColumn("samples").append(r.samples());
        table.doubleColumn("adherence").append(r.adherence().value());
        table.doubleColumn("adherence_low").append(ci[0]);
        table.doubleColumn("adherence_high").append(ci[1]);
        table.doubleColumn("diversity").append(r.diversity());
        table.doubleColumn("seconds").append(r.seconds());
        table.intColumn("steps").append(steps);
        table.intColumn("seed").append((int) seed);
    }

    private static XYChart adherencePlot(Table t) {
        XYChart chart = Plots.lineChart("Prompt adherence (colour, size, position) vs guidance", "guidance scale s",
                "share of samples right", 640, 400);
        double[] s = t.doubleColumn("scale").asDoubleArray();
        Plots.line(chart, "adherence", s, t.doubleColumn("adherence").asDoubleArray());
        Plots.line(chart, "95% low", s, t.doubleColumn("adherence_low").asDoubleArray());
        Plots.line(chart, "95% high", s, t.doubleColumn("adherence_high").asDoubleArray());
        return chart;
    }

    private static XYChart tradeoffPlot(Table t) {
        XYChart chart = Plots.lineChart("Guidance trades diversity for adherence", "diversity (per-pixel std across samples of a caption)",
                "adherence", 640, 400);
        Plots.line(chart, "s = " + t.doubleColumn("scale").asList(), t.doubleColumn("diversity").asDoubleArray(),
                t.doubleColumn("adherence").asDoubleArray());
        return chart;
    }

    /** Rows = prompts, columns = scales; the same seed in every cell, so only the guidance changes. */
    private static BufferedImage grid(TextToImage t2i, double[] scales, int steps, long seed) {
        List<BufferedImage> cells = new ArrayList<>();
        for (String prompt : GRID_PROMPTS) {
            for (double scale : scales) {
                cells.addAll(TextToImage.pictures(t2i.sample(prompt, 1, new SamplerSettings("ddim", steps, 0, scale), seed, StepCallback.NONE)));
            }
        }
        return new ImageGrid(cells, scales.length).scale(3).rowHeaders(GRID_PROMPTS)
                .columnHeaders(Arrays.stream(scales).mapToObj(s -> "s=" + s).toList())
                .title("The same seed at each guidance scale (" + steps + " DDIM steps)").render();
    }
}
