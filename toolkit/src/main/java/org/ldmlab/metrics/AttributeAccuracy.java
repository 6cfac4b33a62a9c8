package org.ldmlab.metrics;

import java.util.List;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.RenderedSample;
import org.ldmlab.metrics.Adherence.Measure;

/**
 * How often the {@link AttributeClassifier} reads rendered images right: the object count per image, and each
 * attribute per object (an object counts as wrong when the classifier sees no object in its slot). The same
 * count as {@link Adherence}, with the rendered scene in place of a caption.
 */
public record AttributeAccuracy(double count, double shape, double colour, double size, double position) {
    private static final int CHUNK = 100;

    public static AttributeAccuracy measure(AttributeClassifier classifier, List<RenderedSample> samples) {
        Adherence tally = new Adherence();
        for (int start = 0; start < samples.size(); start += CHUNK) {
            List<RenderedSample> chunk = samples.subList(start, Math.min(samples.size(), start + CHUNK));
            List<List<ObjectLabel>> predicted = classifier.predict(
                    ImageTensors.toTensorOf(chunk));
            for (int i = 0; i < chunk.size(); i++) {
                tally.add(chunk.get(i).scene(), predicted.get(i));
            }
        }
        return new AttributeAccuracy(tally.of(Measure.COUNT).value(), tally.of(Measure.SHAPE).value(),
                tally.of(Measure.COLOUR).value(), tally.of(Measure.SIZE).value(), tally.of(Measure.POSITION).value());
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
}
