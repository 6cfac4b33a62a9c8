package org.ldmlab.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.ldmlab.data.Attributes.Attribute;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.nn.Init;
import org.ldmlab.nn.Linear;
import org.ldmlab.nn.Module;
import org.ldmlab.nn.Ops;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The four linear read-outs of one object slot of the {@link AttributeClassifier}: shape (3 classes),
 * colour (4), size (2) and position (5), each from the same features [B, F].
 */
final class AttributeHeads extends Module {
    private final Linear shape;
    private final Linear colour;
    private final Linear size;
    private final Linear position;

    AttributeHeads(long features, Init init) {
        shape = child("shape", new Linear(features, Shape.values().length, true, init));
        colour = child("colour", new Linear(features, Colour.values().length, true, init));
        size = child("size", new Linear(features, Size.values().length, true, init));
        position = child("position", new Linear(features, Position.values().length, true, init));
    }

    /**
     * The sum of the four softmax cross-entropies against {@code objects} (one per image); an image whose
     * entry is null has no object in this slot and adds nothing.
     */
    Var loss(Var features, List<ObjectLabel> objects) {
        Var total = Ops.softmaxCrossEntropy(shape.forward(features), oneHot(objects, ObjectLabel::shape, Shape.values().length));
        total = Ops.add(total, Ops.softmaxCrossEntropy(colour.forward(features), oneHot(objects, ObjectLabel::colour, Colour.values().length)));
        total = Ops.add(total, Ops.softmaxCrossEntropy(size.forward(features), oneHot(objects, ObjectLabel::size, Size.values().length)));
        return Ops.add(total, Ops.softmaxCrossEntropy(position.forward(features), oneHot(objects, ObjectLabel::position, Position.values().length)));
    }

    /** The most likely label of each image: the arg-max of every head. */
    List<ObjectLabel> read(Var features) {
        int[] shapes = argMax(shape.forward(features));
        int[] colours = argMax(colour.forward(features));
        int[] sizes = argMax(size.forward(features));
        int[] positions = argMax(position.forward(features));
        List<ObjectLabel> labels = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            labels.add(new ObjectLabel(Shape.values()[shapes[i]], Colour.values()[colours[i]],
                    Size.values()[sizes[i]], Position.values()[positions[i]]));
        }
        return labels;
    }

    /** The softmax of each head, [B, K] each: shape, colour, size, position. */
    List<INDArray> probabilities(Var features) {
        return java.util.stream.Stream.of(shape, colour, size, position).map(head -> Ops.softmax(head.forward(features)).value()).toList();
    }

    /** [B, classes]: row i is the one-hot code of attribute(objects[i]), or all zeros when objects[i] is null. */
    private static INDArray oneHot(List<ObjectLabel> objects, Function<ObjectLabel, Attribute> attribute, int classes) {
        float[][] rows = new float[objects.size()][classes];
        for (int i = 0; i < rows.length; i++) {
            ObjectLabel object = objects.get(i);
            if (object != null) {
                rows[i][((Enum<?>) attribute.apply(object)).ordinal()] = 1;
            }
        }
        return Nd4j.create(rows);
    }

    /** The class index with the largest logit in each row of [B, K]. */
    static int[] argMax(Var logits) {
        return logits.value().argMax(1).toIntVector();
    }
}
