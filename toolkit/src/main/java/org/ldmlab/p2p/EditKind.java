package org.ldmlab.p2p;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Scene;

/**
 * The word swaps an edit benchmark asks of Prompt-to-Prompt (Hertz et al. 2022, section 4, "word swap"), each changing
 * one attribute of one object: colour, shape or size of a single object; one object of a pair (its colour, shape or
 * size) while the other stays; and the position of a single object, which injected maps pin (the layout is what they
 * carry), so that one measures where the method cannot go.
 */
public enum EditKind {
    COLOUR(1), SHAPE(1), SIZE(1), PAIR(2), POSITION(1);

    private final int objects;

    EditKind(int objects) {
        this.objects = objects;
    }

    /** How many objects this kind's scenes show. */
    public int objects() {
        return objects;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What a table calls it. */
    public String label() {
        return switch (this) {
            case COLOUR -> "colour swap";
            case SHAPE -> "shape swap";
            case SIZE -> "size swap";
            case PAIR -> "one of a pair";
            case POSITION -> "position swap";
        };
    }

    /**
     * The edit of {@code scene} (with {@link #objects()} objects of distinct colours): object {@code object} with one
     * attribute changed to another value, drawn from {@code random}. A new colour differs from every colour of the
     * scene, so each object can still be found by its colour.
     */
    EditPair apply(Scene scene, SplittableRandom random) {
        int object = random.nextInt(scene.objects().size());
        ObjectLabel o = scene.objects().get(object);
        EditKind attribute = this == PAIR ? List.of(COLOUR, SHAPE, SIZE).get(random.nextInt(3)) : this;
        ObjectLabel edited = switch (attribute) {
            case COLOUR -> new ObjectLabel(o.shape(), other(Colour.values(), scene.objects().stream().map(ObjectLabel::colour).toList(), random),
                    o.size(), o.position());
            case SHAPE -> new ObjectLabel(other(Shape.values(), List.of(o.shape()), random), o.colour(), o.size(), o.position());
            case SIZE -> new ObjectLabel(o.shape(), o.colour(), other(Size.values(), List.of(o.size()), random), o.position());
            case POSITION -> new ObjectLabel(o.shape(), o.colour(), o.size(), other(Position.values(), List.of(o.position()), random));
            case PAIR -> throw new AssertionError("a pair edits one of its objects' colour, shape or size");
        };
        List<ObjectLabel> objects = new ArrayList<>(scene.objects());
        objects.set(object, edited);
        return new EditPair(this, scene, new Scene(objects, scene.relation()), object);
    }

    /** A value of {@code values} not among {@code taken}, uniformly. */
    private static <T> T other(T[] values, List<T> taken, SplittableRandom random) {
        List<T> free = new ArrayList<>(List.of(values));
        free.removeAll(taken);
        return free.get(random.nextInt(free.size()));
    }
}
