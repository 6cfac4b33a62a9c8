package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.ldmlab.InvalidInputException;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.Models;
import org.ldmlab.metrics.AttributeClassifier;
import org.ldmlab.p2p.EditBenchmark;
import org.ldmlab.p2p.EditPair;
import org.ldmlab.p2p.PromptToPrompt;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/** {@code ldmlab edit-score}: Prompt-to-Prompt's word swaps against the fixed-seed baseline, per edit kind. */
final class EditScoreCommand implements Command {
    @Override
    public String name() {
        return "edit-score";
    }

    @Override
    public String summary() {
        return "Prompt-to-Prompt vs the fixed-seed baseline per edit kind: structure kept, edit success, rest preserved";
    }

    @Override
    public String usage() {
        return """
                ldmlab edit-score [--pairs 25] [--seed 0] [--steps 50] [--guidance 3] [--csv figures/edit_score.csv] [--model PATH] [--classifier PATH]
                  per edit kind (colour, shape, size or position of one object; one object of a pair), --pairs caption
                  pairs from test-split scenes, each sampled with Prompt-to-Prompt's word swap (cross 0.8, self 0.4) and
                  without injection (the fixed-seed baseline), and scored: structure IoU of the edited object's pixels
                  (found by colour) in source and edited image, edit success (the attribute classifier reads the target),
                  PSNR of the rest (outside the edited object; for a pair, on the other object)""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        int perKind = args.integer("pairs", 25);
        long seed = args.longValue("seed", 0);
        SamplerSettings settings = new SamplerSettings(SamplerKind.DDIM, args.integer("steps", 50), 0, args.number("guidance", 3));
        Path csv = Path.of(args.string("csv", Repository.path("figures").resolve("edit_score.csv").toString()));
        String model = args.string("model", null);
        String classifierPath = args.string("classifier", null);
        args.requireAllUsed();
        List<EditPair> pairs = EditPair.draw(perKind, seed);
        AtomicFiles.checkNewFile(csv);
        PromptToPrompt p2p = PromptToPrompt.of(Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM));
        p2p.check(settings);
        AttributeClassifier classifier = Models.loadClassifier(Models.resolve(classifierPath, Models.CLASSIFIER));

        Table table = EditBenchmark.table("edit scores");
        long start = System.nanoTime();
        int batches = (pairs.size() + EditBenchmark.BATCH - 1) / EditBenchmark.BATCH;
        try (ProgressBar bar = new ProgressBar("edit-score", 2L * batches, System.err)) {
            List<EditBenchmark.KindScores> edited = EditBenchmark.summary(pairs,
                    EditBenchmark.run(p2p, classifier, pairs, EditBenchmark.P2P, settings, seed, bar::step));
            List<EditBenchmark.KindScores> baseline = EditBenchmark.summary(pairs,
                    EditBenchmark.run(p2p, classifier, pairs, EditBenchmark.BASELINE, settings, seed, bar::step));
            for (int k = 0; k < edited.size(); k++) {
                EditBenchmark.append(table, "p2p", edited.get(k));
                EditBenchmark.append(table, "baseline", baseline.get(k));
            }
        }
        out.printf("edit scores: %d caption pairs per kind (seed %d), %d DDIM steps, s = %s; p2p = replace, cross 0.8, self 0.4; %.0f s%n",
                perKind, seed, settings.steps(), settings.guidance(), (System.nanoTime() - start) / 1e9);
        print(table, out);
        AtomicFiles.write(csv, o -> table.write().csv(o));
        out.println("wrote " + csv);
        return 0;
    }

    private static void print(Table t, PrintStream out) {
        out.printf("| %-8s | %-8s | %4s | %-22s | %-24s | %-15s |%n", "kind", "method", "n", "structure IoU [95%]",
                "edit success [95%]", "PSNR rest (dB)");
        out.println("|----------|----------|------|------------------------|--------------------------|-----------------|");
        for (Row r : t) {
            out.printf("| %-8s | %-8s | %4d | %.3f [%.3f, %.3f]   | %5.1f%% [%5.1f, %5.1f]   | %6.2f          |%n",
                    r.getString("kind"), r.getString("method"), r.getInt("n"), r.getDouble("iou"), r.getDouble("iou_low"),
                    r.getDouble("iou_high"), 100 * r.getDouble("success"), 100 * r.getDouble("success_low"),
                    100 * r.getDouble("success_high"), r.getDouble("psnr_rest"));
        }
        out.println("(structure IoU: the edited object's pixels, source vs edited; PSNR rest: outside the edited object, "
                + "for 'pair' on the other object)");
    }
}
