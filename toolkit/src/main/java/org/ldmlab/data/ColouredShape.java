package org.ldmlab.data;

import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Shape;

/**
 * What an object is, ignoring where and how big: the unit the held-out rule works on ("no yellow
 * triangles in training") and the thing two objects in one scene must not share.
 */
public record ColouredShape(Colour colour, Shape shape) {
    @Override
    public String toString() {
        return colour.words() + " " + shape.words();
    }
}
