package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Relation;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Scene;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.metrics.Evaluation;
import org.ldmlab.metrics.GuidanceSweep;
import org.ldmlab.metrics.PrecisionRecall;
import tech.tablesaw.api.Table;

/** A sweep row survives the CSV round trip that resuming relies on, every column in place. */
class SweepTableTest {
    private static final ObjectLabel RED = new ObjectLabel(Shape.CIRCLE, Colour.RED, Size.SMALL, Position.TOP);
    private static final ObjectLabel BLUE = new ObjectLabel(Shape.SQUARE, Colour.BLUE, Size.BIG, Position.BOTTOM);

    @TempDir
    Path dir;

    @Test
    void aWrittenRowReadsBackWithEveryNumber() throws IOException {
        Path csv = dir.resolve("guidance_sweep.csv");
        Table table = SweepCommand.resume(csv, 2, 50, 0);
        List<Scene> scenes = List.of(Scene.single(RED), Scene.pair(RED, Relation.ABOVE, BLUE));
        Evaluation.Result scores = new Evaluation.Result(scenes, List.of(List.of(RED), List.of(RED, RED)), 12.5,
                new PrecisionRecall(0.75, 0.25), 3.5, 0.04);
        SweepCommand.append(table, new GuidanceSweep.Result(1.5, scores, 9.0), 2, 50, 0);
        AtomicFiles.write(csv, o -> table.write().csv(o));
        Table back = SweepCommand.resume(csv, 2, 50, 0);
        assertEquals(SweepCommand.columns(), back.columnNames());
        assertEquals(1.5, back.doubleColumn("scale").get(0));
        assertEquals(12.5, back.doubleColumn("fid").get(0));
        assertEquals(0.25, back.doubleColumn("recall").get(0));
        assertEquals(3.5, back.doubleColumn("inception_score").get(0));
        assertEquals(0.5, back.doubleColumn("all_right").get(0), "the single object right, the pair's blue square read as red");
        assertEquals(1.0, back.doubleColumn("one_object_all_right").get(0));
        assertEquals(0.0, back.doubleColumn("two_objects_all_right").get(0));
        assertEquals(2.0 / 3, back.doubleColumn("colour").get(0), 1e-9);
        assertEquals(9.0, back.doubleColumn("seconds").get(0));
    }
}
