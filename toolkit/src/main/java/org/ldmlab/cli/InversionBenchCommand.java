package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.ImageInversion;
import org.ldmlab.ldm.InversionBenchmark;
import org.ldmlab.ldm.InversionSettings;
import org.ldmlab.ldm.Models;
import org.ldmlab.viz.InversionFigures;
import org.ldmlab.viz.Plots;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/** {@code ldmlab inversion-bench}: the round-trip error of DDIM and null-text inversion against guidance and steps. */
final class InversionBenchCommand implements Command {
    @Override
    public String name() {
        return "inversion-bench";
    }

    @Override
    public String summary() {
        return "round-trip error of real-image inversion (DDIM at s = 1, DDIM at s, null-text) against guidance and steps";
    }

    @Override
    public String usage() {
        return """
                ldmlab inversion-bench [--n 16] [--seed 0] [--scales 1,2,3,5,7.5] [--steps 10,25,50] [--csv figures/inversion.csv] [--figures figures] [--model PATH]
                  inverts --n rendered test scenes (dataset seed --seed) under their captions and samples them back with the same
                  caption, steps and guidance: per method, step count and scale, the latent MSE against E(x), the PSNR against x
                  (mean and 95% interval) and the seconds per image; writes the CSV, and in --figures inversion_guidance.png (PSNR
                  against s at the most steps) and inversion_steps.png (PSNR against steps at s = 3, or the largest scale)""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        int n = args.integer("n", 16);
        long seed = args.longValue("seed", 0);
        double[] scales = args.numbers("scales", "1,2,3,5,7.5");
        int[] steps = args.integers("steps", "10,25,50");
        Path csv = Path.of(args.string("csv", Repository.path("figures").resolve("inversion.csv").toString()));
        Path figures = Path.of(args.string("figures", Repository.path("figures").toString()));
        String model = args.string("model", null);
        args.requireAllUsed();
        for (int s : steps) {
            for (double g : scales) {
                new InversionSettings(s, g, 1, false);                      // every setting is checked before any work
            }
        }
        InversionBenchmark.Scenes scenes = InversionBenchmark.scenes(n, seed);
        AtomicFiles.checkNewFile(csv);
        AtomicFiles.checkNewFile(figures.resolve("inversion_guidance.png"));
        Models.Pipeline pipeline = Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM);
        ImageInversion inversion = ImageInversion.of(pipeline);
        Arrays.stream(steps).forEach(s -> inversion.check(scenes.images(), scenes.captions(), new InversionSettings(s, 1, 1, false)));

        List<InversionBenchmark.Run> runs = InversionBenchmark.runs(steps, scales);
        Table table = InversionBenchmark.table();
        long start = System.nanoTime();
        try (ProgressBar bar = new ProgressBar("inversion-bench", runs.size(), System.err)) {
            for (InversionBenchmark.Run r : runs) {
                InversionBenchmark.measure(inversion, scenes, r.method(), r.steps(), r.guidance(), table);
                bar.step(r.method().label() + ", " + r.steps() + " steps, s = " + r.guidance());
            }
        }
        out.printf("inversion round trips: %d test scenes (dataset seed %d), DDIM (eta 0), %.0f s; the autoencoder alone (D(E(x)) against x): "
                + "%.2f dB%n", n, seed, (System.nanoTime() - start) / 1e9, Arrays.stream(inversion.autoencoderPsnr(scenes.images())).average().orElseThrow());
        print(table, out);
        int most = Arrays.stream(steps).max().orElseThrow();
        double at = Arrays.stream(scales).anyMatch(s -> s == 3) ? 3 : Arrays.stream(scales).max().orElseThrow();
        AtomicFiles.write(csv, o -> table.write().csv(o));
        Plots.save(InversionFigures.againstGuidance(table, most), figures.resolve("inversion_guidance.png"));
        Plots.save(InversionFigures.againstSteps(table, at), figures.resolve("inversion_steps.png"));
        out.println("wrote " + csv + ", inversion_guidance.png and inversion_steps.png in " + figures);
        return 0;
    }

    private static void print(Table t, PrintStream out) {
        out.printf("| %-22s | %5s | %4s | %10s | %-22s | %9s |%n", "method", "steps", "s", "latent MSE", "PSNR dB [95%]", "s / image");
        out.println("|------------------------|-------|------|------------|------------------------|-----------|");
        for (Row r : t) {
            out.printf("| %-22s | %5d | %4s | %10.5f | %6.2f [%6.2f, %6.2f] | %9.2f |%n", r.getString("method"), r.getInt("steps"),
                    trim(r.getDouble("guidance")), r.getDouble("latent_mse"), r.getDouble("psnr"), r.getDouble("psnr_low"),
                    r.getDouble("psnr_high"), r.getDouble("seconds_per_image"));
        }
    }

    private static String trim(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
    }
}
