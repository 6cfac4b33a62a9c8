package org.ldmlab.data;

import java.util.List;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The table that describes a written dataset, one row per sample: where its files are, its caption, and
 * the labels of each object. Columns for a second object are empty strings when there is none. It also
 * names the files, so the writer and the manifest can never disagree about where an image is.
 */
public final class Manifest {
    private final IntColumn index = IntColumn.create("index");
    private final StringColumn file = StringColumn.create("file");
    private final StringColumn caption = StringColumn.create("caption");
    private final StringColumn split = StringColumn.create("split");
    private final IntColumn objectCount = IntColumn.create("n_objects");
    private final StringColumn relation = StringColumn.create("relation");
    private final List<ObjectColumns> objects = List.of(new ObjectColumns(0), new ObjectColumns(1));
    private final BooleanColumn heldOut = BooleanColumn.create("heldout");

    /** The image of sample {@code index}, relative to the dataset folder. */
    public static String imageFile(int index) {
        return String.format("images/%06d.png", index);
    }

    /** The mask of object {@code k} of sample {@code index}, relative to the dataset folder. */
    public static String maskFile(int index, int k) {
        return String.format("masks/%06d_%d.png", index, k);
    }

    public void add(int sampleIndex, Split sampleSplit, RenderedSample sample) {
        Scene scene = sample.scene();
        index.append(sampleIndex);
        file.append(imageFile(sampleIndex));
        caption.append(sample.caption());
        split.append(sampleSplit.label());
        objectCount.append(scene.objects().size());
        relation.append(scene.relation() == null ? "" : scene.relation().label());
        for (int k = 0; k < objects.size(); k++) {
            objects.get(k).add(k < scene.objects().size() ? scene.objects().get(k) : null, sampleIndex);
        }
        heldOut.append(HeldOut.appearsIn(scene));
    }

    public Table table() {
        Table table = Table.create("manifest", index, file, caption, split, objectCount, relation);
        objects.forEach(o -> table.addColumns(o.shape, o.colour, o.size, o.position, o.mask));
        return table.addColumns(heldOut);
    }

    /** The five columns that describe object k: shape_k, colour_k, size_k, position_k, mask_k. */
    private static final class ObjectColumns {
        private final int k;
        private final StringColumn shape;
        private final StringColumn colour;
        private final StringColumn size;
        private final StringColumn position;
        private final StringColumn mask;

        ObjectColumns(int k) {
            this.k = k;
            shape = StringColumn.create("shape_" + k);
            colour = StringColumn.create("colour_" + k);
            size = StringColumn.create("size_" + k);
            position = StringColumn.create("position_" + k);
            mask = StringColumn.create("mask_" + k);
        }

        /** Appends one row; a null object (a single-object scene has no second) appends empty strings. */
        void add(ObjectLabel object, int sampleIndex) {
            shape.append(object == null ? "" : object.shape().label());
            colour.append(object == null ? "" : object.colour().label());
            size.append(object == null ? "" : object.size().label());
            position.append(object == null ? "" : object.position().label());
            mask.append(object == null ? "" : maskFile(sampleIndex, k));
        }
    }
}
