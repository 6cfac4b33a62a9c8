package org.ldmlab.ldm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Relation;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;
import org.ldmlab.data.ObjectLabel;
import org.ldmlab.data.Scene;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.ldm.GuidanceSweepTable.ModelFile;
import org.ldmlab.metrics.Evaluation;
import org.ldmlab.metrics.PrecisionRecall;
import org.ldmlab.ldm.GuidanceSweepTable.Run;
import tech.tablesaw.api.Table;

/** A sweep row survives the CSV round trip that resuming relies on, and only whole rows of the same run are resumed. */
class GuidanceSweepTableTest {
    private static final ObjectLabel RED = new ObjectLabel(Shape.CIRCLE, Colour.RED, Size.SMALL, Position.TOP);
    private static final ObjectLabel BLUE = new ObjectLabel(Shape.SQUARE, Colour.BLUE, Size.BIG, Position.BOTTOM);
    private static final ModelFile MODEL = new ModelFile("shipped ldm", "ab".repeat(32));
    private static final ModelFile CLASSIFIER = new ModelFile("my classifier.zip", "cd".repeat(32));
    private static final Run RUN = new Run(2, 50, 4294967297L, MODEL, CLASSIFIER);

    @TempDir
    Path dir;

    @Test
    void aWrittenRowReadsBackWithEveryNumber() throws IOException {
        Path csv = write(result(1.5, 12.5));
        Table back = GuidanceSweepTable.resume(csv, RUN);
        assertEquals(GuidanceSweepTable.columns(), back.columnNames());
        assertEquals(1.5, back.doubleColumn("scale").get(0));
        assertEquals(12.5, back.doubleColumn("fid").get(0));
        assertEquals(0.25, back.doubleColumn("recall").get(0));
        assertEquals(3.5, back.doubleColumn("inception_score").get(0));
        assertEquals(0.5, back.doubleColumn("all_right").get(0), "the single object right, the pair's blue square read as red");
        assertEquals(1.0, back.doubleColumn("one_object_all_right").get(0));
        assertEquals(0.0, back.doubleColumn("two_objects_all_right").get(0));
        assertEquals(2.0 / 3, back.doubleColumn("colour").get(0), 1e-9);
        assertEquals(9.0, back.doubleColumn("seconds").get(0));
        assertEquals("4294967297", back.stringColumn("seed").get(0), "a seed beyond int is kept whole");
        assertEquals("my classifier.zip", back.stringColumn("classifier").get(0));
        assertTrue(back.doubleColumn("diversity").isMissing(0), "no caption asked twice: no diversity, and that is no fault");
    }

    @Test
    void everySeedReadsBackAsGivenEvenTheOneTablesawTakesForMissing() throws IOException {
        for (long seed : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, -1}) { // Long.MIN_VALUE is a LongColumn's "missing"
            Run run = new Run(2, 50, seed, MODEL, CLASSIFIER);
            Path csv = dir.resolve(seed + ".csv");
            Table table = GuidanceSweepTable.resume(csv, run);
            GuidanceSweepTable.append(table, result(1.5, 12.5), run);
            AtomicFiles.write(csv, o -> table.write().csv(o));
            assertEquals(1, GuidanceSweepTable.resume(csv, run).rowCount(), "the sweep of seed " + seed + " resumes");
        }
    }

    @Test
    void rowsOfAnotherModelClassifierOrSettingsAreNotResumed() throws IOException {
        Path csv = write(result(1.5, 12.5));
        ModelFile retrained = new ModelFile("shipped ldm", "ef".repeat(32));
        ModelFile otherClassifier = new ModelFile("my classifier.zip", "01".repeat(32));
        String[][] cases = {
            {"model shipped ldm (sha256 abababababab...), not shipped ldm (sha256 efefefefefef...)"},
            {"classifier my classifier.zip (sha256 cdcdcdcdcdcd...), not my classifier.zip (sha256 010101010101...)"},
            {"samples 2, not 3; seed 4294967297, not 1"},
        };
        Run[] runs = {new Run(2, 50, RUN.seed(), retrained, CLASSIFIER), new Run(2, 50, RUN.seed(), MODEL, otherClassifier),
            new Run(3, 50, 1, MODEL, CLASSIFIER)};
        for (int i = 0; i < runs.length; i++) {
            Run other = runs[i];
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> GuidanceSweepTable.resume(csv, other));
            assertEquals(csv + " holds a sweep with other settings (" + cases[i][0] + "); use another --out or delete it to start over",
                    e.getMessage());
        }
        ModelFile moved = new ModelFile("/elsewhere/ldm.zip", MODEL.sha256());
        assertEquals(1, GuidanceSweepTable.resume(csv, new Run(2, 50, RUN.seed(), moved, CLASSIFIER)).rowCount(),
                "the same model under another name is the same model");
    }

    @Test
    void aRowWithANumberThatIsNotFiniteIsNeverWritten() {
        Table table = GuidanceSweepTable.empty();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> GuidanceSweepTable.append(table, result(3, Double.NaN), RUN));
        assertEquals("scale 3.0: fid is NaN; its row is not written", e.getMessage());
        assertEquals(0, table.rowCount());
    }

    @Test
    void aRowThatIsNotWholeOrRepeatsAScaleIsAClearError() throws IOException {
        Path csv = write(result(1.5, 12.5));
        List<String> lines = Files.readAllLines(csv);
        String row = lines.get(1);
        String[][] cases = {
            {row.replace(",12.5,", ",NaN,"), "row 1: fid is missing or NaN"},
            {row.replace(",12.5,", ",,"), "row 1: fid is missing or NaN"},
            {row.replace(",12.5,", ",Infinity,"), "row 1: fid is Infinity"},
            {row.replace(",12.5,", ",12.5x,"), "12.5x"},
            {row + ",1", "3"},
            {row.replace(",shipped ldm,", ",,"), "row 1: model is missing"},
            {row + "\n" + row, "row 2 repeats scale 1.5"},
        };
        for (String[] c : cases) {
            Files.writeString(csv, lines.get(0) + "\n" + c[0] + "\n");
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> GuidanceSweepTable.resume(csv, RUN), c[1]);
            assertTrue(e.getMessage().startsWith(csv + " cannot be resumed: ") && e.getMessage().contains(c[1])
                    && e.getMessage().endsWith("; delete it or use another --out"), e.getMessage());
        }
        Files.write(csv, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        assertTrue(assertThrows(InvalidInputException.class, () -> GuidanceSweepTable.resume(csv, RUN)).getMessage()
                .contains("cannot be resumed: it is not a text file"));
    }

    private Path write(GuidanceSweep.Result result) throws IOException {
        Path csv = dir.resolve("guidance_sweep.csv");
        Table table = GuidanceSweepTable.resume(csv, RUN);
        GuidanceSweepTable.append(table, result, RUN);
        AtomicFiles.write(csv, o -> table.write().csv(o));
        return csv;
    }

    private static GuidanceSweep.Result result(double scale, double fid) {
        List<Scene> scenes = List.of(Scene.single(RED), Scene.pair(RED, Relation.ABOVE, BLUE));
        Evaluation.Result scores = new Evaluation.Result(scenes, List.of(List.of(RED), List.of(RED, RED)), fid,
                new PrecisionRecall(0.75, 0.25), 3.5, Double.NaN);
        return new GuidanceSweep.Result(scale, scores, 9.0);
    }
}
