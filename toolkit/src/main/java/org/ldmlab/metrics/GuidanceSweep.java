package org.ldmlab.metrics;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.ldmlab.data.HeldOut;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Scene;
import org.ldmlab.ldm.TextToImage;
import org.ldmlab.sampling.SamplerSettings;
import org.ldmlab.sampling.StepCallback;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Classifier-free guidance trades diversity for adherence (Ho and Salimans 2022, Fig. 1): at one guidance scale,
 * sample single-object captions (cycling through every trained colour-shape combination, each in every size and
 * position) and measure how often the picture shows the caption's colour, size and position, and how much the
 * samples of one caption differ from each other.
 */
public final class GuidanceSweep {
    private static final int CHUNK = 32;

    /** One scale's measurements. Diversity: the per-pixel standard deviation across samples of a caption, averaged. */
    public record Result(double scale, int samples, Proportion adherence, double diversity, double seconds) {}

    private final TextToImage model;
    private final int steps;

    public GuidanceSweep(TextToImage model, int steps) {
        this.model = model;
        this.steps = steps;
    }

    /** n samples at guidance {@code scale}: sample i shows caption i mod (number of captions). */
    public Result run(double scale, int n, long seed, Runnable afterChunk) {
        List<ObjectLabel> objects = HeldOut.singleObjects(false);
        SamplerSettings settings = new SamplerSettings("ddim", steps, 0, scale);
        long start = System.nanoTime();
        int right = 0;
        List<List<INDArray>> perCaption = new ArrayList<>();
        objects.forEach(o -> perCaption.add(new ArrayList<>()));
        for (int from = 0; from < n; from += CHUNK) {
            List<ObjectLabel> chunk = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + CHUNK); i++) {
                chunk.add(objects.get(i % objects.size()));
            }
            INDArray images = model.sample(chunk.stream().map(o -> Scene.single(o).caption()).toList(), settings,
                    seed + from, StepCallback.NONE); // [b, 3, 32, 32]
            List<BufferedImage> pictures = TextToImage.pictures(images);
            for (int i = 0; i < chunk.size(); i++) {
                PixelAttributes.Reading r = PixelAttributes.read(pictures.get(i), chunk.get(i));
                right += r.equals(new PixelAttributes.Reading(chunk.get(i).colour(), chunk.get(i).size(), chunk.get(i).position())) ? 1 : 0;
                perCaption.get((from + i) % objects.size()).add(images.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)));
            }
            afterChunk.run();
        }
        return new Result(scale, n, new Proportion(right, n), diversity(perCaption), (System.nanoTime() - start) / 1e9);
    }

    /** Mean over captions with 2+ samples of the per-pixel standard deviation across those samples. */
    static double diversity(List<List<INDArray>> perCaption) {
        double sum = 0;
        int count = 0;
        for (List<INDArray> samples : perCaption) {
            if (samples.size() >= 2) {
                INDArray stack = Nd4j.stack(0, samples.toArray(INDArray[]::new)); // [k, 3, 32, 32]
                sum += stack.std(0).meanNumber().doubleValue();
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
