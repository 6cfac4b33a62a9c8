package org.ldmlab.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.ldmlab.data.HeldOut;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Scene;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.data.Split;
import org.ldmlab.io.ProgressBar;
import org.ldmlab.ldm.Models;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.metrics.AttributeClassifier;
import org.ldmlab.metrics.Proportion;
import org.ldmlab.metrics.Psnr;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code ldmlab eval}: a text-to-image model's numbers: the PSNR of its autoencoder, and prompt adherence read
 * by the attribute classifier: for every single-object caption (trained and held-out colour-shape pairs apart)
 * and for two-object captions of the test split, each object compared in the classifier's canonical slot order.
 */
final class EvalCommand implements Command {
    private static final int CHUNK = 25;
    private static final String[] ATTRIBUTES = {"shape", "colour", "size", "position"};

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "print a model's numbers: autoencoder PSNR, prompt adherence per attribute (classifier-read), speed";
    }

    @Override
    public String usage() {
        return """
                ldmlab eval [--model PATH] [--classifier PATH] [--guidance 3] [--steps 50] [--n 1] [--pairs 100] [--seed 0]
                  samples every single-object caption n times and --pairs two-object test captions once; the attribute
                  classifier reads count, shape, colour, size and position of each object""";
    }

    @Override
    public int run(Args args, PrintStream out) {
        String model = args.string("model", null);
        String classifierPath = args.string("classifier", null);
        SamplerSettings settings = new SamplerSettings("ddim", args.integer("steps", 50), 0, args.number("guidance", 3));
        int n = args.integer("n", 1);
        int pairs = args.integer("pairs", 100);
        long seed = args.longValue("seed", 0);
        args.requireAllUsed();
        Models.Pipeline pipeline = Models.loadPipeline(Models.resolve(model, Models.LDM), Models.LDM);
        AttributeClassifier classifier = Models.loadClassifier(Models.resolve(classifierPath, Models.CLASSIFIER));
        out.printf("model: %s, step %d, %.0f s trained%n", pipeline.checkpoint(), pipeline.checkpoint().step(),
                pipeline.checkpoint().secondsTrained());
        out.printf("autoencoder PSNR (%d test images): %.2f dB%n", Psnr.TEST_IMAGES, Psnr.ofAutoencoder(pipeline.latents().autoencoder(), 0));
        TextToImage t2i = TextToImage.of(pipeline);
        for (boolean heldOut : new boolean[] {false, true}) {
            List<Scene> scenes = new ArrayList<>();
            HeldOut.singleObjects(heldOut).forEach(o -> scenes.add(Scene.single(o)));
            report(out, (heldOut ? "held-out" : "trained") + " single-object captions", repeat(scenes, n), t2i, classifier, settings, seed);
        }
        ShapesDataset test = new ShapesDataset(seed + 1, Split.TEST);
        List<Scene> twoObjects = IntStream.range(0, 20 * pairs).mapToObj(i -> test.sample(i).scene())
                .filter(s -> s.objects().size() == 2).limit(pairs).toList();
        report(out, "two-object test captions", twoObjects, t2i, classifier, settings, seed);
        return 0;
    }

    /** Samples one image per scene's caption, reads it with the classifier and prints the shares right. */
    private static void report(PrintStream out, String what, List<Scene> scenes, TextToImage t2i, AttributeClassifier classifier,
            SamplerSettings settings, long seed) {
        int[] right = new int[ATTRIBUTES.length + 2]; // per attribute (over objects), count, whole scene
        int objects = 0;
        long start = System.nanoTime();
        try (ProgressBar bar = new ProgressBar("eval", (scenes.size() + CHUNK - 1) / CHUNK, System.err)) {
            for (int from = 0; from < scenes.size(); from += CHUNK) {
                List<Scene> chunk = scenes.subList(from, Math.min(from + CHUNK, scenes.size()));
                INDArray images = t2i.sample(chunk.stream().map(Scene::caption).toList(), settings, seed + from, StepCallback.NONE);
                List<List<ObjectLabel>> read = classifier.predict(images);
                for (int i = 0; i < chunk.size(); i++) {
                    objects += score(AttributeClassifier.canonicalSlots(chunk.get(i)), read.get(i), right);
                }
                bar.step();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("%s: %d images, guidance %.1f, %d DDIM steps (%.2f images/s)%n", what, scenes.size(),
                settings.guidance(), settings.steps(), scenes.size() / seconds);
        for (int a = 0; a < ATTRIBUTES.length; a++) {
            out.printf("  %-9s %s%n", ATTRIBUTES[a], new Proportion(right[a], objects));
        }
        out.printf("  %-9s %s%n  %-9s %s%n", "count", new Proportion(right[4], scenes.size()), "all right",
                new Proportion(right[5], scenes.size()));
    }

    /** Adds this image's hits to {@code right}; returns how many objects the caption has. */
    private static int score(List<ObjectLabel> expected, List<ObjectLabel> read, int[] right) {
        boolean all = expected.size() == read.size();
        right[4] += all ? 1 : 0;
        for (int k = 0; k < expected.size(); k++) {
            ObjectLabel e = expected.get(k);
            ObjectLabel r = k < read.size() ? read.get(k) : null;
            boolean[] hits = {r != null && e.shape() == r.shape(), r != null && e.colour() == r.colour(),
                r != null && e.size() == r.size(), r != null && e.position() == r.position()};
            for (int a = 0; a < hits.length; a++) {
                right[a] += hits[a] ? 1 : 0;
                all &= hits[a];
            }
        }
        right[5] += all ? 1 : 0;
        return expected.size();
    }

    private static List<Scene> repeat(List<Scene> scenes, int n) {
        List<Scene> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.addAll(scenes);
        }
        return out;
    }
}
