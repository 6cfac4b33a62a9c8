package org.ldmlab.metrics;

import java.util.List;
import java.util.function.Function;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.RenderedSample;

/**
 * How often the {@link AttributeClassifier} reads rendered images right: the object count per image, and each
 * attribute per object (an object counts as wrong when the classifier sees no object in its slot).
 */
public record AttributeAccuracy(double count, double shape, double colour, double size, double position) {
    private static final int CHUNK = 100;

    public static AttributeAccuracy measure(AttributeClassifier classifier, List<RenderedSample> samples) {
        int images = samples.size();
        int objects = 0;
        int[] right = new int[5]; // count, shape, colour, size, position
        for (int start = 0; start < images; start += CHUNK) {
            List<RenderedSample> chunk = samples.subList(start, Math.min(images, start + CHUNK));
            List<List<ObjectLabel>> predicted = classifier.predict(
                    ImageTensors.toTensor(chunk.stream().map(RenderedSample::image).toList()));
            for (int i = 0; i < chunk.size(); i++) {
                List<ObjectLabel> truth = AttributeClassifier.canonicalSlots(chunk.get(i).scene());
                List<ObjectLabel> guess = predicted.get(i);
                right[0] += truth.size() == guess.size() ? 1 : 0;
                for (int slot = 0; slot < truth.size(); slot++) {
                    ObjectLabel seen = slot < guess.size() ? guess.get(slot) : null;
                    right[1] += same(truth.get(slot), seen, ObjectLabel::shape);
                    right[2] += same(truth.get(slot), seen, ObjectLabel::colour);
                    right[3] += same(truth.get(slot), seen, ObjectLabel::size);
                    right[4] += same(truth.get(slot), seen, ObjectLabel::position);
                }
                objects += truth.size();
            }
        }
        return new AttributeAccuracy((double) right[0] / images, (double) right[1] / objects,
                (double) right[2] / objects, (double) right[3] / objects, (double) right[4] / objects);
    }

    /** The lowest of the five accuracies. */
    public double worst() {
        return Math.min(count, Math.min(Math.min(shape, colour), Math.min(size, position)));
    }

    /** E.g. "count 100.0% shape 99.8% colour 100.0% size 99.9% position 100.0%". */
    public String summary() {
        return String.format("count %.1f%% shape %.1f%% colour %.1f%% size %.1f%% position %.1f%%",
                100 * count, 100 * shape, 100 * colour, 100 * size, 100 * position);
    }

    private static int same(ObjectLabel truth, ObjectLabel seen, Function<ObjectLabel, Object> attribute) {
        return seen != null && attribute.apply(truth).equals(attribute.apply(seen)) ? 1 : 0;
    }
}
