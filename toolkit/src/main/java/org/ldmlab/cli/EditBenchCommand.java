package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Png;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.Models;
import org.ldmlab.metrics.AttributeClassifier;
import org.ldmlab.p2p.ImageEditBenchmark;
import org.ldmlab.p2p.ImageEditBenchmark.Method;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/** {@code ldmlab edit-bench}: editing real (rendered) images, scored against the exactly rendered ideal edit. */
final class EditBenchCommand implements Command {
    @Override
    public String name() {
        return "edit-bench";
    }

    @Override
    public String summary() {
        return "real-image editing methods scored against the exactly rendered ideal edit (PSNR, SSIM, rest kept, IoU, success)";
    }

    @Override
    public String usage() {
        return """
                ldmlab edit-bench [--n 100] [--seed 0] [--steps 50] [--guidance 3] [--csv figures/edit_bench.csv] [--figure figures/edit_bench.png] [--model PATH] [--inpaint-model PATH] [--classifier PATH]
                  --n test scenes (colour, shape and size of one object, and one object of a pair, in turn), each rendered, then
                  rendered again with the attribute changed and the same jitter: the ideal edit. Methods: DDIM inversion + Prompt-
                  to-Prompt, null-text inversion + Prompt-to-Prompt, DDIM inversion + the target caption, the inpainting model
                  given the edited object's box, and no edit. Scores against the ideal: PSNR, SSIM, PSNR outside the edited
                  object, IoU of the edited object with the target's, edit success (the classifier reads the target), s / edit""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        int n = args.integer("n", 100);
        long seed = args.longValue("seed", 0);
        SamplerSettings settings = new SamplerSettings(SamplerKind.DDIM, args.integer("steps", 50), 0, args.number("guidance", 3));
        Path csv = Path.of(args.string("csv", Repository.path("figures").resolve("edit_bench.csv").toString()));
        Path figure = Path.of(args.string("figure", Repository.path("figures").resolve("edit_bench.png").toString()));
        String model = args.string("model", null);
        String inpaintModel = args.string("inpaint-model", null);
        String classifierPath = args.string("classifier", null);
        args.requireAllUsed();
        List<ImageEditBenchmark.Case> cases = ImageEditBenchmark.cases(n, seed);
        AtomicFiles.checkNewFile(csv);
        AtomicFiles.checkNewFile(figure);
        Models.Pipeline ldm = Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM);
        Models.Pipeline inpainting = Models.loadPipeline(Models.resolve(inpaintModel, Models.INPAINT), Models.INPAINT);
        AttributeClassifier classifier = Models.loadClassifier(Models.resolve(classifierPath, Models.CLASSIFIER));
        ImageEditBenchmark.check(ldm, settings);

        long start = System.nanoTime();
        Map<Method, ImageEditBenchmark.Edits> edits;
        try (ProgressBar bar = new ProgressBar("edit-bench", ImageEditBenchmark.units(n), System.err)) {
            edits = ImageEditBenchmark.run(ldm, inpainting, cases, settings, bar::step);
        }
        Table table = ImageEditBenchmark.table(cases, ImageEditBenchmark.score(cases, edits, classifier), edits);
        out.printf("real-image edits: %d test scenes (seed %d), %d DDIM steps, s = %s, P2P replace (cross 0.8, self 0.4); %.0f s%n",
                n, seed, settings.steps(), settings.guidance(), (System.nanoTime() - start) / 1e9);
        print(table, out);
        AtomicFiles.write(csv, o -> table.write().csv(o));
        Png.write(ImageEditBenchmark.figure(cases, edits, 8, String.format("Editing real images against the exact target: %d DDIM steps, "
                + "s = %s; inpainting is given the edited object's box", settings.steps(), settings.guidance())), figure);
        out.println("wrote " + csv + " and " + figure);
        return 0;
    }

    /** The methods over all scenes; the CSV has the rows per edit kind too. */
    private static void print(Table t, PrintStream out) {
        out.printf("| %-32s | %4s | %-22s | %5s | %12s | %5s | %-24s | %8s |%n", "method", "n", "PSNR dB [95%]", "SSIM",
                "PSNR outside", "IoU", "edit success [95%]", "s / edit");
        out.println("|----------------------------------|------|------------------------|-------|--------------|-------|--------------------------|----------|");
        for (Row r : t) {
            if (r.getString("kind").equals("all")) {
                out.printf("| %-32s | %4d | %6.2f [%6.2f, %6.2f] | %5.3f | %12.2f | %5.3f | %5.1f%% [%5.1f, %5.1f]   | %8.2f |%n",
                        r.getString("method"), r.getInt("n"), r.getDouble("psnr"), r.getDouble("psnr_low"), r.getDouble("psnr_high"),
                        r.getDouble("ssim"), r.getDouble("psnr_outside"), r.getDouble("iou"), 100 * r.getDouble("success"),
                        100 * r.getDouble("success_low"), 100 * r.getDouble("success_high"), r.getDouble("seconds_per_edit"));
            }
        }
        out.println("(against the ideal target; PSNR outside: the pixels outside the edited object's source and target pixels, "
                + "against the source; IoU: the edited object found by its target colour vs the target's pixels)");
    }
}
