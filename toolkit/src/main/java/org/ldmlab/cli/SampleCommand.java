package org.ldmlab.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.CaptionGrammar;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Png;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.sampling.SamplerKind;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.viz.ImageGrid;

/** {@code ldmlab sample}: images from a caption with the shipped (or a given) text-to-image model. */
final class SampleCommand implements Command {
    @Override
    public String name() {
        return "sample";
    }

    @Override
    public String summary() {
        return "generate images from a caption (DDIM/DDPM, classifier-free guidance)";
    }

    @Override
    public String usage() {
        return """
                ldmlab sample --prompt TEXT --out DIR [--model PATH] [--n 8] [--steps 50] [--sampler ddim|ddpm] [--eta 0] [--guidance 3] [--seed 1]
                  writes DIR/0.png .. DIR/<n-1>.png (32x32) and DIR/grid.png
                  --model     a text-to-image checkpoint, UNet or DiT (default: the shipped UNet; `--model dit`: the shipped DiT)
                  --steps     denoising steps, 1..T (T = 1000)
                  --eta       DDIM noise, 0..1: 0 deterministic, 1 like DDPM
                  --guidance  classifier-free guidance scale s (1 = none)""";
    }

    /**
     * The model was trained only on the dataset's caption forms; another wording is allowed (it is what a text
     * model is for) but said, since the images may then ignore words.
     */
    private static void warnOutsideTheGrammar(String prompt, PrintStream out) {
        if (!prompt.isBlank()) {
            try {
                CaptionGrammar.parse(prompt);
            } catch (InvalidInputException e) {
                out.println("note: the model was trained only on the dataset's captions, and this prompt is not one ("
                        + e.getMessage() + "); sampling anyway");
            }
        }
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        String prompt = args.required("prompt", "the caption, e.g. \"a big red circle on the left\"");
        Path dir = Path.of(args.required("out", "the folder for the images"));
        String model = args.string("model", null);
        int n = args.integer("n", 8);
        SamplerSettings settings = new SamplerSettings(SamplerKind.parse(args.string("sampler", "ddim")), args.integer("steps", 50),
                args.number("eta", 0), args.number("guidance", 3));
        long seed = args.longValue("seed", 1);
        args.requireAllUsed();
        if (n < 1 || n > 256) {
            throw new InvalidInputException("--n must be between 1 and 256; got " + n);
        }
        AtomicFiles.checkNewFolder(dir); // a bad --out fails now, not after the sampling
        TextToImage t2i = TextToImage.of(Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM));
        t2i.check(List.of(prompt), settings); // an unknown word, steps > T or eta outside 0..1 fail before any work
        warnOutsideTheGrammar(prompt, out);
        List<BufferedImage> pictures;
        try (ProgressBar bar = new ProgressBar("sample", settings.steps(), System.err)) {
            pictures = ImageTensors.pictures(t2i.sample(prompt, n, settings, seed, (i, t, x, x0) -> bar.step("t=" + t)));
        }
        AtomicFiles.writeFolder(dir, folder -> {
            for (int i = 0; i < pictures.size(); i++) {
                Png.write(pictures.get(i), folder.resolve(i + ".png"));
            }
            Png.write(new ImageGrid(pictures, Math.min(8, n)).scale(4)
                    .title(prompt + "  (" + settings.sampler() + ", " + settings.steps() + " steps, s = "
                            + settings.guidance() + ", seed " + seed + ")").render(), folder.resolve("grid.png"));
        });
        out.printf("wrote %d images and grid.png to %s%n", n, dir);
        return 0;
    }
}
