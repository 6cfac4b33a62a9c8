package org.ldmlab.data;

import java.util.ArrayList;
import java.util.List;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Relation;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;

/** Every scene the caption grammar can express, for tests that must hold for every caption. */
public final class AllScenes {
    private AllScenes() {}

    public static List<Scene> list() {
        List<Scene> scenes = new ArrayList<>();
        for (Position position : Position.values()) {
            for (ObjectLabel object : allObjectsAt(position)) {
                scenes.add(Scene.single(object));
            }
        }
        for (Relation relation : Relation.values()) {
            for (ObjectLabel first : allObjectsAt(relation.first())) {
                for (ObjectLabel second : allObjectsAt(relation.second())) {
                    if (!first.colouredShape().equals(second.colouredShape())) {
                        scenes.add(Scene.pair(first, relation, second));
                    }
                }
            }
        }
        return scenes;
    }

    private static List<ObjectLabel> allObjectsAt(Position position) {
        List<ObjectLabel> objects = new ArrayList<>();
        for (Shape shape : Shape.values()) {
            for (Colour colour : Colour.values()) {
                for (Size size : Size.values()) {
                    objects.add(new ObjectLabel(shape, colour, size, position));
                }
            }
        }
        return objects;
    }
}
