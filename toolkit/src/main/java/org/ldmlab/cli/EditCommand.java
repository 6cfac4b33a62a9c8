package org.ldmlab.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ldmlab.InvalidInputException;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Png;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.Models;
import org.ldmlab.p2p.EditComparison;
import org.ldmlab.p2p.EditMode;
import org.ldmlab.p2p.EditSettings;
import org.ldmlab.p2p.InjectionSchedule;
import org.ldmlab.p2p.PromptToPrompt;
import org.ldmlab.sampling.SamplerSettings;

/** {@code ldmlab edit}: Prompt-to-Prompt, an image edited by editing its prompt (Hertz et al. 2022). */
final class EditCommand implements Command {
    @Override
    public String name() {
        return "edit";
    }

    @Override
    public String summary() {
        return "edit an image by editing its prompt (Prompt-to-Prompt: replace, refine, reweight, local blend)";
    }

    @Override
    public String usage() {
        return """
                ldmlab edit --source TEXT --target TEXT --out DIR [--mode replace|refine|reweight] [--cross 0.8] [--cross-word WORD=F,..] [--self 0.4] [--blend WORDS] [--reweight WORD=F,..] [--seed 7] [--steps 50] [--guidance 3] [--model PATH]
                  writes DIR/source.png, DIR/edited.png, DIR/baseline.png (the target from the same seed, unedited) and DIR/compare.png
                  (the three, with the changed word's cross-attention under each)
                  --mode        replace: swap words one for one (equal word counts); refine: add or remove words;
                                reweight: refine plus --reweight
                  --cross       fraction of the steps whose cross-attention maps come from the source (first steps)
                  --cross-word  per target word, its own fraction, e.g. circle=0.4
                  --self        fraction of the steps whose self-attention maps come from the source
                  --blend       words (of the source and/or the target) bounding the region that may change, e.g. "red blue"
                  --reweight    per target word, a factor for its cross-attention (negative allowed), e.g. red=2
                  DDIM, eta 0; a target equal to the source gives the source back""";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        String source = args.required("source", "the prompt of the image to edit, e.g. \"a big red circle on the left\"");
        String target = args.required("target", "the edited prompt, e.g. \"a big blue circle on the left\"");
        Path dir = Path.of(args.required("out", "the folder for the images"));
        String model = args.string("model", null);
        EditSettings edit = new EditSettings(EditMode.parse(args.string("mode", "replace")),
                new InjectionSchedule(args.number("cross", 0.8), pairs("cross-word", args.string("cross-word", "")), args.number("self", 0.4)),
                pairs("reweight", args.string("reweight", "")), words(args.string("blend", "")));
        SamplerSettings settings = new SamplerSettings("ddim", args.integer("steps", 50), 0, args.number("guidance", 3));
        long seed = args.longValue("seed", 7);
        args.requireAllUsed();
        Models.Pipeline pipeline = Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM);
        PromptToPrompt p2p = PromptToPrompt.of(pipeline);
        p2p.plan(source, target, edit);                          // every word and fraction is checked before sampling,
        p2p.check(settings);                                     // the steps too,
        AtomicFiles.writeFolder(dir, folder -> {                 // so is the output folder (before it is filled)
            long start = System.nanoTime();
            EditComparison comparison;
            try (ProgressBar bar = new ProgressBar("edit", 2 * settings.steps(), System.err)) {
                comparison = EditComparison.sample(pipeline, source, target, edit, settings, seed, (i, t, x, x0) -> bar.step("t=" + t));
            }
            Png.write(comparison.source(), folder.resolve("source.png"));
            Png.write(comparison.edited(), folder.resolve("edited.png"));
            Png.write(comparison.baseline(), folder.resolve("baseline.png"));
            Png.write(comparison.render(edit.mode().word() + ", seed " + seed + ", " + settings.steps() + " steps, s = " + settings.guidance()),
                    folder.resolve("compare.png"));
            out.printf("edit and baseline sampled in %.1f s%s%n", (System.nanoTime() - start) / 1e9,
                    comparison.changedWord() == null ? "" : "; compare.png shows the cross-attention of '" + comparison.changedWord() + "'");
        });
        out.printf("wrote source.png, edited.png, baseline.png and compare.png to %s%n", dir);
        return 0;
    }

    /** "circle=0.4,red=0.2" -> {circle: 0.4, red: 0.2}; empty text, no pairs. */
    private static Map<String, Double> pairs(String option, String text) {
        Map<String, Double> pairs = new LinkedHashMap<>();
        for (String pair : text.isBlank() ? new String[0] : text.trim().split("\\s*,\\s*")) {
            String[] parts = pair.split("=");
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new InvalidInputException("--" + option + " takes WORD=NUMBER pairs separated by commas, e.g. circle=0.4; got '" + pair + "'");
            }
            try {
                pairs.put(parts[0].trim().toLowerCase(Locale.ROOT), Double.parseDouble(parts[1].trim()));
            } catch (NumberFormatException e) {
                throw new InvalidInputException("--" + option + " " + parts[0] + " needs a number; got '" + parts[1] + "'");
            }
        }
        return pairs;
    }

    /** "red blue" or "red,blue" -> [red, blue]. */
    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : Arrays.stream(text.trim().toLowerCase(Locale.ROOT).split("[\\s,]+")).toList();
    }
}
