package org.ldmlab.cli;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.ldmlab.data.HeldOut;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Scene;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.metrics.PixelAttributes;
import org.ldmlab.metrics.Proportion;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;

/**
 * {@code ldmlab eval}: the numbers of a text-to-image model that can be measured so far: the PSNR of its
 * autoencoder, and prompt adherence for colour, size and position on every single-object caption, read from
 * the pixels ({@link PixelAttributes}), separately for trained and held-out colour-shape combinations.
 */
final class EvalCommand implements Command {
    private static final int CHUNK = 25;

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "print a model's numbers: autoencoder PSNR, prompt adherence (colour, size, position), speed";
    }

    @Override
    public String usage() {
        return """
                ldmlab eval [--model PATH] [--guidance 3] [--steps 50] [--n 1] [--seed 0]
                  samples every single-object caption n times and reads colour, size and position from the pixels;
                  shape and two-object captions are not scored yet (they will be, with the AttributeClassifier)""";
    }

    @Override
    public int run(Args args, PrintStream out) {
        String model = args.string("model", null);
        SamplerSettings settings = new SamplerSettings("ddim", args.integer("steps", 50), 0, args.number("guidance", 3));
        int n = args.integer("n", 1);
        long seed = args.longValue("seed", 0);
        args.requireAllUsed();
        Models.Pipeline pipeline = Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM);
        out.printf("model: %s, step %d, %.0f s trained%n", pipeline.checkpoint(), pipeline.checkpoint().step(),
                pipeline.checkpoint().secondsTrained());
        out.printf("autoencoder PSNR (256 test images): %.2f dB%n", TrainCommand.testPsnr(pipeline.latents().autoencoder(), 0));
        TextToImage t2i = TextToImage.of(pipeline);
        for (boolean heldOut : new boolean[] {false, true}) {
            List<ObjectLabel> objects = HeldOut.singleObjects(heldOut);
            long start = System.nanoTime();
            int[] right = new int[4]; // colour, size, position, all three
            try (ProgressBar bar = new ProgressBar(heldOut ? "eval held-out" : "eval", (objects.size() * n + CHUNK - 1) / CHUNK, System.err)) {
                for (int from = 0; from < objects.size() * n; from += CHUNK) {
                    List<ObjectLabel> chunk = new ArrayList<>();
                    for (int i = from; i < Math.min(from + CHUNK, objects.size() * n); i++) {
                        chunk.add(objects.get(i % objects.size()));
                    }
                    List<String> prompts = chunk.stream().map(o -> Scene.single(o).caption()).toList();
                    List<BufferedImage> images = TextToImage.pictures(t2i.sample(prompts, settings, seed + from, StepCallback.NONE));
                    for (int i = 0; i < chunk.size(); i++) {
                        score(chunk.get(i), PixelAttributes.read(images.get(i), chunk.get(i)), right);
                    }
                    bar.step();
                }
            }
            int total = objects.size() * n;
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf("%s single-object captions, %d images, guidance %.1f, %d DDIM steps (%.2f images/s):%n",
                    heldOut ? "held-out" : "trained", total, settings.guidance(), settings.steps(), total / seconds);
            out.printf("  colour    %s%n  size      %s%n  position  %s%n  all three %s%n", new Proportion(right[0], total),
                    new Proportion(right[1], total), new Proportion(right[2], total), new Proportion(right[3], total));
        }
        return 0;
    }

    private static void score(ObjectLabel expected, PixelAttributes.Reading read, int[] right) {
        boolean colour = expected.colour() == read.colour();
        boolean size = expected.size() == read.size();
        boolean position = expected.position() == read.position();
        right[0] += colour ? 1 : 0;
        right[1] += size ? 1 : 0;
        right[2] += position ? 1 : 0;
        right[3] += colour && size && position ? 1 : 0;
    }
}
