package org.ldmlab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.ImageFile;
import org.ldmlab.io.Png;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.ImageInversion;
import org.ldmlab.ldm.Inversion;
import org.ldmlab.ldm.InversionSettings;
import org.ldmlab.ldm.Models;
import org.ldmlab.metrics.Psnr;
import org.ldmlab.p2p.EditComparison;
import org.ldmlab.p2p.EditMode;
import org.ldmlab.p2p.EditSettings;
import org.ldmlab.p2p.InjectionSchedule;
import org.ldmlab.p2p.PromptToPrompt;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@code ldmlab edit}: Prompt-to-Prompt, an image edited by editing its prompt (Hertz et al. 2022). */
final class EditCommand implements Command {
    @Override
    public String name() {
        return "edit";
    }

    @Override
    public String summary() {
        return "edit an image by editing its prompt (Prompt-to-Prompt: replace, refine, reweight, local blend), sampled or real";
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
                  DDIM, eta 0; a target equal to the source gives the source back
                ldmlab edit --image IMG.png --source TEXT --target TEXT --out DIR [--null-text] [--inversion-guidance 1] [--resize] [--classifier PATH] [the options above but --seed]
                ldmlab edit --inverted INVDIR --target TEXT --out DIR [the options above but --seed]
                  a real image: inverted under --source, its caption (DDIM inversion, or null-text inversion with --null-text:
                  see `ldmlab help invert`), or read from INVDIR (`ldmlab invert --out INVDIR`), then edited from its z_T;
                  writes DIR/source.png (the input), DIR/reconstruction.png (the source prompt from z_T), DIR/edited.png and
                  DIR/compare.png; warns when the attribute classifier reads something else in IMG than --source says""";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        String image = args.string("image", null);
        String inverted = args.string("inverted", null);
        if (image != null && inverted != null) {
            throw new InvalidInputException("give --image (to invert it here) or --inverted (an inversion made by `ldmlab invert`), not both");
        }
        String source = inverted != null ? args.string("source", null)
                : args.required("source", image == null ? "the prompt of the image to edit, e.g. \"a big red circle on the left\""
                        : "a caption that describes the image, e.g. \"a big red circle on the left\"");
        String target = args.required("target", "the edited prompt, e.g. \"a big blue circle on the left\"");
        Path dir = Path.of(args.required("out", "the folder for the images"));
        String model = args.string("model", null);
        EditSettings edit = new EditSettings(EditMode.parse(args.string("mode", "replace")),
                new InjectionSchedule(args.number("cross", 0.8), pairs("cross-word", args.string("cross-word", "")), args.number("self", 0.4)),
                pairs("reweight", args.string("reweight", "")), words(args.string("blend", "")));
        if (image == null && inverted == null) {
            SamplerSettings settings = new SamplerSettings(SamplerKind.DDIM, args.integer("steps", 50), 0, args.number("guidance", 3));
            long seed = args.longValue("seed", 7);
            args.requireAllUsed();
            return sampled(source, target, dir, model, edit, settings, seed, out);
        }
        if (args.has("seed")) {
            throw new InvalidInputException("--seed picks z_T of a sampled edit; a real image's z_T comes from its inversion");
        }
        int steps = args.integer("steps", 50);
        double guidance = args.number("guidance", 3);
        if (inverted != null) {
            args.requireAllUsed();
            Path folder = Path.of(inverted);
            Inversion inversion = Inversion.load(folder);
            if (source != null && !source.equals(inversion.caption())) {
                throw new InvalidInputException("--source \"" + source + "\" differs from the caption the image was inverted under (\""
                        + inversion.caption() + "\"); leave --source out, or invert again");
            }
            if (args.has("steps") || args.has("guidance")) {
                inversion.check(new SamplerSettings(SamplerKind.DDIM, steps, 0, guidance));
            }
            BufferedImage input = ImageFile.read(folder.resolve(InvertCommand.INPUT), "--inverted", false);
            return real(ImageTensors.toTensor(List.of(input)), inversion, null, target, dir, model, edit, out);
        }
        InversionSettings settings = new InversionSettings(steps, guidance, args.number("inversion-guidance", 1), args.flag("null-text"));
        boolean resize = args.flag("resize");
        String classifier = args.string("classifier", null);
        args.requireAllUsed();
        INDArray x = ImageTensors.toTensor(List.of(ImageFile.read(Path.of(image), "--image", resize)));  // [1, 3, 32, 32]
        return real(x, null, new Inverting(source, settings, classifier), target, dir, model, edit, out);
    }

    /** What to invert, when the image is not inverted yet. */
    private record Inverting(String caption, InversionSettings settings, String classifier) {}

    /** Prompt-to-Prompt on a sampled image: source, edited and baseline from one seed. */
    private static int sampled(String source, String target, Path dir, String model, EditSettings edit, SamplerSettings settings,
            long seed, PrintStream out) throws IOException {
        Models.Pipeline pipeline = Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM);
        PromptToPrompt p2p = PromptToPrompt.of(pipeline);
        p2p.plan(source, target, edit);                          // every word and fraction is checked before sampling,
        p2p.check(settings);                                     // the steps too,
        AtomicFiles.checkNewFolder(dir);                         // and the output folder
        long start = System.nanoTime();
        EditComparison comparison;
        try (ProgressBar bar = new ProgressBar("edit", 2 * settings.steps(), System.err)) {
            comparison = EditComparison.sample(pipeline, source, target, edit, settings, seed, (i, t, x, x0) -> bar.step("t=" + t));
        }
        AtomicFiles.writeFolder(dir, folder -> {
            Png.write(comparison.image(0), folder.resolve("source.png"));
            Png.write(comparison.image(1), folder.resolve("edited.png"));
            Png.write(comparison.image(2), folder.resolve("baseline.png"));
            Png.write(comparison.render(edit.mode().word() + ", seed " + seed + ", " + settings.steps() + " steps, s = " + settings.guidance()),
                    folder.resolve("compare.png"));
        });
        out.printf("edit and baseline sampled in %.1f s%s%n", (System.nanoTime() - start) / 1e9,
                comparison.changedWord() == null ? "" : "; compare.png shows the cross-attention of '" + comparison.changedWord() + "'");
        out.printf("wrote source.png, edited.png, baseline.png and compare.png to %s%n", dir);
        return 0;
    }

    /** Prompt-to-Prompt on a real image [1, 3, H, W]: inverted here ({@code inverting}) or before ({@code inversion}). */
    private static int real(INDArray x, Inversion inversion, Inverting inverting, String target, Path dir, String model,
            EditSettings edit, PrintStream out) throws IOException {
        Models.Pipeline pipeline = Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM);
        PromptToPrompt p2p = PromptToPrompt.of(pipeline);
        ImageInversion inversions = ImageInversion.of(pipeline);
        String source = inversion != null ? inversion.caption() : inverting.caption();
        p2p.plan(source, target, edit);                          // every word and fraction is checked before any work,
        if (inverting != null) {
            inversions.check(x, List.of(source), inverting.settings()); // the image and the steps,
            CaptionCheck.warnIfUnlike(x, source, inverting.classifier(), System.err);
        }
        AtomicFiles.checkNewFolder(dir);                         // and the output folder
        long start = System.nanoTime();
        Inversion inv = inversion;
        if (inv == null) {
            InversionSettings s = inverting.settings();
            try (ProgressBar bar = new ProgressBar("invert", (s.nullText() ? 2L : 1L) * s.steps(), System.err)) {
                inv = inversions.invert(x, List.of(source), s, (i, t, z, x0) -> bar.step("t=" + t)).get(0);
            }
        }
        Inversion from = inv;
        EditComparison comparison;
        try (ProgressBar bar = new ProgressBar("edit", from.settings().steps(), System.err)) {
            comparison = EditComparison.ofImage(pipeline, x.get(NDArrayIndex.point(0)), from, target, edit, (i, t, z, x0) -> bar.step("t=" + t));
        }
        INDArray reconstruction = ImageTensors.toTensor(List.of(comparison.image(1)));
        AtomicFiles.writeFolder(dir, folder -> {
            Png.write(comparison.image(0), folder.resolve("source.png"));
            Png.write(comparison.image(1), folder.resolve("reconstruction.png"));
            Png.write(comparison.image(2), folder.resolve("edited.png"));
            Png.write(comparison.render(edit.mode().word() + " on a real image, " + from.settings().describe()), folder.resolve("compare.png"));
        });
        out.printf("%s: reconstruction PSNR %.2f dB; inverted and edited in %.1f s%s%n", from.settings().describe(), Psnr.of(x, reconstruction),
                (System.nanoTime() - start) / 1e9,
                comparison.changedWord() == null ? "" : "; compare.png shows the cross-attention of '" + comparison.changedWord() + "'");
        out.printf("wrote source.png, reconstruction.png, edited.png and compare.png to %s%n", dir);
        return 0;
    }

    /** "circle=0.4,red=0.2" -> {circle: 0.4, red: 0.2}; empty text, no pairs. */
    private static Map<String, Double> pairs(String option, String text) {
        Map<String, Double> pairs = new LinkedHashMap<>();
        for (String pair : text.isBlank() ? new String[0] : text.trim().split("\\s*,\\s*")) {
            String[] parts = pair.split("=");
            if (parts.length != 2 || parts[0].isBlank()) {
                throw new InvalidInputException("--" + option + " takes WORD=NUMBER pairs separated by commas, e.g. circle=0.4; got '" + InvalidInputException.shorten(pair) + "'");
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
