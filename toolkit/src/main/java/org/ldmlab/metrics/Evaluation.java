package org.ldmlab.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.HeldOut;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.data.Renderer;
import org.ldmlab.data.Scene;
import org.ldmlab.data.ShapesDataset;
import org.ldmlab.data.Split;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Scores images generated from the captions of a fixed real set (image i from the caption of real sample i)
 * the way the seeds' tables do, with the attribute classifier in place of Inception: prompt adherence, FID and
 * precision/recall of the generated features against the real ones, the IS-like score, and diversity. So the
 * real set has exactly the captions asked for; its features are computed once.
 */
public final class Evaluation {
    private final AttributeClassifier classifier;
    private final List<Scene> scenes;
    private final INDArray realFeatures; // [N, 128]

    public Evaluation(AttributeClassifier classifier, List<RenderedSample> real) {
        this.classifier = classifier;
        this.scenes = real.stream().map(RenderedSample::scene).toList();
        this.realFeatures = classifier.features(ImageTensors.toTensorOf(real));
    }

    /**
     * The captions to sample and their real images: every single-object caption n times (rendered, a fixed random
     * stream), then the first {@code pairs} two-object samples of the test split (dataset seed + 1).
     */
    public static List<RenderedSample> realSet(int n, int pairs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<RenderedSample> real = new ArrayList<>();
        for (boolean heldOut : new boolean[] {false, true}) {
            for (int k = 0; k < n; k++) {
                HeldOut.singleObjects(heldOut).forEach(o -> real.add(Renderer.render(Scene.single(o), random)));
            }
        }
        ShapesDataset test = new ShapesDataset(seed + 1, Split.TEST);
        IntStream.iterate(0, i -> i + 1).mapToObj(test::sample).filter(s -> s.scene().objects().size() == 2).limit(pairs)
                .forEach(real::add);
        return real;
    }

    /** The captions to generate from, in order. */
    public List<String> captions() {
        return scenes.stream().map(Scene::caption).toList();
    }

    /**
     * One set's numbers. Diversity: the per-pixel standard deviation across the images of one caption, averaged
     * over the captions asked for more than once (NaN if none is).
     */
    public record Result(List<Scene> scenes, List<List<ObjectLabel>> read, double fid, PrecisionRecall precisionRecall,
            double inceptionScore, double diversity) {
        /** Adherence over the images whose scene passes {@code which}. */
        public Adherence adherence(Predicate<Scene> which) {
            Adherence tally = new Adherence();
            for (int i = 0; i < scenes.size(); i++) {
                if (which.test(scenes.get(i))) {
                    tally.add(scenes.get(i), read.get(i));
                }
            }
            return tally;
        }
    }

    /** Scores {@code generated} [N, 3, 32, 32] in [-1, 1], image i generated from caption i. */
    public Result score(INDArray generated) {
        if (generated.rank() != 4 || generated.size(0) != scenes.size()) {
            throw new InvalidInputException("the evaluation needs one image per caption, [" + scenes.size()
                    + ", 3, 32, 32]; got " + java.util.Arrays.toString(generated.shape()));
        }
        AttributeClassifier.Reading reading = classifier.read(generated);
        return new Result(scenes, reading.objects(), FrechetDistance.between(reading.features(), realFeatures),
                PrecisionRecall.of(realFeatures, reading.features(), PrecisionRecall.K), InceptionScore.of(reading.firstObject()),
                diversity(generated));
    }

    /** Mean over captions with 2+ images of the per-pixel standard deviation across those images. */
    private double diversity(INDArray generated) {
        Map<String, List<INDArray>> byCaption = new LinkedHashMap<>();
        for (int i = 0; i < scenes.size(); i++) {
            byCaption.computeIfAbsent(scenes.get(i).caption(), c -> new ArrayList<>()).add(generated.get(NDArrayIndex.point(i)));
        }
        double sum = 0;
        int count = 0;
        for (List<INDArray> images : byCaption.values()) {
            if (images.size() >= 2) {
                sum += Nd4j.stack(0, images.toArray(INDArray[]::new)).std(0).meanNumber().doubleValue(); // std over [k, 3, 32, 32]
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }
}
