package org.ldmlab.data;

import java.util.List;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.Attributes.Relation;

/**
 * What an image shows: one object, or two objects and the relation between them ("the first is above
 * the second"). In a pair the relation fixes both positions, so the labels can never contradict the
 * caption; the constructor checks it.
 */
public record Scene(List<ObjectLabel> objects, Relation relation) {
    public Scene {
        objects = List.copyOf(objects);
        if (objects.isEmpty() || objects.size() > 2) {
            throw new InvalidInputException("a scene has one or two objects, got " + objects.size());
        }
        if (objects.size() == 1 && relation != null) {
            throw new InvalidInputException("a scene with one object has no relation, got " + relation.label());
        }
        if (objects.size() == 2) {
            checkPair(objects.get(0), relation, objects.get(1));
        }
    }

    public static Scene single(ObjectLabel object) {
        return new Scene(List.of(object), null);
    }

    public static Scene pair(ObjectLabel first, Relation relation, ObjectLabel second) {
        return new Scene(List.of(first, second), relation);
    }

    /** The caption this scene is rendered with, e.g. "a small red circle above a big blue square". */
    public String caption() {
        return CaptionGrammar.caption(this);
    }

    private static void checkPair(ObjectLabel first, Relation relation, ObjectLabel second) {
        if (relation == null) {
            throw new InvalidInputException("a scene with two objects needs a relation between them");
        }
        if (first.position() != relation.first() || second.position() != relation.second()) {
            throw new InvalidInputException("objects related by '" + relation.words() + "' sit at "
                    + relation.first().label() + " and " + relation.second().label() + ", got "
                    + first.position().label() + " and " + second.position().label());
        }
        // Two identical-looking objects would make "the red circle" ambiguous when attention maps are scored.
        if (first.colouredShape().equals(second.colouredShape())) {
            throw new InvalidInputException("the two objects of a scene must differ in colour or shape, got two "
                    + first.colouredShape() + "s");
        }
    }
}
