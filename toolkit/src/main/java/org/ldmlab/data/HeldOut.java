package org.ldmlab.data;

import java.util.ArrayList;
import java.util.List;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Shape;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The colour-shape combinations kept out of train and val. Each colour and each shape still appears in
 * training (yellow squares, red triangles, ...); only these pairings are new at test time. This list is
 * the single source: every written dataset carries it as {@code heldout.csv}, and so does the repository
 * ({@code datasets/heldout.csv}, checked against this list by a test).
 */
public final class HeldOut {
    public static final List<ColouredShape> COMBINATIONS = List.of(
            new ColouredShape(Colour.YELLOW, Shape.TRIANGLE),
            new ColouredShape(Colour.GREEN, Shape.CIRCLE));

    private HeldOut() {}

    /** Whether any object of the scene is a held-out combination. */
    public static boolean appearsIn(Scene scene) {
        return scene.objects().stream().anyMatch(o -> COMBINATIONS.contains(o.colouredShape()));
    }

    /** Every colour-shape combination a split may draw objects from. */
    public static List<ColouredShape> allowedIn(Split split) {
        List<ColouredShape> allowed = new ArrayList<>();
        for (Colour colour : Colour.values()) {
            for (Shape shape : Shape.values()) {
                ColouredShape candidate = new ColouredShape(colour, shape);
                if (split.showsHeldOut() || !COMBINATIONS.contains(candidate)) {
                    allowed.add(candidate);
                }
            }
        }
        return allowed;
    }

    /** The list as a table with columns colour and shape, one row per held-out combination. */
    public static Table table() {
        StringColumn colour = StringColumn.create("colour");
        StringColumn shape = StringColumn.create("shape");
        for (ColouredShape combination : COMBINATIONS) {
            colour.append(combination.colour().label());
            shape.append(combination.shape().label());
        }
        return Table.create("heldout", colour, shape);
    }

    /** Every single object of the vocabulary (shape, colour, size, position) whose colour-shape pair is, or is not, held out. */
    public static List<ObjectLabel> singleObjects(boolean heldOut) {
        List<ObjectLabel> all = new ArrayList<>();
        for (Shape shape : Shape.values()) {
            for (Colour colour : Colour.values()) {
                for (Attributes.Size size : Attributes.Size.values()) {
                    for (Attributes.Position position : Attributes.Position.values()) {
                        ObjectLabel o = new ObjectLabel(shape, colour, size, position);
                        if (COMBINATIONS.contains(o.colouredShape()) == heldOut) {
                            all.add(o);
                        }
                    }
                }
            }
        }
        return all;
    }
}
