package org.ldmlab.metrics;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Scene;

/**
 * Prompt adherence: how often the {@link AttributeClassifier} reads in an image what its caption asked for.
 * Each attribute is counted per object, the caption's objects and the classifier's compared slot by slot in
 * canonical order (an object the classifier does not see is wrong on every attribute); the object count and
 * "all right" (the count and every attribute of every object) are counted per image.
 */
public final class Adherence {
    /** What is counted. */
    public enum Measure {
        SHAPE(ObjectLabel::shape), COLOUR(ObjectLabel::colour), SIZE(ObjectLabel::size), POSITION(ObjectLabel::position),
        COUNT(null), ALL_RIGHT(null);

        private final Function<ObjectLabel, Object> attribute;

        Measure(Function<ObjectLabel, Object> attribute) {
            this.attribute = attribute;
        }

        /** E.g. "colour", "all_right". */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final List<Measure> PER_OBJECT = List.of(Measure.SHAPE, Measure.COLOUR, Measure.SIZE, Measure.POSITION);

    private final Map<Measure, Integer> right = new EnumMap<>(Measure.class);
    private int objects;
    private int images;

    /** Adds one image: the scene its caption describes and the objects the classifier read in it. */
    public void add(Scene asked, List<ObjectLabel> read) {
        List<ObjectLabel> expected = AttributeClassifier.canonicalSlots(asked);
        boolean all = expected.size() == read.size();
        count(Measure.COUNT, all);
        for (int slot = 0; slot < expected.size(); slot++) {
            ObjectLabel seen = slot < read.size() ? read.get(slot) : null;
            for (Measure m : PER_OBJECT) {
                boolean hit = seen != null && m.attribute.apply(expected.get(slot)).equals(m.attribute.apply(seen));
                count(m, hit);
                all &= hit;
            }
        }
        count(Measure.ALL_RIGHT, all);
        objects += expected.size();
        images++;
    }

    /** The share right: per object for the four attributes, per image for the count and "all right". */
    public Proportion of(Measure m) {
        return new Proportion(right.getOrDefault(m, 0), m.attribute == null ? images : objects);
    }

    public int images() {
        return images;
    }

    private void count(Measure m, boolean hit) {
        right.merge(m, hit ? 1 : 0, Integer::sum);
    }
}
