package org.ldmlab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Relation;
import org.ldmlab.data.Attributes.Size;

/**
 * Draws random scenes: about 60% single objects, 40% related pairs, every attribute uniform among the
 * values the split allows. All randomness comes from the caller's stream, so a scene is a pure function
 * of that stream's state.
 */
public final class SceneSampler {
    /** The share of scenes with one object; the rest show two. */
    public static final double SINGLE_OBJECT_SHARE = 0.6;

    private SceneSampler() {}

    public static Scene draw(Split split, SplittableRandom random) {
        List<ColouredShape> allowed = new ArrayList<>(HeldOut.allowedIn(split));
        ColouredShape first = pick(allowed, random);
        if (random.nextDouble() < SINGLE_OBJECT_SHARE) {
            return Scene.single(label(first, pick(List.of(Position.values()), random), random));
        }
        Relation relation = pick(List.of(Relation.values()), random);
        allowed.remove(first); // two objects in one scene never look alike
        ColouredShape second = pick(allowed, random);
        return Scene.pair(label(first, relation.first(), random), relation, label(second, relation.second(), random));
    }

    private static ObjectLabel label(ColouredShape look, Position position, SplittableRandom random) {
        Size size = pick(List.of(Size.values()), random);
        return new ObjectLabel(look.shape(), look.colour(), size, position);
    }

    private static <T> T pick(List<T> choices, SplittableRandom random) {
        return choices.get(random.nextInt(choices.size()));
    }
}
