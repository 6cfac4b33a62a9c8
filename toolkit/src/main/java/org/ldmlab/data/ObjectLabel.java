package org.ldmlab.data;

import java.util.Objects;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;

/** The ground-truth attributes of one object in a scene: what a classifier should read off its pixels. */
public record ObjectLabel(Shape shape, Colour colour, Size size, Position position) {
    public ObjectLabel {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(position, "position");
    }

    public ColouredShape colouredShape() {
        return new ColouredShape(colour, shape);
    }
}
